import ArgumentParser

/// The root command. `main.swift` rewrites lua-style invocations (`smsh FILE`, `smsh -e CODE`,
/// `smsh -`, bare `smsh`) into subcommands before ArgumentParser sees them.
struct SMSH: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smsh",
        abstract: "The SMS operations shell: Lua 5.4 scripting for an SMS provider's API.",
        usage: HelpText.usage,
        // Built from HelpText's lists, which the man page (ManPage) renders from too.
        discussion: HelpText.sentences("""
            \(HelpText.description)

            ONE-OFF COMMANDS (sms.send's checks, journal, budget; -o table|json|jsonl|csv):
              smsh credit                  smsh senders
              smsh send [--sender S] (--text T | --template-id ID) [--to N...] [--to-file F]
              smsh preview (--text T | --template-id ID) [--to N...] [--to-file F]
              smsh messages [--status S]   smsh message UUID      smsh cancel UUID
              smsh recipients UUID [--status S] [--after CURSOR | --all]
              smsh wait UUID [--max-wait SECONDS]
              smsh campaign --key K --csv F (--text T | --template-id ID) [--dry-run]

            ENVIRONMENT:
            \(HelpText.block(HelpText.environment))

            FILES:
            \(HelpText.block(HelpText.files))

            \(ExitCodes.table)

            EXAMPLES:
            \(HelpText.exampleBlock())
            """),
        version: smshVersion,
        subcommands: commandList
    )
}

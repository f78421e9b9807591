import ArgumentParser

/// The root command. `main.swift` rewrites lua-style invocations (`smsh FILE`, `smsh -e CODE`,
/// `smsh -`, bare `smsh`) into subcommands before ArgumentParser sees them.
struct SMSH: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smsh",
        abstract: "The SMS operations shell: Lua 5.4 scripting for an SMS provider's API.",
        version: smshVersion,
        subcommands: commandList
    )
}

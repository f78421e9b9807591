import ArgumentParser

/// Every subcommand, in the order `--help` lists them. Add new ones here.
let commandList: [ParsableCommand.Type] = [
    RunCommand.self,
    ReplCommand.self,
    TestCommand.self,
    ServeCommand.self,
    SandboxCommand.self,
    JournalCommand.self,
    ConfigCommand.self,
    DocsCommand.self,
    LintCommand.self,
    CreditCommand.self,
    SendersCommand.self,
    SendCommand.self,
    CampaignCommand.self,
    PreviewCommand.self,
    CancelCommand.self,
    MessagesCommand.self,
    MessageCommand.self,
    RecipientsCommand.self,
    WaitCommand.self,
    TrustCommand.self,
]

/// Their names, known without asking ArgumentParser (whose reflection costs start-up time):
/// the lua-style fast path in `main.swift` must not take `smsh serve` for a script. An array,
/// not a Set: hashing would need a random seed at start-up.
let commandNames = ["run", "repl", "test", "serve", "sandbox", "journal", "config", "docs", "lint",
                    "credit", "senders", "send", "campaign", "preview", "cancel", "messages", "message", "recipients", "wait", "trust"]

/// The commands that are groups (`smsh config show`, `smsh journal list`), with the names of
/// their subcommands: `smsh --profile corp config show` moves `--profile corp` after `show`.
var commandGroups: [String: Set<String>] {
    var groups: [String: Set<String>] = [:]
    for command in commandList where !command.configuration.subcommands.isEmpty {
        groups[command._commandName] = Set(command.configuration.subcommands.map { $0._commandName })
    }
    return groups
}

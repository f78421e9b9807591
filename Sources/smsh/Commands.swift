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

/// The subcommands of the command `name` (`show`, `path` for `config`), none for a command
/// that is not a group: `smsh --profile corp config show` moves `--profile corp` after `show`.
/// Asked only when options come before a command's name: it reads that command's configuration.
func subcommandNames(of name: String) -> Set<String> {
    guard let command = commandList.first(where: { $0._commandName == name }) else { return [] }
    return Set(command.configuration.subcommands.map { $0._commandName })
}

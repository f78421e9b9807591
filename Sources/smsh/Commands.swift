import ArgumentParser

/// Every subcommand, in the order `--help` lists them. Add new ones here.
let commandList: [ParsableCommand.Type] = [
    RunCommand.self,
    ReplCommand.self,
    TestCommand.self,
    ServeCommand.self,
    JournalCommand.self,
    ConfigCommand.self,
]

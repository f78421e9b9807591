import ArgumentParser

/// Every subcommand, in the order `--help` lists them. Add new ones here.
let commandList: [ParsableCommand.Type] = [
    ReplCommand.self,
    JournalCommand.self,
    RunCommand.self,
    ServeCommand.self,
]

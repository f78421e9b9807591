import ArgumentParser

let subcommandNames = Set(commandList.map { $0._commandName })
let arguments = LuaStyleArguments.rewrite(Array(CommandLine.arguments.dropFirst()), subcommands: subcommandNames)
SMSH.main(arguments)

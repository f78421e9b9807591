import ArgumentParser

#if canImport(Glibc)
    import Glibc
#endif

let subcommandNames = Set(commandList.map { $0._commandName })
let arguments = LuaStyleArguments.rewrite(Array(CommandLine.arguments.dropFirst()), subcommands: subcommandNames)
do {
    var command = try SMSH.parseAsRoot(arguments)
    try command.run()
} catch {
    // Usage mistakes exit with 2 (ArgumentParser's default is 64), as the README documents.
    let code = SMSH.exitCode(for: error)
    if code == .validationFailure {
        writeUsageError(SMSH.fullMessage(for: error))
        exit(ExitCodes.usage)
    }
    SMSH.exit(withError: error)
}

func writeUsageError(_ message: String) {
    FileHandleStderr.write(message + "\n")
}

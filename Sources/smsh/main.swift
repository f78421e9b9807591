import ArgumentParser

#if canImport(Glibc)
    import Glibc
#endif

let given = Array(CommandLine.arguments.dropFirst())
// Hidden, like ArgumentParser's --generate-completion-script: scripts/gen-docs writes docs/smsh.1 with it.
if given == ["--generate-man-page"] {
    print(ManPage.render(), terminator: "")
    exit(0)
}
if let plain = LuaStyleArguments.plainRun(given, subcommands: commandNames) {
    do {
        try plain.run()
        exit(0)
    } catch let e as ExitCode {
        exit(e.rawValue)
    } catch {
        SMSH.exit(withError: error)
    }
}
assert(Set(commandNames) == Set(commandList.map { $0._commandName }), "commandNames is out of date")
let arguments = LuaStyleArguments.rewrite(given, subcommands: Set(commandNames))
do {
    var command = try SMSH.parseAsRoot(arguments)
    try command.run()
} catch {
    // Usage mistakes exit with 2 (ArgumentParser's default is 64), as the README documents.
    let code = SMSH.exitCode(for: error)
    if code == .validationFailure {
        // Parsing failed, so --log-format is read from the raw arguments: a cron job asking
        // for JSON gets its usage error as one JSON object too.
        if zip(given, given.dropFirst()).contains(where: { $0 == "--log-format" && $1 == "json" }) || given.contains("--log-format=json") {
            StderrMessages.format = .json
            StderrMessages.error(SMSH.fullMessage(for: error), code: "USAGE")
        } else {
            writeUsageError(SMSH.fullMessage(for: error))
        }
        exit(ExitCodes.usage)
    }
    SMSH.exit(withError: error)
}

func writeUsageError(_ message: String) {
    FileHandleStderr.write(message + "\n")
}

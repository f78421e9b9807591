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
        exitReporting(error)
    }
}
assert(Set(commandNames) == Set(commandList.map { $0._commandName }), "commandNames is out of date")
let arguments = LuaStyleArguments.extractLuaOptions(LuaStyleArguments.rewrite(given, subcommands: Set(commandNames), subcommandsOf: subcommandNames))
if let typo = CommandTypos.subcommandTypo(arguments) ?? CommandTypos.helpTypo(arguments, commands: commandNames) {
    CommandTypos.exitWithUsageError(typo, arguments: given)
}
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
            StderrMessages.error(String(usageErrorText(SMSH.fullMessage(for: error)).dropFirst("smsh: ".count)), code: "USAGE")
        } else {
            writeUsageError(SMSH.fullMessage(for: error))
        }
        exit(ExitCodes.usage)
    }
    exitReporting(error)
}

/// Help, --version and exit codes as ArgumentParser ends them; any other error in smsh's
/// voice (`smsh: …`), not ArgumentParser's `Error: …`.
func exitReporting(_ error: Error) -> Never {
    if error is ExitCode || error is CleanExit { SMSH.exit(withError: error) }
    let code = SMSH.exitCode(for: error)
    if code == .success { SMSH.exit(withError: error) }
    StderrMessages.error(String(usageErrorText("\(error)").dropFirst("smsh: ".count)))
    exit(code.rawValue)
}

/// ArgumentParser's `Error: …` as smsh's own voice: `smsh: …` (the usage lines follow).
func writeUsageError(_ message: String) {
    FileHandleStderr.write(usageErrorText(message) + "\n")
}

/// `Error: X` and `smsh trust: X` as `smsh: X` and `smsh: trust: X`.
func usageErrorText(_ message: String) -> String {
    if message.hasPrefix("smsh: ") { return message }
    if message.hasPrefix("Error: ") { return "smsh: " + message.dropFirst("Error: ".count) }
    if message.hasPrefix("smsh ") { return "smsh: " + message.dropFirst("smsh ".count) }
    return "smsh: " + message
}

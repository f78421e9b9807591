import ArgumentParser
import SMSLua

/// Options shared by every command that runs Lua (`run`, `repl`): where the API is and how
/// the session reports.
struct SessionOptions: ParsableArguments {
    @Flag(help: "Use the built-in simulator (demo data, virtual time): nothing real is sent.")
    var sandbox = false

    @Option(help: ArgumentHelp("API base URL (default: $SMSH_BASE_URL, else https://me-sms.com).", valueName: "url"))
    var baseURL: String?

    @Option(help: ArgumentHelp("Log line format for log.* and smsh's own messages: text or json.", valueName: "format"))
    var logFormat: LogFormat = .text

    @Flag(help: "No progress lines on stderr.")
    var quiet = false

    @Flag(help: "Show phone numbers as 66812xxx678 in results, logs and error messages.")
    var maskNumbers = false

    @Flag(help: "Never ask for confirmation (large sends in the REPL).")
    var yes = false

    @Flag(help: "Trace every API request on stderr: method, URL, status, duration (the API key redacted).")
    var verbose = false
}

extension LogFormat: ExpressibleByArgument {}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LuaHost
import SMSClient
import SMSLua

/// smsh's own messages on stderr (uncaught errors, lock refusals, setup errors, the dry-run
/// plan): `smsh: message` plus traceback lines as text, or under `--log-format json` exactly
/// one JSON object per message in the shape of `log.*` lines, so a log shipper reading a
/// cron job's stderr never meets a line it cannot parse.
enum StderrMessages {
    /// Set from `--log-format` when a command starts, before its first message; one process
    /// runs one command, on one thread.
    nonisolated(unsafe) static var format: LogFormat = .text

    /// An error: `code`/`status` are the SMSError's, `traceback` the Lua stack (a field in
    /// JSON, following lines in text).
    static func error(_ message: String, code: String? = nil, status: Int64? = nil, traceback: String? = nil,
                      fields: [String: JSONValue] = [:]) {
        var fields = fields
        if let code { fields["code"] = .string(code) }
        if let status { fields["status"] = .int(status) }
        if let traceback { fields["traceback"] = .string(traceback) }
        write(level: "error", text: "smsh: " + message + (traceback.map { "\n" + $0 } ?? "") + "\n",
              message: message, fields: fields)
    }

    /// A warning: `smsh: warning: message` as text; level `warn` (as `log.warn`) in JSON.
    /// Not silenced by `--quiet`, which only stops progress lines.
    static func warning(_ message: String) {
        write(level: "warn", text: "smsh: warning: " + message + "\n", message: message, fields: [:])
    }

    /// A hint for the person reading (how to get the rest of a list): `smsh: message` as
    /// text, level `info` in JSON.
    static func note(_ message: String) {
        write(level: "info", text: "smsh: " + message + "\n", message: message, fields: [:])
    }

    /// A report that is not an error (the dry-run plan): `text` as it is, or one JSON object
    /// with `message` and the text as `field`.
    static func info(_ message: String, text: String, field: String) {
        write(level: "info", text: text, message: message, fields: [field: .string(text)])
    }

    private static func write(level: String, text: String, message: String, fields: [String: JSONValue]) {
        switch format {
        case .text:
            writeToStandardError(text)
        case .json:
            let time = LogModule.timestamp(Date().timeIntervalSince1970)
            writeToStandardError(LogModule.jsonLine(time: time, level: level, message: message, fields: fields))
        }
    }
}

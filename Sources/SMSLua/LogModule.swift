import CLua
import LuaHost
import SMSClient
import SMSDocs
import SMSOperations


/// How `log.*` lines are written: readable text, or one JSON object per line for log shippers.
public enum LogFormat: String, CaseIterable, Sendable {
    case text
    case json
}

/// The `log` module: `log.debug/info/warn/error(message, {fields})` to stderr, with a
/// timestamp from the session clock and the level.
///   text: `2026-11-29T11:50:01Z INFO  sent 3 messages uuid=ab12`
///   json: `{"fields…","level":"info","msg":"sent 3 messages","time":"2026-11-29T11:50:01Z"}`
public struct LogModule: LuaModule {
    public let name = "log"
    let format: LogFormat
    let clock: SMSClock
    let write: (String) -> Void
    let maskNumbers: Bool

    public init(format: LogFormat, clock: SMSClock, maskNumbers: Bool = false,
                write: @escaping (String) -> Void = LogModule.writeToStderr) {
        self.format = format
        self.maskNumbers = maskNumbers
        self.clock = clock
        self.write = write
    }

    public static func writeToStderr(_ line: String) { writeToStandardError(line) }

    public func open(_ stack: LuaStack) throws {
        stack.pushLibrary("log", doc: { LogDocs.moduleDoc.doc },
                          functions: LogDocs.levels.map { level in
            LuaLibraryFunction(level, doc: LogDocs.function(level).helpText) { s in
                    let message = s.type(at: 1) == LUA_TSTRING ? s.string(at: 1)! : s.describe(at: 1)
                    var fields: [String: JSONValue] = [:]
                    if s.type(at: 2) == LUA_TTABLE {
                        if case .object(let o) = try? s.json(at: 2) { fields = o }
                    }
                    let line = render(level: level, message: message, fields: fields)
                    write(maskNumbers ? NumberMasking.mask(line) : line)
                    return 0
                }
        })
    }

    func render(level: String, message: String, fields: [String: JSONValue]) -> String {
        let time = LogModule.timestamp(clock.now())
        switch format {
        case .json:
            return LogModule.jsonLine(time: time, level: level, message: message, fields: fields)
        case .text:
            let label = level.uppercased().padding(5)
            var line = "\(time) \(label) \(message)"
            for key in fields.keys.sorted() {
                let v = fields[key]!
                line += " \(key)=" + (v.stringValue ?? v.serializedString(sortedKeys: true))
            }
            return line + "\n"
        }
    }

    /// One JSON log line, `{"fields…","level","msg","time"}` with sorted keys: the shape of
    /// every stderr line under `--log-format json`, `log.*` and smsh's own messages alike.
    public static func jsonLine(time: String, level: String, message: String, fields: [String: JSONValue]) -> String {
        var object = fields
        object["time"] = .string(time)
        object["level"] = .string(level)
        object["msg"] = .string(message)
        return JSONValue.object(object).serializedString(sortedKeys: true) + "\n"
    }

    /// `2026-11-29T11:50:01Z` (UTC, whole seconds).
    public static func timestamp(_ seconds: Double) -> String { ISO8601Time.formatUTC(epochSeconds: seconds) }
}

extension String {
    fileprivate func padding(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}

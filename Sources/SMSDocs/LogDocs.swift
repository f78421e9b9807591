/// The doc registry of the `log` module (LogModule.swift registers these).
public enum LogDocs {
    public static let levels = ["debug", "info", "warn", "error"]

    public static func function(_ level: String) -> FunctionDoc {
        FunctionDoc(
            "log.\(level)", params: [DocParam("message", "any"), DocParam("fields", "table<string, any>", optional: true, "shown as key=value")], """
            Writes one \(level.uppercased()) line to stderr: time, level, message, fields.
            Non-string messages are shown with tostring. With --log-format json each line
            is a JSON object {"time", "level", "msg", ...fields}.
            Example: log.\(level)("credit checked", {balance = 1200})
            """)
    }

    public static let moduleDoc = ModuleDoc(
        "log", doc: "log — timestamped lines on stderr (text, or JSON with --log-format json).",
        functions: levels.map(function))
}

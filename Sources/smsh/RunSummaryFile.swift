import CLua
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
import SMSConfig
import SMSMetrics
import SMSOperations
import SMSState

/// `smsh run --summary FILE.json`: one JSON object for monitoring, written once at exit
/// (normal end, uncaught error, os.exit, a refused lock), atomically (a temporary file renamed
/// over the target), so a monitor never reads half a summary. The same moment writes the
/// Prometheus metrics (`--metrics FILE.prom`, `--metrics-push URL`, also for the one-off
/// commands): see `MetricsTargets`.
final class RunSummaryFile {
    /// The summary's file (`--summary`); set once its folder is known to be writable.
    var path: String?
    let script: String?
    /// Where the metrics go (file, Pushgateway), or none.
    var metrics = MetricsTargets()
    let started = Date()
    /// The session's gate summary and request counters, once the session exists.
    var session: (summary: RunSummary, counters: RequestCounters)?
    /// The run's limiter, for throttles, the effective rate and the most requests in flight.
    var limiter: AdaptiveLimiter?
    private var setupErrors: [String: Int] = [:]
    private var uncaughtError: (code: String?, message: String)?
    private var written = false

    init(path: String?, script: String?) {
        self.path = path
        self.script = script
    }

    /// A failure before or outside the bindings (lock held, no session).
    func error(code: String) { setupErrors[code, default: 0] += 1 }

    /// The error that ended the script.
    func uncaught(code: String?, message: String) { uncaughtError = (code, message) }

    /// Whether anything is written at exit (os.exit must then be wrapped).
    var writesAtExit: Bool { path != nil || metrics.file != nil || metrics.push != nil }

    func write(exitCode: Int32) {
        guard !written else { return }
        written = true
        if metrics.file != nil || metrics.push != nil { metrics.write(runMetrics(exitCode: exitCode), script: metricsScript) }
        guard let path else { return }
        var run: [String: JSONValue] = [
            "script": script.map(JSONValue.string) ?? .null,
            "start": .string(ISO8601Time.formatUTC(epochSeconds: started.timeIntervalSince1970)),
            "end": .string(ISO8601Time.formatUTC(epochSeconds: Date().timeIntervalSince1970)),
            "exitCode": .int(Int64(exitCode)),
        ]
        if let uncaughtError {
            run["error"] = .object(["code": uncaughtError.code.map(JSONValue.string) ?? .null, "message": .string(uncaughtError.message)])
        }
        var object = (session?.summary ?? RunSummary()).json(run: run, counters: session?.counters)
        if case .object(var o) = object, let stats = limiter?.statistics {
            o["throttled"] = .int(Int64(stats.throttled))
            o["maxInFlight"] = .int(Int64(stats.maxInFlight))
            o["effectiveRate"] = .double((stats.effectiveRate * 100).rounded() / 100)
            if let adaptive = stats.adaptiveRate { o["adaptiveRate"] = .double((adaptive * 100).rounded() / 100) }
            object = .object(o)
        }
        if case .object(var o) = object, !setupErrors.isEmpty {
            var errors = o["errors"]?.objectValue ?? [:]
            for (code, n) in setupErrors { errors[code] = .int(Int64(n) + (errors[code]?.intValue ?? 0)) }
            o["errors"] = .object(errors)
            object = .object(o)
        }
        var bytes = Array(object.serializedString(sortedKeys: true).utf8)
        bytes.append(UInt8(ascii: "\n"))
        let temporary = path + ".tmp-\(getpid())"
        let ok = FileManager.default.createFile(atPath: temporary, contents: Data(bytes), attributes: [.posixPermissions: 0o644])
            && rename(temporary, path) == 0
        if !ok {
            unlink(temporary)
            StderrMessages.error("cannot write the run summary to \(path): \(String(cString: strerror(errno)))", code: "SUMMARY_IO")
        }
    }

    /// The script's name for the Pushgateway's `script` label and the file's: the script's
    /// file name, `stdin` for `-`, `command-line` for `-e` alone, `repl`; a one-off command's name.
    var metricsScript: String {
        guard let script else { return "repl" }
        switch script {
        case "-": return "stdin"
        case "-e": return "command-line"
        default: return String(script.split(separator: "/").last ?? Substring(script))
        }
    }

    /// The run's figures: the gates' sends and errors, the client's requests, the limiter's
    /// throttles, and errors outside the gates (a held lock, setup, the error that ended the run).
    func runMetrics(exitCode: Int32) -> RunMetrics {
        var m = RunMetrics()
        let summary = session?.summary ?? RunSummary()
        let sends = summary.sends
        m.sends = sends.count
        m.recipients = sends.reduce(0) { $0 + $1.recipients }
        m.credits = sends.reduce(0) { $0 + $1.credits }
        m.journalReplays = summary.replays.count
        m.errors = summary.errors
        for (code, n) in setupErrors { m.errors[code, default: 0] += n }
        // The error that ended the run, unless a gate already counted one of its code.
        if let uncaughtError {
            // Ctrl-C or SIGTERM raises "interrupted!" in Lua, an error without a code.
            let interrupted = ExitCodes.interruptedBySignal.map { $0 == exitCode } ?? false
            let code = uncaughtError.code ?? (interrupted ? "INTERRUPTED" : "SCRIPT_ERROR")
            if m.errors[code] == nil { m.errors[code] = 1 }
        }
        if let counters = session?.counters {
            m.apiRequests = counters.outcomes
            m.retries = counters.totals.retries
        }
        m.throttled = limiter?.statistics.throttled ?? 0
        let now = Date()
        m.durationSeconds = now.timeIntervalSince(started)
        m.endedAt = now.timeIntervalSince1970
        m.exitCode = exitCode
        return m
    }

    /// Why a file cannot be written at `path` (its folder missing or read-only, a folder or
    /// a read-only file in its place), or nil: checked before a run starts, so a summary
    /// that could not be written stops the run before anything is sent, not after.
    static func problem(writing path: String) -> String? {
        let dir = SQLiteStateStore.directory(of: ScriptSession.absolute(path))
        var st = stat()
        if stat(dir, &st) != 0 || (st.st_mode & S_IFMT) != S_IFDIR { return "the folder \(dir) does not exist" }
        if access(dir, W_OK) != 0 { return "the folder \(dir) is not writable" }
        if stat(path, &st) == 0 {
            if (st.st_mode & S_IFMT) == S_IFDIR { return "\(path) is a folder" }
            if access(path, W_OK) != 0 { return "\(path) is not writable" }
        }
        return nil
    }

    /// The code `os.exit(code)` exits with: true or none 0, false 1, a number itself.
    static func osExitCode(_ s: LuaStack) -> Int32 {
        switch s.type(at: 1) {
        case LUA_TBOOLEAN: return lua_toboolean(s.L, 1) != 0 ? 0 : 1
        case LUA_TNUMBER: return Int32(truncatingIfNeeded: s.integer(at: 1) ?? Int64(s.number(at: 1) ?? 1))
        default: return 0
        }
    }
}

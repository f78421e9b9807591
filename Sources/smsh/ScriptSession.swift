import ArgumentParser
import CLuaShim
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
import SMSFixtures
import SMSLua
import SMSOperations
import SMSState
import SMSSimulator

/// A cassette to record to or replay from (`smsh run --record/--replay`).
struct FixtureOptions {
    var path: String
    var mode: RecordMode
}

/// Builds the Lua state every command runs in: standard libraries, then `sms`, `json`,
/// `log` and `help`, wired to the real API, the in-process simulator (`--sandbox`), or a
/// cassette (record/replay) — all behind the one `Transport` seam.
struct ScriptSession {
    let lua: LuaState
    let environment: SMSEnvironment
    /// The cassette session when recording or replaying; saved by `finish()`.
    let fixture: FixtureSession?
    /// The settings in effect (flags, environment, profile), each with its source.
    let config: EffectiveConfig
    /// The loaded plugins and their REPL commands; nil with `--no-plugins`.
    let plugins: PluginLoader?
    /// Every API attempt of the session, for `--summary`.
    let counters: RequestCounters
    /// The run's limiter (in-flight cap, rate, 429 backoff), for `--summary`.
    let limiter: AdaptiveLimiter
    /// The clock `log` stamps lines with; a REPL target switch points it at the new one.
    let logClock: ForwardingClock

    static let defaultBaseURL = EffectiveConfig.defaultBaseURL
    /// The REPL's own commands, which plugins cannot take.
    static let builtinCommands = ["help", "quit", "q", "exit", "sandbox", "profile"]

    /// - Parameters:
    ///   - requestsLog: a file that gets every API request as a JSON line (for `run_script`).
    ///   - maxCredits: `--max-credits` (it beats the profile's `max_credits`).
    ///   - readConfig: false for `smsh test`, whose specs must not depend on the operator's profiles.
    ///   - resolved: the effective config when the caller already read it (`smsh run` reads it
    ///     first for `--metrics`), so it is read once.
    init(options: SessionSettings, dryRun: Bool = false, requestsLog: String? = nil, fixture fixtureOptions: FixtureOptions? = nil,
         maxCredits: Double? = nil, readConfig: Bool = true, config resolved: EffectiveConfig? = nil,
         environment env: Environment = .process) throws {
        let connection = try SessionConnection(
            options: options, dryRun: dryRun, requestsLog: requestsLog, fixture: fixtureOptions, maxCredits: maxCredits,
            readConfig: readConfig, config: resolved, environment: env)
        config = connection.config
        fixture = connection.fixture
        counters = connection.counters
        limiter = connection.limiter
        environment = connection.environment
        let config = self.config
        let clock = connection.clock
        lua = try LuaState()
        try lua.install(SMSModule(environment: environment))
        try lua.install(JSONModule())
        logClock = ForwardingClock(clock)
        try lua.install(LogModule(format: options.logFormat, clock: logClock, maskNumbers: config.maskNumbers.value))
        HelpFunction.install(in: lua) { print($0) }
        if clock is VirtualClock { try SessionClock.install(in: lua, environment: environment) }
        if options.noPlugins {
            plugins = nil
        } else {
            let loader = try PluginLoader(lua: lua, reservedCommands: ScriptSession.builtinCommands)
            // Project plugins load only from a folder `smsh trust` recorded (see PluginTrust).
            let trust = PluginTrust(store: { try SQLiteStateStore(path: SQLiteStateStore.defaultPath()) })
            let (files, skipped) = trust.loadable(configDirectory: config.paths.directory, workingDirectory: PluginLoader.currentDirectory())
            if let skipped { StderrMessages.error(skipped, code: "PLUGIN_UNTRUSTED") }
            loader.loadAll(files, display: config.paths.display) { failure in
                StderrMessages.error("\(failure)", code: "PLUGIN")
            }
            plugins = loader
        }
    }

    /// The parts of a session that outlive a change of API target (`retargeted`).
    init(lua: LuaState, environment: SMSEnvironment, config: EffectiveConfig, plugins: PluginLoader?, counters: RequestCounters,
         limiter: AdaptiveLimiter, logClock: ForwardingClock) {
        self.lua = lua
        self.limiter = limiter
        self.logClock = logClock
        self.environment = environment
        self.fixture = nil
        self.config = config
        self.plugins = plugins
        self.counters = counters
    }

    /// A recording must be able to write its cassette before the first request goes out: a
    /// failure after a real send would read as "not sent" to a script that retries.
    static func checkWritable(cassette path: String) throws {
        let dir = SQLiteStateStore.directory(of: absolute(path))
        var st = stat()
        guard stat(dir, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR, access(dir, W_OK) == 0 else {
            throw SMSError(status: nil, code: "CASSETTE_IO",
                           message: "cannot record to \(path): the folder \(dir) \(access(dir, F_OK) == 0 ? "is not writable" : "does not exist"); nothing was sent",
                           retryable: false, notSent: true)
        }
        if stat(path, &st) == 0, access(path, W_OK) != 0 || (st.st_mode & S_IFMT) != S_IFREG {
            throw SMSError(status: nil, code: "CASSETTE_IO", message: "cannot record to \(path): not a writable file; nothing was sent",
                           retryable: false, notSent: true)
        }
    }

    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return path }
        return String(cString: buffer) + "/" + path
    }

    /// Real time whose sleeps end early on Ctrl-C (in the REPL).
    static func systemClock() -> SystemClock {
        SystemClock(interruptRequested: { smsh_sigint_pending() != 0 })
    }

    /// Saves a recorded cassette.
    func finish() throws {
        try fixture?.save()
    }

    /// Builds a session (or a one-off command's connection); a setup failure (missing cassette, no key) is printed and exits 1; a
    /// config problem (bad file, unknown profile, file readable by others) exits 2.
    static func orExit<Session>(report: RunSummaryFile? = nil, _ make: () throws -> Session) throws -> Session {
        do {
            return try make()
        } catch let e as SMSError {
            report?.error(code: e.code)
            StderrMessages.error(e.description, code: e.code, status: e.status.map(Int64.init))
            throw ExitCode(ExitCodes.forError(code: e.code))
        } catch let e as ConfigError {
            report?.error(code: "CONFIG")
            StderrMessages.error(e.description, code: "CONFIG")
            throw ExitCode(ExitCodes.usage)
        }
    }

    /// Wraps the live transport in `--verbose` tracing when asked for.
    static func traced(_ transport: Transport, options: SessionSettings, live: LiveConnection, clock: SMSClock) -> Transport {
        guard options.verbose else { return transport }
        if !live.sandbox {
            VerboseTransport.announceProxy(live.proxy, format: options.logFormat, clock: clock)
        }
        return VerboseTransport(
            wrapping: transport, origin: live.sandbox ? "sandbox:" : live.baseURL, format: options.logFormat,
            clock: clock, secrets: live.secrets)
    }

    static func logged(_ transport: Transport, to path: String?) -> Transport {
        guard let path else { return transport }
        return RequestLogTransport(wrapping: transport, path: path)
    }

    /// Runs Lua work; an error prints `smsh: message` + traceback to stderr and exits with
    /// the code its kind has for cron (see `ExitCodes`).
    /// Runs the tasks the script left until all have ended; a task that failed and that no
    /// `sms.join` collected fails the run (its error would otherwise go unseen).
    static func finishTasks(_ environment: SMSEnvironment, report: RunSummaryFile?) throws {
        guard let tasks = environment.tasks else { return }
        do {
            try tasks.runUntilAllEnded()
        } catch {
            flushStandardOutput()
            StderrMessages.error("interrupted: tasks stopped (sends already on the wire finished and are journaled)", code: "INTERRUPTED")
            report?.uncaught(code: "INTERRUPTED", message: "interrupted")
            throw ExitCode(ExitCodes.interruptedBySignal ?? ExitCodes.scriptError)
        }
        let failures = tasks.unjoinedFailures()
        guard !failures.isEmpty else { return }
        flushStandardOutput()
        for f in failures {
            StderrMessages.error("task \(f.id) failed and no sms.join collected its error: \(f.message)", code: "TASK_FAILED")
        }
        report?.uncaught(code: "TASK_FAILED", message: failures[0].message)
        throw ExitCode(ExitCodes.scriptError)
    }

    static func runOrExit(report: RunSummaryFile? = nil, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as LuaError {
            flushStandardOutput()
            var code: String?
            var status: Int64?
            if case .table(let t) = error.value {
                code = t["code"]?.stringValue
                if case .integer(let s) = t["status"] ?? .nil { status = s }
            }
            StderrMessages.error(error.message, code: code, status: status, traceback: error.traceback)
            report?.uncaught(code: code, message: error.description)
            throw ExitCode(ExitCodes.forError(code: code, status: status))
        }
    }
}

/// A clock that reads another, replaceable one (the REPL's `:sandbox` swaps virtual and real time).
final class ForwardingClock: SMSClock, @unchecked Sendable {
    // One process runs one session on one thread; only a target switch writes this.
    var target: SMSClock
    init(_ target: SMSClock) { self.target = target }
    func now() -> Double { target.now() }
    func sleep(seconds: Double) throws { try target.sleep(seconds: seconds) }
}

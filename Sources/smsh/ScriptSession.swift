import ArgumentParser
import CLuaShim
import Foundation
import LuaHost
import SMSClient
import SMSFixtures
import SMSLua
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

    static let defaultBaseURL = "https://me-sms.com"

    /// - Parameter requestsLog: a file that gets every API request as a JSON line (for `run_script`).
    init(options: SessionOptions, dryRun: Bool = false, requestsLog: String? = nil, fixture fixtureOptions: FixtureOptions? = nil,
         environment env: [String: String] = ProcessInfo.processInfo.environment) throws {
        lua = try LuaState()
        let live = LiveConnection(options: options, environment: env)
        let clock: SMSClock
        let makeClient: () throws -> SMSClient
        if let fixtureOptions {
            // Pure replay needs no live side; its virtual clock starts when the cassette was recorded.
            let replayOnly = fixtureOptions.mode == .none
                || (fixtureOptions.mode == .once && CassetteFile.exists(fixtureOptions.path))
            var sessionClock: SMSClock = options.sandbox ? VirtualClock() : ScriptSession.systemClock()
            var liveTransport: Transport? = nil
            if replayOnly {
                let recordedAt = try CassetteFile.load(fixtureOptions.path).recordedAt
                sessionClock = VirtualClock(start: recordedAt)
            } else {
                liveTransport = ScriptSession.traced(
                    try live.transport(clock: sessionClock), options: options, live: live, clock: sessionClock)
            }
            let session = try FixtureSession(
                path: fixtureOptions.path, mode: fixtureOptions.mode, live: liveTransport, secrets: live.secrets,
                maskNumbers: options.maskNumbers, now: sessionClock.now())
            fixture = session
            clock = sessionClock
            let client = SMSClient(transport: ScriptSession.logged(session.transport, to: requestsLog),
                                   apiKey: live.apiKey ?? "", clock: sessionClock)
            makeClient = { client }
        } else {
            fixture = nil
            clock = options.sandbox ? VirtualClock() : ScriptSession.systemClock()
            makeClient = {
                SMSClient(transport: ScriptSession.logged(
                              ScriptSession.traced(try live.transport(clock: clock), options: options, live: live, clock: clock),
                              to: requestsLog),
                          apiKey: live.apiKey, clock: clock)
            }
        }
        environment = SMSEnvironment(
            clock: clock, dryRun: dryRun, progress: .forTerminal(quiet: options.quiet), client: makeClient)
        try lua.install(SMSModule(environment: environment))
        try lua.install(JSONModule())
        environment.maskNumbers = options.maskNumbers
        try lua.install(LogModule(format: options.logFormat, clock: clock, maskNumbers: options.maskNumbers))
        HelpFunction.install(in: lua) { print($0) }
        if clock is VirtualClock { try SessionClock.install(in: lua, environment: environment) }
    }

    /// Real time whose sleeps end early on Ctrl-C (in the REPL).
    static func systemClock() -> SystemClock {
        SystemClock(interruptRequested: { smsh_sigint_pending() != 0 })
    }

    /// Saves a recorded cassette.
    func finish() throws {
        try fixture?.save()
    }

    /// Builds a session; a setup failure (missing cassette, no key) is printed and exits 1.
    static func orExit(_ make: () throws -> ScriptSession) throws -> ScriptSession {
        do {
            return try make()
        } catch let e as SMSError {
            writeToStandardError("smsh: \(e.description)\n")
            throw ExitCode(ExitCodes.forError(code: e.code))
        }
    }

    /// Wraps the live transport in `--verbose` tracing when asked for.
    static func traced(_ transport: Transport, options: SessionOptions, live: LiveConnection, clock: SMSClock) -> Transport {
        guard options.verbose else { return transport }
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
    static func runOrExit(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as LuaError {
            flushStandardOutput()
            writeToStandardError("smsh: \(error.description)\n")
            var code: String?
            var status: Int64?
            if case .table(let t) = error.value {
                code = t["code"]?.stringValue
                if case .integer(let s) = t["status"] ?? .nil { status = s }
            }
            throw ExitCode(ExitCodes.forError(code: code, status: status))
        }
    }
}

/// Where live requests go: the in-process simulator (`--sandbox`) or the API over HTTP
/// (`--base-url` / `SMSH_BASE_URL`, key from `SMSH_API_KEY`).
struct LiveConnection {
    let sandbox: Bool
    let baseURL: String
    let apiKey: String?

    init(options: SessionOptions, environment env: [String: String]) {
        sandbox = options.sandbox
        baseURL = options.baseURL ?? env["SMSH_BASE_URL"] ?? ScriptSession.defaultBaseURL
        apiKey = sandbox ? SimulatorConfig().apiKey : env["SMSH_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Strings that must never be written anywhere (cassettes, logs, history).
    var secrets: [String] { apiKey.map { [$0] } ?? [] }

    func transport(clock: SMSClock) throws -> Transport {
        if sandbox {
            return SimulatorTransport(engine: SimulatorEngine(config: SimulatorConfig(), clock: clock))
        }
        guard apiKey != nil else {
            throw SMSError(status: nil, code: "NO_API_KEY",
                           message: "no API key: set SMSH_API_KEY, or try the simulator with --sandbox", retryable: false)
        }
        return HTTPTransport(baseURL: baseURL)
    }
}

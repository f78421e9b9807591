import ArgumentParser
import Foundation
import LuaHost
import SMSClient
import SMSLua
import SMSSimulator

/// Builds the Lua state every command runs in: standard libraries, then `sms`, `json`,
/// `log` and `help`, wired to a client for the real API or to the in-process simulator.
struct ScriptSession {
    let lua: LuaState
    let environment: SMSEnvironment

    static let defaultBaseURL = "https://me-sms.com"

    /// - Parameter requestsLog: a file that gets every API request as a JSON line (for `run_script`).
    init(options: SessionOptions, dryRun: Bool = false, requestsLog: String? = nil,
         environment env: [String: String] = ProcessInfo.processInfo.environment) throws {
        lua = try LuaState()
        let clock: SMSClock
        let makeClient: () throws -> SMSClient
        if options.sandbox {
            let virtual = VirtualClock()
            clock = virtual
            makeClient = {
                let config = SimulatorConfig()
                let engine = SimulatorEngine(config: config, clock: virtual)
                return SMSClient(transport: ScriptSession.logged(SimulatorTransport(engine: engine), to: requestsLog),
                                 apiKey: config.apiKey, clock: virtual)
            }
        } else {
            let system = SystemClock()
            clock = system
            let baseURL = options.baseURL ?? env["SMSH_BASE_URL"] ?? ScriptSession.defaultBaseURL
            let apiKey = env["SMSH_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
            makeClient = {
                guard let apiKey else {
                    throw SMSError(status: nil, code: "NO_API_KEY",
                                   message: "no API key: set SMSH_API_KEY, or try the simulator with --sandbox", retryable: false)
                }
                return SMSClient(transport: ScriptSession.logged(HTTPTransport(baseURL: baseURL), to: requestsLog),
                                 apiKey: apiKey, clock: system)
            }
        }
        environment = SMSEnvironment(
            clock: clock, dryRun: dryRun, progress: .forTerminal(quiet: options.quiet), client: makeClient)
        try lua.install(SMSModule(environment: environment))
        try lua.install(JSONModule())
        environment.maskNumbers = options.maskNumbers
        try lua.install(LogModule(format: options.logFormat, clock: clock, maskNumbers: options.maskNumbers))
        HelpFunction.install(in: lua) { print($0) }
        if clock is VirtualClock { try SessionClock.install(in: lua, clock: clock) }
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
            if case .table(let t) = error.value { code = t["code"]?.stringValue }
            throw ExitCode(ExitCodes.forError(code: code))
        }
    }
}

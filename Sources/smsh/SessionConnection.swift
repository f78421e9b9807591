import CLuaShim
import SMSClient
import SMSConfig
import SMSFixtures
import SMSLua
import SMSOperations
import SMSSimulator
import SMSState

/// The API side of a session, built in one place for scripts (`ScriptSession` adds Lua on
/// top) and the one-off commands (`smsh send`, `smsh credit`, ...): the settings in effect,
/// the client (real API, `--sandbox`, `--dry-run` answers, or a cassette), the clock, and the
/// `SendGate` (send-once journal in the connection's scope, budget, dry-run plan), so a
/// command and a script against the same API share one journal and one set of rules.
struct SessionConnection {
    /// The settings in effect (flags, environment, profile), each with its source.
    let config: EffectiveConfig
    /// The client, clock and gates; the commands use it as the `sms` module does.
    let environment: SMSEnvironment
    /// The cassette session when recording or replaying; saved by the owner.
    let fixture: FixtureSession?
    /// Every API attempt of the session, for `--summary`.
    let counters: RequestCounters
    let clock: SMSClock
    /// The run's one limiter for its API target: in-flight cap, rate, backoff on 429.
    let limiter: AdaptiveLimiter

    init(options: SessionSettings, dryRun: Bool = false, requestsLog: String? = nil, fixture fixtureOptions: FixtureOptions? = nil,
         maxCredits: Double? = nil, readConfig: Bool = true, config resolved: EffectiveConfig? = nil,
         environment env: Environment = .process) throws {
        if let resolved {
            config = resolved
        } else {
            config = try readConfig
                ? EffectiveConfig.resolve(commandLine: options.commandLine(maxCredits: maxCredits), environment: env)
                : EffectiveConfig.resolve(commandLine: options.commandLine(maxCredits: maxCredits), environment: env,
                                          file: ConfigFile(), paths: ConfigPaths(environment: env), configFound: false)
        }
        let config = self.config
        var live = LiveConnection(config: config, environment: env)
        // Specs and fixtures record and replay from a sandbox that starts empty every run.
        if fixtureOptions != nil { live.persistent = nil }
        let clock: SMSClock
        let makeClient: () throws -> SMSClient
        let counters = RequestCounters()
        let retry = RetryPolicy(maxAttempts: config.retries.value + 1)
        var limiterClock: SMSClock = ScriptSession.systemClock()
        // Send-once keys belong to one API and account; a pure replay journals in memory so
        // it answers the same way every time.
        var journal = SessionConnection.journal(scope: live.scope, stateURL: config.stateURL.value, environment: env)
        if let fixtureOptions {
            // Pure replay needs no live side; its virtual clock starts when the cassette was recorded.
            let replayOnly = fixtureOptions.mode == .none
                || (fixtureOptions.mode == .once && CassetteFile.exists(fixtureOptions.path))
            var sessionClock: SMSClock = live.sandbox ? VirtualClock() : ScriptSession.systemClock()
            var liveTransport: Transport? = nil
            if replayOnly {
                let cassette = try CassetteFile.load(fixtureOptions.path)
                sessionClock = VirtualClock(start: cassette.recordedAt)
                journal = .inMemory(scope: StateScope(api: "replay:" + ScriptSession.absolute(fixtureOptions.path), account: ""))
                SessionConnection.configure(&journal, environment: env)
                // The keys the recording run's journal answered are answered the same way.
                try journal.seed(cassette.journal.map { ($0.key, $0.result) }, at: cassette.recordedAt)
            } else {
                try ScriptSession.checkWritable(cassette: fixtureOptions.path)
                liveTransport = ScriptSession.traced(
                    try live.transport(clock: sessionClock), options: options, live: live, clock: sessionClock)
            }
            let session = try FixtureSession(
                path: fixtureOptions.path, mode: fixtureOptions.mode, live: liveTransport, secrets: live.secrets,
                maskNumbers: config.maskNumbers.value, now: sessionClock.now())
            fixture = session
            // The journal stays on while recording (switching it off could send twice); what
            // it answers goes into the cassette for replay.
            if session.isRecording { journal.answered = { [session] key, result in session.journalAnswered(key: key, result: result) } }
            clock = sessionClock
            limiterClock = sessionClock
            let limiter = AdaptiveLimiter(cap: config.concurrency.value, maxRate: config.maxRate.value, clock: limiterClock, interrupted: { smsh_sigint_pending() != 0 })
            self.limiter = limiter
            let client = SMSClient(transport: ScriptSession.logged(session.transport, to: requestsLog),
                                   apiKey: live.apiKey ?? "", clock: sessionClock, retry: retry, counters: counters, pacing: limiter)
            makeClient = { client }
        } else {
            fixture = nil
            // A dry run's sends are answered by a simulator on virtual time, so waiting on them
            // takes none.
            clock = live.sandbox || dryRun ? VirtualClock() : ScriptSession.systemClock()
            limiterClock = clock
            let limiter = AdaptiveLimiter(cap: config.concurrency.value, maxRate: config.maxRate.value, clock: limiterClock, interrupted: { smsh_sigint_pending() != 0 })
            self.limiter = limiter
            makeClient = SessionConnection.liveClient(
                live: live, clock: clock, dryRun: dryRun, options: options, requestsLog: requestsLog, retry: retry, counters: counters,
                pacing: limiter)
        }
        self.counters = counters
        self.clock = clock
        environment = SMSEnvironment(
            clock: clock, dryRun: dryRun, progress: .forTerminal(quiet: options.quiet || options.logFormat == .json), journal: journal, client: makeClient)
        environment.gate.dryRunAnswers = dryRun && fixtureOptions == nil
        environment.maskNumbers = config.maskNumbers.value
        let mask = config.maskNumbers.value
        // The persistent sandbox knows the uuids of earlier runs: a replayed key there needs no warning.
        if live.persistent == nil {
            environment.gate.warn = { StderrMessages.warning(mask ? NumberMasking.mask($0) : $0) }
        }
        environment.defaultSender = config.sender.value
        environment.concurrency = config.concurrency.value
        environment.confirmThreshold = SendEstimate(
            recipients: config.confirmRecipients.value, parts: 0, credits: config.confirmCredits.value)
        if let cap = config.maxCredits.value {
            environment.budget = Budget(cap: cap)
            environment.dryRunPlan?.budget = environment.budget
        }
    }
}

extension SessionConnection {
    /// The send-once journal of one API target, in the state store (opened on first use).
    static func journal(scope: StateScope, stateURL: String?, environment env: Environment) -> SendOnceJournal {
        var journal = SendOnceJournal(scope: scope, store: { try StateStores.open(url: stateURL, environment: env) })
        configure(&journal, environment: env)
        return journal
    }

    /// Ctrl-C ends a wait for another run's key; the crash tests' pause after an intent.
    static func configure(_ journal: inout SendOnceJournal, environment env: Environment) {
        if let pause = env["SMSH_TEST_PAUSE_AFTER_INTENT"], let seconds = Double(pause) { journal.pauseAfterIntent = seconds }
        journal.interrupted = { smsh_sigint_pending() != 0 }
        journal.lostOutcome = { message, uuid in
            StderrMessages.error(message + "; its key stays uncertain for `smsh journal reconcile`", code: "STATE_STORE",
                                 fields: ["uuid": .string(uuid)])
        }
    }

    /// Makes the client of a live (API or sandbox) target on first use.
    static func liveClient(live: LiveConnection, clock: SMSClock, dryRun: Bool, options: SessionSettings, requestsLog: String?,
                           retry: RetryPolicy, counters: RequestCounters, pacing: RequestPacing? = nil) -> () throws -> SMSClient {
        {
            var transport = try live.transport(clock: clock)
            if dryRun { transport = DryRunTransport(wrapping: transport, clock: clock) }
            return SMSClient(transport: ScriptSession.logged(
                          ScriptSession.traced(transport, options: options, live: live, clock: clock),
                          to: requestsLog),
                      apiKey: live.apiKey, clock: clock, retry: retry, counters: counters, pacing: pacing)
        }
    }
}

/// Where live requests go: the in-process simulator (`--sandbox`, or a profile's `sandbox`)
/// or the API over HTTP (base URL and key as `EffectiveConfig` resolved them).
struct LiveConnection {
    let sandbox: Bool
    let baseURL: String
    let apiKey: String?
    /// Why the profile's key is missing, for the error message.
    let apiKeyProblem: String?
    /// Private CA files to trust besides the system's: the profile's `ca_file` and
    /// `SSL_CERT_FILE`, together.
    let caFiles: [String]
    /// The HTTP proxy (if any) and why (`HTTPS_PROXY`, a profile's `proxy`, NO_PROXY, ...).
    let proxy: ProxyRoute
    /// Seconds without a byte from the server (`--timeout`, a profile's `timeout`).
    let timeout: Double
    /// The run's in-flight cap: the HTTP connection pool is sized to it.
    let concurrency: Int
    /// The sandbox's account: its starting credit and seed (`--sandbox-credit`, `--sandbox-seed`).
    let simulator: SimulatorConfig

    /// The persistent sandbox account's settings (`PersistentSandbox`); nil for an API, and
    /// for the in-memory sandbox of specs and fixtures.
    var persistent: (config: EffectiveConfig, environment: Environment)?

    init(config: EffectiveConfig, environment env: Environment = .process) {
        sandbox = config.sandbox.value
        persistent = sandbox && !PersistentSandbox.isEphemeral(env) ? (config, env) : nil
        var simulator = SimulatorConfig(seed: config.sandboxSeed.value, startingCredit: config.sandboxCredit.value)
        simulator.startsEmptyEveryRun = true
        // Uuids unique across runs (the journal keeps sandbox keys across runs); outcomes stay seeded.
        simulator.uuidSeed = UInt64.random(in: 0...UInt64.max)
        self.simulator = simulator
        timeout = config.timeout.value
        concurrency = config.concurrency.value
        baseURL = config.baseURL.value
        apiKey = sandbox ? SimulatorConfig().apiKey : config.apiKey.value
        apiKeyProblem = config.apiKeyProblem
        caFiles = config.extraCAFiles
        proxy = sandbox ? .direct(reason: "the sandbox runs in process", source: .builtIn) : config.proxy
    }

    /// The state-store scope of this connection: the sandbox, or the base URL and a digest of
    /// the API key (never the key).
    var scope: StateScope {
        if sandbox { return .sandbox }
        var api = baseURL.lowercased()
        while api.hasSuffix("/") { api.removeLast() }
        return StateScope(api: api, account: apiKey.map { AccountDigest.of(apiKey: $0) } ?? "")
    }

    /// Strings that must never be written anywhere (cassettes, logs, history).
    var secrets: [String] {
        var out = apiKey.map { [$0] } ?? []
        if let password = proxy.proxyURL?.password, !password.isEmpty { out.append(password) }
        return out
    }

    func transport(clock: SMSClock) throws -> Transport {
        if sandbox, let persistent {
            return try PersistentSandbox.transport(simulator: simulator, config: persistent.config, environment: persistent.environment,
                                                   clock: clock)
        }
        if sandbox {
            return SimulatorTransport(engine: SimulatorEngine(config: simulator, clock: clock))
        }
        guard apiKey != nil else {
            let hint = apiKeyProblem.map { "\($0); set it, or SMSH_API_KEY" } ?? "set SMSH_API_KEY or a profile's api_key_env"
            throw SMSError(status: nil, code: "NO_API_KEY",
                           message: "no API key: \(hint), or try the simulator with --sandbox", retryable: false, notSent: true)
        }
        var httpProxy: HTTPProxy?
        switch proxy {
        case .direct: break
        case .proxy(let url, _):
            httpProxy = HTTPProxy(host: url.host, port: url.port, username: url.username, password: url.password)
        case .invalid(let message, _):
            throw SMSError(status: nil, code: SMSError.Code.proxy, message: message, retryable: false, notSent: true)
        }
        return HTTPTransport(baseURL: baseURL, readTimeout: timeout, caFiles: caFiles, proxy: httpProxy, connectionsPerHost: concurrency)
    }
}

import CLuaShim
import SMSClient
import SMSConfig
import SMSLua
import SMSOperations

extension ScriptSession {
    /// The same session pointed at the target `options` name (the REPL's `:sandbox` and
    /// `:profile NAME`): the Lua state with every global, the `sms` table plugins were set
    /// up with, and the plugins stay; the client, clock, send-once journal scope (sandbox, or
    /// the profile's API and account) and the profile's defaults change. A config problem
    /// throws and leaves this session as it was.
    func retargeted(options: SessionSettings, environment env: Environment = .process) throws -> ScriptSession {
        let config = try EffectiveConfig.resolve(commandLine: options.commandLine(maxCredits: nil), environment: env)
        let live = LiveConnection(config: config)
        let wasVirtual = environment.clock is VirtualClock
        let clock: SMSClock = live.sandbox ? VirtualClock() : ScriptSession.systemClock()
        let counters = RequestCounters()
        let limiter = AdaptiveLimiter(cap: config.concurrency.value, maxRate: config.maxRate.value, clock: clock, interrupted: { smsh_sigint_pending() != 0 })
        let client = SessionConnection.liveClient(
            live: live, clock: clock, dryRun: false, options: options, requestsLog: nil,
            retry: RetryPolicy(maxAttempts: config.retries.value + 1), counters: counters, pacing: limiter)
        environment.retarget(clock: clock, journal: SessionConnection.journal(scope: live.scope, stateURL: config.stateURL.value, environment: env), client: client)
        environment.maskNumbers = config.maskNumbers.value
        environment.defaultSender = config.sender.value
        environment.concurrency = config.concurrency.value
        environment.confirmThreshold = SendEstimate(
            recipients: config.confirmRecipients.value, parts: 0, credits: config.confirmCredits.value)
        // The new profile's cap starts a new budget; without one, the budget set so far stays.
        if let cap = config.maxCredits.value { environment.budget = Budget(cap: cap) }
        // os.time()/os.date() follow the session clock once installed (it reads the
        // environment's clock each call), so it is added only when time first turns virtual.
        if !wasVirtual, clock is VirtualClock { try SessionClock.install(in: lua, environment: environment) }
        logClock.target = clock
        return ScriptSession(lua: lua, environment: environment, config: config, plugins: plugins, counters: counters, limiter: limiter, logClock: logClock)
    }
}

import LuaHost
import SMSClient
import SMSOperations
import SMSState

/// What the Lua bindings work with, passed in (never found through globals): the client,
/// made on first use so `smsh -e ''` starts fast; the clock (virtual in the sandbox and under
/// replay); the dry-run plan when `--dry-run` is on; progress reporting.
public final class SMSEnvironment {
    /// The session clock (the override's while one is active).
    public var clock: SMSClock { override?.clock ?? baseClock }
    private var baseClock: SMSClock
    private var makeClient: () throws -> SMSClient
    private var cachedClient: SMSClient?
    private var override: (client: SMSClient, clock: SMSClock)?
    /// The gates every send passes (journal, budget, confirmation, dry run), shared with the
    /// one-off commands.
    public let gate: SendGate
    public let progress: ProgressReporter
    /// Non-nil under `smsh run --dry-run`: sends become previews and are recorded here.
    public var dryRunPlan: DryRunPlan? { gate.dryRunPlan }
    /// The run's credit cap (`--max-credits`, `max_credits`, `sms.budget`); nil = none.
    public var budget: Budget? {
        get { gate.budget }
        set { gate.budget = newValue }
    }
    /// Where `once = "key"` sends are recorded.
    public var journal: SendOnceJournal { gate.journal }
    /// Asked before a large interactive send (the REPL sets it; scripts never prompt).
    public var confirmLargeSend: ((SendEstimate) -> Bool)? {
        get { gate.confirmLargeSend }
        set { gate.confirmLargeSend = newValue }
    }
    public var confirmThreshold: SendEstimate {
        get { gate.confirmThreshold }
        set { gate.confirmThreshold = newValue }
    }
    /// Mask phone numbers in error messages (`--mask-numbers`).
    public var maskNumbers = false
    /// The sender `sms.send` uses when the script gives none (a profile's `sender`).
    public var defaultSender: String?
    /// The run's cap on requests in flight (`--concurrency`, profile `concurrency`): no call,
    /// task or engine exceeds it.
    public var concurrency = 64 {
        didSet { tasks?.concurrency = concurrency }
    }
    /// What calls that take their own `concurrency` (campaign, `sms.map`, `wait_all`) use
    /// when given none.
    public static let defaultCallConcurrency = 8
    /// The task scheduler (`sms.spawn`, `sms.join`, `sms.map`), made when `sms` opens.
    public internal(set) var tasks: LuaTaskScheduler?

    /// - Parameter journal: the session's send-once journal (its scope); by default a
    ///   private in-memory one, as tests and replays want.
    public init(
        clock: SMSClock, dryRun: Bool = false, progress: ProgressReporter = .silent,
        journal: SendOnceJournal = .inMemory(scope: StateScope(api: "memory", account: "")),
        client: @escaping () throws -> SMSClient
    ) {
        self.baseClock = clock
        self.makeClient = client
        self.progress = progress
        // The gate reaches the client and clock through the environment (a fixture may swap
        // them); weakly, so the two do not keep each other alive.
        weak var environment: SMSEnvironment?
        gate = SendGate(
            client: {
                guard let environment else { throw SMSError(status: nil, code: "CLOSED", message: "the session has ended", retryable: false, notSent: true) }
                return try environment.client()
            },
            clock: { environment?.clock ?? clock }, journal: journal, dryRun: dryRun, progress: progress)
        environment = self
    }

    public func client() throws -> SMSClient {
        if let override { return override.client }
        if let cachedClient { return cachedClient }
        let c = try makeClient()
        cachedClient = c
        return c
    }

    /// Points the session at another API target (the REPL's `:sandbox` and `:profile NAME`):
    /// the Lua state, its globals and the `sms` table stay; the client is made anew on first
    /// use, and send-once keys go to the new target's journal scope.
    public func retarget(clock: SMSClock, journal: SendOnceJournal, client: @escaping () throws -> SMSClient) {
        baseClock = clock
        makeClient = client
        cachedClient = nil
        gate.journal = journal
    }

    /// Routes every binding to another client and clock until `endOverride` (a test's fixture).
    /// The fixture's sends are journaled apart, in memory, so a spec's once-keys never touch
    /// the operator's state nor another spec's.
    public func beginOverride(client: SMSClient, clock: SMSClock, journal: SendOnceJournal? = nil) {
        override = (client, clock)
        savedJournal = gate.journal
        gate.journal = journal ?? .inMemory(scope: StateScope(api: "fixture", account: ""))
    }
    public func endOverride() {
        override = nil
        if let savedJournal { gate.journal = savedJournal }
        savedJournal = nil
    }
    private var savedJournal: SendOnceJournal?
}

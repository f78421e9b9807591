/// How a simulator instance behaves. Every field defaults to the demo set-up, so
/// `SimulatorConfig()` is what `smsh serve` and `--sandbox` run without options.
public struct SimulatorConfig: Sendable {
    /// Seeds every simulated outcome (delivery statuses and delays, uuids).
    public var seed: UInt64
    /// The key with scope `*`. `sk_test_smsh_sendonly` (scope `sms:send`) and
    /// `sk_test_smsh_readonly` (no send scope) always exist as well.
    public var apiKey: String
    /// Credit balance at start and after `/_sim/reset`.
    public var startingCredit: Double
    /// Shares of final delivery statuses for deliverable numbers, by status name
    /// (`success`, `failed`, `expired`, `timeout`; `invalid` and `blocked` are allowed too).
    /// Normalised by their sum.
    public var outcomes: [String: Double]
    /// Virtual seconds from a message's start until a recipient's delivery report.
    public var deliveryDelay: ClosedRange<Double>
    /// Requests per second allowed per API key (token bucket); nil means unlimited.
    public var rateLimit: Int?
    /// Fault injection on `/api/` routes; none by default.
    public var faults: FaultConfig
    /// A delay added to every `/api/` answer (`smsh serve --latency`); none by default, so the
    /// in-process sandbox stays instant. In process it is waited out on the engine's clock.
    public var latency: Latency = .none
    /// How many times faster than `deliveryDelay` reports arrive (`smsh serve --time-scale`):
    /// with 60, a report due after 120 virtual seconds arrives after 2. Only delivery is
    /// scaled: timestamps, the rate limit and `/_sim/advance` stay on the engine's clock.
    public var timeScale: Double = 1
    /// Accept every sender name (the dry-run answerer: a real account's senders are not demo data).
    public var acceptsAnySender = false
    /// The in-process sandbox of one run (`--sandbox`): its account starts empty every run
    /// while the send-once journal keeps sandbox keys, so a replayed key or a resumed campaign
    /// hands it uuids from an earlier run. Its NOT_FOUND for a message then says so and how to
    /// move on. `smsh serve` keeps its messages as long as it runs and leaves this false.
    public var startsEmptyEveryRun = false
    /// Seeds message uuids when set (else `seed` does). `--sandbox` sets a random one per
    /// run, so a run's uuids are its own and never those of an earlier run (which the
    /// journal may still hold), while outcomes stay a function of `seed`.
    public var uuidSeed: UInt64?

    /// The demo outcome shares: 90% success, 5% failed, 2% expired, 3% timeout.
    public static let defaultOutcomes: [String: Double] = ["success": 0.90, "failed": 0.05, "expired": 0.02, "timeout": 0.03]

    public init(
        seed: UInt64 = 1,
        apiKey: String = "sk_test_smsh_demo",
        startingCredit: Double = 10_000,
        outcomes: [String: Double] = SimulatorConfig.defaultOutcomes,
        deliveryDelay: ClosedRange<Double> = 5...120,
        rateLimit: Int? = nil,
        faults: FaultConfig = FaultConfig()
    ) {
        self.seed = seed
        self.apiKey = apiKey
        self.startingCredit = startingCredit
        self.outcomes = outcomes
        self.deliveryDelay = deliveryDelay
        self.rateLimit = rateLimit
        self.faults = faults
    }
}

import SMSClient

/// What the Lua bindings work with, passed in (never found through globals): the client,
/// made on first use so `smsh -e ''` starts fast; the clock (virtual in the sandbox and under
/// replay); the dry-run plan when `--dry-run` is on; progress reporting.
public final class SMSEnvironment {
    /// The session clock (the override's while one is active).
    public var clock: SMSClock { override?.clock ?? baseClock }
    private let baseClock: SMSClock
    private let makeClient: () throws -> SMSClient
    private var cachedClient: SMSClient?
    private var override: (client: SMSClient, clock: SMSClock)?
    /// Non-nil under `smsh run --dry-run`: sends become previews and are recorded here.
    public let dryRunPlan: DryRunPlan?
    public let progress: ProgressReporter
    /// The run's credit cap (`--max-credits`, `max_credits`, `sms.budget`); nil = none.
    public var budget: Budget?
    /// Where `once = "key"` sends are recorded.
    public lazy var journal = SendJournal(path: SendJournal.defaultPath())
    /// Asked before a large interactive send (the REPL sets it; scripts never prompt).
    public var confirmLargeSend: ((SendEstimate) -> Bool)?
    /// Mask phone numbers in error messages (`--mask-numbers`).
    public var maskNumbers = false
    public var confirmThreshold = SendEstimate(recipients: 1_000, parts: 0, credits: 1_000)
    /// The sender `sms.send` uses when the script gives none (a profile's `sender`).
    public var defaultSender: String?

    public init(
        clock: SMSClock, dryRun: Bool = false, progress: ProgressReporter = .silent,
        client: @escaping () throws -> SMSClient
    ) {
        self.baseClock = clock
        self.makeClient = client
        self.dryRunPlan = dryRun ? DryRunPlan() : nil
        self.progress = progress
    }

    public func client() throws -> SMSClient {
        if let override { return override.client }
        if let cachedClient { return cachedClient }
        let c = try makeClient()
        cachedClient = c
        return c
    }

    /// Routes every binding to another client and clock until `endOverride` (a test's fixture).
    public func beginOverride(client: SMSClient, clock: SMSClock) { override = (client, clock) }
    public func endOverride() { override = nil }
}

/// A run's credit cap and what the run has spent so far.
public struct Budget: Equatable {
    public var cap: Double
    public var spent: Double = 0
    public init(cap: Double) { self.cap = cap }
    public var remaining: Double { max(cap - spent, 0) }
}

/// What a send would take, as a preview says.
public struct SendEstimate: Equatable {
    public var recipients: Int64
    public var parts: Int64
    public var credits: Double
    public init(recipients: Int64, parts: Int64, credits: Double) {
        self.recipients = recipients
        self.parts = parts
        self.credits = credits
    }
}

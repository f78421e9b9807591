import SMSClient

/// What the Lua bindings work with, passed in (never found through globals): the client,
/// made on first use so `smsh -e ''` starts fast; the clock (virtual in the sandbox and under
/// replay); the dry-run plan when `--dry-run` is on; progress reporting.
public final class SMSEnvironment {
    public let clock: SMSClock
    private let makeClient: () throws -> SMSClient
    private var cachedClient: SMSClient?
    /// Non-nil under `smsh run --dry-run`: sends become previews and are recorded here.
    public let dryRunPlan: DryRunPlan?
    public let progress: ProgressReporter

    public init(
        clock: SMSClock, dryRun: Bool = false, progress: ProgressReporter = .silent,
        client: @escaping () throws -> SMSClient
    ) {
        self.clock = clock
        self.makeClient = client
        self.dryRunPlan = dryRun ? DryRunPlan() : nil
        self.progress = progress
    }

    public func client() throws -> SMSClient {
        if let cachedClient { return cachedClient }
        let c = try makeClient()
        cachedClient = c
        return c
    }
}

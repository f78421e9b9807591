import Synchronization

/// How many requests a client made and how many of them were retries, for a run's summary.
/// Shared by the clients of one session (the prefetch thread pages through one too).
public final class RequestCounters: Sendable {
    private let counts = Mutex((calls: 0, retries: 0))

    public init() {}

    func count(attempt: Int) {
        counts.withLock {
            $0.calls += 1
            if attempt > 1 { $0.retries += 1 }
        }
    }

    /// API calls made (every attempt) and retries among them.
    public var totals: (calls: Int, retries: Int) { counts.withLock { ($0.calls, $0.retries) } }
}

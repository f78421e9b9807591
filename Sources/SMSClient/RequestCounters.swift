import Synchronization

/// How many requests a client made and how many of them were retries, for a run's summary,
/// and how each HTTP request ended by operation (`send`, `credit`, ...) and status code
/// (`200`, `429`) or failure class (`NETWORK`, `TIMEOUT`) for `--metrics`.
/// Shared by the clients of one session (the prefetch thread pages through one too).
public final class RequestCounters: Sendable {
    /// One operation and how its request ended.
    public struct Outcome: Hashable, Sendable {
        public var operation: String
        public var code: String
        public init(operation: String, code: String) {
            self.operation = operation
            self.code = code
        }
    }

    private struct Counts {
        var calls = 0
        var retries = 0
        var outcomes: [Outcome: Int] = [:]
    }

    private let counts = Mutex(Counts())

    public init() {}

    func count(attempt: Int) {
        counts.withLock {
            $0.calls += 1
            if attempt > 1 { $0.retries += 1 }
        }
    }

    /// One request of `operation` ended with `code` (an HTTP status, or the failure's code
    /// when no response came). A dictionary bump under the lock the counts already take.
    public func ended(_ operation: APIOperation, code: String) {
        counts.withLock { $0.outcomes[Outcome(operation: operation.rawValue, code: code), default: 0] += 1 }
    }

    /// API calls made (every attempt) and retries among them.
    public var totals: (calls: Int, retries: Int) { counts.withLock { ($0.calls, $0.retries) } }

    /// Requests by operation and outcome.
    public var outcomes: [Outcome: Int] { counts.withLock { $0.outcomes } }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers
#if canImport(Glibc)
import Glibc
#endif

/// How often and how long the client retries a failed request.
///
/// Exponential backoff with full jitter: before attempt n+1 the client waits a random time in
/// `0 ... min(maxDelay, baseDelay * factor^(n-1))`, or the server's `Retry-After` when given.
/// Waiting goes through the client's `SMSClock`, so tests with a `VirtualClock` take no time.
/// The sum of waits never exceeds `maxTotal`: a wait that would pass it ends the retries.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included (1 = never retry).
    public var maxAttempts: Int
    public var baseDelay: Double
    public var factor: Double
    public var maxDelay: Double
    /// Upper bound on the time spent retrying (waits plus the attempts' own time on the clock).
    public var maxTotal: Double
    /// Source of the jitter; seed it for reproducible waits.
    public var jitter: Jitter

    public init(
        maxAttempts: Int = 4, baseDelay: Double = 0.5, factor: Double = 2, maxDelay: Double = 8,
        maxTotal: Double = 30, jitter: Jitter = Jitter()
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.factor = factor
        self.maxDelay = maxDelay
        self.maxTotal = maxTotal
        self.jitter = jitter
    }

    /// 4 attempts, 0.5 s base, factor 2, at most 8 s per wait and 30 s in all.
    public static var `default`: RetryPolicy { RetryPolicy() }

    /// One attempt only.
    public static var never: RetryPolicy { RetryPolicy(maxAttempts: 1) }

    /// The jittered wait after failed attempt number `attempt` (1-based).
    public func backoff(afterAttempt attempt: Int) -> Double {
        let exponent = Double(max(0, attempt - 1))
        let cap = min(maxDelay, baseDelay * pow(factor, exponent))
        return cap * jitter.nextUnit()
    }
}

/// A thread-safe random source in [0, 1) for backoff jitter: seeded (SplitMix64) in tests,
/// from the system generator otherwise.
public final class Jitter: @unchecked Sendable {
    private let lock = NIOLock()
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public convenience init() {
        var system = SystemRandomNumberGenerator()
        self.init(seed: system.next())
    }

    /// A value in [0, 1).
    public func nextUnit() -> Double {
        lock.lock()
        defer { lock.unlock() }
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(UInt64(1) << 53)
    }
}

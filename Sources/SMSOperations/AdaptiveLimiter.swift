import NIOConcurrencyHelpers
import SMSClient
#if canImport(Glibc)
import Glibc
#endif

/// The run's one limiter per API target, shared by every task and the campaign engine:
/// - a cap on requests in flight (`--concurrency`, default 64) that no call can exceed;
/// - an optional fixed rate (`maxRate`, requests per second);
/// - on 429, every sender pauses for Retry-After and the rate drops, then grows back along a
///   cubic curve (botocore's "adaptive" retry mode: `CubicRate`), capped at twice the measured
///   send rate so it cannot run away while idle. The first throttle drops it to 70 % of what
///   was being sent (nothing is known of the server's limit yet); a later one to the rate the
///   server let through since the last pause ended, which is its limit. Answers that arrive
///   while a pause is in force were sent before it and drop nothing more, and paused time
///   does not count in the measured rate: one throttle episode is one decrease.
/// A binding rate limit is therefore used, not wasted (a server's token bucket refills during
/// the pause and is drained right after it), and requests never pile up.
public final class AdaptiveLimiter: RequestPacing, @unchecked Sendable {
    public struct Stats: Equatable, Sendable {
        public var requests = 0
        public var throttled = 0
        public var maxInFlight = 0
        /// Requests per second from the first request to the last answer (0 before two).
        public var effectiveRate = 0.0
        /// The adaptive rate in force (nil until a 429 turned it on), requests per second.
        public var adaptiveRate: Double?
    }

    public let cap: Int
    public let maxRate: Double?
    private let clock: SMSClock
    private let interrupted: () -> Bool
    private let lock = NIOLock()
    private var inFlight = 0
    private var stats = Stats()
    private var pausedUntil = 0.0
    /// Token bucket of the rate in force (fixed, adaptive, or the smaller).
    private var tokens = 1.0
    private var lastRefill: Double?
    private var cubic: CubicRate?
    private var measured = MeasuredRate()
    private var firstRequest: Double?
    private var lastAnswer: Double?
    /// When the last pause ended, and how many answers other than 429 came since.
    private var resumedAt: Double?
    private var acceptedSinceResume = 0

    public init(cap: Int, maxRate: Double? = nil, clock: SMSClock, interrupted: @escaping () -> Bool = { false }) {
        self.cap = max(1, cap)
        self.maxRate = maxRate
        self.clock = clock
        self.interrupted = interrupted
    }

    public var statistics: Stats {
        lock.withLock {
            var s = stats
            if let first = firstRequest, let last = lastAnswer, last > first { s.effectiveRate = Double(s.requests) / (last - first) }
            s.adaptiveRate = cubic.map { min($0.rate(at: clock.now()), max(2 * measured.rate, 0.5)) }
            return s
        }
    }

    /// The rate in force now (nil: no limit but the cap).
    private func currentRate(at now: Double) -> Double? {
        var rate = maxRate
        if let cubic {
            let adaptive = min(cubic.rate(at: now), max(2 * measured.rate, 0.5))
            rate = rate.map { min($0, adaptive) } ?? adaptive
        }
        return rate.map { max($0, 0.5) }
    }

    public func acquire() throws {
        while true {
            if interrupted() { throw ClockInterrupted() }
            let wait: Double? = lock.withLock {
                let now = clock.now()
                if now < pausedUntil { return pausedUntil - now }
                if inFlight >= cap { return 0.001 }
                if let rate = currentRate(at: now) {
                    if let last = lastRefill { tokens = min(max(rate, 1), tokens + (now - last) * rate) }
                    lastRefill = now
                    // (A token within rounding of whole is whole: the clock may not resolve less.)
                    if tokens < 1 - 1e-6 { return max((1 - tokens) / rate, 0.001) }
                    tokens -= 1
                }
                inFlight += 1
                stats.requests += 1
                stats.maxInFlight = max(stats.maxInFlight, inFlight)
                if firstRequest == nil { firstRequest = now }
                measured.record(at: now)
                return nil
            }
            guard let wait else { return }
            if clock is VirtualClock || wait >= 0.05 {
                try clock.sleep(seconds: wait)
            } else {
                usleep(UInt32(max(wait, 0.0005) * 1_000_000))
            }
        }
    }

    public func release(status: Int?, retryAfter: Double?) {
        lock.withLock {
            let now = clock.now()
            inFlight -= 1
            lastAnswer = now
            guard status == 429 else {
                if status != nil, let resumedAt, now >= resumedAt { acceptedSinceResume += 1 }
                return
            }
            stats.throttled += 1
            let newEpisode = now >= pausedUntil
            pausedUntil = max(pausedUntil, now + (retryAfter ?? 1))
            tokens = 0
            if newEpisode {
                // Drop from what was being sent when the server said no.
                let sending = cubic.map { min($0.rate(at: now), max(measured.rate, 0.5)) } ?? max(measured.rate, 1)
                if cubic == nil { cubic = CubicRate(maxRate: sending, at: now) }
                if let resumedAt, now - resumedAt >= 0.2, acceptedSinceResume > 0 {
                    // What the server let through since the last pause: its limit. Resume there.
                    let accepted = Double(acceptedSinceResume) / (now - resumedAt)
                    cubic?.throttled(sendingRate: max(accepted, 0.5) / CubicRate.beta, at: now)
                } else {
                    cubic?.throttled(sendingRate: sending, at: now)
                }
            }
            measured.pause(until: pausedUntil)
            resumedAt = pausedUntil
            acceptedSinceResume = 0
        }
    }
}

/// The cubic rate curve of TCP CUBIC as botocore's adaptive retry mode uses it: after a
/// throttle at rate W, the rate is 0.7 W and grows back as 0.4 (t - K)^3 + W, reaching W
/// after K = cbrt(W 0.3 / 0.4) seconds and probing above it after that.
struct CubicRate: Equatable {
    static let scale = 0.4
    static let beta = 0.7
    private(set) var maxRate: Double
    private var k: Double
    private var lastThrottle: Double
    /// The rate right after the last throttle.
    private(set) var droppedRate: Double

    init(maxRate: Double, at now: Double) {
        self.maxRate = maxRate
        droppedRate = maxRate
        lastThrottle = now
        k = Self.zeroPoint(maxRate)
    }

    static func zeroPoint(_ w: Double) -> Double { Foundationless.cbrt(w * (1 - beta) / scale) }

    mutating func throttled(sendingRate: Double, at now: Double) {
        maxRate = sendingRate
        k = Self.zeroPoint(sendingRate)
        lastThrottle = now
        droppedRate = sendingRate * Self.beta
    }

    func rate(at now: Double) -> Double {
        let dt = now - lastThrottle
        return max(0.5, Self.scale * Foundationless.cube(dt - k) + maxRate)
    }
}

/// Requests started per second, smoothed over half-second buckets (0.8 new, 0.2 old); time
/// spent in a pause is not counted.
struct MeasuredRate {
    private var bucketStart: Double?
    private var count = 0
    private(set) var rate = 0.0

    mutating func record(at now: Double) {
        guard let start = bucketStart else {
            bucketStart = now
            count = 1
            return
        }
        count += 1
        let elapsed = now - start
        if elapsed >= 0.5 {
            rate = 0.8 * (Double(count) / elapsed) + 0.2 * rate
            bucketStart = now
            count = 0
        }
    }

    /// Nothing is sent until `until`: the bucket open now is dropped and the next starts then.
    mutating func pause(until: Double) {
        guard bucketStart != nil else { return }
        bucketStart = until
        count = 0
    }
}

enum Foundationless {
    static func cbrt(_ x: Double) -> Double { Glibc.cbrt(x) }
    static func cube(_ x: Double) -> Double { x * x * x }
}

/// A token bucket per API key on the simulator's clock: `rate` requests per second, bursts
/// of up to `rate`.
struct RateLimiter {
    let rate: Double
    private var buckets: [String: (tokens: Double, at: Double)] = [:]

    init(requestsPerSecond: Int) { rate = Double(max(1, requestsPerSecond)) }

    /// nil when the request may proceed; otherwise the whole seconds to wait (≥ 1).
    mutating func admit(key: String, now: Double) -> Int? {
        var bucket = buckets[key] ?? (tokens: rate, at: now)
        if now > bucket.at {
            bucket.tokens = min(rate, bucket.tokens + (now - bucket.at) * rate)
            bucket.at = now
        }
        defer { buckets[key] = bucket }
        if bucket.tokens >= 1 {
            bucket.tokens -= 1
            return nil
        }
        return max(1, Int(((1 - bucket.tokens) / rate).rounded(.up)))
    }
}

/// What the client asks before each attempt and tells after it: the run's limiter (one per
/// API target and run, `SMSOperations.AdaptiveLimiter`), shared by every task and the
/// campaign engine. The client stays free of policy: it only reports what happened.
public protocol RequestPacing: AnyObject, Sendable {
    /// Blocks until one more request may go out (a slot under the in-flight cap, a token of
    /// the rate, the end of a pause after 429). Throws when the run is interrupted.
    func acquire() throws
    /// The attempt is over: its HTTP status (nil when no response came) and, for 429, the
    /// server's Retry-After in seconds.
    func release(status: Int?, retryAfter: Double?)
}

import SMSClient

/// A round-trip delay added to every `/api/` answer, so the simulator behaves like a provider
/// in another region (`smsh serve --latency MS[:JITTER]`). Requests wait out their delay
/// concurrently: 32 requests in flight take about `milliseconds`, not 32 times it.
///
/// Each answer waits a delay drawn uniformly from `milliseconds ± jitterMilliseconds`, from the
/// simulator's seed and the request's arrival number, so a run's sequence of delays is
/// reproducible. Not a fault: setting faults leaves it alone unless the latency keys are given.
public struct Latency: Sendable, Equatable {
    public var milliseconds: Double
    public var jitterMilliseconds: Double

    /// No delay: what `--sandbox` and `smsh serve` without `--latency` run with.
    public static let none = Latency(milliseconds: 0)

    /// One hour: far beyond any client timeout, and keeps a typo from hanging a test for days.
    public static let maxMilliseconds: Double = 3_600_000

    /// JSON keys in `/_sim/faults`.
    static let millisecondsKey = "latencyMs"
    static let jitterKey = "jitterMs"

    public init(milliseconds: Double, jitterMilliseconds: Double = 0) {
        self.milliseconds = milliseconds
        self.jitterMilliseconds = jitterMilliseconds
    }

    public var isNone: Bool { milliseconds == 0 && jitterMilliseconds == 0 }

    /// Parses `MS` or `MS:JITTER` (milliseconds, decimals allowed), e.g. `50` or `50:10`.
    public static func parse(spec: String) throws -> Latency {
        let parts = spec.trimmingSpaces.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            .map { String($0).trimmingSpaces }
        guard let ms = Double(parts[0]) else {
            throw LatencyError("'\(spec)' is not MS or MS:JITTER (milliseconds, e.g. 50 or 50:10)")
        }
        var latency = Latency(milliseconds: ms)
        if parts.count == 2 {
            guard let jitter = Double(parts[1]) else { throw LatencyError("jitter '\(parts[1])' is not a number of milliseconds") }
            latency.jitterMilliseconds = jitter
        }
        try latency.validate()
        return latency
    }

    func validate() throws {
        guard milliseconds.isFinite, milliseconds >= 0, milliseconds <= Self.maxMilliseconds else {
            throw LatencyError("latency \(milliseconds) ms is not within 0...\(Int(Self.maxMilliseconds)) ms")
        }
        guard jitterMilliseconds.isFinite, jitterMilliseconds >= 0 else {
            throw LatencyError("jitter \(jitterMilliseconds) ms must be a number >= 0")
        }
        guard jitterMilliseconds <= milliseconds else {
            throw LatencyError("jitter \(jitterMilliseconds) ms is larger than the latency \(milliseconds) ms (a delay cannot be negative)")
        }
    }

    /// The delay in seconds for the `draw`-th `/api/` request: uniform in [MS-J, MS+J].
    func seconds(seed: UInt64, draw: UInt64) -> Double {
        guard jitterMilliseconds > 0 else { return milliseconds / 1000 }
        let u = SeededHash.unit(SeededHash.hash(seed, 0x1A7E_0C1, draw))
        return (milliseconds - jitterMilliseconds + 2 * jitterMilliseconds * u) / 1000
    }

    /// `{"latencyMs": MS, "jitterMs": J}`, merged into `GET /_sim/faults`.
    var jsonFields: [String: JSONValue] {
        [Self.millisecondsKey: .double(milliseconds), Self.jitterKey: .double(jitterMilliseconds)]
    }

    /// Takes the latency keys out of a `/_sim/faults` body, leaving the fault keys: a key that
    /// is absent keeps its value from `current` (`{"latencyMs": 0}` turns latency off).
    static func take(from object: inout [String: JSONValue], current: Latency) throws -> Latency {
        var latency = current
        if let value = object.removeValue(forKey: millisecondsKey) {
            guard let ms = value.doubleValue else { throw LatencyError("\(millisecondsKey) must be a number of milliseconds") }
            latency.milliseconds = ms
            // A new latency without a jitter means none, rather than an old jitter that may not fit.
            if object[jitterKey] == nil { latency.jitterMilliseconds = 0 }
        }
        if let value = object.removeValue(forKey: jitterKey) {
            guard let jitter = value.doubleValue else { throw LatencyError("\(jitterKey) must be a number of milliseconds") }
            latency.jitterMilliseconds = jitter
        }
        try latency.validate()
        return latency
    }
}

/// A latency spec or latency JSON that could not be understood.
public struct LatencyError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = "invalid latency: " + description }
}

import SMSClient

/// Faults injected into `/api/` requests, for testing a client's reliability.
///
/// First the `script` is played, one entry per API request, in order; then each request
/// draws from the shares (deterministically from `seed`). Shares are fractions in 0...1 of
/// API requests and must sum to at most 1.
///
/// Script entries: `"429"`, `"500"`, `"503"` (that status; the request is not applied; the 429
/// carries `Retry-After: 1`), `"429-no-retry-after"` (a 429 without `Retry-After`),
/// `"drop-before"` (connection closed without a response, request NOT applied),
/// `"drop-after"` (request applied, then the connection closed without a response),
/// `"malformed"` (request applied, response body cut short so it is not valid JSON),
/// `"slow"` (request applied, response delayed by `slowSeconds`),
/// `"non-json"` (request applied, answered 200 with an HTML page instead of the JSON result, as
/// from a misbehaving gateway).
/// A `drop` share picks drop-before or drop-after at random (seeded).
public struct FaultConfig: Sendable, Equatable {
    public var error500: Double
    public var error503: Double
    public var slow: Double
    /// How long a slow response is delayed (seconds; virtual under a virtual clock).
    public var slowSeconds: Double
    public var drop: Double
    public var malformed: Double
    /// Share of requests answered 429 with `Retry-After: 1` (not applied).
    public var error429: Double
    public var seed: UInt64
    public var script: [String]

    /// Script entries that `script` may contain.
    public static let scriptEntries: Set<String> = [
        "429", "429-no-retry-after", "500", "503", "drop-before", "drop-after", "malformed", "slow", "non-json",
    ]

    public init(
        error500: Double = 0, error503: Double = 0, slow: Double = 0, slowSeconds: Double = 2, drop: Double = 0,
        malformed: Double = 0, error429: Double = 0, seed: UInt64 = 1, script: [String] = []
    ) {
        self.error500 = error500
        self.error503 = error503
        self.slow = slow
        self.slowSeconds = slowSeconds
        self.drop = drop
        self.malformed = malformed
        self.error429 = error429
        self.seed = seed
        self.script = script
    }

    /// True when no fault can happen.
    public var isNone: Bool {
        script.isEmpty && error500 == 0 && error503 == 0 && slow == 0 && drop == 0 && malformed == 0 && error429 == 0
    }

    /// Parses a command-line spec: comma-separated `key=value` with keys `429`, `500`, `503`, `drop`,
    /// `malformed`, `slow` (`share` or `share:seconds`), `seed`, and `script` (entries separated
    /// by `;`), e.g. `500=0.1,503=0.05,drop=0.02,slow=0.1:2,malformed=0.01,seed=7`.
    /// An empty spec or `none` means no faults.
    public static func parse(spec: String) throws -> FaultConfig {
        var config = FaultConfig()
        let trimmed = spec.trimmingSpaces
        if trimmed.isEmpty || trimmed == "none" { return config }
        for item in trimmed.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces }
            guard parts.count == 2, !parts[0].isEmpty else {
                throw FaultConfigError("'\(item)' is not key=value")
            }
            let key = parts[0], value = parts[1]
            switch key {
            case "429", "error429": config.error429 = try share(value, key)
            case "500", "error500": config.error500 = try share(value, key)
            case "503", "error503": config.error503 = try share(value, key)
            case "drop": config.drop = try share(value, key)
            case "malformed": config.malformed = try share(value, key)
            case "slow":
                let pieces = value.split(separator: ":", maxSplits: 1).map(String.init)
                config.slow = try share(pieces.first ?? "", key)
                if pieces.count == 2 { config.slowSeconds = try seconds(pieces[1], "slow seconds") }
            case "slowSeconds": config.slowSeconds = try seconds(value, key)
            case "seed":
                guard let s = UInt64(value) else { throw FaultConfigError("seed '\(value)' is not a non-negative integer") }
                config.seed = s
            case "script":
                config.script = value.split(separator: ";").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
            default:
                throw FaultConfigError("unknown fault '\(key)' (expected 429, 500, 503, drop, slow, malformed, seed, script)")
            }
        }
        try config.validate()
        return config
    }

    /// Reads the JSON form: `{"error500":0.1,"error503":0,"slow":0.1,"slowSeconds":2,"drop":0,
    /// "malformed":0,"seed":7,"script":["500","drop-after"]}`; every key optional (keys `500` and
    /// `503` are accepted too).
    public init(json: JSONValue) throws {
        guard case .object(let object) = json else { throw FaultConfigError("faults must be a JSON object") }
        self.init()
        for (key, value) in object {
            func number() throws -> Double {
                guard let d = value.doubleValue else { throw FaultConfigError("\(key) must be a number") }
                return d
            }
            switch key {
            case "error429", "429": error429 = try number()
            case "error500", "500": error500 = try number()
            case "error503", "503": error503 = try number()
            case "slow": slow = try number()
            case "slowSeconds": slowSeconds = try number()
            case "drop": drop = try number()
            case "malformed": malformed = try number()
            case "seed":
                guard let s = value.intValue, s >= 0 else { throw FaultConfigError("seed must be a non-negative integer") }
                seed = UInt64(s)
            case "script":
                guard let items = value.arrayValue else { throw FaultConfigError("script must be an array of strings") }
                script = try items.map {
                    guard let s = $0.stringValue else { throw FaultConfigError("script must be an array of strings") }
                    return s
                }
            default:
                throw FaultConfigError("unknown fault key '\(key)'")
            }
        }
        try validate()
    }

    /// The JSON form `init(json:)` reads.
    public var json: JSONValue {
        [
            "error500": .double(error500), "error503": .double(error503), "slow": .double(slow),
            "slowSeconds": .double(slowSeconds), "drop": .double(drop), "malformed": .double(malformed),
            "error429": .double(error429), "seed": .int(Int64(clamping: seed)), "script": .array(script.map { .string($0) }),
        ]
    }

    func validate() throws {
        for (name, value) in [("500", error500), ("503", error503), ("slow", slow), ("drop", drop), ("malformed", malformed), ("429", error429)] {
            guard value >= 0, value <= 1 else { throw FaultConfigError("share \(name)=\(value) is not within 0...1") }
        }
        guard error500 + error503 + slow + drop + malformed + error429 <= 1 + 1e-9 else {
            throw FaultConfigError("fault shares add up to more than 1")
        }
        guard slowSeconds >= 0, slowSeconds <= 3600 else { throw FaultConfigError("slowSeconds must be within 0...3600") }
        for entry in script where !Self.scriptEntries.contains(entry) {
            throw FaultConfigError(
                "unknown script entry '\(entry)' (expected one of \(Self.scriptEntries.sorted().joined(separator: ", ")))")
        }
    }

    private static func share(_ text: String, _ key: String) throws -> Double {
        guard let v = Double(text), v >= 0, v <= 1 else { throw FaultConfigError("\(key)=\(text): share must be a number in 0...1") }
        return v
    }

    private static func seconds(_ text: String, _ key: String) throws -> Double {
        guard let v = Double(text), v >= 0, v.isFinite else { throw FaultConfigError("\(key) '\(text)' must be seconds >= 0") }
        return v
    }
}

/// A fault spec or fault JSON that could not be understood.
public struct FaultConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = "invalid faults: " + description }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return String(s)
    }
}

/// What happens to one API request because of fault injection.
enum FaultAction: Equatable {
    case status(Int)
    /// 429 without `Retry-After`.
    case rateLimitedWithoutRetryAfter
    /// Applied, then answered 200 with a body that is not JSON.
    case nonJSON
    case dropBefore
    case dropAfter
    case malformed
    case slow(Double)

    init?(scriptEntry: String, slowSeconds: Double) {
        switch scriptEntry {
        case "429": self = .status(429)
        case "429-no-retry-after": self = .rateLimitedWithoutRetryAfter
        case "non-json": self = .nonJSON
        case "500": self = .status(500)
        case "503": self = .status(503)
        case "drop-before": self = .dropBefore
        case "drop-after": self = .dropAfter
        case "malformed": self = .malformed
        case "slow": self = .slow(slowSeconds)
        default: return nil
        }
    }
}

/// Decides, request by request, which fault (if any) applies: the script first, then the
/// seeded shares. Not thread-safe: the engine calls it under its lock.
struct FaultInjector {
    let config: FaultConfig
    private var scriptPosition = 0
    private var draws: UInt64 = 0

    init(config: FaultConfig) { self.config = config }

    mutating func next() -> FaultAction? {
        if scriptPosition < config.script.count {
            defer { scriptPosition += 1 }
            return FaultAction(scriptEntry: config.script[scriptPosition], slowSeconds: config.slowSeconds)
        }
        guard !config.isNone else { return nil }
        let h = SeededHash.hash(config.seed, 0xFA17, draws)
        draws += 1
        var u = SeededHash.unit(h)
        if u < config.error500 { return .status(500) }
        u -= config.error500
        if u < config.error503 { return .status(503) }
        u -= config.error503
        if u < config.drop { return (h & 1) == 0 ? .dropBefore : .dropAfter }
        u -= config.drop
        if u < config.slow { return .slow(config.slowSeconds) }
        u -= config.slow
        if u < config.malformed { return .malformed }
        u -= config.malformed
        if u < config.error429 { return .status(429) }
        return nil
    }
}

/// Decides each recipient's final delivery status and delay as a pure function of
/// (seed, message number, recipient index, number): nothing per recipient is stored
/// beyond the number itself, and every run with the same seed delivers the same way.
struct DeliveryModel {
    let seed: UInt64
    /// Cumulative thresholds over [0, 1), in `RecipientStatus.all` order.
    let thresholds: [(RecipientStatus, Double)]
    let delay: ClosedRange<Double>
    let blocklist: Set<UInt64>

    init(seed: UInt64, outcomes: [String: Double], delay: ClosedRange<Double>, blocklist: Set<UInt64>) {
        self.seed = seed
        self.delay = delay
        self.blocklist = blocklist
        var shares: [(RecipientStatus, Double)] = []
        for status in RecipientStatus.all where status != .pending {
            if let share = outcomes[status.rawValue], share > 0, share.isFinite { shares.append((status, share)) }
        }
        let total = shares.reduce(0) { $0 + $1.1 }
        if total <= 0 {
            thresholds = [(.success, 1)]
        } else {
            var cumulative = 0.0
            thresholds = shares.map { status, share in
                cumulative += share / total
                return (status, cumulative)
            }
        }
    }

    /// The outcome known at send time from the number alone: blocklisted numbers are
    /// `blocked`; numbers whose national part starts with 60, and landlines (national part not
    /// starting with 6, 8 or 9), are `invalid`.
    @inline(__always)
    func immediateOutcome(_ number: UInt64) -> RecipientStatus? {
        if blocklist.contains(number) { return .blocked }
        let national = number - 66_000_000_000
        let first = national / 100_000_000
        if first != 6 && first != 8 && first != 9 { return .invalid }
        if national / 10_000_000 == 60 { return .invalid }
        return nil
    }

    /// Final status and delay (seconds after the message's start) of recipient `index`.
    @inline(__always)
    func outcome(message: UInt64, index: Int, number: UInt64) -> (RecipientStatus, Double) {
        if let immediate = immediateOutcome(number) { return (immediate, 0) }
        let h = SeededHash.hash(seed, message, UInt64(index))
        let u = SeededHash.unit(h)
        var status = thresholds[thresholds.count - 1].0
        for (s, limit) in thresholds where u < limit {
            status = s
            break
        }
        let v = SeededHash.unit(SeededHash.mix(h ^ 0xDE1A_7000))
        return (status, delay.lowerBound + v * (delay.upperBound - delay.lowerBound))
    }
}

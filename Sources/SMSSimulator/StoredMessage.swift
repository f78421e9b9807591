import SMSClient

/// One accepted message and everything needed to answer for it at any time t.
///
/// Per recipient only the number is kept (8 bytes); its outcome comes from `DeliveryModel`.
/// For counts, each final status keeps the SORTED times at which its recipients reach it, so
/// `drSummary` at time t is one binary search per status: O(statuses × log n).
final class StoredMessage {
    let number: UInt64
    let uuid: String
    let sender: String
    let content: String
    let parts: Int
    let credits: Int
    let createdAt: Double
    let scheduledTime: Double?
    /// When delivery starts: the scheduled time, or the creation time.
    let start: Double
    let msisdns: [UInt64]
    let model: DeliveryModel
    var cancelled = false
    /// The template and variables a template send used (its `content` is the rendered text).
    var template: (id: Int64, variables: [String: JSONValue])?
    /// `completions[status.index]`: sorted times at which recipients reach that final status.
    private let completions: [[Double]]

    init(
        number: UInt64, uuid: String, sender: String, content: String, parts: Int, createdAt: Double,
        scheduledTime: Double?, msisdns: [UInt64], model: DeliveryModel
    ) {
        self.number = number
        self.uuid = uuid
        self.sender = sender
        self.content = content
        self.parts = parts
        self.credits = parts * msisdns.count
        self.createdAt = createdAt
        self.scheduledTime = scheduledTime
        self.start = scheduledTime ?? createdAt
        self.msisdns = msisdns
        self.model = model
        var completions = [[Double]](repeating: [], count: RecipientStatus.count)
        let start = self.start
        for (i, msisdn) in msisdns.enumerated() {
            let (status, delay) = model.outcome(message: number, index: i, number: msisdn)
            completions[status.index].append(start + delay)
        }
        for k in completions.indices { completions[k].sort() }
        self.completions = completions
    }

    var recipientCount: Int { msisdns.count }

    /// True while nothing has been delivered and the message can still be cancelled.
    func isWaitingForSchedule(at t: Double) -> Bool { !cancelled && scheduledTime != nil && t < start }

    /// Recipient counts per status at time t, indexed by `RecipientStatus.index`.
    func counts(at t: Double) -> [Int] {
        var counts = [Int](repeating: 0, count: RecipientStatus.count)
        guard !cancelled, t >= start else {
            counts[RecipientStatus.pending.index] = msisdns.count
            return counts
        }
        var done = 0
        for status in RecipientStatus.all where status != .pending {
            let c = Self.countNotAfter(t, in: completions[status.index])
            counts[status.index] = c
            done += c
        }
        counts[RecipientStatus.pending.index] = msisdns.count - done
        return counts
    }

    /// `scheduled` before its time, `cancelled`, `pending` while any recipient is pending, then
    /// `sent`, or `failed` when no recipient succeeded.
    func status(at t: Double) -> String {
        if cancelled { return "cancelled" }
        if t < start { return "scheduled" }
        let c = counts(at: t)
        if c[RecipientStatus.pending.index] > 0 { return "pending" }
        return c[RecipientStatus.success.index] > 0 ? "sent" : "failed"
    }

    /// Status of recipient `index` at time t and when it last changed. Uses the same arithmetic
    /// (`start + delay`) as the sorted completion times so counts and pages always agree.
    @inline(__always)
    func recipient(_ index: Int, at t: Double) -> (RecipientStatus, Double) {
        guard !cancelled, t >= start else { return (.pending, createdAt) }
        let (status, delay) = model.outcome(message: number, index: index, number: msisdns[index])
        let done = start + delay
        return done <= t ? (status, done) : (.pending, createdAt)
    }

    func json(at t: Double) -> JSONValue {
        let c = counts(at: t)
        var summary: [String: JSONValue] = [:]
        for status in RecipientStatus.all { summary[status.rawValue] = .int(Int64(c[status.index])) }
        var json: [String: JSONValue] = [
            "uuid": .string(uuid), "sender": .string(sender), "content": .string(content), "status": .string(status(at: t)),
            "recipients": .int(Int64(msisdns.count)), "parts": .int(Int64(parts)), "credits": .int(Int64(credits)),
            "createdAt": .string(ISOTime.format(createdAt)),
            "scheduledTime": scheduledTime.map { .string(ISOTime.format($0)) } ?? .null,
            "drSummary": .object(summary),
        ]
        if let template {
            json["templateId"] = .int(template.id)
            json["variables"] = .object(template.variables)
        }
        return .object(json)
    }

    /// Number of elements ≤ t in a sorted array.
    private static func countNotAfter(_ t: Double, in sorted: [Double]) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] <= t { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

import SMSClient
import SMSState
import Threading

/// What a run did, for monitoring (`smsh run --summary FILE.json`): the sends with their
/// uuids, recipients and credits, the once-keys answered from the journal, and the errors the
/// gates saw by code. API calls and retries come from the client's `RequestCounters`.
/// Thread-safe: concurrent sends report into one summary.
public final class RunSummary: @unchecked Sendable {
    public struct Send: Equatable {
        public let uuid: String?
        public let recipients: Int64
        public let credits: Double
    }

    private let lock = ConditionVariable()
    private var sendList: [Send] = []
    private var replayList: [String] = []
    private var errorCounts: [String: Int] = [:]

    public var sends: [Send] { lock.withLock { sendList } }
    /// The once keys answered from the journal (sends, campaign rows, sms.retry).
    public var replays: [String] { lock.withLock { replayList } }
    public var errors: [String: Int] { lock.withLock { errorCounts } }

    public init() {}

    func sent(_ result: [String: JSONValue], estimate: PreviewResult?) {
        let r = SendResult(json: result)
        let send = Send(uuid: r.uuid, recipients: r.recipients ?? estimate?.recipients ?? 0,
                        credits: r.credits ?? estimate?.credits ?? 0)
        lock.withLock { sendList.append(send) }
    }

    /// A once key answered from the journal (nothing sent). Public for sends answered before
    /// they reach the gate (sms.retry finds its key before paging through recipients).
    public func replayed(key: String, result: [String: JSONValue]) { lock.withLock { replayList.append(key) } }

    /// An error a send raised (each one once, however many layers it crosses).
    public func failed(_ error: SMSError) { lock.withLock { errorCounts[error.code, default: 0] += 1 } }

    /// The summary as one JSON object; `run` adds what only the command knows.
    public func json(run: [String: JSONValue], counters: RequestCounters?) -> JSONValue {
        let (sends, replays, errors) = lock.withLock { (sendList, replayList, errorCounts) }
        var o = run
        o["sends"] = .array(sends.map { s in
            .object(["uuid": s.uuid.map(JSONValue.string) ?? .null, "recipients": .int(s.recipients), "credits": .double(s.credits)])
        })
        o["recipients"] = .int(sends.reduce(0) { $0 + $1.recipients })
        o["credits"] = .double(sends.reduce(0) { $0 + $1.credits })
        o["journalReplays"] = .int(Int64(replays.count))
        o["errors"] = .object(errors.mapValues { .int(Int64($0)) })
        let totals = counters?.totals ?? (calls: 0, retries: 0)
        o["apiCalls"] = .int(Int64(totals.calls))
        o["retries"] = .int(Int64(totals.retries))
        return .object(o)
    }
}

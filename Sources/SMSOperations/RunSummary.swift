import SMSClient

/// What a run did, for monitoring (`smsh run --summary FILE.json`): the sends with their
/// uuids, recipients and credits, the once-keys answered from the journal, and the errors the
/// gates saw by code. API calls and retries come from the client's `RequestCounters`.
public final class RunSummary {
    public struct Send: Equatable {
        public let uuid: String?
        public let recipients: Int64
        public let credits: Double
    }

    public private(set) var sends: [Send] = []
    public private(set) var replays: [String] = []
    public private(set) var errors: [String: Int] = [:]

    public init() {}

    func sent(_ result: [String: JSONValue], estimate: PreviewResult?) {
        let r = SendResult(json: result)
        sends.append(Send(uuid: r.uuid, recipients: r.recipients ?? estimate?.recipients ?? 0,
                          credits: r.credits ?? estimate?.credits ?? 0))
    }

    func replayed(key: String, result: [String: JSONValue]) { replays.append(key) }

    /// An error a send raised (each one once, however many layers it crosses).
    public func failed(_ error: SMSError) { errors[error.code, default: 0] += 1 }

    /// The summary as one JSON object; `run` adds what only the command knows.
    public func json(run: [String: JSONValue], counters: RequestCounters?) -> JSONValue {
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

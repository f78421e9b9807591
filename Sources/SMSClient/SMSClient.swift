/// The provider API as typed calls: validation before sending, the route table, the retry
/// policy and the status → error mapping, over any `Transport`.
///
/// Calls are synchronous (they block the calling thread, Lua's, while the transport works) and
/// throw `SMSError`. Results keep the whole JSON object the server sent.
public final class SMSClient: Sendable {
    public let transport: Transport
    public let clock: SMSClock
    public let retry: RetryPolicy
    /// Counts every attempt (nil: not counted).
    public let counters: RequestCounters?
    /// The run's limiter (in-flight cap, rate, backoff on 429); nil: none.
    public let pacing: RequestPacing?
    let apiKey: String?

    /// - Parameters:
    ///   - apiKey: sent as `x-api-key`; nil sends no key (the server answers 401).
    ///   - clock: where retry waits happen (a `VirtualClock` makes them instant).
    public init(transport: Transport, apiKey: String?, clock: SMSClock, retry: RetryPolicy = .default,
                counters: RequestCounters? = nil, pacing: RequestPacing? = nil) {
        self.counters = counters
        self.pacing = pacing
        self.transport = transport
        self.apiKey = apiKey
        self.clock = clock
        self.retry = retry
    }

    /// Sends (or schedules, or with `dryRun` estimates) a message.
    /// Retried only when the server cannot have received it (429, connection refused).
    public func send(_ request: SendRequest) throws -> SendResult {
        try send(encoded: try request.encoded())
    }

    /// Sends a request already checked and encoded by `SendRequest.encoded()`.
    public func send(encoded: EncodedRequest) throws -> SendResult {
        let json = try perform(.send, encoded: encoded)
        return SendResult(json: json, duplicatesRemoved: encoded.duplicatesRemoved)
    }

    /// The parts and credits a send would take; consumes nothing.
    public func preview(_ request: PreviewRequest) throws -> PreviewResult {
        try preview(encoded: try request.encoded())
    }

    /// Previews a request already checked and encoded (e.g. `EncodedRequest.preview` of a send).
    public func preview(encoded: EncodedRequest) throws -> PreviewResult {
        let json = try perform(.preview, encoded: encoded)
        return PreviewResult(json: json, duplicatesRemoved: encoded.duplicatesRemoved)
    }

    /// Cancels a scheduled send that has not started; held credits are refunded.
    public func cancel(uuid: String) throws -> CancelResult {
        CancelResult(json: try perform(.cancel, uuid: try checkedUUID(uuid)))
    }

    /// Sent messages, most recent first.
    public func messages(status: String? = nil, page: Int? = nil, limit: Int? = nil) throws -> MessageList {
        var query: [QueryItem] = []
        if let status { query.append(QueryItem("status", try checkedText(status, field: "status"))) }
        if let page { query.append(QueryItem("page", String(try checkedPositive(page, field: "page")))) }
        if let limit { query.append(QueryItem("limit", String(try checkedPositive(limit, field: "limit")))) }
        return MessageList(json: try perform(.messages, query: query))
    }

    /// One message with its `drSummary`.
    public func message(uuid: String) throws -> Message {
        Message(json: try perform(.message, uuid: try checkedUUID(uuid)))
    }

    /// One page of a message's recipients. Pass `after` (0 to start, then `nextCursor`) for
    /// cursor paging, or `page` for offset paging.
    public func recipients(
        uuid: String, status: String? = nil, after: Int64? = nil, page: Int? = nil, limit: Int? = nil
    ) throws -> RecipientPage {
        let uuid = try checkedUUID(uuid)
        let query = try recipientsQuery(status: status, after: after, page: page, limit: limit)
        return RecipientPage(json: try perform(.recipients, uuid: uuid, query: query))
    }

    /// One page of recipients as the server's JSON bytes (a 2xx body, not yet parsed; errors
    /// as `recipients`), for readers that decode straight into their own structures: the Lua
    /// cursor builds Lua tables from it without a `JSONValue` per row.
    public func recipientsBody(
        uuid: String, status: String? = nil, after: Int64? = nil, page: Int? = nil, limit: Int? = nil
    ) throws -> [UInt8] {
        let uuid = try checkedUUID(uuid)
        let query = try recipientsQuery(status: status, after: after, page: page, limit: limit)
        return try performForBody(.recipients, uuid: uuid, query: query)
    }

    private func recipientsQuery(status: String?, after: Int64?, page: Int?, limit: Int?) throws -> [QueryItem] {
        var query: [QueryItem] = []
        if let status { query.append(QueryItem("status", try checkedText(status, field: "status"))) }
        if let after {
            guard after >= 0 else { throw SMSError.invalidArgument("after", "'after' must be 0 or a cursor (got \(after))") }
            query.append(QueryItem("after", String(after)))
        }
        if let page { query.append(QueryItem("page", String(try checkedPositive(page, field: "page")))) }
        if let limit { query.append(QueryItem("limit", String(try checkedPositive(limit, field: "limit")))) }
        return query
    }

    /// The account's balance.
    public func credit() throws -> Credit {
        Credit(json: try perform(.credit))
    }

    /// All sender names usable by the account, with their approval status.
    public func senders() throws -> SenderList {
        SenderList(json: try perform(.senders))
    }

    // MARK: - Argument checks shared by the calls

    private func checkedUUID(_ uuid: String) throws -> String {
        try checkedText(uuid, field: "uuid")
    }

    private func checkedText(_ value: String, field: String) throws -> String {
        if value.isEmpty { throw SMSError.invalidArgument(field, "'\(field)' is empty") }
        if value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw SMSError.invalidArgument(field, "'\(field)' contains a control character")
        }
        return value
    }

    private func checkedPositive(_ value: Int, field: String) throws -> Int {
        guard value >= 1 else { throw SMSError.invalidArgument(field, "'\(field)' must be 1 or more (got \(value))") }
        return value
    }
}

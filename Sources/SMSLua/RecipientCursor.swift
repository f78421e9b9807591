import CLua
import CLuaShim
import LuaHost
import SMSClient

/// `sms.each_recipient`: walks every page with the cursor.
///
/// Each page's JSON is decoded straight into Lua tables (no `JSONValue` per row). The
/// iterator Lua calls is a C function (`smsh_push_rows_iterator`) that hands out the rows of
/// the page it holds and calls `nextPage` only when that page is done, so a row costs no
/// Swift call. Over the network a `PagePrefetcher` fetches up to two pages ahead on its own
/// thread while Lua reads the current one, so the loop waits for the server only when Lua is
/// faster than it; fixtures and the sandbox fetch strictly in turn (see
/// `Transport.allowsConcurrentRequests`). At most four pages are held: the one being read,
/// two fetched ahead and one in flight.
final class RecipientCursor {
    /// The fields the options table of `sms.each_recipient` may have.
    static let fields: Set<String> = ["status", "limit"]

    let client: SMSClient
    let uuid: String
    let statuses: [String?]
    let limit: Int?
    let env: SMSEnvironment
    let prefetches: Bool
    private var statusIndex = 0
    private var after: Int64 = 0
    private var hasMore = true
    /// Rows handed out before the current page, and in it.
    private var seen = 0
    private var pageCount = 0
    private var pages = 0
    /// Real time when paging began, for the rate in the progress line.
    private let started: Double
    /// Fetches the pages after the current one (of the current status), over the network.
    private var prefetcher: PagePrefetcher?

    init(_ s: LuaStack, env: SMSEnvironment) throws {
        uuid = try SMSModule.uuid(s, "sms.each_recipient")
        var statuses: [String]? = nil
        var limit: Int64? = nil
        if s.type(at: 2) > LUA_TNIL {
            let f = try LuaTableFields(s, at: 2, function: "sms.each_recipient")
            try f.checkKnown(RecipientCursor.fields)
            statuses = try f.stringList("status")
            limit = try f.integer("limit")
        }
        self.statuses = statuses.map { $0.isEmpty ? [nil] : $0.map(Optional.some) } ?? [nil]
        self.limit = Int(limit ?? 1000)
        self.env = env
        self.client = try env.client()
        self.prefetches = client.transport.allowsConcurrentRequests
        self.started = ProgressReporter.monotonicSeconds()
    }

    deinit { prefetcher?.stop() }

    /// For the row iterator: pushes the next page's rows (a table) and their count; `true`
    /// and 0 when that page was empty (the iterator asks again); nil and 0 when every page of
    /// every status has been read. Returns the number of results. Inside a task, waiting for
    /// the page suspends only that task (`SMSModule.io`).
    func nextPage(_ s: LuaStack) throws -> Int32 {
        try MessageWaiting.checkInterrupt()
        s.ensure(4)
        seen += pageCount
        pageCount = 0
        if !hasMore {
            statusIndex += 1
            guard statusIndex < statuses.count else {
                env.progress.finish()
                s.pushNil()
                s.push(Int64(0))
                return 2
            }
            after = 0
            hasMore = true
            prefetcher?.stop()
            prefetcher = nil
        }
        let (client, uuid, limit, status, after, prefetched) = (client, uuid, limit, statuses[statusIndex], after, prefetcher)
        let fetch = { () throws -> (body: [UInt8], prefetched: Bool) in
            if let body = try prefetched?.take(after: after) { return (body, true) }
            return (try client.recipientsBody(uuid: uuid, status: status, after: after, limit: limit), false)
        }
        return try SMSModule.io(s, env, "each_recipient", client, fetch) { s, fetched in
            if !fetched.prefetched {
                // First page, or the prefetcher did not fetch this cursor: prefetch again from
                // the next cursor once this page has named it.
                self.prefetcher?.stop()
                self.prefetcher = nil
            }
            let count = try self.readPage(s, fetched.body)
            let elapsed = max(ProgressReporter.monotonicSeconds() - self.started, 0.001)
            self.env.progress.update("recipients: \(self.seen + count) read, \(self.pages) page(s), \(Int(Double(self.seen + count) / elapsed))/s")
            if count > 0 {
                self.pageCount = count
                s.push(Int64(count))
                return 2
            }
            s.pop()
            s.push(true)
            s.push(Int64(0))
            return 2
        }
    }

    /// Pushes the `data` table of the fetched page `body` and returns its length, and moves
    /// the cursor on; starts fetching the following pages when allowed.
    private func readPage(_ s: LuaStack, _ body: [UInt8]) throws -> Int {
        let L = s.L
        let status = statuses[statusIndex]
        pages += 1
        let decoded: Bool = (try? body.withUnsafeBufferPointer { try s.push(jsonBytes: $0, nulls: .absent) }) != nil
        if !decoded || lua_type(L, -1) != LUA_TTABLE {
            if decoded { s.pop() }
            // Not a JSON object: the typed call retries what may be retried and otherwise
            // raises the client's BAD_RESPONSE error.
            s.push(apiObject: try client.recipients(uuid: uuid, status: status, after: after, limit: limit).json)
        }
        let page = s.top
        lua_getfield(L, page, "data")
        if lua_type(L, -1) != LUA_TTABLE {
            s.pop()
            lua_createtable(L, 0, 0)
        }
        let count = Int(lua_rawlen(L, -1))
        lua_getfield(L, page, "hasMore")
        let more = lua_toboolean(L, -1) != 0
        lua_getfield(L, page, "nextCursor")
        let next = s.integer(at: -1)
        s.pop(2)
        smsh_replace(L, page)  // the data table takes the page's slot
        hasMore = more && count > 0
        guard hasMore else { return count }
        guard let next, next > after else {
            throw SMSError(status: nil, code: SMSError.Code.badResponse,
                           message: "sms.each_recipient: the server said hasMore but gave no new nextCursor", retryable: false)
        }
        after = next
        if prefetches && prefetcher == nil {
            let (client, uuid, limit) = (client, uuid, limit)
            prefetcher = PagePrefetcher(first: after) { after in
                try client.recipientsBody(uuid: uuid, status: status, after: after, limit: limit)
            }
        }
        return count
    }
}

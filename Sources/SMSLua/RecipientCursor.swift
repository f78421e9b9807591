import CLua
import CLuaShim
import LuaHost
import SMSClient

/// `sms.each_recipient`: walks every page with the cursor, at most two pages in memory.
///
/// Each page's JSON is decoded straight into Lua tables (no `JSONValue` per row) and kept in
/// the registry while its rows are handed out. Over the network a `PagePrefetcher` fetches
/// up to two pages ahead on its own thread while Lua reads the current one, so the loop
/// waits for the server only when Lua is faster than it; fixtures and the sandbox fetch
/// strictly in turn (see `Transport.allowsConcurrentRequests`). At most four pages are held:
/// the one being read, two fetched ahead and one in flight.
final class RecipientCursor {
    let client: SMSClient
    let uuid: String
    let statuses: [String?]
    let limit: Int?
    let env: SMSEnvironment
    let prefetches: Bool
    /// The state's main thread, for clearing the page when the cursor goes away.
    private let mainState: OpaquePointer
    private var statusIndex = 0
    private var after: Int64 = 0
    /// Rows in the current page (the page's `data` table is in the registry under `pageKey`).
    private var pageCount = 0
    private var position = 0
    private var hasMore = true
    private var seen = 0
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
            try f.checkKnown(["status", "limit"])
            statuses = try f.stringList("status")
            limit = try f.integer("limit")
        }
        self.statuses = statuses.map { $0.isEmpty ? [nil] : $0.map(Optional.some) } ?? [nil]
        self.limit = Int(limit ?? 1000)
        self.env = env
        self.client = try env.client()
        self.prefetches = client.transport.allowsConcurrentRequests
        self.started = ProgressReporter.monotonicSeconds()
        lua_rawgeti(s.L, smsh_registryindex(), lua_Integer(LUA_RIDX_MAINTHREAD))
        mainState = lua_tothread(s.L, -1)
        s.pop()
    }

    deinit {
        prefetcher?.stop()
        setPage(in: mainState, fromTop: false)
    }

    private var pageKey: UnsafeRawPointer { UnsafeRawPointer(Unmanaged.passUnretained(self).toOpaque()) }

    /// Stores the table on top of the stack (popping it) as the current page, or clears it.
    private func setPage(in L: OpaquePointer, fromTop: Bool) {
        if !fromTop { lua_pushnil(L) }
        lua_rawsetp(L, smsh_registryindex(), pageKey)
    }

    /// Pushes the next recipient (a table) and returns true, or returns false when every page
    /// of every status has been read.
    func next(_ s: LuaStack) throws -> Bool {
        try SMSHelpers.checkInterrupt()
        let L = s.L
        s.ensure(4)
        while true {
            if position < pageCount {
                position += 1
                seen += 1
                lua_rawgetp(L, smsh_registryindex(), pageKey)
                lua_rawgeti(L, -1, lua_Integer(position))
                smsh_remove(L, -2)
                if lua_type(L, -1) == LUA_TTABLE { return true }
                s.pop()
                continue
            }
            if !hasMore {
                statusIndex += 1
                guard statusIndex < statuses.count else {
                    setPage(in: L, fromTop: false)
                    pageCount = 0
                    env.progress.finish()
                    return false
                }
                after = 0
                hasMore = true
                prefetcher?.stop()
                prefetcher = nil
            }
            try readPage(s)
            let elapsed = max(ProgressReporter.monotonicSeconds() - started, 0.001)
            env.progress.update("recipients: \(seen + pageCount) read, \(pages) page(s), \(Int(Double(seen + pageCount) / elapsed))/s")
        }
    }

    /// Fetches (or takes the prefetched) page after `after`, makes its `data` the current
    /// page and moves the cursor on; starts fetching the following page when allowed.
    private func readPage(_ s: LuaStack) throws {
        let L = s.L
        let status = statuses[statusIndex]
        let body: [UInt8]
        if let fetched = try prefetcher?.take(after: after) {
            body = fetched
        } else {
            // First page, or the prefetcher did not fetch this cursor: fetch it here, and
            // prefetch again from the next cursor once this page has named it.
            prefetcher?.stop()
            prefetcher = nil
            body = try client.recipientsBody(uuid: uuid, status: status, after: after, limit: limit)
        }
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
        pageCount = Int(lua_rawlen(L, -1))
        setPage(in: L, fromTop: true)
        position = 0
        lua_getfield(L, page, "hasMore")
        let more = lua_toboolean(L, -1) != 0
        lua_getfield(L, page, "nextCursor")
        let next = s.integer(at: -1)
        s.top = page - 1
        hasMore = more && pageCount > 0
        guard hasMore else { return }
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
    }
}

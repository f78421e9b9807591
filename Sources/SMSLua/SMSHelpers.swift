import CLua
import CLuaShim
import LuaHost
import SMSClient

/// `sms.each_recipient`: walks every page with the cursor, one page in memory at a time.
final class RecipientCursor {
    let client: SMSClient
    let uuid: String
    let statuses: [String?]
    let limit: Int?
    let env: SMSEnvironment
    private var statusIndex = 0
    private var after: Int64 = 0
    private var page: [JSONValue] = []
    private var position = 0
    private var hasMore = true
    private var seen = 0
    private var pages = 0
    private let started: Double

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
        self.started = env.clock.now()
    }

    /// The next recipient, or nil when every page of every status has been read.
    func next() throws -> [String: JSONValue]? {
        try SMSHelpers.checkInterrupt()
        while true {
            if position < page.count {
                let row = page[position]
                position += 1
                seen += 1
                if case .object(let o) = row { return o }
                continue
            }
            if !hasMore {
                statusIndex += 1
                guard statusIndex < statuses.count else {
                    env.progress.finish()
                    return nil
                }
                after = 0
                hasMore = true
            }
            let result = try client.recipients(uuid: uuid, status: statuses[statusIndex], after: after, limit: limit)
            pages += 1
            page = result.json["data"]?.arrayValue ?? []
            position = 0
            let next = result.nextCursor
            hasMore = (result.hasMore ?? false) && !page.isEmpty
            if hasMore {
                guard let next, next > after else {
                    throw SMSError(status: nil, code: SMSError.Code.badResponse,
                                   message: "sms.each_recipient: the server said hasMore but gave no new nextCursor", retryable: false)
                }
                after = next
            }
            let elapsed = max(env.clock.now() - started, 0.001)
            env.progress.update("recipients: \(seen + page.count) read, \(pages) page(s), \(Int(Double(seen + page.count) / elapsed))/s", now: env.clock.now())
        }
    }
}

enum SMSHelpers {
    /// Ctrl-C in the REPL: long Swift loops (waiting, paging) stop here, since the Lua
    /// interrupt hook only fires while Lua code runs.
    static func checkInterrupt() throws {
        if smsh_sigint_pending() != 0 { throw ClockInterrupted() }
    }

    /// `sms.wait`: polls until no recipient is pending.
    static func wait(_ s: LuaStack, env: SMSEnvironment) throws -> [String: JSONValue] {
        let uuid = try SMSModule.uuid(s, "sms.wait")
        var timeout = 900.0, interval = 15.0
        if s.type(at: 2) > LUA_TNIL {
            let f = try LuaTableFields(s, at: 2, function: "sms.wait")
            try f.checkKnown(["timeout", "interval"])
            timeout = try f.number("timeout") ?? timeout
            interval = try f.number("interval") ?? interval
            guard timeout >= 0, interval > 0, timeout.isFinite, interval.isFinite else {
                throw f.fieldError("interval", "'timeout' must be >= 0 and 'interval' > 0")
            }
        }
        let client = try env.client()
        let start = env.clock.now()
        let deadline = start + timeout
        defer { env.progress.finish() }
        while true {
            try checkInterrupt()
            let message = try client.message(uuid: uuid)
            let pending = message.drSummary["pending"] ?? 0
            let status = message.status ?? ""
            if pending == 0 && status != "scheduled" { return message.json }
            if status == "cancelled" { return message.json }
            let now = env.clock.now()
            if now >= deadline {
                throw SMSError(status: nil, code: SMSError.Code.timeout,
                               message: "sms.wait: message \(uuid) still has \(pending) pending recipient(s) after \(Int(timeout)) s",
                               retryable: true)
            }
            env.progress.update("waiting for \(uuid): \(pending) pending, \(Int(now - start)) s elapsed, deadline in \(Int(deadline - now)) s", now: now, force: true)
            try env.clock.sleep(seconds: min(interval, max(deadline - now, 0.001)))
        }
    }

    static let retryWorthy = ["failed", "expired", "timeout"]
    static let neverRetried: Set<String> = ["invalid", "blocked"]
    static let recipientStatuses: Set<String> = ["pending", "success", "failed", "invalid", "blocked", "expired", "timeout"]

    /// `sms.retry`: resend to the retry-worthy recipients.
    static func retry(_ s: LuaStack, env: SMSEnvironment) throws -> [String: JSONValue]? {
        let uuid = try SMSModule.uuid(s, "sms.retry")
        var statuses = retryWorthy
        var sender: String?, content: String?, dryRun = false
        if s.type(at: 2) > LUA_TNIL {
            let f = try LuaTableFields(s, at: 2, function: "sms.retry")
            try f.checkKnown(["statuses", "sender", "content", "dryRun"])
            if let given = try f.stringList("statuses") {
                for st in given where neverRetried.contains(st) || !recipientStatuses.contains(st) {
                    throw f.fieldError("statuses", neverRetried.contains(st)
                        ? "'\(st)' recipients are never retried (the number is invalid or blocked)"
                        : "'\(st)' is not a recipient status")
                }
                statuses = given
            }
            sender = try f.string("sender")
            content = try f.string("content")
            dryRun = try f.bool("dryRun") ?? false
        }
        let client = try env.client()
        let original = try client.message(uuid: uuid)
        var numbers: [String] = []
        for status in statuses {
            var after: Int64 = 0
            while true {
                let page = try client.recipients(uuid: uuid, status: status, after: after, limit: 1000)
                for r in page.data { if let n = r.msisdn, r.status == nil || r.status == status { numbers.append(n) } }
                guard page.hasMore == true, let next = page.nextCursor, next > after, !page.data.isEmpty else { break }
                after = next
            }
        }
        guard !numbers.isEmpty else { return nil }
        guard let useSender = sender ?? original.sender else {
            throw SMSError.invalidArgument("sender", "sms.retry: the original message has no sender; pass sender=")
        }
        guard let useContent = content ?? original.content else {
            throw SMSError.invalidArgument("content", "sms.retry: the original message has no content (template?); pass content=")
        }
        let request = SendRequest(sender: useSender, content: useContent, msisdns: MSISDNList(numbers), dryRun: dryRun)
        var result = try SMSModule.send(request, env: env)
        result["retryOf"] = .string(uuid)
        return result
    }
}

import CLua
import CLuaShim
import LuaHost
import SMSClient
import SMSOperations
import Synchronization

/// Waiting on sent messages: `sms.wait` (one), `sms.wait_all` (many, one loop) and
/// `sms.report` (their delivery summaries summed).
enum MessageWaiting {

    /// Ctrl-C in the REPL: long Swift loops (waiting, paging) stop here, since the Lua
    /// interrupt hook only fires while Lua code runs.
    static func checkInterrupt() throws {
        if smsh_sigint_pending() != 0 { throw ClockInterrupted() }
    }

    /// `sms.wait`: polls until no recipient is pending.
    static func wait(_ s: LuaStack, env: SMSEnvironment) throws -> () throws -> [String: JSONValue] {
        let uuid = try SMSModule.uuid(s, "sms.wait")
        let (timeout, interval, _) = try waitOptions(s, at: 2, function: "sms.wait", env: env)
        return { try env.waitForMessage(uuid: uuid, timeout: timeout, interval: interval, function: "sms.wait") }
    }

    /// `timeout` and `interval` of `sms.wait` / `sms.wait_all` (the options table at `index`).
    static func waitOptions(_ s: LuaStack, at index: Int32, function: String, env: SMSEnvironment)
        throws -> (timeout: Double, interval: Double, concurrency: Int)
    {
        var timeout = 900.0, interval = 15.0
        var concurrency = SMSEnvironment.defaultCallConcurrency
        guard s.type(at: index) > LUA_TNIL else { return (timeout, interval, concurrency) }
        let f = try LuaTableFields(s, at: index, function: function)
        try f.checkKnown(optionFields)
        timeout = try f.number("timeout") ?? timeout
        interval = try f.number("interval") ?? interval
        if let c = try f.integer("concurrency") {
            guard c >= 1 else { throw f.fieldError("concurrency", "'concurrency' must be an integer >= 1") }
            guard c <= env.concurrency else {
                throw f.fieldError("concurrency", "'concurrency' \(c) is above the run's cap of \(env.concurrency) requests in flight (--concurrency)")
            }
            concurrency = Int(c)
        }
        guard timeout >= 0, timeout.isFinite else {
            throw f.fieldError("timeout", "'timeout' must be a number of seconds >= 0")
        }
        // Polling faster than once a second only burns the account's rate limit.
        guard interval >= 1, interval.isFinite else {
            throw f.fieldError("interval", "'interval' must be at least 1 second")
        }
        return (timeout, interval, concurrency)
    }

    /// The uuids argument: one uuid string, or an array of them (duplicates dropped, order kept).
    static func uuids(_ s: LuaStack, function: String) throws -> [String] {
        if let one = s.string(at: 1), s.type(at: 1) == LUA_TSTRING { return [one] }
        guard s.type(at: 1) == LUA_TTABLE else {
            throw SMSError.invalidArgument("uuids", "\(function): expected a uuid or a list of uuids, got \(s.type(at: 1) == LUA_TNONE ? "no value" : s.typeName(at: 1))")
        }
        let n = s.rawLength(at: 1)
        var out: [String] = [], seen = Set<String>()
        for i in 0..<n {
            s.getIndex(Int64(i + 1), in: 1)
            defer { s.pop() }
            guard s.type(at: -1) == LUA_TSTRING, let u = s.string(at: -1) else {
                throw SMSError.invalidArgument("uuids[\(i + 1)]", "\(function): 'uuids[\(i + 1)]' is a \(s.typeName(at: -1)), not a message uuid")
            }
            if seen.insert(u).inserted { out.append(u) }
        }
        return out
    }

    /// Whether a message needs no more waiting: nobody pending (and not still scheduled), or cancelled.
    static func isSettled(_ m: Message) -> Bool {
        let status = m.status ?? ""
        return status == "cancelled" || ((m.drSummary["pending"] ?? 0) == 0 && status != "scheduled")
    }

    /// `sms.wait_all`: one loop over many messages; each round asks once for every message
    /// still pending, then sleeps (session clock) until the next round. Rounds start every
    /// `interval` seconds: the time a round takes is not added to the pause.
    static func waitAll(_ s: LuaStack, env: SMSEnvironment) throws -> () throws -> [String: JSONValue] {
        let function = "sms.wait_all"
        let uuids = try uuids(s, function: function)
        let (timeout, interval, concurrency) = try waitOptions(s, at: 2, function: function, env: env)
        let client = try env.client()
        return { try waitAll(uuids, timeout: timeout, interval: interval, concurrency: concurrency, client: client, env: env) }
    }

    /// Each round asks for every message still pending, `concurrency` at a time when the
    /// transport lets requests overlap, then sleeps until the next round.
    static func waitAll(_ uuids: [String], timeout: Double, interval: Double, concurrency: Int, client: SMSClient,
                        env: SMSEnvironment) throws -> [String: JSONValue] {
        let function = "sms.wait_all"
        let start = env.clock.now()
        let deadline = start + timeout
        var settled: [String: JSONValue] = [:]
        var pending = uuids
        defer { env.progress.finish() }
        while true {
            let roundStart = env.clock.now()
            var still: [String] = []
            var recipientsPending: Int64 = 0
            for (uuid, m) in try messages(pending, concurrency: concurrency, client: client) {
                if isSettled(m) {
                    settled[uuid] = .object(m.json)
                } else {
                    still.append(uuid)
                    recipientsPending += m.drSummary["pending"] ?? 0
                }
            }
            pending = still
            if pending.isEmpty { return settled }
            let now = env.clock.now()
            if now >= deadline {
                throw SMSError(status: nil, code: SMSError.Code.timeout,
                               message: "\(function): \(pending.count) of \(uuids.count) message(s) still pending (\(recipientsPending) recipient(s)) after \(Int(timeout)) s",
                               retryable: true)
            }
            env.progress.update("waiting for \(pending.count) of \(uuids.count) message(s): \(recipientsPending) recipient(s) pending, \(Int(now - start)) s elapsed, deadline in \(Int(deadline - now)) s", force: true)
            try MessageWaiting.pause(untilNextRound: roundStart, interval: interval, deadline: deadline, clock: env.clock)
        }
    }

    /// Sleeps until `interval` seconds after `roundStart` (at once when the round took longer),
    /// and never past `deadline`: polls start at a steady pace however long each takes.
    static func pause(untilNextRound roundStart: Double, interval: Double, deadline: Double, clock: SMSClock) throws {
        let now = clock.now()
        let next = min(roundStart + interval, deadline)
        if next > now { try clock.sleep(seconds: next - now) } else { try checkInterrupt() }
    }

    /// The messages, in the order given, read `concurrency` at a time (one at a time when the
    /// transport keeps requests in order); the first failure is thrown after the others end.
    static func messages(_ uuids: [String], concurrency: Int, client: SMSClient) throws -> [(String, Message)] {
        let width = client.transport.allowsConcurrentRequests ? concurrency : 1
        let results = Mutex([Result<Message, Error>?](repeating: nil, count: uuids.count))
        ParallelWork.forEach(count: uuids.count, width: width) { i in
            let r = Result { () throws -> Message in
                try checkInterrupt()
                return try client.message(uuid: uuids[i])
            }
            results.withLock { $0[i] = r }
            if case .failure = r { return false }
            return true
        }
        return try results.withLock { all in
            try all.enumerated().compactMap { i, r in try r.map { (uuids[i], try $0.get()) } }
        }
    }

    static let reportStatuses = ["pending", "success", "failed", "invalid", "blocked", "expired", "timeout"]
    /// The fields the options table of `sms.wait` / `sms.wait_all` may have.
    static let optionFields: Set<String> = ["timeout", "interval", "concurrency"]

    /// `sms.report`: the delivery summaries of one or many messages, summed. `total` counts
    /// every recipient; `deliveryRate` = success / (total - pending), the share delivered of
    /// those with a final status (0 while none has one).
    static func report(_ s: LuaStack, env: SMSEnvironment) throws -> () throws -> [String: JSONValue] {
        let uuids = try uuids(s, function: "sms.report")
        let client = try env.client()
        return { try report(uuids, client: client) }
    }

    static func report(_ uuids: [String], client: SMSClient) throws -> [String: JSONValue] {
        var sums = Dictionary(uniqueKeysWithValues: reportStatuses.map { ($0, Int64(0)) })
        var total: Int64 = 0
        for (_, m) in try messages(uuids, concurrency: SMSEnvironment.defaultCallConcurrency, client: client) {
            var counts = m.drSummary
            // No summary yet (just sent, or scheduled): every recipient is still pending.
            if counts.isEmpty, let n = m.recipients { counts["pending"] = n }
            for (status, n) in counts {
                sums[status, default: 0] += n
                total += n
            }
        }
        var out = sums.mapValues { JSONValue.int($0) }
        out["total"] = .int(total)
        out["messages"] = .int(Int64(uuids.count))
        let final = total - (sums["pending"] ?? 0)
        out["deliveryRate"] = .double(final > 0 ? Double(sums["success"] ?? 0) / Double(final) : 0)
        return out
    }
}

extension SMSEnvironment {
    /// Polls `uuid` on the session clock until no recipient is pending (`MessageWaiting.isSettled`),
    /// or throws `TIMEOUT` after `timeout` seconds: `sms.wait` and `smsh wait`.
    /// - Parameter function: named in the timeout error.
    public func waitForMessage(uuid: String, timeout: Double, interval: Double, function: String) throws -> [String: JSONValue] {
        let client = try client()
        let start = clock.now()
        let deadline = start + timeout
        defer { progress.finish() }
        while true {
            try MessageWaiting.checkInterrupt()
            let pollStart = clock.now()
            let message = try client.message(uuid: uuid)
            if MessageWaiting.isSettled(message) { return message.json }
            let pending = message.drSummary["pending"] ?? 0
            let now = clock.now()
            if now >= deadline {
                throw SMSError(status: nil, code: SMSError.Code.timeout,
                               message: "\(function): message \(uuid) still has \(pending) pending recipient(s) after \(Int(timeout)) s",
                               retryable: true)
            }
            progress.update("waiting for \(uuid): \(pending) pending, \(Int(now - start)) s elapsed, deadline in \(Int(deadline - now)) s", force: true)
            try MessageWaiting.pause(untilNextRound: pollStart, interval: interval, deadline: deadline, clock: clock)
        }
    }
}

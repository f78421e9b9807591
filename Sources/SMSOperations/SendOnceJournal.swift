import Dispatch
import SMSClient
import SMSState
#if canImport(Glibc)
import Glibc
#endif
import Threading

/// Send-once keys (`once = "key"`) over the state store, in one scope (API + account).
///
/// A key moves free → `intent` (recorded, on disk, before the request leaves) → `done` with the
/// API's result, or back to free (`failed`) when the send certainly did not happen. An
/// `intent` with no outcome means a run died or lost the answer while the request may have
/// reached the server: smsh refuses to guess (`JOURNAL_UNCERTAIN`) until an operator checks
/// and runs `smsh journal forget KEY`. A key claimed by a run that is still alive on this host
/// is waited for, so two concurrent runs with one key send once.
///
/// A key is bound to its request: the intent records a `RequestDigest`, and the same key with
/// another request sends nothing (`ONCE_KEY_REUSED`, naming what differs).
///
/// Thread-safe: sends of one run may call `once` from many threads at once (the store groups
/// their intents into one commit). `pauseAfterIntent` and `interrupted` are set before use.
public final class SendOnceJournal: @unchecked Sendable {
    public let scope: StateScope
    private let openStore: () throws -> StateStore
    private var opened: StateStore?
    /// Guards `opened` and `inFlight`.
    private let openLock = ConditionVariable()
    /// How many of this process's `once` calls are under way per key (another thread's
    /// refused claim of a key one of them holds waits for its outcome).
    private var inFlight: [String: Int] = [:]
    private let host = SendOnceJournal.hostName()
    /// Test hook: seconds to pause right after the intent is recorded (a crash test kills the
    /// run there). Set by the session from `SMSH_TEST_PAUSE_AFTER_INTENT`.
    public var pauseAfterIntent: Double?
    /// Checked while waiting for another live run's send (Ctrl-C in the REPL).
    public var interrupted: () -> Bool = { false }
    /// Told of every key the journal answers from its record instead of sending (a recording
    /// keeps these answers, so its replay answers the same way).
    public var answered: (@Sendable (_ key: String, _ result: [String: JSONValue]) -> Void)?
    /// Told at once when a send went out but its result could not be recorded (the store was
    /// lost): the message names the uuid. The run reports it on stderr, whatever error ends
    /// the run later (a campaign throws only its earliest row's failure).
    public var lostOutcome: (_ message: String, _ uuid: String) -> Void = { _, _ in }

    /// - Parameter store: opened on the first once-send, so runs without one never touch it.
    public init(scope: StateScope, store: @escaping () throws -> StateStore) {
        self.scope = scope
        self.openStore = store
    }

    public func store() throws -> StateStore {
        try openLock.withLock {
            if let opened { return opened }
            do {
                let s = try openStore()
                opened = s
                if let lease = s.leaseSeconds { startRenewingLeases(s, every: lease / 3) }
                return s
            } catch let e as StateStoreError {
                throw SMSError(status: nil, code: e.code, message: "send-once journal: \(e.description); nothing was sent",
                               retryable: false, notSent: true)
            }
        }
    }

    /// Runs a send at most once per key in this scope. `prepare` does what comes before the
    /// request (checks, previews, the budget, a confirmation): whatever it throws, nothing was
    /// sent. `send` makes the request; its failure frees the key only when it proves nothing
    /// was sent (`SMSError.notSent`, or the API's 4xx refusal).
    /// `request` is what the key sends: a key recorded with another request sends nothing and
    /// throws `ONCE_KEY_REUSED` (entries recorded without one are accepted).
    /// - Returns: the result, and whether it was the recorded one (nothing sent now).
    public func once<Prepared>(
        key: String, now: Double, function: String, request: RequestDigest? = nil,
        prepare: () throws -> Prepared, send: (Prepared) throws -> [String: JSONValue]
    ) throws -> (result: [String: JSONValue], replayed: Bool) {
        guard !key.isEmpty else { throw SMSError.invalidArgument("once", "\(function): 'once' must be a non-empty key") }
        let store = try self.store()
        let wall = Self.wallClock()
        let intent = JournalEntry(scope: scope, key: key, state: .intent, at: now, pid: getpid(), host: host,
                                  request: request, wallTime: wall)
        // Counted before the claim, so another thread that is refused the key sees this one.
        openLock.withLock { inFlight[key, default: 0] += 1 }
        defer {
            openLock.withLock {
                inFlight[key, default: 1] -= 1
                if inFlight[key] == 0 { inFlight[key] = nil }
            }
        }
        while let taken = try journaled({ try store.claim(intent) }) {
            try checkSameRequest(taken, request, function: function)
            if taken.state == .done {
                answered?(key, taken.result ?? [:])
                return (taken.result ?? [:], true)
            }
            let ownSend = taken.host == host && taken.pid == getpid() && othersInFlight(key)
            guard ownSend || (taken.pid != getpid() || taken.host != host) && !Self.runHasEnded(taken) else {
                throw uncertain(taken, function: function)
            }
            // Another run on this machine (or another thread of this one) is sending this key
            // right now: its outcome decides.
            if interrupted() { throw SMSError(status: nil, code: "INTERRUPTED", message: "\(function): interrupted", retryable: false, notSent: true) }
            usleep(ownSend ? 5_000 : 100_000)
        }
        if let pauseAfterIntent { usleep(UInt32(pauseAfterIntent * 1_000_000)) }
        let free = JournalEntry(scope: scope, key: key, state: .failed, at: now, pid: getpid(), host: host, wallTime: wall)
        let prepared: Prepared
        do {
            prepared = try prepare()
        } catch {
            try journaled { try store.record(free) }
            throw error
        }
        let result: [String: JSONValue]
        do {
            result = try send(prepared)
        } catch var error as SMSError {
            if let sent = error.sentResult {
                // The API accepted the send and something after it failed: the key is done,
                // so a script that retries on error cannot send a second time.
                try journaled { try store.record(done(key, sent, now, request)) }
                error.message += "; the journal has '\(key)' as sent"
                throw error
            }
            if Self.provesNothingWasSent(error) { try journaled { try store.record(free) } }
            throw error
        }
        do {
            try store.record(done(key, result, now, request))
        } catch {
            let uuid = result["uuid"]?.stringValue ?? "?"
            let message = "\(function): the send went out (uuid \(uuid)) but the journal could not record '\(key)' as sent: \(error). Do not send it again"
            lostOutcome(message, uuid)
            throw SMSError(status: nil, code: (error as? StateStoreError)?.code ?? "JOURNAL_ERROR",
                           message: message, retryable: false, sentResult: result)
        }
        return (result, false)
    }

    /// Whether a failed send certainly created no message: it never reached the server, or the
    /// API refused it (4xx: bad argument, no credit, wrong key, rate limited). After a 5xx, a
    /// timeout or a lost connection it may have.
    public static func provesNothingWasSent(_ error: SMSError) -> Bool {
        if error.sentResult != nil { return false }
        if error.notSent { return true }
        if let status = error.status { return (400..<500).contains(status) }
        return [SMSError.Code.invalidArgument, SMSError.Code.invalidMSISDN, "BUDGET_EXCEEDED", "CANCELLED", "NO_API_KEY"].contains(error.code)
    }

    private func done(_ key: String, _ result: [String: JSONValue], _ now: Double, _ request: RequestDigest?) -> JournalEntry {
        JournalEntry(scope: scope, key: key, state: .done, at: now, pid: getpid(), host: host, result: result,
                     request: request, wallTime: Self.wallClock())
    }

    /// Whether another `once` of this process is under way with `key` (besides the caller's).
    private func othersInFlight(_ key: String) -> Bool { openLock.withLock { (inFlight[key] ?? 0) > 1 } }

    /// `ONCE_KEY_REUSED` when `taken` (done or intent) was recorded for another request.
    /// - Parameter recipientsKnown: false when the caller knows only the message (sms.retry
    ///   before it pages through the recipients): recipients and schedule are not compared.
    func checkSameRequest(_ taken: JournalEntry, _ request: RequestDigest?, function: String, recipientsKnown: Bool = true) throws {
        guard let request, let recorded = taken.request else { return }
        let differences = request.differences(from: recorded, recipientsKnown: recipientsKnown)
        guard !differences.isEmpty else { return }
        let pending = taken.state == .intent ? "; its earlier send has no recorded outcome yet (smsh journal list --uncertain)" : ""
        throw SMSError(status: nil, code: "ONCE_KEY_REUSED",
                       message: "\(function): once key '\(taken.key)' was used for a different request at "
                           + "\(ISO8601Time.formatUTC(epochSeconds: taken.recordedAt)) (\(differences.joined(separator: "; "))); nothing was sent. "
                           + "Use another key for another message\(pending)",
                       retryable: false, notSent: true)
    }

    /// Seconds since 1970 by the system's real-time clock (journal listings show real times
    /// even where the session clock is virtual).
    static func wallClock() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    private func uncertain(_ e: JournalEntry, function: String) -> SMSError {
        let who = e.host.isEmpty || e.host == host ? "pid \(e.pid)" : "pid \(e.pid) on \(e.host)"
        return SMSError(status: nil, code: "JOURNAL_UNCERTAIN",
                        message: "\(function): a run (\(who)) recorded the intent to send '\(e.key)' to \(e.scope) at "
                            + "\(ISO8601Time.formatUTC(epochSeconds: e.recordedAt)) but no result: it may or may not have been sent. "
                            + "`smsh journal reconcile` finds it among the account's messages; if it was not sent, `smsh journal forget \(e.key)` allows a new send",
                        retryable: false, notSent: true)
    }

    /// Store failures as the journal's error; nothing was sent when they happen before a send.
    private func journaled<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as StateStoreError {
            throw SMSError(status: nil, code: e.code, message: "send-once journal: \(e.description)", retryable: false, notSent: true)
        }
    }

    /// Whether the run that recorded `e` has ended: a run of this host that is no longer
    /// alive; a run of another host whose lease expired (a store shared by hosts), or that
    /// holds no lease (which this host cannot check). An intent whose run has ended without an
    /// outcome is uncertain.
    public static func runHasEnded(_ e: JournalEntry) -> Bool {
        if e.host == hostName() { return !(e.pid == getpid() || isAlive(e.pid)) }
        if let lease = e.leaseUntil { return lease <= wallClock() }
        return true
    }

    /// Renews the leases of this process's open intents every `interval` seconds (a store
    /// shared by hosts): another host waits for a key under a fresh lease, and finds it
    /// uncertain once the lease has expired (this process died or lost the store).
    private func startRenewingLeases(_ store: StateStore, every interval: Double) {
        let pid = getpid()
        DispatchQueue.global().async { [weak self] in
            while true {
                usleep(UInt32(max(0.05, interval) * 1_000_000))
                guard let self else { return }
                let keys = self.openLock.withLock { Array(self.inFlight.keys) }
                try? store.renewLeases(scope: self.scope, keys: keys, host: self.host, pid: pid)
            }
        }
    }

    static func isAlive(_ pid: Int32) -> Bool { pid > 0 && (kill(pid, 0) == 0 || errno == EPERM) }

    /// The host name recorded with intents: `SMSH_HOSTNAME` when set (containers or test
    /// "hosts" that share a kernel host name), else gethostname().
    public static func hostName() -> String {
        if let p = getenv("SMSH_HOSTNAME"), p.pointee != 0 { return String(cString: p) }
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count) == 0 else { return "" }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension SendOnceJournal {
    /// A journal that lives as long as the process: for replays (deterministic every time) and
    /// tests.
    public static func inMemory(scope: StateScope) -> SendOnceJournal {
        SendOnceJournal(scope: scope, store: { try SQLiteStateStore(path: ":memory:") })
    }
}

extension SendOnceJournal {
    /// The recorded result of a key already sent in this scope (nil if it is free or uncertain).
    /// With `message` (the sender and text of the send about to be made, its recipients not
    /// known yet), a key recorded for another message throws `ONCE_KEY_REUSED`.
    public func recorded(key: String, message: RequestDigest? = nil, function: String = "sms.send") throws -> [String: JSONValue]? {
        let store = try self.store()
        let found = try journaled { try store.entry(scope: scope, key: key) }
        guard let e = found, e.state == .done else { return nil }
        try checkSameRequest(e, message, function: function, recipientsKnown: false)
        answered?(key, e.result ?? [:])
        return e.result ?? [:]
    }

    /// Records `answers` as sent keys of this scope: a replay's journal starts with the answers
    /// its recording's journal gave.
    public func seed(_ answers: [(key: String, result: [String: JSONValue])], at now: Double) throws {
        let store = try self.store()
        for a in answers {
            try journaled {
                try store.record(JournalEntry(scope: scope, key: a.key, state: .done, at: now, pid: getpid(), host: host,
                                              result: a.result, wallTime: Self.wallClock()))
            }
        }
    }

    /// Throws `JOURNAL_UNCERTAIN` for the first of `keys` whose intent was recorded by a run
    /// that ended without an outcome. A concurrent campaign calls it before its first send, so
    /// an uncertain row stops the run before any other row goes out.
    public func refuseUncertain(_ keys: [String], function: String) throws {
        let store = try self.store()
        let wanted = Set(keys)
        let open = try journaled { try store.entries(scope: scope) }
            .filter { $0.state == .intent && wanted.contains($0.key) && Self.runHasEnded($0) }
        guard !open.isEmpty else { return }
        let order = Dictionary(keys.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let first = open.min { order[$0.key, default: 0] < order[$1.key, default: 0] }!
        throw uncertain(first, function: function)
    }
}

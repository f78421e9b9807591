import SMSClient

/// Where a send-once key belongs: one API (its base URL, or `sandbox`, or a cassette under
/// replay) and one account on it (a digest of the API key, never the key). A key used in the
/// sandbox therefore never answers for the real API, nor one account for another.
public struct StateScope: Hashable, Sendable, CustomStringConvertible {
    /// `https://me-sms.com`, `http://127.0.0.1:8080`, `sandbox`, `replay:/path/x.json`.
    public let api: String
    /// A short digest of the API key ("" when there is none).
    public let account: String

    public init(api: String, account: String) {
        self.api = api
        self.account = account
    }

    /// Keys imported from the unscoped `journal.jsonl` of earlier versions: they answer for
    /// every scope, so an upgrade can never send a key a second time.
    public static let legacy = StateScope(api: "legacy", account: "")

    /// The in-process simulator of `--sandbox`. Its keys outlive a run although its account
    /// starts empty every run: a replayed key answers with a uuid the next sandbox never saw.
    public static let sandbox = StateScope(api: "sandbox", account: "")

    public var isSandbox: Bool { self == .sandbox }

    public var description: String { account.isEmpty ? api : "\(api) (account \(account))" }
}

/// One send-once key's state.
public struct JournalEntry: Equatable, Sendable {
    public enum State: String, Sendable {
        /// A run decided to send and may have: without a later `done` the outcome is unknown.
        case intent
        /// Sent; `result` is the API's answer.
        case done
        /// Certainly not sent (refused by the API or never left smsh): the key is free again.
        case failed
    }

    public let scope: StateScope
    public let key: String
    public let state: State
    /// When the state was recorded (the session clock, seconds since 1970).
    public let at: Double
    /// The process that recorded it, and its host, to tell a live run from a dead one.
    public let pid: Int32
    public let host: String
    public let result: [String: JSONValue]?
    /// What the key sent (nil for entries recorded before smsh kept it: they match anything).
    public let request: RequestDigest?
    /// When it was recorded by the wall clock (`at` is the session clock's, virtual in the
    /// sandbox and in replays); nil for entries recorded before smsh kept it.
    public let wallTime: Double?
    /// Until when (this host's wall clock, seconds since 1970) the run that recorded an intent
    /// vouches for it, in a store shared by hosts (`leaseSeconds`); nil where liveness is by pid.
    public var leaseUntil: Double?

    public init(scope: StateScope, key: String, state: State, at: Double, pid: Int32, host: String,
                result: [String: JSONValue]? = nil, request: RequestDigest? = nil, wallTime: Double? = nil,
                leaseUntil: Double? = nil) {
        self.leaseUntil = leaseUntil
        self.scope = scope
        self.key = key
        self.state = state
        self.at = at
        self.pid = pid
        self.host = host
        self.result = result
        self.request = request
        self.wallTime = wallTime
    }

    /// The real time it was recorded: the wall clock's when known, else the session clock's.
    public var recordedAt: Double { wallTime ?? at }
}

/// What must outlive a run: send-once keys (and campaign progress, which is made of them),
/// and small named values (trusted plugin folders). One local SQLite file today
/// (`SQLiteStateStore`); a shared server for a fleet of cron hosts can implement the same
/// protocol without touching its callers.
///
/// `claim` is the one step that must be atomic across processes: it reads a key and, if the
/// key is free, records the intent to send, in one transaction. Every method may be called
/// from many threads at once (sends run concurrently); an implementation may commit claims
/// that arrive together in one transaction (group commit), each keeping its own answer.
public protocol StateStore: AnyObject, Sendable {
    /// Where the state lives, for `smsh journal path` and error messages.
    var location: String { get }

    /// Records `intent` for the key if it is free (unknown or `failed`) and returns nil; if the
    /// key is taken (`intent` or `done`, in `scope` or the legacy scope) returns that entry and
    /// records nothing.
    func claim(_ intent: JournalEntry) throws -> JournalEntry?
    /// Replaces the key's entry (the outcome of a claimed send: `done` or `failed`).
    func record(_ entry: JournalEntry) throws
    /// The key's entry in `scope` (or the legacy scope), if any.
    func entry(scope: StateScope, key: String) throws -> JournalEntry?
    /// Every entry, of one scope or all, oldest first.
    func entries(scope: StateScope?) throws -> [JournalEntry]
    /// Removes the key (from `scope`, or from every scope when nil); returns how many went.
    func forget(scope: StateScope?, key: String) throws -> Int
    /// Removes every key of `scope` that starts with `keyPrefix` (a campaign's keys are
    /// `<campaign key>/…`), in one transaction; returns the entries removed, oldest first.
    func forget(scope: StateScope, keyPrefix: String) throws -> [JournalEntry]

    /// A small named value (`namespace` such as "trusted-plugins"), nil when unset.
    func value(namespace: String, key: String) throws -> String?
    /// Sets (or with nil removes) a named value.
    func setValue(_ value: String?, namespace: String, key: String) throws
    /// Every named value of `namespace`, by key.
    func values(namespace: String) throws -> [(key: String, value: String)]

    /// Seconds an intent's lease lasts in a store shared by hosts (a claim starts it, the
    /// running process renews it); nil when liveness is told by pid on one host (SQLite).
    var leaseSeconds: Double? { get }
    /// Extends the leases of the intents of `keys` recorded by `host`/`pid` in `scope`.
    func renewLeases(scope: StateScope, keys: [String], host: String, pid: Int32) throws
}

extension StateStore {
    public var leaseSeconds: Double? { nil }
    public func renewLeases(scope: StateScope, keys: [String], host: String, pid: Int32) throws {}
}

import SMSClient
#if canImport(Glibc)
import Glibc
#endif
import Threading

/// The state store in one SQLite database (`$XDG_STATE_HOME/smsh/state.sqlite3`): WAL mode so
/// readers never block the writer, `synchronous=FULL` so an intent is on disk before its send
/// leaves, mode 0600, every lookup by primary key (scope + key).
///
/// Safe to call from many threads: one connection, used under one lock. Claims (and results)
/// that arrive together are committed together (group commit): a claim queues its intent and
/// waits; whichever finds no commit under way takes everything queued into one
/// `BEGIN IMMEDIATE … COMMIT` (one fsync) and wakes each with its own answer. Within a batch
/// writes are applied in arrival order, exactly as one by one, so each key still has exactly
/// one grant, and `BEGIN IMMEDIATE` keeps that true across processes.
public final class SQLiteStateStore: StateStore, @unchecked Sendable {
    private let db: SQLiteDatabase
    public let location: String
    /// Held for every use of `db`.
    private let dbLock = ConditionVariable()
    /// Guards `pending`, `committing` and the answers; its condition wakes waiting writers.
    private let claimLock = ConditionVariable()
    private var pending: [PendingWrite] = []
    private var committing = false
    private var claimCommitCount = 0

    /// The schema this code writes (`PRAGMA user_version`): 1 added the request digest and
    /// the wall-clock time of each entry; rows from version 0 keep working without them.
    static let schemaVersion = 1

    /// Opens or creates the store at `path` (":memory:" for one that lives as long as the
    /// process, as replays use). The folder is created 0700 if missing. A `journal.jsonl` of
    /// an earlier smsh in the same folder is imported once.
    public init(path: String) throws {
        location = path
        if path != ":memory:" { try Self.makeDirectory(Self.directory(of: path)) }
        db = try SQLiteDatabase(path: path)
        try db.execute("""
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=FULL;
            CREATE TABLE IF NOT EXISTS journal(
                api TEXT NOT NULL, account TEXT NOT NULL, key TEXT NOT NULL,
                state TEXT NOT NULL, at REAL NOT NULL, pid INTEGER NOT NULL, host TEXT NOT NULL,
                result TEXT, seq INTEGER NOT NULL,
                PRIMARY KEY(api, account, key));
            CREATE TABLE IF NOT EXISTS named_values(
                namespace TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
                PRIMARY KEY(namespace, key));
            """, waitingWhileBusy: 30)
        try migrate()
        if path != ":memory:" {
            let legacy = Self.directory(of: path) + "/journal.jsonl"
            if try value(namespace: "meta", key: "imported-journal.jsonl") == nil, access(legacy, F_OK) == 0 {
                try db.writeTransaction {
                    for e in try LegacyJournal.read(path: legacy) { try insert(e) }
                    try setValueUnlocked("done", namespace: "meta", key: "imported-journal.jsonl")
                }
            }
        }
    }

    /// Brings a store written by an older smsh to `schemaVersion`, once, in one transaction
    /// (two processes opening an old store together: the second finds it done).
    private func migrate() throws {
        func version() throws -> Int {
            var v = 0
            try db.query("PRAGMA user_version") { v = Int($0.integer(0)) }
            return v
        }
        guard try version() < Self.schemaVersion else { return }
        try db.writeTransaction {
            guard try version() < 1 else { return }
            var columns: Set<String> = []
            try db.query("PRAGMA table_info(journal)") { columns.insert($0.text(1) ?? "") }
            if !columns.contains("request") { try db.execute("ALTER TABLE journal ADD COLUMN request TEXT") }
            if !columns.contains("wall") { try db.execute("ALTER TABLE journal ADD COLUMN wall REAL") }
            // Each insert reads MAX(seq): without an index that reads the whole journal.
            try db.execute("CREATE INDEX IF NOT EXISTS journal_seq ON journal(seq)")
            try db.execute("PRAGMA user_version = \(Self.schemaVersion)")
        }
    }

    /// `$XDG_STATE_HOME/smsh/state.sqlite3` (default `~/.local/state/smsh`).
    public static func defaultPath(environment get: (String) -> String? = { getenv($0).map { String(cString: $0) } }) -> String {
        let state = get("XDG_STATE_HOME").flatMap { $0.isEmpty ? nil : $0 } ?? ((get("HOME") ?? "/tmp") + "/.local/state")
        return state + "/smsh/state.sqlite3"
    }

    public func claim(_ intent: JournalEntry) throws -> JournalEntry? { try write(.claim(intent)) }

    /// An intent is fsynced before its send leaves (`claim`, `synchronous=FULL`). A result
    /// (done, or the key freed) is committed without its own fsync (`synchronous=NORMAL`): a
    /// killed process loses nothing (WAL pages are in the OS's cache), the next intent's fsync
    /// makes it durable too, and a power loss before that leaves the intent behind, which
    /// reads as JOURNAL_UNCERTAIN, never as a key free to send again. This halves the fsyncs
    /// of a journaled send (campaigns: 40 sends 0.21 s -> 0.12 s, scripts/bench/campaign).
    /// Results are grouped with whatever else is queued, as claims are.
    public func record(_ entry: JournalEntry) throws { _ = try write(.record(entry)) }

    /// Queues `w` and waits for the commit that holds it. Whichever writer finds no commit
    /// under way leads one for every write queued so far.
    private func write(_ w: PendingWrite.Kind) throws -> JournalEntry? {
        let mine = PendingWrite(w)
        claimLock.lock()
        pending.append(mine)
        while mine.answer == nil {
            guard !committing else {
                claimLock.wait()
                continue
            }
            committing = true
            let batch = pending
            pending = []
            claimLock.unlock()
            let answers = commit(batch)
            claimLock.lock()
            for (write, answer) in zip(batch, answers) { write.answer = answer }
            if batch.contains(where: \.isClaim) { claimCommitCount += 1 }
            committing = false
            claimLock.broadcast()
        }
        claimLock.unlock()
        return try mine.answer!.get()
    }

    /// Test hook: how many transactions claims have committed (fewer than claims when they
    /// were grouped).
    public var claimCommits: Int { claimLock.withLock { claimCommitCount } }

    /// One transaction for `batch`, in order; a failure of the transaction is every write's
    /// failure (nothing of it was recorded). Fsynced when it holds an intent.
    private func commit(_ batch: [PendingWrite]) -> [Result<JournalEntry?, Error>] {
        dbLock.withLock {
            do {
                let durable = batch.contains { $0.isClaim || $0.entry.state == .intent }
                try db.execute(durable ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL")
                // Every other write (forget, named values) stays fsynced, as before.
                defer { if !durable { try? db.execute("PRAGMA synchronous=FULL") } }
                return try db.writeTransaction {
                    try batch.map { write -> Result<JournalEntry?, Error> in
                        let e = write.entry
                        if write.isClaim, let taken = try entryUnlocked(scope: e.scope, key: e.key), taken.state != .failed {
                            return .success(taken)
                        }
                        try insert(e)
                        return .success(nil)
                    }
                }
            } catch {
                return batch.map { _ in .failure(error) }
            }
        }
    }

    /// A claim or a result waiting for its group's commit.
    private final class PendingWrite {
        enum Kind {
            case claim(JournalEntry)
            case record(JournalEntry)
        }
        let kind: Kind
        var answer: Result<JournalEntry?, Error>?
        init(_ kind: Kind) { self.kind = kind }
        var isClaim: Bool { if case .claim = kind { return true } else { return false } }
        var entry: JournalEntry {
            switch kind {
            case .claim(let e), .record(let e): return e
            }
        }
    }

    public func entry(scope: StateScope, key: String) throws -> JournalEntry? {
        try dbLock.withLock { try entryUnlocked(scope: scope, key: key) }
    }

    private func entryUnlocked(scope: StateScope, key: String) throws -> JournalEntry? {
        var found: [JournalEntry] = []
        try db.query("SELECT \(Self.columns) FROM journal WHERE key = ?1 AND ((api = ?2 AND account = ?3) OR (api = ?4 AND account = ?5))",
                     [.text(key), .text(scope.api), .text(scope.account), .text(StateScope.legacy.api), .text(StateScope.legacy.account)]) {
            found.append(Self.entry(from: $0))
        }
        // The key's own scope first; a legacy entry only when the scope has none.
        return found.first(where: { $0.scope == scope }) ?? found.first
    }

    public func entries(scope: StateScope?) throws -> [JournalEntry] {
        try dbLock.withLock { try entriesUnlocked(scope: scope) }
    }

    private func entriesUnlocked(scope: StateScope?) throws -> [JournalEntry] {
        var out: [JournalEntry] = []
        if let scope {
            try db.query("SELECT \(Self.columns) FROM journal WHERE api = ?1 AND account = ?2 ORDER BY seq",
                         [.text(scope.api), .text(scope.account)]) { out.append(Self.entry(from: $0)) }
        } else {
            try db.query("SELECT \(Self.columns) FROM journal ORDER BY seq") { out.append(Self.entry(from: $0)) }
        }
        return out
    }

    public func forget(scope: StateScope?, key: String) throws -> Int {
        try dbLock.withLock { try db.writeTransaction {
            if let scope {
                try db.query("DELETE FROM journal WHERE key = ?1 AND api = ?2 AND account = ?3",
                             [.text(key), .text(scope.api), .text(scope.account)])
            } else {
                try db.query("DELETE FROM journal WHERE key = ?1", [.text(key)])
            }
            return db.changes
        } }
    }

    public func forget(scope: StateScope, keyPrefix: String) throws -> [JournalEntry] {
        // substr/length rather than LIKE: no wildcards to escape, and case-sensitive as keys are.
        let match = "api = ?1 AND account = ?2 AND substr(key, 1, length(?3)) = ?3"
        let values: [SQLiteValue] = [.text(scope.api), .text(scope.account), .text(keyPrefix)]
        return try dbLock.withLock { try db.writeTransaction {
            var removed: [JournalEntry] = []
            try db.query("SELECT \(Self.columns) FROM journal WHERE \(match) ORDER BY seq", values) { removed.append(Self.entry(from: $0)) }
            try db.query("DELETE FROM journal WHERE \(match)", values)
            return removed
        } }
    }

    public func value(namespace: String, key: String) throws -> String? {
        try dbLock.withLock {
            var value: String?
            try db.query("SELECT value FROM named_values WHERE namespace = ?1 AND key = ?2", [.text(namespace), .text(key)]) {
                value = $0.text(0)
            }
            return value
        }
    }

    public func values(namespace: String) throws -> [(key: String, value: String)] {
        try dbLock.withLock {
            var out: [(key: String, value: String)] = []
            try db.query("SELECT key, value FROM named_values WHERE namespace = ?1 ORDER BY key", [.text(namespace)]) {
                out.append((key: $0.text(0) ?? "", value: $0.text(1) ?? ""))
            }
            return out
        }
    }

    public func setValue(_ value: String?, namespace: String, key: String) throws {
        try dbLock.withLock { try db.writeTransaction { try setValueUnlocked(value, namespace: namespace, key: key) } }
    }

    private func setValueUnlocked(_ value: String?, namespace: String, key: String) throws {
        if let value {
            try db.query("INSERT OR REPLACE INTO named_values(namespace, key, value) VALUES (?1, ?2, ?3)",
                         [.text(namespace), .text(key), .text(value)])
        } else {
            try db.query("DELETE FROM named_values WHERE namespace = ?1 AND key = ?2", [.text(namespace), .text(key)])
        }
    }

    private static let columns = "api, account, key, state, at, pid, host, result, request, wall"

    /// Insert or replace; `seq` orders listings by when a key was last written.
    private func insert(_ e: JournalEntry) throws {
        let result = e.result.map { JSONValue.object($0).serializedString() }
        let request = e.request.map { $0.json.serializedString(sortedKeys: true) }
        try db.query("""
            INSERT OR REPLACE INTO journal(api, account, key, state, at, pid, host, result, request, wall, seq)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, (SELECT COALESCE(MAX(seq), 0) + 1 FROM journal))
            """,
            [.text(e.scope.api), .text(e.scope.account), .text(e.key), .text(e.state.rawValue), .real(e.at),
             .integer(Int64(e.pid)), .text(e.host), result.map { .text($0) } ?? .null, request.map { .text($0) } ?? .null,
             e.wallTime.map { .real($0) } ?? .null])
    }

    private static func entry(from row: SQLiteDatabase.Row) -> JournalEntry {
        let result = row.text(7).flatMap { try? JSONValue.parse(Array($0.utf8)) }?.objectValue
        return JournalEntry(
            scope: StateScope(api: row.text(0) ?? "", account: row.text(1) ?? ""), key: row.text(2) ?? "",
            state: JournalEntry.State(rawValue: row.text(3) ?? "") ?? .intent, at: row.real(4),
            pid: Int32(truncatingIfNeeded: row.integer(5)), host: row.text(6) ?? "", result: result,
            request: row.text(8).flatMap { try? JSONValue.parse(Array($0.utf8)) }.flatMap(RequestDigest.init(json:)),
            wallTime: row.isNull(9) ? nil : row.real(9))
    }

    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func makeDirectory(_ dir: String) throws {
        var isDir = stat()
        if stat(dir, &isDir) == 0 { return }
        try makeDirectory(directory(of: dir))
        guard mkdir(dir, 0o700) == 0 || errno == EEXIST else {
            throw StateStoreError("cannot create \(dir): \(String(cString: strerror(errno)))")
        }
    }
}

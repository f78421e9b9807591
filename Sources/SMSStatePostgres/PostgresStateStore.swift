import SMSClient
import SMSState
#if canImport(Glibc)
import Glibc
#endif
import Threading

/// The state store in PostgreSQL (`state_url`), shared by every host that names it: the
/// send-once journal and campaign progress of a fleet of cron hosts, so one key sends once
/// across all of them.
///
/// - Schema: created and upgraded by smsh (`smsh_schema_version`), in one transaction under
///   `pg_advisory_xact_lock`, so two hosts starting at once are safe.
/// - Claims: one `INSERT … ON CONFLICT DO UPDATE … WHERE state = 'failed' RETURNING`
///   statement: PostgreSQL grants a key to exactly one of the hosts claiming it at once.
/// - Liveness: an intent carries host, pid and `lease_until` (the server's clock); the running
///   process renews the leases of its open intents (`renewLeases`), another host's intent under
///   a fresh lease is waited for, an expired one is uncertain. Leases read back are turned into
///   this host's clock (`JournalEntry.leaseUntil`), so clock skew between hosts does not count.
///
/// Synchronous, for smsh's worker threads, through libpq (`PQConnection`, loaded with dlopen
/// only when a `state_url` is used: the binary links no PostgreSQL driver, so its size and
/// start-up do not change). One connection carries every statement (each is atomic on its
/// own); it is opened on first use and again when it was lost. Errors name the store by its masked URL and
/// carry the code `STATE_STORE`.
public final class PostgresStateStore: StateStore, @unchecked Sendable {
    public let url: PostgresURL
    public var location: String { url.masked }
    public let leaseSeconds: Double?
    private let lock = ConditionVariable()
    private var connection: PQConnection?
    /// Whether the store holds keys of the legacy scope (imported from an old journal.jsonl
    /// through `smsh journal import`): only then does a claim look there first (a round trip).
    private var hasLegacy = true

    /// The schema this code writes.
    public static let schemaVersion = 1
    public static let defaultLeaseSeconds: Double = 30

    /// Connects, creates or upgrades the schema. Throws `StateStoreError` (`STATE_STORE`)
    /// naming the store when it is unreachable or refuses.
    public init(url: PostgresURL, leaseSeconds: Double = PostgresStateStore.defaultLeaseSeconds) throws {
        self.url = url
        self.leaseSeconds = leaseSeconds
        try lock.withLock { _ = try connectedUnlocked() }
        try migrate()
        let legacy = try run("SELECT EXISTS(SELECT 1 FROM smsh_journal WHERE api = $1 AND account = $2)",
                             [StateScope.legacy.api, StateScope.legacy.account], "cannot read the journal")
        hasLegacy = legacy.first?[0] != "f"
    }

    // MARK: connection

    private func connectedUnlocked() throws -> PQConnection {
        if let connection, connection.isOK { return connection }
        connection = nil
        do {
            let c = try PQConnection(url)
            connection = c
            return c
        } catch {
            throw failure("cannot connect", error)
        }
    }

    /// Runs `sql` with its parameters, (re)connecting first when needed; store errors name the
    /// store. The connection is used under the lock (libpq connections are not thread-safe).
    @discardableResult
    private func run(_ sql: String, _ parameters: [String?] = [], _ doing: String = "query failed") throws -> PQConnection.Rows {
        try lock.withLock {
            let c = try connectedUnlocked()
            do {
                return try c.exec(sql, parameters)
            } catch {
                throw failure(doing, error)
            }
        }
    }

    /// A store error naming the store (masked) and what PostgreSQL or libpq said.
    func failure(_ doing: String, _ error: Error) -> StateStoreError {
        let failure = error as? PQConnection.Failure
        let state = failure?.sqlState.map { " (SQLSTATE \($0))" } ?? ""
        let said = failure?.description ?? String(describing: error)
        return StateStoreError("state store \(url.masked): \(doing): \(said)\(state)", code: "STATE_STORE")
    }

    // MARK: schema

    private func migrate() throws {
        try lock.withLock {
            let c = try connectedUnlocked()
            func q(_ sql: String) throws -> PQConnection.Rows {
                do { return try c.exec(sql) } catch { throw failure("cannot create the schema", error) }
            }
            // Fast path: the schema is there already.
            if let rows = try? c.exec("SELECT max(version) FROM smsh_schema_version"),
               let v = rows.first?[0].flatMap({ Int($0) }), v >= Self.schemaVersion {
                return
            }
            _ = try q("BEGIN")
            do {
                // Hosts starting at once queue here; the second finds the work done.
                _ = try q("SELECT pg_advisory_xact_lock(7310485212)")
                _ = try q("CREATE TABLE IF NOT EXISTS smsh_schema_version(version INTEGER NOT NULL)")
                let v = try q("SELECT max(version) FROM smsh_schema_version").first?[0].flatMap { Int($0) } ?? 0
                if v < 1 {
                    _ = try q("CREATE SEQUENCE IF NOT EXISTS smsh_journal_seq")
                    _ = try q("""
                        CREATE TABLE IF NOT EXISTS smsh_journal(
                            api TEXT NOT NULL, account TEXT NOT NULL, key TEXT NOT NULL,
                            state TEXT NOT NULL, at DOUBLE PRECISION NOT NULL, pid INTEGER NOT NULL, host TEXT NOT NULL,
                            result TEXT, request TEXT, wall DOUBLE PRECISION, lease_until DOUBLE PRECISION,
                            seq BIGINT NOT NULL,
                            PRIMARY KEY(api, account, key))
                        """)
                    _ = try q("CREATE INDEX IF NOT EXISTS smsh_journal_by_seq ON smsh_journal(seq)")
                    _ = try q("""
                        CREATE TABLE IF NOT EXISTS smsh_named_values(
                            namespace TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
                            PRIMARY KEY(namespace, key))
                        """)
                    _ = try q("""
                        CREATE TABLE IF NOT EXISTS smsh_locks(
                            name TEXT PRIMARY KEY, pid INTEGER NOT NULL, host TEXT NOT NULL)
                        """)
                    _ = try q("INSERT INTO smsh_schema_version(version) VALUES (1)")
                }
                _ = try q("COMMIT")
            } catch {
                _ = try? c.exec("ROLLBACK")
                throw error
            }
        }
    }

    // MARK: StateStore

    /// Selected columns; `lease_left` is the lease's remaining seconds by the server's clock.
    private static let columns = """
        api, account, key, state, at, pid, host, result, request, wall,
        lease_until - extract(epoch from clock_timestamp())::double precision AS lease_left, seq
        """

    /// An entry's values for `$1`…`$10` of the INSERTs below.
    private static func parameters(_ e: JournalEntry) -> [String?] {
        [e.scope.api, e.scope.account, e.key, e.state.rawValue, text(e.at), String(e.pid), e.host,
         e.result.map { JSONValue.object($0).serializedString() }, e.request.map { $0.json.serializedString(sortedKeys: true) },
         e.wallTime.map(text)]
    }

    /// A Double as PostgreSQL reads it back exactly (Swift's shortest round-trip form).
    private static func text(_ d: Double) -> String { d.description }

    public func claim(_ intent: JournalEntry) throws -> JournalEntry? {
        while true {
            if intent.scope != .legacy, lock.withLock({ hasLegacy }), let legacy = try entryIn(.legacy, key: intent.key), legacy.state != .failed {
                return legacy
            }
            let lease = leaseSeconds ?? Self.defaultLeaseSeconds
            let granted = try run("""
                INSERT INTO smsh_journal(api, account, key, state, at, pid, host, result, request, wall, lease_until, seq)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
                        extract(epoch from clock_timestamp())::double precision + $11, nextval('smsh_journal_seq'))
                ON CONFLICT (api, account, key) DO UPDATE SET
                    state = EXCLUDED.state, at = EXCLUDED.at, pid = EXCLUDED.pid, host = EXCLUDED.host,
                    result = EXCLUDED.result, request = EXCLUDED.request, wall = EXCLUDED.wall,
                    lease_until = EXCLUDED.lease_until, seq = EXCLUDED.seq
                WHERE smsh_journal.state = 'failed'
                RETURNING 1
                """, Self.parameters(intent) + [Self.text(lease)], "cannot record the intent to send '\(intent.key)'")
            if !granted.isEmpty { return nil }
            // Taken: report the holder (freed in between, e.g. by a forget: claim again).
            if let taken = try entryIn(intent.scope, key: intent.key), taken.state != .failed { return taken }
        }
    }

    public func record(_ e: JournalEntry) throws {
        if e.scope == .legacy { lock.withLock { hasLegacy = true } }
        // An intent written as such (an import) keeps no lease of a live run: it is uncertain.
        try run("""
            INSERT INTO smsh_journal(api, account, key, state, at, pid, host, result, request, wall, lease_until, seq)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, nextval('smsh_journal_seq'))
            ON CONFLICT (api, account, key) DO UPDATE SET
                state = EXCLUDED.state, at = EXCLUDED.at, pid = EXCLUDED.pid, host = EXCLUDED.host,
                result = EXCLUDED.result, request = EXCLUDED.request, wall = EXCLUDED.wall,
                lease_until = NULL, seq = EXCLUDED.seq
            """, Self.parameters(e), "cannot record the outcome of '\(e.key)'")
    }

    public func entry(scope: StateScope, key: String) throws -> JournalEntry? {
        if let own = try entryIn(scope, key: key) { return own }
        return scope == .legacy ? nil : try entryIn(.legacy, key: key)
    }

    private func entryIn(_ scope: StateScope, key: String) throws -> JournalEntry? {
        let rows = try run("SELECT \(Self.columns) FROM smsh_journal WHERE api = $1 AND account = $2 AND key = $3",
                           [scope.api, scope.account, key], "cannot read '\(key)'")
        return try rows.first.map(Self.entry(from:))
    }

    public func entries(scope: StateScope?) throws -> [JournalEntry] {
        let rows: PQConnection.Rows
        if let scope {
            rows = try run("SELECT \(Self.columns) FROM smsh_journal WHERE api = $1 AND account = $2 ORDER BY seq",
                           [scope.api, scope.account], "cannot list the journal")
        } else {
            rows = try run("SELECT \(Self.columns) FROM smsh_journal ORDER BY seq", [], "cannot list the journal")
        }
        return try rows.values.map(Self.entry(from:))
    }

    public func forget(scope: StateScope?, key: String) throws -> Int {
        let result: PQConnection.Rows
        if let scope {
            result = try run("DELETE FROM smsh_journal WHERE api = $1 AND account = $2 AND key = $3",
                             [scope.api, scope.account, key], "cannot forget '\(key)'")
        } else {
            result = try run("DELETE FROM smsh_journal WHERE key = $1", [key], "cannot forget '\(key)'")
        }
        return result.affected
    }

    public func forget(scope: StateScope, keyPrefix: String) throws -> [JournalEntry] {
        let rows = try run("""
            DELETE FROM smsh_journal
            WHERE api = $1 AND account = $2 AND left(key, length($3)) = $3
            RETURNING \(Self.columns)
            """, [scope.api, scope.account, keyPrefix], "cannot forget the keys starting with '\(keyPrefix)'")
        let removed = try rows.values.map(Self.entryAndSeq(from:))
        return removed.sorted { $0.seq < $1.seq }.map(\.entry)
    }

    public func renewLeases(scope: StateScope, keys: [String], host: String, pid: Int32) throws {
        guard !keys.isEmpty else { return }
        let lease = leaseSeconds ?? Self.defaultLeaseSeconds
        try run("""
            UPDATE smsh_journal SET lease_until = extract(epoch from clock_timestamp())::double precision + $1
            WHERE api = $2 AND account = $3 AND key = ANY($4::text[])
              AND state = 'intent' AND host = $5 AND pid = $6
            """, [Self.text(lease), scope.api, scope.account, PQConnection.array(keys), host, String(pid)],
            "cannot renew the leases of open intents")
    }

    public func value(namespace: String, key: String) throws -> String? {
        try run("SELECT value FROM smsh_named_values WHERE namespace = $1 AND key = $2", [namespace, key]).first?[0] ?? nil
    }

    public func values(namespace: String) throws -> [(key: String, value: String)] {
        try run("SELECT key, value FROM smsh_named_values WHERE namespace = $1 ORDER BY key", [namespace]).values
            .map { (key: $0[0] ?? "", value: $0[1] ?? "") }
    }

    public func setValue(_ value: String?, namespace: String, key: String) throws {
        if let value {
            try run("""
                INSERT INTO smsh_named_values(namespace, key, value) VALUES ($1, $2, $3)
                ON CONFLICT (namespace, key) DO UPDATE SET value = EXCLUDED.value
                """, [namespace, key, value])
        } else {
            try run("DELETE FROM smsh_named_values WHERE namespace = $1 AND key = $2", [namespace, key])
        }
    }

    private static func entry(from row: [String?]) throws -> JournalEntry { try entryAndSeq(from: row).entry }

    private static func entryAndSeq(from row: [String?]) throws -> (entry: JournalEntry, seq: Int64) {
        func bad(_ column: String) -> StateStoreError {
            StateStoreError("state store: a journal row has no readable \(column)", code: "STATE_STORE")
        }
        guard row.count == 12, let api = row[0], let account = row[1], let key = row[2], let state = row[3] else { throw bad("key") }
        guard let at = row[4].flatMap(Double.init), let pid = row[5].flatMap({ Int32($0) }), let host = row[6] else { throw bad("time, pid or host") }
        guard let seq = row[11].flatMap({ Int64($0) }) else { throw bad("sequence number") }
        let entry = JournalEntry(
            scope: StateScope(api: api, account: account), key: key, state: JournalEntry.State(rawValue: state) ?? .intent,
            at: at, pid: pid, host: host,
            result: row[7].flatMap { try? JSONValue.parse(Array($0.utf8)) }?.objectValue,
            request: row[8].flatMap { try? JSONValue.parse(Array($0.utf8)) }.flatMap(RequestDigest.init(json:)),
            wallTime: row[9].flatMap(Double.init),
            leaseUntil: state == "intent" ? row[10].flatMap(Double.init).map { wallClock() + $0 } : nil)
        return (entry, seq)
    }

    static func wallClock() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}

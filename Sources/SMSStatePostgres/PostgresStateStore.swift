import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import SMSClient
import SMSState
#if canImport(Glibc)
import Glibc
#endif

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
/// Synchronous, for smsh's worker threads: every call blocks on NIO futures (never call it on
/// an event loop). One connection carries every statement (each is atomic on its own); it is
/// opened on first use and again when it was lost. Errors name the store by its masked URL and
/// carry the code `STATE_STORE`.
public final class PostgresStateStore: StateStore, @unchecked Sendable {
    public let url: PostgresURL
    public var location: String { url.masked }
    public let leaseSeconds: Double?
    private let configuration: PostgresConnection.Configuration
    private let logger = Logger(label: "smsh.state", factory: { _ in SwiftLogNoOpLogHandler() })
    private let lock = PGLock()
    private var connection: PostgresConnection?
    private var nextID = 1
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
        configuration = try Self.configuration(url)
        try lock.withLock { _ = try connectedUnlocked() }
        try migrate()
        let legacy = try run("SELECT EXISTS(SELECT 1 FROM smsh_journal WHERE api = \(StateScope.legacy.api) AND account = \(StateScope.legacy.account))",
                             "cannot read the journal")
        hasLegacy = try legacy.first?.decode(Bool.self) ?? true
    }

    /// The connection settings of `url` (TLS by `sslmode`).
    public static func configuration(_ url: PostgresURL) throws -> PostgresConnection.Configuration {
        func context(_ verify: CertificateVerification) throws -> NIOSSLContext {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = verify
            if let root = url.sslRootCert, verify != .none { tls.trustRoots = .file(root) }
            do {
                return try NIOSSLContext(configuration: tls)
            } catch {
                throw StateStoreError("state store \(url.masked): cannot use sslrootcert \(url.sslRootCert ?? "-"): \(error)", code: "STATE_STORE")
            }
        }
        let tls: PostgresConnection.Configuration.TLS
        switch url.sslMode {
        case .disable: tls = .disable
        case .allow, .prefer: tls = .prefer(try context(.none))
        case .require: tls = .require(try context(.none))
        case .verifyCA: tls = .require(try context(.noHostnameVerification))
        case .verifyFull: tls = .require(try context(.fullVerification))
        }
        var c = PostgresConnection.Configuration(host: url.host, port: url.port, username: url.user, password: url.password,
                                                 database: url.database, tls: tls)
        c.options.connectTimeout = .seconds(10)
        let isAddress = url.host.allSatisfy { $0.isNumber || $0 == "." } || url.host.contains(":")
        c.options.tlsServerName = isAddress ? nil : url.host
        return c
    }

    deinit {
        if let connection { closeConnection(connection) }
    }

    // MARK: connection

    private func connectedUnlocked() throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        if let lost = connection { closeConnection(lost) }
        connection = nil
        do {
            let c = try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration,
                                                   id: nextID, logger: logger).wait()
            nextID += 1
            connection = c
            return c
        } catch {
            throw failure("cannot connect", error)
        }
    }

    /// Runs `query`, (re)connecting first when needed; store errors name the store.
    @discardableResult
    private func run(_ query: PostgresQuery, _ doing: String = "query failed") throws -> PostgresQueryResult {
        let c = try lock.withLock { try connectedUnlocked() }
        do {
            return try c.query(query, logger: logger).wait()
        } catch {
            throw failure(doing, error)
        }
    }

    /// A store error naming the store (masked) and what PostgreSQL or the network said.
    func failure(_ doing: String, _ error: Error) -> StateStoreError {
        StateStoreError("state store \(url.masked): \(doing): \(Self.describe(error))", code: "STATE_STORE")
    }

    /// PSQLError's own description hides everything (to keep secrets out); this picks what is
    /// safe and useful: the server's message, or the connection's error.
    public static func describe(_ error: Error) -> String {
        if let e = error as? PSQLError {
            if let message = e.serverInfo?[.message] {
                let state = e.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                return message + state
            }
            if let underlying = e.underlying { return describe(underlying) }
            switch e.code {
            case .serverClosedConnection: return "the server closed the connection"
            case .clientClosedConnection: return "the connection was closed"
            case .sslUnsupported: return "the server does not support TLS (sslmode requires it)"
            case .authMechanismRequiresPassword: return "the server asks for a password and none was given (URL, $PGPASSWORD or ~/.pgpass)"
            default: return "\(e.code)"
            }
        }
        if let e = error as? NIOConnectionError {
            if let first = e.connectionErrors.first { return describe(first.error) }
            if let dns = e.dnsAAAAError ?? e.dnsAError { return "cannot resolve \(e.host): \(dns)" }
            return "cannot connect to \(e.host):\(e.port)"
        }
        if let e = error as? IOError { return e.description }
        if let e = error as? ChannelError {
            if case .connectTimeout = e { return "connection timed out" }
            return "\(e)"
        }
        if let e = error as? NIOSSLError { return "TLS: \(e)" }
        if let e = error as? BoringSSLError { return "TLS: \(e)" }
        return String(describing: error)
    }

    // MARK: schema

    private func migrate() throws {
        let c = try lock.withLock { try connectedUnlocked() }
        func q(_ query: PostgresQuery) throws -> PostgresQueryResult {
            do { return try c.query(query, logger: logger).wait() } catch { throw failure("cannot create the schema", error) }
        }
        // Fast path: the schema is there already.
        if let rows = try? c.query("SELECT max(version) FROM smsh_schema_version", logger: logger).wait(),
           let v = try? rows.first?.decode(Int?.self), (v ?? 0) >= Self.schemaVersion {
            return
        }
        _ = try q("BEGIN")
        do {
            // Hosts starting at once queue here; the second finds the work done.
            _ = try q("SELECT pg_advisory_xact_lock(7310485212)")
            _ = try q("CREATE TABLE IF NOT EXISTS smsh_schema_version(version INTEGER NOT NULL)")
            let v = try q("SELECT max(version) FROM smsh_schema_version").first.flatMap { try $0.decode(Int?.self) } ?? 0
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
            _ = try? c.query("ROLLBACK", logger: logger).wait()
            throw error
        }
    }

    // MARK: StateStore

    /// Selected columns; `lease_left` is the lease's remaining seconds by the server's clock.
    private static let columns = """
        api, account, key, state, at, pid, host, result, request, wall,
        lease_until - extract(epoch from clock_timestamp())::double precision AS lease_left, seq
        """

    public func claim(_ intent: JournalEntry) throws -> JournalEntry? {
        while true {
            if intent.scope != .legacy, lock.withLock({ hasLegacy }), let legacy = try entryIn(.legacy, key: intent.key), legacy.state != .failed {
                return legacy
            }
            let e = intent
            let lease = leaseSeconds ?? Self.defaultLeaseSeconds
            let result = e.result.map { JSONValue.object($0).serializedString() }
            let request = e.request.map { $0.json.serializedString(sortedKeys: true) }
            let granted = try run("""
                INSERT INTO smsh_journal(api, account, key, state, at, pid, host, result, request, wall, lease_until, seq)
                VALUES (\(e.scope.api), \(e.scope.account), \(e.key), \(e.state.rawValue), \(e.at), \(e.pid), \(e.host),
                        \(result), \(request), \(e.wallTime),
                        extract(epoch from clock_timestamp())::double precision + \(lease), nextval('smsh_journal_seq'))
                ON CONFLICT (api, account, key) DO UPDATE SET
                    state = EXCLUDED.state, at = EXCLUDED.at, pid = EXCLUDED.pid, host = EXCLUDED.host,
                    result = EXCLUDED.result, request = EXCLUDED.request, wall = EXCLUDED.wall,
                    lease_until = EXCLUDED.lease_until, seq = EXCLUDED.seq
                WHERE smsh_journal.state = 'failed'
                RETURNING 1
                """, "cannot record the intent to send '\(e.key)'")
            if !granted.rows.isEmpty { return nil }
            // Taken: report the holder (freed in between, e.g. by a forget: claim again).
            if let taken = try entryIn(intent.scope, key: intent.key), taken.state != .failed { return taken }
        }
    }

    public func record(_ e: JournalEntry) throws {
        if e.scope == .legacy { lock.withLock { hasLegacy = true } }
        let result = e.result.map { JSONValue.object($0).serializedString() }
        let request = e.request.map { $0.json.serializedString(sortedKeys: true) }
        // An intent written as such (an import) keeps no lease of a live run: it is uncertain.
        try run("""
            INSERT INTO smsh_journal(api, account, key, state, at, pid, host, result, request, wall, lease_until, seq)
            VALUES (\(e.scope.api), \(e.scope.account), \(e.key), \(e.state.rawValue), \(e.at), \(e.pid), \(e.host),
                    \(result), \(request), \(e.wallTime), NULL, nextval('smsh_journal_seq'))
            ON CONFLICT (api, account, key) DO UPDATE SET
                state = EXCLUDED.state, at = EXCLUDED.at, pid = EXCLUDED.pid, host = EXCLUDED.host,
                result = EXCLUDED.result, request = EXCLUDED.request, wall = EXCLUDED.wall,
                lease_until = NULL, seq = EXCLUDED.seq
            """, "cannot record the outcome of '\(e.key)'")
    }

    public func entry(scope: StateScope, key: String) throws -> JournalEntry? {
        if let own = try entryIn(scope, key: key) { return own }
        return scope == .legacy ? nil : try entryIn(.legacy, key: key)
    }

    private func entryIn(_ scope: StateScope, key: String) throws -> JournalEntry? {
        let rows = try run("SELECT \(unescaped: Self.columns) FROM smsh_journal WHERE api = \(scope.api) AND account = \(scope.account) AND key = \(key)",
                           "cannot read '\(key)'")
        return try rows.first.map(Self.entry(from:))
    }

    public func entries(scope: StateScope?) throws -> [JournalEntry] {
        let rows: PostgresQueryResult
        if let scope {
            rows = try run("SELECT \(unescaped: Self.columns) FROM smsh_journal WHERE api = \(scope.api) AND account = \(scope.account) ORDER BY seq",
                           "cannot list the journal")
        } else {
            rows = try run("SELECT \(unescaped: Self.columns) FROM smsh_journal ORDER BY seq", "cannot list the journal")
        }
        return try rows.map(Self.entry(from:))
    }

    public func forget(scope: StateScope?, key: String) throws -> Int {
        let result: PostgresQueryResult
        if let scope {
            result = try run("DELETE FROM smsh_journal WHERE api = \(scope.api) AND account = \(scope.account) AND key = \(key)",
                             "cannot forget '\(key)'")
        } else {
            result = try run("DELETE FROM smsh_journal WHERE key = \(key)", "cannot forget '\(key)'")
        }
        return result.metadata.rows ?? 0
    }

    public func forget(scope: StateScope, keyPrefix: String) throws -> [JournalEntry] {
        let rows = try run("""
            DELETE FROM smsh_journal
            WHERE api = \(scope.api) AND account = \(scope.account) AND left(key, length(\(keyPrefix))) = \(keyPrefix)
            RETURNING \(unescaped: Self.columns)
            """, "cannot forget the keys starting with '\(keyPrefix)'")
        let removed = try rows.map(Self.entryAndSeq(from:))
        return removed.sorted { $0.seq < $1.seq }.map(\.entry)
    }

    public func renewLeases(scope: StateScope, keys: [String], host: String, pid: Int32) throws {
        guard !keys.isEmpty else { return }
        let lease = leaseSeconds ?? Self.defaultLeaseSeconds
        try run("""
            UPDATE smsh_journal SET lease_until = extract(epoch from clock_timestamp())::double precision + \(lease)
            WHERE api = \(scope.api) AND account = \(scope.account) AND key = ANY(\(keys))
              AND state = 'intent' AND host = \(host) AND pid = \(pid)
            """, "cannot renew the leases of open intents")
    }

    public func value(namespace: String, key: String) throws -> String? {
        let rows = try run("SELECT value FROM smsh_named_values WHERE namespace = \(namespace) AND key = \(key)")
        return try rows.first?.decode(String.self)
    }

    public func values(namespace: String) throws -> [(key: String, value: String)] {
        let rows = try run("SELECT key, value FROM smsh_named_values WHERE namespace = \(namespace) ORDER BY key")
        return try rows.map { row in
            let (k, v) = try row.decode((String, String).self)
            return (key: k, value: v)
        }
    }

    public func setValue(_ value: String?, namespace: String, key: String) throws {
        if let value {
            try run("""
                INSERT INTO smsh_named_values(namespace, key, value) VALUES (\(namespace), \(key), \(value))
                ON CONFLICT (namespace, key) DO UPDATE SET value = EXCLUDED.value
                """)
        } else {
            try run("DELETE FROM smsh_named_values WHERE namespace = \(namespace) AND key = \(key)")
        }
    }

    private static func entry(from row: PostgresRow) throws -> JournalEntry { try entryAndSeq(from: row).entry }

    private static func entryAndSeq(from row: PostgresRow) throws -> (entry: JournalEntry, seq: Int64) {
        let (api, account, key, state, at, pid, host, result, request, wall, leaseLeft, seq) =
            try row.decode((String, String, String, String, Double, Int32, String, String?, String?, Double?, Double?, Int64).self)
        let entry = JournalEntry(
            scope: StateScope(api: api, account: account), key: key, state: JournalEntry.State(rawValue: state) ?? .intent,
            at: at, pid: pid, host: host,
            result: result.flatMap { try? JSONValue.parse(Array($0.utf8)) }?.objectValue,
            request: request.flatMap { try? JSONValue.parse(Array($0.utf8)) }.flatMap(RequestDigest.init(json:)),
            wallTime: wall,
            leaseUntil: state == "intent" ? leaseLeft.map { wallClock() + $0 } : nil)
        return (entry, seq)
    }

    static func wallClock() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}

/// A pthread mutex (SMSState's StoreLock is internal to it).
final class PGLock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    init() { pthread_mutex_init(mutex, nil) }
    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}

/// Closes `c` without blocking, keeping it alive until the channel is closed (PostgresNIO
/// asserts that a connection is closed before it is released).
func closeConnection(_ c: PostgresConnection) {
    (c.close() as EventLoopFuture<Void>).whenComplete { _ in withExtendedLifetime(c) {} }
}

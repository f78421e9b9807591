import CSQLite
#if canImport(Glibc)
import Glibc
#endif

/// A thin, throwing wrapper over one sqlite3 connection: open, execute, prepared statements.
/// Only what the state store needs; every failure is a `StateStoreError` with SQLite's message.
final class SQLiteDatabase {
    private var handle: OpaquePointer?
    let path: String

    /// Opens (creating with mode 0600 if missing) the database at `path`; ":memory:" for a
    /// private in-memory one.
    init(path: String) throws {
        self.path = path
        if path != ":memory:" {
            // Created here, not by SQLite, so the file is 0600 from its first byte whatever the
            // umask; SQLite gives its -wal and -shm files the same permissions.
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw StateStoreError("cannot open \(path): \(String(cString: strerror(errno)))") }
            close(fd)
        }
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
        let rc = smsh_sqlite3_open_v2(path, &handle, flags, nil)
        guard rc == SQLITE_OK else {
            let message = handle.map { String(cString: smsh_sqlite3_errmsg($0)) } ?? "error \(rc)"
            smsh_sqlite3_close(handle)
            handle = nil
            throw StateStoreError("cannot open \(path): \(message)")
        }
        // Concurrent runs wait for each other's short write transactions instead of failing.
        smsh_sqlite3_busy_timeout(handle, 30_000)
    }

    deinit { smsh_sqlite3_close(handle) }

    /// Runs statements that return no rows. With `waitingWhileBusy`, asks again every 10 ms
    /// for up to that many seconds while the file is busy: for the statements that set a store
    /// up (`PRAGMA journal_mode=WAL`, `CREATE TABLE IF NOT EXISTS`). Two processes opening a
    /// new file at once: while it is still in rollback mode, or turning to WAL, SQLite answers
    /// "database is locked" at once rather than waiting (the busy timeout does not apply where
    /// waiting could deadlock), and the second would fail.
    func execute(_ sql: String, waitingWhileBusy seconds: Double = 0) throws {
        var waited = 0.0
        while true {
            var error: UnsafeMutablePointer<CChar>?
            let rc = smsh_sqlite3_exec(handle, sql, &error)
            if rc == SQLITE_OK { return }
            let message = error.map { String(cString: $0) } ?? lastError
            smsh_sqlite3_free(error)
            let busy = rc & 0xFF == SQLITE_BUSY || rc & 0xFF == SQLITE_LOCKED
            guard busy, waited < seconds else { throw StateStoreError("\(path): \(message)") }
            usleep(10_000)
            waited += 0.01
        }
    }

    /// Prepares `sql`, binds `values` to ?1, ?2, …, and calls `row` for every result row.
    func query(_ sql: String, _ values: [SQLiteValue] = [], row: (Row) throws -> Void = { _ in }) throws {
        var statement: OpaquePointer?
        guard smsh_sqlite3_prepare_v2(handle, sql, &statement) == SQLITE_OK else {
            throw StateStoreError("\(path): \(lastError)")
        }
        defer { smsh_sqlite3_finalize(statement) }
        for (i, value) in values.enumerated() {
            let index = Int32(i + 1)
            switch value {
            case .null: smsh_sqlite3_bind_null(statement, index)
            case .integer(let n): smsh_sqlite3_bind_int64(statement, index, n)
            case .real(let d): smsh_sqlite3_bind_double(statement, index, d)
            case .text(let s):
                // A C string: SQLite copies it (SQLITE_TRANSIENT) before the call returns.
                _ = s.withCString { smsh_sqlite3_bind_text(statement, index, $0, -1) }
            }
        }
        while true {
            let rc = smsh_sqlite3_step(statement)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else { throw StateStoreError("\(path): \(lastError)") }
            try row(Row(statement: statement))
        }
    }

    /// Runs `body` in one write transaction (taken at once, so two runs cannot both read a
    /// key as free and then both write it). Rolled back if `body` throws.
    func writeTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Rows changed by the last statement.
    var changes: Int { Int(smsh_sqlite3_changes(handle)) }

    private var lastError: String { String(cString: smsh_sqlite3_errmsg(handle)) }

    /// One result row; columns counted from 0.
    struct Row {
        let statement: OpaquePointer?
        func text(_ column: Int32) -> String? {
            guard let p = smsh_sqlite3_column_text(statement, column) else { return nil }
            return String(cString: p)
        }
        func real(_ column: Int32) -> Double { smsh_sqlite3_column_double(statement, column) }
        func integer(_ column: Int32) -> Int64 { smsh_sqlite3_column_int64(statement, column) }
        /// SQL NULL (read before the column in another type: SQLite converts in place).
        func isNull(_ column: Int32) -> Bool { smsh_sqlite3_column_text(statement, column) == nil }
    }
}

enum SQLiteValue {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
}

/// A failure of the local state store (cannot open, disk full, corrupt file).
public struct StateStoreError: Error, CustomStringConvertible, Equatable {
    public let description: String
    /// The error code a send reports: `JOURNAL_ERROR` (the local store), `STATE_STORE` (a
    /// shared store that is unreachable or refusing: exit 11).
    public var code = "JOURNAL_ERROR"
    init(_ description: String) { self.description = description }
    public init(_ description: String, code: String) {
        self.description = description
        self.code = code
    }
}

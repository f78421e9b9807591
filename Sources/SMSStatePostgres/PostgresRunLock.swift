import SMSState
#if canImport(Glibc)
import Glibc
#endif

/// `smsh run --lock NAME` when the state is in PostgreSQL: a session advisory lock
/// (`pg_try_advisory_lock`) held on a connection of its own for the whole run, so the lock
/// spans every host that shares the store. A killed run's connection drops and the server
/// releases its lock. The holder's pid and host are kept in `smsh_locks` for the refusal
/// message.
public final class PostgresRunLock: @unchecked Sendable {
    public enum Outcome: Equatable {
        case acquired
        case heldBy(pid: Int32?, host: String?)
    }

    public let name: String
    private let url: PostgresURL
    private var connection: PQConnection?

    public init(name: String, url: PostgresURL) {
        self.name = name
        self.url = url
    }

    private var lockName: String { "smsh run lock " + name }

    /// Takes the lock or says who holds it. Throws `StateStoreError` (`STATE_STORE`) when the
    /// store cannot be reached.
    public func acquire(host: String, pid: Int32 = getpid()) throws -> Outcome {
        // The schema (smsh_locks) first, with the store's own migration.
        _ = try PostgresStateStore(url: url)
        func fail(_ doing: String, _ error: Error) -> StateStoreError {
            StateStoreError("state store \(url.masked): \(doing): \((error as? PQConnection.Failure)?.description ?? String(describing: error))",
                            code: "STATE_STORE")
        }
        let c: PQConnection
        do {
            c = try PQConnection(url)
        } catch {
            throw fail("cannot connect", error)
        }
        do {
            let got = try c.exec("SELECT pg_try_advisory_lock(hashtextextended($1, 0))", [lockName])
            guard got.first?[0] == "t" else {
                let holder = try? c.exec("SELECT pid, host FROM smsh_locks WHERE name = $1", [name]).first
                return .heldBy(pid: holder?[0].flatMap { Int32($0) }, host: holder?[1] ?? nil)
            }
            try c.exec("""
                INSERT INTO smsh_locks(name, pid, host) VALUES ($1, $2, $3)
                ON CONFLICT (name) DO UPDATE SET pid = EXCLUDED.pid, host = EXCLUDED.host
                """, [name, String(pid), host])
        } catch {
            throw fail("cannot take the lock '\(name)'", error)
        }
        connection = c
        return .acquired
    }

    /// Releases the lock (the connection's end releases it too).
    public func release() {
        guard let c = connection else { return }
        connection = nil
        _ = try? c.exec("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [lockName])
    }

    deinit { release() }
}

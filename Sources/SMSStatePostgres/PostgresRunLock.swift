import Logging
import NIOCore
import NIOPosix
import PostgresNIO
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
    private var connection: PostgresConnection?
    private let logger = Logger(label: "smsh.lock", factory: { _ in SwiftLogNoOpLogHandler() })

    public init(name: String, url: PostgresURL) {
        self.name = name
        self.url = url
    }

    /// Takes the lock or says who holds it. Throws `StateStoreError` (`STATE_STORE`) when the
    /// store cannot be reached.
    public func acquire(host: String, pid: Int32 = getpid()) throws -> Outcome {
        // The schema (smsh_locks) first, with the store's own migration.
        _ = try PostgresStateStore(url: url)
        func fail(_ doing: String, _ error: Error) -> StateStoreError {
            StateStoreError("state store \(url.masked): \(doing): \(PostgresStateStore.describe(error))", code: "STATE_STORE")
        }
        let c: PostgresConnection
        do {
            c = try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.any(),
                                               configuration: try PostgresStateStore.configuration(url), id: 0, logger: logger).wait()
        } catch let e as StateStoreError {
            throw e
        } catch {
            throw fail("cannot connect", error)
        }
        let lockName = "smsh run lock " + name
        do {
            let got = try c.query("SELECT pg_try_advisory_lock(hashtextextended(\(lockName), 0))", logger: logger).wait()
            guard try got.first?.decode(Bool.self) == true else {
                let holder = try? c.query("SELECT pid, host FROM smsh_locks WHERE name = \(name)", logger: logger).wait()
                closeConnection(c)
                let row = try? holder?.first?.decode((Int32, String).self)
                return .heldBy(pid: row?.0, host: row?.1)
            }
            try c.query("""
                INSERT INTO smsh_locks(name, pid, host) VALUES (\(name), \(pid), \(host))
                ON CONFLICT (name) DO UPDATE SET pid = EXCLUDED.pid, host = EXCLUDED.host
                """, logger: logger).wait()
        } catch {
            closeConnection(c)
            throw fail("cannot take the lock '\(name)'", error)
        }
        connection = c
        return .acquired
    }

    /// Releases the lock (the connection's end releases it too).
    public func release() {
        guard let c = connection else { return }
        connection = nil
        _ = try? c.query("SELECT pg_advisory_unlock(hashtextextended(\("smsh run lock " + name), 0))", logger: logger).wait()
        closeConnection(c)
    }

    deinit { release() }
}

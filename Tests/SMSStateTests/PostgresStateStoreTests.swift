import Foundation
import PostgresTestSupport
import SMSClient
import SMSState
import SMSStatePostgres
import TLSTestSupport
import XCTest

/// The PostgreSQL state store on a throw-away cluster (PostgresTestSupport): the
/// `StateStore` contract, and what is its own: the schema made once by hosts starting
/// together, leases, libpq's password sources, and failures that name the store masked.
final class PostgresStateStoreTests: StateStoreContractTests {
    private var database: String!
    private var cluster: PostgresCluster!

    override func setUpWithError() throws {
        do {
            (cluster, database) = try SharedPostgres.newDatabase()
        } catch let e as PostgresCluster.Unavailable {
            throw XCTSkip("no PostgreSQL for the tests: \(e.description)")
        }
    }

    private func url(_ extra: String = "") throws -> PostgresURL {
        try PostgresURL(cluster.url(database: database) + extra, environment: { _ in nil })
    }

    override func makeStore() throws -> StateStore { try PostgresStateStore(url: url()) }
    override func reopenStore() throws -> StateStore { try PostgresStateStore(url: url()) }

    func testHostsStartingTogetherCreateTheSchemaOnce() throws {
        let u = try url()
        let failures = LockedCounter()
        runOnThreads(8) { _ in
            do { _ = try PostgresStateStore(url: u) } catch { failures.add() }
        }
        XCTAssertEqual(failures.value, 0)
        XCTAssertEqual(try cluster.psql("SELECT count(*), max(version) FROM smsh_schema_version", database: database)
            .trimmingCharacters(in: .whitespacesAndNewlines), "1|1")
    }

    func testAnIntentCarriesALeaseThatItsRunRenewsAndThatExpires() throws {
        let store = try PostgresStateStore(url: url(), leaseSeconds: 1)
        XCTAssertNil(try store.claim(JournalEntry(scope: real, key: "k", state: .intent, at: 1, pid: 77, host: "cron-a")))
        let fresh = try XCTUnwrap(try store.entry(scope: real, key: "k")?.leaseUntil)
        let now = Date().timeIntervalSince1970
        XCTAssertGreaterThan(fresh, now + 0.5)
        XCTAssertLessThan(fresh, now + 1.5)
        Thread.sleep(forTimeInterval: 0.6)
        try store.renewLeases(scope: real, keys: ["k"], host: "cron-a", pid: 77)
        let renewed = try XCTUnwrap(try store.entry(scope: real, key: "k")?.leaseUntil)
        XCTAssertGreaterThan(renewed, fresh + 0.4, "renewed")
        try store.renewLeases(scope: real, keys: ["k"], host: "cron-b", pid: 77)
        XCTAssertEqual(try XCTUnwrap(try store.entry(scope: real, key: "k")?.leaseUntil), renewed, accuracy: 0.2,
                       "another host's renewal changes nothing")
        Thread.sleep(forTimeInterval: 1.2)
        XCTAssertLessThan(try XCTUnwrap(try store.entry(scope: real, key: "k")?.leaseUntil), Date().timeIntervalSince1970, "expired")
    }

    func testAPasswordComesFromTheURLOrPGPASSWORDOrAPrivatePgpass() throws {
        let base = "postgresql://\(cluster.passwordUser)@127.0.0.1:\(cluster.port)/smsh_pw?sslmode=disable"
        // No password anywhere: refused, and the error names the store.
        XCTAssertThrowsError(try PostgresStateStore(url: PostgresURL(base, environment: { _ in nil }))) { error in
            let e = error as? StateStoreError
            XCTAssertEqual(e?.code, "STATE_STORE")
            XCTAssertTrue(e?.description.contains("127.0.0.1:\(cluster.port)/smsh_pw") == true, "\(error)")
        }
        // A wrong password in the URL: refused, and never shown.
        let wrong = "postgresql://\(cluster.passwordUser):wrong-Pw-77@127.0.0.1:\(cluster.port)/smsh_pw?sslmode=disable"
        XCTAssertThrowsError(try PostgresStateStore(url: PostgresURL(wrong, environment: { _ in nil }))) { error in
            XCTAssertFalse("\(error)".contains("wrong-Pw-77"), "\(error)")
            XCTAssertTrue("\(error)".contains("\(cluster.passwordUser):***@"), "\(error)")
            XCTAssertTrue("\(error)".contains("password authentication failed"), "\(error)")
        }
        // $PGPASSWORD.
        let viaEnv = try PostgresURL(base, environment: { $0 == "PGPASSWORD" ? self.cluster.password : nil })
        XCTAssertEqual(viaEnv.passwordSource, "$PGPASSWORD")
        XCTAssertNil(try PostgresStateStore(url: viaEnv).claim(intent("p", real)))
        // ~/.pgpass: read when private (0600), ignored with a reason otherwise, as libpq does.
        let home = NSTemporaryDirectory() + "smsh-pgpass-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        try "# comment\nother:*:*:*:nope\n127.0.0.1:\(cluster.port):smsh_pw:\(cluster.passwordUser):\(cluster.password)\n"
            .write(toFile: home + "/.pgpass", atomically: true, encoding: .utf8)
        chmod(home + "/.pgpass", 0o644)
        let shared = try PostgresURL(base, environment: { $0 == "HOME" ? home : nil })
        XCTAssertNil(shared.password)
        XCTAssertTrue(shared.passFileProblem?.contains("0600") == true)
        chmod(home + "/.pgpass", 0o600)
        let viaFile = try PostgresURL(base, environment: { $0 == "HOME" ? home : nil })
        XCTAssertEqual(viaFile.passwordSource, home + "/.pgpass")
        XCTAssertEqual(try PostgresStateStore(url: viaFile).entry(scope: real, key: "p")?.state, .intent)
    }

    func testAnUnreachableStoreIsAStateStoreErrorNamingItMasked() throws {
        let port = try freeLoopbackPort()
        let u = try PostgresURL("postgresql://smsh:Sup3r-secret@127.0.0.1:\(port)/smsh?sslmode=disable", environment: { _ in nil })
        XCTAssertThrowsError(try PostgresStateStore(url: u)) { error in
            let e = error as? StateStoreError
            XCTAssertEqual(e?.code, "STATE_STORE")
            let text = e?.description ?? "\(error)"
            XCTAssertTrue(text.contains("postgresql://smsh:***@127.0.0.1:\(port)/smsh"), text)
            XCTAssertTrue(text.lowercased().contains("connect"), text)
            XCTAssertFalse(text.contains("Sup3r-secret"), text)
        }
    }

    func testAStoreThatWentAwayFailsItsCallsAndReconnectsWhenItIsBack() throws {
        let store = try makeStore()
        XCTAssertNil(try store.claim(intent("before", real)))
        try cluster.stop()
        defer { try? cluster.start() }
        XCTAssertThrowsError(try store.claim(intent("during", real))) { error in
            XCTAssertEqual((error as? StateStoreError)?.code, "STATE_STORE", "\(error)")
        }
        try cluster.start()
        XCTAssertEqual(try store.entry(scope: real, key: "before")?.state, .intent, "reconnected")
        XCTAssertNil(try store.entry(scope: real, key: "during"), "nothing was recorded")
    }

    func testTheRunLockIsHeldByOneHostAtATime() throws {
        let u = try url()
        let a = PostgresRunLock(name: "nightly", url: u)
        XCTAssertEqual(try a.acquire(host: "cron-a", pid: 11), .acquired)
        let b = PostgresRunLock(name: "nightly", url: u)
        XCTAssertEqual(try b.acquire(host: "cron-b", pid: 22), .heldBy(pid: 11, host: "cron-a"))
        XCTAssertEqual(try PostgresRunLock(name: "other", url: u).acquire(host: "cron-b", pid: 22), .acquired, "another name")
        a.release()
        XCTAssertEqual(try b.acquire(host: "cron-b", pid: 22), .acquired, "released")
    }
}

/// The URL as libpq reads it, and its masked form.
final class PostgresURLTests: XCTestCase {
    func testTheURLIsReadAsLibpqReadsItAndMasked() throws {
        let u = try PostgresURL("postgresql://ops:p%40ss@db.example:6432/smsh?sslmode=require", environment: { _ in nil })
        XCTAssertEqual(u.user, "ops")
        XCTAssertEqual(u.password, "p@ss")
        XCTAssertEqual(u.host, "db.example")
        XCTAssertEqual(u.port, 6432)
        XCTAssertEqual(u.database, "smsh")
        XCTAssertEqual(u.sslMode, .require)
        XCTAssertEqual(u.masked, "postgresql://ops:***@db.example:6432/smsh?sslmode=require")
        XCTAssertEqual(PostgresURL.mask("postgres://a@h/db"), "postgres://a@h/db")
        let d = try PostgresURL("postgresql:///", environment: ["PGUSER": "u1", "PGHOST": "h1", "PGPORT": "7777", "PGDATABASE": "d1"].get)
        XCTAssertEqual([d.user, d.host, String(d.port), d.database], ["u1", "h1", "7777", "d1"])
        XCTAssertEqual(d.sslMode, .prefer, "libpq's default")
        XCTAssertThrowsError(try PostgresURL("postgresql://a:secret@h/db?sslmode=sometimes", environment: { _ in nil })) { error in
            XCTAssertTrue("\(error)".contains("sslmode 'sometimes'"), "\(error)")
            XCTAssertFalse("\(error)".contains("secret"), "\(error)")
        }
        XCTAssertThrowsError(try PostgresURL("mysql://h/db", environment: { _ in nil }))
        XCTAssertThrowsError(try PostgresURL("postgresql://h/db?sslmode=verify-full", environment: { $0 == "HOME" ? "/nonexistent" : nil })) { error in
            XCTAssertTrue("\(error)".contains("sslrootcert"), "\(error)")
        }
        let v = try PostgresURL("postgresql://h/db?sslmode=verify-full&sslrootcert=/etc/ssl/ca.pem", environment: { _ in nil })
        XCTAssertEqual(v.sslRootCert, "/etc/ssl/ca.pem")
    }
}

private extension Dictionary where Key == String, Value == String {
    var get: (String) -> String? { { self[$0] } }
}

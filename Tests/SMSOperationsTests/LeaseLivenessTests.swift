import Foundation
import SMSClient
import SMSOperations
import SMSState
import XCTest

/// Liveness of an intent recorded by another host (a store shared by hosts): a fresh lease
/// is a live run, an expired one or none is a run that ended; this host's intents are still
/// told by pid.
final class LeaseLivenessTests: XCTestCase {
    private let scope = StateScope(api: "http://127.0.0.1:1", account: "a")

    private func intent(host: String, pid: Int32, lease: Double?) -> JournalEntry {
        JournalEntry(scope: scope, key: "k", state: .intent, at: 1, pid: pid, host: host, leaseUntil: lease)
    }

    func testAnotherHostsIntentLivesWhileItsLeaseIsFresh() {
        let now = Date().timeIntervalSince1970
        XCTAssertFalse(SendOnceJournal.runHasEnded(intent(host: "elsewhere", pid: 1, lease: now + 20)))
        XCTAssertTrue(SendOnceJournal.runHasEnded(intent(host: "elsewhere", pid: 1, lease: now - 1)), "expired")
        XCTAssertTrue(SendOnceJournal.runHasEnded(intent(host: "elsewhere", pid: 1, lease: nil)), "no lease: cannot be checked")
    }

    func testThisHostsIntentIsToldByPidWhateverTheLease() {
        let host = SendOnceJournal.hostName()
        let now = Date().timeIntervalSince1970
        XCTAssertFalse(SendOnceJournal.runHasEnded(intent(host: host, pid: getpid(), lease: now - 100)), "this process")
        XCTAssertTrue(SendOnceJournal.runHasEnded(intent(host: host, pid: 2_000_000_000, lease: now + 100)), "a dead pid")
    }

    /// A once-send meets another host's intent: it waits while the lease is fresh and takes
    /// the other's outcome; once the lease has expired it is JOURNAL_UNCERTAIN.
    func testAOnceSendWaitsForAFreshLeaseAndRefusesAnExpiredOne() throws {
        let store = try SQLiteStateStore(path: ":memory:")
        let journal = SendOnceJournal(scope: scope, store: { store })
        let now = Date().timeIntervalSince1970
        XCTAssertNil(try store.claim(intent(host: "cron-b", pid: 7, lease: nil)))
        // SQLite keeps no lease: the entry read back has none, so another host's intent is
        // uncertain at once (as before leases).
        XCTAssertThrowsError(try journal.once(key: "k", now: 1, function: "sms.send", prepare: {}, send: { _ in ["uuid": "mine"] })) {
            XCTAssertEqual(($0 as? SMSError)?.code, "JOURNAL_UNCERTAIN")
        }
        // A store that reports a fresh lease: the send waits, and takes the outcome recorded meanwhile.
        let leased = LeasedStore(store, lease: now + 30)
        let waiting = SendOnceJournal(scope: scope, store: { leased })
        let scope = self.scope
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) {
            try? store.record(JournalEntry(scope: scope, key: "k", state: .done, at: 2, pid: 7, host: "cron-b", result: ["uuid": "theirs"]))
        }
        let started = Date()
        let (result, replayed) = try waiting.once(key: "k", now: 1, function: "sms.send", prepare: {}, send: { _ in ["uuid": "mine"] })
        XCTAssertEqual(result["uuid"], "theirs")
        XCTAssertTrue(replayed)
        XCTAssertGreaterThan(Date().timeIntervalSince(started), 0.2, "it waited")
    }
}

/// A store whose intents report a given lease (as the PostgreSQL store's do).
private final class LeasedStore: StateStore, @unchecked Sendable {
    let inner: StateStore
    let lease: Double
    init(_ inner: StateStore, lease: Double) {
        self.inner = inner
        self.lease = lease
    }
    var location: String { "leased" }
    private func leased(_ e: JournalEntry?) -> JournalEntry? {
        guard var e else { return nil }
        if e.state == .intent { e.leaseUntil = lease }
        return e
    }
    func claim(_ intent: JournalEntry) throws -> JournalEntry? { leased(try inner.claim(intent)) }
    func record(_ entry: JournalEntry) throws { try inner.record(entry) }
    func entry(scope: StateScope, key: String) throws -> JournalEntry? { leased(try inner.entry(scope: scope, key: key)) }
    func entries(scope: StateScope?) throws -> [JournalEntry] { try inner.entries(scope: scope).compactMap(leased) }
    func forget(scope: StateScope?, key: String) throws -> Int { try inner.forget(scope: scope, key: key) }
    func forget(scope: StateScope, keyPrefix: String) throws -> [JournalEntry] { try inner.forget(scope: scope, keyPrefix: keyPrefix) }
    func value(namespace: String, key: String) throws -> String? { try inner.value(namespace: namespace, key: key) }
    func setValue(_ value: String?, namespace: String, key: String) throws { try inner.setValue(value, namespace: namespace, key: key) }
    func values(namespace: String) throws -> [(key: String, value: String)] { try inner.values(namespace: namespace) }
}

import Foundation
import SMSClient
import SMSState
import XCTest

/// What every `StateStore` must do, whatever holds it: scoping, claims, outcomes, forgetting,
/// named values, the legacy scope, and exactly one grant per key under concurrency. Run
/// against SQLite (`SQLiteStateStoreTests`) and PostgreSQL (`PostgresStateStoreTests`) alike:
/// a subclass gives `makeStore()` (a fresh, empty store) and `reopenStore()` (the same
/// state through a new instance).
class StateStoreContractTests: XCTestCase {
    let real = StateScope(api: "https://me-sms.com", account: "0123456789abcdef")
    let sandbox = StateScope(api: "sandbox", account: "")

    /// A fresh, empty store (the base class has none: its tests skip).
    func makeStore() throws -> StateStore { throw XCTSkip("the contract runs in its subclasses") }
    /// A new instance over the store `makeStore()` made last.
    func reopenStore() throws -> StateStore { throw XCTSkip("the contract runs in its subclasses") }

    func intent(_ key: String, _ scope: StateScope, pid: Int32 = 1) -> JournalEntry {
        JournalEntry(scope: scope, key: key, state: .intent, at: 100, pid: pid, host: "h")
    }

    func testAClaimIsRefusedOnlyInsideItsOwnScope() throws {
        let store = try makeStore()
        XCTAssertNil(try store.claim(intent("nightly", sandbox)))
        XCTAssertEqual(try store.claim(intent("nightly", sandbox))?.state, .intent, "taken in the sandbox")
        XCTAssertNil(try store.claim(intent("nightly", real)), "the real API's key is another key")
        let other = StateScope(api: "https://me-sms.com", account: "fedcba9876543210")
        XCTAssertNil(try store.claim(intent("nightly", other)), "another account's key is another key")
        XCTAssertEqual(try store.entries(scope: nil).count, 3)
        XCTAssertEqual(try store.entries(scope: sandbox).map(\.key), ["nightly"])
    }

    func testDoneKeepsTheResultAndFailedFreesTheKey() throws {
        let store = try makeStore()
        XCTAssertNil(try store.claim(intent("a", real)))
        try store.record(JournalEntry(scope: real, key: "a", state: .done, at: 101, pid: 1, host: "h", result: ["uuid": "u-1"]))
        let taken = try XCTUnwrap(try store.claim(intent("a", real)))
        XCTAssertEqual(taken.state, .done)
        XCTAssertEqual(taken.result?["uuid"], "u-1")

        XCTAssertNil(try store.claim(intent("b", real)))
        try store.record(JournalEntry(scope: real, key: "b", state: .failed, at: 101, pid: 1, host: "h"))
        XCTAssertNil(try store.claim(intent("b", real)), "a failed send frees its key")
        XCTAssertEqual(try store.entry(scope: real, key: "b")?.state, .intent)
    }

    func testEntriesKeepEveryFieldAndListInWriteOrder() throws {
        let store = try makeStore()
        let digest = RequestDigest(sender: "Shop", text: RequestDigest.digest(text: "hi"), templateId: nil, variables: nil,
                                   recipients: 1, recipientsDigest: "d1", schedule: nil)
        XCTAssertNil(try store.claim(intent("first", real)))
        XCTAssertNil(try store.claim(intent("second", real)))
        try store.record(JournalEntry(scope: real, key: "first", state: .done, at: 102.5, pid: 42, host: "cron-b",
                                      result: ["uuid": "u-9", "credits": 2], request: digest, wallTime: 1_700_000_000.25))
        let listed = try store.entries(scope: real)
        XCTAssertEqual(listed.map(\.key), ["second", "first"], "the last written last")
        let e = try XCTUnwrap(listed.last)
        XCTAssertEqual(e.state, .done)
        XCTAssertEqual(e.at, 102.5)
        XCTAssertEqual(e.pid, 42)
        XCTAssertEqual(e.host, "cron-b")
        XCTAssertEqual(e.result, ["uuid": "u-9", "credits": 2])
        XCTAssertEqual(e.request, digest)
        XCTAssertEqual(e.wallTime, 1_700_000_000.25)
        XCTAssertNil(e.leaseUntil, "an outcome holds no lease")
    }

    func testForgetByPrefixRemovesOnlyThatScopesMatchingKeys() throws {
        let store = try makeStore()
        for key in ["spring/a1/1", "spring/b2/1", "springtime/c3/1", "SPRING/d4/1", "autumn/e5/1"] {
            XCTAssertNil(try store.claim(intent(key, sandbox)))
        }
        XCTAssertNil(try store.claim(intent("spring/a1/1", real)))
        let removed = try store.forget(scope: sandbox, keyPrefix: "spring/")
        XCTAssertEqual(removed.map(\.key), ["spring/a1/1", "spring/b2/1"], "oldest first, case-sensitive, no wildcards")
        XCTAssertEqual(Set(try store.entries(scope: sandbox).map(\.key)), ["springtime/c3/1", "SPRING/d4/1", "autumn/e5/1"])
        XCTAssertNotNil(try store.entry(scope: real, key: "spring/a1/1"), "another scope keeps its key")
        XCTAssertEqual(try store.forget(scope: sandbox, keyPrefix: "spring/"), [])
        XCTAssertNil(try store.claim(intent("100%_off/1", sandbox)))
        XCTAssertEqual(try store.forget(scope: sandbox, keyPrefix: "1__%").map(\.key), [], "% and _ are plain characters")
        XCTAssertEqual(try store.forget(scope: sandbox, keyPrefix: "100%_").map(\.key), ["100%_off/1"])
    }

    func testTheStoreSurvivesReopeningAndForgetRemovesOneScope() throws {
        do {
            let store = try makeStore()
            XCTAssertNil(try store.claim(intent("k", real)))
            XCTAssertNil(try store.claim(intent("k", sandbox)))
        }
        let store = try reopenStore()
        XCTAssertEqual(try store.entry(scope: real, key: "k")?.state, .intent)
        XCTAssertEqual(try store.forget(scope: sandbox, key: "k"), 1)
        XCTAssertNil(try store.entry(scope: sandbox, key: "k"))
        XCTAssertNotNil(try store.entry(scope: real, key: "k"))
        XCTAssertEqual(try store.forget(scope: nil, key: "missing"), 0)
        XCTAssertEqual(try store.forget(scope: nil, key: "k"), 1)
    }

    func testTheLegacyScopeAnswersForEveryScope() throws {
        let store = try makeStore()
        try store.record(JournalEntry(scope: .legacy, key: "old", state: .done, at: 1, pid: 7, host: "", result: ["uuid": "old-1"]))
        try store.record(JournalEntry(scope: .legacy, key: "refused", state: .failed, at: 1, pid: 7, host: ""))
        XCTAssertEqual(try store.claim(intent("old", real))?.result?["uuid"], "old-1", "an upgrade never sends an old key again")
        XCTAssertEqual(try store.entry(scope: sandbox, key: "old")?.scope, .legacy)
        XCTAssertNil(try store.claim(intent("refused", real)), "a failed legacy key is free")
        XCTAssertEqual(try store.entry(scope: real, key: "refused")?.scope, real, "the key's own scope first")
    }

    func testNamedValuesAreSetReadAndRemoved() throws {
        let store = try makeStore()
        XCTAssertNil(try store.value(namespace: "trusted-plugins", key: "/srv/app"))
        try store.setValue("digest-1", namespace: "trusted-plugins", key: "/srv/app")
        XCTAssertEqual(try reopenStore().value(namespace: "trusted-plugins", key: "/srv/app"), "digest-1")
        try store.setValue("digest-2", namespace: "trusted-plugins", key: "/srv/app")
        try store.setValue("other", namespace: "elsewhere", key: "/srv/app")
        try store.setValue("digest-0", namespace: "trusted-plugins", key: "/srv/a")
        XCTAssertEqual(try store.values(namespace: "trusted-plugins").map { "\($0.key)=\($0.value)" }, ["/srv/a=digest-0", "/srv/app=digest-2"])
        try store.setValue(nil, namespace: "trusted-plugins", key: "/srv/app")
        XCTAssertNil(try store.value(namespace: "trusted-plugins", key: "/srv/app"))
    }

    func testOneKeyFromManyThreadsIsGrantedExactlyOnce() throws {
        let store = try makeStore()
        for round in 0..<5 {
            let granted = LockedCounter(), refused = LockedCounter()
            runOnThreads(32) { [sandbox] _ in
                let e = JournalEntry(scope: sandbox, key: "same-\(round)", state: .intent, at: 100, pid: 1, host: "h")
                if (try? store.claim(e)) == .some(nil) { granted.add() } else { refused.add() }
            }
            XCTAssertEqual(granted.value, 1, "round \(round)")
            XCTAssertEqual(refused.value, 31, "round \(round)")
        }
    }

    /// Two instances (two hosts' connections, or two processes' files) claim the same 200
    /// keys at once: each key is granted exactly once.
    func testTwoInstancesClaimingTheSameKeysGetOneGrantEach() throws {
        let a = try makeStore()
        let b = try reopenStore()
        let wins = [LockedCounter(), LockedCounter()]
        runOnThreads(2) { [sandbox] t in
            let store = t == 0 ? a : b
            for i in 0..<200 {
                let e = JournalEntry(scope: sandbox, key: "k\(i)", state: .intent, at: 100, pid: Int32(t + 1), host: "h\(t)")
                if (try? store.claim(e)) == .some(nil) { wins[t].add() }
            }
        }
        XCTAssertEqual(wins[0].value + wins[1].value, 200, "\(wins[0].value) + \(wins[1].value)")
        XCTAssertEqual(try a.entries(scope: sandbox).count, 200)
    }

    /// Reads and records from other threads while claims are committed: nothing fails and
    /// every outcome is there afterwards.
    func testRecordsAndReadsInterleaveWithClaims() throws {
        let store = try makeStore()
        let failures = LockedCounter()
        let scope = real
        runOnThreads(8) { t in
            for i in 0..<20 {
                let key = "r\(t)-\(i)"
                do {
                    guard try store.claim(JournalEntry(scope: scope, key: key, state: .intent, at: 100, pid: 1, host: "h")) == nil else {
                        failures.add()
                        continue
                    }
                    try store.record(JournalEntry(scope: scope, key: key, state: .done, at: 101, pid: 1, host: "h",
                                                  result: ["uuid": .string("u-\(key)")]))
                    if try store.entry(scope: scope, key: key)?.state != .done { failures.add() }
                } catch {
                    failures.add()
                }
            }
        }
        XCTAssertEqual(failures.value, 0)
        let entries = try store.entries(scope: scope)
        XCTAssertEqual(entries.count, 160)
        XCTAssertTrue(entries.allSatisfy { $0.state == .done && $0.result?["uuid"] == .string("u-\($0.key)") })
    }
}

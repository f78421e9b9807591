import Foundation
import SMSClient
import SMSState
import XCTest

/// The SQLite state store on disk: scoping, claims, permissions, the one-time import of the
/// old journal.jsonl, and that two processes' claims of one key exclude each other.
final class SQLiteStateStoreTests: XCTestCase {
    private var dir: String!
    private var path: String { dir + "/smsh/state.sqlite3" }
    private let real = StateScope(api: "https://me-sms.com", account: "0123456789abcdef")
    private let sandbox = StateScope(api: "sandbox", account: "")

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "smsh-state-\(UUID().uuidString.prefix(8))"
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    private func intent(_ key: String, _ scope: StateScope, pid: Int32 = 1) -> JournalEntry {
        JournalEntry(scope: scope, key: key, state: .intent, at: 100, pid: pid, host: "h")
    }

    func testAClaimIsRefusedOnlyInsideItsOwnScope() throws {
        let store = try SQLiteStateStore(path: path)
        XCTAssertNil(try store.claim(intent("nightly", sandbox)))
        XCTAssertEqual(try store.claim(intent("nightly", sandbox))?.state, .intent, "taken in the sandbox")
        XCTAssertNil(try store.claim(intent("nightly", real)), "the real API's key is another key")
        let other = StateScope(api: "https://me-sms.com", account: "fedcba9876543210")
        XCTAssertNil(try store.claim(intent("nightly", other)), "another account's key is another key")
        XCTAssertEqual(try store.entries(scope: nil).count, 3)
        XCTAssertEqual(try store.entries(scope: sandbox).map(\.key), ["nightly"])
    }

    func testDoneKeepsTheResultAndFailedFreesTheKey() throws {
        let store = try SQLiteStateStore(path: path)
        XCTAssertNil(try store.claim(intent("a", real)))
        try store.record(JournalEntry(scope: real, key: "a", state: .done, at: 101, pid: 1, host: "h", result: ["uuid": "u-1"]))
        let taken = try XCTUnwrap(try store.claim(intent("a", real)))
        XCTAssertEqual(taken.state, .done)
        XCTAssertEqual(taken.result?["uuid"], "u-1")

        XCTAssertNil(try store.claim(intent("b", real)))
        try store.record(JournalEntry(scope: real, key: "b", state: .failed, at: 101, pid: 1, host: "h"))
        XCTAssertNil(try store.claim(intent("b", real)), "a failed send frees its key")
    }

    func testForgetByPrefixRemovesOnlyThatScopesMatchingKeys() throws {
        let store = try SQLiteStateStore(path: path)
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
            let store = try SQLiteStateStore(path: path)
            XCTAssertNil(try store.claim(intent("k", real)))
            XCTAssertNil(try store.claim(intent("k", sandbox)))
        }
        let store = try SQLiteStateStore(path: path)
        XCTAssertEqual(try store.entry(scope: real, key: "k")?.state, .intent)
        XCTAssertEqual(try store.forget(scope: sandbox, key: "k"), 1)
        XCTAssertNil(try store.entry(scope: sandbox, key: "k"))
        XCTAssertNotNil(try store.entry(scope: real, key: "k"))
        XCTAssertEqual(try store.forget(scope: nil, key: "missing"), 0)
    }

    func testTheDatabaseAndItsFolderArePrivate() throws {
        let store = try SQLiteStateStore(path: path)
        XCTAssertNil(try store.claim(intent("k", real)))
        for file in [path, path + "-wal", path + "-shm"] {
            let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber)
            XCTAssertEqual(mode.intValue & 0o777, 0o600, file)
        }
        let dirMode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: dir + "/smsh")[.posixPermissions] as? NSNumber)
        XCTAssertEqual(dirMode.intValue & 0o777, 0o700)
        var journalMode = ""
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('pragma journal_mode').fetchone()[0])", path]
        let pipe = Pipe()
        probe.standardOutput = pipe
        try probe.run()
        probe.waitUntilExit()
        journalMode = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(journalMode.trimmingCharacters(in: .whitespacesAndNewlines), "wal")
    }

    func testTheOldJournalIsImportedOnceIntoTheLegacyScopeThatAnswersForEveryScope() throws {
        try FileManager.default.createDirectory(atPath: dir + "/smsh", withIntermediateDirectories: true)
        let lines = [
            #"{"at":1,"key":"sent-before","pid":7,"state":"intent"}"#,
            #"{"at":2,"key":"sent-before","pid":7,"result":{"uuid":"old-1"},"state":"done"}"#,
            #"{"at":3,"key":"refused","pid":7,"state":"intent"}"#,
            #"{"at":4,"key":"refused","pid":7,"state":"failed"}"#,
            #"{"at":5,"key":"dangling","pid":7,"state":"intent"}"#,
            "not json",
        ]
        try (lines.joined(separator: "\n") + "\n").write(toFile: dir + "/smsh/journal.jsonl", atomically: true, encoding: .utf8)
        let store = try SQLiteStateStore(path: path)
        XCTAssertEqual(try store.entries(scope: .legacy).map(\.key), ["sent-before", "dangling"])
        let old = try XCTUnwrap(try store.claim(intent("sent-before", real)))
        XCTAssertEqual(old.result?["uuid"], "old-1", "an upgrade never sends an old key again")
        XCTAssertEqual(try store.claim(intent("dangling", sandbox))?.state, .intent)
        XCTAssertNil(try store.claim(intent("refused", real)))
        // Forgetting the legacy key, then reopening: not imported a second time.
        XCTAssertEqual(try store.forget(scope: .legacy, key: "sent-before"), 1)
        let reopened = try SQLiteStateStore(path: path)
        XCTAssertNil(try reopened.entry(scope: .legacy, key: "sent-before"))
    }

    /// Two processes claim the same 200 keys at once: each key is granted exactly once.
    func testConcurrentProcessesNeverBothClaimAKey() throws {
        _ = try SQLiteStateStore(path: path)
        let script = """
            import sqlite3, sys, os
            db = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
            won = 0
            for i in range(200):
                db.execute("BEGIN IMMEDIATE")
                row = db.execute("SELECT state FROM journal WHERE api='sandbox' AND account='' AND key=?", (f"k{i}",)).fetchone()
                if row is None:
                    db.execute("INSERT INTO journal(api, account, key, state, at, pid, host, result, seq) "
                               "VALUES('sandbox','',?,'intent',0,?,'py',NULL,0)", (f"k{i}", os.getpid()))
                    won += 1
                db.execute("COMMIT")
            print(won)
            """
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", script, path]
        let pipe = Pipe()
        python.standardOutput = pipe
        try python.run()
        let store = try SQLiteStateStore(path: path)
        var mine = 0
        for i in 0..<200 where try store.claim(intent("k\(i)", sandbox)) == nil { mine += 1 }
        python.waitUntilExit()
        let theirs = Int(String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        XCTAssertEqual(mine + theirs, 200, "mine \(mine), theirs \(theirs)")
        XCTAssertEqual(try store.entries(scope: sandbox).count, 200)
    }

    func testNamedValuesAreSetReadAndRemoved() throws {
        let store = try SQLiteStateStore(path: path)
        XCTAssertNil(try store.value(namespace: "trusted-plugins", key: "/srv/app"))
        try store.setValue("digest-1", namespace: "trusted-plugins", key: "/srv/app")
        XCTAssertEqual(try SQLiteStateStore(path: path).value(namespace: "trusted-plugins", key: "/srv/app"), "digest-1")
        try store.setValue("other", namespace: "elsewhere", key: "/srv/app")
        try store.setValue("digest-0", namespace: "trusted-plugins", key: "/srv/a")
        XCTAssertEqual(try store.values(namespace: "trusted-plugins").map { "\($0.key)=\($0.value)" }, ["/srv/a=digest-0", "/srv/app=digest-1"])
        try store.setValue(nil, namespace: "trusted-plugins", key: "/srv/app")
        XCTAssertNil(try store.value(namespace: "trusted-plugins", key: "/srv/app"))
    }

    func testAnUnusableLocationIsAClearError() {
        XCTAssertThrowsError(try SQLiteStateStore(path: "/proc/smsh/state.sqlite3")) { error in
            XCTAssertTrue("\(error)".contains("/proc/smsh"), "\(error)")
        }
    }
}

import Foundation
import SMSClient
import SMSState
import XCTest

/// The SQLite state store on disk: the `StateStore` contract (StateStoreContractTests), and
/// what is its own: permissions, the one-time import of the old journal.jsonl, and that two
/// processes' claims of one key exclude each other.
final class SQLiteStateStoreTests: StateStoreContractTests {
    private var dir: String!
    private var path: String { dir + "/smsh/state.sqlite3" }

    override func makeStore() throws -> StateStore { try SQLiteStateStore(path: path) }
    override func reopenStore() throws -> StateStore { try SQLiteStateStore(path: path) }

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "smsh-state-\(UUID().uuidString.prefix(8))"
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

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

    /// Runs starting at once on a fresh host all open the new file (see SandboxStoreTests'
    /// twin): none fails with "database is locked", and every claim is recorded.
    func testStoresOpenedAtOnceOnANewFileAllWork() throws {
        final class Failures: @unchecked Sendable {
            let lock = NSLock()
            var list: [String] = []
        }
        let failures = Failures()
        let intents = (0..<4).map { intent("k\($0)", sandbox) }
        for round in 0..<25 {
            let file = dir + "/round-\(round)/state.sqlite3"
            let group = DispatchGroup()
            for (t, entry) in intents.enumerated() {
                group.enter()
                Thread.detachNewThread {
                    defer { group.leave() }
                    do {
                        _ = try SQLiteStateStore(path: file).claim(entry)
                    } catch {
                        failures.lock.withLock { failures.list.append("round \(round), thread \(t): \(error)") }
                    }
                }
            }
            group.wait()
            XCTAssertEqual(try SQLiteStateStore(path: file).entries(scope: sandbox).count, 4)
        }
        XCTAssertEqual(failures.list, [])
    }

    func testAnUnusableLocationIsAClearError() {
        XCTAssertThrowsError(try SQLiteStateStore(path: "/proc/smsh/state.sqlite3")) { error in
            XCTAssertTrue("\(error)".contains("/proc/smsh"), "\(error)")
        }
    }
}

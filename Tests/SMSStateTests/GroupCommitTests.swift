import Foundation
import SMSClient
import SMSState
import XCTest

/// The store called from many threads at once: claims that arrive together share one
/// transaction, and each key is still granted exactly once.
final class GroupCommitTests: XCTestCase {
    private var dir: String!
    private var path: String { dir + "/smsh/state.sqlite3" }
    private var scope: StateScope { Self.scope }

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "smsh-group-\(UUID().uuidString.prefix(8))"
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    private static let scope = StateScope(api: "http://127.0.0.1:8080", account: "abc")

    private static func intent(_ key: String) -> JournalEntry {
        JournalEntry(scope: scope, key: key, state: .intent, at: 100, pid: 1, host: "h")
    }

    /// Runs `body(thread)` on `threads` threads at once and waits for all.
    private func concurrently(_ threads: Int, _ body: @escaping @Sendable (Int) -> Void) {
        runOnThreads(threads, body)
    }

    func testDistinctKeysFromManyThreadsAreGrantedOnceEachInFewerTransactions() throws {
        let store = try SQLiteStateStore(path: path)
        let threads = 32, perThread = 20
        let granted = LockedCounter(), refused = LockedCounter(), failed = LockedCounter()
        concurrently(threads) { t in
            for i in 0..<perThread {
                do {
                    if try store.claim(Self.intent("t\(t)-k\(i)")) == nil { granted.add() } else { refused.add() }
                } catch {
                    failed.add()
                }
            }
        }
        XCTAssertEqual(failed.value, 0)
        XCTAssertEqual(refused.value, 0, "every key is new")
        XCTAssertEqual(granted.value, threads * perThread)
        XCTAssertEqual(try store.entries(scope: scope).count, threads * perThread)
        XCTAssertLessThan(store.claimCommits, threads * perThread, "claims that arrived together were committed together")
        XCTAssertGreaterThan(store.claimCommits, 0)
    }

    func testOneKeyFromManyThreadsIsGrantedExactlyOnce() throws {
        let store = try SQLiteStateStore(path: path)
        for round in 0..<10 {
            let granted = LockedCounter(), refused = LockedCounter()
            concurrently(64) { _ in
                if (try? store.claim(Self.intent("same-\(round)"))) == .some(nil) { granted.add() } else { refused.add() }
            }
            XCTAssertEqual(granted.value, 1, "round \(round)")
            XCTAssertEqual(refused.value, 63, "round \(round)")
        }
    }

    /// Reads and records from other threads while claims are committed: nothing fails and
    /// every outcome is there afterwards.
    func testRecordsAndReadsInterleaveWithClaims() throws {
        let store = try SQLiteStateStore(path: path)
        let failures = LockedCounter()
        concurrently(16) { t in
            for i in 0..<25 {
                let key = "r\(t)-\(i)"
                do {
                    guard try store.claim(Self.intent(key)) == nil else { failures.add(); continue }
                    try store.record(JournalEntry(scope: Self.scope, key: key, state: .done, at: 101, pid: 1, host: "h",
                                                  result: ["uuid": .string("u-\(key)")]))
                    if try store.entry(scope: Self.scope, key: key)?.state != .done { failures.add() }
                } catch {
                    failures.add()
                }
            }
        }
        XCTAssertEqual(failures.value, 0)
        let entries = try store.entries(scope: scope)
        XCTAssertEqual(entries.count, 400)
        XCTAssertTrue(entries.allSatisfy { $0.state == .done && $0.result?["uuid"] == .string("u-\($0.key)") })
    }
}

/// Claims per second with 1 and with 32 threads (scripts/bench/journal_scale runs it with
/// SMSH_BENCH=1; skipped otherwise: a figure, not a check). Each claim is one fsynced intent
/// unless group commit shares the fsync.
final class GroupCommitBenchmark: XCTestCase {
    func testClaimThroughput() throws {
        guard let env = ProcessInfo.processInfo.environment["SMSH_BENCH"], env == "1" else { throw XCTSkip("set SMSH_BENCH=1") }
        let folder = ProcessInfo.processInfo.environment["SMSH_BENCH_DIR"] ?? NSTemporaryDirectory()
        let scope = StateScope(api: "bench", account: "")
        for threads in [1, 32] {
            let dir = folder + "/smsh-bench-\(UUID().uuidString.prefix(8))"
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let store = try SQLiteStateStore(path: dir + "/state.sqlite3")
            let total = 2_000
            let start = Date()
            runOnThreads(threads) { t in
                for i in 0..<(total / threads) {
                    // A journaled send's two writes: the intent (fsynced), then its outcome.
                    let key = "t\(t)-\(i)"
                    _ = try? store.claim(JournalEntry(scope: scope, key: key, state: .intent, at: 1, pid: 1, host: "h"))
                    try? store.record(JournalEntry(scope: scope, key: key, state: .done, at: 1, pid: 1, host: "h", result: ["uuid": "u"]))
                }
            }
            let seconds = Date().timeIntervalSince(start)
            let claims = (total / threads) * threads
            print(String(format: "journal claims, %2d thread(s): %6.0f claims/s, each with its outcome recorded (%d keys in %.2f s, %d claim commits)",
                         threads, Double(claims) / seconds, claims, seconds, store.claimCommits))
        }
    }
}

/// Runs `body(i)` for i in 0..<count, each on its own thread (not `concurrentPerform`, which
/// runs as many at once as there are cores), started together; returns when all have ended.
func runOnThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let done = DispatchGroup()
    let start = DispatchSemaphore(value: 0)
    for i in 0..<count {
        done.enter()
        let thread = Thread {
            start.wait()
            body(i)
            done.leave()
        }
        thread.start()
    }
    for _ in 0..<count { start.signal() }
    done.wait()
}

final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}

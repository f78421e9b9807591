import Foundation
import SMSClient
import SMSOperations
import SMSSimulator
import SMSState
import XCTest

/// The gates against the in-process simulator: budget, confirmation and dry run in front of
/// the journal, and what the run summary counts.
final class SendGateTests: XCTestCase {
    private let clock = VirtualClock(start: 1_800_000_000)
    private var engine: SimulatorEngine!
    private var gate: SendGate!
    private var counters = RequestCounters()
    private var store: SQLiteStateStore!

    final class NoProgress: ProgressSink {
        func update(_ text: @autoclosure () -> String, force: Bool) {}
        func finish() {}
    }

    private func makeGate(dryRun: Bool = false) throws {
        engine = SimulatorEngine(config: SimulatorConfig(), clock: clock)
        counters = RequestCounters()
        let client = SMSClient(transport: SimulatorTransport(engine: engine), apiKey: SimulatorConfig().apiKey, clock: clock,
                               counters: counters)
        let store = try SQLiteStateStore(path: ":memory:")
        self.store = store
        let clock = self.clock
        gate = SendGate(client: { client }, clock: { clock },
                        journal: SendOnceJournal(scope: StateScope(api: "sandbox", account: ""), store: { store }),
                        dryRun: dryRun, progress: NoProgress())
    }

    private func request(_ numbers: [String] = ["0812345678", "0898765432"]) -> SendRequest {
        SendRequest(sender: "SMSHDEMO", content: "Hello", msisdns: MSISDNList(numbers))
    }

    func testASendOverBudgetSendsNothingAndFreesItsKey() throws {
        try makeGate()
        gate.budget = Budget(cap: 1)
        XCTAssertThrowsError(try gate.send(request(), once: "nightly")) { e in
            XCTAssertEqual((e as? SMSError)?.code, "BUDGET_EXCEEDED")
            XCTAssertEqual((e as? SMSError)?.notSent, true)
        }
        XCTAssertEqual(try store.entry(scope: StateScope(api: "sandbox", account: ""), key: "nightly")?.state, .failed)
        gate.budget = Budget(cap: 10)
        let r = try gate.send(request(), once: "nightly")
        XCTAssertEqual(r["replayed"], false)
        XCTAssertNotNil(r["uuid"]?.stringValue)
        XCTAssertEqual(gate.budget?.spent, 2)
    }

    func testADeclinedConfirmationSendsNothingAndFreesItsKey() throws {
        try makeGate()
        gate.confirmThreshold = SendEstimate(recipients: 1, parts: 0, credits: 1_000)
        gate.confirmLargeSend = { _ in false }
        XCTAssertThrowsError(try gate.send(request(), once: "big")) { XCTAssertEqual(($0 as? SMSError)?.code, "CANCELLED") }
        gate.confirmLargeSend = { _ in true }
        XCTAssertEqual(try gate.send(request(), once: "big")["replayed"], false)
        XCTAssertEqual(try gate.send(request(), once: "big")["replayed"], true)
    }

    func testADryRunRecordsThePlanAndNeverJournals() throws {
        try makeGate(dryRun: true)
        let r = try gate.send(request(), once: "nightly")
        XCTAssertEqual(r["dryRun"], true)
        XCTAssertEqual(gate.dryRunPlan?.entries.count, 1)
        XCTAssertEqual(gate.dryRunPlan?.totalRecipients, 2)
        XCTAssertEqual(try store.entries(scope: nil).count, 0)
    }

    func testTheSummaryCountsSendsReplaysAndCalls() throws {
        try makeGate()
        let first = try gate.send(request(), once: "a")
        _ = try gate.send(request(), once: "a")
        _ = try gate.send(request(["0811111111"]))
        let summary = gate.summary.json(run: ["script": "x.lua"], counters: counters)
        XCTAssertEqual(summary["script"], "x.lua")
        XCTAssertEqual(summary["sends"]?.arrayValue?.count, 2)
        XCTAssertEqual(summary["sends"]?.arrayValue?.first?["uuid"], first["uuid"])
        XCTAssertEqual(summary["recipients"], .int(3))
        XCTAssertEqual(summary["credits"], .double(3))
        XCTAssertEqual(summary["journalReplays"], .int(1))
        XCTAssertEqual(summary["apiCalls"], .int(2), "the replay made no call")
    }

    /// A once key is bound to its request: another text or other recipients send nothing.
    func testAKeyReusedForAnotherRequestSendsNothingAndSaysWhatDiffers() throws {
        try makeGate()
        let first = try gate.send(SendRequest(sender: "SMSHDEMO", content: "Daily report", msisdns: MSISDNList(["0812345678"])), once: "K")
        let calls = counters.totals.calls
        let other = SendRequest(sender: "SMSHDEMO", content: "COMPLETELY DIFFERENT", msisdns: MSISDNList(["0898765432", "0812345678"]))
        XCTAssertThrowsError(try gate.send(other, once: "K")) { e in
            let error = e as? SMSError
            XCTAssertEqual(error?.code, "ONCE_KEY_REUSED")
            XCTAssertEqual(error?.retryable, false)
            XCTAssertEqual(error?.notSent, true)
            XCTAssertTrue(error?.message.contains("'K'") ?? false, error?.message ?? "")
            XCTAssertTrue(error?.message.contains("text differs; recipients differ (1 vs 2)") ?? false, error?.message ?? "")
        }
        XCTAssertEqual(counters.totals.calls, calls, "nothing reached the API")
        // The same request in another order and form is the same request: replayed.
        let same = try gate.send(SendRequest(sender: "SMSHDEMO", content: "Daily report", msisdns: MSISDNList(["66812345678"])), once: "K")
        XCTAssertEqual(same["replayed"], true)
        XCTAssertEqual(same["uuid"], first["uuid"])
        // An entry recorded before digests (none stored) answers whatever is asked.
        let scope = StateScope(api: "sandbox", account: "")
        XCTAssertNil(try store.claim(JournalEntry(scope: scope, key: "old", state: .intent, at: 1, pid: 1, host: "h")))
        try store.record(JournalEntry(scope: scope, key: "old", state: .done, at: 1, pid: 1, host: "h", result: ["uuid": "u-old"]))
        XCTAssertEqual(try gate.send(other, once: "old")["uuid"], "u-old")
    }

    /// Concurrent sends through one gate (the campaign engine's workers): every key sent
    /// once, and the summary counts every send.
    func testConcurrentSendsThroughOneGateSendEachKeyOnce() throws {
        let dir = NSTemporaryDirectory() + "smsh-gate-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try makeGate()
        let store = try SQLiteStateStore(path: dir + "/state.sqlite3")
        gate.journal = SendOnceJournal(scope: StateScope(api: "sandbox", account: ""), store: { store })
        // SendGate is used from many threads as the campaign engine will (its journal and summary are thread-safe).
        nonisolated(unsafe) let gate = self.gate!
        let failures = Counter()
        let done = DispatchGroup()
        for t in 0..<16 {
            done.enter()
            Thread {
                defer { done.leave() }
                for i in 0..<8 {
                    // Keys k0…k31: each used by four threads.
                    let key = "k\((t * 8 + i) % 32)"
                    do {
                        _ = try gate.send(SendRequest(sender: "SMSHDEMO", content: "text \(key)", msisdns: MSISDNList(["0812345678"])), once: key)
                    } catch {
                        failures.add()
                    }
                }
            }.start()
        }
        done.wait()
        XCTAssertEqual(failures.value, 0)
        XCTAssertEqual(gate.summary.sends.count, 32, "each key sent once")
        XCTAssertEqual(gate.summary.replays.count, 128 - 32)
        XCTAssertEqual(try store.entries(scope: nil).filter { $0.state == .done }.count, 32)
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}

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
}

import SMSClient
import XCTest

/// `--metrics`' smsh_api_requests_total: every HTTP request the client makes is counted at the
/// transport seam by operation and by how it ended (status, or the failure's code), retries
/// included, from concurrent callers too.
final class RequestCountersTests: XCTestCase {
    private func client(_ transport: ScriptedTransport, counters: RequestCounters) -> SMSClient {
        SMSClient(transport: transport, apiKey: "k", clock: VirtualClock(start: 0), retry: RetryPolicy(jitter: Jitter(seed: 7)),
                  counters: counters)
    }

    private func outcome(_ operation: String, _ code: String) -> RequestCounters.Outcome {
        RequestCounters.Outcome(operation: operation, code: code)
    }

    func testEachAttemptIsCountedByOperationAndOutcome() throws {
        let counters = RequestCounters()
        let transport = ScriptedTransport([
            .json(503, ["error": "busy"]), .fail(.connectionLost("reset")), .fail(.timeout("read")),
            .json(200, ["balance": 10.0]),
            .json(200, ["uuid": "u1", "status": "sent", "recipients": 1, "credits": 1]),
        ])
        let c = client(transport, counters: counters)
        XCTAssertEqual(try c.credit().balance, 10.0)
        _ = try c.send(SendRequest(sender: "SMSHDEMO", content: "hi", msisdns: ["0812345678"]))
        XCTAssertEqual(counters.outcomes, [
            outcome("credit", "503"): 1, outcome("credit", "NETWORK"): 1, outcome("credit", "TIMEOUT"): 1, outcome("credit", "200"): 1,
            outcome("send", "200"): 1,
        ])
        XCTAssertEqual(counters.totals.calls, 5)
        XCTAssertEqual(counters.totals.retries, 3)
    }

    func testAFailedSendIsCountedOnceWithItsStatus() {
        let counters = RequestCounters()
        let transport = ScriptedTransport([.json(402, ["error": "insufficient credits"])])
        XCTAssertThrowsError(try client(transport, counters: counters).send(SendRequest(sender: "S", content: "x", msisdns: ["0812345678"])))
        XCTAssertEqual(counters.outcomes, [outcome("send", "402"): 1])
    }

    func testConcurrentCallersAreAllCounted() {
        let counters = RequestCounters()
        let transport = ScriptedTransport([.json(200, ["balance": 1.0])])
        let c = client(transport, counters: counters)
        DispatchQueue.concurrentPerform(iterations: 400) { _ in _ = try? c.credit() }
        XCTAssertEqual(counters.outcomes, [outcome("credit", "200"): 400])
    }
}

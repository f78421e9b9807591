import SMSClient
import XCTest

/// Which failures are retried for which operation, how long the client waits (on a virtual
/// clock) and how the attempts are reported.
final class RetryPolicyTests: XCTestCase {
    private let ok: ScriptedTransport.Step = .json(200, ["balance": 10.0, "uuid": "u1"])

    private func client(_ transport: ScriptedTransport, clock: VirtualClock, retry: RetryPolicy = RetryPolicy(jitter: Jitter(seed: 7))) -> SMSClient {
        SMSClient(transport: transport, apiKey: "k", clock: clock, retry: retry)
    }

    private let send = SendRequest(sender: "SMSHDEMO", content: "hi", msisdns: ["0812345678"])

    func testBackoffIsFullJitterUnderTheExponentialCap() {
        let policy = RetryPolicy(jitter: Jitter(seed: 42))
        for attempt in 1...8 {
            let cap = min(8.0, 0.5 * pow(2.0, Double(attempt - 1)))
            for _ in 0..<50 {
                let wait = policy.backoff(afterAttempt: attempt)
                XCTAssertGreaterThanOrEqual(wait, 0)
                XCTAssertLessThanOrEqual(wait, cap)
            }
        }
    }

    func testSeededJitterIsReproducible() {
        let a = RetryPolicy(jitter: Jitter(seed: 9)), b = RetryPolicy(jitter: Jitter(seed: 9))
        XCTAssertEqual((1...4).map { a.backoff(afterAttempt: $0) }, (1...4).map { b.backoff(afterAttempt: $0) })
    }

    func testGetRetriesServerErrorsAndSucceeds() throws {
        let clock = VirtualClock(start: 0)
        let transport = ScriptedTransport([.json(503, ["error": "busy"]), .fail(.connectionLost("reset")), ok])
        XCTAssertEqual(try client(transport, clock: clock).credit().balance, 10.0)
        XCTAssertEqual(transport.requests.count, 3)
        XCTAssertGreaterThan(clock.now(), 0, "waited on the virtual clock between attempts")
        XCTAssertLessThanOrEqual(clock.now(), 0.5 + 1.0)
    }

    func testGetGivesUpAfterMaxAttemptsAndSaysSo() {
        let clock = VirtualClock(start: 0)
        let transport = ScriptedTransport([.fail(.timeout("read"))])
        XCTAssertThrowsError(try client(transport, clock: clock).credit()) { error in
            let e = error as? SMSError
            XCTAssertEqual(e?.code, "TIMEOUT")
            XCTAssertTrue(e?.message.hasSuffix("(after 4 attempts)") ?? false, e?.message ?? "")
        }
        XCTAssertEqual(transport.requests.count, 4)
    }

    func testClientErrorsAreNotRetried() {
        let transport = ScriptedTransport([.json(404, ["error": "Not found"]), ok])
        XCTAssertThrowsError(try client(transport, clock: VirtualClock(start: 0)).message(uuid: "x")) { error in
            XCTAssertEqual((error as? SMSError)?.message, "Not found")
        }
        XCTAssertEqual(transport.requests.count, 1)
    }

    func testSendRetriesRateLimitAndRefusedConnection() throws {
        let transport = ScriptedTransport([
            .json(429, ["error": "Too many requests"]), .fail(.connectionRefused("refused")), ok,
        ])
        XCTAssertEqual(try client(transport, clock: VirtualClock(start: 0)).send(send).uuid, "u1")
        XCTAssertEqual(transport.requests.count, 3)
    }

    func testSendIsNeverRetriedWhenTheRequestMayHaveArrived() {
        let cases: [ScriptedTransport.Step] = [
            .json(503, ["error": "Unavailable"]), .json(500, ["error": "Oops"]),
            .fail(.timeout("read")), .fail(.connectionLost("reset")),
        ]
        for step in cases {
            let transport = ScriptedTransport([step, ok])
            XCTAssertThrowsError(try client(transport, clock: VirtualClock(start: 0)).send(send))
            XCTAssertEqual(transport.requests.count, 1, "\(step)")
        }
    }

    func testCancelFollowsTheSendRules() {
        let transport = ScriptedTransport([.json(502, ["error": "Bad gateway"]), ok])
        XCTAssertThrowsError(try client(transport, clock: VirtualClock(start: 0)).cancel(uuid: "u1"))
        XCTAssertEqual(transport.requests.count, 1)
        let limited = ScriptedTransport([.json(429, ["error": "slow down"]), ok])
        XCTAssertNoThrow(try client(limited, clock: VirtualClock(start: 0)).cancel(uuid: "u1"))
        XCTAssertEqual(limited.requests.count, 2)
    }

    func testPreviewRetriesLikeAGet() throws {
        let transport = ScriptedTransport([.fail(.connectionLost("reset")), ok])
        _ = try client(transport, clock: VirtualClock(start: 0)).preview(PreviewRequest(content: "x", contactGroupId: 1))
        XCTAssertEqual(transport.requests.count, 2)
    }

    func testRetryAfterIsHonouredOnTheClock() throws {
        let clock = VirtualClock(start: 100)
        let transport = ScriptedTransport([.json(429, ["error": "slow down"], headers: ["retry-after": "7"]), ok])
        _ = try client(transport, clock: clock).send(send)
        XCTAssertEqual(clock.now(), 107)
        XCTAssertEqual(transport.requests.count, 2)
    }

    func testRetryAfterBeyondTheTotalBudgetEndsRetries() {
        let clock = VirtualClock(start: 0)
        let transport = ScriptedTransport([.json(429, ["error": "slow down"], headers: ["retry-after": "31"]), ok])
        XCTAssertThrowsError(try client(transport, clock: clock).credit()) { error in
            XCTAssertEqual((error as? SMSError)?.code, "RATE_LIMITED")
        }
        XCTAssertEqual(transport.requests.count, 1)
        XCTAssertEqual(clock.now(), 0)
    }

    func testTotalWaitStaysWithinBudget() {
        let clock = VirtualClock(start: 0)
        let transport = ScriptedTransport([.json(429, ["error": "slow down"], headers: ["retry-after": "12"])])
        let policy = RetryPolicy(maxAttempts: 10, jitter: Jitter(seed: 1))
        XCTAssertThrowsError(try client(transport, clock: clock, retry: policy).credit()) { error in
            XCTAssertTrue((error as? SMSError)?.message.hasSuffix("(after 3 attempts)") ?? false)
        }
        XCTAssertEqual(clock.now(), 24)
    }

    func testRequestsCarryKeyAndRoute() throws {
        let transport = ScriptedTransport([ok])
        _ = try client(transport, clock: VirtualClock(start: 0)).recipients(uuid: "a b/c", status: "failed", after: 0, limit: 1000)
        let request = try XCTUnwrap(transport.requests.first)
        XCTAssertEqual(request.method, "GET")
        XCTAssertEqual(request.path, "/api/v2/sms/a%20b%2Fc/recipients")
        XCTAssertEqual(request.query, [QueryItem("status", "failed"), QueryItem("after", "0"), QueryItem("limit", "1000")])
        XCTAssertEqual(request.headers["x-api-key"], "k")
        XCTAssertNil(request.body)
    }

    func testNoKeyMeansNoHeader() throws {
        let transport = ScriptedTransport([ok])
        _ = try SMSClient(transport: transport, apiKey: nil, clock: VirtualClock(start: 0)).credit()
        XCTAssertNil(transport.requests.first?.headers["x-api-key"])
    }
}

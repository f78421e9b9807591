import SMSClient
import SMSSimulator
import XCTest

/// The retry rules against scripted simulator faults over real HTTP: a send is repeated only
/// when it cannot have arrived; reads are repeated on any failure.
final class LoopbackRetryTests: XCTestCase {
    private var sim: LoopbackSimulator!

    override func setUpWithError() throws {
        sim = try LoopbackSimulator()
    }

    override func tearDown() {
        sim.stop()
    }

    private let send = SendRequest(sender: "SMSHDEMO", content: "Hello", msisdns: ["0812345678"])

    func testRateLimitThenSuccessSendsOnce() throws {
        try sim.setFaults(["429"])
        let result = try sim.client().send(send)
        XCTAssertNotNil(result.uuid)
        XCTAssertEqual(sim.engine.acceptedSendCount, 1)
        XCTAssertEqual(sim.engine.requestCount, 2)
    }

    func testRetryAfterIsHonouredOnTheVirtualClock() throws {
        try sim.setFaults(["429"])  // the simulator says Retry-After: 1
        let before = sim.clock.now()
        _ = try sim.client().send(send)
        XCTAssertEqual(sim.clock.now() - before, 1)
    }

    func testServiceUnavailableOnSendIsNotRetried() throws {
        try sim.setFaults(["503"])
        XCTAssertThrowsError(try sim.client().send(send)) { error in
            XCTAssertEqual((error as? SMSError)?.status, 503)
        }
        XCTAssertEqual(sim.engine.requestCount, 1)
        XCTAssertEqual(sim.engine.acceptedSendCount, 0)
    }

    func testDropAfterSendIsNotRetriedAndSentOnce() throws {
        try sim.setFaults(["drop-after"])
        XCTAssertThrowsError(try sim.client().send(send)) { error in
            XCTAssertEqual((error as? SMSError)?.code, "NETWORK")
        }
        XCTAssertEqual(sim.engine.acceptedSendCount, 1)
        XCTAssertEqual(sim.engine.requestCount, 1)
    }

    func testDropOnReadIsRetried() throws {
        try sim.setFaults(["drop-before", "drop-after"])
        XCTAssertNotNil(try sim.client().credit().balance)
        XCTAssertEqual(sim.engine.requestCount, 3)
    }

    func testServerErrorsOnReadAreRetried() throws {
        try sim.setFaults(["500", "503"])
        XCTAssertNotNil(try sim.client().senders().data.first)
        XCTAssertEqual(sim.engine.requestCount, 3)
    }

    func testConnectionRefusedIsRetriedBoundedEvenForSend() throws {
        // A port that was just free: nothing listens there.
        let closed = try LoopbackSimulator()
        let url = closed.server.baseURL
        closed.stop()
        let transport = HTTPTransport(baseURL: url, connectTimeout: 2, readTimeout: 2)
        defer { transport.shutdown() }
        let clock = VirtualClock(start: 0)
        let client = SMSClient(
            transport: transport, apiKey: "k", clock: clock, retry: RetryPolicy(jitter: Jitter(seed: 5)))
        XCTAssertThrowsError(try client.send(send)) { error in
            let e = error as? SMSError
            XCTAssertEqual(e?.code, "NETWORK")
            XCTAssertNil(e?.status)
            XCTAssertTrue(e?.message.hasSuffix("(after 4 attempts)") ?? false, e?.message ?? "")
        }
        XCTAssertGreaterThan(clock.now(), 0)
        XCTAssertLessThanOrEqual(clock.now(), 0.5 + 1 + 2)
    }

    func testSlowResponseBeyondReadTimeoutIsTimeout() throws {
        // The server delays in real time: this engine runs on the system clock.
        let slow = try LoopbackSimulator(clock: SystemClock(), readTimeout: 0.3)
        defer { slow.stop() }
        try slow.setFaults(["slow"], slowSeconds: 1.5)
        XCTAssertThrowsError(try slow.client(retry: .never).credit()) { error in
            let e = error as? SMSError
            XCTAssertEqual(e?.code, "TIMEOUT")
            XCTAssertEqual(e?.retryable, true)
        }
    }

    func testSlowSendIsNotRepeated() throws {
        let slow = try LoopbackSimulator(clock: SystemClock(), readTimeout: 0.3)
        defer { slow.stop() }
        try slow.setFaults(["slow"], slowSeconds: 1.0)
        XCTAssertThrowsError(try slow.client().send(send)) { error in
            XCTAssertEqual((error as? SMSError)?.code, "TIMEOUT")
        }
        XCTAssertEqual(slow.engine.requestCount, 1)
    }
}

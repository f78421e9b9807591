import SMSClient
import XCTest

@testable import SMSSimulator

final class FaultInjectionTests: XCTestCase {
    private let sendBody: JSONValue = ["sender": "SMSHDEMO", "content": "x", "msisdns": ["0812345678"]]

    private func request(_ body: JSONValue) -> TransportRequest {
        TransportRequest(method: "POST", path: "/api/v2/sms/send", headers: ["x-api-key": SimulatorHarness.demoKey], body: body)
    }

    func testScriptedStatusesAreAnsweredWithoutApplyingTheRequest() throws {
        let sim = SimulatorHarness(SimulatorConfig(faults: FaultConfig(script: ["500", "503", "429"])))
        let r500 = try sim.send(sendBody)
        XCTAssertEqual(r500.status, 500)
        XCTAssertNotNil(r500.code)
        let r503 = try sim.send(sendBody)
        XCTAssertEqual(r503.status, 503)
        XCTAssertEqual(r503.json, .null, "the 503 body is not JSON, as from a proxy")
        let r429 = try sim.send(sendBody)
        XCTAssertEqual(r429.status, 429)
        XCTAssertEqual(r429.code, "RATE_LIMITED")
        XCTAssertEqual(r429.headers["retry-after"], "1")
        XCTAssertEqual(sim.engine.acceptedSendCount, 0)
        XCTAssertEqual(try sim.send(sendBody).status, 200, "the script is used up")
        XCTAssertEqual(sim.engine.acceptedSendCount, 1)
    }

    func testDropBeforeLosesTheRequestAndDropAfterAppliesIt() throws {
        let sim = SimulatorHarness(SimulatorConfig(faults: FaultConfig(script: ["drop-before", "drop-after"])))
        XCTAssertThrowsError(try sim.transport.roundTrip(request(sendBody))) { error in
            XCTAssertEqual(error as? TransportFailure, .connectionLost("the simulator closed the connection without a response"))
        }
        XCTAssertEqual(sim.engine.acceptedSendCount, 0)
        XCTAssertThrowsError(try sim.transport.roundTrip(request(sendBody)))
        XCTAssertEqual(sim.engine.acceptedSendCount, 1)
        XCTAssertEqual(try sim.balance(), 9_999)
    }

    func testMalformedAppliesTheRequestAndCutsTheBody() throws {
        let sim = SimulatorHarness(SimulatorConfig(faults: FaultConfig(script: ["malformed"])))
        let response = try sim.transport.roundTrip(request(sendBody))
        XCTAssertEqual(response.status, 200)
        XCTAssertThrowsError(try JSONValue.parse(response.body))
        XCTAssertEqual(sim.engine.acceptedSendCount, 1)
    }

    func testRateLimitWithoutRetryAfterIsNotApplied() throws {
        let sim = SimulatorHarness(SimulatorConfig(faults: FaultConfig(script: ["429-no-retry-after"])))
        let reply = try sim.send(sendBody)
        XCTAssertEqual(reply.status, 429)
        XCTAssertEqual(reply.code, "RATE_LIMITED")
        XCTAssertNil(reply.headers["retry-after"])
        XCTAssertEqual(sim.engine.acceptedSendCount, 0)
    }

    func testNonJSONAppliesTheRequestAndAnswersHTML() throws {
        let sim = SimulatorHarness(SimulatorConfig(faults: FaultConfig(script: ["non-json"])))
        let response = try sim.transport.roundTrip(request(sendBody))
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.headers["content-type"], "text/html")
        XCTAssertThrowsError(try JSONValue.parse(response.body))
        XCTAssertEqual(sim.engine.acceptedSendCount, 1)
    }

    func testRateLimitShareAnswers429WithRetryAfter() throws {
        let sim = SimulatorHarness(SimulatorConfig(faults: FaultConfig(error429: 1)))
        let reply = try sim.get("/api/v2/credit")
        XCTAssertEqual(reply.status, 429)
        XCTAssertEqual(reply.headers["retry-after"], "1")
    }

    func testSlowSleepsOnTheVirtualClock() throws {
        let sim = SimulatorHarness(SimulatorConfig(faults: FaultConfig(slowSeconds: 7, script: ["slow"])))
        let before = sim.clock.now()
        let reply = try sim.get("/api/v2/credit")
        XCTAssertEqual(reply.status, 200)
        XCTAssertEqual(sim.clock.now() - before, 7)
    }

    func testFaultsApplyToAPIRoutesOnly() throws {
        let sim = SimulatorHarness(SimulatorConfig(faults: FaultConfig(error500: 1)))
        XCTAssertEqual(try sim.get("/_sim/stats", key: nil).status, 200)
        XCTAssertEqual(try sim.get("/api/v2/credit").status, 500)
    }

    func testSharesAreDeterministicFromTheirSeed() throws {
        func statuses(seed: UInt64) throws -> [Int] {
            let faults = FaultConfig(error500: 0.2, error503: 0.2, seed: seed)
            let sim = SimulatorHarness(SimulatorConfig(faults: faults))
            return try (0..<200).map { _ in try sim.get("/api/v2/credit").status }
        }
        let a = try statuses(seed: 3)
        XCTAssertEqual(a, try statuses(seed: 3))
        XCTAssertNotEqual(a, try statuses(seed: 4))
        let failures = a.filter { $0 != 200 }.count
        XCTAssertTrue((50...110).contains(failures), "\(failures) of 200 failed with shares adding to 0.4")
    }

    func testParseSpec() throws {
        let config = try FaultConfig.parse(spec: "500=0.1,503=0.05,drop=0.02,slow=0.1:2.5,malformed=0.01,seed=7")
        XCTAssertEqual(config, FaultConfig(error500: 0.1, error503: 0.05, slow: 0.1, slowSeconds: 2.5, drop: 0.02, malformed: 0.01, seed: 7))
        XCTAssertEqual(try FaultConfig.parse(spec: "script=500;drop-after;429"), FaultConfig(script: ["500", "drop-after", "429"]))
        XCTAssertEqual(try FaultConfig.parse(spec: ""), FaultConfig())
        XCTAssertEqual(try FaultConfig.parse(spec: "none"), FaultConfig())
        XCTAssertEqual(try FaultConfig.parse(spec: "429=0.05,script=429-no-retry-after;non-json"),
                       FaultConfig(error429: 0.05, script: ["429-no-retry-after", "non-json"]))
        for bad in ["500=2", "teapot=0.1", "500", "script=explode", "500=0.6,503=0.6", "seed=-1", "slow=0.1:1e20"] {
            XCTAssertThrowsError(try FaultConfig.parse(spec: bad), bad)
        }
    }

    func testJSONRoundTripAndErrors() throws {
        let config = FaultConfig(error500: 0.25, slow: 0.5, slowSeconds: 3, seed: 9, script: ["slow"])
        XCTAssertEqual(try FaultConfig(json: config.json), config)
        XCTAssertEqual(try FaultConfig(json: ["500": 0.5]), FaultConfig(error500: 0.5))
        let withRateLimit = FaultConfig(error429: 0.1, script: ["429-no-retry-after", "non-json"])
        XCTAssertEqual(try FaultConfig(json: withRateLimit.json), withRateLimit)
        XCTAssertThrowsError(try FaultConfig(json: ["bogus": 1]))
        XCTAssertThrowsError(try FaultConfig(json: ["script": ["nope"]]))
        XCTAssertThrowsError(try FaultConfig(json: "500"))
    }
}

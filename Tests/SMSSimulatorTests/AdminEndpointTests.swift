import SMSClient
import XCTest

@testable import SMSSimulator

final class AdminEndpointTests: XCTestCase {
    func testAdvanceMovesTheVirtualClock() throws {
        let sim = SimulatorHarness()
        let reply = try sim.post("/_sim/advance", ["seconds": 90], key: nil)
        XCTAssertEqual(reply["now"]?.doubleValue, SimulatorHarness.start + 90)
        XCTAssertEqual(sim.clock.now(), SimulatorHarness.start + 90)
        XCTAssertEqual(try sim.post("/_sim/advance", ["seconds": -1], key: nil).status, 400)
    }

    func testAdvanceOffsetsARealClock() throws {
        /// A clock that is not virtual: advance must offset it instead of moving it.
        final class FixedClock: SMSClock, @unchecked Sendable {
            func now() -> Double { 1000 }
            func sleep(seconds: Double) throws {}
        }
        let engine = SimulatorEngine(clock: FixedClock())
        _ = engine.handle(TransportRequest(method: "POST", path: "/_sim/advance", body: ["seconds": 50]))
        XCTAssertEqual(engine.now, 1050)
    }

    func testCreditSetsTheBalance() throws {
        let sim = SimulatorHarness()
        XCTAssertEqual(try sim.post("/_sim/credit", ["balance": 3], key: nil).status, 200)
        XCTAssertEqual(try sim.get("/api/v2/credit")["balance"], .double(3))
        XCTAssertEqual(try sim.post("/_sim/credit", ["balance": "lots"], key: nil).status, 400)
    }

    func testFaultsCanBeSetAndRead() throws {
        let sim = SimulatorHarness()
        XCTAssertEqual(try sim.post("/_sim/faults", ["script": ["503"]], key: nil).status, 200)
        XCTAssertEqual(try sim.get("/_sim/faults", key: nil)["script"], ["503"])
        XCTAssertEqual(try sim.get("/api/v2/credit").status, 503)
        XCTAssertEqual(try sim.get("/api/v2/credit").status, 200)
        let bad = try sim.post("/_sim/faults", ["500": 7], key: nil)
        XCTAssertEqual(bad.status, 400)
        XCTAssertEqual(bad.code, "INVALID_PARAMETER")
    }

    func testResetReturnsToDemoData() throws {
        let sim = SimulatorHarness()
        _ = try sim.send(["sender": "SMSHDEMO", "content": "x", "contactGroupId": 2])
        XCTAssertEqual(try sim.balance(), 9_000)
        XCTAssertEqual(try sim.post("/_sim/reset", nil, key: nil).status, 200)
        XCTAssertEqual(try sim.balance(), 10_000)
        XCTAssertEqual(try sim.get("/api/v2/sms")["total"], 0)
        XCTAssertEqual(sim.engine.acceptedSendCount, 0)
    }

    func testStatsCountRequestsAndAcceptedSends() throws {
        let sim = SimulatorHarness()
        _ = try sim.send(["sender": "SMSHDEMO", "content": "x", "msisdns": ["0812345678"]])
        _ = try sim.send(["sender": "SMSHDEMO", "content": "x", "msisdns": ["0812345678"], "dryRun": true])
        _ = try sim.get("/api/v2/credit", key: nil)
        let stats = try sim.get("/_sim/stats", key: nil)
        XCTAssertEqual(
            stats.json,
            ["acceptedSends": 1, "requests": 3, "now": .double(SimulatorHarness.start), "maxInFlight": 1, "throttled": 0])
    }

    func testUnknownAdminEndpointIsNotFound() throws {
        let sim = SimulatorHarness()
        XCTAssertEqual(try sim.post("/_sim/explode", nil, key: nil).status, 404)
        let wrongMethod = try sim.call("DELETE", "/_sim/faults", key: nil)
        XCTAssertEqual(wrongMethod.status, 405)
        XCTAssertEqual(wrongMethod.headers["allow"], "GET, POST")
    }
}

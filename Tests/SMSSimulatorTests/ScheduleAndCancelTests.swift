import SMSClient
import XCTest

@testable import SMSSimulator

final class ScheduleAndCancelTests: XCTestCase {
    private func schedule(_ sim: SimulatorHarness, in seconds: Double, count: Int = 10) throws -> SimulatorHarness.Reply {
        try sim.send([
            "sender": "SMSHDEMO", "content": "x", "msisdns": SimulatorHarness.numbers(count),
            "scheduledTime": .string(sim.iso(in: seconds)),
        ])
    }

    func testScheduledSendHoldsCreditsAndStartsAtItsTime() throws {
        let sim = SimulatorHarness()
        let reply = try schedule(sim, in: 3600)
        XCTAssertEqual(reply.status, 200)
        XCTAssertEqual(reply["status"], "scheduled")
        XCTAssertEqual(reply["scheduledTime"]?.stringValue, sim.iso(in: 3600))
        XCTAssertEqual(try sim.balance(), 9_990)
        let uuid = reply["uuid"]!.stringValue!
        XCTAssertEqual(try sim.message(uuid)["status"], "scheduled")
        XCTAssertEqual(try sim.message(uuid)["drSummary"]?["pending"], 10)
        XCTAssertEqual(try sim.get("/api/v2/sms", [("status", "scheduled")])["total"], 1)

        try sim.advance(3600)
        XCTAssertEqual(try sim.message(uuid)["status"], "pending")
        try sim.advance(121)
        XCTAssertEqual(try sim.message(uuid)["drSummary"]?["pending"], 0)
    }

    func testScheduledTimeAcceptsOtherOffsets() throws {
        let sim = SimulatorHarness()
        let reply = try sim.send([
            "sender": "SMSHDEMO", "content": "x", "msisdns": ["0812345678"], "scheduledTime": "2099-01-01T00:00:00Z",
        ])
        XCTAssertEqual(reply["scheduledTime"], "2099-01-01T07:00:00+07:00")
    }

    func testCancelRefundsHeldCredits() throws {
        let sim = SimulatorHarness()
        let uuid = try XCTUnwrap(schedule(sim, in: 600)["uuid"]?.stringValue)
        let reply = try sim.post("/api/v2/sms/\(uuid)/cancel", nil)
        XCTAssertEqual(reply.status, 200)
        XCTAssertEqual(reply.json, ["uuid": .string(uuid), "status": "cancelled", "refunded": 10])
        XCTAssertEqual(try sim.balance(), 10_000)
        XCTAssertEqual(try sim.message(uuid)["status"], "cancelled")
        try sim.advance(1000)
        XCTAssertEqual(try sim.message(uuid)["status"], "cancelled")
        XCTAssertEqual(try sim.get("/api/v2/sms", [("status", "cancelled")])["total"], 1)
    }

    func testCancellingTwiceIsAlreadyCancelled() throws {
        let sim = SimulatorHarness()
        let uuid = try XCTUnwrap(schedule(sim, in: 600)["uuid"]?.stringValue)
        _ = try sim.post("/api/v2/sms/\(uuid)/cancel", nil)
        let again = try sim.post("/api/v2/sms/\(uuid)/cancel", nil)
        XCTAssertEqual(again.status, 409)
        XCTAssertEqual(again.code, "ALREADY_CANCELLED")
        XCTAssertEqual(try sim.balance(), 10_000)
    }

    func testCancelAfterTheScheduledTimeIsAlreadyProcessing() throws {
        let sim = SimulatorHarness()
        let uuid = try XCTUnwrap(schedule(sim, in: 600)["uuid"]?.stringValue)
        try sim.advance(600)
        let reply = try sim.post("/api/v2/sms/\(uuid)/cancel", nil)
        XCTAssertEqual(reply.status, 409)
        XCTAssertEqual(reply.code, "ALREADY_PROCESSING")
        XCTAssertEqual(try sim.balance(), 9_990)
    }

    func testCancelOfAnImmediateSendIsNotScheduled() throws {
        let sim = SimulatorHarness()
        let uuid = try sim.sendUUID(["sender": "SMSHDEMO", "content": "x", "msisdns": ["0812345678"]])
        let reply = try sim.post("/api/v2/sms/\(uuid)/cancel", nil)
        XCTAssertEqual(reply.status, 400)
        XCTAssertEqual(reply.code, "NOT_SCHEDULED")
    }

    func testCancelOfUnknownMessageIsNotFound() throws {
        let sim = SimulatorHarness()
        let reply = try sim.post("/api/v2/sms/00000000-0000-4000-8000-000000000000/cancel", nil)
        XCTAssertEqual(reply.status, 404)
        XCTAssertEqual(reply.code, "NOT_FOUND")
    }
}

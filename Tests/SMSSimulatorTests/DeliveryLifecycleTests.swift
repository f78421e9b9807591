import SMSClient
import XCTest

@testable import SMSSimulator

final class DeliveryLifecycleTests: XCTestCase {
    private func summary(_ reply: SimulatorHarness.Reply) -> [String: Int] {
        var out: [String: Int] = [:]
        for (k, v) in reply["drSummary"]?.objectValue ?? [:] { out[k] = v.int }
        return out
    }

    func testRecipientsMoveFromPendingToFinalOverVirtualTime() throws {
        let sim = SimulatorHarness()
        let uuid = try sim.sendUUID(["sender": "SMSHDEMO", "content": "x", "msisdns": SimulatorHarness.numbers(1000)])
        let atStart = try sim.message(uuid)
        XCTAssertEqual(atStart["status"], "pending")
        XCTAssertEqual(summary(atStart)["pending"], 1000)

        try sim.advance(60)
        let midway = summary(try sim.message(uuid))
        XCTAssertGreaterThan(midway["pending"]!, 0)
        XCTAssertLessThan(midway["pending"]!, 1000)
        XCTAssertEqual(midway.values.reduce(0, +), 1000)

        try sim.advance(61)
        let done = try sim.message(uuid)
        let final = summary(done)
        XCTAssertEqual(done["status"], "sent")
        XCTAssertEqual(final["pending"], 0)
        XCTAssertEqual(final.values.reduce(0, +), 1000)
        // Default shares 90/5/2/3: loose bounds, exact numbers come from the seed.
        XCTAssertTrue((850...950).contains(final["success"]!), "\(final)")
        XCTAssertGreaterThan(final["failed"]!, 0)
        XCTAssertGreaterThan(final["expired"]!, 0)
        XCTAssertGreaterThan(final["timeout"]!, 0)
    }

    func testBlocklistedAndSixtyPrefixNumbersAreFinalAtOnce() throws {
        let sim = SimulatorHarness()
        let uuid = try sim.send([
            "sender": "SMSHDEMO", "content": "x", "msisdns": ["66899999999", "0800000000", "0601234567", "0812345678"],
        ])["uuid"]!.stringValue!
        let s = summary(try sim.message(uuid))
        XCTAssertEqual(s["blocked"], 2)
        XCTAssertEqual(s["invalid"], 1)
        XCTAssertEqual(s["pending"], 1)
        let page = try sim.get("/api/v2/sms/\(uuid)/recipients", [("after", "0")])["data"]?.arrayValue ?? []
        XCTAssertEqual(page.map { $0["status"]!.stringValue! }, ["blocked", "blocked", "invalid", "pending"])
        XCTAssertEqual(page.map { $0["msisdn"]!.stringValue! }, ["66899999999", "66800000000", "66601234567", "66812345678"])
    }

    func testMessageWithNoSuccessEndsFailed() throws {
        let sim = SimulatorHarness()
        let uuid = try sim.sendUUID(["sender": "SMSHDEMO", "content": "x", "msisdns": ["66899999999"]])
        XCTAssertEqual(try sim.message(uuid)["status"], "failed")
    }

    func testOutcomeSharesAreConfigurable() throws {
        let sim = SimulatorHarness(SimulatorConfig(outcomes: ["timeout": 1], deliveryDelay: 10...10))
        let uuid = try sim.sendUUID(["sender": "SMSHDEMO", "content": "x", "msisdns": SimulatorHarness.numbers(50)])
        try sim.advance(9)
        XCTAssertEqual(summary(try sim.message(uuid))["pending"], 50)
        try sim.advance(1)
        XCTAssertEqual(summary(try sim.message(uuid))["timeout"], 50)
        XCTAssertEqual(try sim.message(uuid)["status"], "failed")
    }

    func testSameSeedGivesSameOutcomesAndOtherSeedsDiffer() throws {
        func finalStatuses(seed: UInt64) throws -> [String] {
            let sim = SimulatorHarness(SimulatorConfig(seed: seed))
            let uuid = try sim.sendUUID(["sender": "SMSHDEMO", "content": "x", "msisdns": SimulatorHarness.numbers(300)])
            try sim.advance(200)
            let page = try sim.get("/api/v2/sms/\(uuid)/recipients", [("after", "0"), ("limit", "1000")])
            return (page["data"]?.arrayValue ?? []).map { $0["status"]!.stringValue! + $0["updatedAt"]!.stringValue! }
        }
        XCTAssertEqual(try finalStatuses(seed: 5), try finalStatuses(seed: 5))
        XCTAssertNotEqual(try finalStatuses(seed: 5), try finalStatuses(seed: 6))
    }

    func testRecipientPagesAgreeWithTheSummaryAtEveryTime() throws {
        let sim = SimulatorHarness()
        let uuid = try sim.sendUUID(["sender": "SMSHDEMO", "content": "x", "msisdns": SimulatorHarness.numbers(2000)])
        for _ in 0..<8 {
            try sim.advance(17)
            let page = try sim.get("/api/v2/sms/\(uuid)/recipients", [("after", "0"), ("limit", "1000")])
            var counted: [String: Int] = [:]
            var cursor = 0
            var hasMore = true
            while hasMore {
                let p = try sim.get("/api/v2/sms/\(uuid)/recipients", [("after", String(cursor)), ("limit", "1000")])
                for r in p["data"]?.arrayValue ?? [] { counted[r["status"]!.stringValue!, default: 0] += 1 }
                cursor = p["nextCursor"]!.int!
                hasMore = p["hasMore"]!.boolValue!
            }
            for entry in page["summary"]?.arrayValue ?? [] {
                XCTAssertEqual(counted[entry["status"]!.stringValue!, default: 0], entry["count"]!.int!)
            }
            let s = summary(try sim.message(uuid))
            XCTAssertEqual(s.filter { $0.value > 0 }, counted)
        }
    }

    func testUpdatedAtIsTheDeliveryTimeInBangkokTime() throws {
        let sim = SimulatorHarness(SimulatorConfig(deliveryDelay: 30...30))
        let uuid = try sim.sendUUID(["sender": "SMSHDEMO", "content": "x", "msisdns": ["0812345678"]])
        let created = try sim.message(uuid)["createdAt"]!.stringValue!
        XCTAssertEqual(created, ISOTime.format(SimulatorHarness.start))
        XCTAssertTrue(created.hasSuffix("+07:00"))
        try sim.advance(40)
        let r = try sim.get("/api/v2/sms/\(uuid)/recipients")["data"]!.arrayValue![0]
        XCTAssertEqual(r["updatedAt"]?.stringValue, ISOTime.format(SimulatorHarness.start + 30))
    }
}

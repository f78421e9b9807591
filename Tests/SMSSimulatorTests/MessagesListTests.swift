import SMSClient
import XCTest

@testable import SMSSimulator

final class MessagesListTests: XCTestCase {
    private func sendMany(_ sim: SimulatorHarness, _ n: Int) throws -> [String] {
        try (0..<n).map { i in
            try sim.sendUUID(["sender": "SMSHDEMO", "content": .string("message \(i)"), "msisdns": ["0812345678"]])
        }
    }

    func testMostRecentFirstWithPagingAndTotal() throws {
        let sim = SimulatorHarness()
        let uuids = try sendMany(sim, 25)
        let first = try sim.get("/api/v2/sms")
        XCTAssertEqual(first["total"], 25)
        XCTAssertEqual(first["page"], 1)
        XCTAssertEqual(first["limit"], 20)
        let data = first["data"]?.arrayValue ?? []
        XCTAssertEqual(data.count, 20)
        XCTAssertEqual(data.first?["uuid"]?.stringValue, uuids.last)
        let second = try sim.get("/api/v2/sms", [("page", "2")])["data"]?.arrayValue ?? []
        XCTAssertEqual(second.map { $0["uuid"]!.stringValue! }, uuids[0..<5].reversed())
        XCTAssertEqual(try sim.get("/api/v2/sms", [("page", "9")])["data"], .array([]))
        XCTAssertEqual(try sim.get("/api/v2/sms", [("limit", "3")])["data"]?.arrayValue?.count, 3)
    }

    func testMessageFieldsAsTheContractNamesThem() throws {
        let sim = SimulatorHarness()
        let uuid = try sendMany(sim, 1)[0]
        let m = try sim.get("/api/v2/sms")["data"]!.arrayValue![0]
        XCTAssertEqual(Set(m.objectValue!.keys), [
            "uuid", "sender", "content", "status", "recipients", "parts", "credits", "createdAt", "scheduledTime", "drSummary",
        ])
        XCTAssertEqual(m["uuid"]?.stringValue, uuid)
        XCTAssertEqual(m["scheduledTime"], .null)
        XCTAssertEqual(Set(m["drSummary"]!.objectValue!.keys), ["pending", "success", "failed", "invalid", "blocked", "expired", "timeout"])
    }

    func testStatusFilter() throws {
        let sim = SimulatorHarness()
        _ = try sendMany(sim, 3)
        _ = try sim.send(["sender": "SMSHDEMO", "content": "x", "msisdns": ["66899999999"]])
        XCTAssertEqual(try sim.get("/api/v2/sms", [("status", "pending")])["total"], 3)
        XCTAssertEqual(try sim.get("/api/v2/sms", [("status", "failed")])["total"], 1)
        try sim.advance(200)
        let sent = try sim.get("/api/v2/sms", [("status", "sent")])["total"]!.int!
        let failed = try sim.get("/api/v2/sms", [("status", "failed")])["total"]!.int!
        XCTAssertEqual(sent + failed, 4)
        XCTAssertEqual(try sim.get("/api/v2/sms", [("status", "pending")])["total"], 0)
    }

    func testOutOfRangeQueryIsInvalidParameter() throws {
        let sim = SimulatorHarness()
        for query in [[("limit", "0")], [("limit", "101")], [("limit", "x")], [("page", "0")], [("status", "weird")]] {
            let reply = try sim.get("/api/v2/sms", query)
            XCTAssertEqual(reply.status, 400, "\(query)")
            XCTAssertEqual(reply.code, "INVALID_PARAMETER", "\(query)")
        }
    }
}

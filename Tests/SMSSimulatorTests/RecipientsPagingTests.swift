import SMSClient
import XCTest

@testable import SMSSimulator

final class RecipientsPagingTests: XCTestCase {
    func testCursorPagingVisitsEveryOneOfAHundredThousandRecipientsOnceInOrder() throws {
        let sim = SimulatorHarness(SimulatorConfig(startingCredit: 1_000_000))
        let n = 100_000
        let uuid = try sim.sendUUID(["sender": "SMSHDEMO", "content": "x", "msisdns": SimulatorHarness.numbers(n)])
        try sim.advance(200)
        var cursor = 0
        var seen = 0
        var pages = 0
        var hasMore = true
        while hasMore {
            let page = try sim.get("/api/v2/sms/\(uuid)/recipients", [("after", String(cursor)), ("limit", "1000")])
            XCTAssertNil(page["total"])
            for r in page["data"]?.arrayValue ?? [] {
                XCTAssertEqual(r["msisdn"]?.stringValue, "66" + String(812_000_000 + seen))
                seen += 1
            }
            cursor = page["nextCursor"]!.int!
            hasMore = page["hasMore"]!.boolValue!
            pages += 1
        }
        XCTAssertEqual(seen, n)
        XCTAssertEqual(pages, 100)
        XCTAssertEqual(cursor, n)
    }

    func testStatusFilterReturnsOnlyMatchesAndAllOfThem() throws {
        let sim = SimulatorHarness(SimulatorConfig(startingCredit: 1_000_000))
        let uuid = try sim.sendUUID(["sender": "SMSHDEMO", "content": "x", "msisdns": SimulatorHarness.numbers(20_000)])
        try sim.advance(200)
        let summary = try sim.message(uuid)["drSummary"]!
        let expected = summary["failed"]!.int! + summary["timeout"]!.int!
        var cursor = 0
        var hasMore = true
        var found = 0
        while hasMore {
            let page = try sim.get("/api/v2/sms/\(uuid)/recipients", [("after", String(cursor)), ("status", "failed,timeout"), ("limit", "100")])
            for r in page["data"]?.arrayValue ?? [] {
                XCTAssertTrue(["failed", "timeout"].contains(r["status"]!.stringValue!))
                found += 1
            }
            let next = page["nextCursor"]!.int!
            XCTAssertGreaterThanOrEqual(next, cursor)
            cursor = next
            hasMore = page["hasMore"]!.boolValue!
        }
        XCTAssertEqual(found, expected)
        XCTAssertGreaterThan(found, 0)
    }

    func testLastPageHasNoMoreAndACursorPastTheEndIsEmpty() throws {
        let sim = SimulatorHarness()
        let uuid = try sim.sendUUID(["sender": "SMSHDEMO", "content": "x", "msisdns": SimulatorHarness.numbers(5)])
        let page = try sim.get("/api/v2/sms/\(uuid)/recipients", [("after", "3")])
        XCTAssertEqual(page["data"]?.arrayValue?.count, 2)
        XCTAssertEqual(page["nextCursor"], 5)
        XCTAssertEqual(page["hasMore"], false)
        let beyond = try sim.get("/api/v2/sms/\(uuid)/recipients", [("after", "50")])
        XCTAssertEqual(beyond["data"], .array([]))
        XCTAssertEqual(beyond["hasMore"], false)
        let exact = try sim.get("/api/v2/sms/\(uuid)/recipients", [("after", "0"), ("limit", "5")])
        XCTAssertEqual(exact["hasMore"], false)
    }

    func testSummaryListsAllSevenStatuses() throws {
        let sim = SimulatorHarness()
        let uuid = try sim.sendUUID(["sender": "SMSHDEMO", "content": "x", "contactGroupId": 1])
        let summary = try sim.get("/api/v2/sms/\(uuid)/recipients", [("after", "0")])["summary"]?.arrayValue ?? []
        XCTAssertEqual(summary.map { $0["status"]!.stringValue! }, ["pending", "success", "failed", "invalid", "blocked", "expired", "timeout"])
        XCTAssertEqual(summary[0]["count"], 10)
    }

    func testOffsetPagingWithoutCursorHasTotal() throws {
        let sim = SimulatorHarness()
        let uuid = try sim.sendUUID(["sender": "SMSHDEMO", "content": "x", "msisdns": SimulatorHarness.numbers(250)])
        let first = try sim.get("/api/v2/sms/\(uuid)/recipients")
        XCTAssertEqual(first["total"], 250)
        XCTAssertEqual(first["data"]?.arrayValue?.count, 100)
        XCTAssertNil(first["nextCursor"])
        let third = try sim.get("/api/v2/sms/\(uuid)/recipients", [("page", "3")])
        XCTAssertEqual(third["data"]?.arrayValue?.count, 50)
        XCTAssertEqual(third["data"]?.arrayValue?.first?["msisdn"]?.stringValue, "66" + String(812_000_000 + 200))
        try sim.advance(200)
        let failedTotal = try sim.message(uuid)["drSummary"]!["failed"]!.int!
        let failed = try sim.get("/api/v2/sms/\(uuid)/recipients", [("status", "failed"), ("limit", "1000")])
        XCTAssertEqual(failed["total"]?.int, failedTotal)
        XCTAssertEqual(failed["data"]?.arrayValue?.count, failedTotal)
    }

    func testBadRecipientQueriesAreInvalidParameterAndUnknownMessageNotFound() throws {
        let sim = SimulatorHarness()
        let uuid = try sim.sendUUID(["sender": "SMSHDEMO", "content": "x", "contactGroupId": 1])
        for query in [[("limit", "1001")], [("limit", "0")], [("after", "-1")], [("after", "x")], [("status", "lost")]] {
            let reply = try sim.get("/api/v2/sms/\(uuid)/recipients", query)
            XCTAssertEqual(reply.status, 400, "\(query)")
            XCTAssertEqual(reply.code, "INVALID_PARAMETER")
        }
        XCTAssertEqual(try sim.get("/api/v2/sms/nope/recipients").status, 404)
    }
}

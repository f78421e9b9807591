import SMSClient
import XCTest

/// Results keep every field the server sent and tolerate missing or odd ones.
final class ResultsTests: XCTestCase {
    private func client(_ body: JSONValue) -> SMSClient {
        SMSClient(transport: ScriptedTransport([.json(200, body)]), apiKey: "k", clock: VirtualClock(start: 0))
    }

    func testUnknownFieldsPassThrough() throws {
        let credit = try client(["balance": 12.5, "currency": "credits", "expiresAt": "2027-01-01"]).credit()
        XCTAssertEqual(credit.balance, 12.5)
        XCTAssertEqual(credit.json["expiresAt"], "2027-01-01")
        XCTAssertEqual(credit["currency"], "credits")
    }

    func testEmptyObjectNeverFailsACall() throws {
        let c = client([:])
        XCTAssertNil(try c.credit().balance)
        XCTAssertEqual(try c.senders().data, [])
        XCTAssertEqual(try c.messages().data, [])
        XCTAssertEqual(try c.message(uuid: "u").drSummary, [:])
        let page = try c.recipients(uuid: "u")
        XCTAssertEqual(page.data, [])
        XCTAssertNil(page.nextCursor)
        XCTAssertEqual(page.summary, [:])
        XCTAssertNil(try c.cancel(uuid: "u").refunded)
    }

    func testSendResultAddsDuplicatesRemoved() throws {
        let result = try client(["uuid": "u1", "status": "pending", "recipients": 1, "parts": 1, "credits": 1.0])
            .send(SendRequest(sender: "S", content: "x", msisdns: ["0812345678", "66812345678"]))
        XCTAssertEqual(result.uuid, "u1")
        XCTAssertEqual(result.duplicatesRemoved, 1)
        XCTAssertEqual(result.json["duplicatesRemoved"], 1)
        XCTAssertFalse(result.dryRun)
        XCTAssertEqual(result.credits, 1.0)
    }

    func testIntegersAndFloatsStayApart() throws {
        let result = try client(["recipients": 3, "credits": 3.0]).preview(PreviewRequest(content: "x", contactGroupId: 1))
        XCTAssertEqual(result.json["recipients"], .int(3))
        XCTAssertEqual(result.json["credits"], .double(3.0))
    }

    func testRecipientPageAccessors() throws {
        let page = try client([
            "data": [["msisdn": "66812345678", "status": "failed", "updatedAt": "t", "carrier": "AIS"], "junk"],
            "nextCursor": 17, "hasMore": true,
            "summary": [["status": "failed", "count": 1], ["status": "success", "count": 4], ["oops": 1]],
        ]).recipients(uuid: "u", after: 0)
        XCTAssertEqual(page.data.count, 1)
        XCTAssertEqual(page.data[0].msisdn, "66812345678")
        XCTAssertEqual(page.data[0].json["carrier"], "AIS")
        XCTAssertEqual(page.nextCursor, 17)
        XCTAssertEqual(page.hasMore, true)
        XCTAssertEqual(page.summary, ["failed": 1, "success": 4])
    }

    func testMessageDRSummary() throws {
        let message = try client([
            "uuid": "u", "status": "sent", "drSummary": ["pending": 0, "success": 9, "failed": 1],
        ]).message(uuid: "u")
        XCTAssertEqual(message.drSummary, ["pending": 0, "success": 9, "failed": 1])
        XCTAssertEqual(message.status, "sent")
    }

    func testSendersAccessors() throws {
        let list = try client(["data": [["name": "SMSHDEMO", "status": "approved", "shared": false]]]).senders()
        XCTAssertEqual(list.data.first?.name, "SMSHDEMO")
        XCTAssertEqual(list.data.first?.isApproved, true)
    }

    func testBadQueryArgumentsAreRejectedLocally() {
        let c = client([:])
        XCTAssertThrowsError(try c.messages(page: 0)) { XCTAssertEqual(($0 as? SMSError)?.field, "page") }
        XCTAssertThrowsError(try c.recipients(uuid: "")) { XCTAssertEqual(($0 as? SMSError)?.field, "uuid") }
        XCTAssertThrowsError(try c.recipients(uuid: "u", after: -1)) { XCTAssertEqual(($0 as? SMSError)?.field, "after") }
    }
}

import SMSClient
import XCTest

@testable import SMSFixtures

final class ReplayOrderTests: XCTestCase {
    private let poll = get("/api/v2/sms/u-1")

    private func state(_ s: String) -> TransportResponse { json(200, ["uuid": "u-1", "status": .string(s)]) }

    func testRepeatedIdenticalRequestsGetTheRecordedResponsesInOrder() throws {
        let t = replay([(poll, state("pending")), (poll, state("sending")), (poll, state("sent"))])
        XCTAssertEqual(bodyJSON(try t.roundTrip(poll))?["status"], "pending")
        XCTAssertEqual(bodyJSON(try t.roundTrip(poll))?["status"], "sending")
        XCTAssertEqual(bodyJSON(try t.roundTrip(poll))?["status"], "sent")
    }

    func testOnceUsedUpTheLastMatchingResponseRepeats() throws {
        let t = replay([(poll, state("pending")), (poll, state("sent"))])
        _ = try t.roundTrip(poll)
        _ = try t.roundTrip(poll)
        for _ in 0..<5 { XCTAssertEqual(bodyJSON(try t.roundTrip(poll))?["status"], "sent") }
    }

    func testOtherRequestsInBetweenDoNotDisturbTheOrder() throws {
        let credit = get("/api/v2/credit")
        let t = replay([
            (poll, state("pending")), (credit, json(200, ["balance": 10])), (poll, state("sent")),
            (credit, json(200, ["balance": 8])),
        ])
        XCTAssertEqual(bodyJSON(try t.roundTrip(credit))?["balance"], 10)
        XCTAssertEqual(bodyJSON(try t.roundTrip(poll))?["status"], "pending")
        XCTAssertEqual(bodyJSON(try t.roundTrip(poll))?["status"], "sent")
        XCTAssertEqual(bodyJSON(try t.roundTrip(credit))?["balance"], 8)
    }

    func testResponsesKeepStatusAndHeaders() throws {
        let limited = TransportResponse(status: 429, headers: ["retry-after": "2"], json: ["error": "Rate limit exceeded"])
        let t = replay([(poll, limited), (poll, state("sent"))])
        let first = try t.roundTrip(poll)
        XCTAssertEqual(first.status, 429)
        XCTAssertEqual(first.headers["retry-after"], "2")
        XCTAssertEqual(first.headers["content-type"], "application/json")
        XCTAssertEqual(try t.roundTrip(poll).status, 200)
    }
}

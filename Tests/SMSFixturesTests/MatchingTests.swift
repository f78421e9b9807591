import SMSClient
import XCTest

@testable import SMSFixtures

final class MatchingTests: XCTestCase {
    private let ok = json(200, ["ok": true])

    func testQueryParameterOrderDoesNotMatter() throws {
        let t = replay([(get("/api/v2/sms", [QueryItem("status", "failed"), QueryItem("page", "2")]), ok)])
        XCTAssertEqual(try t.roundTrip(get("/api/v2/sms", [QueryItem("page", "2"), QueryItem("status", "failed")])).status, 200)
    }

    func testDifferentQueryValueDoesNotMatch() {
        let t = replay([(get("/api/v2/sms", [QueryItem("status", "failed")]), ok)])
        let error = expectSMSError { _ = try t.roundTrip(get("/api/v2/sms", [QueryItem("status", "sent")])) }
        XCTAssertEqual(error?.code, "UNMATCHED_REQUEST")
    }

    func testMissingQueryParameterDoesNotMatch() {
        let t = replay([(get("/api/v2/sms", [QueryItem("status", "failed"), QueryItem("page", "2")]), ok)])
        XCTAssertNotNil(expectSMSError { _ = try t.roundTrip(get("/api/v2/sms", [QueryItem("status", "failed")])) })
    }

    func testBodyKeyOrderDoesNotMatter() throws {
        let recorded = try JSONValue.parse(#"{"sender":"MYSHOP","content":"Hi","variables":{"a":"1","b":"2"}}"#)
        let live = try JSONValue.parse(#"{"variables":{"b":"2","a":"1"},"content":"Hi","sender":"MYSHOP"}"#)
        let t = replay([(send(recorded), ok)])
        XCTAssertEqual(try t.roundTrip(send(live)).status, 200)
    }

    func testIntegerAndFloatWithTheSameValueAreDifferent() {
        let t = replay([(send(["templateId": 3]), ok)])
        let error = expectSMSError { _ = try t.roundTrip(send(["templateId": 3.0])) }
        XCTAssertEqual(error?.code, "UNMATCHED_REQUEST")
        XCTAssertTrue(error?.message.contains("body.templateId: recorded 3 ≠ live 3.0") ?? false, error?.message ?? "")
    }

    func testArrayOrderInABodyMatters() {
        let t = replay([(send(["msisdns": ["66812345678", "66812345679"]]), ok)])
        XCTAssertNotNil(expectSMSError { _ = try t.roundTrip(send(["msisdns": ["66812345679", "66812345678"]])) })
    }

    func testScheduledTimeIsIgnoredByDefault() throws {
        let t = replay([(send(["content": "Hi", "scheduledTime": "2026-11-29T18:00:00+07:00"]), ok)])
        XCTAssertEqual(try t.roundTrip(send(["content": "Hi", "scheduledTime": "2026-12-01T09:00:00+07:00"])).status, 200)
        // Ignored means left out of the comparison altogether, present or not.
        XCTAssertEqual(try t.roundTrip(send(["content": "Hi"])).status, 200)
    }

    func testConfiguredIgnoredFieldsReplaceTheDefaultAndReachIntoObjects() throws {
        let rules = RecordingRules(ignoredBodyFields: ["variables.date"])
        let t = replay([(send(["templateId": 7, "variables": ["date": "1 Dec", "name": "Toon"], "scheduledTime": "x"]), ok)], rules: rules)
        XCTAssertEqual(try t.roundTrip(send(["templateId": 7, "variables": ["date": "2 Dec", "name": "Toon"], "scheduledTime": "x"])).status, 200)
        XCTAssertNotNil(expectSMSError { _ = try t.roundTrip(send(["templateId": 7, "variables": ["date": "2 Dec", "name": "Nok"], "scheduledTime": "x"])) })
        // scheduledTime is compared now that the list no longer names it.
        XCTAssertNotNil(expectSMSError { _ = try t.roundTrip(send(["templateId": 7, "variables": ["date": "2 Dec", "name": "Toon"], "scheduledTime": "y"])) })
    }

    func testMethodAndPathMustBeEqual() {
        let t = replay([(get("/api/v2/sms/abc"), ok)])
        XCTAssertNotNil(expectSMSError { _ = try t.roundTrip(get("/api/v2/sms/abd")) })
        XCTAssertNotNil(expectSMSError { _ = try t.roundTrip(TransportRequest(method: "POST", path: "/api/v2/sms/abc")) })
    }

    func testRequestHeadersPlayNoPartInMatching() throws {
        let t = replay([(get("/api/v2/credit"), ok)])
        let other = TransportRequest(method: "GET", path: "/api/v2/credit", headers: ["x-api-key": "another key", "accept": "*/*"])
        XCTAssertEqual(try t.roundTrip(other).status, 200)
    }

    func testABodyAndNoBodyAreDifferent() {
        let t = replay([(TransportRequest(method: "POST", path: "/api/v2/sms/u/cancel"), ok)])
        XCTAssertNotNil(expectSMSError { _ = try t.roundTrip(TransportRequest(method: "POST", path: "/api/v2/sms/u/cancel", body: [:])) })
    }
}

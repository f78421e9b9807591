import SMSClient
import XCTest

@testable import SMSFixtures

final class UnmatchedRequestTests: XCTestCase {
    private func cassette() -> ReplayTransport {
        replay([
            (get("/api/v2/credit"), json(200, ["balance": 1])),
            (send(["sender": "MYSHOP", "content": "Hi", "msisdns": ["66812345678"]]), json(200, ["uuid": "u"])),
            (get("/api/v2/sms", [QueryItem("status", "failed")]), json(200, ["data": []])),
        ])
    }

    func testErrorIsAnUnretryableLocalError() {
        let error = expectSMSError { _ = try self.cassette().roundTrip(get("/api/v2/senders")) }
        XCTAssertEqual(error?.code, "UNMATCHED_REQUEST")
        XCTAssertNil(error?.status)
        XCTAssertEqual(error?.retryable, false)
    }

    func testMessageShowsTheRequestTheNearestRecordedOneAndTheDifferingField() throws {
        let error = expectSMSError {
            _ = try self.cassette().roundTrip(send(["sender": "MYSHOP", "content": "Hello", "msisdns": ["66812345678"]]))
        }
        let message = try XCTUnwrap(error?.message)
        XCTAssertTrue(message.contains(#"POST /api/v2/sms/send body {"content":"Hello","msisdns":["66812345678"],"sender":"MYSHOP"}"#), message)
        XCTAssertTrue(message.contains("nearest recorded: interactions[1] POST /api/v2/sms/send"), message)
        XCTAssertTrue(message.contains(#"body.content: recorded "Hi" ≠ live "Hello""#), message)
        // Fields that agree are not listed.
        XCTAssertFalse(message.contains("body.sender"), message)
    }

    func testNearestPrefersTheSameMethodAndPathOverMoreEqualFields() throws {
        let t = replay([
            (get("/api/v2/sms", [QueryItem("status", "failed"), QueryItem("page", "1"), QueryItem("limit", "20")]), json(200, ["data": []])),
            (get("/api/v2/sms/u-1/recipients", [QueryItem("status", "sent")]), json(200, ["data": []])),
        ])
        let error = expectSMSError {
            _ = try t.roundTrip(get("/api/v2/sms/u-1/recipients", [QueryItem("status", "failed"), QueryItem("page", "1"), QueryItem("limit", "20")]))
        }
        let message = try XCTUnwrap(error?.message)
        XCTAssertTrue(message.contains("nearest recorded: interactions[1] GET /api/v2/sms/u-1/recipients?status=sent"), message)
        XCTAssertTrue(message.contains(#"query.status: recorded "sent" ≠ live "failed""#), message)
        XCTAssertTrue(message.contains(#"query.limit: recorded absent ≠ live "20""#), message)
    }

    func testNearestIsAboutTheSameMessageUUIDWheneverTheCassetteHasOne() throws {
        // The other message's recipients page has the same route shape and the same query;
        // the same message's status has neither, but it is about the message asked for.
        let t = replay([
            (get("/api/v2/sms/u-2/recipients", [QueryItem("cursor", "c9"), QueryItem("limit", "100")]), json(200, ["data": []])),
            (get("/api/v2/sms/u-1"), json(200, ["uuid": "u-1"])),
            (get("/api/v2/sms/u-3/recipients", [QueryItem("cursor", "c9"), QueryItem("limit", "100")]), json(200, ["data": []])),
        ])
        let error = expectSMSError {
            _ = try t.roundTrip(get("/api/v2/sms/u-1/recipients", [QueryItem("cursor", "c9"), QueryItem("limit", "100")]))
        }
        let message = try XCTUnwrap(error?.message)
        XCTAssertTrue(message.contains("nearest recorded: interactions[1] GET /api/v2/sms/u-1\n"), message)
        XCTAssertFalse(message.contains("u-2") || message.contains("u-3"), message)
    }

    func testMessageUUIDIsFoundOnlyInAMessagesRoutes() {
        XCTAssertEqual(Routes.messageUUID(inPath: "/api/v2/sms/u-1"), "u-1")
        XCTAssertEqual(Routes.messageUUID(inPath: "/api/v2/sms/u-1/recipients"), "u-1")
        XCTAssertEqual(Routes.messageUUID(inPath: "/api/v2/sms/u-1/cancel"), "u-1")
        XCTAssertNil(Routes.messageUUID(inPath: "/api/v2/sms/send"))
        XCTAssertNil(Routes.messageUUID(inPath: "/api/v2/sms"))
        XCTAssertNil(Routes.messageUUID(inPath: "/api/v2/credit"))
        XCTAssertNil(Routes.messageUUID(inPath: "/api/v2/sms/a/b/recipients"))
    }

    func testNearestIsTheSendWithTheSameTextNotTheSameNumberCount() throws {
        let t = replay([
            (send(["sender": "MYSHOP", "content": "Hi", "msisdns": ["66811111111", "66822222222", "66833333333"]]), json(200, ["uuid": "a"])),
            (send(["sender": "MYSHOP", "content": "Hello", "msisdns": ["66811111111", "66822222222"]]), json(200, ["uuid": "b"])),
        ])
        let error = expectSMSError {
            _ = try t.roundTrip(send(["sender": "MYSHOP", "content": "Hello", "msisdns": ["66811111111", "66822222222", "66844444444"]]))
        }
        let message = try XCTUnwrap(error?.message)
        XCTAssertTrue(message.contains(#"nearest recorded: interactions[1] POST /api/v2/sms/send body {"content":"Hello""#), message)
        XCTAssertTrue(message.contains("body.msisdns: recorded"), "the differences listed are the chosen one's: \(message)")
        XCTAssertFalse(message.contains("body.content"), message)
    }

    func testNearestPrefersTheSameNumbersWhenTheTextDiffersFromEveryRecording() throws {
        let numbers: [JSONValue] = (0..<30).map { .string("668\(10_000_000 + $0)") }
        let t = replay([
            (send(["sender": "MYSHOP", "content": "A", "msisdns": .array(Array(numbers.prefix(29)) + ["66899999999"])]), json(200, ["uuid": "a"])),
            (send(["sender": "MYSHOP", "content": "B", "msisdns": .array(numbers)]), json(200, ["uuid": "b"])),
        ])
        let error = expectSMSError { _ = try t.roundTrip(send(["sender": "MYSHOP", "content": "C", "msisdns": .array(numbers)])) }
        let message = try XCTUnwrap(error?.message)
        XCTAssertTrue(message.contains("nearest recorded: interactions[1]"), message)
        XCTAssertTrue(message.contains(#"body.content: recorded "B" ≠ live "C""#), message)
    }

    func testMessageShowsQueryOfTheLiveRequest() throws {
        let error = expectSMSError { _ = try self.cassette().roundTrip(get("/api/v2/sms", [QueryItem("status", "sent"), QueryItem("page", "2")])) }
        let message = try XCTUnwrap(error?.message)
        XCTAssertTrue(message.contains("matches GET /api/v2/sms?page=2&status=sent"), message)
        XCTAssertTrue(message.contains("nearest recorded: interactions[2]"), message)
    }

    func testInvisibleAndControlCharactersInValuesAreShownEscaped() throws {
        let error = expectSMSError {
            _ = try self.cassette().roundTrip(get("/api/v2/sms", [QueryItem("status", "failed\u{0}\u{200B}")]))
        }
        let message = try XCTUnwrap(error?.message)
        XCTAssertTrue(message.contains(#"matches GET /api/v2/sms?status=failed\0U+200B"#), message)
        XCTAssertTrue(message.contains(#"query.status: recorded "failed" ≠ live "failed\u0000U+200B""#), message)
        XCTAssertFalse(message.unicodeScalars.contains { $0.value == 0 || $0.value == 0x200B }, message)
    }

    func testEmptyCassetteSaysSo() throws {
        let t = ReplayTransport(cassette: Cassette(recordedAt: 0), name: "fixtures/empty.json")
        let message = try XCTUnwrap(expectSMSError { _ = try t.roundTrip(get("/api/v2/credit")) }?.message)
        XCTAssertTrue(message.contains("fixtures/empty.json"), message)
        XCTAssertTrue(message.contains("has no interactions"), message)
    }

    func testMessageNamesTheCassetteFile() throws {
        let folder = TemporaryFolder()
        let path = folder.file("named.json")
        try FixtureSession(path: path, mode: .once, live: ClosureTransport { _, _ in json(200, [:]) }).save()
        let session = try FixtureSession(path: path, mode: .none, live: nil)
        let message = try XCTUnwrap(expectSMSError { _ = try session.transport.roundTrip(get("/api/v2/credit")) }?.message)
        XCTAssertTrue(message.contains(path), message)
    }
}

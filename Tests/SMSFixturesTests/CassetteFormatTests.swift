import SMSClient
import XCTest

@testable import SMSFixtures

final class CassetteFormatTests: XCTestCase {
    func testRecordedCassetteHasTheDocumentedShape() throws {
        let folder = TemporaryFolder()
        let path = folder.file("send.json")
        let live = ClosureTransport { _, _ in
            json(200, ["uuid": "u-1", "status": "pending", "credits": 2.5], headers: ["x-request-id": "abc", "content-type": "application/json"])
        }
        let session = try FixtureSession(path: path, mode: .once, live: live, now: 1_795_953_001.7)
        var request = send(["sender": "MYSHOP", "content": "Hi", "msisdns": ["66812345678"]])
        request.query = [QueryItem("b", "2"), QueryItem("a", "1")]
        _ = try session.transport.roundTrip(request)
        try session.save()

        let doc = try JSONValue.parse(text(of: path))
        XCTAssertEqual(doc["version"], 1)
        XCTAssertEqual(doc["recordedAt"], "2026-11-29T11:50:01Z")
        let interaction = try XCTUnwrap(doc["interactions"]?.arrayValue?.first)
        XCTAssertEqual(
            interaction["request"],
            [
                "method": "POST", "path": "/api/v2/sms/send", "query": ["a": "1", "b": "2"],
                "body": ["sender": "MYSHOP", "content": "Hi", "msisdns": ["66812345678"]],
            ])
        XCTAssertEqual(
            interaction["response"],
            [
                "status": 200, "headers": ["content-type": "application/json"],
                "body": ["uuid": "u-1", "status": "pending", "credits": 2.5],
            ])
    }

    func testFileIsPrettyWithSortedKeysForPeopleToReadAndDiff() throws {
        let folder = TemporaryFolder()
        let path = folder.file("c.json")
        let cassette = Cassette(
            recordedAt: 0,
            interactions: [
                Interaction(
                    request: RecordedRequest(method: "GET", path: "/api/v2/credit"),
                    response: RecordedResponse(status: 200, body: .json(["z": 1, "a": 2])))
            ])
        try CassetteFile.save(cassette, to: path, redactor: Redactor(secrets: []))
        let expected = cassette.jsonValue.serializedString(sortedKeys: true, pretty: true) + "\n"
        XCTAssertEqual(text(of: path), expected)
        XCTAssertTrue(text(of: path).contains("\"a\": 2,\n"))
        XCTAssertEqual(try CassetteFile.load(path), cassette)
    }

    func testNonJSONResponseIsStoredAsBodyTextAndReplayedByteForByte() throws {
        let html = "<html>502 Bad Gateway</html>"
        let rules = RecordingRules()
        let stored = rules.storedResponse(TransportResponse(status: 502, headers: ["content-type": "text/html"], body: Array(html.utf8)))
        XCTAssertEqual(stored.body, .text(html))
        XCTAssertEqual(stored.jsonValue["bodyText"], .string(html))
        XCTAssertNil(stored.jsonValue["body"])
        XCTAssertEqual(stored.transportResponse.body, Array(html.utf8))
        XCTAssertEqual(stored.transportResponse.status, 502)
    }

    func testOnlyContentTypeAndRetryAfterHeadersAreKept() {
        let stored = RecordingRules().storedResponse(
            TransportResponse(
                status: 429, headers: ["retry-after": "3", "content-type": "application/json", "set-cookie": "s=1", "server": "x"],
                body: Array(#"{"error":"slow down"}"#.utf8)))
        XCTAssertEqual(stored.headers, ["retry-after": "3", "content-type": "application/json"])
    }

    func testRequestHeadersAreNeverStored() throws {
        let request = TransportRequest(method: "GET", path: "/api/v2/credit", headers: ["x-api-key": "sk_live", "accept": "application/json"])
        let json = RecordingRules().storedRequest(request).jsonValue
        XCTAssertEqual(json, ["method": "GET", "path": "/api/v2/credit"])
    }

    func testRepeatedQueryParameterIsStoredAsAnArrayAndReadBack() throws {
        let stored = RecordingRules().storedRequest(get("/api/v2/sms", [QueryItem("status", "failed"), QueryItem("status", "sent")]))
        XCTAssertEqual(stored.jsonValue["query"], ["status": ["failed", "sent"]])
        XCTAssertEqual(try RecordedRequest(json: stored.jsonValue), stored)
    }

    func testRecordedAtIsWrittenAsUTCAndReadBackIncludingOffsets() {
        XCTAssertEqual(UTCTimestamp.format(0), "1970-01-01T00:00:00Z")
        XCTAssertEqual(UTCTimestamp.format(1_795_953_001), "2026-11-29T11:50:01Z")
        XCTAssertEqual(UTCTimestamp.format(951_782_400), "2000-02-29T00:00:00Z")
        XCTAssertEqual(UTCTimestamp.parse("2026-11-29T11:50:01Z"), 1_795_953_001)
        XCTAssertEqual(UTCTimestamp.parse("2026-11-29T18:50:01+07:00"), 1_795_953_001)
        XCTAssertEqual(UTCTimestamp.parse("2026-11-29T11:50:01.5Z"), 1_795_953_001.5)
        XCTAssertNil(UTCTimestamp.parse("2026-11-29 11:50"))
        XCTAssertNil(UTCTimestamp.parse("yesterday"))
    }

    func testRecordedAtIsTheRecordingStartRoundedToAWholeSecond() throws {
        let folder = TemporaryFolder()
        let live = ClosureTransport { _, _ in json(200, ["balance": 1]) }
        let session = try FixtureSession(path: folder.file("c.json"), mode: .all, live: live, now: 1_795_953_001.9)
        XCTAssertEqual(session.recordedAt, 1_795_953_001)
        try session.save()
        let replayed = try FixtureSession(path: folder.file("c.json"), mode: .none, live: nil)
        XCTAssertEqual(replayed.recordedAt, 1_795_953_001)
    }
}

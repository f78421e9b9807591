import SMSClient
import XCTest

@testable import SMSFixtures

final class RedactionTests: XCTestCase {
    private let key = "sk_live_9f8e7d6c5b4a"

    func testTheAPIKeyNeverReachesTheSavedFileWhereverTheServerEchoesIt() throws {
        let folder = TemporaryFolder()
        let path = folder.file("c.json")
        let key = self.key
        let live = ClosureTransport { request, n in
            switch n {
            case 0: return json(401, ["error": .string("Invalid API key \(key)"), "echo": .string(request.headers["x-api-key"] ?? ""), key: "as a key"])
            case 1: return TransportResponse(status: 502, headers: ["content-type": "text/plain; key=\(key)"], body: Array("proxy saw \(key)".utf8))
            default: return json(200, ["ok": true])
            }
        }
        let session = try FixtureSession(path: path, mode: .once, live: live, secrets: [key])
        var request = send(["content": .string("my key is \(key)"), "sender": "MYSHOP"])
        request.headers["x-api-key"] = key
        _ = try session.transport.roundTrip(request)
        _ = try session.transport.roundTrip(get("/api/v2/sms", [QueryItem("note", key)]))
        _ = try session.transport.roundTrip(get("/api/v2/sms/\(key)"))
        try session.save()

        let saved = text(of: path)
        XCTAssertFalse(saved.contains(key), saved)
        XCTAssertTrue(saved.contains("Invalid API key [REDACTED]"))
        XCTAssertTrue(saved.contains("proxy saw [REDACTED]"))
        XCTAssertTrue(saved.contains("/api/v2/sms/[REDACTED]"))
        XCTAssertEqual(session.interactions.count, 3)
    }

    func testSavingRedactsACassetteThatWasEditedToContainTheKey() throws {
        let folder = TemporaryFolder()
        let path = folder.file("c.json")
        write(
            """
            {"version": 1, "recordedAt": "2026-11-29T11:50:01Z", "interactions": [
              {"request": {"method": "GET", "path": "/api/v2/credit"},
               "response": {"status": 200, "body": {"note": "pasted \(key) here"}}}]}
            """, to: path)
        let live = ClosureTransport { _, _ in json(200, ["data": []]) }
        let session = try FixtureSession(path: path, mode: .new, live: live, secrets: [key])
        _ = try session.transport.roundTrip(get("/api/v2/senders"))
        try session.save()
        let saved = text(of: path)
        XCTAssertFalse(saved.contains(key))
        XCTAssertTrue(saved.contains("pasted [REDACTED] here"))
    }

    func testUnmatchedRequestMessageDoesNotShowTheKey() throws {
        let t = replay([(get("/api/v2/credit"), json(200, ["balance": 1]))], rules: RecordingRules(secrets: [key]))
        let error = expectSMSError { _ = try t.roundTrip(send(["content": .string("key \(self.key)")])) }
        XCTAssertEqual(error?.code, "UNMATCHED_REQUEST")
        XCTAssertFalse(error?.message.contains(key) ?? true, error?.message ?? "")
        XCTAssertFalse(error?.description.contains(key) ?? true)
    }

    func testALongerSecretContainingAShorterOneIsReplacedWhole() {
        let r = Redactor(secrets: ["abc", "abcdef", ""])
        XCTAssertEqual(r.redact("x abcdef y abc"), "x [REDACTED] y [REDACTED]")
        XCTAssertEqual(Redactor(secrets: [""]).redact("unchanged"), "unchanged")
    }
}

import SMSClient
import XCTest

/// How responses become `SMSError`s: the body's code and message when present, else derived
/// from the status; non-JSON bodies; 2xx that are not objects; transport failures.
final class SMSErrorTests: XCTestCase {
    private let clock = VirtualClock(start: 1_000_000)

    private func failure(
        _ steps: [ScriptedTransport.Step], file: StaticString = #filePath, line: UInt = #line
    ) -> SMSError? {
        let client = SMSClient(
            transport: ScriptedTransport(steps), apiKey: "sk_test_secret_key", clock: clock, retry: .never)
        do {
            _ = try client.credit()
            XCTFail("expected an error", file: file, line: line)
        } catch let error as SMSError {
            return error
        } catch {
            XCTFail("unexpected \(error)", file: file, line: line)
        }
        return nil
    }

    func testDescriptionFormats() {
        let remote = SMSError(status: 402, code: "INSUFFICIENT_CREDITS", message: "Insufficient credits", retryable: false)
        XCTAssertEqual(remote.description, "INSUFFICIENT_CREDITS (402): Insufficient credits")
        let local = SMSError(status: nil, code: "TIMEOUT", message: "timed out", retryable: true)
        XCTAssertEqual(local.description, "TIMEOUT: timed out")
    }

    func testBodyCodeAndMessageWin() {
        let e = failure([.json(402, ["error": "Insufficient credits", "code": "INSUFFICIENT_CREDITS"])])
        XCTAssertEqual(e, SMSError(status: 402, code: "INSUFFICIENT_CREDITS", message: "Insufficient credits", retryable: false))
    }

    func testCodeDerivedFromStatusWhenBodyHasNone() {
        let expected: [(Int, String, Bool)] = [
            (400, "INVALID_PARAMETER", false), (401, "UNAUTHORIZED", false), (402, "INSUFFICIENT_CREDITS", false),
            (403, "FORBIDDEN", false), (404, "NOT_FOUND", false), (409, "CONFLICT", false),
            (429, "RATE_LIMITED", true), (500, "SERVER_ERROR", true), (503, "SERVER_ERROR", true),
        ]
        for (status, code, retryable) in expected {
            let e = failure([.json(status, ["error": "some text"])])
            XCTAssertEqual(e?.status, status)
            XCTAssertEqual(e?.code, code, "status \(status)")
            XCTAssertEqual(e?.message, "some text")
            XCTAssertEqual(e?.retryable, retryable, "status \(status)")
        }
    }

    func testMissingErrorTextFallsBackToStatusText() {
        XCTAssertEqual(failure([.json(404, [:])])?.message, "Not Found")
        XCTAssertEqual(failure([.raw(401, "")])?.message, "Unauthorized")
    }

    func testNonJSONServerErrorGivesShortExcerpt() {
        let html = "<html>\n  <body>502 Bad Gateway from the proxy</body>\n</html>" + String(repeating: "x", count: 1000)
        let e = failure([.raw(502, html)])
        XCTAssertEqual(e?.code, "SERVER_ERROR")
        XCTAssertEqual(e?.retryable, true)
        XCTAssertTrue(e?.message.hasPrefix("Bad Gateway: <html> <body>502 Bad Gateway from the proxy</body>") ?? false)
        XCTAssertLessThan(e?.message.count ?? .max, 160)
    }

    func testSuccessThatIsNotAnObjectIsBadResponse() {
        let notJSON = failure([.raw(200, "OK")])
        XCTAssertEqual(notJSON?.code, "BAD_RESPONSE")
        XCTAssertEqual(notJSON?.status, 200)
        XCTAssertEqual(notJSON?.retryable, false)
        XCTAssertEqual(failure([.raw(200, "[1,2]")])?.message, "response is a JSON array, not an object: [1,2]")
    }

    func testTransportFailuresAreNetworkOrTimeout() {
        XCTAssertEqual(failure([.fail(.connectionRefused("refused"))])?.code, "NETWORK")
        XCTAssertEqual(failure([.fail(.connectionLost("reset"))])?.code, "NETWORK")
        let timeout = failure([.fail(.timeout("read"))])
        XCTAssertEqual(timeout?.code, "TIMEOUT")
        XCTAssertNil(timeout?.status)
        XCTAssertEqual(timeout?.retryable, true)
    }

    func testAPIKeyNeverAppearsInAMessage() {
        let e = failure([.json(401, ["error": "Invalid key sk_test_secret_key"])])
        XCTAssertEqual(e?.message, "Invalid key [redacted]")
        XCTAssertFalse(e?.description.contains("sk_test_secret_key") ?? true)
    }
}

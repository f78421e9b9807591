import SMSClient
import XCTest

@testable import SMSFixtures

final class NumberMaskingTests: XCTestCase {
    private let masker = NumberMasker()

    func testPseudonymIsInTheReservedRangeAndStable() throws {
        let p = try XCTUnwrap(masker.pseudonym(for: "66812345678"))
        XCTAssertTrue(p.hasPrefix("66990"))
        XCTAssertEqual(p.count, 11)
        XCTAssertTrue(p.allSatisfy(\.isNumber))
        XCTAssertEqual(masker.pseudonym(for: "66812345678"), p)
        XCTAssertEqual(NumberMasker().pseudonym(for: "66812345678"), p)
    }

    func testTheSameSubscriberWrittenDifferentlyGetsTheSamePseudonym() {
        let p = masker.pseudonym(for: "66812345678")
        XCTAssertEqual(masker.pseudonym(for: "0812345678"), p)
        XCTAssertEqual(masker.pseudonym(for: "081-234-5678"), p)
        XCTAssertEqual(masker.pseudonym(for: "+66 81 234 5678"), p)
        XCTAssertNotEqual(masker.pseudonym(for: "0812345679"), p)
    }

    func testMaskingIsIdempotent() throws {
        let p = try XCTUnwrap(masker.pseudonym(for: "0912345678"))
        XCTAssertNil(masker.pseudonym(for: p))
        XCTAssertEqual(masker.mask(p), p)
        XCTAssertEqual(masker.mask("0990123456"), "0990123456")
    }

    func testOnlyWholeStringsThatAreNumbersAreMasked() {
        XCTAssertEqual(masker.mask("call 0812345678 now"), "call 0812345678 now")
        XCTAssertEqual(masker.mask("2026-06-01T10:00:00+07:00"), "2026-06-01T10:00:00+07:00")
        XCTAssertEqual(masker.mask("0212345678"), "0212345678")  // a Bangkok landline is not a mobile number
        XCTAssertEqual(masker.mask(["n": 812345678, "k": "MYSHOP"]), ["n": 812345678, "k": "MYSHOP"])
    }

    func testRequestBodiesQueriesAndResponsesAreMaskedConsistently() throws {
        let rules = RecordingRules(maskNumbers: true)
        let p = try XCTUnwrap(masker.pseudonym(for: "66812345678"))
        let stored = rules.storedRequest(
            TransportRequest(
                method: "POST", path: "/api/v2/sms/send", query: [QueryItem("msisdn", "0812345678")],
                body: ["msisdns": ["0812345678", "66812345678"], "content": "Hi"]))
        XCTAssertEqual(stored.query, ["msisdn": [p]])
        XCTAssertEqual(stored.body, ["msisdns": [.string(p), .string(p)], "content": "Hi"])
        let response = rules.storedResponse(json(200, ["data": [["msisdn": "66812345678", "status": "failed"]]]))
        XCTAssertEqual(response.body, .json(["data": [["msisdn": .string(p), "status": "failed"]]]))
    }

    func testReplayMatchesTheLiveRequestWithRealNumbersAgainstTheMaskedCassette() throws {
        let folder = TemporaryFolder()
        let path = folder.file("c.json")
        let live = ClosureTransport { _, _ in json(200, ["data": [["msisdn": "66812345678", "status": "failed"]]]) }
        let recording = try FixtureSession(path: path, mode: .once, live: live, maskNumbers: true)
        _ = try recording.transport.roundTrip(send(["msisdns": ["0812345678"], "content": "Hi"]))
        _ = try recording.transport.roundTrip(get("/api/v2/sms/u/recipients"))
        let saved = text(of: path)
        XCTAssertFalse(saved.contains("812345678"), saved)

        let session = try FixtureSession(path: path, mode: .none, live: nil, maskNumbers: true)
        XCTAssertEqual(try session.transport.roundTrip(send(["msisdns": ["66812345678"], "content": "Hi"])).status, 200)
        // A script that retries the pseudonyms it was given sends them back: still a match.
        let page = try XCTUnwrap(bodyJSON(try session.transport.roundTrip(get("/api/v2/sms/u/recipients"))))
        let pseudonym = try XCTUnwrap(page["data"]?.arrayValue?.first?["msisdn"])
        let replayAgain = try FixtureSession(path: path, mode: .none, live: nil, maskNumbers: true)
        XCTAssertEqual(try replayAgain.transport.roundTrip(send(["msisdns": [pseudonym], "content": "Hi"])).status, 200)
        // Another real number is another pseudonym: unmatched.
        XCTAssertEqual(
            expectSMSError { _ = try replayAgain.transport.roundTrip(send(["msisdns": ["0812345679"], "content": "Hi"])) }?.code,
            "UNMATCHED_REQUEST")
    }
}

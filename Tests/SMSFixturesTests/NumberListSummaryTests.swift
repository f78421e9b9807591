import SMSClient
import XCTest

@testable import SMSFixtures

final class NumberListSummaryTests: XCTestCase {
    private func numbers(_ count: Int, from start: Int = 0) -> [JSONValue] {
        (start..<start + count).map { i in
            let digits = String(i)
            return .string("668" + String(repeating: "0", count: 8 - digits.count) + digits)
        }
    }

    func testTwentyNumbersAreStoredAsTheyAre() {
        let body: JSONValue = ["msisdns": .array(numbers(20))]
        XCTAssertEqual(NumberListSummary.summarize(body), body)
    }

    func testALongListIsStoredAsCountDigestAndFirstFive() {
        let list = numbers(21)
        let summary = NumberListSummary.summarize(["msisdns": .array(list), "content": "Hi"])
        let joined = list.compactMap(\.stringValue).joined(separator: "\n")
        XCTAssertEqual(
            summary,
            [
                "content": "Hi",
                "msisdns": ["$count": 21, "$sha256": .string(SHA256.hex(Array(joined.utf8))), "$first": .array(Array(list.prefix(5)))],
            ])
    }

    func testTwoMillionNumberSendRecordsASmallCassetteAndStillMatchesExactly() throws {
        let folder = TemporaryFolder()
        let path = folder.file("big.json")
        let list = numbers(2_000_000)
        let request = send(["sender": "MYSHOP", "content": "Hi", "msisdns": .array(list)])
        let live = ClosureTransport { _, _ in json(200, ["uuid": "u-big", "recipients": 2_000_000]) }
        let recording = try FixtureSession(path: path, mode: .once, live: live)
        _ = try recording.transport.roundTrip(request)
        try recording.save()
        XCTAssertLessThan(bytes(of: path).count, 2_000, text(of: path))
        XCTAssertTrue(text(of: path).contains("\"$count\": 2000000"))

        let replayed = try FixtureSession(path: path, mode: .none, live: nil)
        XCTAssertEqual(bodyJSON(try replayed.transport.roundTrip(request))?["uuid"], "u-big")

        var changed = list
        changed[1_234_567] = "66899999999"
        let error = expectSMSError {
            _ = try replayed.transport.roundTrip(send(["sender": "MYSHOP", "content": "Hi", "msisdns": .array(changed)]))
        }
        XCTAssertEqual(error?.code, "UNMATCHED_REQUEST")
        XCTAssertTrue(error?.message.contains("body.msisdns.$sha256") ?? false, error?.message ?? "")
        XCTAssertLessThan(error?.message.count ?? .max, 2_000)
    }

    func testDigestIsTakenAfterMaskingSoMaskedReplayMatches() throws {
        let list = numbers(30)
        let rules = RecordingRules(maskNumbers: true)
        let stored = rules.storedRequest(send(["msisdns": .array(list)]))
        let masker = NumberMasker()
        let masked = list.map { JSONValue.string(masker.mask($0.stringValue!)) }
        XCTAssertEqual(stored.body, NumberListSummary.summarize(["msisdns": .array(masked)]))
        XCTAssertFalse(stored.body!.serializedString().contains("66800000000"))

        let t = replay([(send(["msisdns": .array(list)]), json(200, ["uuid": "u"]))], rules: rules)
        // The same subscribers written in local form are the same pseudonyms, so the same digest.
        let local = list.map { JSONValue.string("0" + $0.stringValue!.dropFirst(2)) }
        XCTAssertEqual(try t.roundTrip(send(["msisdns": .array(local)])).status, 200)
    }

    func testAHandWrittenFullListMatchesTheSummaryOfTheLiveRequest() throws {
        let list = numbers(25)
        let cassette = Cassette(
            recordedAt: 0,
            interactions: [
                Interaction(
                    request: RecordedRequest(method: "POST", path: "/api/v2/sms/send", body: ["msisdns": .array(list)]),
                    response: RecordedResponse(status: 200, body: .json(["uuid": "u"])))
            ])
        let t = ReplayTransport(cassette: cassette)
        XCTAssertEqual(try t.roundTrip(send(["msisdns": .array(list)])).status, 200)
    }
}

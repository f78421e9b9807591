import SMSClient
import XCTest

@testable import SMSFixtures

/// The send-once answers a recording keeps (`Cassette.journal`): stored once per key, in their
/// stored form (secrets redacted, numbers masked when asked), and read back for replay.
final class CassetteJournalTests: XCTestCase {
    func testAnswersAreWrittenOncePerKeyAndReadBack() throws {
        let folder = TemporaryFolder()
        let path = folder.file("answers.json")
        let live = ClosureTransport { _, _ in json(200, ["uuid": "u-2"]) }
        let session = try FixtureSession(path: path, mode: .all, live: live, now: 1_795_953_001)
        session.journalAnswered(key: "nightly/1", result: ["uuid": "u-1", "credits": 2])
        session.journalAnswered(key: "nightly/1", result: ["uuid": "other"])
        _ = try session.transport.roundTrip(send(["sender": "MYSHOP", "content": "Hi", "msisdns": ["66812345678"]]))
        try session.save()

        let doc = try JSONValue.parse(text(of: path))
        XCTAssertEqual(doc["journal"], [["key": "nightly/1", "result": ["uuid": "u-1", "credits": 2]]])
        let loaded = try CassetteFile.load(path)
        XCTAssertEqual(loaded.journal, [JournalAnswer(key: "nightly/1", result: ["uuid": "u-1", "credits": 2])])
        XCTAssertEqual(try FixtureSession(path: path, mode: .none, live: nil).journalAnswers.map(\.key), ["nightly/1"])
    }

    func testAnswersAreRedactedAndMaskedLikeEverythingElse() throws {
        let folder = TemporaryFolder()
        let path = folder.file("masked.json")
        let session = try FixtureSession(path: path, mode: .all, live: ClosureTransport { _, _ in json(200, [:]) },
                                         secrets: ["sk_live_secret"], maskNumbers: true)
        session.journalAnswered(key: "k", result: ["note": "sk_live_secret", "msisdns": ["66812345678"]])
        try session.save()
        let stored = text(of: path)
        XCTAssertFalse(stored.contains("sk_live_secret"), stored)
        XCTAssertFalse(stored.contains("66812345678"), stored)
        XCTAssertTrue(stored.contains("\"key\": \"k\""), stored)
    }

    func testACassetteWithoutAnswersHasNoJournalFieldAndABadOneIsNamed() throws {
        let folder = TemporaryFolder()
        let path = folder.file("plain.json")
        try CassetteFile.save(Cassette(recordedAt: 0), to: path, redactor: Redactor(secrets: []))
        XCTAssertNil(try JSONValue.parse(text(of: path))["journal"])

        write(#"{"version": 1, "recordedAt": "2026-11-29T11:50:01Z", "interactions": [], "journal": [{"key": "k"}]}"#, to: path)
        let error = expectSMSError { _ = try CassetteFile.load(path) }
        XCTAssertTrue(error?.message.contains("journal[0].result") == true, error?.message ?? "")
    }
}

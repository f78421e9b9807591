import Foundation
import SMSClient
import XCTest

@testable import SMSFixtures

/// Recording appends to `<cassette>.log` and compacts at the end; a run that never reaches the
/// end (killed) still leaves a cassette that replays what it recorded.
final class RecordingLogTests: XCTestCase {
    private func credit(_ i: Int) -> TransportRequest { get("/api/v2/credit", [QueryItem("n", String(i))]) }
    private let live = ClosureTransport { r, _ in json(200, ["n": .string(r.query.first?.value ?? "")]) }

    func testInteractionsGoToTheLogAndTheDocumentIsWrittenOnceAtTheEnd() throws {
        let folder = TemporaryFolder()
        let path = folder.file("c.json")
        let session = try FixtureSession(path: path, mode: .once, live: live)
        for i in 0..<5 { _ = try session.transport.roundTrip(credit(i)) }
        // The document the log extends was written at the first interaction, still empty.
        let document = try JSONValue.parse(bytes(of: path))
        XCTAssertEqual(document["interactions"]?.arrayValue?.count, 0)
        XCTAssertEqual(text(of: path + ".log").split(separator: "\n").count, 6, "a header and one line per interaction")
        try session.save()
        XCTAssertEqual(folder.contents(), ["c.json"], "the log is gone once compacted")
        XCTAssertEqual(try JSONValue.parse(bytes(of: path))["interactions"]?.arrayValue?.count, 5)
    }

    func testAnUnfinishedRecordingReplaysEverythingRecordedSoFar() throws {
        let folder = TemporaryFolder()
        let path = folder.file("c.json")
        do {
            let session = try FixtureSession(path: path, mode: .once, live: live)
            for i in 0..<3 { _ = try session.transport.roundTrip(credit(i)) }
            // no save(): the process died here
        }
        let replay = try FixtureSession(path: path, mode: .none, live: nil)
        for i in 0..<3 { XCTAssertEqual(bodyJSON(try replay.transport.roundTrip(credit(i))), ["n": .string(String(i))]) }
        XCTAssertTrue(CassetteFile.exists(path + ".log"), "replay never writes: the log stays")
    }

    func testALastLineCutShortByAKillIsDropped() throws {
        let folder = TemporaryFolder()
        let path = folder.file("c.json")
        let session = try FixtureSession(path: path, mode: .once, live: live)
        for i in 0..<2 { _ = try session.transport.roundTrip(credit(i)) }
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path + ".log"))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"request":{"method":"GET","pa"#.utf8))
        try handle.close()
        XCTAssertEqual(try CassetteFile.load(path).interactions.count, 2)
    }

    func testALogAlreadyCompactedIsNotCountedTwice() throws {
        let folder = TemporaryFolder()
        let path = folder.file("c.json")
        let session = try FixtureSession(path: path, mode: .once, live: live)
        for i in 0..<2 { _ = try session.transport.roundTrip(credit(i)) }
        let log = bytes(of: path + ".log")
        try session.save()
        // Killed between writing the document and removing the log:
        FileManager.default.createFile(atPath: path + ".log", contents: Data(log))
        XCTAssertEqual(try CassetteFile.load(path).interactions.count, 2)
    }

    func testRecordingNewAfterACrashKeepsTheCrashedRunsInteractions() throws {
        let folder = TemporaryFolder()
        let path = folder.file("c.json")
        do {
            let session = try FixtureSession(path: path, mode: .once, live: live)
            for i in 0..<2 { _ = try session.transport.roundTrip(credit(i)) }
        }
        let more = try FixtureSession(path: path, mode: .new, live: live)
        _ = try more.transport.roundTrip(credit(0))  // replayed
        _ = try more.transport.roundTrip(credit(7))  // recorded
        try more.save()
        XCTAssertEqual(try CassetteFile.load(path).interactions.compactMap { $0.request.query["n"]?.first }, ["0", "1", "7"])
        XCTAssertEqual(folder.contents(), ["c.json"])
    }

    func testALogThatExtendsMoreThanTheFileHoldsIsInvalid() throws {
        let folder = TemporaryFolder()
        let path = folder.file("c.json")
        try CassetteFile.save(Cassette(recordedAt: 0), to: path, redactor: Redactor(secrets: []))
        write("{\"cassetteLog\":1,\"extends\":4}\n", to: path + ".log")
        let error = expectSMSError { _ = try CassetteFile.load(path) }
        XCTAssertEqual(error?.code, "CASSETTE_INVALID")
        XCTAssertTrue(error?.message.contains("c.json.log") ?? false, error?.message ?? "")
    }

    func testThreeThousandInteractionsWriteTheDocumentOnce() throws {
        // Linear recording, checked by what is written rather than by time: the log grows by one
        // line per interaction and the document is written at the start and at the end only.
        let folder = TemporaryFolder()
        let path = folder.file("c.json")
        let session = try FixtureSession(path: path, mode: .once, live: live)
        for i in 0..<3_000 { _ = try session.transport.roundTrip(credit(i)) }
        let inode = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int
        _ = try session.transport.roundTrip(credit(3_000))
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int, inode,
                       "appending did not rewrite the document")
        try session.save()
        XCTAssertEqual(try CassetteFile.load(path).interactions.count, 3_001)
    }
}

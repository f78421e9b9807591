import Foundation
import SMSClient
import XCTest

@testable import SMSFixtures

final class CassetteFileTests: XCTestCase {
    /// Loading `text` in every mode that reads the file fails with CASSETTE_INVALID, a message
    /// naming the file and `problem`, and leaves the bytes as they were.
    private func assertInvalid(_ text: String, problem: String, file: StaticString = #filePath, line: UInt = #line) {
        let folder = TemporaryFolder()
        let path = folder.file("broken.json")
        write(text, to: path)
        let before = bytes(of: path)
        let live = ClosureTransport { _, _ in json(200, [:]) }
        for mode in [RecordMode.none, .once, .new] {
            let error = expectSMSError({ _ = try FixtureSession(path: path, mode: mode, live: live) }, file: file, line: line)
            XCTAssertEqual(error?.code, "CASSETTE_INVALID", file: file, line: line)
            XCTAssertTrue(error?.message.contains(path) ?? false, error?.message ?? "", file: file, line: line)
            XCTAssertTrue(error?.message.contains(problem) ?? false, error?.message ?? "", file: file, line: line)
        }
        XCTAssertEqual(bytes(of: path), before, file: file, line: line)
        XCTAssertEqual(folder.contents(), ["broken.json"], file: file, line: line)
        XCTAssertTrue(live.calls.isEmpty, file: file, line: line)
    }

    func testNotJSONIsInvalid() {
        assertInvalid("{\"version\": 1, \"interactions\": [", problem: "not valid JSON")
    }

    func testANulByteIsShownEscapedNotRaw() {
        assertInvalid("{\"version\": \u{0}1, \"interactions\": []}", problem: #"unexpected character '\0'"#)
        let error = expectSMSError({ _ = try FixtureSession(path: "/nonexistent/a\u{0}\u{200B}.json", mode: .none, live: nil) })
        XCTAssertEqual(error?.message.contains(#"/nonexistent/a\0U+200B.json"#), true, error?.message ?? "")
        XCTAssertEqual(error?.message.contains("\u{0}"), false)
    }

    func testWrongVersionIsInvalid() {
        assertInvalid(#"{"version": 3, "recordedAt": "2026-11-29T11:50:01Z", "interactions": []}"#, problem: "format version 3 is not supported")
    }

    func testMissingVersionIsInvalid() {
        assertInvalid(#"{"recordedAt": "2026-11-29T11:50:01Z", "interactions": []}"#, problem: "'version' is missing")
    }

    func testWrongShapesNameTheField() {
        assertInvalid("[]", problem: "not an object")
        assertInvalid(#"{"version": 1, "recordedAt": "soon", "interactions": []}"#, problem: "'recordedAt'")
        assertInvalid(#"{"version": 1, "recordedAt": "2026-11-29T11:50:01Z"}"#, problem: "'interactions' is missing")
        assertInvalid(
            #"{"version": 1, "recordedAt": "2026-11-29T11:50:01Z", "interactions": [{"request": {"method": "GET", "path": "/a"}, "response": {"status": 200}}, {"request": {"path": "/b"}, "response": {"status": 200}}]}"#,
            problem: "interactions[1].request.method is missing")
        assertInvalid(
            #"{"version": 1, "recordedAt": "2026-11-29T11:50:01Z", "interactions": [{"request": {"method": "GET", "path": "/a"}, "response": {"status": "200"}}]}"#,
            problem: "interactions[0].response.status")
    }

    func testSaveReplacesTheFileByRenameSoAnOpenReaderKeepsTheOldVersion() throws {
        let folder = TemporaryFolder()
        let path = folder.file("c.json")
        try CassetteFile.save(Cassette(recordedAt: 0), to: path, redactor: Redactor(secrets: []))
        let old = bytes(of: path)
        let reader = try XCTUnwrap(FileHandle(forReadingAtPath: path))
        defer { try? reader.close() }

        let bigger = Cassette(
            recordedAt: 60,
            interactions: [Interaction(request: RecordedRequest(method: "GET", path: "/api/v2/credit"), response: RecordedResponse(status: 200, body: .json(["balance": 1])))])
        try CassetteFile.save(bigger, to: path, redactor: Redactor(secrets: []))

        // Written in place, the open file would show the new bytes; replaced, it still has the old.
        XCTAssertEqual(Array(reader.readDataToEndOfFile()), old)
        XCTAssertEqual(try CassetteFile.load(path), bigger)
        XCTAssertEqual(folder.contents(), ["c.json"], "no temporary file is left behind")
    }

    func testAFailedSaveLeavesNoTemporaryFileAndReportsTheCassette() throws {
        let folder = TemporaryFolder()
        let path = folder.file("taken")
        // A non-empty directory where the cassette should go: the final rename must fail.
        try FileManager.default.createDirectory(atPath: path + "/inside", withIntermediateDirectories: true)
        let error = expectSMSError { try CassetteFile.save(Cassette(recordedAt: 0), to: path, redactor: Redactor(secrets: [])) }
        XCTAssertEqual(error?.code, "CASSETTE_IO")
        XCTAssertTrue(error?.message.contains(path) ?? false)
        XCTAssertEqual(folder.contents(), ["taken"])
    }

    func testSavingIntoAMissingFolderFailsClearly() {
        let folder = TemporaryFolder()
        let error = expectSMSError { try CassetteFile.save(Cassette(recordedAt: 0), to: folder.file("no/such/c.json"), redactor: Redactor(secrets: [])) }
        XCTAssertEqual(error?.code, "CASSETTE_IO")
    }

    func testConcurrentRecordingKeepsEveryInteractionAndAValidFile() throws {
        let folder = TemporaryFolder()
        let path = folder.file("c.json")
        let session = try FixtureSession(path: path, mode: .once, live: ClosureTransport { r, _ in json(200, ["q": .string(r.query.first?.value ?? "")]) })
        let transport = session.transport
        DispatchQueue.concurrentPerform(iterations: 40) { i in
            _ = try? transport.roundTrip(get("/api/v2/sms", [QueryItem("page", String(i))]))
        }
        try session.save()
        let saved = try CassetteFile.load(path)
        XCTAssertEqual(Set(saved.interactions.compactMap { $0.request.query["page"]?.first }), Set((0..<40).map(String.init)))
        XCTAssertEqual(folder.contents(), ["c.json"])
    }
}

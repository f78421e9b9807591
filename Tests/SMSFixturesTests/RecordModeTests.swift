import SMSClient
import XCTest

@testable import SMSFixtures

final class RecordModeTests: XCTestCase {
    private let credit = get("/api/v2/credit")
    private let senders = get("/api/v2/senders")

    /// A server that answers with the path and the call number, so recordings are told apart.
    private func server() -> ClosureTransport {
        ClosureTransport { request, n in json(200, ["path": .string(request.path), "call": .int(Int64(n))]) }
    }

    private func record(_ path: String, _ requests: [TransportRequest]) throws {
        let session = try FixtureSession(path: path, mode: .all, live: server())
        for r in requests { _ = try session.transport.roundTrip(r) }
        try session.save()
    }

    // MARK: none

    func testNoneFailsWhenTheCassetteIsMissing() {
        let folder = TemporaryFolder()
        let error = expectSMSError { _ = try FixtureSession(path: folder.file("gone.json"), mode: .none, live: server()) }
        XCTAssertEqual(error?.code, "CASSETTE_MISSING")
        XCTAssertTrue(error?.message.contains("gone.json") ?? false)
        XCTAssertEqual(folder.contents(), [])
    }

    func testNoneReplaysWithoutTouchingTheServerOrTheFile() throws {
        let folder = TemporaryFolder()
        let path = folder.file("c.json")
        try record(path, [credit])
        let before = bytes(of: path)
        let live = server()
        let session = try FixtureSession(path: path, mode: .none, live: live)
        XCTAssertEqual(bodyJSON(try session.transport.roundTrip(credit))?["call"], 0)
        XCTAssertEqual(expectSMSError { _ = try session.transport.roundTrip(self.senders) }?.code, "UNMATCHED_REQUEST")
        try session.save()
        XCTAssertTrue(live.calls.isEmpty)
        XCTAssertEqual(bytes(of: path), before)
        XCTAssertFalse(session.isRecording)
    }

    // MARK: once

    func testOnceRecordsEverythingWhenTheCassetteIsMissing() throws {
        let folder = TemporaryFolder()
        let path = folder.file("c.json")
        let live = server()
        let session = try FixtureSession(path: path, mode: .once, live: live)
        XCTAssertTrue(session.isRecording)
        _ = try session.transport.roundTrip(credit)
        _ = try session.transport.roundTrip(credit)
        XCTAssertEqual(live.calls.count, 2)
        // Written after each interaction already: a crash now still leaves the recording.
        XCTAssertEqual(try CassetteFile.load(path).interactions.count, 2)
        try session.save()
        XCTAssertEqual(try CassetteFile.load(path).interactions.map { $0.response.body }, [.json(["path": "/api/v2/credit", "call": 0]), .json(["path": "/api/v2/credit", "call": 1])])
    }

    func testOnceWritesAnEmptyCassetteWhenTheRunMadeNoRequests() throws {
        let folder = TemporaryFolder()
        let path = folder.file("c.json")
        let session = try FixtureSession(path: path, mode: .once, live: server())
        try session.save()
        XCTAssertEqual(try CassetteFile.load(path).interactions, [])
    }

    func testOnceReplaysLikeNoneWhenTheCassetteExists() throws {
        let folder = TemporaryFolder()
        let path = folder.file("c.json")
        try record(path, [credit])
        let before = bytes(of: path)
        let live = server()
        let session = try FixtureSession(path: path, mode: .once, live: live)
        XCTAssertFalse(session.isRecording)
        XCTAssertEqual(bodyJSON(try session.transport.roundTrip(credit))?["call"], 0)
        XCTAssertEqual(expectSMSError { _ = try session.transport.roundTrip(self.senders) }?.code, "UNMATCHED_REQUEST")
        try session.save()
        XCTAssertTrue(live.calls.isEmpty)
        XCTAssertEqual(bytes(of: path), before)
    }

    // MARK: new

    func testNewReplaysMatchesAndRecordsAndAppendsTheRest() throws {
        let folder = TemporaryFolder()
        let path = folder.file("c.json")
        try record(path, [credit])
        let live = ClosureTransport { _, _ in json(200, ["data": []]) }
        let session = try FixtureSession(path: path, mode: .new, live: live)
        XCTAssertEqual(bodyJSON(try session.transport.roundTrip(credit))?["call"], 0)
        XCTAssertEqual(bodyJSON(try session.transport.roundTrip(senders))?["data"], [])
        XCTAssertEqual(live.calls.map(\.path), ["/api/v2/senders"])
        let saved = try CassetteFile.load(path)
        XCTAssertEqual(saved.interactions.map(\.request.path), ["/api/v2/credit", "/api/v2/senders"])
        XCTAssertEqual(session.interactions.count, 2)
    }

    func testNewRepeatsTheLastRecordedMatchButKeepsRecordingNewPolls() throws {
        let folder = TemporaryFolder()
        let path = folder.file("c.json")
        try record(path, [credit])
        let live = server()
        let session = try FixtureSession(path: path, mode: .new, live: live)
        // Recorded request used up: replay semantics, the last match repeats.
        _ = try session.transport.roundTrip(credit)
        _ = try session.transport.roundTrip(credit)
        XCTAssertTrue(live.calls.isEmpty)
        // A request new to the cassette reaches the server every time (polling sees progress).
        XCTAssertEqual(bodyJSON(try session.transport.roundTrip(senders))?["call"], 0)
        XCTAssertEqual(bodyJSON(try session.transport.roundTrip(senders))?["call"], 1)
        XCTAssertEqual(try CassetteFile.load(path).interactions.count, 3)
    }

    func testNewCreatesAMissingCassetteLikeOnce() throws {
        let folder = TemporaryFolder()
        let path = folder.file("c.json")
        let live = server()
        let session = try FixtureSession(path: path, mode: .new, live: live, now: 3_000)
        XCTAssertEqual(bodyJSON(try session.transport.roundTrip(credit))?["call"], 0)
        XCTAssertEqual(bodyJSON(try session.transport.roundTrip(credit))?["call"], 1)
        try session.save()
        let saved = try CassetteFile.load(path)
        XCTAssertEqual(saved.recordedAt, 3_000)
        XCTAssertEqual(saved.interactions.count, 2)
    }

    func testNewLeavesTheFileAloneWhenNothingWasAppended() throws {
        let folder = TemporaryFolder()
        let path = folder.file("c.json")
        try record(path, [credit])
        let before = bytes(of: path)
        let session = try FixtureSession(path: path, mode: .new, live: server())
        _ = try session.transport.roundTrip(credit)
        try session.save()
        XCTAssertEqual(bytes(of: path), before)
    }

    func testNewKeepsTheOriginalRecordingTime() throws {
        let folder = TemporaryFolder()
        let path = folder.file("c.json")
        let first = try FixtureSession(path: path, mode: .all, live: server(), now: 1_000)
        try first.save()
        let session = try FixtureSession(path: path, mode: .new, live: server(), now: 2_000)
        _ = try session.transport.roundTrip(senders)
        XCTAssertEqual(session.recordedAt, 1_000)
        XCTAssertEqual(try CassetteFile.load(path).recordedAt, 1_000)
    }

    // MARK: all

    func testAllIgnoresTheOldCassetteAndOverwritesIt() throws {
        let folder = TemporaryFolder()
        let path = folder.file("c.json")
        try record(path, [credit, senders])
        let live = ClosureTransport { _, _ in json(200, ["balance": 99]) }
        let session = try FixtureSession(path: path, mode: .all, live: live, now: 5_000)
        XCTAssertEqual(bodyJSON(try session.transport.roundTrip(credit))?["balance"], 99)
        try session.save()
        let saved = try CassetteFile.load(path)
        XCTAssertEqual(saved.recordedAt, 5_000)
        XCTAssertEqual(saved.interactions.map(\.response.body), [.json(["balance": 99])])
        XCTAssertEqual(live.calls.count, 1)
    }

    func testAllRecordsOverACorruptCassette() throws {
        let folder = TemporaryFolder()
        let path = folder.file("c.json")
        write("not json", to: path)
        let session = try FixtureSession(path: path, mode: .all, live: server())
        _ = try session.transport.roundTrip(credit)
        XCTAssertEqual(try CassetteFile.load(path).interactions.count, 1)
    }

    // MARK: common

    func testTransportFailuresWhileRecordingAreNotStored() throws {
        let folder = TemporaryFolder()
        let path = folder.file("c.json")
        let live = ClosureTransport { _, n in
            if n == 0 { throw TransportFailure.connectionLost("reset by peer") }
            return json(200, ["balance": 1])
        }
        let session = try FixtureSession(path: path, mode: .once, live: live)
        XCTAssertThrowsError(try session.transport.roundTrip(credit)) { XCTAssertEqual($0 as? TransportFailure, .connectionLost("reset by peer")) }
        _ = try session.transport.roundTrip(credit)
        try session.save()
        XCTAssertEqual(try CassetteFile.load(path).interactions.map(\.response.body), [.json(["balance": 1])])
    }

    func testRecordingModesNeedALiveTransport() {
        let folder = TemporaryFolder()
        for mode in [RecordMode.once, .new, .all] {
            XCTAssertEqual(expectSMSError { _ = try FixtureSession(path: folder.file("c.json"), mode: mode, live: nil) }?.code, "INVALID_ARGUMENT")
        }
    }

    func testRequestsMadeListsEveryRequestWithSecretHeadersRedacted() throws {
        let folder = TemporaryFolder()
        let path = folder.file("c.json")
        try record(path, [credit])
        let session = try FixtureSession(path: path, mode: .none, live: nil, secrets: ["sk_live_123"])
        var request = credit
        request.headers["x-api-key"] = "sk_live_123"
        _ = try session.transport.roundTrip(request)
        _ = try? session.transport.roundTrip(senders)
        XCTAssertEqual(session.requestsMade.map(\.path), ["/api/v2/credit", "/api/v2/senders"])
        XCTAssertEqual(session.requestsMade[0].headers["x-api-key"], "[REDACTED]")
    }

    func testModesAreNamedForTheCommandLine() {
        XCTAssertEqual(RecordMode.allCases.map(\.rawValue), ["none", "once", "new", "all"])
        XCTAssertEqual(RecordMode(rawValue: "once"), .once)
    }
}

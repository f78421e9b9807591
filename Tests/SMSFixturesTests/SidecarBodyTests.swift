import Foundation
import SMSClient
import XCTest

@testable import SMSFixtures

/// Bodies above `SidecarBodies.threshold` go gzip-compressed to `<name>.bodies/<sha256>.gz`.
final class SidecarBodyTests: XCTestCase {
    /// A page of `n` recipients as the simulator writes it.
    private func page(_ n: Int, key: String = "") -> TransportResponse {
        let rows = (0..<n).map { i -> JSONValue in
            ["msisdn": .string("66\(800_000_000 + i)"), "status": "success", "updatedAt": .string("2026-12-02T10:00:00Z\(key)")]
        }
        return json(200, ["data": .array(rows), "hasMore": false, "nextCursor": .int(Int64(n))], headers: ["content-type": "application/json"])
    }

    private func recipients() -> TransportRequest {
        get("/api/v2/sms/u1/recipients", [QueryItem("after", "0"), QueryItem("limit", "1000")])
    }

    func testABigBodyIsStoredInASidecarAndReplayedByteForByte() throws {
        let folder = TemporaryFolder()
        let path = folder.file("paging.json")
        let response = page(1_000)
        let session = try FixtureSession(path: path, mode: .once, live: ClosureTransport { r, _ in
            r.path == "/api/v2/credit" ? json(200, ["balance": 1]) : response
        })
        _ = try session.transport.roundTrip(recipients())
        _ = try session.transport.roundTrip(get("/api/v2/credit"))
        try session.save()

        let document = try JSONValue.parse(bytes(of: path))
        XCTAssertEqual(document["version"], 2)
        let interactions = try XCTUnwrap(document["interactions"]?.arrayValue)
        let ref = try XCTUnwrap(interactions[0]["response"]?["bodyFile"])
        let file = try XCTUnwrap(ref["file"]?.stringValue)
        XCTAssertTrue(file.hasPrefix("paging.bodies/") && file.hasSuffix(".gz"), file)
        XCTAssertEqual(ref["bytes"]?.intValue, Int64(response.body.count))
        XCTAssertNotNil(interactions[1]["response"]?["body"], "small bodies stay plain JSON")
        let stored = bytes(of: folder.file(file))
        XCTAssertLessThan(stored.count * 10, response.body.count, "compressed well below a tenth")

        let replay = try FixtureSession(path: path, mode: .none, live: nil)
        XCTAssertEqual(try replay.transport.roundTrip(recipients()).body, response.body)
    }

    func testACassetteWithoutSidecarsIsStillVersion1() throws {
        let folder = TemporaryFolder()
        let path = folder.file("small.json")
        let session = try FixtureSession(path: path, mode: .once, live: ClosureTransport { _, _ in json(200, ["balance": 1]) })
        _ = try session.transport.roundTrip(get("/api/v2/credit"))
        try session.save()
        XCTAssertEqual(try JSONValue.parse(bytes(of: path))["version"], 1)
        XCTAssertEqual(folder.contents(), ["small.json"])
    }

    func testTheKeyNeverReachesASidecar() throws {
        let folder = TemporaryFolder()
        let path = folder.file("c.json")
        let secret = "sk_live_sidecar_secret"
        let response = page(500, key: secret)
        let session = try FixtureSession(path: path, mode: .once, live: ClosureTransport { _, _ in response }, secrets: [secret])
        _ = try session.transport.roundTrip(recipients())
        try session.save()
        let replayed = try FixtureSession(path: path, mode: .none, live: nil).transport.roundTrip(recipients())
        let text = String(decoding: replayed.body, as: UTF8.self)
        XCTAssertFalse(text.contains(secret))
        XCTAssertTrue(text.contains(Redactor.placeholder))
    }

    func testMaskedNumbersAreMaskedInSidecarsToo() throws {
        let folder = TemporaryFolder()
        let path = folder.file("c.json")
        let response = page(500)
        let session = try FixtureSession(path: path, mode: .once, live: ClosureTransport { _, _ in response }, maskNumbers: true)
        _ = try session.transport.roundTrip(recipients())
        try session.save()
        let replayed = try FixtureSession(path: path, mode: .none, live: nil, maskNumbers: true).transport.roundTrip(recipients())
        let text = String(decoding: replayed.body, as: UTF8.self)
        XCTAssertFalse(text.contains("66800000001"))
        XCTAssertTrue(text.contains("\"66990"))
    }

    func testAChangedSidecarIsRefusedNamingTheFile() throws {
        let folder = TemporaryFolder()
        let path = folder.file("c.json")
        let response = page(1_000)
        let session = try FixtureSession(path: path, mode: .once, live: ClosureTransport { _, _ in response })
        _ = try session.transport.roundTrip(recipients())
        try session.save()
        let file = try XCTUnwrap(PrivateFiles.names(in: folder.file("c.bodies")).first)
        write("not gzip", to: folder.file("c.bodies/" + file))
        let replay = try FixtureSession(path: path, mode: .none, live: nil)
        let error = expectSMSError { _ = try replay.transport.roundTrip(self.recipients()) }
        XCTAssertEqual(error?.code, "CASSETTE_INVALID")
        XCTAssertTrue(error?.message.contains("c.bodies/" + file) ?? false, error?.message ?? "")
    }

    func testReRecordingRemovesSidecarsNoLongerReferenced() throws {
        let folder = TemporaryFolder()
        let path = folder.file("c.json")
        for n in [1_000, 900] {
            let response = page(n)
            let session = try FixtureSession(path: path, mode: .all, live: ClosureTransport { _, _ in response })
            _ = try session.transport.roundTrip(recipients())
            try session.save()
        }
        XCTAssertEqual(PrivateFiles.names(in: folder.file("c.bodies")).count, 1)
    }

    func testSidecarReferencesMustStayInsideTheCassettesFolder() {
        let doc = #"{"version": 2, "recordedAt": "2026-11-29T11:50:01Z", "interactions": [{"request": {"method": "GET", "path": "/a"}, "response": {"status": 200, "bodyFile": {"file": "../x.gz", "sha256": "00", "bytes": 3}}}]}"#
        let folder = TemporaryFolder()
        write(doc, to: folder.file("c.json"))
        let error = expectSMSError { _ = try CassetteFile.load(folder.file("c.json")) }
        XCTAssertEqual(error?.code, "CASSETTE_INVALID")
        XCTAssertTrue(error?.message.contains("bodyFile.file") ?? false, error?.message ?? "")
    }
}

import Foundation
import SMSClient
import XCTest

@testable import SMSFixtures

/// Cassettes, their logs and sidecars hold phone numbers: 0600 (folders 0700), whatever the umask.
final class PrivateCassetteTests: XCTestCase {
    private func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int) ?? -1
    }

    func testCassetteLogAndSidecarAreWrittenOwnerOnly() throws {
        let old = umask(0)
        defer { umask(old) }
        let folder = TemporaryFolder()
        let path = folder.file("c.json")
        let rows = (0..<1_000).map { i -> JSONValue in ["msisdn": .string("66\(800_000_000 + i)"), "status": "failed"] }
        let session = try FixtureSession(path: path, mode: .once, live: ClosureTransport { r, _ in
            r.path == "/big" ? json(200, ["data": .array(rows)]) : json(200, ["balance": 1])
        })
        _ = try session.transport.roundTrip(get("/api/v2/credit"))
        _ = try session.transport.roundTrip(get("/big"))
        XCTAssertEqual(mode(path), 0o600)
        XCTAssertEqual(mode(path + ".log"), 0o600)
        XCTAssertEqual(mode(folder.file("c.bodies")), 0o700)
        let sidecar = try XCTUnwrap(PrivateFiles.names(in: folder.file("c.bodies")).first)
        XCTAssertEqual(mode(folder.file("c.bodies/" + sidecar)), 0o600)
        try session.save()
        XCTAssertEqual(mode(path), 0o600)
    }

    func testResavingAnOldWorldReadableCassetteMakesItPrivate() throws {
        let folder = TemporaryFolder()
        let path = folder.file("c.json")
        write(#"{"version": 1, "recordedAt": "2026-11-29T11:50:01Z", "interactions": []}"#, to: path)
        chmod(path, 0o644)
        let session = try FixtureSession(path: path, mode: .new, live: ClosureTransport { _, _ in json(200, ["balance": 1]) })
        _ = try session.transport.roundTrip(get("/api/v2/credit"))
        try session.save()
        XCTAssertEqual(mode(path), 0o600)
    }
}

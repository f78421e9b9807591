import Foundation
import XCTest

/// `kill -9` of a recording smsh leaves a cassette that replays everything recorded before the kill.
final class CassetteCrashTests: XCTestCase {
    func testKilledRecordingReplaysWhatItRecorded() throws {
        let dir = "/tmp/smsh-kill-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cassette = dir + "/killed.json"
        let record = try SmshProcess.script("forever.lua", """
            local n = 0
            while true do
              n = n + 1
              sms.messages{ page = n }
              io.stdout:write(n, "\\n") io.stdout:flush()
            end
            """)
        let out = dir + "/out.txt"
        FileManager.default.createFile(atPath: out, contents: nil)
        let p = Process()
        p.executableURL = SmshProcess.binary
        p.arguments = ["run", "--sandbox", "--quiet", "--record", cassette, record]
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        p.standardError = FileHandle.nullDevice
        try p.run()
        var done = 0
        for _ in 0..<400 {
            done = (try? String(contentsOfFile: out, encoding: .utf8))?.split(separator: "\n").count ?? 0
            if done >= 40 { break }
            usleep(25_000)
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .uncaughtSignal)
        XCTAssertGreaterThanOrEqual(done, 40)

        let replay = try SmshProcess.script("replay.lua", """
            for n = 1, \(done) do assert(sms.messages{ page = n }) end
            print("replayed \(done)")
            """)
        let replayed = try SmshProcess.run(["run", "--replay", cassette, replay])
        XCTAssertEqual(replayed.status, 0, replayed.stderr)
        XCTAssertEqual(replayed.stdout, "replayed \(done)\n")
        let mode = try FileManager.default.attributesOfItem(atPath: cassette)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
    }

    func testOsExitDuringRecordingStillCompactsTheCassette() throws {
        let path = try SmshProcess.script("exits.lua", "sms.credit() sms.credit() os.exit(5)")
        let cassette = (path as NSString).deletingLastPathComponent + "/exits.json"
        let recorded = try SmshProcess.run(["run", "--sandbox", "--record", cassette, path])
        XCTAssertEqual(recorded.status, 5, recorded.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: cassette + ".log"), "compacted at exit")
        let document = try String(contentsOfFile: cassette, encoding: .utf8)
        XCTAssertEqual(document.components(separatedBy: "\"/api/v2/credit\"").count - 1, 2, document)
    }
}

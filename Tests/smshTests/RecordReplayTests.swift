import Foundation
import XCTest

/// Recording an example from `smsh serve` and replaying the cassette gives identical results,
/// and the cassette never holds the API key.
final class RecordReplayTests: XCTestCase {
    func testRecordingFromServeThenReplayingGivesIdenticalOutput() throws {
        let dir = "/tmp/smsh-rr-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let log = dir + "/serve.log"
        FileManager.default.createFile(atPath: log, contents: nil)
        let server = Process()
        server.executableURL = SmshProcess.binary
        server.arguments = ["serve", "--port", "0", "--api-key", "sk_test_recorded_key"]
        server.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { server.terminate(); server.waitUntilExit() }
        var base = ""
        for _ in 0..<200 {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let r = text.range(of: #"http://127\.0\.0\.1:\d+"#, options: .regularExpression) { base = String(text[r]); break }
            usleep(50_000)
        }
        XCTAssertFalse(base.isEmpty)
        let examples = ExampleScriptsTests.examples.path
        let cases: [[String]] = [
            ["\(examples)/credit_guard.lua", "20", "1"],
            ["\(examples)/scheduled_campaign.lua", "2"],
            ["\(examples)/csv_send.lua", "\(examples)/contacts.csv"],
        ]
        for (i, script) in cases.enumerated() {
            let cassette = "\(dir)/case\(i).json"
            let env = ["SMSH_API_KEY": "sk_test_recorded_key", "SMSH_BASE_URL": base]
            let recorded = try SmshProcess.run(["run", "--record", cassette] + script, env: env)
            XCTAssertEqual(recorded.status, 0, recorded.stderr)
            let replayed = try SmshProcess.run(["run", "--replay", cassette] + script, env: ["SMSH_API_KEY": ""])
            XCTAssertEqual(replayed.status, recorded.status, replayed.stderr)
            XCTAssertEqual(replayed.stdout, recorded.stdout, script[0])
            let text = try String(contentsOfFile: cassette, encoding: .utf8)
            XCTAssertFalse(text.contains("sk_test_recorded_key"), "no API key in \(cassette)")
        }
    }
}

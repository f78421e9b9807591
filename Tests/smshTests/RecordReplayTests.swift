import Foundation
import XCTest

/// Recording an example from `smsh serve` and replaying the cassette gives identical results,
/// and the cassette never holds the API key.
final class RecordReplayTests: XCTestCase {
    func testRecordingFromServeThenReplayingGivesIdenticalOutput() throws {
        let dir = "/tmp/smsh-rr-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        // csv_send waits for delivery reports: --time-scale brings them within seconds.
        let server = try ServeProcess(apiKey: "sk_test_recorded_key", extra: ["--time-scale", "60"], log: dir + "/serve.log")
        defer { server.stop() }
        let base = server.baseURL
        XCTAssertFalse(base.isEmpty)
        let examples = ExampleScriptsTests.examples.path
        let cases: [[String]] = [
            ["\(examples)/credit_guard.lua", "20", "1"],
            ["\(examples)/scheduled_campaign.lua", "2"],
            ["\(examples)/csv_send.lua", "\(examples)/contacts.csv"],
        ]
        for (i, script) in cases.enumerated() {
            let cassette = "\(dir)/case\(i).json"
            let env = ["SMSH_API_KEY": "sk_test_recorded_key", "SMSH_BASE_URL": base, "XDG_STATE_HOME": dir + "/state\(i)"]
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

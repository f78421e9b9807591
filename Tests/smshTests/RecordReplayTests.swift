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
    /// A recording where the journal answered a key (sent by an earlier run) keeps that answer,
    /// and the replay answers it the same way instead of asking for a request never recorded.
    func testARecordingWhereTheJournalAnsweredAKeyReplaysTheSame() throws {
        let dir = "/tmp/smsh-rrj-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let server = try ServeProcess(apiKey: "sk_test_journal_key", log: dir + "/serve.log")
        defer { server.stop() }
        let env = ["SMSH_API_KEY": "sk_test_journal_key", "SMSH_BASE_URL": server.baseURL, "XDG_STATE_HOME": dir + "/state"]
        func send(_ key: String) -> String {
            #"local r = sms.send{sender = "SMSHDEMO", content = "text \#(key)", msisdns = {"0812345678"}, once = "\#(key)"} print(r.uuid, r.replayed)"#
        }
        let first = try SmshProcess.run(["-e", send("nightly-1")], env: env)
        XCTAssertEqual(first.status, 0, first.stderr)

        let cassette = dir + "/nightly.json"
        let script = send("nightly-1") + "\n" + send("nightly-2")
        let recorded = try SmshProcess.run(["run", "--record", cassette, "-e", script], env: env)
        XCTAssertEqual(recorded.status, 0, recorded.stderr)
        let lines = recorded.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        XCTAssertEqual(lines.first, first.stdout.split(separator: "\n").first.map { $0.replacingOccurrences(of: "false", with: "true")[...] },
                       "the journal answered nightly-1 with the first run's uuid")
        let doc = try String(contentsOfFile: cassette, encoding: .utf8)
        XCTAssertTrue(doc.contains("\"key\": \"nightly-1\""), doc)
        XCTAssertEqual(doc.components(separatedBy: "/api/v2/sms/send").count - 1, 1, "one send was recorded: \(doc)")

        let replayed = try SmshProcess.run(["run", "--replay", cassette, "-e", script], env: ["SMSH_API_KEY": "", "XDG_STATE_HOME": dir + "/other"])
        XCTAssertEqual(replayed.status, 0, replayed.stderr)
        XCTAssertEqual(replayed.stdout, recorded.stdout)
    }
}

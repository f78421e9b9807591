import Foundation
import XCTest

/// `smsh journal list` (header, filters, JSON, real times) and once keys bound to their
/// request (`ONCE_KEY_REUSED`) for `smsh send`, campaigns and `sms.retry`, with the built
/// binary against `smsh serve` and `--sandbox`.
final class JournalListTests: XCTestCase {
    var state: String!
    var base = ""

    override func setUpWithError() throws {
        state = "/tmp/smsh-jlist-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let server = try ServeProcess(apiKey: "sk_test_jl", log: state + "/serve.log")
        addTeardownBlock { server.stop() }
        base = server.baseURL
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: state) }

    var env: [String: String] {
        ["SMSH_API_KEY": "sk_test_jl", "SMSH_BASE_URL": base, "XDG_STATE_HOME": state, "XDG_CONFIG_HOME": state + "/config",
         "TZ": "Asia/Bangkok"]
    }

    func smsh(_ args: [String]) throws -> SmshProcess.Result { try SmshProcess.run(args, env: env) }

    func json(_ text: String) -> Any? { try? JSONSerialization.jsonObject(with: Data(text.utf8)) }

    func send(_ text: String, to: [String], once: String, sandbox: Bool = false) -> [String] {
        (sandbox ? ["--sandbox"] : []) + ["send", "--sender", "SMSHDEMO", "--text", text, "--to"] + to + ["--once", once, "-o", "json"]
    }

    func testListHasAHeaderFiltersJSONAndRealTimes() throws {
        XCTAssertEqual(try smsh(send("a", to: ["0812345678"], once: "spring/1")).status, 0)
        XCTAssertEqual(try smsh(send("b", to: ["0812345678"], once: "spring/2")).status, 0)
        XCTAssertEqual(try smsh(send("c", to: ["0812345678"], once: "autumn/1")).status, 0)
        let sandbox = try smsh(send("d", to: ["0812345678"], once: "spring/1", sandbox: true))
        XCTAssertEqual(sandbox.status, 0, sandbox.stderr)

        let all = try smsh(["journal", "list"])
        let lines = all.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "KEY\tSTATE\tTIME\tUUID\tSCOPE")
        XCTAssertEqual(lines.count, 5, all.stdout)

        let prefixed = try smsh(["journal", "list", "--prefix", "spring/", "--scope", base]).stdout.split(separator: "\n")
        XCTAssertEqual(prefixed.dropFirst().map { String($0.split(separator: "\t")[0]) }, ["spring/1", "spring/2"])
        let none = try smsh(["journal", "list", "--prefix", "winter/"])
        XCTAssertEqual(none.stdout, "no key matches\n")

        let listed = try smsh(["journal", "list", "-o", "json", "--scope", "sandbox"])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        let rows = try XCTUnwrap(json(listed.stdout) as? [[String: Any]], listed.stdout)
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(rows[0]["key"] as? String, "spring/1")
        XCTAssertEqual(rows[0]["state"] as? String, "done")
        XCTAssertEqual(rows[0]["api"] as? String, "sandbox")
        XCTAssertEqual((rows[0]["uuid"] as? String)?.count, 36)
        // The sandbox's clock is virtual; the listing shows when it really happened, with the offset.
        let at = try XCTUnwrap(rows[0]["at"] as? String)
        XCTAssertTrue(at.hasSuffix("+07:00"), at)
        let formatter = ISO8601DateFormatter()
        let when = try XCTUnwrap(formatter.date(from: at), at)
        XCTAssertLessThan(abs(when.timeIntervalSinceNow), 120, "a real time: \(at)")
        let jsonl = try smsh(["journal", "list", "-o", "jsonl"])
        XCTAssertEqual(jsonl.stdout.split(separator: "\n").count, 4, jsonl.stdout)
        XCTAssertTrue(jsonl.stdout.split(separator: "\n").allSatisfy { json(String($0)) is [String: Any] })
    }

    /// issue 22: a key reused with another text and other numbers sends nothing, exit 2.
    func testAReusedOnceKeySendsNothingAndNamesWhatDiffers() throws {
        let first = try smsh(send("Daily report", to: ["0812345678"], once: "K"))
        XCTAssertEqual(first.status, 0, first.stderr)
        let reused = try smsh(send("COMPLETELY DIFFERENT", to: ["0898765432", "0812345678"], once: "K"))
        XCTAssertEqual(reused.status, 2, reused.stderr)
        XCTAssertEqual(reused.stdout, "")
        XCTAssertTrue(reused.stderr.hasPrefix("smsh: ONCE_KEY_REUSED"), reused.stderr)
        XCTAssertTrue(reused.stderr.contains("'K'"), reused.stderr)
        XCTAssertTrue(reused.stderr.contains("text differs; recipients differ (1 vs 2)"), reused.stderr)
        XCTAssertFalse(reused.stderr.contains("COMPLETELY"), "the digest, not the text")
        let messages = json(try smsh(["messages", "-o", "json"]).stdout) as? [String: Any]
        XCTAssertEqual((messages?["data"] as? [Any])?.count, 1, "nothing more was sent")
        // The same request (numbers in another form) is replayed.
        let same = try smsh(send("Daily report", to: ["66812345678"], once: "K"))
        XCTAssertEqual((json(same.stdout) as? [String: Any])?["replayed"] as? Bool, true, same.stderr)
    }

    /// Campaign keys (one per distinct text) follow the rule: a row added to a text already
    /// sent changes that send's recipients.
    func testACampaignWhoseSendChangedIsRefused() throws {
        let csv = state + "/rows.csv"
        try "phone,name\n0812345678,A\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let campaign = #"local c = sms.campaign{key = "promo", sender = "SMSHDEMO", rows = "\#(csv)", content = "Sale today"} print(c.sends, c.resumed)"#
        let first = try smsh(["-e", campaign])
        XCTAssertEqual(first.stdout, "1\t0\n", first.stderr)
        XCTAssertEqual(try smsh(["-e", campaign]).stdout, "0\t1\n", "resumed: the same send")
        try "phone,name\n0812345678,A\n0898765432,B\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let changed = try smsh(["-e", campaign])
        XCTAssertEqual(changed.status, 2, changed.stderr)
        XCTAssertTrue(changed.stderr.contains("ONCE_KEY_REUSED"), changed.stderr)
        XCTAssertTrue(changed.stderr.contains("recipients differ (1 vs 2)"), changed.stderr)
    }

    /// sms.retry keys follow the rule too, and its replays count in the run summary.
    func testRetryKeysAreBoundAndTheirReplaysCounted() throws {
        let sent = try smsh(["-e", #"print(sms.send{sender = "SMSHDEMO", content = "hi", msisdns = {"0812345678", "0898765432"}}.uuid)"#])
        XCTAssertEqual(sent.status, 0, sent.stderr)
        let uuid = sent.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let statuses = "{'pending', 'success', 'failed', 'expired', 'timeout'}"
        let retry = "local r = sms.retry('\(uuid)', {statuses = \(statuses), once = 'R'}) print(r.replayed)"
        XCTAssertEqual(try smsh(["-e", retry]).stdout, "false\n")
        let summary = state + "/summary.json"
        let replayed = try smsh(["run", "--summary", summary, "-e", retry])
        XCTAssertEqual(replayed.stdout, "true\n", replayed.stderr)
        let s = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: summary))) as? [String: Any])
        XCTAssertEqual(s["journalReplays"] as? Int, 1, "an sms.retry replay counts")
        let other = try smsh(["-e", "sms.retry('\(uuid)', {statuses = \(statuses), once = 'R', content = 'another text'})"])
        XCTAssertEqual(other.status, 2, other.stderr)
        XCTAssertTrue(other.stderr.contains("ONCE_KEY_REUSED"), other.stderr)
        XCTAssertTrue(other.stderr.contains("text differs"), other.stderr)
    }
}

import Foundation
import XCTest

/// The send-once journal end to end with the built binary: scopes (sandbox, two base URLs,
/// two accounts), failures that certainly sent nothing, a cassette that fails after a real
/// send, sms.retry's own key, and the run summary.
final class JournalScopeTests: XCTestCase {
    var state: String!

    override func setUpWithError() throws {
        state = NSTemporaryDirectory() + "smsh-scope-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: state) }

    func serve(apiKey: String = "sk_test_scope") throws -> String {
        let server = try ServeProcess(apiKey: apiKey, extra: [], log: state + "/serve-\(UUID().uuidString.prefix(6)).log")
        addTeardownBlock { server.stop() }
        return server.baseURL
    }

    func env(_ base: String?, key: String? = "sk_test_scope") -> [String: String] {
        var e = ["XDG_STATE_HOME": state!, "XDG_CONFIG_HOME": state + "/config"]
        if let base { e["SMSH_BASE_URL"] = base }
        if let key { e["SMSH_API_KEY"] = key }
        return e
    }

    let script = #"local r = sms.send{sender = "SMSHDEMO", content = "nightly", msisdns = {"0812345678"}, once = "nightly-1"} print(r.replayed, r.uuid)"#

    func testASandboxKeyNeverAnswersForAnotherAPIOrAccount() throws {
        let sandbox = try SmshProcess.run(["--sandbox", "-e", script], env: env(nil, key: nil))
        XCTAssertEqual(sandbox.status, 0, sandbox.stderr)
        XCTAssertTrue(sandbox.stdout.hasPrefix("false\t"), sandbox.stdout)
        let base = try serve()
        let real = try SmshProcess.run(["-e", script], env: env(base))
        XCTAssertEqual(real.status, 0, real.stderr)
        XCTAssertTrue(real.stdout.hasPrefix("false\t"), "the served API sends for real: \(real.stdout)")
        XCTAssertTrue(try SmshProcess.run(["-e", script], env: env(base)).stdout.hasPrefix("true\t"), "now replayed")

        // Another base URL (a second server) and another account are other scopes.
        let second = try serve()
        XCTAssertTrue(try SmshProcess.run(["-e", script], env: env(second)).stdout.hasPrefix("false\t"))
        let otherAccount = try serve(apiKey: "sk_test_other")
        XCTAssertTrue(try SmshProcess.run(["-e", script], env: env(otherAccount, key: "sk_test_other")).stdout.hasPrefix("false\t"))

        let list = try SmshProcess.run(["journal", "list"], env: env(nil))
        XCTAssertEqual(list.stdout.split(separator: "\n").filter { $0.contains("nightly-1\tdone") }.count, 4, list.stdout)
        XCTAssertTrue(list.stdout.contains("\tsandbox"), list.stdout)
        XCTAssertTrue(list.stdout.contains(base + " (account "), list.stdout)
        XCTAssertFalse(list.stdout.contains("sk_test_scope"), "never the key itself")
        let path = try SmshProcess.run(["journal", "path"], env: env(nil))
        XCTAssertEqual(path.stdout, state + "/smsh/state.sqlite3\n")
        let forget = try SmshProcess.run(["journal", "forget", "nightly-1"], env: env(nil))
        XCTAssertEqual(forget.status, 2, "in four scopes: which one? \(forget.stderr)")
        let one = try SmshProcess.run(["journal", "forget", "nightly-1", "--scope", "sandbox"], env: env(nil))
        XCTAssertEqual(one.status, 0, one.stderr)
    }

    /// Connection refused, DNS failure and no API key sent nothing: the next run sends.
    func testFailuresThatNeverLeftLeaveNoIntent() throws {
        let base = try serve()
        for broken in [env("http://127.0.0.1:1"), env("http://nonexistent-host.invalid"), env(base, key: nil)] {
            let failed = try SmshProcess.run(["-e", script], env: broken)
            XCTAssertNotEqual(failed.status, 0)
            XCTAssertFalse(failed.stderr.contains("JOURNAL_UNCERTAIN"), failed.stderr)
            let list = try SmshProcess.run(["journal", "list"], env: env(nil))
            XCTAssertFalse(list.stdout.contains("\tintent"), list.stdout)
            let again = try SmshProcess.run(["-e", script], env: broken)
            XCTAssertFalse(again.stderr.contains("JOURNAL_UNCERTAIN"), "a second night is not blocked: \(again.stderr)")
        }
        let ok = try SmshProcess.run(["-e", script], env: env(base))
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stdout.hasPrefix("false\t"))
    }

    /// An unusable cassette path is refused before the first request.
    func testAnUnusableCassettePathIsRefusedBeforeAnythingIsSent() throws {
        let base = try serve()
        let r = try SmshProcess.run(["run", "--record", "/nonexistent/x.json", "-e", script], env: env(base))
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("CASSETTE_IO"), r.stderr)
        XCTAssertTrue(r.stderr.contains("nothing was sent"), r.stderr)
        XCTAssertTrue(try SmshProcess.run(["-e", script], env: env(base)).stdout.hasPrefix("false\t"), "the key is free")
    }

    /// The cassette becomes unwritable after the run started: the send went out, the error says
    /// so with its uuid, and a script that retries on error gets the recorded result.
    func testAFailureAfterARealSendIsReportedAsSent() throws {
        let base = try serve()
        let cassette = state + "/c.json"
        let retrying = """
            os.execute("mkdir -p \(cassette) \(cassette).log \(cassette).jsonl")
            local ok, err = pcall(sms.send, {sender = "SMSHDEMO", content = "x", msisdns = {"0812345678"}, once = "k"})
            print(ok, err.code, err.message)
            local r = sms.send{sender = "SMSHDEMO", content = "x", msisdns = {"0812345678"}, once = "k"}
            print(r.replayed, r.uuid)
            """
        let r = try SmshProcess.run(["run", "--record", cassette, "-e", retrying], env: env(base))
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 2, r.stdout + r.stderr)
        guard lines.count == 2 else { return }
        XCTAssertTrue(lines[0].hasPrefix("false\tCASSETTE_IO\t"), String(lines[0]))
        XCTAssertTrue(lines[0].contains("went out"), String(lines[0]))
        let uuid = lines[1].split(separator: "\t").last.map(String.init) ?? "?"
        XCTAssertTrue(lines[1].hasPrefix("true\t"), String(lines[1]))
        XCTAssertTrue(lines[0].contains(uuid), "the error names the uuid \(uuid): \(lines[0])")
    }

    func testRetryIsSendOnceAcrossRunsUnlessForced() throws {
        let base = try serve()
        let send = #"local r = sms.send{sender = "SMSHDEMO", content = "hi", msisdns = {"0812345678","0898765432","0861234567","0851234567"}} print(r.uuid)"#
        let sent = try SmshProcess.run(["-e", send], env: env(base))
        XCTAssertEqual(sent.status, 0, sent.stderr)
        let uuid = sent.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        // Every status but invalid/blocked: whatever the DRs say by now, all four are retried.
        let statuses = "{'pending', 'success', 'failed', 'expired', 'timeout'}"
        let retry = "local r = sms.retry('\(uuid)', {statuses = \(statuses)}) print(r and r.replayed, r and r.uuid, r and r.recipients)"
        let first = try SmshProcess.run(["-e", retry], env: env(base))
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.hasPrefix("false\t"), first.stdout)
        let second = try SmshProcess.run(["-e", retry], env: env(base))
        XCTAssertTrue(second.stdout.hasPrefix("true\t"), second.stdout)
        XCTAssertEqual(first.stdout.split(separator: "\t")[1], second.stdout.split(separator: "\t")[1], "the recorded uuid")
        let forced = try SmshProcess.run(["-e", "local r = sms.retry('\(uuid)', {statuses = \(statuses), force = true}) print(r.replayed)"], env: env(base))
        XCTAssertEqual(forced.stdout, "false\n", forced.stderr)
    }

    /// A child process (os.execute) inherits no descriptor of the state store.
    func testTheStoreDescriptorsAreNotInheritedByChildren() throws {
        let code = #"sms.send{sender = "SMSHDEMO", content = "x", msisdns = {"0812345678"}, once = "fd"} os.execute("ls -l /proc/$$/fd")"#
        let r = try SmshProcess.run(["--sandbox", "-e", code], env: env(nil, key: nil))
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("0 ->") || r.stdout.contains("1 ->"), "the listing ran: \(r.stdout)")
        XCTAssertFalse(r.stdout.contains("state.sqlite3"), r.stdout)
    }

    func testRetryingATemplateSendUsesTheTemplate() throws {
        let code = """
            local r = sms.send{sender = "SMSHDEMO", templateId = 1, variables = {name = "Ann", code = "42"}, msisdns = {"0812345678"}}
            local again = sms.retry(r.uuid, {statuses = {"pending", "success", "failed", "expired", "timeout"}})
            local m = sms.message(again.uuid)
            print(m.templateId, m.variables.name, m.content)
            """
        let r = try SmshProcess.run(["--sandbox", "-e", code], env: env(nil, key: nil))
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "1\tAnn\tHello Ann, your code is 42\n")
    }

    func testTheRunSummaryIsWrittenOnSuccessErrorAndOsExit() throws {
        let base = try serve()
        let summary = state + "/summary.json"
        func read() throws -> [String: Any] {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: summary))) as? [String: Any])
        }
        let ok = try SmshProcess.run(["run", "--summary", summary, "-e", script], env: env(base))
        XCTAssertEqual(ok.status, 0, ok.stderr)
        var s = try read()
        XCTAssertEqual(s["exitCode"] as? Int, 0)
        XCTAssertEqual((s["sends"] as? [[String: Any]])?.count, 1)
        XCTAssertEqual(s["recipients"] as? Int, 1)
        XCTAssertEqual(s["apiCalls"] as? Int, 1)
        XCTAssertNotNil(s["start"] as? String)

        _ = try SmshProcess.run(["run", "--summary", summary, "-e", script + " os.exit(3)"], env: env(base))
        s = try read()
        XCTAssertEqual(s["exitCode"] as? Int, 3)
        XCTAssertEqual(s["journalReplays"] as? Int, 1)

        let failed = try SmshProcess.run(["run", "--summary", summary, "-e", "sms.send{sender='SMSHDEMO', content='x', msisdns={'12ab'}}"], env: env(base))
        XCTAssertEqual(failed.status, 1)
        s = try read()
        XCTAssertEqual(s["exitCode"] as? Int, 1)
        XCTAssertEqual((s["errors"] as? [String: Any])?["INVALID_MSISDN"] as? Int, 1)
        XCTAssertEqual((s["error"] as? [String: Any])?["code"] as? String, "INVALID_MSISDN")
    }

    /// content, sender and template variables must be valid UTF-8: the error names the field
    /// and the byte, and nothing is sent (the key stays free).
    func testInvalidUTF8IsRefusedNamingTheFieldAndByte() throws {
        let cases = [
            ("content", #"sms.send{sender = "SMSHDEMO", content = "ok\255", msisdns = {"0812345678"}, once = "u"}"#, "byte 2"),
            ("sender", #"sms.send{sender = "SMS\192", content = "ok", msisdns = {"0812345678"}, once = "u"}"#, "byte 3"),
            ("variables.name", #"sms.send{sender = "SMSHDEMO", templateId = 1, variables = {name = "A\128"}, msisdns = {"0812345678"}, once = "u"}"#, "byte 1"),
        ]
        for (field, code, byte) in cases {
            let r = try SmshProcess.run(["--sandbox", "-e", "local ok, e = pcall(function() " + code + " end) print(e.code, e.field, e.message)"],
                                        env: env(nil, key: nil))
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stdout.hasPrefix("INVALID_ARGUMENT\t"), "\(field): \(r.stdout)")
            XCTAssertTrue(r.stdout.contains("not valid UTF-8"), r.stdout)
            XCTAssertTrue(r.stdout.contains(byte), "\(field): \(r.stdout)")
        }
    }
}

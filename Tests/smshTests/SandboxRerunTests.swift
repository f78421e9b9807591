import Foundation
import XCTest

/// Re-running a sandbox campaign in one state store with the in-memory sandbox
/// (`SMSH_SANDBOX_STATE=memory`, as specs and fixtures have it): the journal keeps the
/// sandbox keys, the sandbox's account starts empty, so the second run resumes with uuids
/// the new sandbox does not know. It warns once, fails loudly with the cause and the fix, and
/// after `smsh journal forget --prefix` the third run sends again. (The persistent sandbox,
/// where a re-run simply resumes: `SandboxPersistenceTests`.)
final class SandboxRerunTests: XCTestCase {
    var state: String!

    override func setUpWithError() throws {
        state = NSTemporaryDirectory() + "smsh-rerun-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: state) }

    var env: [String: String] { ["XDG_STATE_HOME": state, "XDG_CONFIG_HOME": state + "/config", "SMSH_SANDBOX_STATE": "memory"] }

    func csvSend(_ extra: [String] = []) throws -> SmshProcess.Result {
        try SmshProcess.run(["run", "--sandbox"] + extra + [ExampleScriptsTests.examples.appendingPathComponent("csv_send.lua").path,
                                                             ExampleScriptsTests.examples.appendingPathComponent("contacts.csv").path,
                                                             "SMSHDEMO", "spring"],
                            env: env, cwd: URL(fileURLWithPath: state))
    }

    func testASecondSandboxRunNamesTheCauseAndForgetPrefixStartsOver() throws {
        let first = try csvSend()
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("in 3 send(s) (0 resumed)"), first.stdout)
        XCTAssertFalse(first.stderr.contains("warning"), first.stderr)

        let second = try csvSend()
        XCTAssertEqual(second.status, 1, "wait_all on uuids of the first run: \(second.stderr)")
        XCTAssertTrue(second.stdout.contains("in 0 send(s) (3 resumed)"), second.stdout)
        let warnings = second.stderr.split(separator: "\n").filter { $0.hasPrefix("smsh: warning: ") }
        XCTAssertEqual(warnings.count, 1, "once per run, not per send: \(second.stderr)")
        XCTAssertTrue(warnings[0].contains("campaign 'spring' resumed with uuid "), second.stderr)
        XCTAssertTrue(warnings[0].contains("from an earlier sandbox run"), second.stderr)
        XCTAssertTrue(warnings[0].contains("smsh journal forget --scope sandbox --prefix 'spring/'"), second.stderr)
        XCTAssertTrue(second.stderr.contains("smsh: NOT_FOUND (404): Message "), second.stderr)
        XCTAssertTrue(second.stderr.contains("the sandbox starts empty every run"), "the cause: \(second.stderr)")
        XCTAssertTrue(second.stderr.contains("smsh journal forget --scope sandbox KEY`, or `--prefix CAMPAIGN/`"), "the fix: \(second.stderr)")

        let forget = try SmshProcess.run(["journal", "forget", "--prefix", "spring/", "--scope", "sandbox"], env: env)
        XCTAssertEqual(forget.status, 0, forget.stderr)
        let lines = forget.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 4, forget.stdout)
        XCTAssertTrue(lines.prefix(3).allSatisfy { $0.hasPrefix("forgot 'spring/") && $0.hasSuffix("' (sandbox)") }, forget.stdout)
        XCTAssertEqual(lines.last, "forgot 3 keys starting with 'spring/'")
        XCTAssertTrue(try SmshProcess.run(["journal", "list"], env: env).stdout.contains("retry:"), "other keys stay")

        let third = try csvSend()
        XCTAssertEqual(third.status, 0, third.stderr)
        XCTAssertTrue(third.stdout.contains("in 3 send(s) (0 resumed)"), third.stdout)
        XCTAssertTrue(third.stdout.contains("delivered 2 of 3"), third.stdout)
        XCTAssertFalse(third.stderr.contains("warning"), third.stderr)
    }

    func testTheWarningIsOneJSONLineUnderLogFormatJSON() throws {
        XCTAssertEqual(try csvSend().status, 0)
        let second = try csvSend(["--log-format", "json"])
        let objects = try second.stderr.split(separator: "\n").map {
            try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], "not JSON: \($0)")
        }
        let warnings = objects.filter { $0["level"] as? String == "warn" }
        XCTAssertEqual(warnings.count, 1, second.stderr)
        XCTAssertTrue((warnings[0]["msg"] as? String ?? "").hasPrefix("campaign 'spring' resumed"), second.stderr)
        XCTAssertEqual(objects.last?["code"] as? String, "NOT_FOUND")
    }

    func testForgetPrefixRefusesEmptyAndSeveralScopesAndSaysWhenNothingMatches() throws {
        let empty = try SmshProcess.run(["journal", "forget", "--prefix", ""], env: env)
        XCTAssertEqual(empty.status, 2, empty.stderr)
        XCTAssertTrue(empty.stderr.contains("--prefix must not be empty"), empty.stderr)
        XCTAssertEqual(try SmshProcess.run(["journal", "forget"], env: env).status, 2, "a KEY or --prefix")
        XCTAssertEqual(try SmshProcess.run(["journal", "forget", "k", "--prefix", "k"], env: env).status, 2, "not both")

        let none = try SmshProcess.run(["journal", "forget", "--prefix", "spring/"], env: env)
        XCTAssertEqual(none.status, 0, none.stderr)
        XCTAssertEqual(none.stdout, "nothing to forget: no key starts with 'spring/'\n")

        // The same prefix in the sandbox and on a served API: never both by accident.
        let send = #"sms.send{sender = "SMSHDEMO", content = "x", msisdns = {"0812345678"}, once = "spring/1"}"#
        XCTAssertEqual(try SmshProcess.run(["--sandbox", "-e", send], env: env).status, 0)
        let server = try ServeProcess(apiKey: "sk_test_rerun", extra: [], log: state + "/serve.log")
        defer { server.stop() }
        var served = env
        served["SMSH_BASE_URL"] = server.baseURL
        served["SMSH_API_KEY"] = "sk_test_rerun"
        XCTAssertEqual(try SmshProcess.run(["-e", send], env: served).status, 0)
        let both = try SmshProcess.run(["journal", "forget", "--prefix", "spring/"], env: env)
        XCTAssertEqual(both.status, 2, both.stderr)
        XCTAssertTrue(both.stderr.contains("in 2 scopes"), both.stderr)
        let one = try SmshProcess.run(["journal", "forget", "--prefix", "spring/", "--scope", "sandbox"], env: env)
        XCTAssertEqual(one.stdout, "forgot 'spring/1' (sandbox)\nforgot 1 key starting with 'spring/'\n", one.stderr)
        XCTAssertTrue(try SmshProcess.run(["journal", "list"], env: env).stdout.contains(server.baseURL), "the served key stays")
    }

    func testTheCampaignDocSaysHowToStartOver() throws {
        let help = try SmshProcess.run(["-e", "help(sms.campaign)"], env: env)
        XCTAssertTrue(help.stdout.contains("To start"), help.stdout)
        XCTAssertTrue(help.stdout.contains("smsh journal forget --prefix '<key>/'"), help.stdout)
        let journal = try SmshProcess.run(["journal", "--help"], env: env)
        XCTAssertTrue(journal.stdout.contains("smsh journal forget --prefix P"), journal.stdout)
    }

    func testAOnceSendReplayedInTheSandboxWarnsOnce() throws {
        let script = #"for i = 1, 2 do local r = sms.send{sender = "SMSHDEMO", content = "x", msisdns = {"0812345678"}, once = "nightly-" .. i} print(r.replayed) end"#
        XCTAssertEqual(try SmshProcess.run(["--sandbox", "-e", script], env: env).stderr, "")
        let again = try SmshProcess.run(["--sandbox", "--quiet", "-e", script], env: env)
        XCTAssertEqual(again.stdout, "true\ntrue\n")
        XCTAssertEqual(again.stderr.split(separator: "\n").count, 1, again.stderr)
        XCTAssertTrue(again.stderr.hasPrefix("smsh: warning: once key 'nightly-1' replayed with uuid "), again.stderr)
        XCTAssertTrue(again.stderr.contains("smsh journal forget --scope sandbox 'nightly-1'"), again.stderr)
    }

    /// Issue 22: every sandbox run hands out uuids of its own (not 9b6be78c… first each time),
    /// and a key replayed in the run that sent it (whose uuid this run's sandbox knows) is not
    /// warned of; a key from an earlier run is, once, saying what is true.
    func testUuidsAreUniqueAcrossRunsAndASameRunReplayIsNotWarnedOf() throws {
        let script = #"""
            local a = sms.send{sender = "SMSHDEMO", content = "x", msisdns = {"0812345678"}, once = "k1"}
            local b = sms.send{sender = "SMSHDEMO", content = "x", msisdns = {"0812345678"}, once = "k1"}
            print(a.uuid, b.uuid == a.uuid, b.replayed, pcall(sms.message, b.uuid))
            """#
        let first = try SmshProcess.run(["--sandbox", "--quiet", "-e", script], env: env)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(first.stderr, "", "the replayed uuid is this run's: no warning")
        let fields = first.stdout.split(separator: "\t")
        XCTAssertEqual(fields.count, 5, first.stdout)
        XCTAssertEqual(fields.dropFirst().prefix(3).joined(separator: " "), "true true true", first.stdout)
        let uuid = String(fields[0])
        XCTAssertNotEqual(uuid, "9b6be78c-d226-4c74-9eb1-b38a38ee35b6")

        var seen: Set<String> = [uuid]
        for i in 0..<3 {
            let other = try SmshProcess.run(["--sandbox", "-e", #"print(sms.send{sender = "SMSHDEMO", content = "x", msisdns = {"0812345678"}}.uuid)"#], env: env)
            XCTAssertEqual(other.status, 0, other.stderr)
            let u = other.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            XCTAssertEqual(u.count, 36, u)
            XCTAssertTrue(seen.insert(u).inserted, "run \(i + 2) reused uuid \(u)")
        }

        let again = try SmshProcess.run(["--sandbox", "--quiet", "-e", script], env: env)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.hasPrefix(uuid + "\ttrue\ttrue\tfalse\t"), "the old uuid, unknown here: \(again.stdout)")
        let warnings = again.stderr.split(separator: "\n")
        XCTAssertEqual(warnings.count, 1, again.stderr)
        XCTAssertTrue(warnings[0].hasPrefix("smsh: warning: once key 'k1' replayed with uuid \(uuid) from an earlier sandbox run, "
                                            + "which this run's sandbox does not know"), again.stderr)
        XCTAssertTrue(again.stderr.contains("nothing was sent again"), again.stderr)
    }
}

import Foundation
import XCTest

/// `smsh campaign` with the built binary against `smsh serve`: the same plan and send-once
/// keys as `sms.campaign`, so a campaign killed (SIGKILL) under one resumes under the other
/// with each text on the server exactly once; invalid rows are reported with their lines;
/// --dry-run sends nothing.
final class CampaignCommandTests: ServedCampaignTestCase {
    override class var apiKey: String { "sk_test_ccmd" }

    func luaCampaign(_ key: String, rate: Int = 1) -> String {
        """
        local c = sms.campaign{key = "\(key)", sender = "SMSHDEMO", rows = "\(dir!)/contacts.csv",
                               content = "Hello {{group}}", rate = \(rate)}
        print(c.sends, c.resumed, c.recipients, #c.uuids)
        """
    }

    func commandArguments(_ key: String, rate: Int = 1) -> [String] {
        ["campaign", "--key", key, "--csv", dir + "/contacts.csv", "--sender", "SMSHDEMO", "--text", "Hello {{group}}",
         "--rate", String(rate)]
    }

    /// Starts `arguments`, waits for 3 journaled sends, and kills it with SIGKILL.
    func killAfterThreeSends(_ arguments: [String], key: String) throws -> Int {
        let first = try start(arguments)
        SmshProcess.waitUntil { (try? journal(key, "done")) ?? 0 >= 3 }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        XCTAssertEqual(first.terminationReason, .uncaughtSignal)
        let sent = try serverTexts().count
        XCTAssertGreaterThanOrEqual(sent, 3)
        XCTAssertLessThan(sent, 10, "killed mid-run")
        XCTAssertEqual(try journal(key, "done"), sent)
        return sent
    }

    func summary(_ r: SmshProcess.Result) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        return try XCTUnwrap(object, r.stdout)
    }

    func testCommandKilledThenResumedFromLua() throws {
        let sent = try killAfterThreeSends(commandArguments("spring"), key: "spring")
        let again = try SmshProcess.run(["-e", luaCampaign("spring", rate: 50)], env: env())
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(again.stdout, "\(10 - sent)\t\(sent)\t50\t10\n", "the script sends only the rest")
        XCTAssertEqual(try serverTexts(), (0..<10).map { "Hello g\($0)" }, "each of the 10 texts exactly once")
    }

    func testSIGTERMStopsTheCommandSayingHowFarItGotAndTheRerunSendsTheRest() throws {
        let running = try SmshProcess.start(commandArguments("autumn", rate: 2), env: env())
        XCTAssertTrue(try SmshProcess.waitUntil { try journal("autumn", "done") >= 2 })
        running.signal(SIGTERM)
        let (exited, status, stderr) = try running.wait()
        XCTAssertTrue(exited, "handled, not killed by the signal: \(stderr)")
        XCTAssertEqual(status, 143, stderr)
        let sent = try serverTexts().count
        XCTAssertLessThan(sent, 10, "stopped mid-run")
        XCTAssertTrue(stderr.contains("INTERRUPTED: campaign 'autumn' stopped: \(sent) sent this run, 0 resumed, each journaled; "
                                      + "the same command resumes it, sending none twice"), stderr)
        XCTAssertEqual(try journal("autumn", "done"), sent, "every send the server has is journaled, none uncertain")

        let again = try SmshProcess.run(commandArguments("autumn", rate: 50) + ["-o", "json"], env: env())
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try summary(again)["resumed"] as? Int, sent)
        XCTAssertEqual(try serverTexts(), (0..<10).map { "Hello g\($0)" }, "each of the 10 texts exactly once")
    }

    func testLuaKilledThenResumedFromCommand() throws {
        let sent = try killAfterThreeSends(["-e", luaCampaign("autumn")], key: "autumn")
        let again = try SmshProcess.run(commandArguments("autumn", rate: 50) + ["-o", "json"], env: env())
        XCTAssertEqual(again.status, 0, again.stderr)
        let s = try summary(again)
        XCTAssertEqual(s["sends"] as? Int, 10 - sent)
        XCTAssertEqual(s["resumed"] as? Int, sent)
        XCTAssertEqual(s["recipients"] as? Int, 50)
        XCTAssertEqual((s["uuids"] as? [Any])?.count, 10)
        XCTAssertEqual(s["key"] as? String, "autumn")
        XCTAssertEqual(try serverTexts(), (0..<10).map { "Hello g\($0)" }, "each of the 10 texts exactly once")

        let table = try SmshProcess.run(commandArguments("autumn", rate: 50), env: env())
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("sends       0\n"), table.stdout)
        XCTAssertTrue(table.stdout.contains("resumed     10\n"), table.stdout)
        XCTAssertTrue(table.stdout.contains("recipients  50\n"), table.stdout)
        XCTAssertEqual(try serverTexts().count, 10, "a finished campaign sends nothing more")
    }

    func testInvalidRowsAreReportedWithTheirLines() throws {
        let csv = "phone,name\n0812345601,Ann\n12345,Bob\n0812345603,Cat\nnot-a-number,Dan\n,Eve\n"
        try csv.write(toFile: dir + "/mixed.csv", atomically: true, encoding: .utf8)
        let args = ["campaign", "--key", "mixed", "--csv", dir + "/mixed.csv", "--sender", "SMSHDEMO", "--text", "Hi {{name}}"]
        let json = try SmshProcess.run(args + ["-o", "json"], env: env())
        XCTAssertEqual(json.status, 0, json.stderr)
        let s = try summary(json)
        XCTAssertEqual(s["sends"] as? Int, 2)
        XCTAssertEqual(s["recipients"] as? Int, 2)
        let invalid = try XCTUnwrap(s["invalid"] as? [[String: Any]])
        XCTAssertEqual(invalid.map { $0["line"] as? Int }, [3, 5, 6])
        XCTAssertEqual(invalid.map { $0["value"] as? String }, ["12345", "not-a-number", ""])
        XCTAssertEqual(try serverTexts(), ["Hi Ann", "Hi Cat"])

        let table = try SmshProcess.run(args, env: env())
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("invalid     3\n"), table.stdout)
        XCTAssertTrue(table.stdout.contains("invalid rows (not sent):"), table.stdout)
        let rows = table.stdout.split(separator: "\n").filter { $0.hasPrefix("3 ") || $0.hasPrefix("5 ") || $0.hasPrefix("6 ") }
        XCTAssertEqual(rows.count, 3, table.stdout)
        XCTAssertTrue(rows[0].contains("12345"), table.stdout)
    }

    func testDryRunSendsNothing() throws {
        let r = try SmshProcess.run(commandArguments("dry", rate: 50) + ["--dry-run", "-o", "json"], env: env())
        XCTAssertEqual(r.status, 0, r.stderr)
        let s = try summary(r)
        XCTAssertEqual(s["dryRun"] as? Bool, true)
        XCTAssertEqual(s["recipients"] as? Int, 50)
        XCTAssertTrue(r.stderr.contains("nothing was sent"), r.stderr)
        XCTAssertEqual(try serverTexts(), [], "nothing reached the server")
        XCTAssertEqual(try journal("dry", "done"), 0, "nothing journaled")
    }

    func home(_ name: String, _ text: String) -> String {
        try? text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
        return dir + "/" + name
    }

    func testUsageErrorsNameTheOption() throws {
        let noText = try SmshProcess.run(["campaign", "--key", "k", "--csv", dir + "/contacts.csv", "--sender", "SMSHDEMO"], env: env())
        XCTAssertEqual(noText.status, 2)
        XCTAssertTrue(noText.stderr.contains("--text"), noText.stderr)
        let badWindow = try SmshProcess.run(commandArguments("k") + ["--window", "9-"], env: env())
        XCTAssertEqual(badWindow.status, 2)
        XCTAssertTrue(badWindow.stderr.contains("--window"), badWindow.stderr)
        let jsonl = try SmshProcess.run(commandArguments("k") + ["-o", "jsonl"], env: env())
        XCTAssertEqual(jsonl.status, 2)
        let missingColumn = try SmshProcess.run(commandArguments("k") + ["--phone", "mobile"], env: env())
        XCTAssertEqual(missingColumn.status, 2, missingColumn.stderr)
        XCTAssertTrue(missingColumn.stderr.contains(#"has no column "mobile""#), missingColumn.stderr)
        let unclosed = try SmshProcess.run(["campaign", "--key", "k", "--csv", dir + "/contacts.csv", "--sender", "SMSHDEMO",
                                            "--text", "Hi {{name"], env: env())
        XCTAssertEqual(unclosed.status, 2, unclosed.stderr)
        XCTAssertTrue(unclosed.stderr.contains("smsh: campaign: --text has a '{{' without its '}}'"), unclosed.stderr)
        let allInvalid = home("bad.csv", "phone,name\n123,A\n")
        let invalid = try SmshProcess.run(["campaign", "--key", "k", "--csv", allInvalid, "--sender", "SMSHDEMO", "--text", "Hi"], env: env())
        XCTAssertEqual(invalid.status, 1, invalid.stderr)
        XCTAssertTrue(invalid.stderr.contains("INVALID_MSISDN"), invalid.stderr)
        XCTAssertTrue(invalid.stderr.contains("line 2"), invalid.stderr)
        XCTAssertEqual(try serverTexts(), [], "nothing was sent")
    }
}

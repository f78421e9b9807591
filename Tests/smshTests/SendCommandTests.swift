import Foundation
import XCTest

/// `smsh send` and `smsh preview`, the built binary against `smsh serve` and `--sandbox`:
/// real sends counted by the simulator, the send-once journal shared with scripts, dry run,
/// budget, and the checks that stop a send before anything goes out.
final class SendCommandTests: OneOffTestCase {
    let send = ["send", "--sender", "SMSHDEMO", "--text", "Hello, \"world\""]

    func testSendPrintsTheResultAsJSONAndTheServerGotIt() throws {
        let r = try smsh(send + ["--to", "0812345678", "66898765432", "--to", "081-234-5678", "-o", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = object(r)
        XCTAssertEqual(o["recipients"] as? Int, 2, "081-234-5678 is 0812345678 again: de-duplicated")
        XCTAssertEqual(o["duplicatesRemoved"] as? Int, 1)
        XCTAssertEqual((o["uuid"] as? String)?.count, 36)
        XCTAssertEqual(try acceptedSends(), 1)
        let message = try smsh(["message", o["uuid"] as! String, "-o", "json"])
        XCTAssertEqual(object(message)["content"] as? String, "Hello, \"world\"")
    }

    func testOnceKeyIsSharedWithAScript() throws {
        let first = try smsh(send + ["--to", "0812345678", "--once", "shared-key", "-o", "json"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(object(first)["replayed"] as? Bool, false)
        // The same request (a key is bound to its request: ONCE_KEY_REUSED otherwise).
        let script = #"local r = sms.send{sender = "SMSHDEMO", content = "Hello, \"world\"", msisdns = {"66812345678"}, once = "shared-key"} print(r.replayed, r.uuid)"#
        let replay = try smsh(["-e", script])
        XCTAssertEqual(replay.status, 0, replay.stderr)
        XCTAssertEqual(replay.stdout, "true\t\(object(first)["uuid"] as! String)\n")
        // And the other way round: a script's key answers the command.
        XCTAssertEqual(try smsh(["-e", script.replacingOccurrences(of: "shared-key", with: "script-key")]).status, 0)
        let again = try smsh(send + ["--to", "0812345678", "--once", "script-key", "-o", "json"])
        XCTAssertEqual(object(again)["replayed"] as? Bool, true)
        XCTAssertEqual(try acceptedSends(), 2)
        XCTAssertTrue(try smsh(["journal", "list"]).stdout.contains("shared-key\tdone"))
    }

    func testSandboxSendUsesTheSandboxJournal() throws {
        let a = try smsh(["--sandbox"] + send + ["--to", "0812345678", "--once", "k", "-o", "json"])
        XCTAssertEqual(a.status, 0, a.stderr)
        let b = try smsh(send + ["--sandbox", "--to", "0812345678", "--once", "k", "-o", "json"])
        XCTAssertEqual(object(b)["replayed"] as? Bool, true)
        XCTAssertEqual(try acceptedSends(), 0, "the sandbox is in process: nothing reached smsh serve")
        XCTAssertTrue(try smsh(["journal", "list"]).stdout.contains("k\tdone"))
        // The server's scope is another API: the same key sends there.
        let live = try smsh(send + ["--to", "0812345678", "--once", "k", "-o", "json"])
        XCTAssertEqual(object(live)["replayed"] as? Bool, false)
        XCTAssertEqual(try acceptedSends(), 1)
    }

    func testDryRunSendsNothingAndPrintsThePlan() throws {
        let r = try smsh(send + ["--to", "0812345678", "0898765432", "--dry-run", "-o", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(object(r)["dryRun"] as? Bool, true)
        XCTAssertEqual(object(r)["credits"] as? Int, 2)
        XCTAssertTrue(r.stderr.contains("nothing was sent"), r.stderr)
        XCTAssertTrue(r.stderr.contains("sender SMSHDEMO: 2 recipient(s)"), r.stderr)
        XCTAssertEqual(try acceptedSends(), 0)
    }

    func testBudgetRefusalExits3AndSendsNothing() throws {
        let r = try smsh(send + ["--to", "0812345678", "0898765432", "--max-credits", "1"])
        XCTAssertEqual(r.status, 3, r.stderr)
        XCTAssertTrue(r.stderr.contains("BUDGET_EXCEEDED"), r.stderr)
        XCTAssertTrue(r.stderr.contains("needs 2 credits"), r.stderr)
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(try acceptedSends(), 0)
        // A profile's max_credits is the same gate.
        try FileManager.default.createDirectory(atPath: state + "/config/smsh", withIntermediateDirectories: true)
        let config = try write("config/smsh/config.toml", "default_profile = \"capped\"\n[profiles.capped]\nmax_credits = 1\n")
        XCTAssertEqual(chmod(config, 0o600), 0)
        XCTAssertEqual(try smsh(send + ["--to", "0812345678", "0898765432"]).status, 3)
    }

    func testWrongKeyExits7AndNeverPrintsTheKey() throws {
        let r = try smsh(send + ["--to", "0812345678"], env: ["SMSH_API_KEY": "sk_live_wrong_secret"])
        XCTAssertEqual(r.status, 7, r.stderr)
        XCTAssertTrue(r.stderr.hasPrefix("smsh: UNAUTHORIZED (401)"), r.stderr)
        let verbose = try smsh(send + ["--to", "0812345678", "--verbose"], env: ["SMSH_API_KEY": "sk_live_wrong_secret"])
        XCTAssertFalse((verbose.stdout + verbose.stderr).contains("sk_live_wrong_secret"))
        XCTAssertTrue(verbose.stderr.contains("/api/v2/sms/send"), verbose.stderr)
        let json = try smsh(["credit", "--log-format", "json"], env: ["SMSH_API_KEY": "sk_live_wrong_secret"])
        XCTAssertEqual(json.status, 7)
        let line = try JSONSerialization.jsonObject(with: Data(json.stderr.utf8)) as? [String: Any]
        XCTAssertEqual(line?["code"] as? String, "UNAUTHORIZED")
    }

    func testJournalUncertainExits8() throws {
        // A send killed between its intent and the answer leaves the key uncertain.
        let p = Process()
        p.executableURL = SmshProcess.binary
        p.arguments = send + ["--to", "0812345678", "--once", "cut"]
        var full = ProcessInfo.processInfo.environment
        for (k, v) in env { full[k] = v }
        full["SMSH_TEST_PAUSE_AFTER_INTENT"] = "30"
        p.environment = full
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        for _ in 0..<200 where !(try smsh(["journal", "list"]).stdout.contains("cut\tintent")) { usleep(50_000) }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let r = try smsh(send + ["--to", "0812345678", "--once", "cut"])
        XCTAssertEqual(r.status, 8, r.stderr)
        XCTAssertTrue(r.stderr.contains("JOURNAL_UNCERTAIN"), r.stderr)
        XCTAssertEqual(try acceptedSends(), 0)
    }

    func testToFileReadsTextAndCSVAndNamesAnInvalidLine() throws {
        let text = try write("numbers.txt", "0812345678\n\n66898765432\r\n0812345678\n")
        let fromText = try smsh(["preview", "--text", "hi", "--to-file", text, "-o", "json"])
        XCTAssertEqual(fromText.status, 0, fromText.stderr)
        XCTAssertEqual(object(fromText)["recipients"] as? Int, 2)
        let csv = try write("contacts.csv", "name,phone\nToon,0812345678\n\"Lek, B\",0898765432\n")
        let fromCSV = try smsh(send + ["--to-file", csv, "--column", "phone", "-o", "json"])
        XCTAssertEqual(fromCSV.status, 0, fromCSV.stderr)
        XCTAssertEqual(object(fromCSV)["recipients"] as? Int, 2)
        XCTAssertEqual(try acceptedSends(), 1)

        let bad = try write("bad.csv", "name,phone\nToon,0812345678\nX,08123\n")
        let r = try smsh(send + ["--to-file", bad, "--column", "phone"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("INVALID_MSISDN"), r.stderr)
        XCTAssertTrue(r.stderr.contains("bad.csv line 3: \"08123\""), r.stderr)
        XCTAssertTrue(r.stderr.contains("nothing was sent"), r.stderr)
        let column = try smsh(send + ["--to-file", csv, "--column", "tel"])
        XCTAssertEqual(column.status, 2)
        XCTAssertTrue(column.stderr.contains("--column"), column.stderr)
        XCTAssertTrue(column.stderr.contains("\"phone\""), column.stderr)
        XCTAssertEqual(try acceptedSends(), 1)
    }

    func testUsageErrorsExit2NamingTheOptionAndSendNothing() throws {
        let cases: [([String], String)] = [
            (send + ["--template-id", "3", "--to", "0812345678"], "--template-id"),
            (["send", "--sender", "SMSHDEMO", "--to", "0812345678"], "--text"),
            (send, "--to"),
            (send + ["--to", "0812345678", "--group", "4"], "--group"),
            (send + ["--to", "0812345678", "08123"], "--to number 2 ('08123')"),
            (send + ["--to", "0812345678", "--max-credits", "-5"], "--max-credits"),
            (send + ["--to", "0812345678", "--schedule", "next tuesday"], "--schedule"),
            (send + ["--to", "0812345678", "--bogus"], "--bogus"),
            (["send", "--bogus"], "--bogus"),
            (send + ["--to", "0812345678", "--var", "name=x"], "--var"),
            (["send", "--sender", "MUCHTOOLONGNAME", "--text", "x", "--to", "0812345678"], "--sender"),
            (["send", "--text", "x", "--to", "0812345678"], "--sender"),
            (send + ["--to", "0812345678", "-o", "xml"], "-o"),
            (["preview", "--text", "x", "--to", "0812345678", "--once", "k"], "--once"),
        ]
        for (args, option) in cases {
            let r = try smsh(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(option), "\(args) should name \(option): \(r.stderr)")
            XCTAssertEqual(r.stdout, "", "\(args)")
        }
        XCTAssertEqual(try acceptedSends(), 0)
    }

    func testScheduledSendAndCancel() throws {
        let r = try smsh(send + ["--to", "0812345678", "--schedule", "2099-01-01T10:00:00+07:00", "-o", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(object(r)["status"] as? String, "scheduled")
        let uuid = object(r)["uuid"] as! String
        let cancel = try smsh(["cancel", uuid, "-o", "json"])
        XCTAssertEqual(cancel.status, 0, cancel.stderr)
        XCTAssertEqual(object(cancel)["status"] as? String, "cancelled")
        let twice = try smsh(["cancel", uuid])
        XCTAssertEqual(twice.status, 1)
        XCTAssertTrue(twice.stderr.hasPrefix("smsh: ALREADY_CANCELLED (409)"), twice.stderr)
        // Epoch seconds work too.
        XCTAssertEqual(object(try smsh(send + ["--to", "0812345678", "--schedule", "4070908800", "-o", "json"]))["scheduledTime"] as? String,
                       "2099-01-01T07:00:00+07:00")
    }

    func testProfileGivesTheSenderAndJSONStderrCarriesUsageErrors() throws {
        try FileManager.default.createDirectory(atPath: state + "/config/smsh", withIntermediateDirectories: true)
        let config = try write("config/smsh/config.toml", "[profiles.shop]\nsender = \"SMSHDEMO\"\n")
        XCTAssertEqual(chmod(config, 0o600), 0)
        let r = try smsh(["send", "--profile", "shop", "--text", "x", "--to", "0812345678", "-o", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let message = object(try smsh(["message", object(r)["uuid"] as! String, "-o", "json"]))
        XCTAssertEqual(message["sender"] as? String, "SMSHDEMO")
        let usage = try smsh(["send", "--log-format", "json", "--sender", "SMSHDEMO", "--text", "x"])
        XCTAssertEqual(usage.status, 2)
        let line = try JSONSerialization.jsonObject(with: Data(usage.stderr.utf8)) as? [String: Any]
        XCTAssertEqual(line?["code"] as? String, "USAGE")
        XCTAssertTrue((line?["msg"] as? String)?.contains("--to") == true, usage.stderr)
    }

    func testTemplateWithVariables() throws {
        let r = try smsh(["preview", "--template-id", "1", "--var", "name=Toon", "--var", "code=4711", "--to", "0812345678", "-o", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(object(r)["recipients"] as? Int, 1)
    }
}

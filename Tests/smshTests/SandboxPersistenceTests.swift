import Foundation
import XCTest

/// The persistent `--sandbox` account with the built binary: separate commands make a chain
/// (send → message → wait → recipients), virtual time carries over, `smsh sandbox status`
/// and `reset`, two processes at once, a re-run campaign that resumes without a warning.
final class SandboxPersistenceTests: XCTestCase {
    var home: ScratchHome!

    override func setUpWithError() throws { home = try ScratchHome(tag: "sbx") }
    override func tearDown() { home.remove() }

    func smsh(_ args: [String], _ extra: [String: String] = [:]) throws -> SmshProcess.Result {
        try SmshProcess.run(args, env: home.env(extra))
    }

    func json(_ r: SmshProcess.Result, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        return try XCTUnwrap(object, r.stdout, file: file, line: line)
    }

    func testSeparateCommandsMakeAChain() throws {
        let sent = try json(smsh(["--sandbox", "send", "--sender", "SMSHDEMO", "--text", "Hi", "--to", "0812345678", "0812345679", "-o", "json"]))
        let uuid = try XCTUnwrap(sent["uuid"] as? String)
        let message = try json(smsh(["--sandbox", "message", uuid, "-o", "json"]))
        XCTAssertEqual(message["uuid"] as? String, uuid)
        XCTAssertEqual(message["content"] as? String, "Hi")
        XCTAssertEqual(message["status"] as? String, "pending", "no report before 5 virtual seconds")

        let waited = try smsh(["--sandbox", "wait", uuid])
        XCTAssertEqual(waited.status, 0, waited.stderr)
        // The wait moved the sandbox clock on: a later command sees the message finished.
        let after = try json(smsh(["--sandbox", "message", uuid, "-o", "json"]))
        XCTAssertTrue(["sent", "failed"].contains(after["status"] as? String ?? ""), "\(after)")
        let recipients = try smsh(["--sandbox", "recipients", uuid, "-o", "csv"])
        XCTAssertEqual(recipients.status, 0, recipients.stderr)
        XCTAssertTrue(recipients.stdout.contains("66812345678"), recipients.stdout)
        XCTAssertTrue(recipients.stdout.contains("66812345679"), recipients.stdout)
        XCTAssertFalse(recipients.stdout.contains("pending"), recipients.stdout)

        let credit = try json(smsh(["--sandbox", "credit", "-o", "json"]))
        XCTAssertEqual(credit["balance"] as? Double, 9_998)
        let status = try json(smsh(["sandbox", "status", "-o", "json"]))
        XCTAssertEqual(status["messages"] as? Int, 1)
        XCTAssertEqual(status["credit"] as? Double, 9_998)
        XCTAssertEqual(status["location"] as? String, home.path + "/state/smsh/sandbox")
        XCTAssertGreaterThan(status["clockAhead"] as? Int ?? 0, 0, "the wait's virtual time is kept")
        var st = stat()
        XCTAssertEqual(stat(home.path + "/state/smsh/sandbox", &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o700)

        let table = try smsh(["sandbox", "status"])
        XCTAssertTrue(table.stdout.contains("messages"), table.stdout)
    }

    func testResetStartsOverAndForgetsTheSandboxKeys() throws {
        let first = try json(smsh(["--sandbox", "send", "--sender", "SMSHDEMO", "--text", "Hi", "--to", "0812345678", "--once", "k1", "-o", "json"]))
        let uuid = try XCTUnwrap(first["uuid"] as? String)
        let again = try json(smsh(["--sandbox", "send", "--sender", "SMSHDEMO", "--text", "Hi", "--to", "0812345678", "--once", "k1", "-o", "json"]))
        XCTAssertEqual(again["replayed"] as? Bool, true)
        XCTAssertEqual(again["uuid"] as? String, uuid)

        let reset = try smsh(["sandbox", "reset", "--credit", "500", "--seed", "7"])
        XCTAssertEqual(reset.status, 0, reset.stderr)
        XCTAssertTrue(reset.stdout.contains("1 message(s) removed, 1 send-once key(s)"), reset.stdout)
        let status = try json(smsh(["sandbox", "status", "-o", "json"]))
        XCTAssertEqual(status["credit"] as? Double, 500)
        XCTAssertEqual(status["messages"] as? Int, 0)
        XCTAssertEqual(status["seed"] as? String, "7")
        let gone = try smsh(["--sandbox", "message", uuid])
        XCTAssertNotEqual(gone.status, 0, "the old account's message is gone")
        let fresh = try json(smsh(["--sandbox", "send", "--sender", "SMSHDEMO", "--text", "Hi", "--to", "0812345678", "--once", "k1", "-o", "json"]))
        XCTAssertEqual(fresh["replayed"] as? Bool, false, "the key was forgotten with the account")
        XCTAssertNotEqual(fresh["uuid"] as? String, uuid, "uuids are never reused")
    }

    func testCreditFlagAppliesWhenTheAccountIsCreated() throws {
        let created = try json(smsh(["--sandbox", "--sandbox-credit", "5", "credit", "-o", "json"]))
        XCTAssertEqual(created["balance"] as? Double, 5)
        let other = try smsh(["--sandbox", "--sandbox-credit", "7", "credit", "-o", "json"])
        XCTAssertEqual(try json(other)["balance"] as? Double, 5, "the existing account keeps its credit")
        XCTAssertTrue(other.stderr.contains("--sandbox-credit 7 does not apply"), other.stderr)
        XCTAssertTrue(other.stderr.contains("smsh sandbox reset --credit 7"), other.stderr)
    }

    func testTwoProcessesAtOnceShareOneAccount() throws {
        func start(_ tag: String) throws -> Process {
            let p = Process()
            p.executableURL = SmshProcess.binary
            p.arguments = ["--sandbox", "-e", """
                for i = 1, 25 do sms.send{sender = "SMSHDEMO", content = "\(tag) " .. i, msisdns = {"0812345678"}} end
                """]
            var env = ProcessInfo.processInfo.environment
            for (k, v) in home.env() { env[k] = v }
            p.environment = env
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            return p
        }
        let a = try start("A"), b = try start("B")
        a.waitUntilExit()
        b.waitUntilExit()
        XCTAssertEqual(a.terminationStatus, 0)
        XCTAssertEqual(b.terminationStatus, 0)
        let status = try json(smsh(["sandbox", "status", "-o", "json"]))
        XCTAssertEqual(status["messages"] as? Int, 50)
        XCTAssertEqual(status["credit"] as? Double, 10_000 - 50)
        let list = try smsh(["--sandbox", "-e", """
            local seen, n = {}, 0
            for page = 1, 3 do
              for _, m in ipairs(sms.messages{limit = 20, page = page}.data) do
                if not seen[m.uuid] then n = n + 1 end
                seen[m.uuid] = true
              end
            end
            print(n)
            """])
        XCTAssertEqual(list.stdout, "50\n", list.stderr)
    }

    func testSandboxCampaignRerunResumesWithoutAWarning() throws {
        let csv = home.path + "/people.csv"
        try "phone,name\n0812345601,Ann\n0812345602,Bob\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let args = ["--sandbox", "campaign", "--key", "promo", "--csv", csv, "--sender", "SMSHDEMO", "--text", "Hi {{name}}", "-o", "json"]
        let first = try json(smsh(args))
        XCTAssertEqual(first["sends"] as? Int, 2)
        let rerun = try smsh(args)
        let second = try json(rerun)
        XCTAssertEqual(second["sends"] as? Int, 0)
        XCTAssertEqual(second["resumed"] as? Int, 2)
        XCTAssertFalse(rerun.stderr.contains("earlier sandbox run"), rerun.stderr)
        XCTAssertEqual(rerun.stderr, "")
        let uuid = try XCTUnwrap((second["uuids"] as? [String])?.first)
        let message = try json(smsh(["--sandbox", "message", uuid, "-o", "json"]))
        XCTAssertEqual(message["uuid"] as? String, uuid, "the resumed uuid is known to the sandbox")
    }

    /// examples/csv_send.lua run twice: the second run resumes and its wait_all finds the
    /// first run's messages (with the in-memory sandbox it failed with NOT_FOUND).
    func testTheExampleCampaignRerunResumesAndWaits() throws {
        func run() throws -> SmshProcess.Result {
            try SmshProcess.run(["run", "--sandbox", ExampleScriptsTests.examples.appendingPathComponent("csv_send.lua").path,
                                 ExampleScriptsTests.examples.appendingPathComponent("contacts.csv").path, "SMSHDEMO", "spring"],
                                env: home.env(), cwd: URL(fileURLWithPath: home.path))
        }
        let first = try run()
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("in 3 send(s) (0 resumed)"), first.stdout)
        let second = try run()
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("in 0 send(s) (3 resumed)"), second.stdout)
        XCTAssertFalse(second.stderr.contains("warning"), second.stderr)
    }

    func testSpecsAndInMemorySandboxStartEmpty() throws {
        _ = try json(smsh(["--sandbox", "send", "--sender", "SMSHDEMO", "--text", "Hi", "--to", "0812345678", "-o", "json"]))
        let memory = try json(smsh(["--sandbox", "credit", "-o", "json"], ["SMSH_SANDBOX_STATE": "memory"]))
        XCTAssertEqual(memory["balance"] as? Double, 10_000)
        let spec = home.path + "/credit_spec.lua"
        try """
            describe("sandbox", function()
              it("starts empty", function() assert.are.equal(10000, sms.credit().balance) end)
            end)
            """.write(toFile: spec, atomically: true, encoding: .utf8)
        let test = try smsh(["test", spec])
        XCTAssertEqual(test.status, 0, test.stdout + test.stderr)
        let status = try json(smsh(["sandbox", "status", "-o", "json"]))
        XCTAssertEqual(status["messages"] as? Int, 1, "specs never touch the persistent account")
    }
}

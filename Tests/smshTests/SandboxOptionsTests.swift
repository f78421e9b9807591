import Foundation
import XCTest

/// The sandbox's account from the command line and profiles (`--sandbox-credit`,
/// `--sandbox-seed`, `sandbox_credit`, `sandbox_seed`), its blocklist, and
/// `smsh serve --time-scale`, all with the built binary.
final class SandboxOptionsTests: XCTestCase {
    var home: String!

    override func setUpWithError() throws {
        home = "/tmp/smsh-sbx-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: home + "/.config/smsh", withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: home) }

    func env() -> [String: String] {
        ["HOME": home!, "XDG_CONFIG_HOME": home + "/.config", "XDG_STATE_HOME": home + "/state",
         "SMSH_API_KEY": "", "SMSH_BASE_URL": "", "SMSH_PROFILE": ""]
    }

    /// `memory`: the in-memory sandbox (a fresh account every run, as specs have it), where
    /// the flags and profile keys apply every time; else the persistent account, where they
    /// apply when it is created or reset.
    func smsh(_ args: [String], memory: Bool = false) throws -> SmshProcess.Result {
        var e = env()
        if memory { e["SMSH_SANDBOX_STATE"] = "memory" }
        return try SmshProcess.run(args, env: e, cwd: URL(fileURLWithPath: home))
    }

    /// The guide's 2,000,000-number send is possible in the sandbox once it has the credit.
    func testTwoMillionNumberSendWithSandboxCredit() throws {
        let file = home + "/numbers.txt"
        // seq writes the file in a fraction of the time a debug-built Swift loop takes.
        let seq = Process()
        seq.executableURL = URL(fileURLWithPath: "/bin/sh")
        seq.arguments = ["-c", "seq 810000000 811999999 | sed 's/^/0/' > '\(file)'"]
        try seq.run()
        seq.waitUntilExit()
        let r = try smsh(["--sandbox", "--sandbox-credit", "5000000", "-e", """
            local r = sms.send{sender = "SMSHDEMO", content = "Hi", msisdns = sms.numbers("\(file)")}
            print(r.recipients, r.credits, sms.credit().balance)
            """])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "2000000\t2000000\t3000000.0\n")
        // The persistent account keeps the message: reading it back is quick.
        let read = try smsh(["--sandbox", "messages", "-o", "csv"])
        XCTAssertEqual(read.status, 0, read.stderr)
        XCTAssertTrue(read.stdout.contains(",2000000,"), read.stdout)
        let reset = try smsh(["sandbox", "reset"])
        XCTAssertTrue(reset.stdout.contains("credit 10000, seed 1; 1 message(s) removed"), reset.stdout + reset.stderr)
        let short = try smsh(["--sandbox", "-e", "sms.send{sender = 'SMSHDEMO', content = 'Hi', msisdns = sms.numbers('\(file)')}"])
        XCTAssertNotEqual(short.status, 0, "10,000 demo credits do not cover it")
    }

    func testProfileKeysAndFlagsAndTheirErrors() throws {
        let config = home + "/.config/smsh/config.toml"
        FileManager.default.createFile(atPath: config, contents: Data("""
            default_profile = "big"
            [profiles.big]
            sandbox = true
            sandbox_credit = 250000
            sandbox_seed = 42
            """.utf8))
        chmod(config, 0o600)
        let shown = try smsh(["config", "show"])
        XCTAssertTrue(shown.stdout.contains("sandbox_credit      250000"), shown.stdout)
        XCTAssertTrue(shown.stdout.contains("(profile big: sandbox_seed)"), shown.stdout)
        XCTAssertEqual(try smsh(["-e", "print(sms.credit().balance)"], memory: true).stdout, "250000.0\n")
        XCTAssertEqual(try smsh(["--sandbox-credit", "12", "-e", "print(sms.credit().balance)"], memory: true).stdout, "12.0\n")
        // The persistent account takes the profile's credit when it is created, then keeps its own.
        XCTAssertEqual(try smsh(["-e", "print(sms.credit().balance)"]).stdout, "250000.0\n")
        let kept = try smsh(["--sandbox-credit", "12", "-e", "print(sms.credit().balance)"])
        XCTAssertEqual(kept.stdout, "250000.0\n")
        XCTAssertTrue(kept.stderr.contains("smsh sandbox reset --credit 12"), kept.stderr)

        // The seed decides outcomes: the profile's 42 and the flag's 42 agree, 43 differs. Uuids
        // are the run's own (issue 22): never the same in two runs, whatever the seed.
        let send = """
            local numbers = {}
            for i = 1, 40 do numbers[i] = string.format('08123%05d', i) end
            local r = sms.send{sender = 'SMSHDEMO', content = 'x', msisdns = numbers}
            local m = sms.wait(r.uuid)
            print(r.uuid)
            print(m.drSummary.success, m.drSummary.failed, m.drSummary.expired, m.drSummary.timeout)
            """
        func run(_ args: [String]) throws -> (uuid: Substring, outcomes: Substring) {
            let r = try smsh(args + ["-e", send], memory: true)
            let lines = r.stdout.split(separator: "\n")
            XCTAssertEqual(lines.count, 2, r.stdout + r.stderr)
            return (lines.first ?? "", lines.last ?? "")
        }
        let a = try run([]), b = try run(["--sandbox-seed", "42"]), c = try run(["--sandbox-seed", "43"])
        XCTAssertEqual(a.outcomes, b.outcomes)
        XCTAssertNotEqual(a.outcomes, c.outcomes)
        XCTAssertEqual(Set([a.uuid, b.uuid, c.uuid]).count, 3, "uuids are unique across runs: \(a.uuid) \(b.uuid) \(c.uuid)")

        for (args, option) in [(["--sandbox-credit", "-5"], "--sandbox-credit"), (["--sandbox-credit", "lots"], "--sandbox-credit"),
                               (["--sandbox-seed", "-1"], "--sandbox-seed"), (["--sandbox-seed", "1.5"], "--sandbox-seed")] {
            let r = try smsh(["--sandbox"] + args + ["-e", "print('ran')"])
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(option), "\(args): \(r.stderr)")
            XCTAssertEqual(r.stdout, "", "nothing ran")
            XCTAssertTrue(r.stderr.contains("not \(args[1])\n"), "the value as typed: \(r.stderr)")
        }
    }

    /// `smsh --sandbox-credit N FILE ARGS` (the lua-style form): N is the option's value, not the script.
    func testLuaStyleCommandLineTakesTheOptionsValue() throws {
        let script = home + "/balance.lua"
        try "print(sms.credit().balance, ...)".write(toFile: script, atomically: true, encoding: .utf8)
        let r = try smsh(["--sandbox", "--sandbox-credit", "77", "--sandbox-seed", "5", script, "x"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "77.0\tx\n")
    }

    func testBlocklistedDemoNumbersAreBlocked() throws {
        let r = try smsh(["--sandbox", "-e", """
            local s = sms.send{sender = 'SMSHDEMO', content = 'x', msisdns = {'0899999999', '0800000000', '0812345678'}}
            local m = sms.wait(s.uuid)
            local blocked = {}
            for rec in sms.each_recipient(s.uuid, {status = 'blocked'}) do blocked[#blocked + 1] = rec.msisdn end
            table.sort(blocked)
            print(m.drSummary.blocked, table.concat(blocked, ','))
            """])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "2\t66800000000,66899999999\n")
    }

    /// With --time-scale 600 the slowest report (120 s) arrives after 0.2 s of real time.
    func testServeTimeScaleDeliversInRealTime() throws {
        let serve = try ServeProcess(apiKey: "sk_test_scale", extra: ["--time-scale", "600", "--credit", "50", "--seed", "3"],
                                     log: home + "/serve.log")
        defer { serve.stop() }
        var e = env()
        e["SMSH_BASE_URL"] = serve.baseURL
        e["SMSH_API_KEY"] = "sk_test_scale"
        let r = try SmshProcess.run(["-e", """
            local s = sms.send{sender = 'SMSHDEMO', content = 'x', msisdns = {'0812345678', '0812345679', '0812345670'}}
            local t0 = sms.now()
            local m = sms.wait(s.uuid, {interval = 1, timeout = 20})
            print(m.drSummary.pending, sms.credit().balance, sms.now() - t0 < 10)
            """], env: e)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "0\t47.0\ttrue\n")
    }
}

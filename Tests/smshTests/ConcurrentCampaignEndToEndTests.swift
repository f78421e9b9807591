import Foundation
import XCTest

/// Many requests in flight, end to end with the built binary against `smsh serve --latency`
/// (issue "Many requests in flight", point 6): a 429 storm loses no row and sends none twice;
/// `kill -9` with 16 sends in flight leaves at most 16 keys uncertain, and after `journal
/// reconcile` a re-run leaves each text on the server exactly once; the run's `--concurrency`
/// caps what is in flight whatever the calls ask for; SIGTERM and Ctrl-C let the sends on the
/// wire finish and be journaled, start nothing new, and exit 143 / 130.
final class ConcurrentCampaignEndToEndTests: XCTestCase {
    private var dir = ""
    private var server: ServeProcess?
    private let key = "sk_test_inflight"

    override func setUpWithError() throws {
        dir = "/tmp/smsh-inflight-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() {
        server?.stop()
        try? FileManager.default.removeItem(atPath: dir)
        super.tearDown()
    }

    private func serve(_ extra: [String]) throws -> String {
        let s = try ServeProcess(apiKey: key, extra: extra, log: dir + "/serve.log")
        server = s
        return s.baseURL
    }

    private func env(_ base: String) -> [String: String] {
        ["SMSH_API_KEY": key, "SMSH_BASE_URL": base, "XDG_STATE_HOME": dir + "/state", "SMSH_PROFILE": ""]
    }

    /// A personalised CSV: one distinct text per row.
    private func contacts(_ rows: Int) throws -> String {
        var csv = "phone,name\n"
        for i in 0..<rows { csv += "0812\(String(format: "%06d", i)),N\(i)\n" }
        let path = dir + "/contacts.csv"
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func campaign(_ csv: String, concurrency: Int) -> String {
        """
        local c = sms.campaign{key = "storm", sender = "SMSHDEMO", rows = "\(csv)", content = "Hi {{name}}", concurrency = \(concurrency)}
        print(c.sends, c.resumed)
        """
    }

    private func stats(_ base: String) throws -> [String: Any] {
        let r = try SmshProcess.run(executable: "/usr/bin/env", ["curl", "-sS", base + "/_sim/stats"])
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
    }

    /// Every message's text on the server (all pages).
    private func serverTexts(_ base: String) throws -> [String] {
        let r = try SmshProcess.run(["-e", """
            for p = 1, 1000 do
              local page = sms.messages{page = p, limit = 100}
              if #page.data == 0 then break end
              for _, m in ipairs(page.data) do print(m.content) end
            end
            """], env: env(base))
        XCTAssertEqual(r.status, 0, r.stderr)
        return r.stdout.split(separator: "\n").map(String.init)
    }

    private func assertEachTextOnce(_ base: String, rows: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let texts = try serverTexts(base)
        XCTAssertEqual(texts.count, rows, "no row lost, none doubled", file: file, line: line)
        XCTAssertEqual(Set(texts), Set((0..<rows).map { "Hi N\($0)" }), file: file, line: line)
    }

    func testA429StormLosesNoRowAndSendsNoneTwice() throws {
        let base = try serve(["--latency", "20", "--rate-limit", "25"])
        let csv = try contacts(90)
        let summary = dir + "/summary.json"
        let r = try SmshProcess.run(["run", "--summary", summary, "-e", campaign(csv, concurrency: 16)], env: env(base))
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "90\t0\n")
        let s = try stats(base)
        XCTAssertGreaterThan(s["throttled"] as? Int ?? 0, 0, "demand was far above the limit: \(s)")
        XCTAssertEqual(s["acceptedSends"] as? Int, 90)
        try assertEachTextOnce(base, rows: 90)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: summary))) as? [String: Any])
        XCTAssertGreaterThan(report["throttled"] as? Int ?? 0, 0, "\(report)")
    }

    func testTheRunsCapHoldsWhateverTheCallsAskFor() throws {
        let base = try serve(["--latency", "100"])
        // Four tasks, each mapping with concurrency 8: 32 asked for, 12 allowed.
        let script = """
            local tasks = {}
            for t = 1, 4 do
              tasks[t] = sms.spawn(function()
                local list = {}
                for i = 1, 24 do list[i] = i end
                return #sms.map(list, function() return sms.credit().balance end, {concurrency = 8})
              end)
            end
            local all = sms.join(tasks)
            for _, r in ipairs(all) do io.write(tostring(r.ok and r[1]), " ") end
            """
        let r = try SmshProcess.run(["run", "--concurrency", "12", "-e", script], env: env(base))
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "24 24 24 24 ")
        let most = try XCTUnwrap(try stats(base)["maxInFlight"] as? Int)
        XCTAssertLessThanOrEqual(most, 12, "maxInFlight never exceeds the cap")
        XCTAssertGreaterThanOrEqual(most, 8, "the requests did overlap")
    }

    func testMaxRateHoldsTheRunBelowTheProvidersLimit() throws {
        let base = try serve(["--rate-limit", "10"])
        let script = """
            local list = {}
            for i = 1, 30 do list[i] = i end
            local r = sms.map(list, function() return sms.credit().balance end, {concurrency = 16})
            print(#r)
            """
        let started = Date()
        let r = try SmshProcess.run(["run", "--max-rate", "8", "-e", script], env: env(base))
        let took = Date().timeIntervalSince(started)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "30\n")
        XCTAssertEqual(try stats(base)["throttled"] as? Int, 0, "8/s stays under the provider's 10/s")
        XCTAssertGreaterThan(took, 2.5, "30 requests at 8/s take over 3 s")

        let bad = try SmshProcess.run(["run", "--max-rate", "0", "-e", "print(1)"], env: env(base))
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("--max-rate must be a number of requests per second > 0"), bad.stderr)
        // The profile key, shown by `config show` with its source.
        let config = dir + "/xdg/smsh/config.toml"
        try FileManager.default.createDirectory(atPath: dir + "/xdg/smsh", withIntermediateDirectories: true)
        try "[profiles.ops]\nmax_rate = 8\n".write(toFile: config, atomically: true, encoding: .utf8)
        let shown = try SmshProcess.run(["config", "show", "--profile", "ops"], env: env(base).merging(["XDG_CONFIG_HOME": dir + "/xdg"]) { $1 })
        XCTAssertTrue(shown.stdout.contains("max_rate") && shown.stdout.contains("8/s"), shown.stdout + shown.stderr)
        try "[profiles.ops]\nmax_rate = 0\n".write(toFile: config, atomically: true, encoding: .utf8)
        let refused = try SmshProcess.run(["config", "show", "--profile", "ops"], env: env(base).merging(["XDG_CONFIG_HOME": dir + "/xdg"]) { $1 })
        XCTAssertEqual(refused.status, 2, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("'max_rate' in [profiles.ops] must be a number of requests per second"), refused.stderr)
    }

    func testKillWithSixteenInFlightThenReconcileThenRerunSendsEachTextOnce() throws {
        let base = try serve(["--latency", "400"])
        let rows = 80
        let csv = try contacts(rows)
        let p = Process()
        p.executableURL = SmshProcess.binary
        p.arguments = ["run", "-e", campaign(csv, concurrency: 16)]
        p.environment = ProcessInfo.processInfo.environment.merging(env(base)) { $1 }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        // The first 16 answered, the next 16 on the wire.
        var tries = 0
        while (try stats(base)["acceptedSends"] as? Int ?? 0) < 20, tries < 600 {
            tries += 1
            usleep(20_000)
        }
        usleep(100_000)
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .uncaughtSignal)

        let uncertain = try SmshProcess.run(["journal", "list", "--uncertain"], env: env(base))
        XCTAssertEqual(uncertain.status, 0, uncertain.stderr)
        let open = uncertain.stdout.split(separator: "\n").filter { $0.hasPrefix("storm/") }.count
        XCTAssertGreaterThan(open, 0, "killed with sends in flight: \(uncertain.stdout)")
        XCTAssertLessThanOrEqual(open, 16, "at most the sends in flight are uncertain")

        let rerunBefore = try SmshProcess.run(["-e", campaign(csv, concurrency: 16)], env: env(base))
        XCTAssertEqual(rerunBefore.status, 8, "an uncertain row stops the re-run before it sends: \(rerunBefore.stderr)")

        let reconciled = try SmshProcess.run(["journal", "reconcile", "--forget-unmatched", "--yes"], env: env(base))
        XCTAssertEqual(reconciled.status, 0, reconciled.stdout + reconciled.stderr)
        XCTAssertEqual(try SmshProcess.run(["journal", "list", "--uncertain"], env: env(base)).stdout
            .split(separator: "\n").filter { $0.hasPrefix("storm/") }.count, 0)

        let rerun = try SmshProcess.run(["-e", campaign(csv, concurrency: 16)], env: env(base))
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        try assertEachTextOnce(base, rows: rows)
    }

    /// Tasks sending with once keys, stopped by `signal` while sends are on the wire.
    private func stopTasks(with signal: Int32, expecting status: Int32) throws {
        let base = try serve(["--latency", "300"])
        let script = """
            local tasks = {}
            for t = 1, 8 do
              tasks[t] = sms.spawn(function()
                for i = 1, 50 do
                  sms.send{sender = "SMSHDEMO", content = "t" .. t .. " m" .. i, msisdns = {"0812345678"}, once = "sig-" .. t .. "-" .. i}
                end
              end)
            end
            sms.join(tasks)
            """
        let p = Process()
        p.executableURL = SmshProcess.binary
        p.arguments = ["-e", script]
        p.environment = ProcessInfo.processInfo.environment.merging(env(base)) { $1 }
        let stderr = Pipe()
        p.standardOutput = FileHandle.nullDevice
        p.standardError = stderr
        try p.run()
        var tries = 0
        while (try stats(base)["acceptedSends"] as? Int ?? 0) < 8, tries < 600 {
            tries += 1
            usleep(20_000)
        }
        usleep(100_000)  // the next round is on the wire
        kill(p.processIdentifier, signal)
        p.waitUntilExit()
        let said = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(p.terminationStatus, status, said)
        let accepted = try XCTUnwrap(try stats(base)["acceptedSends"] as? Int)
        XCTAssertLessThan(accepted, 400, "nothing new started after the signal")

        let journal = try SmshProcess.run(["journal", "list"], env: env(base)).stdout.split(separator: "\n")
        XCTAssertEqual(journal.filter { $0.hasPrefix("sig-") && $0.contains("\tdone") }.count, accepted,
                       "every send that reached the server is journaled as done")
        XCTAssertEqual(try SmshProcess.run(["journal", "list", "--uncertain"], env: env(base)).stdout
            .split(separator: "\n").filter { $0.hasPrefix("sig-") }.count, 0, "nothing is left uncertain")
    }

    func testSigtermLetsTheSendsOnTheWireFinishAndExits143() throws {
        try stopTasks(with: SIGTERM, expecting: 143)
    }

    func testCtrlCLetsTheSendsOnTheWireFinishAndExits130() throws {
        try stopTasks(with: SIGINT, expecting: 130)
    }
}

import Foundation
import PostgresTestSupport
import XCTest

/// A fleet of "hosts" (processes of the built binary with separate XDG_STATE_HOMEs and host
/// names) sharing one state store in PostgreSQL (a throw-away cluster), against
/// `smsh serve`: one campaign run by four hosts at once sends each text exactly once; a
/// host killed mid-run is finished by the others and a re-run after its lease expires;
/// `--lock` spans hosts; a store that goes away fails exactly (exit 11, nothing guessed).
final class PostgresFleetTests: XCTestCase {
    var dir: String!
    var base = ""
    var cluster: PostgresCluster!
    var stateURL = ""

    override func setUpWithError() throws {
        let database: String
        do {
            (cluster, database) = try SharedPostgres.newDatabase()
        } catch let e as PostgresCluster.Unavailable {
            throw XCTSkip("no PostgreSQL for the tests: \(e.description)")
        }
        stateURL = cluster.url(database: database)
        dir = "/tmp/smsh-fleet-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let server = try ServeProcess(apiKey: "sk_test_fleet", log: dir + "/serve.log")
        addTeardownBlock { server.stop() }
        base = server.baseURL
        // 200 rows, 200 distinct texts.
        var csv = "phone,name\n"
        for i in 0..<200 { csv += "0812\(String(format: "%06d", i)),N\(i)\n" }
        try csv.write(toFile: dir + "/contacts.csv", atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        try? cluster?.start()
        if let dir { try? FileManager.default.removeItem(atPath: dir) }
    }

    func env(host: Int, _ extra: [String: String] = [:]) -> [String: String] {
        var e = ["SMSH_API_KEY": "sk_test_fleet", "SMSH_BASE_URL": base, "XDG_STATE_HOME": dir + "/state\(host)",
                 "SMSH_PROFILE": "", "SMSH_STATE_URL": stateURL, "SMSH_HOSTNAME": "host\(host)", "SMSH_LEASE_SECONDS": "2"]
        for (k, v) in extra { e[k] = v }
        return e
    }

    func campaign(_ key: String, rate: Int? = nil) -> String {
        """
        local c = sms.campaign{key = "\(key)", sender = "SMSHDEMO", rows = "\(dir!)/contacts.csv",
                               content = "Hello {{name}}"\(rate.map { ", rate = \($0)" } ?? "")}
        print(c.sends, c.resumed)
        """
    }

    func start(_ args: [String], host: Int, env extra: [String: String] = [:], output: String? = nil) throws -> Process {
        let p = Process()
        p.executableURL = SmshProcess.binary
        p.arguments = args
        var full = ProcessInfo.processInfo.environment
        for (k, v) in env(host: host, extra) { full[k] = v }
        p.environment = full
        if let output {
            FileManager.default.createFile(atPath: output, contents: nil)
            let h = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
            p.standardOutput = h
            p.standardError = h
        } else {
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
        }
        try p.run()
        return p
    }

    /// Every message on the server with its text (all pages).
    func serverTexts() throws -> [String] {
        let r = try SmshProcess.run(["-e", """
            for page = 1, 10 do
              local p = sms.messages{limit = 100, page = page}
              if #p.data == 0 then break end
              for _, m in ipairs(p.data) do print(m.content) end
            end
            """], env: env(host: 9, ["SMSH_STATE_URL": ""]))
        XCTAssertEqual(r.status, 0, r.stderr)
        return r.stdout.split(separator: "\n").map(String.init).sorted()
    }

    func journalCount(_ state: String) throws -> Int {
        let r = try SmshProcess.run(["journal", "list"], env: env(host: 9))
        return r.stdout.split(separator: "\n").filter { $0.contains("\t" + state) }.count
    }

    var allTexts: [String] { (0..<200).map { "Hello N\($0)" }.sorted() }

    func testFourHostsRunningOneCampaignAtOnceSendEachTextOnce() throws {
        let outputs = (1...4).map { dir + "/out\($0)" }
        let runs = try (1...4).map { try start(["-e", campaign("fleet")], host: $0, output: outputs[$0 - 1]) }
        for r in runs { r.waitUntilExit() }
        var sends = 0
        for (i, r) in runs.enumerated() {
            let out = (try? String(contentsOfFile: outputs[i], encoding: .utf8)) ?? ""
            XCTAssertEqual(r.terminationStatus, 0, "host \(i + 1): \(out)")
            let fields = out.split(whereSeparator: { $0 == "\t" || $0 == "\n" })
            XCTAssertEqual(fields.count, 2, out)
            sends += Int(fields.first ?? "") ?? 0
            XCTAssertEqual((Int(fields.first ?? "") ?? 0) + (Int(fields.last ?? "") ?? 0), 200, "every host accounts for every row: \(out)")
        }
        XCTAssertEqual(sends, 200, "the hosts together sent each row once")
        XCTAssertEqual(try serverTexts(), allTexts, "the server holds each text exactly once")
        // The hosts' own SQLite files were never used.
        for h in 1...4 { XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/state\(h)/smsh/state.sqlite3"), "host \(h)") }
    }

    func testAHostKilledMidRunIsFinishedByTheOthersAndARerun() throws {
        let runs = try (1...4).map { try start(["-e", campaign("killed", rate: 40)], host: $0) }
        var tries = 0
        while try journalCount("done") < 20, tries < 500 {
            tries += 1
            usleep(20_000)
        }
        kill(runs[0].processIdentifier, SIGKILL)
        for r in runs { r.waitUntilExit() }
        XCTAssertEqual(runs[0].terminationReason, .uncaughtSignal)
        for r in runs.dropFirst() {
            // Finished (0), or stopped at the killed host's intent once its lease expired (8).
            XCTAssertTrue([0, 8].contains(r.terminationStatus), "exit \(r.terminationStatus)")
        }
        // Whatever the killed host left open is resolved from the account's messages.
        let reconcile = try SmshProcess.run(["journal", "reconcile", "--forget-unmatched", "--yes"], env: env(host: 2))
        XCTAssertEqual(reconcile.status, 0, reconcile.stdout + reconcile.stderr)
        let again = try SmshProcess.run(["-e", campaign("killed")], env: env(host: 5))
        XCTAssertEqual(again.status, 0, again.stderr)
        let fields = again.stdout.split(whereSeparator: { $0 == "\t" || $0 == "\n" }).compactMap { Int($0) }
        XCTAssertEqual(fields.reduce(0, +), 200, "the re-run accounts for every row: \(again.stdout)")
        if runs.dropFirst().allSatisfy({ $0.terminationStatus == 0 }) {
            XCTAssertEqual(again.stdout, "0\t200\n", "the others finished it: nothing left for the re-run")
        }
        XCTAssertEqual(try serverTexts(), allTexts, "each text exactly once")
    }

    /// Host 1 holds a key for 4 s (paused after its intent) under a 1 s lease that it renews:
    /// host 2 waits for it and replays its result instead of calling it uncertain; once host 1
    /// is killed in such a pause, host 2 finds the key uncertain after the lease expires.
    func testARenewedLeaseIsWaitedForAndAnExpiredOneIsUncertain() throws {
        let send = "local r = sms.send{sender = 'SMSHDEMO', content = 'leased', msisdns = {'0812345678'}, once = 'lease-1'} print(r.uuid)"
        let lease = ["SMSH_LEASE_SECONDS": "1"]
        let first = try start(["-e", send], host: 1, env: lease.merging(["SMSH_TEST_PAUSE_AFTER_INTENT": "4"]) { $1 }, output: dir + "/h1")
        var tries = 0
        while try journalCount("intent") == 0, tries < 300 {
            tries += 1
            usleep(20_000)
        }
        let second = try SmshProcess.run(["-e", send], env: env(host: 2, lease))
        first.waitUntilExit()
        let firstOut = (try? String(contentsOfFile: dir + "/h1", encoding: .utf8)) ?? ""
        XCTAssertEqual(first.terminationStatus, 0, firstOut)
        XCTAssertEqual(second.status, 0, "waited past several lease periods: \(second.stderr)")
        XCTAssertEqual(second.stdout, firstOut, "host 2 replays host 1's send")
        XCTAssertEqual(try serverTexts(), ["leased"])

        let killed = "sms.send{sender = 'SMSHDEMO', content = 'killed', msisdns = {'0812345678'}, once = 'lease-2'}"
        let holder = try start(["-e", killed], host: 1, env: lease.merging(["SMSH_TEST_PAUSE_AFTER_INTENT": "30"]) { $1 })
        tries = 0
        while try journalCount("intent") == 0, tries < 300 {
            tries += 1
            usleep(20_000)
        }
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        let started = Date()
        let after = try SmshProcess.run(["-e", killed], env: env(host: 2, lease))
        XCTAssertEqual(after.status, 8, after.stderr)
        XCTAssertTrue(after.stderr.contains("JOURNAL_UNCERTAIN"), after.stderr)
        XCTAssertTrue(after.stderr.contains("on host1"), after.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "decided once the lease expired")
        XCTAssertEqual(try serverTexts(), ["leased"], "the uncertain key was not sent again")
    }

    func testTheLockSpansHosts() throws {
        let script = dir + "/hold.lua"
        try "print('holding') io.stdout:flush() os.execute('sleep 3') print('held')\n".write(toFile: script, atomically: true, encoding: .utf8)
        let holder = try start(["run", "--lock", "nightly", script], host: 1, output: dir + "/holder")
        defer { holder.waitUntilExit() }
        // Host 1 holds the lock once its script runs.
        for _ in 0..<300 where !((try? String(contentsOfFile: dir + "/holder", encoding: .utf8)) ?? "").contains("holding") {
            usleep(20_000)
        }
        var refused: SmshProcess.Result?
        for _ in 0..<100 {
            let r = try SmshProcess.run(["run", "--lock", "nightly", "-e", "print('ran')"], env: env(host: 2))
            if r.status == 4 { refused = r; break }
            usleep(30_000)
        }
        let r = try XCTUnwrap(refused, "host 2 was never refused; host 1 said: \((try? String(contentsOfFile: dir + "/holder", encoding: .utf8)) ?? "")")
        XCTAssertTrue(r.stderr.contains("lock 'nightly' is held by another run (pid \(holder.processIdentifier) on host1); not starting"), r.stderr)
        XCTAssertEqual(r.stdout, "")
        // Without the shared store each host has its own lock: host 2 would have run.
        let local = try SmshProcess.run(["run", "--lock", "nightly", "-e", "print('ran')"], env: env(host: 2, ["SMSH_STATE_URL": ""]))
        XCTAssertEqual(local.stdout, "ran\n", local.stderr)
        holder.waitUntilExit()
        XCTAssertEqual(holder.terminationStatus, 0)
        let after = try SmshProcess.run(["run", "--lock", "nightly", "-e", "print('ran')"], env: env(host: 2))
        XCTAssertEqual(after.status, 0, after.stderr)
        XCTAssertEqual(after.stdout, "ran\n")
    }

    func testAStoreUnreachableBeforeASendSendsNothingAndExits11() throws {
        let url = "postgresql://smsh:Pa55-word@127.0.0.1:1/smsh?sslmode=disable"
        let r = try SmshProcess.run(["-e", "sms.send{sender = 'SMSHDEMO', content = 'x', msisdns = {'0812345678'}, once = 'k1'}"],
                                    env: env(host: 1, ["SMSH_STATE_URL": url]))
        XCTAssertEqual(r.status, 11, r.stderr)
        XCTAssertTrue(r.stderr.contains("STATE_STORE"), r.stderr)
        XCTAssertTrue(r.stderr.contains("postgresql://smsh:***@127.0.0.1:1/smsh"), r.stderr)
        XCTAssertTrue(r.stderr.contains("nothing was sent"), r.stderr)
        XCTAssertFalse(r.stderr.contains("Pa55-word"), r.stderr)
        XCTAssertEqual(try serverTexts(), [])
        // The same URL in `journal path` and `config show`: masked.
        let path = try SmshProcess.run(["journal", "path"], env: env(host: 1, ["SMSH_STATE_URL": url]))
        XCTAssertEqual(path.stdout, "postgresql://smsh:***@127.0.0.1:1/smsh?sslmode=disable\n")
        let show = try SmshProcess.run(["config", "show"], env: env(host: 1, ["SMSH_STATE_URL": url]))
        XCTAssertTrue(show.stdout.contains("postgresql://smsh:***@127.0.0.1:1/smsh"), show.stdout)
        XCTAssertFalse(show.stdout.contains("Pa55-word"), show.stdout)
        let list = try SmshProcess.run(["journal", "list"], env: env(host: 1, ["SMSH_STATE_URL": url]))
        XCTAssertEqual(list.status, 11, list.stderr)
        XCTAssertFalse(list.stderr.contains("Pa55-word"), list.stderr)
    }

    func testTheStoreStoppedMidRunStopsTheRunAndLeavesNothingSilentlyFree() throws {
        let summary = dir + "/summary.json"
        let run = try start(["run", "--summary", summary, "-e", campaign("stopped", rate: 20)], host: 1, output: dir + "/run.out")
        var tries = 0
        while try journalCount("done") < 10, tries < 500 {
            tries += 1
            usleep(20_000)
        }
        try cluster.stop()
        run.waitUntilExit()
        let out = (try? String(contentsOfFile: dir + "/run.out", encoding: .utf8)) ?? ""
        XCTAssertEqual(run.terminationStatus, 11, out)
        XCTAssertTrue(out.contains("STATE_STORE"), out)
        XCTAssertTrue(out.contains(stateURL.components(separatedBy: "?")[0]), out)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: summary))) as? [String: Any])
        XCTAssertEqual(report["exitCode"] as? Int, 11)
        let summaryUUIDs = Set(((report["sends"] as? [[String: Any]]) ?? []).compactMap { $0["uuid"] as? String })
        try cluster.start()
        // Every message the server holds is journaled as done, or (its outcome lost with the
        // store) its uuid was reported and its key is still an intent for reconcile.
        let texts = try serverTexts()
        let done = try journalCount("done")
        let open = try journalCount("intent")
        XCTAssertGreaterThanOrEqual(texts.count, done, "texts \(texts.count), done \(done), intents \(open)")
        XCTAssertLessThanOrEqual(texts.count, done + open, "a sent text's key is done or still an intent, never free")
        XCTAssertGreaterThanOrEqual(summaryUUIDs.count, texts.count, "every send's uuid is in the summary")
        if texts.count > done {
            XCTAssertTrue(out.contains("uuid"), out)
        }
        // The re-run refuses to guess about open intents, or finishes the rest: each text once.
        let reconcile = try SmshProcess.run(["journal", "reconcile", "--forget-unmatched", "--yes"], env: env(host: 1))
        XCTAssertEqual(reconcile.status, 0, reconcile.stdout + reconcile.stderr)
        let again = try SmshProcess.run(["-e", campaign("stopped")], env: env(host: 1))
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try serverTexts(), allTexts, "each text exactly once")
    }

    func testAHostsHistoryIsExportedAndImportedIntoTheSharedStore() throws {
        // Host 1 alone, on its own SQLite file.
        let local = env(host: 1, ["SMSH_STATE_URL": ""])
        let send = "sms.send{sender = 'SMSHDEMO', content = 'once', msisdns = {'0812345678'}, once = 'nightly-1'}"
        XCTAssertEqual(try SmshProcess.run(["-e", send], env: local).status, 0)
        let export = try SmshProcess.run(["journal", "export"], env: local)
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertEqual(export.stdout.split(separator: "\n").count, 1)
        try export.stdout.write(toFile: dir + "/h1.jsonl", atomically: true, encoding: .utf8)
        let imported = try SmshProcess.run(["journal", "import", dir + "/h1.jsonl"], env: env(host: 2))
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertTrue(imported.stdout.hasPrefix("imported 1, skipped 0 already present"), imported.stdout)
        let twice = try SmshProcess.run(["journal", "import", dir + "/h1.jsonl"], env: env(host: 2))
        XCTAssertTrue(twice.stdout.hasPrefix("imported 0, skipped 1 already present"), twice.stdout)
        // Another host now replays the key instead of sending it again.
        let replay = try SmshProcess.run(["-e", send], env: env(host: 3))
        XCTAssertEqual(replay.status, 0, replay.stderr)
        XCTAssertEqual(try serverTexts(), ["once"])
        // A conflicting entry (same key, another uuid) is refused by name.
        let conflicting = export.stdout.replacingOccurrences(of: #""uuid":""#, with: #""uuid":"x-"#)
        try conflicting.write(toFile: dir + "/bad.jsonl", atomically: true, encoding: .utf8)
        let refused = try SmshProcess.run(["journal", "import", dir + "/bad.jsonl"], env: env(host: 2))
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("'nightly-1'"), refused.stderr)
        XCTAssertTrue(refused.stdout.contains("refused 1 conflicting"), refused.stdout)
    }
}

import Foundation
import TLSTestSupport
import XCTest

/// `--metrics FILE.prom` and `--metrics-push URL` end to end with the built binary: the file's
/// exact figures after a run with sends against `smsh serve`, after a script error, `os.exit(3)`,
/// a held lock and a usage error; written atomically; accepted by promtool; pushed to a real
/// Pushgateway (Debian's prometheus-pushgateway, started here on a loopback port).
final class MetricsTests: XCTestCase {
    var state: String!

    override func setUpWithError() throws {
        state = "/tmp/smsh-metrics-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        addTeardownBlock { [state] in try? FileManager.default.removeItem(atPath: state!) }
    }

    func serve() throws -> String {
        let server = try ServeProcess(apiKey: "sk_test_metrics", log: state + "/serve-\(UUID().uuidString.prefix(6)).log")
        addTeardownBlock { server.stop() }
        return server.baseURL
    }

    /// A scratch HOME (no operator profile) on `base` when given, else nothing set.
    func env(_ base: String? = nil, _ extra: [String: String] = [:]) -> [String: String] {
        var e = ["HOME": state!, "XDG_CONFIG_HOME": state + "/config", "XDG_STATE_HOME": state + "/state",
                 "SMSH_API_KEY": "", "SMSH_BASE_URL": "", "SMSH_PROFILE": ""]
        if let base {
            e["SMSH_API_KEY"] = "sk_test_metrics"
            e["SMSH_BASE_URL"] = base
        }
        for (k, v) in extra { e[k] = v }
        return e
    }

    /// The file's samples: `name{labels}` → value.
    func samples(_ path: String) throws -> [String: String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            out[String(line[..<space])] = String(line[line.index(after: space)...])
        }
        return out
    }

    let sendScript = #"""
        local a = sms.send{sender = "SMSHDEMO", content = "one", msisdns = {"0812345678", "0812345679"}, once = "m-1"}
        local b = sms.send{sender = "SMSHDEMO", content = "two", msisdns = {"0812345670", "0812345671", "0812345672"}}
        local c = sms.send{sender = "SMSHDEMO", content = "one", msisdns = {"0812345678", "0812345679"}, once = "m-1"}
        assert(c.replayed and c.uuid == a.uuid)
        print(sms.credit().balance)
        """#

    func testASuccessfulRunWithSendsWritesTheExactFigures() throws {
        let base = try serve()
        let script = try SmshProcess.script("nightly.lua", sendScript)
        let prom = state + "/nightly.prom", summary = state + "/summary.json"
        let before = Date().timeIntervalSince1970
        let r = try SmshProcess.run(["run", "--metrics", prom, "--summary", summary, script], env: env(base))
        XCTAssertEqual(r.status, 0, r.stderr)
        let s = try samples(prom)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: summary))) as? [String: Any]
        let credits = try XCTUnwrap(json?["credits"] as? Double)
        XCTAssertGreaterThan(credits, 0)
        let l = #"{script="nightly.lua"}"#
        XCTAssertEqual(s["smsh_sends_total" + l], "2")
        XCTAssertEqual(s["smsh_recipients_total" + l], "5")
        XCTAssertEqual(s["smsh_credits_spent_total" + l].flatMap(Double.init), credits)
        XCTAssertEqual(s["smsh_journal_replays_total" + l], "1")
        XCTAssertEqual(s[#"smsh_api_requests_total{operation="send",code="200",script="nightly.lua"}"#], "2")
        XCTAssertEqual(s[#"smsh_api_requests_total{operation="credit",code="200",script="nightly.lua"}"#], "1")
        XCTAssertEqual(s.keys.filter { $0.hasPrefix("smsh_api_requests_total") }.count, 2, "\(s)")
        XCTAssertEqual(s["smsh_retries_total" + l], "0")
        XCTAssertEqual(s["smsh_throttled_total" + l], "0")
        XCTAssertEqual(s["smsh_exit_code" + l], "0.0")
        XCTAssertFalse(s.keys.contains { $0.hasPrefix("smsh_errors_total") }, "\(s)")
        let duration = try XCTUnwrap(s["smsh_run_duration_seconds" + l].flatMap(Double.init))
        XCTAssertTrue(duration > 0 && duration < 60, "\(duration)")
        let success = try XCTUnwrap(s["smsh_last_success_timestamp_seconds" + l].flatMap(Double.init))
        XCTAssertTrue(success >= before.rounded(.down) && success <= Date().timeIntervalSince1970 + 1, "\(success)")
        try assertPromtoolAccepts(prom)
        // Written atomically: nothing left beside it.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: state).filter { $0.contains(".tmp-") }, [])
    }

    func testAScriptErrorWritesExitCode1TheErrorAndNoLastSuccess() throws {
        let prom = state + "/e.prom"
        let r = try SmshProcess.run(["--sandbox", "--metrics", prom, "-e", "sms.credit() error('boom')"], env: env())
        XCTAssertEqual(r.status, 1, r.stderr)
        let s = try samples(prom)
        XCTAssertEqual(s[#"smsh_exit_code{script="command-line"}"#], "1.0", "\(s)")
        XCTAssertEqual(s[#"smsh_errors_total{code="SCRIPT_ERROR",script="command-line"}"#], "1", "\(s)")
        XCTAssertEqual(s[#"smsh_api_requests_total{operation="credit",code="200",script="command-line"}"#], "1", "\(s)")
        XCTAssertFalse(s.keys.contains { $0.hasPrefix("smsh_last_success_timestamp_seconds") })
        try assertPromtoolAccepts(prom)
    }

    func testOsExitWritesItsCode() throws {
        let prom = state + "/x.prom"
        let script = try SmshProcess.script("exits.lua", "print('bye') os.exit(3)")
        let r = try SmshProcess.run(["--sandbox", "--metrics", prom, script], env: env())
        XCTAssertEqual(r.status, 3, r.stderr)
        XCTAssertEqual(r.stdout, "bye\n")
        let s = try samples(prom)
        XCTAssertEqual(s[#"smsh_exit_code{script="exits.lua"}"#], "3.0", "\(s)")
        XCTAssertFalse(s.keys.contains { $0.hasPrefix("smsh_last_success_timestamp_seconds") })
        // os.exit(true) is a success.
        let ok = try SmshProcess.run(["--sandbox", "--metrics", prom, "-e", "os.exit(true)"], env: env())
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertNotNil(try samples(prom)[#"smsh_last_success_timestamp_seconds{script="command-line"}"#])
    }

    /// SIGTERM (cron, systemd) stops the script as Ctrl-C does: exit 143, and the figures.
    func testSIGTERMWritesExitCode143() throws {
        let prom = state + "/term.prom"
        let started = state + "/started"
        let p = Process()
        p.executableURL = SmshProcess.binary
        p.arguments = ["--sandbox", "--metrics", prom, "-e", "sms.credit() io.open('\(started)', 'w'):close() while true do end"]
        var full = ProcessInfo.processInfo.environment
        for (k, v) in env() { full[k] = v }
        p.environment = full
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: started) { usleep(50_000) }
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 143)
        let s = try samples(prom)
        XCTAssertEqual(s[#"smsh_exit_code{script="command-line"}"#], "143.0", "\(s)")
        XCTAssertEqual(s[#"smsh_errors_total{code="INTERRUPTED",script="command-line"}"#], "1", "\(s)")
        XCTAssertEqual(s[#"smsh_api_requests_total{operation="credit",code="200",script="command-line"}"#], "1", "\(s)")
    }

    func testAHeldLockWritesExitCode4AndLockHeld() throws {
        let holder = Process()
        holder.executableURL = SmshProcess.binary
        // io.read() on a pipe never written keeps the holder alive until it is killed.
        holder.arguments = ["run", "--lock", "nightly", "-e", "io.read()"]
        let input = Pipe()
        holder.standardInput = input
        var full = ProcessInfo.processInfo.environment
        for (k, v) in env() { full[k] = v }
        holder.environment = full
        holder.standardOutput = FileHandle.nullDevice
        holder.standardError = FileHandle.nullDevice
        try holder.run()
        addTeardownBlock { kill(holder.processIdentifier, SIGKILL); holder.waitUntilExit() }
        let lockFile = state + "/state/smsh/locks/nightly.lock"
        for _ in 0..<200 where !(((try? String(contentsOfFile: lockFile, encoding: .utf8)) ?? "").contains("\(holder.processIdentifier)")) {
            usleep(50_000)
        }
        let prom = state + "/lock.prom"
        let script = try SmshProcess.script("nightly.lua", "print('ran')")
        let r = try SmshProcess.run(["run", "--lock", "nightly", "--metrics", prom, script], env: env())
        XCTAssertEqual(r.status, 4, r.stderr)
        XCTAssertEqual(r.stdout, "")
        let s = try samples(prom)
        XCTAssertEqual(s[#"smsh_exit_code{script="nightly.lua"}"#], "4.0", "\(s)")
        XCTAssertEqual(s[#"smsh_errors_total{code="LOCK_HELD",script="nightly.lua"}"#], "1", "\(s)")
        XCTAssertEqual(s[#"smsh_sends_total{script="nightly.lua"}"#], "0")
        try assertPromtoolAccepts(prom)
    }

    /// A usage error found after the options were parsed (no recipients) still writes the
    /// figures, with exit code 2; a one-off command's `script` is its name.
    func testOneOffCommandsWriteMetricsAlsoOnAUsageError() throws {
        let prom = state + "/credit.prom"
        let ok = try SmshProcess.run(["credit", "--sandbox", "--metrics", prom], env: env())
        XCTAssertEqual(ok.status, 0, ok.stderr)
        var s = try samples(prom)
        XCTAssertEqual(s[#"smsh_api_requests_total{operation="credit",code="200",script="credit"}"#], "1", "\(s)")
        XCTAssertEqual(s[#"smsh_exit_code{script="credit"}"#], "0.0")
        XCTAssertNotNil(s[#"smsh_last_success_timestamp_seconds{script="credit"}"#])

        let bad = state + "/send.prom"
        let r = try SmshProcess.run(["send", "--sandbox", "--metrics", bad, "--text", "hi"], env: env())
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("give the recipients"), r.stderr)
        s = try samples(bad)
        XCTAssertEqual(s[#"smsh_exit_code{script="send"}"#], "2.0", "\(s)")
        XCTAssertEqual(s[#"smsh_sends_total{script="send"}"#], "0", "\(s)")

        let typo = state + "/typo.prom"
        let t = try SmshProcess.run(["run", "--sandbox", "--metrics", typo, "credti"], env: env())
        XCTAssertEqual(t.status, 2, t.stderr)
        XCTAssertEqual(try samples(typo)[#"smsh_exit_code{script="credti"}"#], "2.0")
    }

    func testAMetricsFileThatCannotBeWrittenStopsTheRunBeforeItStarts() throws {
        for path in ["/nonexistent-\(UUID().uuidString.prefix(6))/m.prom", state!] {
            let r = try SmshProcess.run(["--sandbox", "--metrics", path, "-e", "print('started')"], env: env())
            XCTAssertEqual(r.status, 2, r.stderr)
            XCTAssertEqual(r.stdout, "")
            XCTAssertTrue(r.stderr.hasPrefix("smsh: --metrics \(path): cannot write the metrics there: "), r.stderr)
            XCTAssertTrue(r.stderr.contains("nothing was run"), r.stderr)
        }
    }

    /// A reader polling the file while runs replace it sees either the old or the new file,
    /// whole, never a part of one.
    func testTheFileIsReplacedAtomically() throws {
        let prom = state + "/atomic.prom"
        let script = try SmshProcess.script("atomic.lua", "for i = 1, 20 do sms.credit() end")
        XCTAssertEqual(try SmshProcess.run(["--sandbox", "--metrics", prom, script], env: env()).status, 0)
        let seen = ReaderLog()
        let reader = Thread {
            while !seen.done {
                if let text = try? String(contentsOfFile: prom, encoding: .utf8) {
                    seen.read(text, whole: text.hasSuffix("\n") && text.contains("smsh_exit_code{") && text.contains("smsh_sends_total{"))
                }
            }
        }
        reader.start()
        for _ in 0..<6 {
            let r = try SmshProcess.run(["--sandbox", "--metrics", prom, script], env: env())
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        seen.done = true
        while !reader.isFinished { usleep(1000) }
        let (reads, partial) = seen.result
        XCTAssertGreaterThan(reads, 10)
        XCTAssertEqual(partial, [])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: state).filter { $0.contains(".tmp-") }, [])
    }

    func testProfileKeysSetTheTargetsAndConfigShowNamesTheirSource() throws {
        let config = state + "/config/smsh"
        try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
        try """
            default_profile = "cron"
            [profiles.cron]
            sandbox = true
            metrics_file = "\(state!)/cron.prom"
            metrics_push = "http://ops:hunter2@127.0.0.1:9"
            """.write(toFile: config + "/config.toml", atomically: true, encoding: .utf8)
        let show = try SmshProcess.run(["config", "show"], env: env())
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertTrue(show.stdout.contains("metrics_file        ~/cron.prom"), show.stdout)
        XCTAssertTrue(show.stdout.contains("(profile cron: metrics_file)"), show.stdout)
        XCTAssertTrue(show.stdout.contains("http://ops:***@127.0.0.1:9"), show.stdout)
        XCTAssertTrue(show.stdout.contains("(profile cron: metrics_push)"), show.stdout)
        XCTAssertFalse(show.stdout.contains("hunter2"))

        // The profile's file is written; its Pushgateway is down: a warning, the exit code unchanged.
        let r = try SmshProcess.run(["-e", "print(sms.credit().balance)"], env: env())
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("smsh: metrics push to http://ops:***@127.0.0.1:9 failed: "), r.stderr)
        XCTAssertFalse(r.stderr.contains("hunter2"), r.stderr)
        XCTAssertEqual(try samples(state + "/cron.prom")[#"smsh_exit_code{script="command-line"}"#], "0.0")

        // A flag beats the profile.
        let flagged = state + "/flag.prom"
        let f = try SmshProcess.run(["--metrics", flagged, "--metrics-push", "http://127.0.0.1:9", "-e", "os.exit(5)"], env: env())
        XCTAssertEqual(f.status, 5, f.stderr)
        XCTAssertTrue(f.stderr.contains("smsh: metrics push to http://127.0.0.1:9 failed: "), f.stderr)
        XCTAssertEqual(try samples(flagged)[#"smsh_exit_code{script="command-line"}"#], "5.0")
    }

    // MARK: a real Pushgateway

    func testAPushReachesAPushgatewayAndAFailedRunKeepsTheLastSuccess() throws {
        let gateway = try PushgatewayProcess.start(in: state)
        addTeardownBlock { gateway.stop() }
        let base = try serve()
        let script = try SmshProcess.script("push-job.lua", sendScript)
        let r = try SmshProcess.run(["run", "--metrics-push", gateway.url, script], env: env(base))
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertFalse(r.stderr.contains("metrics push"), r.stderr)
        var served = try gateway.metrics()
        let group = #"instance="",job="smsh",script="push-job.lua""#
        XCTAssertTrue(served.contains("smsh_sends_total{\(group)} 2\n"), served)
        XCTAssertTrue(served.contains("smsh_recipients_total{\(group)} 5\n"), served)
        XCTAssertTrue(served.contains(#"smsh_api_requests_total{code="200",instance="",job="smsh",operation="send",script="push-job.lua"} 2"#), served)
        XCTAssertTrue(served.contains("smsh_exit_code{\(group)} 0\n"), served)
        let success = try XCTUnwrap(Self.value(of: "smsh_last_success_timestamp_seconds{\(group)}", in: served))

        // A failed run of the same script: its exit code and figures arrive, the last success stays.
        let failing = try SmshProcess.script("push-job.lua", "error('boom')")
        let f = try SmshProcess.run(["run", "--sandbox", "--metrics-push", gateway.url, failing], env: env())
        XCTAssertEqual(f.status, 1, f.stderr)
        served = try gateway.metrics()
        XCTAssertTrue(served.contains("smsh_exit_code{\(group)} 1\n"), served)
        XCTAssertTrue(served.contains("smsh_sends_total{\(group)} 0\n"), served)
        XCTAssertEqual(Self.value(of: "smsh_last_success_timestamp_seconds{\(group)}", in: served), success, served)

        // A one-off command groups under its own name.
        let c = try SmshProcess.run(["credit", "--sandbox", "--metrics-push", gateway.url], env: env())
        XCTAssertEqual(c.status, 0, c.stderr)
        XCTAssertTrue(try gateway.metrics().contains(#"smsh_api_requests_total{code="200",instance="",job="smsh",operation="credit",script="credit"} 1"#))
    }

    static func value(of series: String, in text: String) -> String? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.map { String($0.dropFirst(series.count + 1)) }
    }

    func assertPromtoolAccepts(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool") else {
            print("MetricsTests: promtool not installed (apt prometheus; scripts/bootstrap installs it): not checked")
            return
        }
        let r = try SmshProcess.run(executable: "/bin/sh", ["-c", "/usr/bin/promtool check metrics < '\(path)' 2>&1"])
        XCTAssertEqual(r.status, 0, r.stdout, file: file, line: line)
        XCTAssertEqual(r.stdout, "", "promtool's remarks", file: file, line: line)
    }
}

/// What the atomic-file test's reader saw, shared with it under a lock.
final class ReaderLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stop = false
    private var reads = 0
    private var partial: [String] = []
    var done: Bool {
        get { lock.lock(); defer { lock.unlock() }; return stop }
        set { lock.lock(); stop = newValue; lock.unlock() }
    }
    func read(_ text: String, whole: Bool) {
        lock.lock()
        reads += 1
        if !whole { partial.append(text) }
        lock.unlock()
    }
    var result: (Int, [String]) { lock.lock(); defer { lock.unlock() }; return (reads, partial) }
}

/// Debian's prometheus-pushgateway on a free loopback port, no persistence; stopped by `stop()`.
final class PushgatewayProcess {
    let process = Process()
    let url: String

    private init(port: Int) {
        url = "http://127.0.0.1:\(port)"
    }

    static func start(in dir: String) throws -> PushgatewayProcess {
        let binary = "/usr/bin/prometheus-pushgateway"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw XCTSkip("prometheus-pushgateway not installed (apt prometheus-pushgateway; scripts/bootstrap installs it)")
        }
        let gateway = PushgatewayProcess(port: try freeLoopbackPort())
        gateway.process.executableURL = URL(fileURLWithPath: binary)
        gateway.process.arguments = ["--web.listen-address=" + gateway.url.dropFirst("http://".count)]
        let log = dir + "/pushgateway.log"
        FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        gateway.process.standardOutput = handle
        gateway.process.standardError = handle
        try gateway.process.run()
        for _ in 0..<100 {
            if (try? SmshProcess.run(executable: "/usr/bin/curl", ["-fsS", gateway.url + "/-/ready"]))?.status == 0 { return gateway }
            usleep(100_000)
        }
        gateway.stop()
        XCTFail("the Pushgateway did not start: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        return gateway
    }

    func metrics() throws -> String {
        let r = try SmshProcess.run(executable: "/usr/bin/curl", ["-fsS", url + "/metrics"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return r.stdout
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}

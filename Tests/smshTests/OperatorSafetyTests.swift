import Foundation
import XCTest

/// Budget caps, the send-once journal (including a crash between intent and send), run locks
/// and exit codes, end to end against `smsh serve`.
final class OperatorSafetyTests: XCTestCase {
    var state: String!

    override func setUpWithError() throws {
        state = "/tmp/smsh-safety-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
    }

    /// `smsh serve` on a free port; returns (process, base URL).
    func serve(_ extra: [String] = []) throws -> (Process, String) {
        let server = try ServeProcess(
            apiKey: "sk_test_safety", extra: extra, log: state + "/serve-\(UUID().uuidString.prefix(6)).log")
        addTeardownBlock { server.stop() }
        return (server.process, server.baseURL)
    }

    /// The simulator's count of sends that created a message (`GET /_sim/stats`), read with curl.
    func acceptedSends(_ base: String) throws -> Int {
        let out = state + "/stats-\(UUID().uuidString.prefix(6)).json"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["curl", "-fsS", "-o", out, base + "/_sim/stats"]
        try p.run()
        p.waitUntilExit()
        let data = try Data(contentsOf: URL(fileURLWithPath: out))
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return (json?["acceptedSends"] as? Int) ?? -1
    }

    func env(_ base: String) -> [String: String] {
        ["SMSH_API_KEY": "sk_test_safety", "SMSH_BASE_URL": base, "XDG_STATE_HOME": state]
    }

    let onceScript = #"local r = sms.send{sender = "SMSHDEMO", content = "once", msisdns = {"0812345678"}, once = "job-1"} print(r.replayed, r.uuid)"#

    func testOnceSendsOnlyOnceAcrossRuns() throws {
        let (_, base) = try serve()
        let first = try SmshProcess.run(["-e", onceScript], env: env(base))
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.hasPrefix("false\t"), first.stdout)
        let second = try SmshProcess.run(["-e", onceScript], env: env(base))
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.hasPrefix("true\t"), second.stdout)
        XCTAssertEqual(first.stdout.split(separator: "\t").last, second.stdout.split(separator: "\t").last, "same uuid")
        XCTAssertEqual(try acceptedSends(base), 1)
        let list = try SmshProcess.run(["journal", "list"], env: env(base))
        XCTAssertTrue(list.stdout.contains("job-1\tdone"), list.stdout)
    }

    func testKillBetweenIntentAndSendNeverDoubleSendsAndTellsTheOperator() throws {
        let (_, base) = try serve()
        var environment = env(base)
        environment["SMSH_TEST_PAUSE_AFTER_INTENT"] = "30"
        // Start a run that pauses right after writing its intent, then kill -9 it there.
        let p = Process()
        p.executableURL = SmshProcess.binary
        p.arguments = ["-e", onceScript]
        var full = ProcessInfo.processInfo.environment
        for (k, v) in environment { full[k] = v }
        p.environment = full
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        for _ in 0..<200 {
            if (try? SmshProcess.run(["journal", "list"], env: env(base)))?.stdout.contains("job-1\tintent") == true { break }
            usleep(50_000)
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()

        let rerun = try SmshProcess.run(["-e", onceScript], env: env(base))
        XCTAssertEqual(rerun.status, 8, "JOURNAL_UNCERTAIN has its own exit code")
        XCTAssertTrue(rerun.stderr.contains("JOURNAL_UNCERTAIN"), rerun.stderr)
        XCTAssertTrue(rerun.stderr.contains("smsh journal forget job-1"), rerun.stderr)
        XCTAssertEqual(try acceptedSends(base), 0, "nothing reached the simulator")

        let forget = try SmshProcess.run(["journal", "forget", "job-1"], env: env(base))
        XCTAssertEqual(forget.status, 0, forget.stderr)
        XCTAssertEqual(try SmshProcess.run(["-e", onceScript], env: env(base)).status, 0)
        XCTAssertEqual(try SmshProcess.run(["-e", onceScript], env: env(base)).status, 0)
        XCTAssertEqual(try acceptedSends(base), 1, "at most one send")
    }

    func testBudgetInsufficientCreditAndUnavailableExitCodes() throws {
        let (_, base) = try serve(["--credit", "3"])
        let send = #"sms.send{sender = "SMSHDEMO", content = "x", msisdns = {"0812345678", "0812345679"}}"#
        let budget = try SmshProcess.run(["run", "--max-credits", "1", "-e", send], env: env(base))
        XCTAssertEqual(budget.status, 3, budget.stderr)
        XCTAssertTrue(budget.stderr.contains("BUDGET_EXCEEDED"), budget.stderr)
        XCTAssertEqual(try acceptedSends(base), 0)

        let poor = try SmshProcess.run(["-e", send + "; " + send], env: env(base))
        XCTAssertEqual(poor.status, 5, poor.stderr)
        XCTAssertTrue(poor.stderr.contains("INSUFFICIENT_CREDITS (402)"), poor.stderr)
        XCTAssertEqual(try acceptedSends(base), 1)

        var closed = env(base)
        closed["SMSH_BASE_URL"] = "http://127.0.0.1:9"
        let down = try SmshProcess.run(["-e", "sms.credit()"], env: closed)
        XCTAssertEqual(down.status, 6, down.stderr)
        XCTAssertTrue(down.stderr.contains("NETWORK"), down.stderr)
        XCTAssertFalse(down.stderr.contains("sk_test_safety"), "the key never appears")

        var wrongKey = env(base)
        wrongKey["SMSH_API_KEY"] = "sk_test_wrong"
        let refused = try SmshProcess.run(["-e", "sms.credit()"], env: wrongKey)
        XCTAssertEqual(refused.status, 7, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("UNAUTHORIZED"), refused.stderr)
        XCTAssertFalse(refused.stderr.contains("sk_test_wrong"), "the key never appears")
    }

    func testLockRefusesASecondRunAndTakesOverAStaleOne() throws {
        let holder = Process()
        holder.executableURL = SmshProcess.binary
        holder.arguments = ["run", "--lock", "nightly", "-e", "os.execute('sleep 20')"]
        var full = ProcessInfo.processInfo.environment
        full["XDG_STATE_HOME"] = state
        holder.environment = full
        holder.standardOutput = FileHandle.nullDevice
        holder.standardError = FileHandle.nullDevice
        try holder.run()
        let lockFile = state + "/smsh/locks/nightly.lock"
        for _ in 0..<200 where !(((try? String(contentsOfFile: lockFile, encoding: .utf8)) ?? "").contains("\(holder.processIdentifier)")) {
            usleep(50_000)
        }
        let second = try SmshProcess.run(["run", "--lock", "nightly", "-e", "print('ran')"], env: ["XDG_STATE_HOME": state])
        XCTAssertEqual(second.status, 4)
        XCTAssertTrue(second.stderr.contains("lock 'nightly' is held by another run (pid \(holder.processIdentifier))"), second.stderr)
        XCTAssertEqual(second.stdout, "")

        kill(holder.processIdentifier, SIGKILL)  // dies holding the lock
        holder.waitUntilExit()
        let third = try SmshProcess.run(["run", "--lock", "nightly", "-e", "print('ran')"], env: ["XDG_STATE_HOME": state])
        XCTAssertEqual(third.status, 0, third.stderr)
        XCTAssertEqual(third.stdout, "ran\n")
    }

    /// The lock's descriptor is close-on-exec: a background child of a killed run must not
    /// keep the lock, or the next night's run would be refused until the child ends.
    func testALockIsNotInheritedByChildProcesses() throws {
        let childPidFile = state + "/child.pid"
        let holder = Process()
        holder.executableURL = SmshProcess.binary
        holder.arguments = ["run", "--lock", "cloexec", "-e",
                            "os.execute('sleep 30 & echo $! > \(childPidFile)'); io.read()"]
        var full = ProcessInfo.processInfo.environment
        full["XDG_STATE_HOME"] = state
        holder.environment = full
        holder.standardOutput = FileHandle.nullDevice
        holder.standardError = FileHandle.nullDevice
        let input = Pipe()  // never written: io.read() keeps the run alive until it is killed
        holder.standardInput = input
        try holder.run()
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: childPidFile) { usleep(50_000) }
        usleep(100_000)
        let childPid = Int32(((try? String(contentsOfFile: childPidFile, encoding: .utf8)) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines))
        addTeardownBlock { if let childPid { kill(childPid, SIGKILL) } }
        XCTAssertNotNil(childPid, "the script started its background child")
        let refused = try SmshProcess.run(["run", "--lock", "cloexec", "-e", "print('ran')"], env: ["XDG_STATE_HOME": state])
        XCTAssertEqual(refused.status, 4, "the live run holds the lock: \(refused.stderr)")

        kill(holder.processIdentifier, SIGKILL)
        // Not waitUntilExit: Foundation's Process waits until every inheritor of its exit
        // pipe is gone (the background child too), which would hide the bug.
        let stat = "/proc/\(holder.processIdentifier)/stat"
        for _ in 0..<100 {
            guard let text = try? String(contentsOfFile: stat, encoding: .utf8),
                  let close = text.lastIndex(of: ")") else { break }
            if text[text.index(close, offsetBy: 2)] == "Z" { break }
            usleep(20_000)
        }
        if let childPid { XCTAssertEqual(kill(childPid, 0), 0, "the background child outlives the run") }
        let next = try SmshProcess.run(["run", "--lock", "cloexec", "-e", "print('ran')"], env: ["XDG_STATE_HOME": state])
        XCTAssertEqual(next.status, 0, "the lock is free at once: \(next.stderr)")
        XCTAssertEqual(next.stdout, "ran\n")
        if let childPid { kill(childPid, SIGKILL) }
        holder.waitUntilExit()
    }

    /// Neither the lock nor the journal's SQLite files reach a child process: smsh itself
    /// holds them ($PPID of the child's shell), the child's shell ($$) does not.
    func testNoStateDescriptorReachesAChild() throws {
        let r = try SmshProcess.run([
            "run", "--sandbox", "--lock", "fds", "-e",
            """
            sms.send{sender = 'SMSHDEMO', msisdns = {'0812345678'}, content = 'hi', once = 'fd-check'}
            io.write('PARENT\\n'); io.flush(); os.execute('ls -l /proc/$PPID/fd')
            io.write('CHILD\\n'); io.flush(); os.execute('ls -l /proc/$$/fd')
            """,
        ], env: ["XDG_STATE_HOME": state])
        XCTAssertEqual(r.status, 0, r.stderr)
        let parts = r.stdout.components(separatedBy: "CHILD\n")
        XCTAssertEqual(parts.count, 2, r.stdout)
        let parent = parts[0], child = parts.last ?? ""
        XCTAssertTrue(parent.contains("locks/fds.lock") && parent.contains("state.sqlite3"), parent)
        XCTAssertFalse(child.contains(".lock") || child.contains("sqlite3"), child)
    }

    func testUsageErrorsExit2() throws {
        XCTAssertEqual(try SmshProcess.run(["--no-such-flag"]).status, 2)
        XCTAssertEqual(try SmshProcess.run(["run", "--record-mode", "all", "x.lua"]).status, 2)
    }

    /// A dry run runs the whole script: its sends get dryrun- uuids that wait, paging and retry
    /// accept, answered by a simulator on virtual time; the real API sends nothing.
    func testADryRunRunsWholeScriptsAndSendsNothing() throws {
        let (_, base) = try serve()
        let script = """
            local r = sms.send{sender = "MYSHOP", content = "hi", msisdns = {"0812345678", "0898765432"}, once = "dry-1"}
            local m = sms.wait(r.uuid, {timeout = 900, interval = 15})
            local n = 0
            for _ in sms.each_recipient(r.uuid) do n = n + 1 end
            local again = sms.retry(r.uuid, {statuses = {"success", "failed", "expired", "timeout"}})
            print(r.uuid:sub(1, 7), r.dryRun, m.drSummary.pending, n, again.uuid:sub(1, 7))
            """
        let r = try SmshProcess.run(["run", "--dry-run", "-e", script], env: env(base))
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "dryrun-\ttrue\t0\t2\tdryrun-\n")
        XCTAssertTrue(r.stderr.contains("dry run: 2 send(s) would have been made"), r.stderr)
        XCTAssertTrue(r.stderr.contains("balance 10,000 covers "), r.stderr)
        XCTAssertTrue(r.stderr.contains(" would remain)"), r.stderr)
        XCTAssertEqual(try acceptedSends(base), 0, "nothing reached the API's send")
        let list = try SmshProcess.run(["journal", "list"], env: env(base))
        XCTAssertFalse(list.stdout.contains("dry-1"), "a dry run journals nothing")
    }
}

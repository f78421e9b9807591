import Foundation
import XCTest

/// `sms.campaign` killed with SIGKILL mid-run against `smsh serve`, then run again with the
/// built binary: the re-run sends only what is left, every text exactly once; a send whose
/// intent was journaled when the run died stops the re-run with JOURNAL_UNCERTAIN naming it.
final class CampaignKillTests: XCTestCase {
    var dir: String!
    var base = ""

    override func setUpWithError() throws {
        dir = "/tmp/smsh-ckill-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let server = try ServeProcess(apiKey: "sk_test_ckill", log: dir + "/serve.log")
        addTeardownBlock { server.stop() }
        base = server.baseURL
        // 50 rows, 10 distinct texts (5 rows each), distinct numbers.
        var csv = "phone,name,group\n"
        for i in 0..<50 { csv += "08123456\(String(format: "%02d", i)),N\(i),g\(i % 10)\n" }
        try csv.write(toFile: dir + "/contacts.csv", atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    func env(_ extra: [String: String] = [:]) -> [String: String] {
        var e = ["SMSH_API_KEY": "sk_test_ckill", "SMSH_BASE_URL": base, "XDG_STATE_HOME": dir + "/state", "SMSH_PROFILE": ""]
        for (k, v) in extra { e[k] = v }
        return e
    }

    func campaign(_ key: String) -> String {
        """
        local c = sms.campaign{key = "\(key)", sender = "SMSHDEMO", rows = "\(dir!)/contacts.csv",
                               content = "Hello {{group}}", rate = 1}
        print(c.sends, c.resumed, c.recipients, #c.uuids)
        """
    }

    func start(_ script: String, env extra: [String: String] = [:]) throws -> Process {
        let p = Process()
        p.executableURL = SmshProcess.binary
        p.arguments = ["-e", script]
        var full = ProcessInfo.processInfo.environment
        for (k, v) in env(extra) { full[k] = v }
        p.environment = full
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Journal lines of the campaign's keys in `state` (done / intent / failed).
    func journal(_ key: String, _ state: String) throws -> Int {
        try SmshProcess.run(["journal", "list"], env: env()).stdout
            .split(separator: "\n").filter { $0.hasPrefix(key + "/") && $0.contains("\t" + state) }.count
    }

    /// Every message on the server with its text (`sms.messages`, newest first).
    func serverTexts() throws -> [String] {
        let r = try SmshProcess.run(["-e", """
            local p = sms.messages{limit = 100}
            for _, m in ipairs(p.data) do print(m.content) end
            """], env: env())
        XCTAssertEqual(r.status, 0, r.stderr)
        return r.stdout.split(separator: "\n").map(String.init).sorted()
    }

    func testKilledCampaignResumesSendingEachTextExactlyOnce() throws {
        // rate = 1: after each journaled send the run sleeps ~1 s, where the kill lands.
        let first = try start(campaign("spring"))
        SmshProcess.waitUntil { (try? journal("spring", "done")) ?? 0 >= 3 }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        XCTAssertEqual(first.terminationReason, .uncaughtSignal)
        let sentBefore = try serverTexts()
        XCTAssertGreaterThanOrEqual(sentBefore.count, 3)
        XCTAssertLessThan(sentBefore.count, 10, "killed mid-run")
        XCTAssertEqual(try journal("spring", "done"), sentBefore.count, "every accepted send is journaled as done")
        XCTAssertEqual(try journal("spring", "intent"), 0)

        let again = try SmshProcess.run(["-e", campaign("spring")], env: env())
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(again.stdout, "\(10 - sentBefore.count)\t\(sentBefore.count)\t50\t10\n", "only the rest is sent")
        let texts = try serverTexts()
        XCTAssertEqual(texts, (0..<10).map { "Hello g\($0)" }, "each of the 10 texts exactly once")

        let third = try SmshProcess.run(["-e", campaign("spring")], env: env())
        XCTAssertEqual(third.stdout, "0\t10\t50\t10\n")
        XCTAssertEqual(try serverTexts().count, 10, "a finished campaign sends nothing more")
    }

    func testKillBetweenIntentAndSendStopsTheRerunWithJournalUncertain() throws {
        let first = try start(campaign("autumn"), env: ["SMSH_TEST_PAUSE_AFTER_INTENT": "30"])
        var tries = 0
        while try journal("autumn", "intent") == 0, tries < 300 {
            tries += 1
            usleep(20_000)
        }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        XCTAssertEqual(try serverTexts(), [], "killed before its first send reached the server")

        let again = try SmshProcess.run(["-e", campaign("autumn")], env: env())
        XCTAssertEqual(again.status, 8, "JOURNAL_UNCERTAIN has its own exit code: \(again.stderr)")
        XCTAssertTrue(again.stderr.contains("JOURNAL_UNCERTAIN"), again.stderr)
        let key = try XCTUnwrap(again.stderr.range(of: #"autumn/[0-9a-f]+/1"#, options: .regularExpression), again.stderr)
        XCTAssertTrue(again.stderr.contains("smsh journal forget \(again.stderr[key])"), again.stderr)
        XCTAssertEqual(try serverTexts(), [], "the uncertain text was not guessed at, nor any other sent")
    }
}

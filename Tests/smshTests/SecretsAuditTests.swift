import Foundation
import XCTest

/// One known fake API key through every path that writes something: recording and replaying a
/// cassette, the send-once journal, `--log-format json`, `--verbose` HTTP tracing, a REPL
/// session with history (a typed line holding the key too), a rejected key (401), a refused
/// connection, and `smsh serve` itself. Then every file under the run's directories and every
/// byte of output is searched for the key, its base64 form and its last 8 characters.
final class SecretsAuditTests: XCTestCase {
    static let key = "sk_test_AUDIT_7f3c9a1e"

    /// The forms of the key that must appear nowhere.
    static var needles: [String] {
        [key, Data(key.utf8).base64EncodedString(), String(key.suffix(8))]
    }

    private var root: String!
    private var outputs: [(label: String, text: String)] = []
    private var servers: [Process] = []

    override func setUpWithError() throws {
        root = "/tmp/smsh-audit-\(UUID().uuidString.prefix(8))"
        for dir in ["state", "config", "home", "work"] {
            try FileManager.default.createDirectory(atPath: root + "/" + dir, withIntermediateDirectories: true)
        }
    }

    override func tearDown() {
        for server in servers {
            server.terminate()
            server.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Starts `smsh serve` with `apiKey`, its output in a file under the audited root.
    private func serve(apiKey: String, name: String) throws -> String {
        let server = try ServeProcess(apiKey: apiKey, log: "\(root!)/work/\(name).log", errorsToLog: true)
        servers.append(server.process)
        return server.baseURL
    }

    private func environment(baseURL: String, apiKey: String = SecretsAuditTests.key) -> [String: String] {
        ["SMSH_API_KEY": apiKey, "SMSH_BASE_URL": baseURL, "XDG_STATE_HOME": root + "/state",
         "XDG_CONFIG_HOME": root + "/config", "HOME": root + "/home"]
    }

    /// Runs smsh and keeps both streams for the final search.
    @discardableResult
    private func smsh(_ label: String, _ args: [String], env: [String: String]) throws -> SmshProcess.Result {
        let result = try SmshProcess.run(args, env: env, cwd: URL(fileURLWithPath: root + "/work"))
        outputs.append((label + " stdout", result.stdout))
        outputs.append((label + " stderr", result.stderr))
        return result
    }

    private static let script = """
        local c = sms.credit()
        log.info("credit", {balance = c.balance})
        local r = sms.send{sender = "SMSHDEMO", content = "audit", msisdns = {"0812345678"}, once = "audit-1"}
        local m = sms.message(r.uuid)
        local page = sms.recipients(r.uuid, {after = 0})
        print(r.uuid ~= nil, m.recipients, #page.data)
        """

    func testTheAPIKeyAppearsInNoFileAndNoOutput() throws {
        let base = try serve(apiKey: Self.key, name: "serve")
        let env = environment(baseURL: base)
        let cassette = root + "/work/audit.json"

        let recorded = try smsh("record", ["run", "--verbose", "--log-format", "json", "--record", cassette, "-e", Self.script], env: env)
        XCTAssertEqual(recorded.status, 0, recorded.stderr)
        XCTAssertTrue(recorded.stderr.contains("\"msg\":\"http\""), "--verbose traces each request: \(recorded.stderr)")
        XCTAssertTrue(recorded.stderr.contains("[redacted]"), recorded.stderr)

        let replayed = try smsh("replay", ["run", "--verbose", "--replay", cassette, "-e", Self.script], env: env)
        XCTAssertEqual(replayed.status, 0, replayed.stderr)
        XCTAssertEqual(replayed.stdout, recorded.stdout)

        let traced = try smsh("verbose text", ["run", "--verbose", "-e", "print(sms.credit().balance)"], env: env)
        XCTAssertEqual(traced.status, 0, traced.stderr)
        XCTAssertTrue(traced.stderr.contains("DEBUG http GET \(base)/api/v2/credit -> 200"), traced.stderr)
        XCTAssertTrue(traced.stderr.contains("x-api-key: [redacted]"), traced.stderr)

        let journal = try smsh("journal", ["journal", "list"], env: env)
        XCTAssertEqual(journal.status, 0, journal.stderr)
        XCTAssertTrue(journal.stdout.contains("audit-1"), journal.stdout)

        // The key rejected by a server that does not know it: 401 with a message, exit 1.
        let otherBase = try serve(apiKey: "sk_test_some_other_key", name: "serve-other")
        let rejected = try smsh("401", ["run", "--verbose", "--log-format", "json", "-e", "print(sms.credit().balance)"],
                                env: environment(baseURL: otherBase))
        XCTAssertNotEqual(rejected.status, 0)
        XCTAssertTrue(rejected.stderr.contains("UNAUTHORIZED (401)"), rejected.stderr)

        // Nothing listens on port 1: refused after the retries, exit 6.
        let refused = try smsh("refused", ["run", "--verbose", "-e", "print(sms.credit().balance)"],
                               env: environment(baseURL: "http://127.0.0.1:1"))
        XCTAssertEqual(refused.status, 6, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("NETWORK"), refused.stderr)

        try replSession(env: env)

        var checked = 0
        for path in try filesUnder(root) {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let text = String(decoding: data, as: UTF8.self)
            for needle in Self.needles {
                XCTAssertFalse(text.contains(needle), "'\(needle)' found in \(path):\n\(text.prefix(2000))")
            }
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 5, "the cassette, journal, history and both server logs at least")
        for (label, text) in outputs {
            for needle in Self.needles {
                XCTAssertFalse(text.contains(needle), "'\(needle)' found in \(label):\n\(text.prefix(2000))")
            }
        }
    }

    /// A REPL session through tmux: a call, a traced call, and a typed line holding the key.
    private func replSession(env: [String: String]) throws {
        var environment = env
        environment["NO_COLOR"] = "1"
        do {
            let t = try TerminalSession(command: "--verbose", environment: environment)
            try t.waitFor("the prompt") { $0.contains("smsh>") }
            try t.enter("sms.credit().balance")
            try t.waitFor("the balance") { $0.contains("9999.0") || $0.contains("10000.0") }
            try t.enter("k = \"\(Self.key)\"")
            try t.enter("print(#k)")
            try t.waitFor("the length") { $0.contains("\n\(Self.key.count)\n") }
            let screen = try t.screen()
            // The one occurrence is the echo of what was typed; smsh itself printed none.
            XCTAssertEqual(screen.components(separatedBy: Self.key).count - 1, 1, screen)
            outputs.append(("repl screen", screen.replacingOccurrences(of: "k = \"\(Self.key)\"", with: "k = <typed>")))
            try t.press("C-d")
            try t.waitFor("exit", timeout: 10) { _ in !t.isRunning }
        }
        let history = try String(contentsOfFile: root + "/state/smsh/history", encoding: .utf8)
        XCTAssertTrue(history.contains("print(#k)"), history)
    }

    private func filesUnder(_ dir: String) throws -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: dir) else { return [] }
        var files: [String] = []
        for case let relative as String in walker {
            let path = dir + "/" + relative
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(path)
            }
        }
        return files
    }
}

import Foundation
import XCTest

/// `smsh journal reconcile` end to end with the built binary against `smsh serve`: a send
/// whose answer was lost is found among the account's messages and recorded with its uuid; a
/// send killed before its request left matches nothing and is freed only when asked.
final class JournalReconcileTests: XCTestCase {
    var state: String!
    var base = ""

    override func setUpWithError() throws {
        state = "/tmp/smsh-reconcile-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        // The first request is applied, then its connection dropped: the answer is lost.
        let server = try ServeProcess(apiKey: "sk_test_rec", extra: ["--faults", "script=drop-after"], log: state + "/serve.log")
        addTeardownBlock { server.stop() }
        base = server.baseURL
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: state) }

    var env: [String: String] {
        ["SMSH_API_KEY": "sk_test_rec", "SMSH_BASE_URL": base, "XDG_STATE_HOME": state, "XDG_CONFIG_HOME": state + "/config"]
    }

    func smsh(_ args: [String]) throws -> SmshProcess.Result { try SmshProcess.run(args, env: env) }

    func send(_ text: String, once: String, to: [String] = ["0812345678"]) -> [String] {
        ["send", "--sender", "SMSHDEMO", "--text", text, "--to"] + to + ["--once", once, "--retries", "0", "-o", "json"]
    }

    func json(_ text: String) -> Any? { try? JSONSerialization.jsonObject(with: Data(text.utf8)) }

    /// Every message on the server: uuid and content.
    func messages() throws -> [(uuid: String, content: String)] {
        let r = try smsh(["messages", "-o", "json"])
        let data = ((json(r.stdout) as? [String: Any])?["data"] as? [[String: Any]]) ?? []
        return data.map { ($0["uuid"] as? String ?? "", $0["content"] as? String ?? "") }
    }

    /// A `send --once KEY` killed (SIGKILL) after its intent is on disk, before its request.
    func killedBeforeItsRequest(_ text: String, once: String) throws {
        let p = Process()
        p.executableURL = SmshProcess.binary
        p.arguments = send(text, once: once)
        var full = ProcessInfo.processInfo.environment
        for (k, v) in env { full[k] = v }
        full["SMSH_TEST_PAUSE_AFTER_INTENT"] = "30"
        p.environment = full
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        for _ in 0..<200 where !(try smsh(["journal", "list"]).stdout.contains(once + "\tintent")) { usleep(50_000) }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
    }

    func testReconcileRecordsTheFoundSendAndListsWhatCannotMatch() throws {
        // 1. The answer is lost after the server took the send: the key is uncertain.
        let lost = try smsh(send("Reconcile me", once: "found-1"))
        XCTAssertEqual(lost.status, 6, lost.stderr)
        // 2. A run killed between its intent and its request: nothing reached the server.
        try killedBeforeItsRequest("Never sent", once: "cut-1")
        let sent = try messages()
        XCTAssertEqual(sent.map(\.content), ["Reconcile me"])
        let uuid = sent[0].uuid

        let uncertain = try smsh(["journal", "list", "--uncertain"])
        XCTAssertEqual(uncertain.status, 0, uncertain.stderr)
        XCTAssertTrue(uncertain.stdout.hasPrefix("KEY\tSTATE\tTIME\tUUID\tSCOPE\n"), uncertain.stdout)
        XCTAssertTrue(uncertain.stdout.contains("found-1\tintent (uncertain)\t"), uncertain.stdout)
        XCTAssertTrue(uncertain.stdout.contains("cut-1\tintent (uncertain)\t"), uncertain.stdout)

        // 3. Reconcile: found-1 is its message; cut-1 matches nothing and stays (exit 8).
        let r = try smsh(["journal", "reconcile"])
        XCTAssertEqual(r.status, 8, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("found-1\tdone\t\(uuid)\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("cut-1\tunmatched\t"), r.stdout)
        XCTAssertTrue(r.stderr.hasPrefix("smsh: JOURNAL_UNCERTAIN: 1 key(s) remain uncertain"), r.stderr)

        let show = json(try smsh(["journal", "show", "found-1"]).stdout) as? [String: Any]
        XCTAssertEqual(show?["state"] as? String, "done")
        XCTAssertEqual((show?["result"] as? [String: Any])?["uuid"] as? String, uuid)
        // The same send again is answered by the journal: nothing new on the server.
        let again = try smsh(send("Reconcile me", once: "found-1"))
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual((json(again.stdout) as? [String: Any])?["replayed"] as? Bool, true)
        XCTAssertEqual((json(again.stdout) as? [String: Any])?["uuid"] as? String, uuid)
        XCTAssertEqual(try messages().count, 1)

        // 4. Freeing what cannot match: refused without a terminal and without --yes.
        let refused = try smsh(["journal", "reconcile", "--forget-unmatched"])
        XCTAssertEqual(refused.status, 2, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--yes"), refused.stderr)
        XCTAssertTrue(try smsh(["journal", "list", "--uncertain"]).stdout.contains("cut-1\t"))
        let forgot = try smsh(["journal", "reconcile", "--forget-unmatched", "--yes", "-o", "json"])
        XCTAssertEqual(forgot.status, 0, forgot.stderr)
        let rows = json(forgot.stdout) as? [[String: Any]]
        XCTAssertEqual(rows?.count, 1, forgot.stdout)
        XCTAssertEqual(rows?.first?["key"] as? String, "cut-1")
        XCTAssertEqual(rows?.first?["state"] as? String, "forgotten")

        // 5. Nothing uncertain is left; the freed key sends.
        let clean = try smsh(["journal", "reconcile"])
        XCTAssertEqual(clean.status, 0, clean.stderr)
        XCTAssertTrue(clean.stdout.hasPrefix("no uncertain keys"), clean.stdout)
        let resent = try smsh(send("Never sent", once: "cut-1"))
        XCTAssertEqual((json(resent.stdout) as? [String: Any])?["replayed"] as? Bool, false, resent.stderr)
        XCTAssertEqual(try messages().count, 2)
    }

    /// A message is matched to one key only, and a message sent before the intent (here: an
    /// hour earlier by --since's reckoning, but before the key existed) is not the key's.
    func testAMessageIsMatchedToOneKeyOnly() throws {
        // Two uncertain keys for the same text and recipients, one message on the server.
        let lost = try smsh(send("Twice", once: "twin-1"))
        XCTAssertEqual(lost.status, 6, lost.stderr)
        try killedBeforeItsRequest("Twice", once: "twin-2")
        XCTAssertEqual(try messages().count, 1)
        let r = try smsh(["journal", "reconcile", "--since", "1h", "-o", "json"])
        XCTAssertEqual(r.status, 8, r.stderr)
        let rows = (json(r.stdout) as? [[String: Any]]) ?? []
        XCTAssertEqual(rows.map { "\($0["key"] ?? "")=\($0["state"] ?? "")" }, ["twin-1=done", "twin-2=unmatched"], r.stdout)
    }

    func testSinceMustBeATimeOrAnAge() throws {
        let r = try smsh(["journal", "reconcile", "--since", "yesterday"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("--since"), r.stderr)
    }
}

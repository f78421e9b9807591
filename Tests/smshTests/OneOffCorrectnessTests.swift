import Foundation
import XCTest

/// Issue 22's point 10 (and the human credits of 13) for the one-off commands, the built
/// binary against `smsh serve`: values starting with `-`, --to with --to-file, `recipients`
/// with --after and --limit, and a reader that closes the pipe.
final class OneOffCorrectnessTests: OneOffTestCase {
    func testTextAndVarValuesMayStartWithADash() throws {
        for args in [["--text", "-50% off today"], ["--text=-50% off today"]] {
            let r = try smsh(["preview", "--to", "0812345678", "-o", "json"] + args)
            XCTAssertEqual(r.status, 0, "\(args): \(r.stderr)")
            XCTAssertEqual(object(r)["characters"] as? Int, 14, r.stdout)
        }
        let sent = try smsh(["send", "--sender", "SMSHDEMO", "--text", "-50% off today", "--to", "0812345678", "-o", "json"])
        XCTAssertEqual(sent.status, 0, sent.stderr)
        let uuid = object(sent)["uuid"] as? String ?? ""
        XCTAssertEqual(object(try smsh(["message", uuid, "-o", "json"]))["content"] as? String, "-50% off today")
        let template = try smsh(["preview", "--template-id", "1", "--var", "-x=-5", "--to", "0812345678"])
        XCTAssertFalse(template.stderr.contains("Missing value"), template.stderr)
        // A value forgotten before the next option is still named as missing.
        let forgotten = try smsh(["preview", "--text", "--to", "0812345678"])
        XCTAssertEqual(forgotten.status, 2, forgotten.stderr)
    }

    func testToAndToFileMakeOneListWithoutDuplicates() throws {
        let file = try write("numbers.txt", "0812345678\n0898765432\n0898765432\n")
        let r = try smsh(["send", "--sender", "SMSHDEMO", "--text", "hi", "--to", "0812345678", "0861234567", "--to-file", file, "-o", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let o = object(r)
        XCTAssertEqual(o["recipients"] as? Int, 3, r.stdout)
        // One repeat between --to and the file, one inside the file.
        XCTAssertEqual(o["duplicatesRemoved"] as? Int, 2, r.stdout)
        let group = try smsh(["send", "--sender", "SMSHDEMO", "--text", "hi", "--to", "0812345678", "--group", "1"])
        XCTAssertEqual(group.status, 2, group.stderr)
        XCTAssertTrue(group.stderr.contains("--group"), group.stderr)
    }

    /// A message to `count` numbers, delivered (simulated time moved on).
    func deliveredMessage(count: Int) throws -> String {
        let numbers = (0..<count).map { String(format: "08%08d", 10_000_000 + $0) }.joined(separator: "\n")
        let file = try write("many.txt", numbers + "\n")
        let r = try smsh(["send", "--sender", "SMSHDEMO", "--text", "hi", "--to-file", file, "-o", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        _ = try admin("/_sim/advance", post: #"{"seconds": 3600}"#)
        return object(r)["uuid"] as? String ?? ""
    }

    func testRecipientsObeysLimitWhateverTheStatusesAndTakesAfter() throws {
        let uuid = try deliveredMessage(count: 200)
        func rows(_ args: [String]) throws -> [[String: Any]] {
            let r = try smsh(["recipients", uuid, "-o", "jsonl"] + args)
            XCTAssertEqual(r.status, 0, r.stderr)
            return r.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }
        let success = try rows(["--status", "success", "--all"]).count
        let failed = try rows(["--status", "failed", "--all"]).count
        XCTAssertGreaterThanOrEqual(success, 3)
        XCTAssertGreaterThanOrEqual(failed, 1)
        // One page per status used to give up to 3 + 3.
        XCTAssertEqual(try rows(["--status", "success", "--status", "failed", "--limit", "3"]).count, 3)
        XCTAssertEqual(try rows(["--status", "failed", "--status", "success", "--limit", "3"]).count, 3)
        // --after: the next page starts where the first stopped, without repeating it.
        let first = try rows(["--limit", "5"])
        let page = try smsh(["recipients", uuid, "--limit", "5", "-o", "json"])
        let cursor = object(page)["nextCursor"] as? Int ?? -1
        let second = try rows(["--limit", "5", "--after", String(cursor)])
        XCTAssertEqual(first.count, 5)
        XCTAssertEqual(second.count, 5)
        XCTAssertTrue(Set(first.compactMap { $0["msisdn"] as? String }).isDisjoint(with: second.compactMap { $0["msisdn"] as? String }))
        let all = try rows(["--all", "--limit", "50"])
        XCTAssertEqual(all.count, 200)
        XCTAssertEqual(all.dropFirst(5).prefix(5).compactMap { $0["msisdn"] as? String }, second.compactMap { $0["msisdn"] as? String })
        // A table that stops early says how to get the rest; one that shows all says nothing.
        let table = try smsh(["recipients", uuid, "--limit", "5"])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertEqual(table.stdout.split(separator: "\n").count, 6)
        XCTAssertEqual(table.stderr, "smsh: more recipients: smsh recipients \(uuid) --after \(cursor) --limit 5, or every row: add --all\n")
        let whole = try smsh(["recipients", uuid, "--all"])
        XCTAssertEqual(whole.stderr, "")
        XCTAssertEqual(whole.stdout.split(separator: "\n").count, 201)
    }

    /// `smsh recipients UUID --all | head -1` stops paging at once and exits 0.
    func testClosedPipeStopsPagingWithExitZero() throws {
        let uuid = try deliveredMessage(count: 200)
        for format in ["jsonl", "csv", "table", "json"] {
            let log = state + "/verbose-\(format).log"
            let command = "set -o pipefail; '\(SmshProcess.binary.path)' recipients \(uuid) --all --limit 1 --verbose -o \(format) 2>'\(log)' | head -1"
            let r = try SmshProcess.run(executable: "/bin/bash", ["-c", command], env: env)
            XCTAssertEqual(r.status, 0, "\(format): \(r.stderr)")
            XCTAssertEqual(r.stdout.split(separator: "\n").count, 1)
            let requests = try String(contentsOfFile: log, encoding: .utf8).components(separatedBy: "/recipients").count - 1
            if format == "jsonl" || format == "csv" {
                XCTAssertLessThan(requests, 100, "\(format): paging went on after head exited (\(requests) pages)")
            }
        }
    }

    func testCreditsInHumanOutputAsPeopleWriteThem() throws {
        let r = try smsh(["send", "--sender", "SMSHDEMO", "--text", "hi", "--to", "0812345678", "--dry-run"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("= 1 credit\n"), r.stderr)
        XCTAssertTrue(r.stderr.contains("total: 1 recipient(s), 1 credit\n"), r.stderr)
        XCTAssertTrue(r.stderr.contains("balance 10,000 covers 1 credit"), r.stderr)
        XCTAssertFalse(r.stderr.contains("1 credits"), r.stderr)
    }
}

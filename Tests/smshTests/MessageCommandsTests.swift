import Foundation
import XCTest

/// The reading commands (`credit`, `senders`, `messages`, `message`, `recipients`, `wait`)
/// and the four output formats, the built binary against `smsh serve` and `--sandbox`.
final class MessageCommandsTests: OneOffTestCase {
    /// A sent message's uuid (to a contact group of 10 numbers).
    func sendToGroup(_ extra: [String] = []) throws -> String {
        let r = try smsh(["send", "--sender", "SMSHDEMO", "--text", "report, \"Q4\"", "--group", "1", "-o", "json"] + extra)
        XCTAssertEqual(r.status, 0, r.stderr)
        return object(r)["uuid"] as? String ?? ""
    }

    func testCreditInEveryFormat() throws {
        let json = try smsh(["credit", "-o", "json"])
        XCTAssertEqual(json.status, 0, json.stderr)
        XCTAssertEqual(object(json)["currency"] as? String, "credits")
        let balance = object(json)["balance"] as? Double
        XCTAssertNotNil(balance)
        let csv = OneOffTestCase.csvRows(try smsh(["credit", "-o", "csv"]).stdout)
        XCTAssertEqual(csv.first, ["balance", "currency"])
        XCTAssertEqual(csv.count, 2)
        XCTAssertEqual(Double(csv[1][0]), balance)
        // The table is for people: the balance as they write it (10,000); csv keeps 10000.
        let table = try smsh(["credit"]).stdout
        var grouped = ""
        for (i, c) in csv[1][0].enumerated() {
            if i > 0 && (csv[1][0].count - i) % 3 == 0 { grouped.append(",") }
            grouped.append(c)
        }
        XCTAssertTrue(grouped.contains(","), grouped)
        XCTAssertEqual(table, "balance   \(grouped)\ncurrency  credits\n")
        let jsonl = try smsh(["credit", "-o", "jsonl"]).stdout
        XCTAssertEqual(jsonl.split(separator: "\n").count, 1)
        // Options before the command's name belong to it, as for scripts.
        let sandbox = try smsh(["--sandbox", "-o", "json", "credit"], env: ["SMSH_API_KEY": "", "SMSH_BASE_URL": "http://127.0.0.1:1"])
        XCTAssertEqual(sandbox.status, 0, sandbox.stderr)
        XCTAssertEqual(object(sandbox)["currency"] as? String, "credits")
    }

    func testSendersTableIsAlignedAndCSVHasAHeader() throws {
        let r = try smsh(["senders"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first?.split(separator: " ", omittingEmptySubsequences: true), ["NAME", "STATUS", "SHARED"])
        XCTAssertGreaterThan(lines.count, 2)
        // Every row's second column starts where the header's does.
        let statusColumn = lines[0].range(of: "STATUS")!.lowerBound.utf16Offset(in: lines[0])
        for line in lines.dropFirst() {
            let chars = Array(line)
            XCTAssertNotEqual(chars[statusColumn], " ", line)
            XCTAssertEqual(chars[statusColumn - 1], " ", line)
            XCTAssertFalse(line.hasSuffix(" "), "no trailing blanks: \(line)")
        }
        XCTAssertTrue(lines.contains { $0.hasPrefix("SMSHDEMO") && $0.contains("approved") })
        let csv = OneOffTestCase.csvRows(try smsh(["senders", "-o", "csv"]).stdout)
        XCTAssertEqual(csv.first, ["name", "status", "shared"])
        XCTAssertEqual(csv.count, lines.count)
        let jsonl = try smsh(["senders", "-o", "jsonl"]).stdout.split(separator: "\n")
        XCTAssertEqual(jsonl.count, lines.count - 1, "one object per sender")
        for line in jsonl { XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]) }
        let json = object(try smsh(["senders", "-o", "json"]))
        XCTAssertEqual((json["data"] as? [Any])?.count, lines.count - 1, "the response as one document")
    }

    func testMessagesListsWhatWasSentWithStatusAndLimit() throws {
        let a = try sendToGroup()
        let b = try sendToGroup(["--schedule", "2099-01-01T10:00:00+07:00"])
        let all = object(try smsh(["messages", "-o", "json"]))
        XCTAssertEqual((all["data"] as? [[String: Any]])?.compactMap { $0["uuid"] as? String }, [b, a], "most recent first")
        let scheduled = try smsh(["messages", "--status", "scheduled", "-o", "jsonl"])
        XCTAssertEqual(scheduled.status, 0, scheduled.stderr)
        XCTAssertEqual(scheduled.stdout.split(separator: "\n").count, 1)
        XCTAssertTrue(scheduled.stdout.contains(b))
        let limited = object(try smsh(["messages", "--limit", "1", "--page", "2", "-o", "json"]))
        XCTAssertEqual((limited["data"] as? [[String: Any]])?.first?["uuid"] as? String, a)
        // CSV keeps the content's comma and quotes in one field.
        let csv = OneOffTestCase.csvRows(try smsh(["messages", "-o", "csv"]).stdout)
        let header = csv[0]
        XCTAssertEqual(Array(header.prefix(3)), ["uuid", "status", "sender"])
        XCTAssertTrue(header.contains("drSummary.pending"), "\(header)")
        let content = header.firstIndex(of: "content")!
        XCTAssertEqual(csv.count, 3)
        XCTAssertEqual(csv[1][content], "report, \"Q4\"")
        XCTAssertTrue(csv.allSatisfy { $0.count == header.count })
        let empty = try smsh(["messages", "--status", "cancelled"])
        XCTAssertEqual(empty.stdout.split(separator: "\n").last, "(none)")
    }

    func testMessageAndWaitAndRecipientsAfterDelivery() throws {
        let uuid = try sendToGroup()
        let before = object(try smsh(["message", uuid, "-o", "json"]))
        XCTAssertEqual((before["drSummary"] as? [String: Any])?["pending"] as? Int, 10)
        // Past every delivery report, then wait returns on its first poll.
        _ = try admin("/_sim/advance", post: #"{"seconds": 3600}"#)
        let waited = try smsh(["wait", uuid, "--interval", "1", "-o", "json"])
        XCTAssertEqual(waited.status, 0, waited.stderr)
        let summary = object(waited)["drSummary"] as? [String: Int] ?? [:]
        XCTAssertEqual(summary["pending"], 0)
        XCTAssertEqual(summary.values.reduce(0, +), 10)

        let table = try smsh(["message", uuid]).stdout
        XCTAssertTrue(table.contains("\ndrSummary.pending  0\n") || table.contains("drSummary.pending"), table)
        let firstLine = table.split(separator: "\n")[0]
        XCTAssertEqual(firstLine, "uuid               \(uuid)"[...], "field names padded to one width")

        // One page with a small limit, then every page with the cursor.
        let page = try smsh(["recipients", uuid, "--limit", "3", "-o", "jsonl"])
        XCTAssertEqual(page.status, 0, page.stderr)
        XCTAssertEqual(page.stdout.split(separator: "\n").count, 3)
        let every = try smsh(["recipients", uuid, "--limit", "3", "--all", "-o", "csv"])
        let rows = OneOffTestCase.csvRows(every.stdout)
        XCTAssertEqual(rows.first, ["msisdn", "status", "updatedAt"])
        XCTAssertEqual(Set(rows.dropFirst().map { $0[0] }).count, 10)
        let json = object(try smsh(["recipients", uuid, "--all", "--limit", "4", "-o", "json"]))
        XCTAssertEqual((json["data"] as? [Any])?.count, 10)
        // --status, repeated: one pass per status.
        let success = summary["success"] ?? 0, failed = summary["failed"] ?? 0
        let some = try smsh(["recipients", uuid, "--status", "success", "--status", "failed", "--all", "-o", "jsonl"])
        XCTAssertEqual(some.stdout.split(separator: "\n").count, success + failed)
        let bad = try smsh(["recipients", uuid, "--status", "delivered"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("--status"), bad.stderr)
    }

    /// Giving up waiting is exit 9, not 6 (the provider answered every poll).
    func testWaitTimesOutWithItsOwnExitCode() throws {
        let uuid = try sendToGroup(["--schedule", "2099-01-01T10:00:00+07:00"])
        let r = try smsh(["wait", uuid, "--max-wait", "0"])
        XCTAssertEqual(r.status, 9, r.stderr)
        XCTAssertTrue(r.stderr.hasPrefix("smsh: TIMEOUT: smsh wait: message \(uuid)"), r.stderr)
        XCTAssertEqual(try smsh(["wait", uuid, "--interval", "0.5"]).status, 2)
    }

    func testMultiLineTextStaysOneCSVFieldAndOneTableLine() throws {
        let r = try smsh(["send", "--sender", "SMSHDEMO", "--text", "line one\nline, two", "--to", "0812345678", "-o", "json"])
        let uuid = object(r)["uuid"] as! String
        let csv = OneOffTestCase.csvRows(try smsh(["message", uuid, "-o", "csv"]).stdout)
        XCTAssertEqual(csv.count, 2, "\(csv)")
        XCTAssertEqual(csv[1][csv[0].firstIndex(of: "content")!], "line one\nline, two")
        let table = try smsh(["message", uuid]).stdout
        XCTAssertTrue(table.contains("content            line one line, two\n"), table)
    }

    func testUnknownMessageIs404AndMaskedNumbersStayMasked() throws {
        let r = try smsh(["message", "00000000-0000-4000-8000-000000000000"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("(404)"), r.stderr)
        let uuid = try sendToGroup()
        let masked = try smsh(["recipients", uuid, "--mask-numbers"])
        XCTAssertEqual(masked.status, 0, masked.stderr)
        XCTAssertFalse(masked.stdout.contains("66812345600"), "--mask-numbers: \(masked.stdout)")
        let csv = try smsh(["recipients", uuid, "--mask-numbers", "-o", "csv"])
        XCTAssertTrue(csv.stdout.contains("66812345600"), "csv is data, never masked: \(csv.stdout)")
    }

    func testHelpListsTheCommands() throws {
        let help = try smsh(["--help"]).stdout
        for name in ["credit", "senders", "send", "preview", "cancel", "messages", "message", "recipients", "wait"] {
            XCTAssertTrue(help.contains("  \(name) "), "\(name) in --help:\n\(help)")
        }
        let send = try smsh(["send", "--help"]).stdout
        for option in ["--to-file", "--column", "--once", "--schedule", "--sandbox", "--max-credits", "--output"] {
            XCTAssertTrue(send.contains(option), option)
        }
    }
}

/// Record and replay work for the commands as for scripts.
final class OneOffCassetteTests: OneOffTestCase {
    func testRecordedSendReplaysOfflineAndAChangedOneIsUnmatched() throws {
        let cassette = state + "/send.json"
        let send = ["send", "--sender", "SMSHDEMO", "--text", "hi", "--to", "0812345678", "-o", "json"]
        let recorded = try smsh(send + ["--record", cassette])
        XCTAssertEqual(recorded.status, 0, recorded.stderr)
        XCTAssertFalse(try String(contentsOfFile: cassette, encoding: .utf8).contains(apiKey), "no key in the cassette")
        let offline = ["SMSH_BASE_URL": "http://127.0.0.1:1"]
        let replayed = try smsh(send + ["--replay", cassette], env: offline)
        XCTAssertEqual(replayed.status, 0, replayed.stderr)
        XCTAssertEqual(object(replayed)["uuid"] as? String, object(recorded)["uuid"] as? String)
        XCTAssertEqual(try acceptedSends(), 1, "the replay reached no server")
        let changed = try smsh(["send", "--sender", "SMSHDEMO", "--text", "other", "--to", "0812345678", "--replay", cassette], env: offline)
        XCTAssertEqual(changed.status, 1)
        XCTAssertTrue(changed.stderr.contains("UNMATCHED_REQUEST"), changed.stderr)
    }

    func testRecipientsAllStreamsCSVWithOneHeader() throws {
        let r = try smsh(["send", "--sender", "SMSHDEMO", "--text", "x", "--group", "2", "-o", "json"])
        let uuid = object(r)["uuid"] as! String
        let csv = try smsh(["recipients", uuid, "--all", "--limit", "100", "-o", "csv"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        let rows = OneOffTestCase.csvRows(csv.stdout)
        XCTAssertEqual(rows.count, 1001, "one header, then every one of group 2's 1,000 numbers")
        XCTAssertEqual(rows.filter { $0 == ["msisdn", "status", "updatedAt"] }.count, 1)
        XCTAssertEqual(Set(rows.dropFirst().map { $0[0] }).count, 1000)
        let table = try smsh(["recipients", uuid, "--all", "--limit", "100"])
        XCTAssertEqual(table.stdout.split(separator: "\n").count, 1001)
    }
}

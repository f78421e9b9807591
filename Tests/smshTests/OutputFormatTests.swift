import Foundation
import XCTest

/// What `-o` prints, as a script or a person reading it relies on: byte-stable lines and
/// columns that line up on a terminal, the built binary against `smsh serve`.
final class OutputFormatTests: OneOffTestCase {
    /// The keys of a JSON object line in the order they appear.
    func keyOrder(_ line: Substring) -> [String] {
        // Top-level keys only: every key of these lines is followed by ':' outside a string.
        var keys: [String] = [], depth = 0, inString = false, escaped = false, current = ""
        var scalars = line.unicodeScalars.makeIterator()
        while let c = scalars.next() {
            if inString {
                if escaped { escaped = false; current.unicodeScalars.append(c); continue }
                if c == "\\" { escaped = true; continue }
                if c == "\"" { inString = false; continue }
                current.unicodeScalars.append(c)
                continue
            }
            switch c {
            case "\"": inString = true; current = ""
            case "{", "[": depth += 1
            case "}", "]": depth -= 1
            case ":" where depth == 1: keys.append(current)
            default: break
            }
        }
        return keys
    }

    func testJSONLinesHaveSortedKeysSoRunsDiff() throws {
        _ = try smsh(["send", "--sender", "SMSHDEMO", "--text", "x", "--to", "0812345678", "0898765432"])
        for args in [["senders"], ["credit"], ["messages"], ["recipients", "--all"]] {
            var command = args
            if args[0] == "recipients" {
                let list = try smsh(["messages", "-o", "json"])
                let uuid = ((object(list)["data"] as? [[String: Any]])?.first?["uuid"] as? String) ?? ""
                command.insert(uuid, at: 1)
            }
            let r = try smsh(command + ["-o", "jsonl"])
            XCTAssertEqual(r.status, 0, r.stderr)
            let lines = r.stdout.split(separator: "\n")
            XCTAssertFalse(lines.isEmpty, "\(command)")
            for line in lines {
                let keys = keyOrder(line)
                XCTAssertGreaterThan(keys.count, 1, String(line))
                XCTAssertEqual(keys, keys.sorted(), "\(command): keys in name order, as -o json has them: \(line)")
            }
        }
    }

    /// The terminal columns a line takes: Thai vowel and tone marks above or below take
    /// none, emoji and CJK two (as the terminal draws them; glibc's wcwidth agrees).
    static func columns(_ s: Substring) -> Int {
        var n = 0
        for u in s.unicodeScalars {
            switch u.value {
            case 0x0E31, 0x0E34...0x0E3A, 0x0E47...0x0E4E: break
            case 0x1F300...0x1FAFF, 0x4E00...0x9FFF: n += 2
            default: n += 1
            }
        }
        return n
    }

    func testTableColumnsLineUpWithThaiEmojiAndCJKText() throws {
        // A message list as the real API may send it: a field the client does not know
        // (kept, shown after the known ones) puts the content in a middle column.
        let rows = [("สวัสดีครับ ทำ", "a"), ("Sale 😀 today", "b"), ("中文", "c"), ("plain", "d")]
        let data = rows.enumerated().map { i, r in
            #"{"uuid": "u\#(i)", "status": "sent", "content": "\#(r.0)", "zone": "\#(r.1)"}"#
        }.joined(separator: ",")
        let cassette = try write("messages.json", """
            {"version": 1, "recordedAt": "2026-12-02T10:00:00Z", "interactions": [{
              "request": {"method": "GET", "path": "/api/v2/sms"},
              "response": {"status": 200, "headers": {"content-type": "application/json"},
                           "body": {"data": [\(data)], "page": 1, "limit": 20, "total": 4}}}]}
            """)
        let r = try smsh(["messages", "--replay", cassette])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 5, r.stdout)
        XCTAssertTrue(lines[0].hasSuffix("CONTENT        ZONE"), String(lines[0]))
        // Every ZONE cell starts in the header's ZONE column, on screen.
        let zone = OutputFormatTests.columns(lines[0]) - "ZONE".count
        for line in lines.dropFirst() {
            XCTAssertEqual(OutputFormatTests.columns(line), zone + 1, "aligned on screen: \(line)")
            XCTAssertFalse(line.hasSuffix(" "), String(line))
        }
    }

    func testAnEmptyListHasTheSameCSVHeaderAsAFullOne() throws {
        let empty = OneOffTestCase.csvRows(try smsh(["messages", "-o", "csv"]).stdout)
        XCTAssertEqual(empty.count, 1, "a header only")
        _ = try smsh(["send", "--sender", "SMSHDEMO", "--text", "x", "--to", "0812345678"])
        let full = OneOffTestCase.csvRows(try smsh(["messages", "-o", "csv"]).stdout)
        XCTAssertEqual(full.count, 2)
        XCTAssertEqual(empty.first, full.first, "appending to one CSV file keeps one shape")
        XCTAssertEqual(full.first?.filter { $0.hasPrefix("drSummary.") },
                       ["pending", "success", "failed", "invalid", "blocked", "expired", "timeout"].map { "drSummary." + $0 })
    }
}


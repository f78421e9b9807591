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
}

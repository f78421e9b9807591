import Foundation
import XCTest

// What `smsh send` and `smsh preview` accept from an operator: numbers from a file, and text
// from the command line.

/// `smsh send --to-file` / `smsh preview --to-file` as an operator uses them: what the result
/// says about the file, and errors that name the option the numbers came from.
final class SendToFileTests: OneOffTestCase {
    func testRepeatedLinesOfAFileCountAsDuplicatesRemovedAsWithTo() throws {
        let file = try write("numbers.txt", "0812345678\n0898765432\n081-234-5678\n66812345678\n")
        let fromFile = try smsh(["preview", "--text", "hi", "--to-file", file, "-o", "json"])
        XCTAssertEqual(fromFile.status, 0, fromFile.stderr)
        XCTAssertEqual(object(fromFile)["recipients"] as? Int, 2)
        XCTAssertEqual(object(fromFile)["duplicatesRemoved"] as? Int, 2, "two lines repeat 0812345678")
        let fromTo = try smsh(["preview", "--text", "hi", "--to", "0812345678", "0898765432", "081-234-5678", "66812345678", "-o", "json"])
        XCTAssertEqual(object(fromTo)["duplicatesRemoved"] as? Int, 2, "the same numbers with --to say the same")
        let sent = try smsh(["send", "--sender", "SMSHDEMO", "--text", "hi", "--to-file", file, "-o", "json"])
        XCTAssertEqual(sent.status, 0, sent.stderr)
        XCTAssertEqual(object(sent)["recipients"] as? Int, 2)
        XCTAssertEqual(object(sent)["duplicatesRemoved"] as? Int, 2)
        let csv = try write("contacts.csv", "name,phone\nA,0812345678\nB,0812345678\n")
        let fromCSV = try smsh(["preview", "--text", "hi", "--to-file", csv, "--column", "phone", "-o", "json"])
        XCTAssertEqual(object(fromCSV)["duplicatesRemoved"] as? Int, 1)
    }

    func testTooManyNumbersInAFileNamesToFile() throws {
        let path = state + "/big.txt"
        var text = ""
        text.reserveCapacity(2_000_001 * 11)
        for i in 0..<2_000_001 { text += "08" + String(repeating: "0", count: 8 - String(i).count) + String(i) + "\n" }
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        for command in ["send", "preview"] {
            let r = try smsh([command, "--sender", "SMSHDEMO", "--text", "hi", "--to-file", path])
            XCTAssertEqual(r.status, 2, r.stderr)
            XCTAssertTrue(r.stderr.contains("\(command): --to-file: 'msisdns' has 2000001 numbers; at most 2000000"), r.stderr)
            XCTAssertEqual(r.stdout, "")
        }
        XCTAssertEqual(try acceptedSends(), 0)
    }
}

/// Text that is not UTF-8 on the command line (a TIS-620 Thai export pasted into a shell).
final class SendTextEncodingTests: OneOffTestCase {
    /// `smsh ARGS...` through /bin/sh, so an argument can hold bytes a Swift String cannot.
    func smshRaw(_ shellArgs: String) throws -> SmshProcess.Result {
        let out = state + "/raw.out", err = state + "/raw.err"
        let script = try write("raw.sh", "exec \"$SMSH\" \(shellArgs) >'\(out)' 2>'\(err)' </dev/null\n")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = [script]
        p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }.merging(["SMSH": SmshProcess.binary.path]) { $1 }
        try p.run()
        p.waitUntilExit()
        return SmshProcess.Result(status: p.terminationStatus, stdout: try String(contentsOfFile: out, encoding: .utf8),
                                  stderr: try String(contentsOfFile: err, encoding: .utf8))
    }

    func testNonUTF8TextIsAUsageErrorAndNothingIsSent() throws {
        // "สวัสดี" in TIS-620: 0xCA 0xC7 0xD1 0xCA 0xB4 0xD5.
        let tis620 = #""$(printf '\312\307\321\312\264\325')""#
        for command in ["send", "preview"] {
            let r = try smshRaw("\(command) --sender SMSHDEMO --text \(tis620) --to 0812345678")
            XCTAssertEqual(r.status, 2, r.stderr)
            XCTAssertTrue(r.stderr.contains("--text is not UTF-8 text"), r.stderr)
            XCTAssertEqual(r.stdout, "")
        }
        let variable = try smshRaw("send --sender SMSHDEMO --template-id 1 --var name=\(tis620) --to 0812345678")
        XCTAssertEqual(variable.status, 2, variable.stderr)
        XCTAssertTrue(variable.stderr.contains("--var is not UTF-8"), variable.stderr)
        XCTAssertEqual(try acceptedSends(), 0)
        // UTF-8 Thai, and a U+FFFD typed on purpose, still send.
        let thai = try smshRaw("send --sender SMSHDEMO --text 'สวัสดี �' --to 0812345678 -o json")
        XCTAssertEqual(thai.status, 0, thai.stderr)
        XCTAssertEqual(try acceptedSends(), 1)
    }
}

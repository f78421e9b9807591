import Foundation
import XCTest

/// Issue 22: the REPL shows what it runs. libedit draws one code point per cell, so a Thai
/// vowel or tone mark was lost from the screen when the line was redrawn and Left stopped
/// between a consonant and its marks; now Left, Right, Backspace and Delete move by grapheme
/// and the screen always equals the line that runs. Driven through tmux.
final class ReplGraphemeTests: XCTestCase {
    var stateHome: String!

    override func setUpWithError() throws {
        stateHome = "/tmp/smsh-state-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: stateHome, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: stateHome) }

    func session() throws -> TerminalSession {
        let t = try TerminalSession(command: "--sandbox", environment: ["XDG_STATE_HOME": stateHome!, "NO_COLOR": "1", "LANG": "C.UTF-8"])
        try t.waitFor("the prompt") { $0.contains("]>") }
        return t
    }

    /// The text after the last prompt on the screen.
    func typed(_ screen: String) -> String {
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let line = lines.last(where: { $0.contains("]> ") }), let r = line.range(of: "]> ", options: .backwards) else { return "" }
        return String(line[r.upperBound...])
    }

    /// Types `text`, runs `keys` (one tmux key name each, or "text:…" for literal text), checks
    /// the screen shows `expected` on the prompt line before Enter, then that the value printed
    /// is the same string.
    func assertEdits(_ text: String, _ keys: [String], give expected: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let t = try session()
        try t.type(text)
        try t.waitFor("the typed text") { self.typed($0) == text }
        for key in keys {
            if key.hasPrefix("text:") { try t.type(String(key.dropFirst(5))) } else { try t.press(key) }
            usleep(150_000)
        }
        let before = try t.waitFor("the edited line on screen: \(expected)") { self.typed($0) == expected }
        XCTAssertEqual(typed(before), expected, "the screen before Enter", file: file, line: line)
        try t.press("Enter")
        let after = try t.waitFor("the value printed") { $0.contains("]> \(expected)\n\(expected)\n") }
        XCTAssertTrue(after.contains("]> \(expected)\n\(expected)\n"), "the line that ran is the line shown:\n\(after)", file: file, line: line)
    }

    func testThaiMarksStayWithTheirConsonantWhenEditingInTheMiddle() throws {
        // The issue's case: Left ×3 from the end of "สวัสดีครับ" passes ", บ and รั (a consonant
        // with its mark): Z goes before ร, and the screen keeps every mark.
        try assertEdits(#""สวัสดีครับ""#, ["Left", "Left", "Left", "text:Z"], give: #""สวัสดีคZรับ""#)
    }

    func testBackspaceAndDeleteTakeAWholeThaiCharacter() throws {
        try assertEdits(#""ครับผม""#, ["Left", "Left", "BSpace", "BSpace", "BSpace"], give: #""คม""#)
        try assertEdits(#""ดีจ้ะ""#, ["Home", "Right", "DC", "text:x"], give: #""xจ้ะ""#)
    }

    func testEmojiAndCJKMoveAndRedrawByCharacter() throws {
        try assertEdits(#""a😀b中c""#, ["Left", "Left", "Left", "text:X", "Left", "Left", "Left", "text:Y"], give: #""aY😀bX中c""#)
        try assertEdits(#""สวัสดี 😀 ครับ""#, ["Left", "Left", "Left", "Left", "BSpace", "BSpace", "BSpace", "text:!"], give: #""สวัสดี!ครับ""#)
    }

    /// The printer's layout at the prompt: an array of long tables has no lone "," line.
    func testAnArrayOfLongTablesPrintsWithoutAStraySeparator() throws {
        let t = try session()
        try t.enter(#"{{a = string.rep("y", 75)}, {b = 1}}"#)
        let screen = try t.waitFor("the table printed") { $0.contains("b = 1") }
        let lines = screen.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        XCTAssertFalse(lines.contains(","), screen)
        XCTAssertTrue(screen.contains("{\n  {\n    a = \"\(String(repeating: "y", count: 75))\"\n  },\n  { b = 1 }\n}"), screen)
    }

    /// A line wider than the screen (150 columns in these tests) wraps; editing on either row
    /// keeps every mark on screen, the cursor where libedit has it, and the value the same.
    /// (Typed marks are inserted with a full refresh: libedit's fast path counts a mark as one
    /// column, and its later moves then went to the wrong row.)
    func testAWrappedThaiLineEditsOnBothRows() throws {
        let t = try session()
        let words = String(repeating: "สวัสดีครับ ", count: 20)
        try t.type("\"" + words + "\"")
        for key in ["Left", "Left", "Left", "Left", "text:Z", "Home", "Right", "text:Z"] {
            if key.hasPrefix("text:") { try t.type(String(key.dropFirst(5))) } else { try t.press(key) }
            usleep(150_000)
        }
        let expected = "\"Z" + String(repeating: "สวัสดีครับ ", count: 19) + "สวัสดีคZรับ \""
        func shown(_ screen: String) -> String {
            let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard let i = rows.lastIndex(where: { $0.contains("]> ") }), i + 1 < rows.count,
                  let r = rows[i].range(of: "]> ") else { return "" }
            var second = rows[i + 1]
            while second.hasSuffix(" ") { second.removeLast() }  // the line ends with '"'; the row's padding goes
            return String(rows[i][r.upperBound...]) + second
        }
        let screen = try t.waitFor("both rows edited") { shown($0) == expected }
        XCTAssertEqual(shown(screen), expected, screen)
        try t.press("Enter")
        let joined = try t.waitFor("the value printed") { _ in
            ((try? t.tmux(["capture-pane", "-p", "-J", "-t", t.name])) ?? "").contains("\n" + expected + "\n")
        }
        XCTAssertFalse(joined.isEmpty)
    }
}

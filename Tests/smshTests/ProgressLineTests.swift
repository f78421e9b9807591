import Foundation
import XCTest

/// Long work is visible on a terminal: the raw bytes smsh writes to a pseudo-terminal
/// (recorded with tmux pipe-pane) hold the progress lines, and nothing of them reaches a pipe.
final class ProgressLineTests: XCTestCase {
    static let bigSend = """
        io.read()
        local t = {}
        for i = 1, 300000 do t[i] = string.format("08%08d", i) end
        -- dryRun: the sandbox's 10,000 credits would not cover it; the numbers still go out.
        local e = sms.send{sender = "SMSHDEMO", content = "x", msisdns = t, dryRun = true}
        local small = table.move(t, 1, 5000, 1, {})
        local r = sms.send{sender = "SMSHDEMO", content = "x", msisdns = small}
        local n = 0
        for _ in sms.each_recipient(r.uuid, {limit = 100}) do n = n + 1 end
        print("sent " .. e.recipients .. " paged " .. n)
        """

    func testLargeSendAndPagingShowProgressOnATerminal() throws {
        let script = try SmshProcess.script("big_send.lua", Self.bigSend)
        let term = try TerminalSession(command: "--sandbox \(TerminalSession.shellQuote(script))")
        let log = "/tmp/\(term.name).raw"
        defer { unlink(log) }
        try term.tmux(["pipe-pane", "-o", "-t", term.name, "cat >> \(log)"])
        try term.press("Enter")  // the script starts once the recording is on
        try term.waitFor("the script to finish", timeout: 120) { $0.contains("sent 300000 paged 5000") }
        let raw = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        XCTAssertTrue(raw.contains("sms.send: checked 65536 of 300000 numbers"), raw.suffix(500).description)
        XCTAssertTrue(raw.contains("sms.send: sending 300000 numbers (4 MB)"), raw.suffix(500).description)
        XCTAssertTrue(raw.contains("recipients: "), raw.suffix(500).description)
        XCTAssertTrue(raw.contains("\r\u{1B}[K"), "progress lines redraw in place")
    }

    /// Under --log-format json every stderr line is a JSON object: no progress redraws, even
    /// on a terminal.
    func testNoProgressOnATerminalUnderJSONLogs() throws {
        let script = try SmshProcess.script("big_send_json.lua", Self.bigSend)
        let term = try TerminalSession(command: "--sandbox --log-format json \(TerminalSession.shellQuote(script))")
        let log = "/tmp/\(term.name).raw"
        defer { unlink(log) }
        try term.tmux(["pipe-pane", "-o", "-t", term.name, "cat >> \(log)"])
        try term.press("Enter")
        try term.waitFor("the script to finish", timeout: 120) { $0.contains("sent 300000 paged 5000") }
        let raw = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        XCTAssertFalse(raw.contains("sms.send: checked"), raw.suffix(500).description)
        XCTAssertFalse(raw.contains("\u{1B}[K"), "no progress redraws")
    }

    func testNoProgressWhenStderrIsNotATerminalOrQuiet() throws {
        let script = try SmshProcess.script("big_send_piped.lua", Self.bigSend)
        for extra in [[], ["--quiet"]] {
            let r = try SmshProcess.run(["--sandbox"] + extra + [script], stdin: "\n")
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(r.stdout, "sent 300000 paged 5000\n")
            XCTAssertEqual(r.stderr, "")
        }
    }
}

import Foundation
import XCTest

/// Ctrl-C in a one-off command is handled as in a script: a wait stops at once with
/// "interrupted" and exit 130, and a send under way is not cut off in the middle.
final class OneOffInterruptTests: OneOffTestCase {
    func testCtrlCStopsAWaitWithExit130() throws {
        let r = try smsh(["send", "--sender", "SMSHDEMO", "--text", "later", "--to", "0812345678",
                          "--schedule", "2099-01-01T10:00:00+07:00", "-o", "json"])
        let uuid = object(r)["uuid"] as? String ?? ""
        let p = Process()
        p.executableURL = SmshProcess.binary
        p.arguments = ["wait", uuid, "--interval", "1"]
        p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        let errPath = state + "/wait.err"
        FileManager.default.createFile(atPath: errPath, contents: nil)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        try p.run()
        // Past its first poll, then Ctrl-C.
        for _ in 0..<100 where (try admin("/_sim/stats")["requests"] as? Int ?? 0) < 2 { usleep(50_000) }
        usleep(200_000)
        kill(p.processIdentifier, SIGINT)
        p.waitUntilExit()
        let stderr = try String(contentsOfFile: errPath, encoding: .utf8)
        XCTAssertEqual(p.terminationReason, .exit, "handled, not killed by the signal: \(stderr)")
        XCTAssertEqual(p.terminationStatus, 130, stderr)
        XCTAssertTrue(stderr.contains("interrupted"), stderr)
    }
}

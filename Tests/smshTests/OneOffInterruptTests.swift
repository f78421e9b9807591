import Foundation
import XCTest

/// Ctrl-C and SIGTERM in a one-off command are handled as in a script: a wait stops at once
/// with "interrupted" and exit 130 (143), the metrics file is written as for any other exit,
/// and a send under way is not cut off in the middle.
final class OneOffInterruptTests: OneOffTestCase {
    func testCtrlCStopsAWaitWithExit130() throws {
        let (status, stderr) = try interruptAWait(with: SIGINT)
        XCTAssertEqual(status, 130, stderr)
    }

    func testSIGTERMStopsAWaitWithExit143AndWritesItsMetrics() throws {
        let metrics = state + "/wait.prom"
        let (status, stderr) = try interruptAWait(with: SIGTERM, ["--metrics", metrics])
        XCTAssertEqual(status, 143, stderr)
        let text = try String(contentsOfFile: metrics, encoding: .utf8)
        XCTAssertTrue(text.contains("smsh_exit_code{script=\"wait\"} 143"), text)
        XCTAssertTrue(text.contains("smsh_api_requests_total{"), text)
        XCTAssertFalse(text.contains("smsh_last_success_timestamp_seconds"), text)
    }

    /// `smsh wait` on a message scheduled far ahead, stopped by `signal` after its first poll:
    /// the exit status (the process must have exited, not been killed) and stderr.
    func interruptAWait(with signal: Int32, _ extra: [String] = []) throws -> (Int32, String) {
        let r = try smsh(["send", "--sender", "SMSHDEMO", "--text", "later", "--to", "0812345678",
                          "--schedule", "2099-01-01T10:00:00+07:00", "-o", "json"])
        let uuid = object(r)["uuid"] as? String ?? ""
        let running = try SmshProcess.start(["wait", uuid, "--interval", "1"] + extra, env: env)
        // Past its first poll, then the signal.
        SmshProcess.waitUntil { (try? admin("/_sim/stats")["requests"] as? Int ?? 0) ?? 0 >= 2 }
        usleep(200_000)
        running.signal(signal)
        let (exited, status, stderr) = try running.wait()
        XCTAssertTrue(exited, "handled, not killed by the signal: \(stderr)")
        XCTAssertTrue(stderr.contains("interrupted"), stderr)
        return (status, stderr)
    }
}

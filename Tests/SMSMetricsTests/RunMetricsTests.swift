import Foundation
import SMSClient
import XCTest

@testable import SMSMetrics

/// The text `--metrics` writes and `--metrics-push` sends: names, HELP and TYPE lines, exact
/// values, labels escaped, the last-success gauge only after a success; and what promtool says.
final class RunMetricsTests: XCTestCase {
    func sample(exitCode: Int32 = 0) -> RunMetrics {
        var m = RunMetrics()
        m.sends = 2
        m.recipients = 5
        m.credits = 7
        m.apiRequests = [RequestCounters.Outcome(operation: "send", code: "200"): 2,
                         RequestCounters.Outcome(operation: "credit", code: "NETWORK"): 1]
        m.retries = 1
        m.throttled = 3
        m.journalReplays = 1
        m.errors = ["INSUFFICIENT_CREDITS": 1]
        m.durationSeconds = 1.25
        m.exitCode = exitCode
        m.endedAt = 1_765_000_000.5
        return m
    }

    func lines(_ m: RunMetrics, labels: [(String, String)] = [("script", "nightly.lua")]) -> [String] {
        String(decoding: m.text(labels: labels), as: UTF8.self).split(separator: "\n").map(String.init)
    }

    func testEverySeriesHasItsExactValueAndItsFamilyHelpAndType() {
        let text = lines(sample())
        for expected in [
            #"smsh_sends_total{script="nightly.lua"} 2"#,
            #"smsh_recipients_total{script="nightly.lua"} 5"#,
            #"smsh_credits_spent_total{script="nightly.lua"} 7"#,
            #"smsh_api_requests_total{operation="send",code="200",script="nightly.lua"} 2"#,
            #"smsh_api_requests_total{operation="credit",code="NETWORK",script="nightly.lua"} 1"#,
            #"smsh_retries_total{script="nightly.lua"} 1"#,
            #"smsh_throttled_total{script="nightly.lua"} 3"#,
            #"smsh_journal_replays_total{script="nightly.lua"} 1"#,
            #"smsh_errors_total{code="INSUFFICIENT_CREDITS",script="nightly.lua"} 1"#,
            #"smsh_run_duration_seconds{script="nightly.lua"} 1.25"#,
            #"smsh_exit_code{script="nightly.lua"} 0.0"#,
            #"smsh_last_success_timestamp_seconds{script="nightly.lua"} 1765000000.5"#,
        ] {
            XCTAssertTrue(text.contains(expected), "\(expected) missing from:\n\(text.joined(separator: "\n"))")
        }
        for family in RunMetrics.families {
            XCTAssertEqual(text.filter { $0 == "# TYPE \(family.name) \(family.type)" }.count, 1, family.name)
            XCTAssertEqual(text.filter { $0.hasPrefix("# HELP \(family.name) ") }.count, 1, family.name)
        }
        // A family's lines stay together (HELP, TYPE, then its series), as the format requires.
        var seen: [String] = []
        for line in text where !line.hasPrefix("#") {
            let name = String(line.prefix { $0 != "{" && $0 != " " })
            if seen.last != name {
                XCTAssertFalse(seen.contains(name), "\(name) split in two")
                seen.append(name)
            }
        }
    }

    func testFamiliesComeInTheDocumentedOrder() {
        let names = lines(sample()).filter { $0.hasPrefix("# TYPE ") }.map { String($0.split(separator: " ")[2]) }
        XCTAssertEqual(names, RunMetrics.families.map(\.name))
        XCTAssertEqual(sample().text(), sample().text(), "the same figures give the same bytes")
    }

    func testAFailedRunHasNoLastSuccessAndItsExitCode() {
        let text = lines(sample(exitCode: 3))
        XCTAssertTrue(text.contains(#"smsh_exit_code{script="nightly.lua"} 3.0"#), text.joined(separator: "\n"))
        XCTAssertFalse(text.contains { $0.contains("smsh_last_success_timestamp_seconds") })
    }

    func testFractionalCreditsAndNoLabelsForAPush() {
        var m = sample()
        m.credits = 2.5
        let text = lines(m, labels: [])
        XCTAssertTrue(text.contains("smsh_credits_spent_total 2.5"), text.joined(separator: "\n"))
        XCTAssertTrue(text.contains("smsh_sends_total 2"))
        XCTAssertTrue(text.contains(#"smsh_api_requests_total{operation="send",code="200"} 2"#))
    }

    func testLabelValuesAreEscaped() {
        let text = lines(RunMetrics(), labels: [("script", "we\"ird\\name\n.lua")])
        XCTAssertTrue(text.contains(#"smsh_sends_total{script="we\"ird\\name\n.lua"} 0"#), text.joined(separator: "\n"))
    }

    func testNoRequestsAndNoErrorsLeaveThoseFamiliesOut() {
        let text = lines(RunMetrics())
        XCTAssertFalse(text.contains { $0.contains("smsh_api_requests_total") })
        XCTAssertFalse(text.contains { $0.contains("smsh_errors_total") })
        XCTAssertTrue(text.contains(#"smsh_sends_total{script="nightly.lua"} 0"#))
    }

    /// `promtool check metrics` (Debian's prometheus package) reads the text without a complaint.
    func testPromtoolAcceptsTheText() throws {
        guard let promtool = Self.promtool else { throw XCTSkip("promtool not installed (apt prometheus; scripts/bootstrap installs it)") }
        for m in [sample(), sample(exitCode: 1), RunMetrics()] {
            let file = NSTemporaryDirectory() + "metrics-\(UUID().uuidString).prom"
            try Data(m.text(labels: [("script", "nightly.lua")])).write(to: URL(fileURLWithPath: file))
            defer { try? FileManager.default.removeItem(atPath: file) }
            let p = Process()
            p.executableURL = URL(fileURLWithPath: promtool)
            p.arguments = ["check", "metrics"]
            p.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
            let out = Pipe()
            p.standardOutput = out
            p.standardError = out
            try p.run()
            let said = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0, said)
            XCTAssertEqual(said.trimmingCharacters(in: .whitespacesAndNewlines), "", "promtool's remarks: \(said)")
        }
    }

    static var promtool: String? {
        ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// The Pushgateway URL: validated, its password masked in messages and sent as Basic auth,
/// and the grouping path for a script.
final class PushgatewayTests: XCTestCase {
    func testProblemsAreNamed() {
        XCTAssertNil(Pushgateway.problem("http://127.0.0.1:9091"))
        XCTAssertNil(Pushgateway.problem("https://user:pw@push.corp/prefix/"))
        XCTAssertEqual(Pushgateway.problem("127.0.0.1:9091"), "it must start with http:// or https://")
        XCTAssertEqual(Pushgateway.problem("http://"), "it has no host")
        XCTAssertEqual(Pushgateway.problem("http://h:9091/?x=1"), "give the base URL only (no ?query or #fragment)")
        XCTAssertNil(Pushgateway("ftp://h"))
    }

    func testCredentialsAreMaskedAndKeptOutOfTheBase() throws {
        let g = try XCTUnwrap(Pushgateway("https://ops:s%40cret@push.corp:9091/pg/"))
        XCTAssertEqual(g.base, "https://push.corp:9091/pg")
        XCTAssertEqual(g.masked, "https://ops:***@push.corp:9091/pg/")
        XCTAssertEqual(g.username, "ops")
        XCTAssertEqual(g.password, "s@cret")
        XCTAssertEqual(Pushgateway.masked("http://127.0.0.1:9091"), "http://127.0.0.1:9091")
    }

    func testTheGroupPathEncodesTheScriptName() {
        XCTAssertEqual(Pushgateway.groupPath(script: "nightly.lua"), "/metrics/job/smsh/script/nightly.lua")
        XCTAssertEqual(Pushgateway.groupPath(script: "my job.lua"), "/metrics/job/smsh/script/my%20job.lua")
    }

    func testAPushToNothingFailsWithAReason() throws {
        let g = try XCTUnwrap(Pushgateway("http://127.0.0.1:9"))
        XCTAssertThrowsError(try g.push(RunMetrics(), script: "x.lua", timeout: 2)) { error in
            let failure = error as? PushFailure
            XCTAssertNotNil(failure, "\(error)")
            XCTAssertFalse(failure?.message.isEmpty ?? true)
        }
    }
}

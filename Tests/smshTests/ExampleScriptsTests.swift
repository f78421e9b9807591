import Foundation
import XCTest

/// The example scripts under scripts/examples run against the sandbox with the output
/// an operator would expect.
final class ExampleScriptsTests: XCTestCase {
    static let examples = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/examples")

    func example(_ name: String) -> String { Self.examples.appendingPathComponent(name).path }

    func testCreditGuardSendsWhenCoveredAndExits5WhenNot() throws {
        let ok = try SmshProcess.run(["run", "--sandbox", example("credit_guard.lua"), "20", "1"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stdout.contains("campaign: 10 recipients × 1 part(s) = 10"), ok.stdout)
        XCTAssertTrue(ok.stdout.contains("sent: uuid "), ok.stdout)

        // Group 2 has 1,000 recipients; a 1000% margin needs 11,000 credits > the demo 10,000.
        let short = try SmshProcess.run(["run", "--sandbox", example("credit_guard.lua"), "1000", "2"])
        XCTAssertEqual(short.status, 5, short.stderr)
        XCTAssertFalse(short.stdout.contains("sent:"), short.stdout)
        XCTAssertTrue(short.stderr.contains("WARN  not sending"), short.stderr)
    }

    func testDrRetryWaitsRetriesAndSummarises() throws {
        let r = try SmshProcess.run([
            "run", "--sandbox",
            "-e", #"demo = sms.send{sender = "SMSHDEMO", content = "hello", contactGroupId = 2}"#,
            example("dr_retry.lua"), "--hours", "1", "2",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertTrue(lines.first?.hasPrefix("message") == true, r.stdout)
        XCTAssertEqual(lines.last, "1 message(s) checked")
        let row = lines[1].split(separator: " ", omittingEmptySubsequences: true)
        XCTAssertEqual(row[1], "1000")
        XCTAssertEqual(row[3], "2", "two retry rounds: the demo outcomes always leave some failures")
        XCTAssertGreaterThan(Int(row[2])!, 900)
    }

    func testDrRetryWithoutArgumentsIsAUsageError() throws {
        let r = try SmshProcess.run(["run", "--sandbox", example("dr_retry.lua")])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("usage:"))
    }

    func testScheduledCampaignCancelsOnlyDrafts() throws {
        let r = try SmshProcess.run(["run", "--sandbox", example("scheduled_campaign.lua"), "2"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("2 scheduled message(s):"), r.stdout)
        XCTAssertTrue(r.stdout.contains("1 cancelled, 10.0 credits refunded") || r.stdout.contains("1 cancelled, 10 credits refunded"), r.stdout)
    }

    func testCsvSendReportsInvalidRowsWithLineNumbersAndSendsTheRest() throws {
        // A fresh state store: the campaign's progress is journaled there (a second run resumes).
        let state = NSTemporaryDirectory() + "smsh-csvsend-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: state) }
        let r = try SmshProcess.run(["run", "--sandbox", example("csv_send.lua"), example("contacts.csv")],
                                    env: ["XDG_STATE_HOME": state])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, """
            skipped line 4: "0812ab5678" (contains the letter 'a' at position 5)
            skipped line 6: "12345" (has too few digits (5 digits with no 0 or 66 in front; expected 9, or 0 + 9))
            3 recipient(s) in 3 send(s) (0 resumed) for 3 credits; 1 duplicate(s), 2 invalid row(s) skipped
            delivered 2 of 3 (67%): 1 failed, 0 expired, 0 timeout, 0 invalid, 0 blocked
            1 recipient(s) retried

            """)
    }

    func testDryRunPrintsThePlanAndSendsNothing() throws {
        let r = try SmshProcess.run(["run", "--sandbox", "--dry-run", example("credit_guard.lua"), "20", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("dry run: 1 send(s) would have been made"), r.stderr)
        XCTAssertTrue(r.stderr.contains("sender SMSHDEMO: 10 recipient(s) × 1 part(s) = 10 credits"), r.stderr)
    }
}

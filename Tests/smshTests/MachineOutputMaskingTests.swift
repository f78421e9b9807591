import Foundation
import XCTest

/// Issue 22: data a program reads is never masked. With a profile's `mask_numbers = true`,
/// `-o json|jsonl|csv`, Lua values and `--summary` keep full numbers (a CSV written by
/// `recipients` feeds `send --to-file`); tables, logs and messages for people are masked;
/// `--no-mask-numbers` / `--mask-numbers` override the profile per command.
final class MachineOutputMaskingTests: OneOffTestCase {
    /// A profile that masks numbers, selected with `--profile ops`.
    func writeMaskingProfile() throws {
        let dir = state + "/config/smsh"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let file = dir + "/config.toml"
        _ = FileManager.default.createFile(atPath: file, contents: Data("[profiles.ops]\nmask_numbers = true\n".utf8))
        chmod(file, 0o600)
    }

    func sendToGroup() throws -> String {
        let r = try smsh(["send", "--profile", "ops", "--sender", "SMSHDEMO", "--text", "hi", "--group", "1", "-o", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return object(r)["uuid"] as? String ?? ""
    }

    func testARecipientsCSVFromAMaskingProfileFeedsSendToFile() throws {
        try writeMaskingProfile()
        let uuid = try sendToGroup()
        let csv = try smsh(["recipients", uuid, "--profile", "ops", "--all", "-o", "csv"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        XCTAssertFalse(csv.stdout.contains("xxx"), "csv is data: \(csv.stdout)")
        let rows = OneOffTestCase.csvRows(csv.stdout)
        let column = try XCTUnwrap(rows.first?.firstIndex(of: "msisdn"), "\(rows.first ?? [])")
        XCTAssertEqual(rows.count, 11, csv.stdout)
        XCTAssertTrue(rows.dropFirst().allSatisfy { $0[column].count == 11 && $0[column].hasPrefix("66") }, csv.stdout)
        let file = try write("retry.csv", csv.stdout)
        let again = try smsh(["send", "--profile", "ops", "--sender", "SMSHDEMO", "--text", "retry", "--to-file", file,
                              "--column", "msisdn", "-o", "json"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(object(again)["recipients"] as? Int, 10, again.stdout)
    }

    func testMachineFormatsKeepNumbersTablesMaskAndFlagsOverrideTheProfile() throws {
        try writeMaskingProfile()
        let uuid = try sendToGroup()
        let number = try XCTUnwrap(OneOffTestCase.csvRows(try smsh(["recipients", uuid, "-o", "csv"]).stdout).dropFirst().first?.first {
            $0.count == 11 && $0.hasPrefix("668")
        })
        let masked = String(number.prefix(5)) + "xxx" + String(number.suffix(3))
        for format in ["json", "jsonl", "csv"] {
            let r = try smsh(["recipients", uuid, "--profile", "ops", "-o", format])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stdout.contains(number), "-o \(format): \(r.stdout)")
            XCTAssertFalse(r.stdout.contains(masked), "-o \(format): \(r.stdout)")
        }
        let table = try smsh(["recipients", uuid, "--profile", "ops"])
        XCTAssertTrue(table.stdout.contains(masked), "a table is for people: \(table.stdout)")
        XCTAssertFalse(table.stdout.contains(number), table.stdout)
        let unmasked = try smsh(["recipients", uuid, "--profile", "ops", "--no-mask-numbers"])
        XCTAssertEqual(unmasked.status, 0, unmasked.stderr)
        XCTAssertTrue(unmasked.stdout.contains(number), "--no-mask-numbers beats the profile: \(unmasked.stdout)")
        let flagged = try smsh(["recipients", uuid, "--mask-numbers"])
        XCTAssertTrue(flagged.stdout.contains(masked), "--mask-numbers without a profile: \(flagged.stdout)")
    }

    func testLuaValuesAndTheSummaryKeepNumbersLogsMaskAndRunTakesTheFlags() throws {
        try writeMaskingProfile()
        let summary = state + "/summary.json"
        let script = #"""
            local r = sms.send{sender = "SMSHDEMO", content = "x", msisdns = {"0812345678"}}
            local n = sms.recipients(r.uuid).data[1].msisdn
            print(n)
            log.info("sent to " .. n)
            """#
        let run = try smsh(["run", "--profile", "ops", "--summary", summary, "-e", script])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "66812345678\n", "a Lua value is data")
        XCTAssertTrue(run.stderr.contains("sent to 66812xxx678"), "a log line is for people: \(run.stderr)")
        let text = try String(contentsOfFile: summary, encoding: .utf8)
        XCTAssertFalse(text.contains("xxx"), text)
        let plain = try smsh(["run", "--profile", "ops", "--no-mask-numbers", "-e", script])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertTrue(plain.stderr.contains("sent to 66812345678"), "--no-mask-numbers for smsh run: \(plain.stderr)")
        let lua = try smsh(["--profile", "ops", "--no-mask-numbers", "-e", script])
        XCTAssertTrue(lua.stderr.contains("sent to 66812345678"), "and for smsh -e: \(lua.stderr)")
    }
}

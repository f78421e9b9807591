import Foundation
import XCTest

/// Issue 22: input that would send nothing is an error before anything is sent, with the
/// built binary. A CSV whose header says `tel` instead of `phone` names the file and its
/// columns in every reader (`sms.campaign`, `sms.numbers`, `send --to-file --column`), and a
/// campaign whose every row is invalid fails (non-zero exit) naming the first bad row.
final class CampaignInputTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws {
        dir = "/tmp/smsh-campaign-input-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func run(_ args: [String]) throws -> SmshProcess.Result {
        try SmshProcess.run(args, env: ["XDG_STATE_HOME": dir, "XDG_CONFIG_HOME": dir + "/config"], cwd: URL(fileURLWithPath: dir))
    }

    func write(_ name: String, _ text: String) throws -> String {
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testAMissingPhoneColumnNamesTheFileAndItsColumnsInEveryReader() throws {
        let path = try write("contacts.csv", "tel,name\n0812345678,Ann\n0898765432,Bo\n")
        let campaign = try run(["--sandbox", "-e", #"local c = sms.campaign{key = "spring", sender = "SMSHDEMO", rows = "contacts.csv", content = "Hi {{name}}"} print(c.sends)"#])
        XCTAssertEqual(campaign.status, 1, campaign.stdout + campaign.stderr)
        XCTAssertEqual(campaign.stdout, "", "nothing ran past the campaign")
        XCTAssertTrue(campaign.stderr.contains(#"contacts.csv has no column "phone""#), campaign.stderr)
        XCTAssertTrue(campaign.stderr.contains(#"its columns: "tel", "name""#), campaign.stderr)
        XCTAssertTrue(campaign.stderr.contains("nothing was sent"), campaign.stderr)

        let numbers = try run(["--sandbox", "-e", #"sms.numbers("contacts.csv", {column = "phone"})"#])
        XCTAssertEqual(numbers.status, 1, numbers.stderr)
        XCTAssertTrue(numbers.stderr.contains(#"contacts.csv has no column "phone" (columns: "tel", "name")"#), numbers.stderr)

        let send = try run(["send", "--sandbox", "--sender", "SMSHDEMO", "--text", "Hi", "--to-file", path, "--column", "phone"])
        XCTAssertEqual(send.status, 2, send.stderr)
        XCTAssertTrue(send.stderr.contains(#"has no column "phone" (columns: "tel", "name")"#), send.stderr)

        let right = try run(["--sandbox", "-e", #"print(sms.campaign{key = "spring", sender = "SMSHDEMO", rows = "contacts.csv", phone = "tel", content = "Hi {{name}}"}.recipients)"#])
        XCTAssertEqual(right.status, 0, right.stderr)
        XCTAssertEqual(right.stdout, "2\n")
    }

    func testACampaignWhoseEveryRowIsInvalidFailsNamingTheFirstBadRow() throws {
        _ = try write("bad.csv", "phone,name\n0812-ABC,Ann\n08123456789,Bo\n")
        let r = try run(["--sandbox", "-e", #"local c = sms.campaign{key = "bad", sender = "SMSHDEMO", rows = "bad.csv", content = "Hi"} print("sent", c.sends)"#])
        XCTAssertNotEqual(r.status, 0, r.stdout)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.contains("INVALID_MSISDN"), r.stderr)
        XCTAssertTrue(r.stderr.contains(#"all 2 rows are invalid, so nothing would be sent; the first: line 2, "0812-ABC": contains the letter 'A' at position 6"#),
                      r.stderr)
        let journal = try run(["journal", "list"])
        XCTAssertFalse(journal.stdout.contains("bad/"), "no key was written: \(journal.stdout)")
    }
}

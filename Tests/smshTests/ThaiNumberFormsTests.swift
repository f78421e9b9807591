import Foundation
import XCTest

/// Issue 22: numbers as Thai operators write them, through the built binary: `send --to`,
/// `send --to-file` (a spreadsheet export with no-break spaces and a lost leading 0) and
/// `sms.normalize`; every refusal names its exact reason.
final class ThaiNumberFormsTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws {
        dir = "/tmp/smsh-thai-numbers-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func run(_ args: [String]) throws -> SmshProcess.Result {
        try SmshProcess.run(args, env: ["XDG_STATE_HOME": dir, "XDG_CONFIG_HOME": dir + "/config"], cwd: URL(fileURLWithPath: dir))
    }

    func testEveryWayOfWritingOneNumberIsOneRecipient() throws {
        let forms = ["+66 (0) 81 234 5678", "0066812345678", "081\u{00A0}234\u{00A0}5678", "081\u{202F}234-5678", "๐๘๑๒๓๔๕๖๗๘", "812345678"]
        let r = try run(["send", "--sandbox", "--sender", "SMSHDEMO", "--text", "hi", "-o", "json"] + forms.flatMap { ["--to", $0] })
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["recipients"] as? Int, 1, r.stdout)
        XCTAssertEqual(object["duplicatesRemoved"] as? Int, forms.count - 1, r.stdout)

        let file = dir + "/export.csv"
        try "name,phone\nAnn,081\u{00A0}234\u{00A0}5678\nBo,898765432\nCy,\"+66 (0) 61 234 5678\"\n".write(toFile: file, atomically: true, encoding: .utf8)
        let fromFile = try run(["send", "--sandbox", "--sender", "SMSHDEMO", "--text", "hi", "--to-file", file, "--column", "phone", "-o", "json"])
        XCTAssertEqual(fromFile.status, 0, fromFile.stderr)
        let sent = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(fromFile.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(sent["recipients"] as? Int, 3, fromFile.stdout)

        let lua = try run(["--sandbox", "-e", #"print(sms.normalize("+66 (0) 81 234 5678"), sms.normalize(812345678), sms.normalize("๐๘๑๒๓๔๕๖๗๘"))"#])
        XCTAssertEqual(lua.stdout, "66812345678\t66812345678\t66812345678\n", lua.stderr)
    }

    func testRefusalsGiveTheExactReason() throws {
        let cases: [(String, String)] = [
            ("08123456789", "has too many digits (0 + 10 digits; expected 0 + 9)"),
            ("0812345", "has too few digits (0 + 6 digits; expected 0 + 9)"),
            ("0212345678", "starts 02, not a mobile prefix (06, 08 or 09)"),
            ("0812x45678", "contains the letter 'x' at position 5"),
        ]
        for (number, reason) in cases {
            let r = try run(["send", "--sandbox", "--sender", "SMSHDEMO", "--text", "hi", "--to", number])
            XCTAssertEqual(r.status, 2, "\(number): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("is not a Thai mobile number (\(reason))"), "\(number): \(r.stderr)")
            XCTAssertFalse(r.stderr.contains("must start with 0 or 66"), r.stderr)
        }
    }
}

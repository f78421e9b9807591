import SMSClient
import XCTest

/// Thai mobile number normalisation: accepted forms and why others are rejected.
final class MSISDNTests: XCTestCase {
    func testAcceptedFormsNormaliseTo66PlusNineDigits() {
        let cases: [(String, String)] = [
            ("0812345678", "66812345678"),
            ("66812345678", "66812345678"),
            ("+66812345678", "66812345678"),
            ("+66 81 234 5678", "66812345678"),
            ("081-234-5678", "66812345678"),
            ("081.234.5678", "66812345678"),
            ("(081) 234 5678", "66812345678"),
            ("[081]2345678", "66812345678"),
            ("081\t234\t5678", "66812345678"),
            ("  0812345678  ", "66812345678"),
            ("0912345678", "66912345678"),
            ("0612345678", "66612345678"),
            ("+66-6-1234-5678", "66612345678"),
        ]
        for (input, normal) in cases {
            XCTAssertEqual(try MSISDN.normalize(input).get(), normal, input)
        }
    }

    func testCarriageReturnFromCRLFFilesIsWhitespace() {
        XCTAssertEqual(try MSISDN.normalize("0812345678\r").get(), "66812345678")
        XCTAssertEqual(try MSISDN.normalize("\r0812345678\r").get(), "66812345678")
    }

    /// Issue 22: numbers as Thai operators and spreadsheets write them.
    func testThaiOperatorFormsAreAccepted() {
        let cases: [(String, String)] = [
            ("+66 (0) 81 234 5678", "66812345678"),
            ("+66(0)812345678", "66812345678"),
            ("0066 (0) 81 234 5678", "66812345678"),
            ("66 (0) 81-234-5678", "66812345678"),
            ("0066812345678", "66812345678"),
            ("00 66 81 234 5678", "66812345678"),
            ("+66 081 234 5678", "66812345678"),
            ("081\u{00A0}234\u{00A0}5678", "66812345678"),
            ("081\u{202F}234\u{2009}5678", "66812345678"),
            ("\u{3000}081 234 5678\u{00A0}", "66812345678"),
            ("081\u{2013}234\u{2010}5678", "66812345678"),
            ("๐๘๑๒๓๔๕๖๗๘", "66812345678"),
            ("๐๘๑-๒๓๔-๕๖๗๘", "66812345678"),
            ("+๖๖ ๘๑ ๒๓๔ ๕๖๗๘", "66812345678"),
            ("812345678", "66812345678"),
            ("912345678", "66912345678"),
            ("612345678", "66612345678"),
            ("81 234 5678", "66812345678"),
            ("０８１２３４５６７８", "66812345678"),
            ("(0) 81 234 5678", "66812345678"),  // with no country code before it, (0) is the 0 of 081
        ]
        for (input, normal) in cases {
            XCTAssertEqual(try MSISDN.normalize(input).get(), normal, input)
        }
    }

    func testRejectedFormsSayWhy() {
        let cases: [(String, MSISDN.Invalid)] = [
            ("", .empty),
            ("  - ", .empty),
            ("+", .empty),
            ("08a1234567", .badCharacter("a", position: 3)),
            ("12ab", .badCharacter("a", position: 3)),
            ("081+2345678", .badCharacter("+", position: 4)),
            ("++66812345678", .badCharacter("+", position: 2)),
            ("081/234/5678", .badCharacter("/", position: 4)),
            ("0812345678\n", .badCharacter("\n", position: 11)),
            ("081234567", .tooFewDigits(prefix: "0", national: 8)),
            ("668123456789", .tooManyDigits(prefix: "66", national: 10)),
            ("08123", .tooFewDigits(prefix: "0", national: 4)),
            ("08123456789", .tooManyDigits(prefix: "0", national: 10)),
            ("+66 8123456789", .tooManyDigits(prefix: "+66", national: 10)),
            ("0066 81234567", .tooFewDigits(prefix: "0066", national: 8)),
            ("6081234567", .tooManyDigits(prefix: "", national: 10)),
            ("60812345678", .tooManyDigits(prefix: "", national: 11)),
            ("81234567", .tooFewDigits(prefix: "", national: 8)),
            ("+0812345678", .notThai(prefix: "+08")),
            ("+1 212 555 0100", .notThai(prefix: "+12")),
            ("0044 7700 900123", .notThai(prefix: "0044")),
            ("0212345678", .notMobile(prefix: "02")),
            ("66212345678", .notMobile(prefix: "66 2")),
            ("+66 2 123 4567 8", .notMobile(prefix: "+66 2")),
            ("0712345678", .notMobile(prefix: "07")),
            ("0512345678", .notMobile(prefix: "05")),
            ("212345678", .notMobile(prefix: "2")),
            ("021234567", .tooFewDigits(prefix: "0", national: 8)),
        ]
        for (input, reason) in cases {
            XCTAssertEqual(MSISDN.normalize(input), .failure(reason), input)
        }
    }

    func testReasonTexts() {
        XCTAssertEqual(MSISDN.Invalid.badCharacter("x", position: 5).description, "contains the letter 'x' at position 5")
        XCTAssertEqual(MSISDN.Invalid.badCharacter("/", position: 4).description, "contains '/' at position 4")
        XCTAssertEqual(
            "\(MSISDN.normalize("08123456789"))", "failure(has too many digits (0 + 10 digits; expected 0 + 9))")
        XCTAssertEqual(
            "\(MSISDN.normalize("81234567"))", "failure(has too few digits (8 digits with no 0 or 66 in front; expected 9, or 0 + 9))")
        XCTAssertEqual("\(MSISDN.normalize("0212345678"))", "failure(starts 02, not a mobile prefix (06, 08 or 09))")
        XCTAssertEqual(
            "\(MSISDN.normalize("+44 7700 900123"))", "failure(starts +44…, not Thailand's country code (+66 or 0066))")
    }

    /// The byte fast path never accepts what `normalize` refuses, and agrees with it on what it takes.
    func testFastPathAgreesWithNormalizeOnNewForms() throws {
        var list = MSISDNList.Reader(capacity: 4)
        for n in ["+66 (0) 81 234 5678", "๐๘๑๒๓๔๕๖๗๘", "812345678", "0066812345678"] { try list.append(n) }
        XCTAssertEqual(try list.finish().normalForms(), Array(repeating: "66812345678", count: 4))
        var bad = MSISDNList.Reader(capacity: 1)
        XCTAssertThrowsError(try bad.append("08123456789")) { error in
            XCTAssertTrue("\(error)".contains("has too many digits (0 + 10 digits; expected 0 + 9)"), "\(error)")
        }
    }

    func testMaskHidesTheMiddle() {
        XCTAssertEqual(MSISDN.mask("66812345678"), "66812xxx678")
        XCTAssertEqual(MSISDN.mask("123"), "xxx")
    }
}

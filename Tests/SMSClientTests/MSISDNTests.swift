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

    func testRejectedFormsSayWhy() {
        let cases: [(String, MSISDN.Invalid)] = [
            ("", .empty),
            ("  - ", .empty),
            ("+", .empty),
            ("08a1234567", .badCharacter("a")),
            ("12ab", .badCharacter("a")),
            ("081+2345678", .badCharacter("+")),
            ("++66812345678", .badCharacter("+")),
            ("081/234/5678", .badCharacter("/")),
            ("๐๘๑๒๓๔๕๖๗๘", .badCharacter("๐")),
            ("081234567", .badLength(digits: 9)),
            ("668123456789", .badLength(digits: 12)),
            ("08123", .badLength(digits: 5)),
            ("08123456789", .badPrefix),
            ("6081234567", .badPrefix),
            ("60812345678", .badPrefix),
            ("+0812345678", .badPrefix),
            ("0212345678", .notMobile),
            ("66212345678", .notMobile),
            ("0712345678", .notMobile),
            ("0512345678", .notMobile),
            ("021234567", .badLength(digits: 9)),
        ]
        for (input, reason) in cases {
            XCTAssertEqual(MSISDN.normalize(input), .failure(reason), input)
        }
    }

    func testReasonTexts() {
        XCTAssertEqual(MSISDN.Invalid.badCharacter("a").description, "contains 'a'")
        XCTAssertEqual(MSISDN.Invalid.notMobile.description, "is not a mobile number (06, 08 or 09)")
    }

    func testMaskHidesTheMiddle() {
        XCTAssertEqual(MSISDN.mask("66812345678"), "66812xxx678")
        XCTAssertEqual(MSISDN.mask("123"), "xxx")
    }
}

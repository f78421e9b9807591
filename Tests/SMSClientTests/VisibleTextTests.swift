import SMSClient
import XCTest

/// Control and invisible characters in messages are shown as escapes, the rest as it is.
final class VisibleTextTests: XCTestCase {
    func testControlCharactersAreEscaped() {
        XCTAssertEqual(VisibleText.escaped("a\rb\nc\td\0e"), #"a\rb\nc\td\0e"#)
        XCTAssertEqual(VisibleText.escaped("\u{1B}[31m\u{7F}\u{85}\u{9F}"), #"\x1B[31m\x7F\x85\x9F"#)
        // `\0` then `45` would read as `\045`: before a digit a NUL is `\x00`.
        XCTAssertEqual(VisibleText.escaped("a\0" + "45\0"), #"a\x0045\0"#)
        XCTAssertEqual(SMSError.quoted("08123\0" + "45678"), #""08123\x0045678""#)
    }

    func testInvisibleFormatCharactersAndOddSpacesAreShownByCodePoint() {
        XCTAssertEqual(VisibleText.escaped("1\u{200B}2\u{200C}3\u{200D}4\u{2060}5\u{FEFF}6"), "1U+200B2U+200C3U+200D4U+20605U+FEFF6")
        XCTAssertEqual(VisibleText.escaped("a\u{00A0}b\u{202F}c\u{3000}d\u{2028}e"), "aU+00A0bU+202FcU+3000dU+2028e")
        XCTAssertEqual(VisibleText.escaped("\u{061C}\u{E0001}"), "U+061CU+E0001")
    }

    func testVisibleTextIsKept() {
        XCTAssertEqual(VisibleText.escaped("plain text, ไทย, é, 😀 \\ \""), "plain text, ไทย, é, 😀 \\ \"")
    }

    func testQuotedEscapesQuotesBackslashesAndInvisibles() {
        XCTAssertEqual(SMSError.quoted("a\"b\\c\u{200B}\r"), #""a\"b\\cU+200B\r""#)
    }

    func testInvalidNumberReasonsShowTheInvisibleCharacter() {
        XCTAssertEqual("\(MSISDN.normalize("0812345678\u{200B}"))", "failure(contains 'U+200B' at position 11)")
        guard case .failure(let nul) = MSISDN.normalize("081234\u{0}5678") else { return XCTFail("a NUL is not valid") }
        XCTAssertEqual(nul.description, #"contains '\0' at position 7"#)
        // A ZWJ right after a digit is one Character with it: the reason still names the ZWJ alone.
        guard case .failure(let zwj) = MSISDN.normalize("0812345678\u{200D}") else { return XCTFail("a ZWJ is not valid") }
        XCTAssertEqual(zwj.description, "contains 'U+200D' at position 11")
        // A \r before the bad character is whitespace, not the culprit.
        guard case .failure(let x) = MSISDN.normalize("08\r12x") else { return XCTFail("x is not valid") }
        XCTAssertEqual(x.description, "contains the letter 'x' at position 6")
        XCTAssertEqual(try? MSISDN.normalize("0812345678\r").get(), "66812345678", "a CRLF line's \\r is whitespace")
    }

    func testInvalidMSISDNErrorQuotesTheValueEscaped() {
        let e = SMSError.invalidMSISDN(index: 2, value: "0812\u{200B}345678\n", reason: .badCharacter("\u{200B}", position: 5))
        XCTAssertEqual(e.message, #"'msisdns[2]' = "0812U+200B345678\n" is not a Thai mobile number (contains 'U+200B' at position 5)"#)
    }
}

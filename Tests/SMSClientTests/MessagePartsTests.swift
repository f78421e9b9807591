import SMSClient
import XCTest

/// The local parts estimator: GSM-7 160/153, UCS-2 70/67, extension characters count 2,
/// characters outside the BMP count 2 UTF-16 units.
final class MessagePartsTests: XCTestCase {
    private func s(_ c: String, _ n: Int) -> String { String(repeating: c, count: n) }

    func testTable() {
        let cases: [(String, String, Int, MessageParts.Encoding, Int)] = [
            ("empty", "", 1, .gsm7, 0),
            ("english", "Hello, world!", 1, .gsm7, 13),
            ("gsm accents", "Café £5 @ 10€", 1, .gsm7, 14),
            ("160 gsm", s("a", 160), 1, .gsm7, 160),
            ("161 gsm", s("a", 161), 2, .gsm7, 161),
            ("306 gsm", s("a", 306), 2, .gsm7, 306),
            ("307 gsm", s("a", 307), 3, .gsm7, 307),
            ("459 gsm", s("a", 459), 3, .gsm7, 459),
            ("460 gsm", s("a", 460), 4, .gsm7, 460),
            ("extension chars count 2", "^{}\\[~]|€", 1, .gsm7, 18),
            ("80 braces = 160", s("{", 80), 1, .gsm7, 160),
            ("81 braces = 162", s("{", 81), 2, .gsm7, 162),
            ("159 + euro = 161", s("a", 159) + "€", 2, .gsm7, 161),
            ("thai", "สวัสดี", 1, .ucs2, 6),
            ("70 thai", s("ก", 70), 1, .ucs2, 70),
            ("71 thai", s("ก", 71), 2, .ucs2, 71),
            ("134 thai", s("ก", 134), 2, .ucs2, 134),
            ("135 thai", s("ก", 135), 3, .ucs2, 135),
            ("one thai char makes all ucs2", s("a", 100) + "ก", 2, .ucs2, 101),
            ("emoji is 2 units", "😀", 1, .ucs2, 2),
            ("35 emoji = 70", s("😀", 35), 1, .ucs2, 70),
            ("36 emoji = 72", s("😀", 36), 2, .ucs2, 72),
            ("backtick is not gsm", "`", 1, .ucs2, 1),
            ("1000 gsm", s("a", 1000), 7, .gsm7, 1000),
            ("1000 thai", s("ก", 1000), 15, .ucs2, 1000),
        ]
        for (name, text, parts, encoding, characters) in cases {
            let result = MessageParts.of(text)
            XCTAssertEqual(result, MessageParts(parts: parts, encoding: encoding, characters: characters), name)
        }
    }
}

@testable import SMSClient
import XCTest

/// The fast path for plain-form numbers agrees with `MSISDN.normalize`, the one definition.
final class RecipientNumbersTests: XCTestCase {
    func testFastPathAgreesWithNormalize() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789")
        var inputs = ["0812345678", "66812345678", "0212345678", "66212345678", "0712345678", "6681234567a",
                      "081234567", "668123456789", "0012345678", "6612345678", "08123456٧8",
                      "081-234-5678", "(081) 234 5678", "+66812345678", "66 8 1234 5678", "[08]1.234.5678",
                      "0\t812345678", "081 234 567", "+0812345678", "66-2-123-45678", "-0812345678-"]
        for _ in 0..<20_000 {
            let length = Int.random(in: 9...12, using: &generator)
            var s = ""
            for i in 0..<length {
                if i == 0, Bool.random(using: &generator) { s += "0"; continue }
                if i < 2, length == 11, Bool.random(using: &generator) { s += "6"; continue }
                s.append(alphabet.randomElement(using: &generator)!)
                if Int.random(in: 0..<8, using: &generator) == 0 { s.append([" ", "-", ".", "(", "+"].randomElement()!) }
            }
            inputs.append(s)
        }
        for input in inputs {
            let slow = try? MSISDN.normalize(input).get()
            if let key = RecipientNumbers.plainKey(input) {
                XCTAssertEqual(RecipientNumbers.normalForm(key), slow, input)
            } else if slow != nil {
                // Not plain: the slow path must handle it and give the same normal form.
                let viaSlow = try? RecipientNumbers.normalize([input], dedupe: true).numbers.first?.stringValue
                XCTAssertEqual(viaSlow, slow, input)
            }
        }
    }

    func testManyDistinctNumbersAllSurviveDeduplication() throws {
        let numbers = (0..<100_000).map { "08" + String(10_000_000 + $0 * 7) }
        let result = try RecipientNumbers.normalize(numbers + numbers.prefix(10), dedupe: true)
        XCTAssertEqual(result.numbers.count, 100_000)
        XCTAssertEqual(result.duplicatesRemoved, 10)
        XCTAssertEqual(result.numbers.last, .string("668" + String(10_000_000 + 99_999 * 7)))
    }

    func testDeduplicationMatchesASetOnShuffledLists() throws {
        var generator = SystemRandomNumberGenerator()
        for size in [2, 3, 17, 1000, 50_000] {
            let numbers = (0..<size).map { _ in
                "0" + String([6, 8, 9].randomElement(using: &generator)!) + String(Int.random(in: 10_000_000..<10_000_000 + size, using: &generator))
            }
            var seen = Set<String>()
            let expected = numbers.compactMap { n -> JSONValue? in
                let normal = "66" + n.dropFirst()
                return seen.insert(normal).inserted ? .string(normal) : nil
            }
            let result = try RecipientNumbers.normalize(numbers, dedupe: true)
            XCTAssertEqual(result.numbers, expected, "size \(size)")
            XCTAssertEqual(result.duplicatesRemoved, size - expected.count)
        }
    }

    func testOrderOfFirstOccurrenceIsKept() throws {
        let result = try RecipientNumbers.normalize(
            ["0912345678", "0812345678", "66912345678", "(081) 234-5678", "0612345678"], dedupe: true)
        XCTAssertEqual(result.numbers, ["66912345678", "66812345678", "66612345678"])
        XCTAssertEqual(result.duplicatesRemoved, 2)
    }
}

import Foundation
@testable import SMSClient
import XCTest

/// Number files read in Swift: text (one per line) and a CSV column, normalised,
/// de-duplicated, invalid lines reported with their file line.
final class NumberFileTests: XCTestCase {
    private func file(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("numbers-\(UUID().uuidString).txt")
        try Data(text.utf8).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    func testTextFileNormalisesDedupesAndReportsInvalidLines() throws {
        let path = try file("\u{FEFF}0812345678\r\n+66 81 234 5678\n\n091-234-5678\n  \n12ab\n0912345678\n0612345678")
        let list = try NumberFile.read(path: path)
        XCTAssertEqual(try list.numbers.normalForms(), ["66812345678", "66912345678", "66612345678"])
        XCTAssertEqual(list.duplicates, 2)
        XCTAssertEqual(list.invalid, [NumberFile.Invalid(line: 6, value: "12ab", reason: "contains the letter 'a' at position 3")])
    }

    func testCSVColumnByHeaderName() throws {
        let path = try file("name,phone\nAnn,0812345678\nBob,\n\"Cat, C\",0812345678\nDan,0912345678\n")
        let list = try NumberFile.read(path: path, column: "phone")
        XCTAssertEqual(try list.numbers.normalForms(), ["66812345678", "66912345678"])
        XCTAssertEqual(list.duplicates, 1)
        XCTAssertEqual(list.invalid, [NumberFile.Invalid(line: 3, value: "", reason: "is empty")])
        XCTAssertThrowsError(try NumberFile.read(path: path, column: "mobile")) { error in
            XCTAssertEqual((error as? SMSError)?.field, "column")
            XCTAssertEqual((error as? SMSError)?.message, "\(path) has no column \"mobile\" (columns: \"name\", \"phone\")")
        }
    }

    func testManyLinesAcrossChunks() throws {
        var text = ""
        for i in 0..<300_000 { text += "08\(10_000_000 + i % 250_000)\n" }
        let list = try NumberFile.read(path: try file(text))
        XCTAssertEqual(list.numbers.count, 250_000)
        XCTAssertEqual(list.duplicates, 50_000)
        XCTAssertTrue(list.invalid.isEmpty)
    }
}

import Foundation
@testable import SMSClient
import XCTest

/// RFC 4180 reading from real files: quoting, line ends, the byte order mark, line numbers,
/// and malformed files refused with the file and line named. Every well-formed case is read
/// with several chunk sizes, so fields and line breaks that cross a chunk boundary are covered.
final class CSVRowsTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("csvrows-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    private func file(_ name: String, _ text: String) throws -> String { try file(name, Array(text.utf8)) }

    /// All rows as (fields by column, line), read with the given chunk size.
    private func rows(_ path: String, separator: Character = ",", chunkSize: Int = 256 * 1024) throws -> [([String: String], Int)] {
        let reader = try CSVRows(path: path, separator: separator, chunkSize: chunkSize)
        var out: [([String: String], Int)] = []
        while let (row, line) = try reader.next().map({ ($0.row, $0.line) }) { out.append((row.dictionary, line)) }
        return out
    }

    /// The same rows whatever the chunk size.
    private func rowsAtEveryChunkSize(_ path: String, separator: Character = ",") throws -> [([String: String], Int)] {
        let whole = try rows(path, separator: separator)
        for size in [3, 4, 5, 7, 16] {
            let chunked = try rows(path, separator: separator, chunkSize: size)
            XCTAssertEqual(chunked.map(\.0), whole.map(\.0), "chunk size \(size)")
            XCTAssertEqual(chunked.map(\.1), whole.map(\.1), "chunk size \(size)")
        }
        return whole
    }

    func testHeaderKeysEveryRowAndLinesCountFromTheHeader() throws {
        let path = try file("plain.csv", "phone,name\n0812345678,Ann\n0912345678,Bob\n")
        let reader = try CSVRows(path: path)
        XCTAssertEqual(reader.header, ["phone", "name"])
        let first = try XCTUnwrap(try reader.next())
        XCTAssertEqual(first.row["phone"], "0812345678")
        XCTAssertEqual(first.row["name"], "Ann")
        XCTAssertNil(first.row["email"])
        XCTAssertEqual(first.line, 2)
        let second = try XCTUnwrap(try reader.next())
        XCTAssertEqual(second.row.fields, ["0912345678", "Bob"])
        XCTAssertEqual(second.line, 3)
        XCTAssertNil(try reader.next())
        XCTAssertNil(try reader.next(), "the end stays the end")
    }

    func testQuotedFieldsHoldSeparatorsQuotesAndLineBreaks() throws {
        let text = "phone,name,note\n"
            + "0812345678,\"Doe, Jane\",\"she said \"\"hi\"\"\"\n"
            + "0912345678,\"two\nlines\",\"\"\n"
            + "0612345678,Bob,plain\n"
        let rows = try rowsAtEveryChunkSize(try file("quoted.csv", text))
        XCTAssertEqual(rows.map(\.0), [
            ["phone": "0812345678", "name": "Doe, Jane", "note": "she said \"hi\""],
            ["phone": "0912345678", "name": "two\nlines", "note": ""],
            ["phone": "0612345678", "name": "Bob", "note": "plain"],
        ])
        XCTAssertEqual(rows.map(\.1), [2, 3, 5], "the row after a two-line field starts on line 5")
    }

    func testCRLFAndLoneCRAreLineEndsAndCRLFInsideQuotesIsKept() throws {
        let text = "phone,name\r\n0812345678,\"a\r\nb\"\r\n0912345678,c\r0612345678,\"d\re\"\r\n"
        let rows = try rowsAtEveryChunkSize(try file("crlf.csv", text))
        XCTAssertEqual(rows.map(\.0), [
            ["phone": "0812345678", "name": "a\r\nb"],
            ["phone": "0912345678", "name": "c"],
            ["phone": "0612345678", "name": "d\re"],
        ])
        XCTAssertEqual(rows.map(\.1), [2, 4, 5])
    }

    func testByteOrderMarkIsSkippedAndNotPartOfTheFirstColumnName() throws {
        let path = try file("bom.csv", [0xEF, 0xBB, 0xBF] + Array("phone,name\n0812345678,Ann".utf8))
        let reader = try CSVRows(path: path, chunkSize: 3)
        XCTAssertEqual(reader.header, ["phone", "name"])
        XCTAssertEqual(try reader.next()?.row["phone"], "0812345678", "no line end after the last row")
    }

    func testBlankLinesAreSkippedButCountedAndEmptyFieldsKept() throws {
        let rows = try rowsAtEveryChunkSize(try file("blank.csv", "a,b,c\n\n1,,3\n\r\n\n,,\n4,5,\n"))
        XCTAssertEqual(rows.map(\.0), [["a": "1", "b": "", "c": "3"], ["a": "", "b": "", "c": ""], ["a": "4", "b": "5", "c": ""]])
        XCTAssertEqual(rows.map(\.1), [3, 6, 7])
    }

    func testABareQuoteInsideAnUnquotedFieldIsText() throws {
        let rows = try rows(try file("bare.csv", "name,n\nDwayne \"The Rock\" Johnson,1\n"))
        XCTAssertEqual(rows.first?.0["name"], "Dwayne \"The Rock\" Johnson")
    }

    func testSemicolonSeparatorAndUTF8Text() throws {
        let rows = try rowsAtEveryChunkSize(try file("semi.csv", "phone;name\n0812345678;\"สมชาย; ใจดี\"\n"), separator: ";")
        XCTAssertEqual(rows.map(\.0), [["phone": "0812345678", "name": "สมชาย; ใจดี"]])
    }

    func testUnterminatedQuotedFieldNamesTheLineWhereItOpened() throws {
        let text = "phone,name\n0812345678,Ann\n0912345678,Bob\n0612345678,Cat\n0812345679,Dan\n0812345670,Eve\n0812345671,\"Fay\n0812345672,Gus\n"
        let path = try file("contacts.csv", text)
        for size in [4, 256 * 1024] {
            let reader = try CSVRows(path: path, chunkSize: size)
            var read = 0
            XCTAssertThrowsError(try { while try reader.next() != nil { read += 1 } }()) { error in
                let e = error as? SMSError
                XCTAssertEqual(e?.code, "CSV_INVALID")
                XCTAssertEqual(e?.message, "\(path):7: unterminated quoted field")
                XCTAssertEqual(e?.notSent, true)
            }
            XCTAssertEqual(read, 5, "the rows before the bad one were read")
        }
    }

    func testTextAfterAClosingQuoteIsRefused() throws {
        let path = try file("after.csv", "a,b\n\"x\"y,1\n")
        let reader = try CSVRows(path: path)
        XCTAssertThrowsError(try reader.next()) { error in
            XCTAssertEqual((error as? SMSError)?.message,
                           "\(path):2: text after the closing quote of field 1 (a quote inside a quoted field is written \"\")")
        }
    }

    func testRowWithTooManyOrTooFewFieldsIsRefusedNamingItsLine() throws {
        let path = try file("count.csv", "a,b,c\n1,2,3\n1,2\n")
        let reader = try CSVRows(path: path)
        XCTAssertNotNil(try reader.next())
        XCTAssertThrowsError(try reader.next()) { error in
            XCTAssertEqual((error as? SMSError)?.message, "\(path):3: 2 fields, but the header has 3 columns")
        }
        XCTAssertNil(try reader.next(), "a failed reader is closed")
        let more = try CSVRows(path: try file("more.csv", "a\n1,2\n"))
        XCTAssertThrowsError(try more.next()) { error in
            XCTAssertTrue((error as? SMSError)?.message.hasSuffix("more.csv:2: 2 fields, but the header has 1 columns") ?? false)
        }
    }

    func testEmptyFileDuplicateColumnMissingFileAndBadSeparator() throws {
        let empty = try file("empty.csv", [0xEF, 0xBB, 0xBF])
        XCTAssertThrowsError(try CSVRows(path: empty)) { error in
            XCTAssertEqual((error as? SMSError)?.code, "CSV_INVALID")
            XCTAssertEqual((error as? SMSError)?.message, "\(empty): the file is empty (expected a header row naming the columns)")
        }
        let twice = try file("twice.csv", "phone,name,phone\n")
        XCTAssertThrowsError(try CSVRows(path: twice)) { error in
            XCTAssertEqual((error as? SMSError)?.message, "\(twice):1: the header names column \"phone\" twice (columns 1 and 3)")
        }
        let missing = directory.appendingPathComponent("nope.csv").path
        XCTAssertThrowsError(try CSVRows(path: missing)) { error in
            let e = error as? SMSError
            XCTAssertEqual(e?.code, "INVALID_ARGUMENT")
            XCTAssertEqual(e?.field, "path")
            XCTAssertEqual(e?.message, "cannot open \"\(missing)\": No such file or directory")
        }
        XCTAssertThrowsError(try CSVRows(path: directory.path)) { error in
            XCTAssertTrue((error as? SMSError)?.message.hasSuffix("Is a directory") ?? false, "\(error)")
        }
        XCTAssertThrowsError(try CSVRows(path: twice, separator: "\"")) { error in
            XCTAssertEqual((error as? SMSError)?.field, "separator")
        }
    }

    func testRowBytesAreTheFieldsWithoutStrings() throws {
        let reader = try CSVRows(path: try file("bytes.csv", "a,b\n\"x,\"\"y\",z\n"))
        XCTAssertTrue(try reader.advance())
        XCTAssertEqual(reader.line, 2)
        reader.withCurrentRow { row in
            XCTAssertEqual(row.count, 2)
            XCTAssertEqual(Array(row[0]), Array("x,\"y".utf8))
            XCTAssertEqual(Array(row[1]), Array("z".utf8))
        }
        XCTAssertFalse(try reader.advance())
    }

    /// A large file read in the default chunks gives every row and the right last line.
    func testManyRowsAcrossChunks() throws {
        var text = "phone,name\n"
        for i in 0..<50_000 { text += i % 7 == 0 ? "08\(10_000_000 + i),\"N \(i)\nx\"\n" : "08\(10_000_000 + i),N \(i)\n" }
        let reader = try CSVRows(path: try file("many.csv", text))
        var count = 0, expectedLine = 2
        while let r = try reader.next() {
            XCTAssertEqual(r.row["phone"], "08\(10_000_000 + count)")
            XCTAssertEqual(r.line, expectedLine)
            expectedLine += count % 7 == 0 ? 2 : 1
            count += 1
        }
        XCTAssertEqual(count, 50_000)
    }
}

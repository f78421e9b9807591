/// A CSV file (RFC 4180) read row by row in constant memory: a header row names the columns;
/// each later row comes with the file line where it starts.
///
/// Accepted: fields quoted with `"` (holding separators, line breaks and `""` for a quote),
/// CRLF, LF or CR line ends, a UTF-8 byte order mark, blank lines between rows (skipped), no
/// line end after the last row. A quote inside an unquoted field is kept as text (as Python's
/// `csv` and spreadsheets do). Refused, as `CSV_INVALID` naming the file and line
/// (`contacts.csv:7: unterminated quoted field`): a quoted field the file ends in, text after a
/// closing quote, a row whose field count differs from the header's, an empty file, a header
/// naming a column twice.
///
/// Why our own parser and not a library from the mirror (measured on this machine, 1,000,000
/// rows of 4 columns, 44 MB, README "Reading numbers and CSV files"): yaslab/CSV.swift 2.5.2
/// streams but decodes one `UnicodeScalar` at a time through `AnyIterator` (3.97 s, slower
/// than Python's `csv.DictReader` at 2.54 s before a single Lua table is made), gives no line
/// numbers and reads an unterminated quoted field silently to the end of the file; swiftcsv/
/// SwiftCSV 0.10.0 loads the whole file into one `String` and walks it by `Character`
/// (12.2 s, 468 MB peak). This one scans bytes in place, copies a row's unescaped field bytes
/// into one reused buffer and makes no `String` unless asked (`next()`); `sms.csv` pushes the
/// bytes straight into Lua.
public final class CSVRows {
    /// The file as the caller named it (used in error messages).
    public let path: String
    public private(set) var columns = CSVColumns(names: [], index: [:])
    /// The column names, in file order.
    public var header: [String] { columns.names }
    /// The file line where the current row (the last one `advance`/`next` read) starts.
    public private(set) var line = 0

    private let separator: UInt8
    private let file: FileChunks
    private var chunk = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    private var pos = 0
    /// The line of the next unread byte.
    private var nextLine = 1
    /// The current row: unescaped field bytes back to back, and where each field ends.
    private var fieldBytes: [UInt8] = []
    private var fieldEnds: [Int] = []

    private static let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    /// Opens the file and reads its header row.
    /// - Parameters:
    ///   - separator: one ASCII character other than a quote or a line break.
    ///   - chunkSize: bytes read at a time (tests make it tiny to cross chunk boundaries).
    /// - Throws: `INVALID_ARGUMENT` (field `path` or `separator`) for a file that cannot be
    ///   read or a bad separator; `CSV_INVALID` for an empty file or a bad header.
    public init(path: String, separator: Character = ",", chunkSize: Int = 256 * 1024) throws {
        guard let sep = separator.asciiValue, sep != CSVRows.quote, sep != CSVRows.lf, sep != CSVRows.cr else {
            throw SMSError.invalidArgument(
                "separator", "'separator' must be one ASCII character other than a quote or a line break (got \(SMSError.quoted(String(separator))))")
        }
        self.path = path
        self.separator = sep
        file = try FileChunks(path: path, chunkSize: chunkSize)
        try file.skipByteOrderMark()
        chunk = file.bytes
        pos = file.position
        fieldBytes.reserveCapacity(256)
        guard try readRecord() else {
            throw CSVRows.invalid(path, nil, "the file is empty (expected a header row naming the columns)")
        }
        var names: [String] = []
        names.reserveCapacity(fieldEnds.count)
        for i in fieldEnds.indices { names.append(withCurrentRow { String(decoding: $0[i], as: UTF8.self) }) }
        var index: [String: Int] = [:]
        for (i, name) in names.enumerated() {
            if let first = index[name] {
                throw CSVRows.invalid(path, line, "the header names column \(SMSError.quoted(name)) twice (columns \(first + 1) and \(i + 1))")
            }
            index[name] = i
        }
        columns = CSVColumns(names: names, index: index)
    }

    /// Closes the file early (the iteration then ends); reaching the end or an error closes it too.
    public func close() { file.close(); chunk = UnsafeBufferPointer(start: nil, count: 0); pos = 0 }

    /// The next row with its line, or nil at the end of the file.
    public func next() throws -> (row: CSVRecord, line: Int)? {
        guard try advance() else { return nil }
        let fields = withCurrentRow { row in (0..<row.count).map { String(decoding: row[$0], as: UTF8.self) } }
        return (CSVRecord(columns: columns, fields: fields), line)
    }

    /// Reads the next row into the reader's own buffer (no `String`s): then `line` and
    /// `withCurrentRow` describe it. False at the end of the file.
    public func advance() throws -> Bool {
        guard try readRecord() else { return false }
        if fieldEnds.count != columns.names.count {
            let fields = fieldEnds.count == 1 ? "1 field" : "\(fieldEnds.count) fields"
            let message = "\(fields), but the header has \(columns.names.count) columns"
            close()
            throw CSVRows.invalid(path, line, message)
        }
        return true
    }

    /// Calls `body` with the current row's fields as UTF-8 bytes (valid only during the call).
    public func withCurrentRow<R>(_ body: (CSVRowBytes) throws -> R) rethrows -> R {
        try fieldBytes.withUnsafeBufferPointer { bytes in
            try fieldEnds.withUnsafeBufferPointer { ends in try body(CSVRowBytes(bytes: bytes, ends: ends)) }
        }
    }

    // MARK: - Parsing

    /// Reads one record (any number of fields); false at the end of the file.
    private func readRecord() throws -> Bool {
        fieldBytes.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        do {
            // Blank lines between rows are skipped, as Python's csv does.
            while true {
                let b = try peek()
                if b < 0 { return false }
                if b != Int(CSVRows.lf) && b != Int(CSVRows.cr) { break }
                try consumeLineEnd()
            }
            line = nextLine
            while true {
                if try peek() == Int(CSVRows.quote) {
                    pos += 1
                    try readQuoted()
                    fieldEnds.append(fieldBytes.count)
                    let b = try peek()
                    if b == Int(separator) { pos += 1; continue }
                    if b < 0 { return true }
                    if b == Int(CSVRows.lf) || b == Int(CSVRows.cr) { try consumeLineEnd(); return true }
                    throw CSVRows.invalid(path, nextLine, "text after the closing quote of field \(fieldEnds.count) (a quote inside a quoted field is written \"\")")
                }
                try readUnquoted()
                fieldEnds.append(fieldBytes.count)
                let b = try peek()
                if b == Int(separator) { pos += 1; continue }
                if b >= 0 { try consumeLineEnd() }
                return true
            }
        } catch {
            close()
            throw error
        }
    }

    /// The next byte without consuming it, or -1 at the end of the file.
    @inline(__always)
    private func peek() throws -> Int {
        if pos == chunk.count {
            guard try refill() else { return -1 }
        }
        return Int(chunk[pos])
    }

    private func refill() throws -> Bool {
        let more = try file.refill()
        chunk = file.bytes
        pos = 0
        return more
    }

    /// Consumes LF, CR or CRLF (the next byte is one of the first two).
    private func consumeLineEnd() throws {
        let b = chunk[pos]
        pos += 1
        nextLine += 1
        if b == CSVRows.cr, try peek() == Int(CSVRows.lf) { pos += 1 }
    }

    /// Up to the next separator, line end or the end of the file, appended in bulk per chunk.
    private func readUnquoted() throws {
        let sep = separator
        while true {
            let c = chunk, end = c.count, start = pos
            var p = start
            while p < end {
                let x = c[p]
                if x == sep || x == CSVRows.lf || x == CSVRows.cr { break }
                p &+= 1
            }
            if p > start { fieldBytes.append(contentsOf: UnsafeBufferPointer(rebasing: c[start..<p])) }
            pos = p
            if p < end { return }
            guard try refill() else { return }
        }
    }

    /// After an opening quote: up to and past the closing one, `""` read as `"`, line breaks
    /// kept as they are and counted (CRLF as one line).
    private func readQuoted() throws {
        let opened = nextLine
        var previousCR = false
        while true {
            let c = chunk, end = c.count, start = pos
            var p = start
            var lines = 0
            while p < end {
                let x = c[p]
                if x == CSVRows.quote { break }
                if x == CSVRows.lf {
                    lines &+= 1
                } else if previousCR {
                    lines &+= 1  // the CR before this byte ended a line on its own
                }
                previousCR = x == CSVRows.cr
                p &+= 1
            }
            nextLine += lines
            if p > start { fieldBytes.append(contentsOf: UnsafeBufferPointer(rebasing: c[start..<p])) }
            pos = p
            if p == end {
                guard try refill() else { throw CSVRows.invalid(path, opened, "unterminated quoted field") }
                continue
            }
            // At a quote: `""` is a quote in the text; anything else ends the field.
            if previousCR { nextLine += 1 }
            previousCR = false
            pos += 1
            if try peek() == Int(CSVRows.quote) {
                fieldBytes.append(CSVRows.quote)
                pos += 1
                continue
            }
            return
        }
    }

    static func invalid(_ path: String, _ line: Int?, _ message: String) -> SMSError {
        let place = line.map { "\(path):\($0)" } ?? path
        return SMSError(status: nil, code: SMSError.Code.csvInvalid, message: "\(place): \(message)", retryable: false, notSent: true)
    }
}

/// The current row's fields as bytes, from `CSVRows.withCurrentRow`.
public struct CSVRowBytes {
    let bytes: UnsafeBufferPointer<UInt8>
    let ends: UnsafeBufferPointer<Int>

    public var count: Int { ends.count }

    /// Field `i` (0-based), as UTF-8 bytes.
    @inline(__always)
    public subscript(i: Int) -> UnsafeBufferPointer<UInt8> {
        let start = i == 0 ? 0 : ends[i - 1]
        return UnsafeBufferPointer(rebasing: bytes[start..<ends[i]])
    }
}

/// A CSV file's column names, shared by all its rows.
public final class CSVColumns: Sendable, Equatable {
    public let names: [String]
    private let index: [String: Int]

    init(names: [String], index: [String: Int]) {
        self.names = names
        self.index = index
    }

    /// The 0-based position of the column named `name`.
    public func position(of name: String) -> Int? { index[name] }

    public static func == (a: CSVColumns, b: CSVColumns) -> Bool { a.names == b.names }
}

/// One row, keyed by the header's column names.
public struct CSVRecord: Sendable, Equatable {
    public private(set) var columns = CSVColumns(names: [], index: [:])
    /// The fields, in column order.
    public let fields: [String]

    public subscript(column: String) -> String? { columns.position(of: column).map { fields[$0] } }

    /// Column name -> field.
    public var dictionary: [String: String] {
        Dictionary(uniqueKeysWithValues: zip(columns.names, fields))
    }
}

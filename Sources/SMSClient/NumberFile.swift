/// The phone numbers of a file, read, normalised, checked and de-duplicated in Swift (never a
/// Lua string per number): a text file with one number per line, or one column of a CSV file.
/// The basis of `sms.numbers`; `numbers` goes to a send as it is.
public struct NumberFile: Sendable {
    /// A line whose number is not a Thai mobile number.
    public struct Invalid: Sendable, Equatable {
        /// The file line (for a CSV file, the line where the row starts).
        public let line: Int
        public let value: String
        public let reason: String
    }

    /// Valid, distinct numbers in first-occurrence order.
    public let numbers: MSISDNList
    /// Valid numbers dropped because an earlier line had the same number.
    public let duplicates: Int
    public let invalid: [Invalid]

    /// Reads `path`: one number per line (blank lines skipped), or with `column` the CSV
    /// column of that name (an empty cell is invalid).
    /// - Throws: `INVALID_ARGUMENT` for a file that cannot be read or an unknown column (naming
    ///   the columns there are); `CSV_INVALID` for a malformed CSV file.
    public static func read(path: String, column: String? = nil, separator: Character = ",") throws -> NumberFile {
        var collector = Collector()
        if let column {
            let rows = try CSVRows(path: path, separator: separator)
            guard let position = rows.columns.position(of: column) else {
                let names = rows.header.map { SMSError.quoted($0) }.joined(separator: ", ")
                throw SMSError.invalidArgument("column", "\(path) has no column \(SMSError.quoted(column)) (columns: \(names))")
            }
            while try rows.advance() {
                rows.withCurrentRow { collector.add($0[position], line: rows.line, skipBlank: false) }
            }
        } else {
            let file = try FileChunks(path: path)
            try file.skipByteOrderMark()
            var line = 1
            var carry: [UInt8] = []
            var bytes = file.bytes
            var start = file.position
            while true {
                var p = start
                while p < bytes.count {
                    if bytes[p] == 0x0A {
                        let piece = UnsafeBufferPointer(rebasing: bytes[start..<p])
                        if carry.isEmpty {
                            collector.add(piece, line: line, skipBlank: true)
                        } else {
                            carry.append(contentsOf: piece)
                            carry.withUnsafeBufferPointer { collector.add($0, line: line, skipBlank: true) }
                            carry.removeAll(keepingCapacity: true)
                        }
                        line += 1
                        start = p + 1
                    }
                    p += 1
                }
                carry.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]))
                guard try file.refill() else { break }
                bytes = file.bytes
                start = 0
            }
            carry.withUnsafeBufferPointer { collector.add($0, line: line, skipBlank: true) }
        }
        return collector.finish()
    }

    private struct Collector {
        var national: [UInt32] = []
        var invalid: [Invalid] = []

        /// One number's bytes (a trailing CR is dropped: CRLF files).
        mutating func add(_ raw: UnsafeBufferPointer<UInt8>, line: Int, skipBlank: Bool) {
            var b = raw
            if let last = b.last, last == 0x0D { b = UnsafeBufferPointer(rebasing: b[0..<(b.count - 1)]) }
            if let key = RecipientNumbers.plainKey(b) {
                national.append(key)
                return
            }
            if skipBlank, b.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
            let text = String(decoding: b, as: UTF8.self)
            switch MSISDN.normalize(text) {
            case .success(let normal):
                var normal = normal
                national.append(normal.withUTF8 { RecipientNumbers.plainKey($0) }!)
            case .failure(let reason):
                invalid.append(Invalid(line: line, value: text, reason: reason.description))
            }
        }

        func finish() -> NumberFile {
            guard let repeated = DuplicateFinder.repeatedPositions(national) else {
                return NumberFile(numbers: MSISDNList(checked: national), duplicates: 0, invalid: invalid)
            }
            var kept: [UInt32] = []
            kept.reserveCapacity(national.count)
            for i in national.indices where !repeated[i] { kept.append(national[i]) }
            return NumberFile(numbers: MSISDNList(checked: kept), duplicates: national.count - kept.count, invalid: invalid)
        }
    }
}

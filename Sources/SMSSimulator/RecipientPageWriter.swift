import SMSClient

/// Writes a recipients page straight to JSON bytes: `{"data":[{"msisdn","status","updatedAt"}…],
/// …fields, "summary":[…]}`. The per-recipient part is the hot loop of million-recipient
/// paging, so it avoids building a `JSONValue` object per recipient; the rest of the page
/// goes through `JSONValue`'s writer as usual.
struct RecipientPageWriter {
    private var out: [UInt8]
    private var count = 0
    /// The last second formatted, and its text: recipients on a page share few distinct seconds.
    private var cachedSecond = Int64.min
    private var cachedTime: [UInt8] = []

    /// The fixed parts of an item, and each status's name, as bytes once.
    private static let itemStart = Array(#"{"msisdn":""#.utf8)
    private static let afterMSISDN = Array(#"","status":""#.utf8)
    private static let afterStatus = Array(#"","updatedAt":""#.utf8)
    private static let statusNames = RecipientStatus.all.map { Array($0.rawValue.utf8) }

    init(capacity: Int) {
        out = []
        // An item is ~85 bytes; the summary and fields ~300.
        out.reserveCapacity(96 * capacity + 512)
        out.append(contentsOf: #"{"data":["#.utf8)
    }

    mutating func item(msisdn: UInt64, status: RecipientStatus, updatedAt: Double) {
        if count > 0 { out.append(UInt8(ascii: ",")) }
        count += 1
        out.append(contentsOf: RecipientPageWriter.itemStart)
        appendDigits(msisdn)
        out.append(contentsOf: RecipientPageWriter.afterMSISDN)
        out.append(contentsOf: RecipientPageWriter.statusNames[status.index])
        out.append(contentsOf: RecipientPageWriter.afterStatus)
        let second = Int64(updatedAt.rounded(.down))
        if second != cachedSecond {
            cachedSecond = second
            cachedTime = Array(ISOTime.format(updatedAt).utf8)
        }
        out.append(contentsOf: cachedTime)
        out.append(contentsOf: #""}"#.utf8)
    }

    /// Closes `data`, then writes `fields` and the per-status `summary`.
    consuming func finish(_ fields: [String: JSONValue], summary counts: [Int]) -> [UInt8] {
        out.append(UInt8(ascii: "]"))
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            out.append(UInt8(ascii: ","))
            JSONValue.writeString(key, to: &out)
            out.append(UInt8(ascii: ":"))
            value.write(to: &out)
        }
        let summary: JSONValue = .array(
            RecipientStatus.all.map { ["status": .string($0.rawValue), "count": .int(Int64(counts[$0.index]))] })
        out.append(contentsOf: #","summary":"#.utf8)
        summary.write(to: &out, sortedKeys: true)
        out.append(UInt8(ascii: "}"))
        return out
    }

    private mutating func appendDigits(_ value: UInt64) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
            UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var v = value
        var n = 0
        withUnsafeMutableBytes(of: &digits) { buf in
            repeat {
                buf[19 - n] = UInt8(truncatingIfNeeded: 0x30 + v % 10)
                v /= 10
                n += 1
            } while v > 0
            out.append(contentsOf: buf[(20 - n)...])
        }
    }
}

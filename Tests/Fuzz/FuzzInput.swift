/// Reads fuzzer bytes as a stream of small decisions. Shared by every harness: a harness
/// turns the bytes libFuzzer mutates into structured values (numbers, strings, shapes), so
/// mutations of one byte change one decision rather than the whole input.
struct FuzzInput {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        bytes = UnsafeBufferPointer(start: data, count: size)
    }

    var isAtEnd: Bool { index >= bytes.count }

    mutating func byte() -> UInt8 {
        guard index < bytes.count else { return 0 }
        defer { index += 1 }
        return bytes[index]
    }

    mutating func int(below limit: Int) -> Int {
        guard limit > 1 else { return 0 }
        var v = 0
        for _ in 0..<(limit > 255 ? 2 : 1) { v = v << 8 | Int(byte()) }
        return v % limit
    }

    mutating func int64() -> Int64 {
        var v: UInt64 = 0
        for _ in 0..<8 { v = v << 8 | UInt64(byte()) }
        return Int64(bitPattern: v)
    }

    /// A double including NaN, ±infinity, ±0 and subnormals.
    mutating func double() -> Double {
        switch byte() % 8 {
        case 0: return .nan
        case 1: return .infinity
        case 2: return -.infinity
        case 3: return -0.0
        case 4: return Double(int64()) / 7
        default: return Double(bitPattern: UInt64(bitPattern: int64()))
        }
    }

    /// Up to `max` raw bytes (invalid UTF-8 and NULs included).
    mutating func bytes(max: Int) -> [UInt8] {
        let n = min(int(below: max + 1), bytes.count - min(index, bytes.count))
        defer { index += n }
        return Array(bytes[index..<index + n])
    }
}

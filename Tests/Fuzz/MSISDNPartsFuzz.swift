import SMSClient

/// libFuzzer target `msisdn_parts`: `MSISDN.normalize`, `MSISDN.mask` and `MessageParts.of`
/// on arbitrary text. Invariants checked (a failure traps, which libFuzzer reports):
/// - a normalised number is `66` + 9 digits with a mobile prefix, and normalising it again
///   (or its `0…` national form) gives the same number;
/// - every refusal has a non-empty description;
/// - the mask of a normal number is its first 5 and last 3 digits around `xxx`;
/// - part counts are at least 1, match the encoding's unit count, and never shrink when a
///   character is appended.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMSISDNParts(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)

    switch MSISDN.normalize(text) {
    case .success(let n):
        let b = Array(n.utf8)
        precondition(b.count == 11 && b[0] == 0x36 && b[1] == 0x36, "normal form is 66 + 9 digits: \(n)")
        precondition(b.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }, "normal form is digits only")
        precondition([0x36, 0x38, 0x39].contains(b[2]), "mobile prefix 6, 8 or 9")
        precondition(MSISDN.normalize(n) == .success(n), "normalising twice changes \(n)")
        precondition(MSISDN.normalize("0" + n.dropFirst(2)) == .success(n), "national form differs")
        precondition(MSISDN.normalize("+" + n) == .success(n), "+66 form differs")
        precondition(MSISDN.mask(n) == String(n.prefix(5)) + "xxx" + String(n.suffix(3)), "mask hides the middle")
    case .failure(let why):
        precondition(!why.description.isEmpty)
    }
    _ = MSISDN.mask(text)

    let parts = MessageParts.of(text)
    precondition(parts.parts >= 1, "at least one part")
    switch parts.encoding {
    case .ucs2:
        precondition(parts.characters == text.utf16.count, "UCS-2 counts UTF-16 units")
        precondition(parts.parts == (parts.characters <= 70 ? 1 : (parts.characters + 66) / 67))
    case .gsm7:
        precondition(parts.characters >= text.unicodeScalars.count, "extension characters count 2")
        precondition(parts.characters <= 2 * text.unicodeScalars.count)
        precondition(parts.parts == (parts.characters <= 160 ? 1 : (parts.characters + 152) / 153))
    }
    for extra in ["a", "€", "ก"] {
        precondition(MessageParts.of(text + extra).parts >= parts.parts, "appending never shrinks the count")
    }
    return 0
}

import SMSClient

/// Replaces phone numbers by stable pseudonyms so a cassette can be shared without the
/// customers' numbers, while replay still matches.
///
/// Every string that `MSISDN.normalize` accepts becomes `66990` + 6 digits derived from the
/// normalised number by a keyed 64-bit FNV-1a hash: `0812345678` and `66812345678` (the same
/// subscriber) get the same pseudonym, in every cassette and every run. Numbers already in the
/// `66990…` range are left as they are, so masking a masked value changes nothing — which is
/// what lets replay mask a live request that carries pseudonyms it got from a masked response.
/// With a million possible pseudonyms, two real numbers may share one; for matching that only
/// means two such requests are not told apart.
public struct NumberMasker: Sendable {
    public static let pseudonymPrefix = "66990"
    /// Fixed key: pseudonyms must be the same on every machine for cassettes to match.
    private static let key = "smsh-fixtures-msisdn-v1"

    public init() {}

    /// The pseudonym for a number-like string, or nil when it is not a Thai mobile number or
    /// is already in the pseudonym range.
    public func pseudonym(for text: String) -> String? {
        // Cheap reject first: numbers are short and start with a digit, '+' or '('.
        guard text.utf8.count >= 10, text.utf8.count <= 24, case .success(let normal) = MSISDN.normalize(text) else {
            return nil
        }
        if normal.hasPrefix(NumberMasker.pseudonymPrefix) { return nil }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in NumberMasker.key.utf8 { hash = (hash ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        for b in normal.utf8 { hash = (hash ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        let digits = String(hash % 1_000_000)
        return NumberMasker.pseudonymPrefix + String(repeating: "0", count: 6 - digits.count) + digits
    }

    public func mask(_ text: String) -> String {
        pseudonym(for: text) ?? text
    }

    /// Masks every string value (not object keys) at any depth.
    public func mask(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let s): return pseudonym(for: s).map(JSONValue.string) ?? value
        case .array(let items): return .array(items.map(mask))
        case .object(let fields): return .object(fields.mapValues(mask))
        case .null, .bool, .int, .double: return value
        }
    }
}

import SMSClient

/// Keeps a 2,000,000-number send from making a 2,000,000-line cassette: in a request body, an
/// array field `msisdns` with more than `threshold` entries is stored as
/// `{"$count": N, "$sha256": "<hex>", "$first": [first 5 entries]}`, where the digest is
/// SHA-256 over the entries joined by "\n". Replay summarises the live request the same way, so
/// the same list matches exactly and any other list (one number changed) does not.
public enum NumberListSummary {
    public static let field = "msisdns"
    public static let threshold = 20
    public static let shownEntries = 5

    /// The body with every long `msisdns` array (at any depth) replaced by its summary.
    public static func summarize(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let fields):
            var out: [String: JSONValue] = [:]
            out.reserveCapacity(fields.count)
            for (k, v) in fields {
                if k == field, case .array(let items) = v, items.count > threshold {
                    out[k] = summary(of: items)
                } else {
                    out[k] = summarize(v)
                }
            }
            return .object(out)
        case .array(let items): return .array(items.map(summarize))
        case .null, .bool, .int, .double, .string: return value
        }
    }

    static func summary(of items: [JSONValue]) -> JSONValue {
        var hasher = SHA256()
        for i in items.indices {
            let item = items[i]
            if i > 0 { hasher.update(byte: 0x0A) }
            // Entries are strings; anything else is hashed as its JSON text so it still counts.
            if case .string(let s) = item { hasher.update(s) } else { hasher.update(item.serialized(sortedKeys: true)) }
        }
        return .object([
            "$count": .int(Int64(items.count)),
            "$sha256": .string(SHA256.hexString(hasher.finalize())),
            "$first": .array(Array(items.prefix(shownEntries))),
        ])
    }
}

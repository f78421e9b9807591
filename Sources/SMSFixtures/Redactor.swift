import SMSClient

/// Replaces every occurrence of the configured secrets (the API key) by `[REDACTED]`, in any
/// string of a JSON value, object keys included. Fixtures run it on every interaction as it is
/// recorded AND over the whole document when a cassette is saved (a hand-edited or older
/// cassette gets cleaned too), so a secret cannot reach a cassette by any path.
public struct Redactor: Sendable, Equatable {
    public static let placeholder = "[REDACTED]"

    /// Longest first, so a secret that contains another is replaced whole. Empty ones are dropped
    /// (replacing "" would be meaningless).
    public let secrets: [String]

    public init(secrets: [String]) {
        self.secrets = Array(Set(secrets.filter { !$0.isEmpty })).sorted { ($0.count, $0) > ($1.count, $1) }
    }

    public func redact(_ text: String) -> String {
        var text = text
        for secret in secrets where text.contains(secret) {
            text = text.replacing(secret, with: Redactor.placeholder)
        }
        return text
    }

    public func redact(_ value: JSONValue) -> JSONValue {
        guard !secrets.isEmpty else { return value }
        switch value {
        case .string(let s): return .string(redact(s))
        case .array(let items): return .array(items.map(redact))
        case .object(let fields):
            var out: [String: JSONValue] = [:]
            out.reserveCapacity(fields.count)
            for (k, v) in fields { out[redact(k)] = redact(v) }
            return .object(out)
        case .null, .bool, .int, .double: return value
        }
    }
}

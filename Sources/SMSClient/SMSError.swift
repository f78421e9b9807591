/// The one error every failed operation throws, whether the server refused the request, the
/// network failed, or the arguments were rejected before anything was sent.
///
/// `description` is `CODE (status): message`, or `CODE: message` for a local error. The Lua
/// layer turns this value into an error table with the same fields. Messages never contain
/// the API key (`SMSClient` redacts it before an error leaves the client).
public struct SMSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// HTTP status, or nil for a local error (validation, network, timeout).
    public var status: Int?
    /// The API's `code` when the body had one, else one derived from the status, or a local code.
    public var code: String
    /// Human-readable: the API's `error`, a status text, or a local explanation.
    public var message: String
    /// Whether the same request may succeed later (429, 5xx, NETWORK, TIMEOUT).
    public var retryable: Bool
    /// The argument that was rejected (`sender`, `msisdns[3]`), for validation errors.
    public var field: String?
    /// True when the request provably never reached the server (connection refused, DNS,
    /// TLS handshake, no API key, checks made before sending): a send that failed so sent
    /// nothing for certain, and the send-once journal keeps no intent for it. False means
    /// "may have reached it" (a timeout after writing, a connection lost mid-exchange) or a
    /// server's answer; `status` tells the two apart.
    public var notSent: Bool
    /// Set when the API accepted a send but something after it failed (writing the cassette,
    /// recording the journal): the send went out with this result, and must not be repeated.
    public var sentResult: [String: JSONValue]?

    public init(status: Int?, code: String, message: String, retryable: Bool, field: String? = nil, notSent: Bool = false,
                sentResult: [String: JSONValue]? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.retryable = retryable
        self.field = field
        self.notSent = notSent
        self.sentResult = sentResult
    }

    public var description: String {
        if let status { return "\(code) (\(status)): \(message)" }
        return "\(code): \(message)"
    }
}

extension SMSError {
    /// Local error codes (the API's own codes come from response bodies).
    public enum Code {
        public static let network = "NETWORK"
        public static let timeout = "TIMEOUT"
        /// The HTTP proxy failed (unreachable, refused authentication, no tunnel): nothing sent.
        public static let proxy = "PROXY"
        public static let invalidMSISDN = "INVALID_MSISDN"
        public static let invalidArgument = "INVALID_ARGUMENT"
        public static let badResponse = "BAD_RESPONSE"
        /// A CSV file that does not parse; the message names the file and line.
        public static let csvInvalid = "CSV_INVALID"
    }

    /// A rejected argument, found before anything was sent.
    public static func invalidArgument(_ field: String, _ message: String) -> SMSError {
        SMSError(status: nil, code: Code.invalidArgument, message: message, retryable: false, field: field, notSent: true)
    }

    /// A number that is not a Thai mobile number; `index` is 1-based, as Lua counts.
    public static func invalidMSISDN(index: Int, value: String, reason: MSISDN.Invalid) -> SMSError {
        let field = "msisdns[\(index)]"
        return SMSError(
            status: nil, code: Code.invalidMSISDN,
            message: "'\(field)' = \(quoted(value)) is not a Thai mobile number (\(reason))",
            retryable: false, field: field, notSent: true)
    }

    /// A value shown in a message: quoted, control and invisible characters escaped
    /// (`VisibleText`), long values cut.
    public static func quoted(_ value: String, limit: Int = 40) -> String {
        var out = "\""
        let scalars = Array(value.unicodeScalars)
        for (i, scalar) in scalars.enumerated() {
            if i == limit { out += "…"; break }
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default: VisibleText.append(scalar, to: &out, before: i + 1 < scalars.count ? scalars[i + 1] : nil)
            }
        }
        return out + "\""
    }
}

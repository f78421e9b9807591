import SMSClient

/// The recorded data of one fixture: what was asked and what came back, in order.
///
/// On disk (format version 1, see `CassetteCoding`):
/// `{"version":1,"recordedAt":"2026-11-29T11:50:01Z","interactions":[{"request":{…},"response":{…}}]}`.
/// A cassette holds only stored forms: no request headers, secrets replaced by `[REDACTED]`,
/// numbers masked when asked, long number lists summarised (`RecordingRules`).
public struct Cassette: Sendable, Equatable {
    /// The one format version this code reads and writes.
    public static let formatVersion = 1

    /// When recording started, in epoch seconds (whole seconds; written as ISO 8601 UTC).
    /// Replay starts its virtual clock here so scripts see the time the server saw.
    public var recordedAt: Double
    public var interactions: [Interaction]

    public init(recordedAt: Double, interactions: [Interaction] = []) {
        self.recordedAt = recordedAt
        self.interactions = interactions
    }
}

/// One round trip: a request and the response the server gave to it.
public struct Interaction: Sendable, Equatable {
    public var request: RecordedRequest
    public var response: RecordedResponse

    public init(request: RecordedRequest, response: RecordedResponse) {
        self.request = request
        self.response = response
    }
}

/// A request as a cassette stores it: no headers, query as a name → values map (order-free).
public struct RecordedRequest: Sendable, Equatable {
    public var method: String
    public var path: String
    /// Values of each query parameter, in the order they were sent (one value is the usual case).
    public var query: [String: [String]]
    /// The JSON body; nil when the request had none.
    public var body: JSONValue?

    public init(method: String, path: String, query: [String: [String]] = [:], body: JSONValue? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.body = body
    }
}

/// A response as a cassette stores it: status, the headers that matter to the client, and
/// the body as a JSON value (or text when it was not JSON).
public struct RecordedResponse: Sendable, Equatable {
    /// The only response headers kept: what `SMSClient` reads.
    public static let keptHeaders: Set<String> = ["content-type", "retry-after"]

    public enum Body: Sendable, Equatable {
        case none
        case json(JSONValue)
        /// A body that is not JSON (e.g. a proxy's HTML 502 page), stored as `"bodyText"`.
        case text(String)
    }

    public var status: Int
    public var headers: [String: String]
    public var body: Body

    public init(status: Int, headers: [String: String] = [:], body: Body = .none) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The response replay gives back: JSON bodies are re-serialised compactly.
    public var transportResponse: TransportResponse {
        let bytes: [UInt8]
        switch body {
        case .none: bytes = []
        case .json(let value): bytes = value.serialized()
        case .text(let text): bytes = Array(text.utf8)
        }
        return TransportResponse(status: status, headers: headers, body: bytes)
    }
}

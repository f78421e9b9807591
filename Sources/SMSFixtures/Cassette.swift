import SMSClient

/// The recorded data of one fixture: what was asked and what came back, in order.
///
/// On disk (see `CassetteCoding`):
/// `{"version":1,"recordedAt":"2026-11-29T11:50:01Z","interactions":[{"request":{…},"response":{…}}]}`.
/// Version 2 is the same document where some responses keep their body in a gzip sidecar
/// (`"bodyFile"`, see `SidecarBody`); a cassette without one is still written as version 1.
/// A cassette holds only stored forms: no request headers, secrets replaced by `[REDACTED]`,
/// numbers masked when asked, long number lists summarised (`RecordingRules`).
public struct Cassette: Sendable, Equatable {
    /// The format version of a cassette whose bodies are all inline.
    public static let formatVersion = 1
    /// The format version of a cassette with at least one sidecar body (`"bodyFile"`).
    public static let sidecarFormatVersion = 2
    /// The versions this code reads.
    public static let readableVersions: ClosedRange<Int64> = 1...2

    /// When recording started, in epoch seconds (whole seconds; written as ISO 8601 UTC).
    /// Replay starts its virtual clock here so scripts see the time the server saw.
    public var recordedAt: Double
    public var interactions: [Interaction]
    /// Whether phone numbers were stored as pseudonyms (`--mask-numbers`): replay then masks
    /// live requests the same way, with or without the flag, so matching stays exact.
    /// Written as `"maskedNumbers": true`; absent means false.
    public var maskedNumbers: Bool
    /// The send-once keys the journal answered while recording, with the result it gave (no
    /// request went out for them): replay's journal answers them the same way, so the test sees
    /// what the recorded run saw. Written as `"journal": [{"key": …, "result": {…}}]`; absent
    /// when empty.
    public var journal: [JournalAnswer]

    public init(recordedAt: Double, interactions: [Interaction] = [], maskedNumbers: Bool = false, journal: [JournalAnswer] = []) {
        self.recordedAt = recordedAt
        self.interactions = interactions
        self.maskedNumbers = maskedNumbers
        self.journal = journal
    }
}

/// A send-once key the journal answered during a recording, and its recorded result.
public struct JournalAnswer: Sendable, Equatable {
    public var key: String
    public var result: [String: JSONValue]

    public init(key: String, result: [String: JSONValue]) {
        self.key = key
        self.result = result
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
        /// A big body kept byte for byte, gzip-compressed, in a file next to the cassette.
        case sidecar(SidecarBody)
    }

    public var status: Int
    public var headers: [String: String]
    public var body: Body

    public init(status: Int, headers: [String: String] = [:], body: Body = .none) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The response replay gives back: JSON bodies are re-serialised compactly. A sidecar
    /// body is not read here (that is I/O that can fail): replay uses `replayed()`.
    public var transportResponse: TransportResponse {
        let bytes: [UInt8]
        switch body {
        case .none, .sidecar: bytes = []
        case .json(let value): bytes = value.serialized()
        case .text(let text): bytes = Array(text.utf8)
        }
        return TransportResponse(status: status, headers: headers, body: bytes)
    }
}

/// Where a big response body is kept: `file` (relative to the cassette's folder, e.g.
/// `paging.bodies/<sha256>.gz`) holds the body's exact bytes, gzip-compressed; `sha256` is the
/// digest of that file and `bytes` the body's size. Written as
/// `"bodyFile": {"file": …, "sha256": …, "bytes": N}`.
public struct SidecarBody: Sendable, Equatable {
    public var file: String
    public var sha256: String
    public var bytes: Int
    /// The cassette's folder, to find `file` (not part of the stored form).
    public var folder: String

    public init(file: String, sha256: String, bytes: Int, folder: String) {
        self.file = file
        self.sha256 = sha256
        self.bytes = bytes
        self.folder = folder
    }

    public var path: String { folder.isEmpty ? file : folder + "/" + file }

    public static func == (a: SidecarBody, b: SidecarBody) -> Bool {
        a.file == b.file && a.sha256 == b.sha256 && a.bytes == b.bytes
    }
}

extension Cassette {
    /// Version 2 only when some body lives in a sidecar, so small cassettes stay readable by
    /// older smsh builds.
    public var storedVersion: Int {
        interactions.contains { if case .sidecar = $0.response.body { return true } else { return false } }
            ? Cassette.sidecarFormatVersion : Cassette.formatVersion
    }
}

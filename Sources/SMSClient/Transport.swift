#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// The one seam between smsh and the outside world: one request in, one response out.
///
/// `HTTPTransport` (real network), `SimulatorTransport` (in-process simulator),
/// `RecordingTransport` and `ReplayTransport` (fixtures) all implement it; everything above
/// it is identical whichever is used. A non-2xx status is a normal response value: only
/// `SMSClient` decides what a status means.
public protocol Transport: Sendable {
    /// Performs one round trip. Blocks the calling thread (Lua's) until the response is in.
    /// Throws `TransportFailure` when no HTTP response could be had.
    func roundTrip(_ request: TransportRequest) throws -> TransportResponse

    /// Whether callers may overlap round trips (e.g. fetch the next page of recipients while
    /// Lua reads this one). Only the network transport says yes: fixtures and the in-process
    /// simulator stay strictly sequential, so a cassette records the same requests every run.
    var allowsConcurrentRequests: Bool { get }
}

extension Transport {
    public var allowsConcurrentRequests: Bool { false }
}

public struct QueryItem: Sendable, Equatable, Hashable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

public struct TransportRequest: Sendable, Equatable {
    public var method: String
    /// Path without query, e.g. `/api/v2/sms/abc/recipients`.
    public var path: String
    public var query: [QueryItem]
    /// Header names are lower-case. `x-api-key` is set by the client from configuration.
    public var headers: [String: String]
    private var payload: RequestPayload?

    /// JSON body, as a value so fixtures can store and compare it semantically (parsed from
    /// `encodedBody` on first use when the request was made from bytes).
    public var body: JSONValue? {
        get { payload?.value }
        set { payload = newValue.map(RequestPayload.init(value:)) }
    }

    /// The body as sent on the wire (serialised on first use when made from a value).
    public var encodedBody: [UInt8]? { payload?.bytes }

    public init(method: String, path: String, query: [QueryItem] = [], headers: [String: String] = [:], body: JSONValue? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.payload = body.map(RequestPayload.init(value:))
    }

    /// A request whose JSON body is already written (a big send's numbers go straight to bytes).
    public init(method: String, path: String, query: [QueryItem] = [], headers: [String: String] = [:], encodedBody: [UInt8]) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.payload = RequestPayload(bytes: encodedBody)
    }

    public static func == (a: TransportRequest, b: TransportRequest) -> Bool {
        a.method == b.method && a.path == b.path && a.query == b.query && a.headers == b.headers && a.body == b.body
    }

    /// `path?name=value&…`, percent-encoded.
    public var target: String {
        guard !query.isEmpty else { return path }
        return path + "?" + query.map { "\(percentEncode($0.name))=\(percentEncode($0.value))" }.joined(separator: "&")
    }
}

public struct TransportResponse: Sendable, Equatable {
    public var status: Int
    /// Header names are lower-case.
    public var headers: [String: String]
    /// Raw body: usually JSON, but a 5xx from a proxy may be anything.
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public init(status: Int, headers: [String: String] = [:], json: JSONValue) {
        var h = headers
        h["content-type"] = "application/json"
        self.init(status: status, headers: h, body: json.serialized())
    }
}

/// Why a round trip produced no HTTP response. The retry policy depends on whether the
/// request may have reached the server: only `connectionRefused` proves it did not.
/// The server answered, then something after the round trip failed (writing the cassette of a
/// recording). The client reports `error`, and for an accepted send also what the server said,
/// so the journal records the send as made and no caller sends it again.
public struct FailureAfterResponse: Error {
    public let response: TransportResponse
    public let error: SMSError
    public init(response: TransportResponse, error: SMSError) {
        self.response = response
        self.error = error
    }
}

public enum TransportFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The connection could not be made; no byte of the request was written.
    case connectionRefused(String)
    /// Connecting or waiting for the response took too long; the request may have arrived.
    case timeout(String)
    /// The connection broke after the request started; the request may have arrived.
    case connectionLost(String)
    /// The response could not be used (e.g. a body larger than allowed).
    case other(String)
    /// The TLS handshake failed (an untrusted or mismatched certificate): nothing was sent, and
    /// asking again gets the same certificate, so it is final. The message is the whole text
    /// (`TLS: certificate of 127.0.0.1 not trusted (...)`).
    case tlsFailure(String)
    /// The HTTP proxy could not be reached, refused authentication, or would not open the
    /// tunnel: nothing reached the provider, and it is not the provider's outage, so it is
    /// final. The message names the proxy masked (`proxy http://user:***@host:port ...`).
    case proxyFailure(String)

    public var mayHaveReachedServer: Bool {
        switch self {
        case .connectionRefused, .tlsFailure, .proxyFailure: return false
        case .timeout, .connectionLost, .other: return true
        }
    }

    /// No retry can succeed: the same request would fail the same way.
    public var isFinal: Bool {
        switch self {
        case .tlsFailure, .proxyFailure: return true
        default: return false
        }
    }

    public var description: String {
        switch self {
        // Says itself what failed ("x refused the connection", "DNS lookup of x failed").
        case .connectionRefused(let m): return m
        case .timeout(let m): return "timed out: \(m)"
        case .connectionLost(let m): return "connection lost: \(m)"
        case .other(let m), .tlsFailure(let m), .proxyFailure(let m): return m
        }
    }
}

private let unreserved: Set<UInt8> = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8))

func percentEncode(_ s: String) -> String {
    var out = ""
    for b in s.utf8 {
        if unreserved.contains(b) {
            out.unicodeScalars.append(Unicode.Scalar(b))
        } else {
            out += "%" + String(b, radix: 16, uppercase: true).leftPadded(to: 2)
        }
    }
    return out
}

/// Decodes `%XX` escapes and `+` as space, as form-encoded query strings use.
public func percentDecode(_ s: Substring) -> String {
    var bytes: [UInt8] = []
    var it = s.utf8.makeIterator()
    while let b = it.next() {
        if b == UInt8(ascii: "%"), let h = it.next(), let l = it.next(), let v = UInt8(String(bytes: [h, l]), radix: 16) {
            bytes.append(v)
        } else if b == UInt8(ascii: "+") {
            bytes.append(0x20)
        } else {
            bytes.append(b)
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Splits `a=1&b=2` into query items.
public func parseQuery(_ query: Substring) -> [QueryItem] {
    query.split(separator: "&").map { pair in
        if let eq = pair.firstIndex(of: "=") {
            return QueryItem(percentDecode(pair[..<eq]), percentDecode(pair[pair.index(after: eq)...]))
        }
        return QueryItem(percentDecode(pair), "")
    }
}

extension String {
    fileprivate init(bytes: [UInt8]) { self = String(decoding: bytes, as: UTF8.self) }
    fileprivate func leftPadded(to n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}

/// A request body kept both ways, each made once on first use: the client writes a big
/// send's bytes directly, while the simulator and fixtures read the value.
final class RequestPayload: @unchecked Sendable {
    // Set once each, then only read. A stdlib Mutex, not NIOLock: scripts/fuzz compiles this
    // file with swiftc alone, without SwiftNIO.
    private let cache: Mutex<(value: JSONValue??, bytes: [UInt8]?)>

    init(value: JSONValue) { cache = Mutex((value: .some(value), bytes: nil)) }
    init(bytes: [UInt8]) { cache = Mutex((value: nil, bytes: bytes)) }

    /// nil only when bytes given by the caller are not JSON.
    var value: JSONValue? {
        cache.withLock { c in
            if let cached = c.value { return cached }
            let parsed = try? JSONValue.parse(c.bytes ?? [])
            c.value = .some(parsed)
            return parsed
        }
    }

    var bytes: [UInt8] {
        cache.withLock { c in
            if let cached = c.bytes { return cached }
            let written = (c.value ?? nil)?.serialized() ?? []
            c.bytes = written
            return written
        }
    }
}

import AsyncHTTPClient
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The real network: an AsyncHTTPClient with its own connection pool (connections are
/// reused between successful calls). `roundTrip` blocks the calling thread while the request
/// runs on AHC's event loop, so it must never be called on an event loop.
///
/// Failures are sorted by what they prove about the request (see `TransportFailure`): only a
/// connection that never completed counts as `.connectionRefused`, the one failure after
/// which a send may be repeated safely.
///
/// After any failed round trip the client (and its pool) is retired and the next call starts
/// on a fresh one. Why: one loaded test run crashed inside AHC's pool state machine ("A
/// connection that we don't know was released?"), and failures are where that pool juggles
/// racing events: a connection's close still being reported (remote close, read timeout)
/// or a connection attempt just removed (`retryConnectionEstablishment = false` is an
/// option AHC made for its own tests). Our retries follow a failure at once, so they would
/// land in exactly that pool. The crash could not be reproduced, so this keeps new requests
/// out of the suspect state rather than fixing a proven sequence.
public final class HTTPTransport: Transport, @unchecked Sendable {
    /// Largest response body accepted (a million-recipient page is far below this).
    public static let maximumResponseBytes = 256 * 1024 * 1024

    public let baseURL: String
    /// The private CA file given to `init`, named when it cannot be read.
    public let caFile: String?
    private let configuration: HTTPClient.Configuration
    // Guards `current` and `isShutDown`, and each Generation's counters.
    private let lock = NIOLock()
    private var current: Generation
    private var isShutDown = false

    /// One HTTPClient and the round trips running on it, so a retired client is shut down
    /// only once its last round trip has finished (callers on other threads keep theirs).
    private final class Generation {
        let client: HTTPClient
        var inFlight = 0
        /// Retired, and to be shut down when `inFlight` reaches 0.
        var shutdownPending = false
        init(client: HTTPClient) { self.client = client }
    }

    /// - Parameters:
    ///   - baseURL: `https://me-sms.com` or `http://127.0.0.1:8080` (a path prefix is kept).
    ///   - connectTimeout: seconds to establish a connection.
    ///   - readTimeout: seconds without a byte from the server before giving up.
    ///   - caFile: a PEM file of CA certificates trusted in addition to the system's (a
    ///     profile's `ca_file` or `SSL_CERT_FILE`, resolved by the caller).
    public init(baseURL: String, connectTimeout: Double = 10, readTimeout: Double = 60, caFile: String? = nil) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.caFile = caFile
        var tls: TLSConfiguration?
        if let caFile {
            tls = TLSConfiguration.makeClientConfiguration()
            tls?.additionalTrustRoots = [.file(caFile)]
        }
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .disallow,
            timeout: .init(connect: Self.amount(connectTimeout), read: Self.amount(readTimeout)))
        // The client's retry policy decides about retries; AHC must not quietly retry
        // connecting until the deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        self.configuration = configuration
        current = Generation(client: HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration))
    }

    deinit {
        shutdown()
    }

    /// Closes pooled connections. Idempotent; later round trips fail.
    public func shutdown() {
        lock.lock()
        let first = !isShutDown
        isShutDown = true
        let client = current.client
        lock.unlock()
        if first { try? client.syncShutdown() }
    }

    /// Round trips may overlap: each takes its own pooled connection.
    public var allowsConcurrentRequests: Bool { true }

    public func roundTrip(_ request: TransportRequest) throws -> TransportResponse {
        var headers = HTTPHeaders()
        headers.add(name: "user-agent", value: SMSClientInfo.userAgent)
        for (name, value) in request.headers where name != "user-agent" {
            headers.add(name: name, value: value)
        }
        var body: HTTPClient.Body?
        if let bytes = request.encodedBody {
            headers.replaceOrAdd(name: "content-type", value: "application/json")
            body = .bytes(bytes)
        }
        let httpRequest: HTTPClient.Request
        do {
            httpRequest = try HTTPClient.Request(
                url: baseURL + request.target, method: HTTPMethod(rawValue: request.method), headers: headers,
                body: body)
        } catch {
            throw TransportFailure.connectionRefused("invalid URL \(baseURL)\(request.path)")
        }
        let accumulator = ResponseAccumulator(request: httpRequest, maxBodySize: Self.maximumResponseBytes)
        lock.lock()
        let generation = current
        generation.inFlight += 1
        lock.unlock()
        let result = Result { try generation.client.execute(request: httpRequest, delegate: accumulator).futureResult.wait() }
        let response: HTTPClient.Response
        switch result {
        case .success(let value):
            finish(generation, failed: false)
            response = value
        case .failure(let error):
            finish(generation, failed: true)
            throw Self.failure(for: error, host: httpRequest.host, caFile: caFile)
        }
        var responseHeaders: [String: String] = [:]
        for (name, value) in response.headers {
            let key = name.lowercased()
            if let existing = responseHeaders[key] {
                responseHeaders[key] = existing + ", " + value
            } else {
                responseHeaders[key] = value
            }
        }
        let bytes = response.body.map { Array($0.readableBytesView) } ?? []
        return TransportResponse(status: Int(response.status.code), headers: responseHeaders, body: bytes)
    }

    /// Ends a round trip on `generation`. A failure retires it (unless already replaced or shut
    /// down) for a fresh client; a retired client is shut down when its last round trip ends,
    /// without waiting: AHC keeps it alive until its pool has closed.
    private func finish(_ generation: Generation, failed: Bool) {
        lock.lock()
        generation.inFlight -= 1
        if failed && generation === current && !isShutDown {
            generation.shutdownPending = true
            current = Generation(client: HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration))
        }
        let shutDownNow = generation.shutdownPending && generation.inFlight == 0
        if shutDownNow { generation.shutdownPending = false }
        lock.unlock()
        if shutDownNow { generation.client.shutdown(queue: .global()) { _ in } }
    }

    /// AHC/NIO errors as `TransportFailure`, by whether the request may have been written.
    static func failure(for error: Error, host: String, caFile: String?) -> TransportFailure {
        if let tls = TLSFailureText.describe(error, host: host, caFile: caFile) {
            return tls
        }
        if let plain = NetworkFailureText.describe(error, host: host, port: nil) { return plain }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout, .socksHandshakeTimeout,
                .httpProxyHandshakeTimeout:
                return .connectionRefused("could not connect in time (\(error))")
            case .readTimeout, .deadlineExceeded:
                return .timeout("no response in time (\(error))")
            case .remoteConnectionClosed, .writeTimeout, .cancelled:
                return .connectionLost("\(error)")
            case .alreadyShutdown:
                return .connectionRefused("the HTTP client is shut down")
            case .invalidURL, .emptyHost, .emptyScheme:
                return .connectionRefused("invalid URL (\(error))")
            default:
                return .connectionLost("\(error)")
            }
        }
        if error is NIOConnectionError {
            // DNS failure or every address refused: the connection never opened.
            return .connectionRefused("\(error)")
        }
        if let error = error as? ChannelError, case .connectTimeout = error {
            return .connectionRefused("could not connect in time")
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL:
                return .connectionRefused("\(error)")
            default:
                return .connectionLost("\(error)")
            }
        }
        if error is ResponseAccumulator.ResponseTooBigError {
            return .other("response body larger than \(maximumResponseBytes / 1024 / 1024) MiB")
        }
        return .connectionLost("\(error)")
    }

    private static func amount(_ seconds: Double) -> TimeAmount {
        .nanoseconds(Int64((max(0.001, seconds) * 1_000_000_000).rounded()))
    }
}

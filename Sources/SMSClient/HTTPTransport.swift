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
///
/// With an HTTP proxy, requests go through `ProxyConnector` instead (absolute-URI requests for
/// http, `CONNECT` + TLS for https, on SwiftNIO directly), with the same trust roots, timeouts
/// and failure classes, plus `.proxyFailure` for what the proxy refused.
public final class HTTPTransport: Transport, @unchecked Sendable {
    /// Largest response body accepted (a million-recipient page is far below this).
    public static let maximumResponseBytes = 256 * 1024 * 1024

    public let baseURL: String
    /// The private CA file given to `init`, named when it cannot be read.
    public let caFile: String?
    /// Every CA file trusted besides the system's (`ca_file` and `SSL_CERT_FILE`, together).
    public let caFiles: [String]
    /// The HTTP proxy requests go through (nil: straight to the API).
    public let proxy: HTTPProxy?
    /// Connections kept open to the API host at once (AHC's per-host soft limit).
    public let connectionsPerHost: Int
    /// Default of `connectionsPerHost`: enough for any in-flight cap a run sets today.
    public static let defaultConnectionsPerHost = 64
    private let configuration: HTTPClient.Configuration
    /// Set when a CA file cannot be loaded: every round trip fails with it (nothing is sent).
    private let tlsProblem: TransportFailure?
    private let proxied: ProxyConnector?
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
    ///   - caFile: a PEM file of CA certificates trusted in addition to the system's.
    ///   - caFiles: more such files (a profile's `ca_file` and `SSL_CERT_FILE` are trusted
    ///     together, with the system's CAs, never one instead of another).
    ///   - proxy: an HTTP proxy (`CONNECT` for https, absolute-URI requests for http).
    ///   - connectionsPerHost: the connection pool's size for the API host; size it to the
    ///     run's in-flight cap (AHC's own default is 8).
    public init(baseURL: String, connectTimeout: Double = 10, readTimeout: Double = 60, caFile: String? = nil,
                caFiles: [String] = [], proxy: HTTPProxy? = nil, connectionsPerHost: Int = HTTPTransport.defaultConnectionsPerHost) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.caFile = caFile
        var files: [String] = []
        for f in [caFile].compactMap({ $0 }) + caFiles where !files.contains(f) { files.append(f) }
        self.caFiles = files
        self.proxy = proxy
        self.connectionsPerHost = max(1, connectionsPerHost)
        var tls: TLSConfiguration?
        var problem: TransportFailure?
        if !files.isEmpty {
            tls = TLSConfiguration.makeClientConfiguration()
            var roots: [NIOSSLCertificate] = []
            for file in files {
                do {
                    roots += try NIOSSLCertificate.fromPEMFile(file)
                } catch {
                    problem = problem ?? .tlsFailure("TLS: the CA file \(file) (ca_file or SSL_CERT_FILE) could not be read as PEM certificates")
                }
            }
            tls?.additionalTrustRoots = [.certificates(roots)]
        }
        tlsProblem = problem
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .disallow,
            timeout: .init(connect: Self.amount(connectTimeout), read: Self.amount(readTimeout)))
        // The client's retry policy decides about retries; AHC must not quietly retry
        // connecting until the deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = self.connectionsPerHost
        self.configuration = configuration
        if let proxy {
            let target = Self.split(base)
            proxied = ProxyConnector(
                proxy: proxy, scheme: target.scheme, host: target.host, port: target.port,
                connectTimeout: Self.amount(connectTimeout), readTimeout: Self.amount(readTimeout), tlsConfiguration: tls,
                tlsProblem: problem, maxIdle: self.connectionsPerHost, maximumBodyBytes: Self.maximumResponseBytes)
        } else {
            proxied = nil
        }
        current = Generation(client: HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration))
    }

    /// Scheme, host and port of a base URL (`https://[::1]:8443/p` -> https, ::1, 8443).
    static func split(_ url: String) -> (scheme: String, host: String, port: Int) {
        var rest = Substring(url)
        var scheme = "https"
        if let r = rest.firstRange(of: "://") {
            scheme = rest[..<r.lowerBound].lowercased()
            rest = rest[r.upperBound...]
        }
        if let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
        var port = scheme == "http" ? 80 : 443
        var host: String
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":"), let p = Int(after.dropFirst()) { port = p }
        } else if let colon = rest.lastIndex(of: ":"), let p = Int(rest[rest.index(after: colon)...]) {
            host = String(rest[..<colon])
            port = p
        } else {
            host = String(rest)
        }
        return (scheme, host, port)
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
        if first {
            proxied?.shutdown()
            try? client.syncShutdown()
        }
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
            // JSON unless the request names its own type (a metrics push is text).
            if request.headers["content-type"] == nil { headers.replaceOrAdd(name: "content-type", value: "application/json") }
            body = .bytes(bytes)
        }
        if let tlsProblem, baseURL.lowercased().hasPrefix("https:") { throw tlsProblem }
        if let proxied {
            guard baseURL.hasPrefix("http://") || baseURL.hasPrefix("https://") else {
                throw TransportFailure.connectionRefused("invalid URL \(baseURL)\(request.path)")
            }
            lock.lock()
            let down = isShutDown
            lock.unlock()
            if down { throw TransportFailure.connectionRefused("the HTTP client is shut down") }
            let prefix = Self.pathPrefix(baseURL)
            do {
                return try proxied.roundTrip(method: HTTPMethod(rawValue: request.method), target: prefix + request.target,
                                             headers: headers, body: request.encodedBody)
            } catch let failure as TransportFailure {
                throw failure.through(proxied.proxy)
            }
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

    /// The path part of a base URL (`https://h/prefix` -> `/prefix`), kept before every request path.
    static func pathPrefix(_ url: String) -> String {
        guard let r = url.firstRange(of: "://") else { return "" }
        let rest = url[r.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return "" }
        return String(rest[slash...])
    }

    private static func amount(_ seconds: Double) -> TimeAmount {
        .nanoseconds(Int64((max(0.001, seconds) * 1_000_000_000).rounded()))
    }
}

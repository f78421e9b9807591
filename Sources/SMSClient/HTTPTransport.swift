import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The real network: one AsyncHTTPClient with its own connection pool (connections are
/// reused between calls). `roundTrip` blocks the calling thread while the request runs on
/// AHC's event loop, so it must never be called on an event loop.
///
/// Failures are sorted by what they prove about the request (see `TransportFailure`): only a
/// connection that never completed counts as `.connectionRefused`, the one failure after
/// which a send may be repeated safely.
public final class HTTPTransport: Transport, @unchecked Sendable {
    /// Largest response body accepted (a million-recipient page is far below this).
    public static let maximumResponseBytes = 256 * 1024 * 1024

    public let baseURL: String
    private let client: HTTPClient
    // Guards `isShutDown`; the rest is immutable, and HTTPClient is Sendable.
    private let lock = NSLock()
    private var isShutDown = false

    /// - Parameters:
    ///   - baseURL: `https://me-sms.com` or `http://127.0.0.1:8080` (a path prefix is kept).
    ///   - connectTimeout: seconds to establish a connection.
    ///   - readTimeout: seconds without a byte from the server before giving up.
    public init(baseURL: String, connectTimeout: Double = 10, readTimeout: Double = 60) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: Self.amount(connectTimeout), read: Self.amount(readTimeout)))
        // The client's retry policy decides about retries; AHC must not quietly retry
        // connecting until the deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    deinit {
        shutdown()
    }

    /// Closes pooled connections. Idempotent; later round trips fail.
    public func shutdown() {
        lock.lock()
        let first = !isShutDown
        isShutDown = true
        lock.unlock()
        if first { try? client.syncShutdown() }
    }

    public func roundTrip(_ request: TransportRequest) throws -> TransportResponse {
        var headers = HTTPHeaders()
        headers.add(name: "user-agent", value: SMSClientInfo.userAgent)
        for (name, value) in request.headers where name != "user-agent" {
            headers.add(name: name, value: value)
        }
        var body: HTTPClient.Body?
        if let json = request.body {
            headers.replaceOrAdd(name: "content-type", value: "application/json")
            body = .bytes(json.serialized())
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
        let response: HTTPClient.Response
        do {
            response = try client.execute(request: httpRequest, delegate: accumulator).futureResult.wait()
        } catch {
            throw Self.failure(for: error)
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

    /// AHC/NIO errors as `TransportFailure`, by whether the request may have been written.
    static func failure(for error: Error) -> TransportFailure {
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

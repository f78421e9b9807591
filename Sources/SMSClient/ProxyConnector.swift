#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOTLS

/// An HTTP proxy as `HTTPTransport` takes it (user and password already percent-decoded).
public struct HTTPProxy: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?

    public init(host: String, port: Int, username: String? = nil, password: String? = nil) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
    }

    /// `http://user:***@host:port`: how messages name the proxy (never with the password).
    public var masked: String {
        var out = "http://"
        if let username {
            out += username + (password != nil ? ":***" : "") + "@"
        }
        return out + (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
    }

    /// `Basic base64(user:password)`, or nil without user info.
    var authorization: String? {
        guard let username else { return nil }
        let pair = username + ":" + (password ?? "")
        return "Basic " + Data(pair.utf8).base64EncodedString()
    }
}

/// Requests through an HTTP proxy, on SwiftNIO directly (AsyncHTTPClient tunnels even plain
/// http through `CONNECT` and reports a refused `CONNECT` without its status):
/// - an http base URL: absolute-URI requests (`GET http://host:port/path HTTP/1.1`) to the proxy;
/// - an https one: `CONNECT host:port`, then TLS end to end with the provider (the same trust
///   roots and certificate checks as a direct connection), then the request.
/// `Proxy-Authorization: Basic` comes from the proxy's user info; it is added here, below
/// every wrapper, so no log, `--verbose` line or cassette ever sees it.
///
/// Every failure before the request is written (proxy unreachable, 407/401, a refused
/// tunnel) is `TransportFailure.proxyFailure`: nothing reached the provider. Idle connections
/// are kept for reuse by reads (GET, asked again once on a fresh connection when the pooled
/// one had gone stale); a send or cancel always takes a fresh connection, so a stale pooled
/// one can never leave its fate unknown.
final class ProxyConnector: @unchecked Sendable {
    let proxy: HTTPProxy
    let scheme: String
    let host: String
    let port: Int
    let connectTimeout: TimeAmount
    let readTimeout: TimeAmount
    let maximumBodyBytes: Int
    private let maxIdle: Int
    private let tls: NIOSSLContext?
    /// Why TLS cannot be set up (a CA file that does not load): every round trip fails with it.
    private let tlsProblem: TransportFailure?
    private let lock = NIOLock()
    private var idle: [ProxiedConnection] = []
    private var isShutDown = false

    init(proxy: HTTPProxy, scheme: String, host: String, port: Int, connectTimeout: TimeAmount, readTimeout: TimeAmount,
         tlsConfiguration: TLSConfiguration?, tlsProblem: TransportFailure?, maxIdle: Int, maximumBodyBytes: Int) {
        self.proxy = proxy
        self.scheme = scheme
        self.host = host
        self.port = port
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.maxIdle = maxIdle
        self.maximumBodyBytes = maximumBodyBytes
        var problem = tlsProblem
        var context: NIOSSLContext?
        if scheme == "https", problem == nil {
            var configuration = tlsConfiguration ?? TLSConfiguration.makeClientConfiguration()
            // NIOSSL checks an IP address against the socket's peer, which is the proxy here:
            // the IP is checked against the certificate below instead.
            if ProxyConnector.ipBytes(host) != nil { configuration.certificateVerification = .noHostnameVerification }
            do {
                context = try NIOSSLContext(configuration: configuration)
            } catch {
                problem = TLSFailureText.describe(error, host: host, caFile: nil)
                    ?? .tlsFailure("TLS: cannot set up TLS for \(host)")
            }
        }
        self.tls = context
        self.tlsProblem = problem
    }

    /// `host:port` as `CONNECT` and `Host:` name it.
    private var authority: String {
        let h = host.contains(":") ? "[\(host)]" : host
        let isDefault = (scheme == "https" && port == 443) || (scheme == "http" && port == 80)
        return isDefault ? h : "\(h):\(port)"
    }

    func shutdown() {
        lock.lock()
        isShutDown = true
        let connections = idle
        idle = []
        lock.unlock()
        for c in connections { c.channel.close(promise: nil) }
    }

    /// One request: `target` is the path and query (`/api/v2/credit?x=1`).
    func roundTrip(method: HTTPMethod, target: String, headers: HTTPHeaders, body: [UInt8]?) throws -> TransportResponse {
        if let tlsProblem { throw tlsProblem }
        var headers = headers
        headers.replaceOrAdd(name: "host", value: authority)
        if let body { headers.replaceOrAdd(name: "content-length", value: String(body.count)) }
        let uri: String
        if scheme == "http" {
            uri = "http://\(authority)\(target)"
            if let auth = proxy.authorization { headers.replaceOrAdd(name: "proxy-authorization", value: auth) }
        } else {
            uri = target
        }
        let head = HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: headers)
        // Only reads reuse a pooled connection: one the proxy closed while it sat idle fails
        // as a lost connection, which a read may simply retry and a send must not risk.
        let reusable = method == .GET && body == nil
        var connection: ProxiedConnection
        var answer: ProxiedConnection.Answer
        if reusable, let pooled = takeIdle() {
            connection = pooled
            do {
                answer = try connection.exchange(head, body: body)
            } catch let failure as TransportFailure {
                connection.channel.close(promise: nil)
                guard case .connectionLost = failure else { throw failure }
                // The pooled connection had gone stale: the read once more on a fresh one.
                connection = try open()
                answer = try exchangeOrClose(connection, head, body)
            }
        } else {
            connection = try open()
            answer = try exchangeOrClose(connection, head, body)
        }
        if scheme == "http", answer.status == 407 || (answer.status == 401 && Self.isProxyRefusal(answer)) {
            connection.channel.close(promise: nil)
            throw refusedAuthentication(answer)
        }
        if answer.keepAlive && reusable { putIdle(connection) } else { connection.channel.close(promise: nil) }
        var responseHeaders: [String: String] = [:]
        for (name, value) in answer.headers {
            let key = name.lowercased()
            responseHeaders[key] = responseHeaders[key].map { $0 + ", " + value } ?? value
        }
        return TransportResponse(status: answer.status, headers: responseHeaders, body: answer.body)
    }

    private func exchangeOrClose(_ connection: ProxiedConnection, _ head: HTTPRequestHead, _ body: [UInt8]?) throws -> ProxiedConnection.Answer {
        do {
            return try connection.exchange(head, body: body)
        } catch {
            connection.channel.close(promise: nil)
            throw error
        }
    }

    /// A 401 from the proxy, not the provider: the API always answers with a JSON error body,
    /// a proxy with its own page and a `Proxy-Authenticate` or `WWW-Authenticate` challenge.
    static func isProxyRefusal(_ answer: ProxiedConnection.Answer) -> Bool {
        if (try? JSONValue.parse(answer.body))?.objectValue != nil { return false }
        return answer.headers.contains { ["proxy-authenticate", "www-authenticate"].contains($0.0.lowercased()) }
    }

    private func refusedAuthentication(_ answer: ProxiedConnection.Answer) -> TransportFailure {
        let why = proxy.username == nil ? "wants a user and password (none given in the proxy URL)" : "refused the user and password"
        return .proxyFailure("proxy \(proxy.masked) \(why) (\(answer.status) \(answer.reason))")
    }

    private func takeIdle() -> ProxiedConnection? {
        lock.lock()
        defer { lock.unlock() }
        while let c = idle.popLast() {
            if c.channel.isActive { return c }
            c.channel.close(promise: nil)
        }
        return nil
    }

    private func putIdle(_ c: ProxiedConnection) {
        lock.lock()
        let keep = !isShutDown && idle.count < maxIdle
        if keep { idle.append(c) }
        lock.unlock()
        if !keep { c.channel.close(promise: nil) }
    }

    /// A connection to the proxy, tunnelled and TLS-wrapped for https.
    private func open() throws -> ProxiedConnection {
        lock.lock()
        let down = isShutDown
        lock.unlock()
        if down { throw TransportFailure.connectionRefused("the HTTP client is shut down") }
        let channel: Channel
        do {
            channel = try ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(connectTimeout)
                .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
                .connect(host: proxy.host, port: proxy.port).wait()
        } catch {
            throw TransportFailure.proxyFailure("proxy \(proxy.masked) unreachable: \(Self.connectReason(error, timeout: connectTimeout))")
        }
        do {
            let plain = try ProxiedConnection.install(on: channel, readTimeout: readTimeout, maximumBodyBytes: maximumBodyBytes)
            guard scheme == "https", let tls else { return plain }
            var headers = HTTPHeaders([("host", authority)])
            if let auth = proxy.authorization { headers.add(name: "proxy-authorization", value: auth) }
            let answer: ProxiedConnection.Answer
            do {
                answer = try plain.exchange(HTTPRequestHead(version: .http1_1, method: .CONNECT, uri: authority, headers: headers), body: nil)
            } catch let failure as TransportFailure {
                throw TransportFailure.proxyFailure("proxy \(proxy.masked) failed the tunnel to \(authority): \(failure)")
            }
            guard (200..<300).contains(answer.status) else {
                if answer.status == 407 || answer.status == 401 { throw refusedAuthentication(answer) }
                throw TransportFailure.proxyFailure(
                    "proxy \(proxy.masked) refused the tunnel to \(authority) (\(answer.status) \(answer.reason))")
            }
            return try ProxiedConnection.startTLS(on: channel, context: tls, host: host, readTimeout: readTimeout,
                                                  maximumBodyBytes: maximumBodyBytes)
        } catch {
            channel.close(promise: nil)
            if let failure = error as? TransportFailure { throw failure }
            throw HTTPTransport.failure(for: error, host: host, caFile: nil)
        }
    }

    /// Why a connection to the proxy failed, in words (no errno numbers, no library types).
    static func connectReason(_ error: Error, timeout: TimeAmount) -> String {
        if let error = error as? ChannelError, case .connectTimeout = error {
            return "no connection within \(timeout.nanoseconds / 1_000_000_000) s"
        }
        if let error = error as? NIOConnectionError {
            if error.dnsAAAAError != nil || error.dnsAError != nil, error.connectionErrors.isEmpty {
                return "its host name does not resolve"
            }
            for attempt in error.connectionErrors {
                if let io = attempt.error as? IOError { return reason(errno: io.errnoCode) }
                if let ce = attempt.error as? ChannelError, case .connectTimeout = ce {
                    return "no connection within \(timeout.nanoseconds / 1_000_000_000) s"
                }
            }
            return "no address of it accepts connections"
        }
        if let io = error as? IOError { return reason(errno: io.errnoCode) }
        return "cannot connect"
    }

    static func reason(errno code: Int32) -> String {
        switch code {
        case ECONNREFUSED: return "connection refused"
        case ENETUNREACH: return "network unreachable"
        case EHOSTUNREACH: return "host unreachable"
        case ETIMEDOUT: return "connection timed out"
        default: return "cannot connect (\(String(cString: strerror(code))))"
        }
    }

    /// An IPv4 or IPv6 address as bytes; nil for a host name.
    static func ipBytes(_ host: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}

/// One connection to the proxy and the handler that runs one exchange on it at a time.
final class ProxiedConnection: Sendable {
    struct Answer: Sendable {
        var status: Int
        var reason: String
        var headers: [(String, String)]
        var body: [UInt8]
        var keepAlive: Bool
    }

    let channel: Channel
    let handler: ExchangeHandler

    private init(channel: Channel, handler: ExchangeHandler) {
        self.channel = channel
        self.handler = handler
    }

    /// Adds the HTTP/1.1 codec and the exchange handler (at the end of the pipeline).
    static func install(on channel: Channel, readTimeout: TimeAmount, maximumBodyBytes: Int) throws -> ProxiedConnection {
        let handler = ExchangeHandler(readTimeout: readTimeout, maximumBodyBytes: maximumBodyBytes)
        try channel.eventLoop.submit {
            let ops = channel.pipeline.syncOperations
            try ops.addHandler(HTTPRequestEncoder(), name: "proxy-encoder")
            try ops.addHandler(ByteToMessageHandler(HTTPResponseDecoder(leftOverBytesStrategy: .dropBytes)), name: "proxy-decoder")
            try ops.addHandler(handler, name: "proxy-exchange")
        }.wait()
        return ProxiedConnection(channel: channel, handler: handler)
    }

    /// After a `CONNECT` answered 2xx: drops the codec used for it, starts TLS with the
    /// provider inside the tunnel, checks an IP address against the certificate, and puts a
    /// fresh codec on top.
    static func startTLS(on channel: Channel, context: NIOSSLContext, host: String, readTimeout: TimeAmount,
                         maximumBodyBytes: Int) throws -> ProxiedConnection {
        let ip = ProxyConnector.ipBytes(host)
        let handshake = channel.eventLoop.makePromise(of: Void.self)
        let setup = channel.eventLoop.flatSubmit {
            channel.pipeline.removeHandler(name: "proxy-exchange")
                .flatMap { channel.pipeline.removeHandler(name: "proxy-decoder") }
                .flatMap { channel.pipeline.removeHandler(name: "proxy-encoder") }
                .flatMapThrowing {
                    let ops = channel.pipeline.syncOperations
                    try ops.addHandler(NIOSSLClientHandler(context: context, serverHostname: ip == nil ? host : nil))
                    try ops.addHandler(HandshakeWaiter(promise: handshake))
                }
        }
        do {
            try setup.wait()
        } catch {
            handshake.fail(error)
            throw error
        }
        do {
            try handshake.futureResult.wait()
        } catch {
            throw TLSFailureText.describe(error, host: host, caFile: nil) ?? HTTPTransport.failure(for: error, host: host, caFile: nil)
        }
        if let ip {
            let certificate = try channel.nioSSL_peerCertificate().wait()
            guard let names = certificate?._subjectAlternativeNames(), names.contains(where: { $0.nameType == .ipAddress && Array($0.contents) == ip }) else {
                throw TransportFailure.tlsFailure("TLS: certificate of \(host) is for another host name (hostname mismatch)")
            }
        }
        return try install(on: channel, readTimeout: readTimeout, maximumBodyBytes: maximumBodyBytes)
    }

    /// Writes one request and waits for its whole response. A failure after writing is
    /// `connectionLost` or `timeout` (the request may have arrived).
    func exchange(_ head: HTTPRequestHead, body: [UInt8]?) throws -> Answer {
        let promise = channel.eventLoop.makePromise(of: Answer.self)
        let handler = self.handler
        channel.eventLoop.execute { handler.start(head: head, body: body, promise: promise) }
        do {
            return try promise.futureResult.wait()
        } catch let failure as TransportFailure {
            throw failure
        } catch {
            throw HTTPTransport.failure(for: error, host: "the proxy", caFile: nil)
        }
    }
}

/// Fulfils its promise when the TLS handshake completes (or fails, or the tunnel closes).
final class HandshakeWaiter: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = NIOAny
    private var promise: EventLoopPromise<Void>?

    init(promise: EventLoopPromise<Void>) { self.promise = promise }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            promise?.succeed(())
            promise = nil
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        promise?.fail(error)
        promise = nil
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise?.fail(TransportFailure.connectionRefused("the tunnel closed during the TLS handshake"))
        promise = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        promise?.fail(TransportFailure.connectionRefused("the tunnel closed during the TLS handshake"))
        promise = nil
    }
}

/// Sends a request and gathers its response; touched only on the channel's event loop.
final class ExchangeHandler: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let readTimeout: TimeAmount
    private let maximumBodyBytes: Int
    private var context: ChannelHandlerContext?
    private var promise: EventLoopPromise<ProxiedConnection.Answer>?
    private var head: HTTPResponseHead?
    private var body: [UInt8] = []
    private var requestKeepAlive = true
    private var timer: Scheduled<Void>?

    init(readTimeout: TimeAmount, maximumBodyBytes: Int) {
        self.readTimeout = readTimeout
        self.maximumBodyBytes = maximumBodyBytes
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        self.context = nil
    }

    func start(head request: HTTPRequestHead, body: [UInt8]?, promise: EventLoopPromise<ProxiedConnection.Answer>) {
        guard let context, context.channel.isActive else {
            promise.fail(TransportFailure.connectionRefused("the connection to the proxy closed before the request"))
            return
        }
        self.promise = promise
        head = nil
        self.body = []
        requestKeepAlive = request.isKeepAlive
        armTimer()
        context.write(wrapOutboundOut(.head(request)), promise: nil)
        if let body, !body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    private func armTimer() {
        timer?.cancel()
        guard let context else { return }
        let seconds = Double(readTimeout.nanoseconds) / 1e9
        timer = context.eventLoop.scheduleTask(in: readTimeout) { [self] in
            fail(.timeout("no response in time (nothing for \(seconds) s)"))
        }
    }

    private func fail(_ failure: TransportFailure) {
        guard let promise else { return }
        self.promise = nil
        timer?.cancel()
        promise.fail(failure)
        context?.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard promise != nil else { return }
        armTimer()
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
        case .body(var buffer):
            if body.count + buffer.readableBytes > maximumBodyBytes {
                fail(.other("response body larger than \(maximumBodyBytes / 1024 / 1024) MiB"))
                return
            }
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head, let promise else { return }
            self.promise = nil
            timer?.cancel()
            // 1xx interim answers are not expected from this API; anything else is final.
            let headers = head.headers.map { ($0.name, $0.value) }
            promise.succeed(.init(status: Int(head.status.code), reason: head.status.reasonPhrase, headers: headers, body: body,
                                  keepAlive: head.isKeepAlive && requestKeepAlive))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if answerRefusal() { return }
        if let failure = TLSFailureText.describe(error, host: "the provider", caFile: nil) {
            fail(failure)
        } else {
            fail(.connectionLost("\(error)"))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !answerRefusal() {
            fail(.connectionLost("the connection closed before the whole response arrived"))
        }
        context.fireChannelInactive()
    }

    /// A proxy refusing authentication answers 401/407 and closes at once, often before
    /// reading the request's body, so the connection ends in a reset instead of the end of
    /// its close-delimited page: the status line is what counts, and it arrived.
    private func answerRefusal() -> Bool {
        guard let head, head.status.code == 401 || head.status.code == 407, let promise else { return false }
        self.promise = nil
        timer?.cancel()
        promise.succeed(.init(status: Int(head.status.code), reason: head.status.reasonPhrase,
                              headers: head.headers.map { ($0.name, $0.value) }, body: body, keepAlive: false))
        return true
    }
}

extension TransportFailure {
    /// A failure of a request that went through `proxy`, saying so (`... (through proxy
    /// http://user:***@host:port)`), so an operator knows which hop to look at. The proxy's own
    /// refusals already name it, and a TLS failure is the provider's certificate.
    func through(_ proxy: HTTPProxy) -> TransportFailure {
        let via = " (through proxy \(proxy.masked))"
        switch self {
        case .connectionRefused(let m): return .connectionRefused(m + via)
        case .timeout(let m): return .timeout(m + via)
        case .connectionLost(let m): return .connectionLost(m + via)
        case .other(let m): return .other(m + via)
        case .tlsFailure, .proxyFailure: return self
        }
    }
}

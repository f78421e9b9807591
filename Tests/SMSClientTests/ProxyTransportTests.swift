import SMSClient
import SMSSimulator
import TLSTestSupport
import XCTest

/// HTTPTransport through Debian's tinyproxy (started here on a loopback port with BasicAuth
/// and a log file): plain http as absolute-URI requests, https through CONNECT with TLS end to
/// end, and each proxy failure as a final, certainly-not-sent `PROXY` error naming the proxy
/// with its password masked.
final class ProxyTransportTests: XCTestCase {
    var proxy: TinyproxyServer!
    var simulator: SimulatorServer!
    var engine: SimulatorEngine!

    override func setUpWithError() throws {
        proxy = try TinyproxyServer()
        engine = SimulatorEngine(config: SimulatorConfig(), clock: VirtualClock(start: 1_780_000_000))
        simulator = try SimulatorServer.start(engine: engine, host: "127.0.0.1", port: 0)
    }

    override func tearDown() {
        simulator?.stop()
        proxy?.remove()
    }

    var good: HTTPProxy { HTTPProxy(host: "127.0.0.1", port: proxy.port, username: proxy.user, password: proxy.password) }

    func client(_ transport: Transport) -> SMSClient {
        SMSClient(transport: transport, apiKey: LoopbackSimulator.demoKey, clock: VirtualClock(start: 0),
                  retry: RetryPolicy(jitter: Jitter(seed: 3)))
    }

    func testPlainHTTPGoesThroughTheProxyAsAbsoluteURIRequests() throws {
        let http = HTTPTransport(baseURL: simulator.baseURL, connectTimeout: 5, readTimeout: 5, proxy: good)
        defer { http.shutdown() }
        let c = client(http)
        XCTAssertEqual(try c.credit().balance, 10_000)
        let sent = try c.send(SendRequest(sender: "SMSHDEMO", content: "via proxy", msisdns: ["0812345678"]))
        XCTAssertNotNil(sent.uuid)
        XCTAssertEqual(try c.credit().balance, 9_999)
        let requests = proxy.requests
        XCTAssertTrue(requests.contains("GET \(simulator.baseURL)/api/v2/credit HTTP/1.1"), "\(requests)")
        XCTAssertTrue(requests.contains("POST \(simulator.baseURL)/api/v2/sms/send HTTP/1.1"), "\(requests)")
        XCTAssertEqual(requests.filter { $0.hasPrefix("GET ") }.count, 2, "\(requests)")
    }

    func testHTTPSGoesThroughCONNECTWithTheProviderCertificateChecked() throws {
        let tls = try TLSTestServer(files: ["api/v2/credit": #"{"balance": 4321, "currency": "credits"}"#])
        defer { tls.stop() }
        // The system bundle as SSL_CERT_FILE on an operator's machine, and the private CA: both trusted.
        let http = HTTPTransport(baseURL: tls.baseURL, connectTimeout: 5, readTimeout: 5,
                                 caFiles: [tls.caFile, "/etc/ssl/certs/ca-certificates.crt"], proxy: good)
        defer { http.shutdown() }
        XCTAssertEqual(try client(http).credit().balance, 4321)
        XCTAssertTrue(proxy.requests.contains("CONNECT 127.0.0.1:\(tls.port) HTTP/1.1"), "\(proxy.requests)")

        // Without the private CA the tunnel opens but the provider's certificate is refused.
        let untrusted = HTTPTransport(baseURL: tls.baseURL, connectTimeout: 5, readTimeout: 5, proxy: good)
        defer { untrusted.shutdown() }
        XCTAssertThrowsError(try untrusted.roundTrip(TransportRequest(method: "GET", path: "/api/v2/credit"))) { error in
            XCTAssertEqual(error as? TransportFailure, .tlsFailure(
                "TLS: certificate of 127.0.0.1 not trusted (self-signed or unknown issuer; trust its CA with ca_file or SSL_CERT_FILE)"))
        }
    }

    func testIPAddressIsCheckedAgainstTheCertificateInsideTheTunnel() throws {
        // A certificate for `localhost` only, reached as 127.0.0.1 through the proxy.
        let tls = try TLSTestServer(certificate: .localhostName)
        defer { tls.stop() }
        let http = HTTPTransport(baseURL: tls.baseURL, connectTimeout: 5, readTimeout: 5, caFile: tls.caFile, proxy: good)
        defer { http.shutdown() }
        XCTAssertThrowsError(try http.roundTrip(TransportRequest(method: "GET", path: "/api/v2/credit"))) { error in
            XCTAssertEqual(error as? TransportFailure, .tlsFailure("TLS: certificate of 127.0.0.1 is for another host name (hostname mismatch)"))
        }
    }

    func testWrongPasswordIsAFinalProxyErrorWithThePasswordMasked() throws {
        let wrong = HTTPProxy(host: "127.0.0.1", port: proxy.port, username: proxy.user, password: "hunter2-wrong")
        for base in [simulator.baseURL, "https://127.0.0.1:9"] {
            let http = HTTPTransport(baseURL: base, connectTimeout: 5, readTimeout: 5, proxy: wrong)
            defer { http.shutdown() }
            let c = client(http)
            XCTAssertThrowsError(try c.send(SendRequest(sender: "SMSHDEMO", content: "x", msisdns: ["0812345678"]))) { error in
                let e = error as? SMSError
                XCTAssertEqual(e?.code, "PROXY", "\(error)")
                XCTAssertEqual(e?.notSent, true)
                XCTAssertEqual(e?.retryable, false)
                XCTAssertEqual(e?.message, "proxy http://alice:***@127.0.0.1:\(self.proxy.port) refused the user and password (401 Unauthorized)")
                XCTAssertFalse("\(error)".contains("hunter2"))
            }
        }
        // No credentials at all: the proxy's 407.
        let anonymous = HTTPTransport(baseURL: simulator.baseURL, connectTimeout: 5, readTimeout: 5,
                                      proxy: HTTPProxy(host: "127.0.0.1", port: proxy.port))
        defer { anonymous.shutdown() }
        XCTAssertThrowsError(try client(anonymous).credit()) { error in
            XCTAssertEqual((error as? SMSError)?.message,
                           "proxy http://127.0.0.1:\(self.proxy.port) wants a user and password (none given in the proxy URL) (407 Proxy Authentication Required)")
        }
        // Nothing reached the provider: the balance is untouched.
        XCTAssertEqual(try client(SimulatorTransport(engine: engine)).credit().balance, 10_000)
    }

    func testDeadProxyIsOneAttemptNotSent() throws {
        let port = try freeLoopbackPort()
        let http = HTTPTransport(baseURL: simulator.baseURL, connectTimeout: 2, readTimeout: 2,
                                 proxy: HTTPProxy(host: "127.0.0.1", port: port, username: "u", password: "pw-secret"))
        defer { http.shutdown() }
        XCTAssertThrowsError(try http.roundTrip(TransportRequest(method: "GET", path: "/api/v2/credit"))) { error in
            XCTAssertEqual(error as? TransportFailure, .proxyFailure("proxy http://u:***@127.0.0.1:\(port) unreachable: connection refused"))
            XCTAssertEqual((error as? TransportFailure)?.mayHaveReachedServer, false)
        }
        XCTAssertThrowsError(try client(http).credit()) { error in
            XCTAssertFalse("\(error)".contains("attempts"), "a proxy failure is not retried: \(error)")
        }
    }

    func testRefusedTunnelNamesTheProxyAndTheReason() throws {
        let closed = try freeLoopbackPort()
        let http = HTTPTransport(baseURL: "https://127.0.0.1:\(closed)", connectTimeout: 5, readTimeout: 5, proxy: good)
        defer { http.shutdown() }
        XCTAssertThrowsError(try http.roundTrip(TransportRequest(method: "GET", path: "/api/v2/credit"))) { error in
            XCTAssertEqual(error as? TransportFailure, .proxyFailure(
                "proxy http://alice:***@127.0.0.1:\(self.proxy.port) refused the tunnel to 127.0.0.1:\(closed) (500 Internal Server Error)"))
        }
    }

    func testAConnectionLostThroughTheProxySaysWhichProxy() throws {
        let dying = try KeepAliveProxy(perConnection: 1, answers: false)
        defer { dying.stop() }
        let http = HTTPTransport(baseURL: "http://api.example:8080", connectTimeout: 5, readTimeout: 5,
                                 proxy: HTTPProxy(host: "127.0.0.1", port: dying.port, username: "u", password: "pw-secret"))
        defer { http.shutdown() }
        let send = TransportRequest(method: "POST", path: "/api/v2/sms/send", body: .object(["message": .string("x")]))
        XCTAssertThrowsError(try http.roundTrip(send)) { error in
            // Closed (FIN) or reset (RST, when the body came after the head was read): lost either way.
            guard case .connectionLost(let message)? = error as? TransportFailure else { return XCTFail("\(error)") }
            XCTAssertTrue(message.hasSuffix(" (through proxy http://u:***@127.0.0.1:\(dying.port))"), message)
            XCTAssertFalse(message.contains("pw-secret"), message)
            XCTAssertEqual((error as? TransportFailure)?.mayHaveReachedServer, true, "the proxy had the request: it may have gone on")
        }
        XCTAssertEqual(dying.counts.lines, ["POST http://api.example:8080/api/v2/sms/send HTTP/1.1"])
    }

    func testConcurrentRoundTripsThroughTheProxy() throws {
        let http = HTTPTransport(baseURL: simulator.baseURL, connectTimeout: 5, readTimeout: 5, proxy: good, connectionsPerHost: 4)
        defer { http.shutdown() }
        let c = client(http)
        final class Errors: @unchecked Sendable {
            let lock = NSLock()
            var list: [String] = []
        }
        let errors = Errors()
        // Each on its own thread: concurrentPerform would use only as many threads as cores.
        let group = DispatchGroup()
        for _ in 0..<24 {
            group.enter()
            Thread.detachNewThread {
                do {
                    _ = try c.credit()
                } catch {
                    errors.lock.withLock { errors.list.append("\(error)") }
                }
                group.leave()
            }
        }
        group.wait()
        XCTAssertEqual(errors.list, [])
        XCTAssertEqual(proxy.requests.filter { $0.hasPrefix("GET ") }.count, 24)
    }

    /// A stand-in proxy that keeps connections alive (tinyproxy closes after each request):
    /// answers `{}` to every request line it reads, closing a connection after `perConnection`
    /// answers, and counts connections and request lines. With `answers: false` it reads a
    /// request and closes the connection without a word (a proxy dying mid-request).
    final class KeepAliveProxy: @unchecked Sendable {
        let port: Int
        private let listener: Int32
        private let lock = NSLock()
        private(set) var connections = 0
        private(set) var lines: [String] = []
        private(set) var heads: [String] = []

        init(perConnection: Int, answers: Bool = true) throws {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let ok = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, $0, &length) == 0
                }
            }
            guard ok else { throw POSIXError(.EADDRINUSE) }
            listener = fd
            port = Int(UInt16(bigEndian: address.sin_port))
            Thread.detachNewThread { [self] in
                while true {
                    let c = accept(listener, nil, nil)
                    if c < 0 { return }
                    lock.withLock { connections += 1 }
                    Thread.detachNewThread { [self] in serve(c, perConnection: perConnection, answers: answers) }
                }
            }
        }

        private func serve(_ c: Int32, perConnection: Int, answers: Bool) {
            defer { close(c) }
            var pending = ""
            var answered = 0
            var buffer = [UInt8](repeating: 0, count: 4096)
            while answered < perConnection {
                while !pending.contains("\r\n\r\n") {
                    let n = read(c, &buffer, buffer.count)
                    if n <= 0 { return }
                    pending += String(decoding: buffer[0..<n], as: UTF8.self)
                }
                let end = pending.range(of: "\r\n\r\n")!
                let headText = String(pending[..<end.lowerBound])
                let line = headText.components(separatedBy: "\r\n")[0]
                pending = String(pending[end.upperBound...])
                lock.withLock {
                    lines.append(line)
                    heads.append(headText)
                }
                if !answers { return }
                let reply = Array("HTTP/1.1 200 OK\r\ncontent-length: 19\r\n\r\n{\"balance\": 12345}\n".utf8)
                _ = reply.withUnsafeBytes { write(c, $0.baseAddress, $0.count) }
                answered += 1
            }
        }

        var counts: (connections: Int, lines: [String]) { lock.withLock { (connections, lines) } }
        var lastHead: String { lock.withLock { heads.last ?? "" } }
        func stop() { shutdown(listener, Int32(SHUT_RDWR)); close(listener) }
    }

    func testReadsReuseAKeptAliveConnectionAndRecoverFromAStaleOne() throws {
        let keep = try KeepAliveProxy(perConnection: 100)
        defer { keep.stop() }
        let http = HTTPTransport(baseURL: "http://api.example:8080", connectTimeout: 5, readTimeout: 5,
                                 proxy: HTTPProxy(host: "127.0.0.1", port: keep.port))
        defer { http.shutdown() }
        for _ in 0..<3 { XCTAssertEqual(try client(http).credit().balance, 12345) }
        XCTAssertEqual(keep.counts.connections, 1)
        XCTAssertEqual(keep.counts.lines, Array(repeating: "GET http://api.example:8080/api/v2/credit HTTP/1.1", count: 3))

        // User info is percent-decoded into Basic proxy authentication ("a@b" : "p:w%").
        let authed = HTTPTransport(baseURL: "http://api.example:8080", connectTimeout: 5, readTimeout: 5,
                                   proxy: HTTPProxy(host: "127.0.0.1", port: keep.port, username: "a@b", password: "p:w%"))
        defer { authed.shutdown() }
        XCTAssertEqual(try authed.roundTrip(TransportRequest(method: "GET", path: "/api/v2/credit")).status, 200)
        XCTAssertTrue(keep.lastHead.lowercased().contains("proxy-authorization: basic " + Data("a@b:p:w%".utf8).base64EncodedString().lowercased()),
                      keep.lastHead)

        // A proxy that closes each connection after one answer: every read still succeeds, on
        // its own connection, without counting as a failed attempt.
        let once = try KeepAliveProxy(perConnection: 1)
        defer { once.stop() }
        let stale = HTTPTransport(baseURL: "http://api.example:8080", connectTimeout: 5, readTimeout: 5,
                                  proxy: HTTPProxy(host: "127.0.0.1", port: once.port))
        defer { stale.shutdown() }
        for _ in 0..<3 {
            XCTAssertEqual(try stale.roundTrip(TransportRequest(method: "GET", path: "/api/v2/credit")).status, 200)
            usleep(50_000)
        }
        XCTAssertEqual(once.counts.lines.count, 3)
        XCTAssertEqual(once.counts.connections, 3)
    }
}

import SMSClient
import TLSTestSupport
import XCTest

/// TLS against a real server (`openssl s_server`): an untrusted or mismatched certificate is a
/// clear, final, certainly-not-sent failure; a private CA file makes the same server trusted.
final class TLSTests: XCTestCase {
    /// Counts the round trips the client makes through the real transport.
    private final class CountingTransport: Transport, @unchecked Sendable {
        let inner: Transport
        private let lock = NSLock()
        private var count = 0
        init(_ inner: Transport) { self.inner = inner }
        var attempts: Int { lock.withLock { count } }
        func roundTrip(_ request: TransportRequest) throws -> TransportResponse {
            lock.withLock { count += 1 }
            return try inner.roundTrip(request)
        }
    }

    private func client(_ transport: Transport) -> SMSClient {
        SMSClient(transport: transport, apiKey: "sk_test_tls", clock: VirtualClock(start: 0))
    }

    func testUntrustedCertificateIsFinalAndNotSent() throws {
        let server = try TLSTestServer()
        defer { server.stop() }
        let http = HTTPTransport(baseURL: server.baseURL, connectTimeout: 5, readTimeout: 5)
        defer { http.shutdown() }

        // What the transport throws, shown once so a change in NIOSSL's errors is easy to see.
        XCTAssertThrowsError(try http.roundTrip(TransportRequest(method: "GET", path: "/api/v2/credit"))) { error in
            print("TLS failure from HTTPTransport: \(error)")
            XCTAssertEqual(error as? TransportFailure, .tlsFailure(
                "TLS: certificate of 127.0.0.1 not trusted (self-signed or unknown issuer; trust its CA with ca_file or SSL_CERT_FILE)"))
        }

        // A read (normally retried 4 times) and a send: one attempt each, notSent, no internals.
        let counting = CountingTransport(http)
        let c = client(counting)
        XCTAssertThrowsError(try c.credit()) { error in
            let e = error as? SMSError
            XCTAssertEqual(e?.code, "NETWORK")
            XCTAssertEqual(e?.notSent, true)
            XCTAssertEqual(e?.retryable, false)
            XCTAssertTrue(e?.message.hasPrefix("TLS: certificate of 127.0.0.1 not trusted") ?? false, e?.message ?? "")
            let message = e?.message ?? ""
            for word in ["NIOSSL", "BoringSSL", "handshakeFailed", ".cc:", "OPENSSL_internal"] {
                XCTAssertFalse(message.contains(word), "\(word) in \(message)")
            }
            XCTAssertFalse(e?.message.contains("attempts") ?? true)
        }
        XCTAssertEqual(counting.attempts, 1)
        XCTAssertThrowsError(try c.send(SendRequest(sender: "SMSHDEMO", content: "hi", msisdns: ["0812345678"]))) { error in
            XCTAssertEqual((error as? SMSError)?.notSent, true)
        }
        XCTAssertEqual(counting.attempts, 2)
    }

    func testPrivateCAFileMakesTheServerTrusted() throws {
        let server = try TLSTestServer()
        defer { server.stop() }
        let http = HTTPTransport(baseURL: server.baseURL, connectTimeout: 5, readTimeout: 5, caFile: server.caFile)
        defer { http.shutdown() }
        // s_server -www answers with its HTTP/1.0 status page: the handshake passed.
        let response = try http.roundTrip(TransportRequest(method: "GET", path: "/api/v2/credit"))
        XCTAssertEqual(response.status, 200)
        XCTAssertTrue(String(decoding: response.body, as: UTF8.self).contains("s_server"))
        // Through the client the HTML page is a BAD_RESPONSE: again proof the TLS part worked.
        XCTAssertThrowsError(try client(http).credit()) { error in
            XCTAssertEqual((error as? SMSError)?.code, "BAD_RESPONSE")
        }
    }

    func testCertificateForAnotherHostIsAMismatch() throws {
        let server = try TLSTestServer(certificate: .localhostName)
        defer { server.stop() }
        let http = HTTPTransport(baseURL: server.baseURL, connectTimeout: 5, readTimeout: 5, caFile: server.caFile)
        defer { http.shutdown() }
        let counting = CountingTransport(http)
        XCTAssertThrowsError(try client(counting).credit()) { error in
            print("TLS mismatch through SMSClient: \(error)")
            let e = error as? SMSError
            XCTAssertEqual(e?.message, "TLS: certificate of 127.0.0.1 is for another host name (hostname mismatch)")
            XCTAssertEqual(e?.notSent, true)
        }
        XCTAssertEqual(counting.attempts, 1)
    }

    func testUnreadableCAFileIsAClearFailure() throws {
        let server = try TLSTestServer()
        defer { server.stop() }
        let notPEM = server.directory.appendingPathComponent("missing.pem").path
        let http = HTTPTransport(baseURL: server.baseURL, connectTimeout: 5, readTimeout: 5, caFile: notPEM)
        defer { http.shutdown() }
        XCTAssertThrowsError(try http.roundTrip(TransportRequest(method: "GET", path: "/"))) { error in
            XCTAssertEqual(error as? TransportFailure, .tlsFailure(
                "TLS: the CA file \(notPEM) (ca_file or SSL_CERT_FILE) could not be read as PEM certificates"))
        }
    }
}

import SMSClient
import XCTest

/// What `HTTPTransport` writes and how it reads answers and failures, on real sockets.
final class HTTPTransportTests: XCTestCase {
    func testRequestCarriesAgentKeyContentTypeAndJSONBody() throws {
        let server = try OneShotHTTPServer(
            reply: "HTTP/1.1 402 Payment Required\r\nContent-Type: application/json\r\nX-Extra: 1\r\n"
                + "Content-Length: 16\r\nConnection: close\r\n\r\n{\"error\":\"no\"}  ")
        let transport = HTTPTransport(baseURL: server.baseURL + "/", connectTimeout: 5, readTimeout: 5)
        defer { transport.shutdown() }
        let response = try transport.roundTrip(
            TransportRequest(
                method: "POST", path: "/api/v2/sms/send", query: [QueryItem("a b", "c&d")],
                headers: ["x-api-key": "sk_k"], body: ["sender": "S", "n": 1]))
        XCTAssertEqual(response.status, 402)
        XCTAssertEqual(response.headers["x-extra"], "1")
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "{\"error\":\"no\"}  ")

        let raw = server.request()
        let lines = raw.split(separator: "\r\n", omittingEmptySubsequences: false).map { $0.lowercased() }
        XCTAssertEqual(lines.first, "post /api/v2/sms/send?a%20b=c%26d http/1.1")
        XCTAssertTrue(lines.contains("user-agent: smsh/0.1.0"), raw)
        XCTAssertTrue(lines.contains("x-api-key: sk_k"), raw)
        XCTAssertTrue(lines.contains("content-type: application/json"), raw)
        let body = try XCTUnwrap(raw.components(separatedBy: "\r\n\r\n").last)
        XCTAssertEqual(try JSONValue.parse(body), ["sender": "S", "n": 1])
    }

    func testResponseCutShortIsConnectionLost() throws {
        let server = try OneShotHTTPServer(
            reply: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"partial\":")
        let transport = HTTPTransport(baseURL: server.baseURL, connectTimeout: 5, readTimeout: 5)
        defer { transport.shutdown() }
        XCTAssertThrowsError(try transport.roundTrip(TransportRequest(method: "GET", path: "/api/v2/credit"))) { error in
            guard case .connectionLost? = error as? TransportFailure else {
                return XCTFail("expected connectionLost, got \(error)")
            }
            XCTAssertTrue((error as? TransportFailure)?.mayHaveReachedServer ?? false)
        }
    }

    func testRoundTripsAfterADroppedConnectionStillWork() throws {
        // A failure retires the transport's client; the next round trips run on a fresh one.
        let sim = try LoopbackSimulator()
        defer { sim.stop() }
        try sim.setFaults(["drop-before"])
        let request = TransportRequest(
            method: "GET", path: "/api/v2/credit", headers: ["x-api-key": LoopbackSimulator.demoKey])
        XCTAssertThrowsError(try sim.transport.roundTrip(request)) { error in
            guard case .connectionLost? = error as? TransportFailure else {
                return XCTFail("expected connectionLost, got \(error)")
            }
        }
        XCTAssertEqual(try sim.transport.roundTrip(request).status, 200)
        XCTAssertEqual(try sim.transport.roundTrip(request).status, 200)
        XCTAssertEqual(sim.engine.requestCount, 3)
    }

    func testClosedPortIsConnectionRefused() throws {
        let server = try OneShotHTTPServer(reply: "")
        let url = server.baseURL
        // Connect once so the one-shot listener closes; then nothing listens on the port.
        let first = HTTPTransport(baseURL: url, connectTimeout: 5, readTimeout: 5)
        _ = try? first.roundTrip(TransportRequest(method: "GET", path: "/"))
        first.shutdown()
        _ = server.request()
        let transport = HTTPTransport(baseURL: url, connectTimeout: 5, readTimeout: 5)
        defer { transport.shutdown() }
        XCTAssertThrowsError(try transport.roundTrip(TransportRequest(method: "GET", path: "/"))) { error in
            guard case .connectionRefused? = error as? TransportFailure else {
                return XCTFail("expected connectionRefused, got \(error)")
            }
        }
    }

    func testUnparsableBaseURLFailsWithoutSending() {
        let transport = HTTPTransport(baseURL: "ht tp://bad host", connectTimeout: 1, readTimeout: 1)
        defer { transport.shutdown() }
        XCTAssertThrowsError(try transport.roundTrip(TransportRequest(method: "GET", path: "/"))) { error in
            XCTAssertEqual((error as? TransportFailure)?.mayHaveReachedServer, false)
        }
    }
}

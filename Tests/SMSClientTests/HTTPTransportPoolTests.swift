import Foundation
import SMSClient
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// The connection pool's size is HTTPTransport's `connectionsPerHost` (AsyncHTTPClient's own
/// default of 8 would cap a run's in-flight requests at 8): against a server that answers each
/// request after 300 ms, the most connections open at once is the pool's size.
final class HTTPTransportPoolTests: XCTestCase {
    /// Answers every request after `delay` on its own connection (then closes it) and counts
    /// the connections open at once.
    final class SlowServer: @unchecked Sendable {
        let port: Int
        private let listener: Int32
        private let lock = NSLock()
        private var open = 0
        private(set) var maxOpen = 0
        private var stopped = false

        init(delay: Double) throws {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let ok = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, length) == 0 && listen(fd, 128) == 0 && getsockname(fd, $0, &length) == 0
                }
            }
            guard ok else {
                close(fd)
                throw POSIXError(.EADDRINUSE)
            }
            listener = fd
            port = Int(UInt16(bigEndian: address.sin_port))
            Thread.detachNewThread { [self] in
                while true {
                    let c = accept(listener, nil, nil)
                    if c < 0 { return }
                    lock.withLock {
                        open += 1
                        maxOpen = max(maxOpen, open)
                    }
                    Thread.detachNewThread { [self] in serve(c, delay: delay) }
                }
            }
        }

        var most: Int { lock.withLock { maxOpen } }

        private func serve(_ c: Int32, delay: Double) {
            var buffer = [UInt8](repeating: 0, count: 4096)
            var received: [UInt8] = []
            while !String(decoding: received, as: UTF8.self).contains("\r\n\r\n") {
                let n = read(c, &buffer, buffer.count)
                if n <= 0 { break }
                received += buffer[0..<n]
            }
            usleep(UInt32(delay * 1_000_000))
            let reply = Array("HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}".utf8)
            lock.withLock { open -= 1 }
            _ = reply.withUnsafeBytes { write(c, $0.baseAddress, $0.count) }
            close(c)
        }

        func stop() { shutdown(listener, Int32(SHUT_RDWR)); close(listener) }
    }

    /// `requests` round trips at once, each on its own thread (concurrentPerform would use
    /// only as many threads as there are cores).
    private func run(_ transport: HTTPTransport, requests: Int) {
        let group = DispatchGroup()
        for _ in 0..<requests {
            group.enter()
            Thread.detachNewThread {
                let r = try? transport.roundTrip(TransportRequest(method: "GET", path: "/api/v2/credit"))
                XCTAssertEqual(r?.status, 200)
                group.leave()
            }
        }
        group.wait()
    }

    func testPoolSizeCapsConnectionsOpenAtOnce() throws {
        let server = try SlowServer(delay: 0.3)
        defer { server.stop() }
        let transport = HTTPTransport(baseURL: "http://127.0.0.1:\(server.port)", connectTimeout: 5, readTimeout: 10, connectionsPerHost: 3)
        defer { transport.shutdown() }
        XCTAssertEqual(transport.connectionsPerHost, 3)
        run(transport, requests: 9)
        XCTAssertEqual(server.most, 3)
    }

    func testDefaultPoolAllowsMoreThanAsyncHTTPClientsEight() throws {
        let server = try SlowServer(delay: 0.3)
        defer { server.stop() }
        let transport = HTTPTransport(baseURL: "http://127.0.0.1:\(server.port)", connectTimeout: 5, readTimeout: 10)
        defer { transport.shutdown() }
        XCTAssertEqual(transport.connectionsPerHost, 64)
        run(transport, requests: 12)
        XCTAssertEqual(server.most, 12)
    }
}

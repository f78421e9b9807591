import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A loopback TCP listener that accepts one connection, captures the raw request and answers
/// with fixed bytes: lets tests see exactly what `HTTPTransport` puts on the wire, and send
/// responses no real server would (cut short mid-body).
final class OneShotHTTPServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let reply: [UInt8]
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var captured: [UInt8] = []

    init(reply: String) throws {
        self.reply = Array(reply.utf8)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 1) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in serveOnce() }
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The request bytes as received (waits for the exchange to finish).
    func request() -> String {
        done.wait()
        done.signal()
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: captured, as: UTF8.self)
    }

    private func serveOnce() {
        defer {
            close(listener)
            done.signal()
        }
        let connection = accept(listener, nil, nil)
        guard connection >= 0 else { return }
        defer { close(connection) }
        var buffer = [UInt8](repeating: 0, count: 65536)
        var received: [UInt8] = []
        while !Self.isComplete(received) {
            let n = read(connection, &buffer, buffer.count)
            if n <= 0 { break }
            received.append(contentsOf: buffer[0..<n])
        }
        lock.lock()
        captured = received
        lock.unlock()
        _ = reply.withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
    }

    /// Headers ended and `content-length` bytes of body are in.
    private static func isComplete(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return false }
        let head = text[..<end.lowerBound].lowercased()
        var length = 0
        for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
            length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
        }
        return text.utf8.count - text[..<end.upperBound].utf8.count >= length
    }
}

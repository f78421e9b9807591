#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import NIOConcurrencyHelpers
import SMSClient

/// `smsh run --requests-log FILE`: appends every API request the script makes to FILE as one
/// JSON object per line (method, path, query, body; never headers, so never the key).
/// `run_script` in specs reads it to assert what a script did ("never double-sends").
final class RequestLogTransport: Transport, @unchecked Sendable {
    let inner: Transport
    let path: String
    private let lock = NIOLock()

    init(wrapping inner: Transport, path: String) {
        self.inner = inner
        self.path = path
        FileManager.default.createFile(atPath: path, contents: nil)
    }

    func roundTrip(_ request: TransportRequest) throws -> TransportResponse {
        var object: [String: JSONValue] = ["method": .string(request.method), "path": .string(request.path)]
        var query: [String: JSONValue] = [:]
        for q in request.query { query[q.name] = .string(q.value) }
        object["query"] = .object(query)
        if let body = request.body { object["body"] = body }
        var line = JSONValue.object(object).serialized(sortedKeys: true)
        line.append(UInt8(ascii: "\n"))
        lock.lock()
        let fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        if fd >= 0 {
            _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        lock.unlock()
        return try inner.roundTrip(request)
    }
}

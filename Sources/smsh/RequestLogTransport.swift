import Foundation
import SMSClient

/// `smsh run --requests-log FILE`: appends every API request the script makes to FILE as one
/// JSON object per line (method, path, query, body; never headers, so never the key).
/// `run_script` in specs reads it to assert what a script did ("never double-sends").
final class RequestLogTransport: Transport, @unchecked Sendable {
    let inner: Transport
    let path: String
    private let lock = NSLock()

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
        if let handle = FileHandle(forWritingAtPath: path) {
            handle.seekToEndOfFile()
            handle.write(Data(line))
            try? handle.close()
        }
        lock.unlock()
        return try inner.roundTrip(request)
    }
}

import Foundation
import SMSClient
import XCTest

@testable import SMSFixtures

/// A stand-in for the server in these unit tests: answers each request from a closure and
/// counts the calls. The real simulator is used for recording in the lead's integration tests;
/// here the point is what the fixtures do with whatever a server says.
final class ClosureTransport: Transport, @unchecked Sendable {
    private let lock = NSLock()
    private var _calls: [TransportRequest] = []
    private let answer: @Sendable (TransportRequest, Int) throws -> TransportResponse

    /// `answer` gets the request and its 0-based call number.
    init(_ answer: @escaping @Sendable (TransportRequest, Int) throws -> TransportResponse) {
        self.answer = answer
    }

    var calls: [TransportRequest] {
        lock.lock()
        defer { lock.unlock() }
        return _calls
    }

    func roundTrip(_ request: TransportRequest) throws -> TransportResponse {
        lock.lock()
        let n = _calls.count
        _calls.append(request)
        lock.unlock()
        return try answer(request, n)
    }
}

/// A fresh folder per test, removed afterwards.
final class TemporaryFolder {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "smsh-fixtures-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }

    func contents() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: path))?.sorted() ?? [] }
}

func bytes(of path: String) -> [UInt8] {
    Array(FileManager.default.contents(atPath: path) ?? Data())
}

func text(of path: String) -> String {
    String(decoding: bytes(of: path), as: UTF8.self)
}

func write(_ text: String, to path: String) {
    FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
}

func json(_ status: Int, _ body: JSONValue, headers: [String: String] = [:]) -> TransportResponse {
    TransportResponse(status: status, headers: headers, json: body)
}

func bodyJSON(_ response: TransportResponse) -> JSONValue? {
    try? JSONValue.parse(response.body)
}

func send(_ body: JSONValue) -> TransportRequest {
    TransportRequest(method: "POST", path: "/api/v2/sms/send", headers: ["x-api-key": "k"], body: body)
}

func get(_ path: String, _ query: [QueryItem] = []) -> TransportRequest {
    TransportRequest(method: "GET", path: path, query: query, headers: ["x-api-key": "k"])
}

/// Runs `body`, expecting an `SMSError`; returns it.
func expectSMSError(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> SMSError? {
    do {
        try body()
        XCTFail("expected an SMSError, nothing was thrown", file: file, line: line)
    } catch let error as SMSError {
        return error
    } catch {
        XCTFail("expected an SMSError, got \(error)", file: file, line: line)
    }
    return nil
}

/// A replay transport over interactions built directly (no file).
func replay(_ pairs: [(TransportRequest, TransportResponse)], rules: RecordingRules = RecordingRules()) -> ReplayTransport {
    let interactions = pairs.map { Interaction(request: rules.storedRequest($0.0), response: rules.storedResponse($0.1)) }
    return ReplayTransport(cassette: Cassette(recordedAt: 1_800_000_000, interactions: interactions), rules: rules)
}

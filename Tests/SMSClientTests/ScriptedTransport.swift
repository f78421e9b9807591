import Foundation
import SMSClient

/// A Transport that answers from a script and records what it was asked: a stand-in for the
/// network at the seam, for checking the client's own decisions (status mapping, retries)
/// without sockets. Behaviour over real HTTP is checked against the simulator elsewhere.
final class ScriptedTransport: Transport, @unchecked Sendable {
    enum Step {
        case respond(TransportResponse)
        case fail(TransportFailure)
    }

    private let lock = NSLock()
    private var steps: [Step]
    private var _requests: [TransportRequest] = []

    init(_ steps: [Step]) { self.steps = steps }

    var requests: [TransportRequest] {
        lock.lock()
        defer { lock.unlock() }
        return _requests
    }

    func roundTrip(_ request: TransportRequest) throws -> TransportResponse {
        lock.lock()
        _requests.append(request)
        // The last step repeats once the script runs out.
        let step = steps.count > 1 ? steps.removeFirst() : steps[0]
        lock.unlock()
        switch step {
        case .respond(let response): return response
        case .fail(let failure): throw failure
        }
    }
}

extension ScriptedTransport.Step {
    static func json(_ status: Int, _ body: JSONValue, headers: [String: String] = [:]) -> Self {
        .respond(TransportResponse(status: status, headers: headers, json: body))
    }

    static func raw(_ status: Int, _ text: String, headers: [String: String] = [:]) -> Self {
        .respond(TransportResponse(status: status, headers: headers, body: Array(text.utf8)))
    }
}

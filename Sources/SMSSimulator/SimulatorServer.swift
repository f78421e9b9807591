import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SMSClient
import ServiceLifecycle

/// The simulator over a real socket (Hummingbird 2): a thin adapter from HTTP to
/// `SimulatorEngine.handle` and back. Used by `smsh serve` and by tests that need real HTTP.
public final class SimulatorServer: @unchecked Sendable {
    /// Large enough for a 2,000,000-number send (~30 MB of JSON).
    public static let maxBodySize = 64 << 20

    /// The bound port (useful when started with port 0).
    public let port: Int
    public let host: String
    private let group: ServiceGroup
    private let finished: DispatchSemaphore
    private let runTask: Task<Void, Never>
    private let lock = NIOLock()
    private var stopped = false

    /// `http://HOST:PORT`.
    public var baseURL: String {
        host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
    }

    private init(port: Int, host: String, group: ServiceGroup, finished: DispatchSemaphore, runTask: Task<Void, Never>) {
        self.port = port
        self.host = host
        self.group = group
        self.finished = finished
        self.runTask = runTask
    }

    /// Starts serving `engine` and returns once the socket is bound (port 0 picks a free port).
    /// Throws when the address cannot be bound.
    public static func start(engine: SimulatorEngine, host: String = "127.0.0.1", port: Int = 0) throws -> SimulatorServer {
        var logger = Logger(label: "smsh.simulator")
        logger.logLevel = .warning
        let bound = StartupSignal()
        let app = Application(
            responder: SimulatorResponder(engine: engine),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in bound.finish(.success(channel.localAddress?.port ?? port)) },
            logger: logger)
        let group = ServiceGroup(services: [app], logger: logger)
        let finished = DispatchSemaphore(value: 0)
        let task = Task {
            do {
                try await group.run()
                bound.finish(.failure(SimulatorServerError("the server stopped before it was listening")))
            } catch {
                bound.finish(.failure(SimulatorServerError("cannot listen on \(host):\(port): \(error)")))
            }
            finished.signal()
        }
        let boundPort = try bound.wait().get()
        return SimulatorServer(port: boundPort, host: host, group: group, finished: finished, runTask: task)
    }

    /// Stops accepting connections, lets requests in flight finish, and returns once the server
    /// has stopped. Safe to call more than once.
    public func stop() {
        lock.lock()
        let first = !stopped
        stopped = true
        lock.unlock()
        guard first else { return }
        let group = self.group
        Task { await group.triggerGracefulShutdown() }
        // Idle keep-alive connections normally close at once; cancel if one lingers.
        if finished.wait(timeout: .now() + 10) == .timedOut {
            runTask.cancel()
            finished.wait()
        }
    }
}

/// Why the simulator server could not start.
public struct SimulatorServerError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Hands the bound port (or the failure) from the server task to `start`.
private final class StartupSignal: @unchecked Sendable {
    private let lock = NIOLock()
    private let semaphore = DispatchSemaphore(value: 0)
    private var result: Result<Int, SimulatorServerError>?

    func finish(_ value: Result<Int, SimulatorServerError>) {
        lock.lock()
        defer { lock.unlock() }
        guard result == nil else { return }
        result = value
        semaphore.signal()
    }

    func wait() -> Result<Int, SimulatorServerError> {
        semaphore.wait()
        lock.lock()
        defer { lock.unlock() }
        return result!
    }
}

/// A request context that keeps the connection, so a simulated drop can close it.
struct SimulatorRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// HTTP request → `TransportRequest` → engine → HTTP response. A reply's delay (latency, a slow
/// fault) is an async sleep: it holds no thread, so many requests wait it out at once.
struct SimulatorResponder: HTTPResponder {
    let engine: SimulatorEngine

    func respond(to request: Request, context: SimulatorRequestContext) async throws -> Response {
        try await engine.serving(path: request.uri.path) {
            try await answer(request, context: context)
        }
    }

    private func answer(_ request: Request, context: SimulatorRequestContext) async throws -> Response {
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { $0 + ", " + field.value } ?? field.value
        }
        var body: JSONValue?
        do {
            let buffer = try await request.body.collect(upTo: SimulatorServer.maxBodySize)
            if buffer.readableBytes > 0 {
                do {
                    body = try JSONValue.parse(buffer.readableBytesView)
                } catch {
                    return Self.response(
                        APIError.invalidParameter("Request body is not valid JSON: \(error)").response)
                }
            }
        } catch {
            return Self.response(
                APIError(status: 413, code: "PAYLOAD_TOO_LARGE", message: "Request body larger than 64 MiB").response)
        }
        let query = request.uri.query.map { parseQuery(Substring($0)) } ?? []
        let transportRequest = TransportRequest(
            method: request.method.rawValue, path: request.uri.path, query: query, headers: headers, body: body)
        let reply = engine.handle(transportRequest)
        if reply.delay > 0 {
            try await Task.sleep(nanoseconds: UInt64(min(reply.delay, 86_400) * 1_000_000_000))
        }
        switch reply.outcome {
        case .respond(let response):
            return Self.response(response)
        case .drop:
            // Closing first means the response written afterwards goes nowhere: the client sees
            // the connection end with no answer.
            try? await context.channel.close()
            return Response(status: .internalServerError)
        }
    }

    static func response(_ response: TransportResponse) -> Response {
        var fields = HTTPFields()
        for (name, value) in response.headers.sorted(by: { $0.key < $1.key }) {
            if let fieldName = HTTPField.Name(name) { fields[fieldName] = value }
        }
        return Response(
            status: HTTPResponse.Status(code: response.status), headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: response.body)))
    }
}

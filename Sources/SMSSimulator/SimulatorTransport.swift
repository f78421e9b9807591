import SMSClient

/// The in-process transport (`--sandbox`): requests go straight to a `SimulatorEngine`,
/// no sockets. A dropped connection throws `TransportFailure.connectionLost`; a delayed reply
/// (latency, a slow fault) sleeps on the engine's clock (instant under a virtual clock) and then
/// answers. The sandbox configures no latency, so it stays instant unless asked.
public struct SimulatorTransport: Transport {
    public let engine: SimulatorEngine

    public init(engine: SimulatorEngine) { self.engine = engine }

    public func roundTrip(_ request: TransportRequest) throws -> TransportResponse {
        try engine.serving(path: request.path) {
            let reply = engine.handle(request)
            if reply.delay > 0 {
                do {
                    try engine.clock.sleep(seconds: reply.delay)
                } catch {
                    throw TransportFailure.timeout("interrupted while waiting for a slow simulator response")
                }
            }
            switch reply.outcome {
            case .respond(let response):
                return response
            case .drop:
                throw TransportFailure.connectionLost("the simulator closed the connection without a response")
            }
        }
    }
}

import SMSClient

/// The in-process transport (`--sandbox`): requests go straight to a `SimulatorEngine`,
/// no sockets. A dropped connection throws `TransportFailure.connectionLost`; a slow reply
/// sleeps on the engine's clock (instant under a virtual clock) and then answers.
public struct SimulatorTransport: Transport {
    public let engine: SimulatorEngine

    public init(engine: SimulatorEngine) { self.engine = engine }

    public func roundTrip(_ request: TransportRequest) throws -> TransportResponse {
        switch engine.handle(request) {
        case .respond(let response):
            return response
        case .drop:
            throw TransportFailure.connectionLost("the simulator closed the connection without a response")
        case .slow(let seconds, let response):
            do {
                try engine.clock.sleep(seconds: seconds)
            } catch {
                throw TransportFailure.timeout("interrupted while waiting for a slow simulator response")
            }
            return response
        }
    }
}

import SMSClient

/// Under `smsh run --dry-run`, sends never reach the real API: this transport answers every
/// send with an in-process simulator (seeded outcomes, the session's virtual clock) and
/// gives its messages uuids starting `dryrun-`. Requests for such a uuid (message,
/// recipients, cancel) go to the same simulator, so a script can wait on, page through and
/// retry what it "sent"; everything else (credit, senders, previews, real uuids) goes to the
/// live API.
public final class DryRunTransport: Transport {
    public static let prefix = "dryrun-"
    private let live: Transport
    private let simulator: SimulatorTransport
    private let simulatorKey: String
    private let sendPath = Routes.route(.send).path()

    public init(wrapping live: Transport, clock: SMSClock, seed: UInt64 = 1) {
        self.live = live
        var config = SimulatorConfig(seed: seed, startingCredit: 1e15)
        config.acceptsAnySender = true
        simulatorKey = config.apiKey
        simulator = SimulatorTransport(engine: SimulatorEngine(config: config, clock: clock))
    }

    public func roundTrip(_ request: TransportRequest) throws -> TransportResponse {
        let marker = "/" + Self.prefix
        if request.method == "POST" && request.path == sendPath {
            return Self.prefixed(try simulator.roundTrip(simulated(request, path: request.path)))
        }
        if let range = request.path.firstRange(of: marker) {
            var path = request.path
            path.replaceSubrange(range, with: "/")
            return Self.prefixed(try simulator.roundTrip(simulated(request, path: path)))
        }
        return try live.roundTrip(request)
    }

    /// The request as the simulator takes it: its own key instead of the account's.
    private func simulated(_ request: TransportRequest, path: String) -> TransportRequest {
        var r = request
        r.path = path
        r.headers["x-api-key"] = simulatorKey
        return r
    }

    /// The simulator's `uuid` fields as dry-run uuids.
    private static func prefixed(_ response: TransportResponse) -> TransportResponse {
        guard case .object(var o)? = try? JSONValue.parse(response.body), let uuid = o["uuid"]?.stringValue else { return response }
        o["uuid"] = .string(prefix + uuid)
        var r = response
        r.body = Array(JSONValue.object(o).serializedString().utf8)
        return r
    }
}

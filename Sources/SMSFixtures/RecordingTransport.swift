import SMSClient

/// Passes every round trip to a real transport and records it into a `CassetteStore`.
///
/// What is stored is the stored form (`RecordingRules`): no request headers, secrets redacted,
/// numbers masked if asked, big bodies in sidecars. A `TransportFailure` (no response) is passed
/// on and not recorded: a cassette holds only what a server answered.
public final class RecordingTransport: Transport {
    public let live: Transport
    public let store: CassetteStore

    public init(wrapping live: Transport, store: CassetteStore) {
        self.live = live
        self.store = store
    }

    public func roundTrip(_ request: TransportRequest) throws -> TransportResponse {
        let response = try live.roundTrip(request)
        do {
            try store.record(request, response)
        } catch let error as SMSError {
            // The request has been answered: the caller must know it went out.
            throw FailureAfterResponse(response: response, error: error)
        }
        return response
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers
import SMSClient

/// Serves a cassette's responses instead of a server.
///
/// A live request matches a recorded one when method, path, query (order-free) and JSON body
/// (key order ignored, integers and floats distinct, `RecordingRules.ignoredBodyFields` left
/// out) are equal after the live request went through the same stored-form steps as recording
/// (masking, number-list summary, redaction). Repeated identical requests (polling) get the
/// matching recorded responses in recorded order; once they are used up the last one repeats,
/// so a script that polls longer than it did while recording still sees the final state.
///
/// A request that matches nothing goes to `fallback` when there is one (record mode `new`);
/// otherwise it throws `UNMATCHED_REQUEST` with the request, the nearest recorded interaction
/// and the fields that differ.
// @unchecked: the mutable state is only touched with `lock` held.
public final class ReplayTransport: Transport, @unchecked Sendable {
    public let rules: RecordingRules
    /// Names the cassette in error messages (usually its path).
    public let name: String
    private let interactions: [Interaction]
    private let comparable: [ComparableRequest]
    private let fallback: Transport?
    /// Indices of the interactions with the same comparable request, in recorded order, by
    /// that request's canonical text: finding a match costs the same at 30 or 30,000 interactions.
    private let byRequest: [String: [Int]]

    private let lock = NIOLock()
    /// How many of each `byRequest` list were served.
    private var served: [String: Int] = [:]

    public init(cassette: Cassette, rules: RecordingRules = RecordingRules(), name: String = "cassette", fallback: Transport? = nil) {
        self.rules = rules
        self.name = name
        self.interactions = cassette.interactions
        let comparable = cassette.interactions.map { rules.comparable($0.request) }
        self.comparable = comparable
        var index: [String: [Int]] = [:]
        for (i, request) in comparable.enumerated() { index[request.key, default: []].append(i) }
        self.byRequest = index
        self.fallback = fallback
    }

    public func roundTrip(_ request: TransportRequest) throws -> TransportResponse {
        let stored = rules.storedRequest(request)
        let live = rules.comparable(stored)
        if let index = claim(live) { return try interactions[index].response.replayed(cassette: name) }
        if let fallback { return try fallback.roundTrip(request) }
        throw FixtureError.unmatched(unmatchedMessage(stored: stored, live: live))
    }

    /// The interaction that answers `live`: the first unused match, else the last match.
    private func claim(_ live: ComparableRequest) -> Int? {
        let key = live.key
        guard let matches = byRequest[key] else { return nil }
        lock.lock()
        defer { lock.unlock() }
        let n = served[key, default: 0]
        guard n < matches.count else { return matches.last }
        served[key] = n + 1
        return matches[n]
    }

    private func unmatchedMessage(stored: RecordedRequest, live: ComparableRequest) -> String {
        var text = "no recorded interaction in \(name) matches \(stored.summary)"
        guard !interactions.isEmpty else { return text + " (the cassette has no interactions)" }
        var best: (index: Int, rank: NearnessRank, diff: RequestDifferences)?
        for i in comparable.indices {
            let diff = RequestDifferences(recorded: comparable[i], live: live)
            let rank = NearnessRank(recorded: comparable[i], live: live, equalFields: diff.equalFields)
            if best == nil || rank > best!.rank { best = (i, rank, diff) }
        }
        guard let best else { return text }
        text += "\nnearest recorded: interactions[\(best.index)] \(interactions[best.index].request.summary)"
        let shown = 12
        for line in best.diff.lines.prefix(shown) { text += "\n  " + line }
        if best.diff.lines.count > shown { text += "\n  … and \(best.diff.lines.count - shown) more differences" }
        return text
    }
}

/// How near a recorded request is to an unmatched live one, compared field by field in the
/// order that tells a person most: the same route first, then the same message (content or
/// template, and sender), then the same numbers (their digest, for long lists), then how many
/// fields agree overall. A send whose text changed is thus shown against the send with that
/// text, not against one that merely has as many numbers.
///
/// Before all of these, a request about a message (its status, recipients, cancel) is shown
/// against one about the same message uuid whenever the cassette has one.
struct NearnessRank: Comparable {
    var sameUUID: Bool
    var sameRoute: Bool
    var sameMessage: Int
    var sameNumbers: Bool
    var equalFields: Int

    init(recorded: ComparableRequest, live: ComparableRequest, equalFields: Int) {
        let uuid = Routes.messageUUID(inPath: live.path)
        sameUUID = uuid != nil && Routes.messageUUID(inPath: recorded.path) == uuid
        sameRoute = recorded.method == live.method && recorded.path == live.path
        let r = recorded.body?.objectValue ?? [:], l = live.body?.objectValue ?? [:]
        sameMessage = ["content", "templateId", "variables", "sender"].filter { (r[$0] != nil || l[$0] != nil) && r[$0] == l[$0] }.count
        sameNumbers = (r["msisdns"] != nil || l["msisdns"] != nil) && r["msisdns"] == l["msisdns"]
        self.equalFields = equalFields
    }

    private var tuple: (Int, Int, Int, Int, Int) { (sameUUID ? 1 : 0, sameRoute ? 1 : 0, sameMessage, sameNumbers ? 1 : 0, equalFields) }

    static func < (a: NearnessRank, b: NearnessRank) -> Bool { a.tuple < b.tuple }
    static func == (a: NearnessRank, b: NearnessRank) -> Bool { a.tuple == b.tuple }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers
import SMSClient

/// One script run or test against one cassette: picks replay, recording or both from the
/// `RecordMode` and hands out the `Transport` to give `SMSClient`.
///
/// ```swift
/// let session = try FixtureSession(path: "fixtures/retry.json", mode: .once, live: http, secrets: [apiKey])
/// let clock = VirtualClock(start: session.recordedAt)   // replay: time as it was when recorded
/// let client = SMSClient(transport: session.transport, …)
/// …
/// try session.save()
/// ```
public final class FixtureSession: Sendable {
    public let path: String
    public let mode: RecordMode
    public let rules: RecordingRules
    /// Whether this session sends requests to the real transport (records) at all.
    public let isRecording: Bool
    /// Epoch seconds (whole) when the cassette was recorded; start replay clocks here.
    public let recordedAt: Double
    /// The transport to use for every request of the session.
    public var transport: Transport { sessionTransport }

    private let store: CassetteStore?
    private let loaded: Cassette
    private let sessionTransport: LoggingTransport

    /// - Parameters:
    ///   - live: the real transport; required when the mode may record (`once` without a file,
    ///     `new`, `all`), else `INVALID_ARGUMENT`.
    ///   - secrets: strings that must never reach the cassette (the API key).
    ///   - maskNumbers: store phone numbers as stable pseudonyms (`NumberMasker`).
    ///   - ignoredBodyFields: request body fields not compared when matching.
    ///   - now: the recording start time in epoch seconds (rounded down to a whole second).
    public init(
        path: String, mode: RecordMode, live: Transport?, secrets: [String] = [], maskNumbers: Bool = false,
        ignoredBodyFields: [String] = RecordingRules.defaultIgnoredBodyFields,
        now: Double = Date().timeIntervalSince1970
    ) throws {
        self.path = path
        self.mode = mode

        let existing: Cassette?
        switch mode {
        case .none: existing = try CassetteFile.load(path)
        case .once, .new: existing = CassetteFile.exists(path) ? try CassetteFile.load(path) : nil
        case .all: existing = nil
        }
        // A cassette recorded with masked numbers is replayed (and extended) masked.
        let masks = maskNumbers || existing?.maskedNumbers == true
        let rules = RecordingRules(secrets: secrets, maskNumbers: masks, ignoredBodyFields: ignoredBodyFields)
        self.rules = rules
        let replays = existing != nil
        let records = mode == .new || existing == nil
        if records, live == nil {
            throw SMSError.invalidArgument(
                "live", "record mode '\(mode.rawValue)' needs a real transport to record \(path), and none was given")
        }
        let cassette = existing ?? Cassette(recordedAt: now.rounded(.down), maskedNumbers: masks)
        self.loaded = cassette
        self.recordedAt = cassette.recordedAt
        self.isRecording = records

        let store = records ? CassetteStore(path: path, cassette: cassette, rules: rules, unsaved: existing == nil) : nil
        self.store = store
        let inner: Transport
        switch (replays, store) {
        case (true, let store?):
            inner = ReplayTransport(
                cassette: cassette, rules: rules, name: path, fallback: RecordingTransport(wrapping: live!, store: store))
        case (true, nil): inner = ReplayTransport(cassette: cassette, rules: rules, name: path)
        case (false, let store?): inner = RecordingTransport(wrapping: live!, store: store)
        case (false, nil): preconditionFailure("a session without a cassette always records")
        }
        self.sessionTransport = LoggingTransport(inner, redactor: rules.redactor)
    }

    /// The cassette's interactions: those loaded plus those recorded so far.
    public var interactions: [Interaction] { store?.cassette.interactions ?? loaded.interactions }

    /// The send-once answers the cassette holds (see `Cassette.journal`): a replay seeds its
    /// journal with them.
    public var journalAnswers: [JournalAnswer] { store?.cassette.journal ?? loaded.journal }

    /// Keeps a key the journal answered while this session records (nothing when replaying).
    public func journalAnswered(key: String, result: [String: JSONValue]) {
        store?.recordJournalAnswer(key: key, result: result)
    }

    /// Every request made through `transport`, in order (with secret header values redacted),
    /// whether it was replayed, recorded or unmatched.
    public var requestsMade: [TransportRequest] { sessionTransport.requests }

    /// Writes the cassette if this session recorded something or started a new one; a replay
    /// session never writes. Recording appends each interaction to the cassette's log as it
    /// happens; this compacts the log into the one document (and creates the empty cassette of
    /// a `once` or `all` run that made no requests).
    public func save() throws {
        try store?.saveIfChanged()
    }
}

/// Keeps the list of requests made in a session, then passes each on.
// @unchecked: the mutable state is only touched with `lock` held.
private final class LoggingTransport: Transport, @unchecked Sendable {
    private let inner: Transport
    private let redactor: Redactor
    private let lock = NIOLock()
    private var log: [TransportRequest] = []

    init(_ inner: Transport, redactor: Redactor) {
        self.inner = inner
        self.redactor = redactor
    }

    var requests: [TransportRequest] {
        lock.lock()
        defer { lock.unlock() }
        return log
    }

    func roundTrip(_ request: TransportRequest) throws -> TransportResponse {
        var logged = request
        logged.headers = logged.headers.mapValues(redactor.redact)
        lock.lock()
        log.append(logged)
        lock.unlock()
        return try inner.roundTrip(request)
    }
}

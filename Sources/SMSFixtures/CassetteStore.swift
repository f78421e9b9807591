#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers
#if canImport(Glibc)
import Glibc
#endif
import SMSClient

/// A cassette being recorded: the interactions so far and the files they go to. Shared by the
/// transports of one fixture session; thread-safe.
///
/// Each recorded interaction costs its own size, whatever the cassette's: it is appended as one
/// line to the recording log (`CassetteLog`), and a big response body goes gzip-compressed to a
/// sidecar (`SidecarBodies`). `saveIfChanged()` at the end of the run compacts everything into
/// the one cassette document. A run killed before that still leaves a cassette that replays
/// everything recorded up to the kill: the document written when recording began plus the log.
// @unchecked: the mutable state is only touched with `lock` held.
public final class CassetteStore: @unchecked Sendable {
    public let path: String
    public let rules: RecordingRules

    private let lock = NIOLock()
    private var current: Cassette
    private var unsaved: Bool
    private var log: CassetteLog.Writer?

    /// - Parameter unsaved: whether the file must be written by `saveIfChanged()` even if
    ///   nothing is appended (a new or re-recorded cassette).
    public init(path: String, cassette: Cassette, rules: RecordingRules, unsaved: Bool) {
        self.path = path
        self.current = cassette
        self.rules = rules
        self.unsaved = unsaved
    }

    public var cassette: Cassette {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    /// Records one round trip in its stored form (`RecordingRules`); a body above
    /// `SidecarBodies.threshold` is kept byte for byte in a sidecar instead of in the document.
    public func record(_ request: TransportRequest, _ response: TransportResponse) throws {
        let stored: RecordedResponse
        if response.body.count > SidecarBodies.threshold {
            stored = try sidecarResponse(response)
        } else {
            stored = rules.storedResponse(response)
        }
        try append(Interaction(request: rules.storedRequest(request), response: stored))
    }

    /// Adds a recorded interaction (redacted again here: the record-time hook) to the log.
    public func append(_ interaction: Interaction) throws {
        let clean = redacted(interaction)
        lock.lock()
        defer { lock.unlock() }
        if log == nil {
            // The document the log extends must be on disk first, so that a kill from here on
            // leaves a cassette (document + log) that loads. A log left by a killed run was
            // merged when the cassette was loaded: write it into the document before starting anew.
            if unsaved || !CassetteFile.exists(path) || CassetteFile.exists(CassetteLog.path(forCassette: path)) {
                // Not fsynced: compaction at the end writes the durable one.
                try CassetteFile.save(current, to: path, redactor: rules.redactor, durable: false)
            }
            log = try CassetteLog.Writer(cassette: path, extends: current.interactions.count)
            CassetteStore.compactAtExit(self)
        }
        try log!.append(clean)
        current.interactions.append(clean)
        unsaved = true
    }

    /// Keeps a send-once key the journal answered (no request went out for it), once per key,
    /// in its stored form (redacted, numbers masked when asked). Written at compaction.
    public func recordJournalAnswer(key: String, result: [String: JSONValue]) {
        var value = rules.redactor.redact(JSONValue.object(result))
        if rules.maskNumbers { value = NumberMasker().mask(value) }
        lock.lock()
        defer { lock.unlock() }
        guard !current.journal.contains(where: { $0.key == key }) else { return }
        current.journal.append(JournalAnswer(key: key, result: value.objectValue ?? [:]))
        unsaved = true
        CassetteStore.compactAtExit(self)
    }

    /// Writes the cassette now (atomically, redacting the whole document first).
    public func save() throws {
        lock.lock()
        defer { lock.unlock() }
        try compactLocked()
    }

    /// Writes the cassette if it changed since it was loaded or last written.
    public func saveIfChanged() throws {
        lock.lock()
        defer { lock.unlock() }
        if unsaved { try compactLocked() }
    }

    /// The whole document, once; then the log is no longer needed, nor sidecars of an earlier
    /// recording that this one no longer references.
    private func compactLocked() throws {
        try CassetteFile.save(current, to: path, redactor: rules.redactor)
        log?.close()
        log = nil
        CassetteLog.remove(forCassette: path)
        for stale in SidecarBodies.unreferenced(by: current, at: path) { unlink(stale) }
        unsaved = false
    }

    // A script that ends with os.exit(n) leaves through C's exit(), past every Swift `defer`
    // that would have saved the session: compact what is still open from an atexit handler,
    // so such a run leaves the same one-document cassette as any other (a kill still leaves
    // document + log, which loads just as well).
    private static let openStoresLock = NIOLock()
    nonisolated(unsafe) private static var openStores: [ObjectIdentifier: WeakStore] = [:]
    nonisolated(unsafe) private static var exitHandlerInstalled = false

    private struct WeakStore { weak var store: CassetteStore? }

    private static func compactAtExit(_ store: CassetteStore) {
        openStoresLock.lock()
        defer { openStoresLock.unlock() }
        openStores[ObjectIdentifier(store)] = WeakStore(store: store)
        if !exitHandlerInstalled {
            exitHandlerInstalled = true
            atexit { CassetteStore.compactOpenStores() }
        }
    }

    private static func compactOpenStores() {
        openStoresLock.lock()
        let stores = openStores.values.compactMap(\.store)
        openStores = [:]
        openStoresLock.unlock()
        for store in stores { try? store.saveIfChanged() }
    }

    private func sidecarResponse(_ response: TransportResponse) throws -> RecordedResponse {
        var headers: [String: String] = [:]
        for (name, value) in response.headers where RecordedResponse.keptHeaders.contains(name.lowercased()) {
            headers[name.lowercased()] = rules.redactor.redact(value)
        }
        var bytes = response.body
        // Masking needs the JSON; without it the bytes are kept exactly as the server sent them.
        if rules.maskNumbers, let value = try? JSONValue.parse(bytes) { bytes = NumberMasker().mask(value).serialized() }
        let ref = try SidecarBodies.store(rules.redactor.redact(bytes: bytes), forCassette: path)
        return RecordedResponse(status: response.status, headers: headers, body: .sidecar(ref))
    }

    private func redacted(_ interaction: Interaction) -> Interaction {
        let r = rules.redactor
        guard !r.secrets.isEmpty else { return interaction }
        // Round-trip through the JSON form: every string of the interaction is covered.
        let folder = SidecarBodies.cassetteFolder(path)
        return (try? Interaction(json: r.redact(interaction.jsonValue), folder: folder)) ?? interaction
    }
}

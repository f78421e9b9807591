import Foundation
import SMSClient

/// A cassette being recorded: the interactions so far and the file they go to. Shared by the
/// transports of one fixture session; thread-safe.
// @unchecked: the mutable state is only touched with `lock` held.
public final class CassetteStore: @unchecked Sendable {
    public let path: String
    public let rules: RecordingRules
    /// Whether every `append` writes the file at once (so a script that crashes or is killed
    /// still leaves a valid cassette with what it did so far).
    public let savesEachInteraction: Bool

    private let lock = NSLock()
    private var current: Cassette
    private var unsaved: Bool

    /// - Parameter unsaved: whether the file must be written by `saveIfChanged()` even if
    ///   nothing is appended (a new or re-recorded cassette).
    public init(path: String, cassette: Cassette, rules: RecordingRules, unsaved: Bool, savesEachInteraction: Bool = true) {
        self.path = path
        self.current = cassette
        self.rules = rules
        self.unsaved = unsaved
        self.savesEachInteraction = savesEachInteraction
    }

    public var cassette: Cassette {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    /// Adds a recorded interaction (redacted again here: the record-time hook) and, when
    /// `savesEachInteraction`, writes the file.
    public func append(_ interaction: Interaction) throws {
        let clean = redacted(interaction)
        lock.lock()
        defer { lock.unlock() }
        current.interactions.append(clean)
        unsaved = true
        if savesEachInteraction { try writeLocked() }
    }

    /// Writes the cassette now (atomically, redacting the whole document first).
    public func save() throws {
        lock.lock()
        defer { lock.unlock() }
        try writeLocked()
    }

    /// Writes the cassette if it changed since it was loaded or last written.
    public func saveIfChanged() throws {
        lock.lock()
        defer { lock.unlock() }
        if unsaved { try writeLocked() }
    }

    private func writeLocked() throws {
        try CassetteFile.save(current, to: path, redactor: rules.redactor)
        unsaved = false
    }

    private func redacted(_ interaction: Interaction) -> Interaction {
        let r = rules.redactor
        guard !r.secrets.isEmpty else { return interaction }
        // Round-trip through the JSON form: every string of the interaction is covered.
        return (try? Interaction(json: r.redact(interaction.jsonValue))) ?? interaction
    }
}

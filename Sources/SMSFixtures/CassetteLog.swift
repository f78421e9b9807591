#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SMSClient

/// The append-only recording log next to a cassette (`<cassette>.log`, 0600): what makes
/// recording cost the size of the new interaction instead of the size of the cassette.
///
/// A recording session appends one compact JSON line per interaction (a `write` to a file
/// opened `O_APPEND`: it survives `kill -9`, being in the kernel's page cache the moment the
/// call returns); when the run ends the cassette is compacted (the whole document written once,
/// atomically, fsynced) and the log removed. The first line says which cassette it extends:
/// `{"cassetteLog":1,"extends":N}` = the N interactions of the document beside it. Loading
/// merges a leftover log (a crashed run) into the document when the counts say it was not
/// compacted yet, so a killed run replays everything it recorded up to the kill.
enum CassetteLog {
    static let formatVersion: Int64 = 1

    static func path(forCassette cassette: String) -> String { cassette + ".log" }

    /// An open log being appended to.
    final class Writer {
        let path: String
        private let cassette: String
        private var fd: Int32

        /// Creates (or truncates) the log for a document of `extends` interactions.
        init(cassette: String, extends count: Int) throws {
            self.cassette = cassette
            path = CassetteLog.path(forCassette: cassette)
            fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, PrivateFiles.fileMode)
            guard fd >= 0 else { throw FixtureError.io(cassette, "cannot write its recording log \(path) (\(PrivateFiles.errnoText()))") }
            _ = fchmod(fd, PrivateFiles.fileMode)
            try writeLine(.object(["cassetteLog": .int(CassetteLog.formatVersion), "extends": .int(Int64(count))]))
        }

        deinit { close() }

        func append(_ interaction: Interaction) throws {
            try writeLine(interaction.jsonValue)
        }

        func close() {
            if fd >= 0 { Glibc.close(fd) }
            fd = -1
        }

        private func writeLine(_ value: JSONValue) throws {
            // One write per line: a concurrent reader or a kill sees whole lines, or a cut last one.
            var line = value.serialized(sortedKeys: true)
            line.append(0x0A)
            if let failure = PrivateFiles.writeAll(line, to: fd) {
                throw FixtureError.io(cassette, "recording log \(path): \(failure)")
            }
        }
    }

    /// The log's header count and interactions; nil when there is no log. A last line cut short
    /// by a kill is dropped; any other unreadable line makes the cassette invalid.
    static func read(forCassette cassette: String) throws -> (extends: Int, interactions: [Interaction])? {
        let path = path(forCassette: cassette)
        guard CassetteFile.exists(path) else { return nil }
        let bytes = try CassetteFile.readAll(path)
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: true)
        if bytes.last != 0x0A, !lines.isEmpty { lines.removeLast() }  // cut short by a kill
        guard let first = lines.first else { return (0, []) }
        guard let header = try? JSONValue.parse(first), case .int(let count)? = header["extends"],
            header["cassetteLog"]?.intValue == formatVersion
        else { throw FixtureError.invalid(cassette, "its recording log \(path) has no valid first line") }
        let folder = SidecarBodies.cassetteFolder(cassette)
        var interactions: [Interaction] = []
        for (n, line) in lines.dropFirst().enumerated() {
            do {
                interactions.append(try Interaction(json: try JSONValue.parse(line), folder: folder))
            } catch {
                throw FixtureError.invalid(cassette, "its recording log \(path), line \(n + 2), is not an interaction (\(error))")
            }
        }
        return (Int(count), interactions)
    }

    static func remove(forCassette cassette: String) {
        unlink(path(forCassette: cassette))
    }
}

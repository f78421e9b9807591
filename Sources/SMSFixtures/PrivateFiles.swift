#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SMSClient

/// Files fixtures write: cassettes, their recording logs and sidecar bodies hold customers'
/// phone numbers, so they are created 0600 (folders 0700) whatever the umask allows others.
/// Failures are `CASSETTE_IO` naming the cassette.
enum PrivateFiles {
    static let fileMode: mode_t = 0o600
    static let folderMode: mode_t = 0o700

    /// Writes `bytes` to `path` atomically (temp file in the same folder, rename). With
    /// `durable`, the data and the rename are fsynced too.
    static func write(_ bytes: [UInt8], to path: String, durable: Bool = true, cassette: String? = nil) throws {
        let reported = cassette ?? path
        // The temporary file must be in the same folder: rename is atomic only within one file system.
        let slash = path.lastIndex(of: "/")
        let folderPrefix = slash.map { String(path[...$0]) } ?? ""
        let folder = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let temp = "\(folderPrefix).\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"

        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, fileMode)
        guard fd >= 0 else { throw FixtureError.io(reported, "cannot write a temporary file in \(folder) (\(errnoText()))") }
        var failure = writeAll(bytes, to: fd)
        if failure == nil, fchmod(fd, fileMode) != 0 { failure = "cannot make the file private (\(errnoText()))" }
        if failure == nil, durable, fsync(fd) != 0 { failure = "cannot sync to disk (\(errnoText()))" }
        if close(fd) != 0, failure == nil { failure = "cannot write (\(errnoText()))" }
        if failure == nil, rename(temp, path) != 0 { failure = "cannot replace the file (\(errnoText()))" }
        if let failure {
            unlink(temp)
            throw FixtureError.io(reported, failure)
        }
        if durable { syncFolder(folder) }
    }

    /// Makes the rename or unlink of an entry durable; a failure here loses nothing that was not already at risk.
    static func syncFolder(_ folder: String) {
        let dir = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dir >= 0 {
            _ = fsync(dir)
            close(dir)
        }
    }

    /// Creates `path` (one level) as a private folder if it is not there.
    static func makeFolder(_ path: String, for cassette: String) throws {
        if mkdir(path, folderMode) != 0, errno != EEXIST {
            throw FixtureError.io(cassette, "cannot create the folder \(path) (\(errnoText()))")
        }
    }

    /// Entry names in a folder (none when it does not exist).
    static func names(in folder: String) -> [String] {
        guard let dir = opendir(folder) else { return [] }
        defer { closedir(dir) }
        var out: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != ".", name != ".." { out.append(name) }
        }
        return out.sorted()
    }

    /// Writes every byte to an open file; nil, or what went wrong.
    static func writeAll(_ bytes: [UInt8], to fd: Int32) -> String? {
        bytes.withUnsafeBytes { buf in
            var offset = 0
            while offset < buf.count {
                let n = Glibc.write(fd, buf.baseAddress! + offset, buf.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return "cannot write (\(errnoText()))"
                }
                offset += n
            }
            return nil
        }
    }

    static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}

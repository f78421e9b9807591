#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SMSClient

/// Reading and writing cassette files. Reading never modifies the file; writing is atomic
/// (temp file in the same folder, fsync, rename), so a reader or a crash sees either the old
/// cassette or the new one, never half of one.
public enum CassetteFile {
    /// Whether something exists at `path`.
    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Loads and checks a cassette. Throws `CASSETTE_MISSING`, `CASSETTE_INVALID` (not JSON,
    /// wrong shape, other version) or `CASSETTE_IO`; the file is left as it was.
    public static func load(_ path: String) throws -> Cassette {
        guard exists(path) else { throw FixtureError.missing(path) }
        let bytes = try readAll(path)
        let json: JSONValue
        do {
            json = try JSONValue.parse(bytes)
        } catch let error as JSONParseError {
            throw FixtureError.invalid(path, "not valid JSON (\(error))")
        }
        return try Cassette(json: json, file: path)
    }

    /// Writes `cassette` to `path` atomically, after running `redactor` over the whole
    /// document (the save hook: nothing reaches the disk unredacted).
    public static func save(_ cassette: Cassette, to path: String, redactor: Redactor) throws {
        var bytes = redactor.redact(cassette.jsonValue).serialized(sortedKeys: true, pretty: true)
        bytes.append(0x0A)
        try writeAtomically(bytes, to: path)
    }

    static func readAll(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FixtureError.io(path, "cannot be read (\(errnoText()))") }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n == 0 { return out }
            if n < 0 {
                if errno == EINTR { continue }
                throw FixtureError.io(path, "cannot be read (\(errnoText()))")
            }
            out.append(contentsOf: chunk[0..<n])
        }
    }

    static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        // The temporary file must be in the same folder: rename is atomic only within one file system.
        let slash = path.lastIndex(of: "/")
        let folderPrefix = slash.map { String(path[...$0]) } ?? ""
        let folder = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let temp = "\(folderPrefix).\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"

        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FixtureError.io(path, "cannot write a temporary file in \(folder) (\(errnoText()))") }
        var failure: String?
        bytes.withUnsafeBytes { buf in
            var offset = 0
            while offset < buf.count {
                let n = write(fd, buf.baseAddress! + offset, buf.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = "cannot write (\(errnoText()))"
                    return
                }
                offset += n
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = "cannot sync to disk (\(errnoText()))" }
        if close(fd) != 0, failure == nil { failure = "cannot write (\(errnoText()))" }
        if failure == nil, rename(temp, path) != 0 { failure = "cannot replace the file (\(errnoText()))" }
        if let failure {
            unlink(temp)
            throw FixtureError.io(path, failure)
        }
        // Make the rename itself durable; a failure here loses nothing that was not already at risk.
        let dir = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dir >= 0 {
            _ = fsync(dir)
            close(dir)
        }
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}

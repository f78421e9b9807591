#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SMSClient

/// Reading and writing cassette files. Reading never modifies the file; writing is atomic
/// (temp file in the same folder, fsync, rename), so a reader or a crash sees either the old
/// cassette or the new one, never half of one. Files are written 0600 (`PrivateFiles`).
public enum CassetteFile {
    /// Whether something exists at `path`.
    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Loads and checks a cassette, with what a crashed recording left in its log
    /// (`CassetteLog`). Throws `CASSETTE_MISSING`, `CASSETTE_INVALID` (not JSON, wrong shape,
    /// other version) or `CASSETTE_IO`; the files are left as they were.
    public static func load(_ path: String) throws -> Cassette {
        guard exists(path) else { throw FixtureError.missing(path) }
        let bytes = try readAll(path)
        let json: JSONValue
        do {
            json = try JSONValue.parse(bytes)
        } catch let error as JSONParseError {
            throw FixtureError.invalid(path, "not valid JSON (\(error))")
        }
        var cassette = try Cassette(json: json, file: path)
        if let log = try CassetteLog.read(forCassette: path) {
            let count = cassette.interactions.count
            if count == log.extends {
                cassette.interactions += log.interactions
            } else if count < log.extends {
                throw FixtureError.invalid(
                    path, "its recording log \(CassetteLog.path(forCassette: path)) extends \(log.extends) interactions, the file has \(count)")
            }
            // count > extends: the log was compacted into the file already (a kill before it was removed).
        }
        return cassette
    }

    /// Writes `cassette` to `path` atomically, after running `redactor` over the whole
    /// document (the save hook: nothing reaches the disk unredacted).
    /// - Parameter durable: fsync the file and the rename (the final cassette); without it the
    ///   write is still atomic and survives a killed process, only not a power cut.
    public static func save(_ cassette: Cassette, to path: String, redactor: Redactor, durable: Bool = true) throws {
        var bytes = redactor.redact(cassette.jsonValue).serialized(sortedKeys: true, pretty: true)
        bytes.append(0x0A)
        try PrivateFiles.write(bytes, to: path, durable: durable)
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

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}

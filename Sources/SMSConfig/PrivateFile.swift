#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
    import Glibc
#endif

/// Files holding secrets (the config, key files) must be private to their owner.
enum PrivateFile {
    /// Whether the file exists.
    static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    /// Reads a file; `secret` (what it holds, for the message) makes a file that group or
    /// others may access (mode & 0o077) an error. A folder in its place, a permission and
    /// bytes that are not UTF-8 are named as such.
    static func read(_ path: String, paths: ConfigPaths, secret: String?) throws(ConfigError) -> String {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw .unreadable(display: paths.display(path), reason: String(cString: strerror(errno)).lowercased())
        }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw .notAFile(path: path, display: paths.display(path)) }
        if let secret, isShared(st) { throw .readableByOthers(path: path, display: paths.display(path), holding: secret) }
        guard access(path, R_OK) == 0, let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(display: paths.display(path), reason: "permission denied (the file's owner or mode does not let you read it)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadable(display: paths.display(path), reason: "not UTF-8 text")
        }
        return text
    }

    /// Whether group or others may access the file.
    static func isShared(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && isShared(st)
    }

    private static func isShared(_ st: stat) -> Bool { st.st_mode & 0o077 != 0 }
}

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

    /// Refuses a file that group or others may access (mode & 0o077), then reads it.
    static func read(_ path: String, paths: ConfigPaths) throws(ConfigError) -> String {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw .unreadable(display: paths.display(path), reason: String(cString: strerror(errno)))
        }
        if st.st_mode & 0o077 != 0 {
            throw .readableByOthers(path: path, display: paths.display(path))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(display: paths.display(path), reason: "permission denied")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadable(display: paths.display(path), reason: "not UTF-8 text")
        }
        return text
    }
}

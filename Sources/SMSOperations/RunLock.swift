#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// `smsh run --lock NAME`: at most one run holds NAME at a time. The lock is an `flock` on
/// `$XDG_STATE_HOME/smsh/locks/NAME.lock`; the kernel releases it when the holder dies, so
/// a stale lock of a dead process is simply taken over. The file records the holder's pid
/// for the refusal message.
public final class RunLock {
    public let path: String
    private var fd: Int32 = -1

    public init(name: String, environment env: [String: String] = ProcessInfo.processInfo.environment) {
        let state = env["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? ((env["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path) + "/.local/state")
        let safe = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
        path = state + "/smsh/locks/\(safe).lock"
    }

    public enum Outcome: Equatable {
        case acquired
        case heldBy(pid: Int32?)
    }

    public func acquire() throws -> Outcome {
        let dir = String(path[..<path.lastIndex(of: "/")!])
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // Close-on-exec: a child (`os.execute("sleep 30 &")`) that inherited the descriptor
        // would hold the flock after the run itself was killed.
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: ["NSFilePath": path]) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = pread(fd, &buffer, 31, 0)
            close(fd)
            let pid = n > 0 ? Int32(String(decoding: buffer[0..<n], as: UTF8.self).filter(\.isNumber)) : nil
            return .heldBy(pid: pid)
        }
        ftruncate(fd, 0)
        let text = "\(getpid())\n"
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
        self.fd = fd
        return .acquired
    }

    deinit {
        if fd >= 0 {
            flock(fd, LOCK_UN)
            close(fd)
        }
    }
}

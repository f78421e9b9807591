#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file read front to back in fixed-size chunks through one reused buffer, so a reader of a
/// 2 GB file holds 256 KiB of it at a time. The readers (`CSVRows`, `NumberFile`) scan the
/// chunk's bytes in place; nothing becomes a `String` unless a caller asks for one.
final class FileChunks {
    let path: String
    private var fd: Int32
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    /// The valid bytes of the current chunk are `buffer[0..<end]`; `position` is the next unread.
    private(set) var end = 0
    var position = 0

    static let chunkSize = 256 * 1024

    /// Opens `path` for reading; throws `INVALID_ARGUMENT` (field `path`) naming the file and
    /// the system's reason.
    init(path: String, chunkSize: Int = FileChunks.chunkSize) throws {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileChunks.error(path, "cannot open", errno) }
        // At least 3 bytes: the byte order mark must fit (tests use tiny chunks to cross boundaries).
        buffer = .allocate(capacity: max(chunkSize, 3))
    }

    deinit {
        close()
        buffer.deallocate()
    }

    /// Closes the file (again: no-op). Later refills report the end of the file.
    func close() {
        #if canImport(Glibc)
        if fd >= 0 { _ = Glibc.close(fd) }
        #else
        if fd >= 0 { _ = Darwin.close(fd) }
        #endif
        fd = -1
    }

    /// Replaces the chunk with the file's next bytes; false at the end of the file.
    func refill() throws -> Bool {
        position = 0
        end = 0
        return try readMore()
    }

    /// Appends the file's next bytes to the chunk (there must be room); false at the end.
    private func readMore() throws -> Bool {
        guard fd >= 0 else { return false }
        while true {
            let n = read(fd, buffer.baseAddress! + end, buffer.count - end)
            if n > 0 {
                end += n
                return true
            }
            if n == 0 {
                close()
                return false
            }
            if errno == EINTR { continue }
            let code = errno
            close()
            throw FileChunks.error(path, "cannot read", code)
        }
    }

    /// The current chunk's bytes (valid until the next `refill`).
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: buffer[0..<end]) }

    /// Skips a UTF-8 byte order mark at the very start of the file (Excel writes one).
    func skipByteOrderMark() throws {
        position = 0
        end = 0
        // A pipe may deliver fewer than 3 bytes at a time.
        while end < 3, try readMore() {}
        if end >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { position = 3 }
    }

    static func error(_ path: String, _ what: String, _ code: Int32) -> SMSError {
        let reason = String(cString: strerror(code))
        return SMSError(status: nil, code: SMSError.Code.invalidArgument,
                        message: "\(what) \(SMSError.quoted(path, limit: .max)): \(reason)", retryable: false, field: "path", notSent: true)
    }
}

#if canImport(Glibc)
import Glibc
#endif
import LuaHost

/// stdout of the one-off commands. A reader that went away (`smsh recipients UUID --all | head`)
/// stops the command at once with exit 0, as git and ls do, instead of paging on into a
/// closed pipe: SIGPIPE is ignored while a one-off command runs (`ignoreBrokenPipe`), and
/// each write is flushed and checked.
enum StandardOutput {
    /// Writes `text` and flushes it; a closed pipe (EPIPE) ends the process with exit 0.
    static func write(_ text: String) {
        flushStandardOutput()
        var text = text
        let ok = text.withUTF8 { bytes -> Bool in
            var offset = 0
            while offset < bytes.count {
                let n = Glibc.write(1, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
        // Nobody reads any more: stop now (what stdio still holds cannot be written either).
        if !ok && errno == EPIPE { _exit(0) }
    }

    /// While a one-off command runs, a closed pipe is an EPIPE error from `write`, not a
    /// SIGPIPE that kills the process (exit 141 fails a `set -o pipefail` cron line).
    static func ignoreBrokenPipe() {
        signal(SIGPIPE, SIG_IGN)
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// Runs a child process to completion with posix_spawn (`run_script` in specs; a tool such as luacheck).
/// Foundation's `Process` lives in full Foundation, which would link ICU's ~34 MB of data
/// into smsh (see Package.swift); this is the little of it smsh needs.
enum ChildProcess {
    struct SpawnError: Error, CustomStringConvertible {
        let executable: String
        let code: Int32
        var description: String { "cannot run \(executable): \(String(cString: strerror(code)))" }
    }

    /// The running binary, symlinks resolved.
    static var currentExecutable: String {
        guard let real = realpath("/proc/self/exe", nil) else { return "/proc/self/exe" }
        defer { free(real) }
        return String(cString: real)
    }

    /// Where one of the child's standard streams goes.
    enum Stream {
        /// smsh's own descriptor.
        case inherit
        case null
        /// A new file (truncated, 0600) for output; the file to read for input.
        case file(String)
    }

    /// Runs `executable` to completion; returns its exit status, or the signal number that
    /// ended it. `environment` nil: smsh's own.
    static func run(executable: String, arguments: [String], environment: [String: String]? = nil,
                    stdin: Stream = .inherit, stdout: Stream = .inherit, stderr: Stream = .inherit) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (fd, stream) in [(Int32(0), stdin), (1, stdout), (2, stderr)] {
            let flags = fd == 0 ? O_RDONLY : O_WRONLY | O_CREAT | O_TRUNC
            switch stream {
            case .inherit: break
            case .null: posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
            case .file(let path): posix_spawn_file_actions_addopen(&actions, fd, path, flags, 0o600)
            }
        }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer {
            argv.forEach { free($0) }
            envp?.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = envp.map { env in env.withUnsafeBufferPointer { posix_spawn(&pid, executable, &actions, nil, argv, UnsafeMutablePointer(mutating: $0.baseAddress)) } }
            ?? posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw SpawnError(executable: executable, code: spawned) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros that do not import.
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : signal
    }
}

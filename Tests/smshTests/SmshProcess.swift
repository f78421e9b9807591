import Foundation
import XCTest

/// Runs the built `smsh` binary, as a user would.
struct SmshProcess {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Every smsh a test starts gets the in-memory sandbox (empty every run) unless the test
    /// gives a state folder of its own (`SmshProcess.run`, `ScratchHome.env`, `TerminalSession`
    /// then ask for the persistent one): never the persistent account of whoever runs the tests.
    private static let inMemorySandboxByDefault: Void = { setenv("SMSH_SANDBOX_STATE", "memory", 1) }()

    static var binary: URL {
        _ = inMemorySandboxByDefault
        return Bundle.main.bundleURL.appendingPathComponent("smsh")
    }

    /// A test that gives no XDG_STATE_HOME of its own gets the in-memory sandbox (empty every
    /// run); one that does gets the persistent sandbox in that folder.
    static func run(_ args: [String], stdin: String? = nil, env: [String: String] = [:], cwd: URL? = nil) throws -> Result {
        let base = ["NO_COLOR": "1", "SMSH_SANDBOX_STATE": env["XDG_STATE_HOME"] == nil ? "memory" : ""]
        return try run(executable: binary.path, args, stdin: stdin, env: base.merging(env) { $1 }, cwd: cwd)
    }

    /// Runs any program (smsh, groff, bash, ...) with `env` added to this process's environment.
    static func run(executable: String, _ args: [String], stdin: String? = nil, env: [String: String] = [:], cwd: URL? = nil) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        if let cwd { p.currentDirectoryURL = cwd }
        // Output goes to files: a chatty child can never block on a full pipe.
        let dir = FileManager.default.temporaryDirectory
        let outURL = dir.appendingPathComponent("smsh-out-\(UUID().uuidString)")
        let errURL = dir.appendingPathComponent("smsh-err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        p.waitUntilExit()
        try out.close()
        try err.close()
        return Result(status: p.terminationStatus, stdout: try String(contentsOf: outURL, encoding: .utf8),
                      stderr: try String(contentsOf: errURL, encoding: .utf8))
    }

    /// An smsh started in the background, to be signalled: its stdout is dropped, its stderr
    /// kept in a file until it ends.
    final class Running {
        let process = Process()
        private let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("smsh-err-\(UUID().uuidString)")

        fileprivate init(_ args: [String], env: [String: String]) throws {
            process.executableURL = SmshProcess.binary
            process.arguments = args
            process.environment = ProcessInfo.processInfo.environment.merging(["NO_COLOR": "1"].merging(env) { $1 }) { $1 }
            FileManager.default.createFile(atPath: errURL.path, contents: nil)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = try FileHandle(forWritingTo: errURL)
            try process.run()
        }

        func signal(_ number: Int32) { kill(process.processIdentifier, number) }

        /// Waits for the end: whether it exited (rather than died of a signal), its status, its stderr.
        func wait() throws -> (exited: Bool, status: Int32, stderr: String) {
            process.waitUntilExit()
            defer { try? FileManager.default.removeItem(at: errURL) }
            return (process.terminationReason == .exit, process.terminationStatus, try String(contentsOf: errURL, encoding: .utf8))
        }
    }

    /// Starts smsh in the background with `env` added to this process's environment.
    static func start(_ args: [String], env: [String: String]) throws -> Running { try Running(args, env: env) }

    /// Asks `condition` every 20 ms until it holds or `seconds` pass; whether it held.
    @discardableResult
    static func waitUntil(seconds: Double = 6, _ condition: () throws -> Bool) rethrows -> Bool {
        for _ in 0..<Int(seconds * 50) {
            if try condition() { return true }
            usleep(20_000)
        }
        return try condition()
    }

    /// Writes a script into a fresh temporary directory and returns its path.
    static func script(_ name: String, _ text: String) throws -> String {
        // Short: Lua cuts chunk names longer than 60 bytes in messages.
        let dir = URL(fileURLWithPath: "/tmp/smsh-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }
}

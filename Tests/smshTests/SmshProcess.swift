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

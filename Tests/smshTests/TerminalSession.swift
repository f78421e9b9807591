import Foundation
import XCTest

/// Drives the real `smsh` binary in a pseudo-terminal through tmux (installed by
/// scripts/bootstrap): type keys, read the screen.
final class TerminalSession {
    let name: String
    let socket: String

    init(command: String, environment: [String: String] = [:]) throws {
        name = "smsh-\(UUID().uuidString.prefix(8))"
        socket = "/tmp/\(name).sock"
        let env = environment.map { "\($0.key)=\(TerminalSession.shellQuote($0.value))" }.joined(separator: " ")
        try tmux(["new-session", "-d", "-s", name, "-x", "150", "-y", "50",
                  "env TERM=xterm-256color \(env) \(TerminalSession.shellQuote(SmshProcess.binary.path)) \(command)"])
    }

    deinit {
        _ = try? tmux(["kill-server"])
        try? FileManager.default.removeItem(atPath: socket)
    }

    @discardableResult
    func tmux(_ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["tmux", "-S", socket] + args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = Pipe()
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// Types literal text (no Enter).
    func type(_ text: String) throws { try tmux(["send-keys", "-t", name, "-l", text]) }

    /// Sends named keys: "Enter", "Tab", "C-c", "C-d", "Up".
    func press(_ keys: String...) throws { try tmux(["send-keys", "-t", name] + keys) }

    func screen(escapes: Bool = false) throws -> String {
        try tmux(["capture-pane", "-p", "-t", name] + (escapes ? ["-e"] : []))
    }

    /// Waits (up to `timeout` seconds) until the screen satisfies `condition`; returns it.
    @discardableResult
    func waitFor(_ description: String, timeout: Double = 20, escapes: Bool = false,
                 _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen(escapes: escapes)
            if condition(last) { return last }
            usleep(100_000)
        }
        XCTFail("timed out waiting for \(description); screen:\n\(last)")
        return last
    }

    var isRunning: Bool {
        ((try? tmux(["list-sessions"])) ?? "").contains(name)
    }

    static func shellQuote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

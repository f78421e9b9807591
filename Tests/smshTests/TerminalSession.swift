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
        // No XDG_STATE_HOME of the test's own: the in-memory sandbox, never the runner's account.
        var environment = environment
        if environment["SMSH_SANDBOX_STATE"] == nil { environment["SMSH_SANDBOX_STATE"] = environment["XDG_STATE_HOME"] == nil ? "memory" : "" }
        let env = environment.map { "\($0.key)=\(TerminalSession.shellQuote($0.value))" }.joined(separator: " ")
        // The first command starts the tmux server, which would inherit (and hold open) an
        // output pipe: give it /dev/null instead.
        try tmux(["new-session", "-d", "-s", name, "-x", "150", "-y", "50",
                  // Keep the pane after smsh exits so a failure shows how it ended.
                  "env TERM=xterm-256color \(env) \(TerminalSession.shellQuote(SmshProcess.binary.path)) \(command); echo \"[smsh exited $?]\"; sleep 30"],
                 captureOutput: false)
    }

    deinit {
        _ = try? tmux(["kill-server"], captureOutput: false)
        try? FileManager.default.removeItem(atPath: socket)
    }

    /// Runs one tmux command through the shell (`system`): tmux's server forks off the
    /// first client and would hold any pipe Foundation's Process gave it, so output goes
    /// through a file instead.
    @discardableResult
    func tmux(_ args: [String], captureOutput: Bool = true) throws -> String {
        let out = "/tmp/\(name)-\(UUID().uuidString.prefix(6)).out"
        defer { unlink(out) }
        let command = (["tmux", "-S", socket] + args).map(TerminalSession.shellQuote).joined(separator: " ")
            + " >" + (captureOutput ? out : "/dev/null") + " 2>/dev/null </dev/null"
        _ = system(command)
        guard captureOutput else { return "" }
        return (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
    }

    /// Types literal text (no Enter).
    func type(_ text: String) throws { try tmux(["send-keys", "-t", name, "-l", text]) }

    /// Types a line and presses Enter.
    func enter(_ line: String) throws {
        try type(line)
        try press("Enter")
    }

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

    /// Whether smsh is still running in the pane.
    var isRunning: Bool {
        !((try? screen()) ?? "").contains("[smsh exited")
    }

    static func shellQuote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

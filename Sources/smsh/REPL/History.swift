#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The REPL's persistent history: `$XDG_STATE_HOME/smsh/history` (default
/// `~/.local/state/smsh/history`), mode 0600, one entry per chunk (multi-line chunks stay
/// whole). Entries that contain a secret are never written.
struct History {
    let path: String
    /// Secrets known to this session (the API key in use).
    let secrets: [String]

    static func defaultPath(environment env: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let state = env["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((env["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path) + "/.local/state")
        return state + "/smsh/history"
    }

    /// Whether an entry may be stored: not if it holds a known secret or looks like it
    /// assigns one (`api_key = "..."`, `x-api-key`, an `sk_live_…`/`sk_test_…` token).
    func mayStore(_ entry: String) -> Bool {
        for secret in secrets where !secret.isEmpty && entry.contains(secret) { return false }
        let lower = entry.lowercased()
        for marker in ["api_key", "apikey", "api-key", "smsh_api_key", "sk_live_", "sk_test_"] where lower.contains(marker) {
            return false
        }
        return true
    }

    /// Loads earlier entries into libedit; creates the file (0600) and its folder (0700).
    func prepare() {
        let dir = String(path[..<path.lastIndex(of: "/")!])
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if !FileManager.default.fileExists(atPath: path) {
            FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        chmod(path, 0o600)
        for entry in load() { smsh_edit_add_history(entry) }
    }

    /// Entries are stored one per line with `\n` and `\\` escaped, so a multi-line chunk is one entry.
    func load() -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n", omittingEmptySubsequences: true).map { History.unescape(String($0)) }
    }

    func append(_ entry: String) {
        guard mayStore(entry) else { return }
        let line = History.escape(entry) + "\n"
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o600)
        guard fd >= 0 else { return }
        defer { close(fd) }
        _ = line.withCString { write(fd, $0, strlen($0)) }
    }

    static func escape(_ s: String) -> String {
        s.replacing("\\", with: "\\\\").replacing("\n", with: "\\n")
    }

    static func unescape(_ s: String) -> String {
        var out = ""
        var escaping = false
        for c in s {
            if escaping {
                out.append(c == "n" ? "\n" : c)
                escaping = false
            } else if c == "\\" {
                escaping = true
            } else {
                out.append(c)
            }
        }
        return out
    }
}

import CEditLine

import Foundation
import XCTest

/// `docs/smsh.1` is generated from the command tree (`smsh --generate-man-page`): it must be
/// current, hold the usual sections and every registered command, and render cleanly.
final class ManPageTests: XCTestCase {
    static let manPage = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/smsh.1")

    func generated() throws -> String {
        let r = try SmshProcess.run(["--generate-man-page"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr, "")
        return r.stdout
    }

    func testCheckedInManPageIsCurrent() throws {
        let committed = try String(contentsOf: Self.manPage, encoding: .utf8)
        let fresh = try generated()
        if committed != fresh {
            let a = committed.split(separator: "\n", omittingEmptySubsequences: false)
            let b = fresh.split(separator: "\n", omittingEmptySubsequences: false)
            let line = Array(zip(a, b)).firstIndex { $0 != $1 } ?? min(a.count, b.count)
            XCTFail("docs/smsh.1 is out of date (first difference at line \(line + 1)): run scripts/gen-docs and commit docs/smsh.1")
        }
    }

    func testHasTheManSectionsAndEveryRegisteredCommand() throws {
        let page = try generated()
        for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "ENVIRONMENT", "FILES", "EXIT STATUS", "EXAMPLES"] {
            XCTAssertTrue(page.contains("\n.SH \(section)\n"), "no \(section) section")
        }
        // What ArgumentParser has registered, asked of the binary itself.
        for path in try registeredCommandPaths() {
            XCTAssertTrue(page.contains("\n.SS " + path.joined(separator: " ").replacingOccurrences(of: "-", with: "\\-") + "\n"),
                          "no COMMANDS entry for \(path.joined(separator: " "))")
        }
        for option in ["\\-\\-sandbox", "\\-\\-max\\-credits", "\\-\\-record\\-mode", "\\-\\-port"] {
            XCTAssertTrue(page.contains("\\fB\(option)\\fR"), "option \(option) is not documented")
        }
        for file in ["config.toml", "plugins", "state.sqlite3", "history"] {
            XCTAssertTrue(page.contains(file), "FILES does not mention \(file)")
        }
        // EXIT STATUS is ExitCodes.table: every code smsh documents in --help.
        let help = try SmshProcess.run(["--help"]).stdout
        for code in 0...8 {
            XCTAssertTrue(help.contains("\n  \(code)  "), "--help lacks exit code \(code)")
            XCTAssertTrue(page.contains(".TP\n.B \(code)\n"), "EXIT STATUS lacks \(code)")
        }
        XCTAssertFalse(page.contains("sk_live"), "a secret-looking value in the man page")
    }

    /// groff (and man-db's `man -l`, when installed) format the page without a warning.
    func testRendersWithoutWarnings() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("smsh-\(UUID().uuidString).1")
        try generated().write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        guard let groff = which("groff") else { throw XCTSkip("groff is not installed") }
        let g = try runTool(groff, ["-man", "-ww", "-z", "-Tutf8", url.path])
        XCTAssertEqual(g.status, 0)
        XCTAssertEqual(g.stderr, "", "groff warnings")
        if let man = which("man") {
            let m = try runTool(man, ["-l", url.path], env: ["MANWIDTH": "80", "MANPAGER": "cat", "PAGER": "cat"])
            XCTAssertEqual(m.status, 0, m.stderr)
            XCTAssertEqual(m.stderr, "", "man -l warnings")
            XCTAssertTrue(m.stdout.contains("EXIT STATUS"))
            XCTAssertTrue(m.stdout.contains("smsh run"))
        }
    }
}

/// The command paths ArgumentParser has registered (`smsh run`, `smsh journal list`, ...),
/// asked of the binary itself, so a new command needs no change here.
func registeredCommandPaths() throws -> [[String]] {
    let r = try SmshProcess.run(["--experimental-dump-help"])
    XCTAssertEqual(r.status, 0, r.stderr)
    let root = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
    var paths: [[String]] = []
    func walk(_ command: [String: Any], _ path: [String]) {
        for sub in command["subcommands"] as? [[String: Any]] ?? [] {
            let name = sub["commandName"] as! String
            // ArgumentParser's own `help` command is not one of smsh's.
            if name == "help" || (sub["shouldDisplay"] as? Bool) == false { continue }
            paths.append(path + [name])
            walk(sub, path + [name])
        }
    }
    walk(root["command"] as! [String: Any], ["smsh"])
    XCTAssertGreaterThanOrEqual(paths.count, 6)
    return paths
}

/// Finds a program on PATH.
func which(_ name: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let path = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

/// Runs a system tool (groff, bash, zsh, ...) and collects its output.
func runTool(_ path: String, _ args: [String], stdin: String? = nil, env: [String: String] = [:]) throws -> SmshProcess.Result {
    try SmshProcess.run(executable: path, args, stdin: stdin, env: env)
}

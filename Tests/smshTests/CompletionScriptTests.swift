import Foundation
import XCTest

/// `smsh --generate-completion-script bash|zsh|fish` (ArgumentParser's, through main.swift's
/// argument rewriting): each script is produced, offers every registered command and the
/// script's file completion, and is valid for its shell (`bash -n`, `zsh -n`, `fish -n` when
/// that shell is installed).
final class CompletionScriptTests: XCTestCase {
    func script(_ shell: String) throws -> String {
        let r = try SmshProcess.run(["--generate-completion-script", shell])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr, "")
        return r.stdout
    }

    func commandNames() throws -> [String] {
        try registeredCommandPaths().map { $0.last! }
    }

    func checkSyntax(_ shell: String, _ text: String) throws {
        guard let path = which(shell) else { throw XCTSkip("\(shell) is not installed") }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("smsh-completion-\(UUID().uuidString).\(shell)")
        try text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try runTool(path, ["-n", file.path])
        XCTAssertEqual(r.status, 0, "\(shell) -n: \(r.stderr)")
        XCTAssertEqual(r.stderr, "", "\(shell) -n")
    }

    func testBash() throws {
        let text = try script("bash")
        XCTAssertTrue(text.contains("complete -o filenames -F _smsh smsh"))
        for path in try registeredCommandPaths() {
            let function = "_" + path.joined(separator: "_") + "()"
            XCTAssertTrue(text.contains(function), "bash: no \(function) for \(path.joined(separator: " "))")
        }
        XCTAssertTrue(text.contains("--max-credits"))
        XCTAssertTrue(text.contains("'!*.@(lua)'"), "bash: scripts do not complete as *.lua files")
        // The same script whichever way the shell is named.
        XCTAssertEqual(try SmshProcess.run(["--generate-completion-script=bash"]).stdout, text)
        try checkSyntax("bash", text)
    }

    /// Runs the bash completion function on `words` (the first is the binary, as the shell
    /// would have it: custom completions call it back) and returns what it offers.
    func bashComplete(_ words: [String], env: [String: String] = [:]) throws -> [String] {
        guard let bash = which("bash") else { throw XCTSkip("bash is not installed") }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("smsh-completion-\(UUID().uuidString).bash")
        try script("bash").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let words = [SmshProcess.binary.path] + words
        let line = words.joined(separator: " ")
        let quoted = words.map { "'\($0)'" }.joined(separator: " ")
        let program = """
            source '\(file.path)'
            COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1); COMP_LINE='\(line)'; COMP_POINT=\(line.count)
            _smsh smsh '\(words.last!)' '\(words[words.count - 2])'
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let r = try runTool(bash, ["-c", program], env: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        return r.stdout.split(separator: "\n").map(String.init)
    }

    /// Loaded into bash, the function offers the commands and a command's options.
    func testBashCompletesCommandsAndOptions() throws {
        let commands = try bashComplete([""])
        for name in try registeredCommandPaths().filter({ $0.count == 2 }).map({ $0[1] }) {
            XCTAssertTrue(commands.contains(name), "smsh <TAB> lacks \(name): \(commands)")
        }
        XCTAssertEqual(try bashComplete(["run", "--max-c"]), ["--max-credits"])
        XCTAssertEqual(Set(try bashComplete(["run", "--record-mode", ""])), ["none", "once", "new", "all"])
    }

    /// `--profile <TAB>` asks smsh (`---completion`, through main.swift's argument rewriting)
    /// for the profiles of config.toml.
    func testProfileNamesCompleteFromConfigToml() throws {
        let config = URL(fileURLWithPath: "/tmp/smsh-compl-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: config.appendingPathComponent("smsh"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: config) }
        try """
            default_profile = "prod"
            [profiles.prod]
            base_url = "https://me-sms.com"
            [profiles.staging]
            base_url = "http://127.0.0.1:8080"
            """.write(to: config.appendingPathComponent("smsh/config.toml"), atomically: true, encoding: .utf8)
        let env = ["XDG_CONFIG_HOME": config.path]
        XCTAssertEqual(Set(try bashComplete(["run", "--profile", ""], env: env)), ["prod", "staging"])
        XCTAssertEqual(try bashComplete(["repl", "--profile", "st"], env: env), ["staging"])
        XCTAssertEqual(try bashComplete(["config", "show", "--profile", "p"], env: env), ["prod"])
        // No config file: nothing offered, nothing printed.
        XCTAssertEqual(try bashComplete(["run", "--profile", ""], env: ["XDG_CONFIG_HOME": config.path + "/none"]), [])
    }

    func testZsh() throws {
        let text = try script("zsh")
        XCTAssertTrue(text.hasPrefix("#compdef smsh"))
        for name in try commandNames() { XCTAssertTrue(text.contains("'\(name):"), "zsh: no completion for \(name)") }
        try checkSyntax("zsh", text)
    }

    func testFish() throws {
        let text = try script("fish")
        for name in try commandNames() { XCTAssertTrue(text.contains("-fa '\(name)'"), "fish: no completion for \(name)") }
        try checkSyntax("fish", text)
    }

    func testUnknownShellIsAUsageError() throws {
        let r = try SmshProcess.run(["--generate-completion-script", "tcsh"])
        XCTAssertEqual(r.status, 2, r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("tcsh"), r.stderr)
    }
}

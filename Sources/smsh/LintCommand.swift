import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SMSDocs
import SMSLua
#if canImport(Glibc)
import Glibc
#endif

/// `smsh lint FILE...`: Debian's luacheck with a standard generated from the doc registry, so
/// `sms.sned` is caught before a run; `*_spec.lua` files get busted's globals and the spec helpers.
struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check Lua scripts and specs with luacheck, knowing smsh's globals (sms, json, log, ...).",
        discussion: HelpText.sentences("""
            Runs luacheck (Debian package lua-check) with smsh's standard: Lua 5.4 plus the
            read-only globals sms, json, log and help, each with exactly its documented
            fields (so sms.sned is "accessing undefined field sned of global sms"). Files
            named *_spec.lua also get busted's globals (describe, it, assert, ...) and
            fixture / run_script. Folders are checked recursively (*.lua); - reads standard input.
            Exit status: luacheck's (0 clean, 1 warnings, 2 syntax errors, 3 unreadable
            file); 2 when a file is missing or luacheck is not installed.
              smsh lint nightly.lua nightly_spec.lua
              smsh lint scripts/
            """))

    @Argument(help: ArgumentHelp("Lua files or folders to check (- for standard input).", valueName: "file"))
    var files: [String] = []

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one Lua file or folder to check") }
    }

    func run() throws {
        for file in files where file != "-" && !FileManager.default.fileExists(atPath: file) {
            writeUsageError("smsh lint: no such file: \(file)")
            throw ExitCode(ExitCodes.usage)
        }
        guard let luacheck = Self.executable("luacheck") else {
            writeUsageError("smsh lint: luacheck is not installed (sudo apt install lua-check)")
            throw ExitCode(ExitCodes.usage)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("smsh-lint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent(".luacheckrc")
        // One glob for every spec: luacheck matches it against absolute paths, whatever the
        // working directory or how the file was named.
        try Data(LuacheckStandard.config(specPatterns: ["/**/*_spec.lua"]).utf8).write(to: config)
        var arguments = ["--config", config.path]
        if isatty(1) == 0 { arguments.append("--no-color") }
        // "--" so that a file named like an option is still a file.
        throw ExitCode(try ChildProcess.run(executable: luacheck, arguments: arguments + ["--"] + files))
    }

    /// The first `name` on $PATH that can be run.
    static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

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

/// `smsh docs --luals DIR`: lua-language-server definitions of `sms`, `json`, `log`, `help`
/// and the spec helpers, rendered from the registry `help()` shows.
struct DocsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs",
        abstract: "Write editor definitions (lua-language-server) generated from help()'s docs.",
        discussion: HelpText.sentences("""
            smsh docs --luals DIR writes one ---@meta file per module (sms.lua, json.lua,
            log.lua, smsh.lua, smsh_test.lua) into DIR, creating it. Point the editor at it
            with a .luarc.json next to the scripts:
              {"workspace.library": ["DIR"], "runtime.version": "Lua 5.4"}
            """))

    @Option(help: ArgumentHelp("Write lua-language-server definition files into this folder.", valueName: "dir"))
    var luals: String

    func validate() throws {
        guard !luals.isEmpty else { throw ValidationError("--luals: the folder must not be empty") }
    }

    func run() throws {
        let dir = luals
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for file in LuaLSDefinitions.files() {
                let path = dir.hasSuffix("/") ? dir + file.name : dir + "/" + file.name
                try Data(file.text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
                print(path)
            }
        } catch {
            // FoundationEssentials' errors print as codes; the system's reason reads better.
            let reason = access(dir, W_OK) != 0 ? String(cString: strerror(errno)) : "\(error)"
            writeUsageError("smsh docs: cannot write \(dir): \(reason)")
            throw ExitCode(1)
        }
    }
}

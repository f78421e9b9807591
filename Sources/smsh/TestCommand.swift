import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LuaHost

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run busted specs (*_spec.lua) inside smsh, with sms, json and log loaded.",
        discussion: HelpText.sentences("""
            Uses Debian's lua-busted, loaded into smsh's own Lua state. Specs talk to the built-in \
            simulator unless a test calls fixture("name"), which replays fixtures/name.json next to \
            the spec (recorded from the simulator when missing, with --record-missing).

            run_script(path, {args = {...}, fixture = "name"}) runs a script in a separate smsh and \
            returns {code =, stdout =, stderr =, requests = {...}}. The script, a fixture path and \
            args naming files next to the spec are taken from the spec's folder, so specs pass from \
            any working directory; --record-missing records a missing run_script fixture too.

            Everything after the paths goes to busted: -o TAP, -o junit, --filter PATTERN, ... \
            (listed below).

            Examples:
              smsh test                          specs under ./spec
              smsh test scripts/examples -o TAP
              smsh test spec --filter "retries only failed"
            """)
    )

    @Flag(help: "Record a missing fixture from the simulator instead of failing.")
    var recordMissing = false

    @Flag(help: "Do not load plugins ($XDG_CONFIG_HOME/smsh/plugins/*.lua, ./.smsh/plugins/*.lua).")
    var noPlugins = false

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("Spec files or folders, then busted options.", valueName: "paths-and-busted-options"), completion: .file(extensions: ["lua"]))
    var arguments: [String] = []

    /// `--help`/`-h` among the paths and busted options (before any `--`).
    var asksForHelp: Bool {
        arguments.prefix { $0 != "--" }.contains { $0 == "--help" || $0 == "-h" }
    }

    func run() throws {
        if asksForHelp {
            try printHelp()
            return
        }
        // Specs are deterministic: their sandbox starts empty (never the persistent account), in this process and its children.
        setenv(PersistentSandbox.ephemeralVariable, "memory", 1)
        var options = SessionSettings()
        options.sandbox = true
        options.noPlugins = noPlugins
        // Specs run the same for everybody: no profile settings (plugins do load, so they can be tested).
        let session = try ScriptSession.orExit { try ScriptSession(options: options, readConfig: false) }
        let lua = session.lua
        guard (try? lua.run("return package.searchpath('busted.runner', package.path) ~= nil").first) == .boolean(true) else {
            writeToStandardError("smsh: test: lua-busted is not installed (apt install lua-busted, or run scripts/bootstrap)\n")
            throw ExitCode(1)
        }
        try TestSupport.install(in: session, recordMissing: recordMissing)
        var busted = arguments
        if !busted.contains(where: { $0.hasPrefix("-p") || $0.hasPrefix("--pattern") }) { busted.append("--pattern=_spec") }
        lua.setArgTable(script: "smsh test", arguments: busted, interpreter: ["smsh"])
        // Counts the tests that ran (busted exits only on failures): a filter that matches
        // no test must not pass as if every test had.
        try lua.run("""
            local core = require('busted.core')
            -- A table, not a number: busted's insulation restores globals after each file.
            local count = { n = 0 }
            __smsh_tests_run = count
            package.loaded['busted.core'] = function(...)
              local b = core(...)
              b.subscribe({ 'test', 'end' }, function() count.n = count.n + 1; return nil, true end)
              return b
            end
            """)
        try ScriptSession.runOrExit {
            try lua.load("require('busted.runner')({ standalone = false })", chunkName: "@smsh test")
            try lua.stack.call(nargs: 0, nresults: 0)
        }
        if let filter = TestCommand.filter(in: arguments), (try? lua.run("return __smsh_tests_run.n").first) == .integer(0) {
            StderrMessages.error("test: no test matches \(filter) (a Lua pattern on the test's full name, as busted reads it); nothing ran", code: "NO_TESTS")
            throw ExitCode(ExitCodes.scriptError)
        }
    }

    /// The busted options that select tests (`--filter PATTERN`, `--tags T`, ...), as typed,
    /// or nil when none was given.
    static func filter(in arguments: [String]) -> String? {
        let selecting = ["--filter", "--filter-out", "--tags", "-t", "--exclude-tags"]
        var found: [String] = []
        var i = 0
        let options = Array(arguments.prefix { $0 != "--" })
        while i < options.count {
            let a = options[i]
            if selecting.contains(a), i + 1 < options.count {
                found.append("\(a) '\(options[i + 1])'")
                i += 2
                continue
            }
            if let eq = a.firstIndex(of: "="), selecting.contains(String(a[..<eq])) {
                found.append("\(a[..<eq]) '\(a[a.index(after: eq)...])'")
            }
            i += 1
        }
        return found.isEmpty ? nil : found.joined(separator: " ")
    }
}

extension TestCommand {
    /// smsh's own options, then busted's (which go through untouched), exit 0. Busted alone
    /// reports `--help` as an error with exit 1, so its usage is taken from its option parser.
    func printHelp() throws {
        print(SMSH.helpMessage(for: TestCommand.self))
        let lua = try LuaState()
        let usage = try? lua.run("""
            local ok, cli = pcall(require, 'busted.modules.cli')
            if not ok then return nil end
            local parser = cli({ standalone = false })
            local _, message = parser:parse({ '--help' })
            return (tostring(message or ''):gsub('^.-error: ', ''):gsub('; re%-run with %-%-help for usage%.$', ''))
            """).first
        print("")
        if let text = usage?.stringValue, !text.isEmpty {
            print("busted options (after the paths; passed to busted):")
            print(text)
        } else {
            print("busted options: lua-busted is not installed (apt install lua-busted, or run scripts/bootstrap)")
        }
    }
}

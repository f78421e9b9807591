import CLuaShim
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LuaHost
import SMSConfig
import SMSLua
import SMSOperations

/// lua.c's REPL, with libedit and pretty results: read a chunk (trying `return <line>`
/// first, continuing on an incomplete chunk), run it with a traceback handler, print every
/// result. The loop survives every error.
struct ReplLoop {
    var options: SessionSettings
    var script: ScriptSession
    let editor: LineEditor
    var history: History
    var printer: ValuePrinter
    var completer: Completer
    static let commands = [":help", ":quit", ":sandbox", ":profile"]

    /// - Parameter session: the session to go on with (`smsh -i script.lua`), else a new one.
    init(options: SessionSettings, session: ScriptSession? = nil) throws {
        self.options = options
        script = try session ?? ScriptSession.orExit { try ScriptSession(options: options) }
        let env = ProcessInfo.processInfo.environment
        let colour = standardOutputIsTerminal && (env["NO_COLOR"] ?? "").isEmpty
        printer = ValuePrinter(color: colour, maskNumbers: script.config.maskNumbers.value)
        completer = Completer(commands: ReplLoop.commands)
        history = History(path: History.defaultPath(), secrets: [])
        smsh_sigint_install()
        editor = LineEditor { _ in [] }
        adopt(script)
        history.prepare()
    }

    /// Makes `session` the one the prompt, completion, printing, history and confirmation use.
    mutating func adopt(_ session: ScriptSession) {
        script = session
        let env = ProcessInfo.processInfo.environment
        history = History(path: history.path, secrets: [env["SMSH_API_KEY"] ?? "", session.config.apiKey.value ?? ""].filter { !$0.isEmpty })
        printer.maskNumbers = session.config.maskNumbers.value
        editor.hints = session.config.hints.value
        completer.commands = ReplLoop.commands + (session.plugins?.commands.map { ":" + $0.name } ?? [])
        let completerCopy = completer
        LineEditor.completer = { before in completerCopy.complete(before, in: session.lua.stack) }
        installConfirmation()
    }

    /// Large sends typed at the prompt ask first (never with --yes; scripts never ask).
    func installConfirmation() {
        guard !options.yes else { return }
        let editor = self.editor
        script.environment.confirmLargeSend = { e in
            let question = confirmationQuestion(e)
            guard case .line(let answer) = editor.read(prompt: question, suggest: false) else { return false }
            return ["y", "yes"].contains(String(answer.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()).lowercased())
        }
    }

    /// `smsh> `, `smsh(prod)> `, `smsh[sandbox]> `, `smsh(staging)[sandbox]> `.
    var prompt: String { ReplLoop.prompt(profile: script.config.profile.value, sandbox: script.config.sandbox.value) }

    static func prompt(profile: String?, sandbox: Bool) -> String {
        "smsh" + (profile.map { "(\($0))" } ?? "") + (sandbox ? "[sandbox]" : "") + "> "
    }

    mutating func run() {
        print("smsh \(smshVersion) (Lua 5.4)\(script.config.sandbox.value ? " — sandbox: simulated API, virtual time" : ""). help() for functions, :help for commands, Ctrl-D to exit.")
        while true {
            guard let chunk = readChunk() else { break }
            if chunk.allSatisfy(\.isWhitespace) { continue }
            // A line with a secret is neither saved nor recalled or suggested later.
            if history.mayStore(chunk) { editor.addToHistory(chunk) }
            history.append(chunk)
            if chunk.hasPrefix(":") {
                if !command(chunk) { break }
                continue
            }
            evaluate(chunk)
        }
        print("")
    }

    /// Reads one complete chunk; nil on Ctrl-D at the primary prompt.
    func readChunk() -> String? {
        switch editor.read(prompt: prompt) {
        case .endOfInput: return nil
        case .interrupted:
            print("")
            return ""
        case .line(let first):
            if first.hasPrefix(":") { return first }
            var chunk = first
            while isIncomplete(chunk) {
                switch editor.read(prompt: ">> ") {
                case .endOfInput: return chunk
                case .interrupted:
                    print("")
                    return ""
                case .line(let more): chunk += "\n" + more
                }
            }
            return chunk
        }
    }

    /// True when the chunk is unfinished: neither `return <chunk>` nor the chunk compiles,
    /// and the error is at `<eof>`.
    func isIncomplete(_ chunk: String) -> Bool {
        let lua = script.lua
        let top = lua.stack.top
        defer { lua.stack.top = top }
        if (try? lua.load("return " + chunk, chunkName: "=stdin")) != nil { return false }
        do {
            try lua.load(chunk, chunkName: "=stdin")
            return false
        } catch let e as LuaError {
            return e.isIncompleteChunk
        } catch {
            return false
        }
    }

    func evaluate(_ chunk: String) {
        let lua = script.lua
        let stack = lua.stack
        let base = stack.top
        defer { stack.top = base }
        do {
            do {
                try lua.load("return " + chunk, chunkName: "=stdin")
            } catch {
                try lua.load(chunk, chunkName: "=stdin")
            }
            let n = try ReplLoop.interruptible(lua) { try stack.call(nargs: 0) }
            finishTasks()
            guard n > 0 else { return }
            let rendered = (0..<n).map { printer.render(stack, at: base + 1 + $0) }
            print(rendered.contains { $0.contains("\n") } ? rendered.joined(separator: "\n") : rendered.joined(separator: "\t"))
        } catch let e as LuaError {
            finishTasks()
            flushStandardOutput()
            // Declining a confirmation is an answer, not a failure: one line, no traceback.
            if case .table(let t) = e.value, t["code"]?.stringValue == "CANCELLED" {
                writeToStandardError("smsh: CANCELLED: " + (t["message"]?.stringValue ?? "not confirmed; nothing was sent") + "\n")
                return
            }
            writeToStandardError(e.description + "\n")
        } catch {
            finishTasks()
            writeToStandardError("\(error)\n")
        }
    }

    /// A line's tasks end before the next prompt; the errors no `sms.join` collected are shown.
    private func finishTasks() {
        guard let tasks = script.environment.tasks, tasks.hasUnfinishedTasks || !tasks.unjoinedFailures().isEmpty else { return }
        do {
            try tasks.runUntilAllEnded()
        } catch {
            smsh_sigint_clear()
            tasks.reset()
            writeToStandardError("tasks interrupted (sends already on the wire finished)\n")
            return
        }
        for f in tasks.unjoinedFailures() { writeToStandardError("task \(f.id) failed: \(f.message)\n") }
        tasks.forgetEnded()
    }

    /// Runs a `:command`; false means quit.
    mutating func command(_ line: String) -> Bool {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let name = words.first ?? ""
        switch name {
        case ":quit", ":q", ":exit": return false
        case ":help":
            print("""
                :help          this list (help() lists Lua functions, help(sms.send) shows one)
                :sandbox       switch this session to the built-in simulator (globals are kept)
                :profile       show the profile, API base URL and (masked) key; :profile NAME switches (globals kept)
                :quit          leave (Ctrl-D also works)
                """)
            let pluginCommands = script.plugins?.commands ?? []
            if !pluginCommands.isEmpty {
                print("from plugins:")
                let width = max(13, pluginCommands.map { $0.name.count + 1 }.max() ?? 0)
                for c in pluginCommands {
                    let label = ":" + c.name
                    print(label + String(repeating: " ", count: width - label.count + 2) + (c.help.isEmpty ? "(plugin \(c.plugin))" : c.help))
                }
            }
        case ":sandbox":
            guard !script.config.sandbox.value else {
                print("already using the sandbox; nothing changed")
                return true
            }
            var next = options
            next.sandbox = true
            if retarget(next) {
                print("now using the sandbox: simulated API, virtual time, demo data (sender SMSHDEMO) (globals kept)")
            }
        case ":profile":
            if words.count > 1 {
                // The profile decides the target, the sandbox included.
                var next = options
                next.profile = words[1]
                next.sandbox = false
                if retarget(next) {
                    let c = script.config
                    print("now using profile \(c.profile.value ?? words[1]): \(c.sandbox.value ? "the sandbox" : c.baseURL.value) (globals kept)")
                }
                return true
            }
            let c = script.config
            print("profile: \(c.profile.value ?? "(none)")")
            print(c.sandbox.value ? "API: sandbox (built-in simulator)" : "API: \(c.baseURL.value)")
            if !c.sandbox.value { print("key: \(c.maskedAPIKey)") }
        default:
            if let plugins = script.plugins, plugins.commands.contains(where: { ":" + $0.name == name }) {
                runPluginCommand(String(name.dropFirst()), arguments: Array(words.dropFirst()), plugins: plugins)
            } else {
                writeToStandardError("smsh: unknown command \(name); :help lists them\n")
            }
        }
        return true
    }

    /// Points the session at the target `next` names, keeping the Lua state and its globals;
    /// false (and a message, the session unchanged) when the settings do not resolve.
    mutating func retarget(_ next: SessionSettings) -> Bool {
        do {
            adopt(try script.retargeted(options: next))
            options = next
            return true
        } catch ConfigError.unknownProfile(let name, let from, let known) where from == "--profile" {
            // The name came from :profile NAME, not from the command line.
            writeToStandardError("smsh: \(ConfigError.unknownProfile(name: name, from: ":profile", known: known))\n")
            return false
        } catch {
            writeToStandardError("smsh: \(error)\n")
            return false
        }
    }

    /// A plugin's command: errors are shown, Ctrl-C interrupts it, and the REPL goes on.
    func runPluginCommand(_ name: String, arguments: [String], plugins: PluginLoader) {
        do {
            try ReplLoop.interruptible(script.lua) { _ = try plugins.run(command: name, arguments: arguments) }
        } catch let e as LuaError {
            flushStandardOutput()
            writeToStandardError(":\(name): \(e.message)\n")
        } catch {
            writeToStandardError(":\(name): \(error)\n")
        }
        flushStandardOutput()
    }

    /// Runs Lua work that Ctrl-C may interrupt ("interrupted" error, REPL goes on): the hook
    /// is armed only for the call, and nothing of it is left installed afterwards.
    static func interruptible<T>(_ lua: LuaState, _ body: () throws -> T) rethrows -> T {
        smsh_sigint_clear()
        smsh_sigint_watch(lua.L)
        defer {
            smsh_sigint_watch(nil)
            lua.clearInterrupt()
            smsh_sigint_clear()
        }
        return try body()
    }
}

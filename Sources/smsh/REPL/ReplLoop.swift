import CLuaShim
import Foundation
import LuaHost
import SMSLua

/// lua.c's REPL, with libedit and pretty results: read a chunk (trying `return <line>`
/// first, continuing on an incomplete chunk), run it with a traceback handler, print every
/// result. The loop survives every error.
struct ReplLoop {
    var options: SessionOptions
    var script: ScriptSession
    let editor: LineEditor
    let history: History
    var printer: ValuePrinter
    var completer: Completer
    static let commands = [":help", ":quit", ":sandbox", ":profile"]

    init(options: SessionOptions) throws {
        self.options = options
        script = try ScriptSession(options: options)
        let env = ProcessInfo.processInfo.environment
        let colour = standardOutputIsTerminal && (env["NO_COLOR"] ?? "").isEmpty
        printer = ValuePrinter(color: colour, maskNumbers: options.maskNumbers)
        completer = Completer(commands: ReplLoop.commands)
        history = History(path: History.defaultPath(), secrets: [env["SMSH_API_KEY"] ?? ""].filter { !$0.isEmpty })
        smsh_sigint_install()
        let session = script
        let completerCopy = completer
        editor = LineEditor { before in completerCopy.complete(before, in: session.lua.stack) }
        history.prepare()
        installConfirmation()
    }

    /// Large sends typed at the prompt ask first (never with --yes; scripts never ask).
    func installConfirmation() {
        guard !options.yes else { return }
        let editor = self.editor
        script.environment.confirmLargeSend = { e in
            let question = "send to \(e.recipients) recipients, \(e.parts) part(s), \(e.credits) credits? [y/N] "
            guard case .line(let answer) = editor.read(prompt: question) else { return false }
            return ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
        }
    }

    var prompt: String { options.sandbox ? "smsh[sandbox]> " : "smsh> " }

    mutating func run() {
        print("smsh \(smshVersion) (Lua 5.4)\(options.sandbox ? " — sandbox: simulated API, virtual time" : ""). help() for functions, :help for commands, Ctrl-D to exit.")
        while true {
            guard let chunk = readChunk() else { break }
            if chunk.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            editor.addToHistory(chunk)
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
            smsh_sigint_clear()
            smsh_sigint_watch(lua.L)
            defer {
                smsh_sigint_watch(nil)
                lua.clearInterrupt()
                smsh_sigint_clear()
            }
            let n = try stack.call(nargs: 0)
            guard n > 0 else { return }
            let rendered = (0..<n).map { printer.render(stack, at: base + 1 + $0) }
            print(rendered.contains { $0.contains("\n") } ? rendered.joined(separator: "\n") : rendered.joined(separator: "\t"))
        } catch let e as LuaError {
            flushStandardOutput()
            writeToStandardError(e.description + "\n")
        } catch {
            writeToStandardError("\(error)\n")
        }
    }

    /// Runs a `:command`; false means quit.
    mutating func command(_ line: String) -> Bool {
        let words = line.split(separator: " ").map(String.init)
        switch words.first ?? "" {
        case ":quit", ":q", ":exit": return false
        case ":help":
            print("""
                :help          this list (help() lists Lua functions, help(sms.send) shows one)
                :sandbox       switch this session to the built-in simulator
                :profile       show where the API calls go
                :quit          leave (Ctrl-D also works)
                """)
        case ":sandbox":
            options.sandbox = true
            do {
                script = try ScriptSession(options: options)
                let session = script
                let completerCopy = completer
                LineEditor.completer = { before in completerCopy.complete(before, in: session.lua.stack) }
                installConfirmation()
                print("now in the sandbox: simulated API, virtual time, demo data (sender SMSHDEMO)")
            } catch {
                writeToStandardError("\(error)\n")
            }
        case ":profile":
            print(options.sandbox ? "sandbox (built-in simulator)" : "API: \(options.baseURL ?? ProcessInfo.processInfo.environment["SMSH_BASE_URL"] ?? ScriptSession.defaultBaseURL)")
        default:
            writeToStandardError("unknown command \(words.first ?? line); :help lists them\n")
        }
        return true
    }
}

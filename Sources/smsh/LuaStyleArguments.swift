/// smsh behaves like `lua5.4` where they overlap: `smsh FILE ARGS…`, `smsh -e CODE`,
/// `smsh -` (stdin) and bare `smsh` (the REPL). ArgumentParser needs a subcommand, so
/// those forms are rewritten to `run …` / `repl …` before parsing.
enum LuaStyleArguments {
    /// Options of `run`/`repl` that take a value, so their value is not taken for a script.
    static let optionsWithValue: Set<String> = [
        "--profile", "--log-format", "--record", "--replay", "--record-mode", "--max-credits",
        "--lock", "--base-url", "--api-key-env", "--retries", "--timeout", "-o", "--output",
        "--sandbox-credit", "--sandbox-seed", "--concurrency", "--max-rate", "--summary", "--requests-log",
        "--metrics", "--metrics-push",
    ]

    static func rewrite(_ args: [String], subcommands: Set<String>, subcommandsOf: (String) -> Set<String> = { _ in [] }) -> [String] {
        guard let first = args.first else { return ["repl"] }
        if subcommands.contains(first) || ["-h", "--help", "--version", "help"].contains(first)
            || first.hasPrefix("--generate-completion") || first.hasPrefix("--experimental")
            // A completion script asking for option values (`--profile <TAB>`).
            || first == "---completion"
        {
            if first == "run" { return joiningNegativeValues(args) }
            return oneOffCommands.contains(first) ? joiningNegativeNumbers(args) : args
        }
        var i = 0
        while i < args.count {
            let a = args[i]
            // `smsh --sandbox credit`: session options before a command's name belong to it
            // (a script named like a command needs `smsh run`, as at the start of the line).
            if subcommands.contains(a) {
                // A group's subcommand takes them: `smsh --profile p config show`.
                let name = i + 1 < args.count && subcommandsOf(a).contains(args[i + 1]) ? [a, args[i + 1]] : [a]
                let moved = name + joiningNegativeValues(Array(args[..<i])) + args[(i + name.count)...]
                return oneOffCommands.contains(a) ? joiningNegativeNumbers(moved) : moved
            }
            if a == "-e" || a == "-" || a == "--" || !a.hasPrefix("-") { return ["run"] + joiningNegativeValues(args) }
            if optionsWithValue.contains(a) { i += 2 } else { i += 1 }
        }
        return ["repl"] + joiningNegativeValues(args)
    }

    /// `--max-credits -5` as `--max-credits=-5`: ArgumentParser takes `-5` for an option
    /// ("Missing value"); joined, the command's own check names the option and the value.
    /// Only smsh's own options (before the script) are touched, never the script's arguments.
    static func joiningNegativeValues(_ args: [String]) -> [String] {
        var out: [String] = []
        var i = args.first == "run" ? 1 : 0
        out.append(contentsOf: args[..<i])
        while i < args.count {
            let a = args[i]
            if a == "--" || a == "-" || !a.hasPrefix("-") { return out + args[i...] }
            if optionsWithValue.contains(a) || a == "-e", i + 1 < args.count {
                let value = args[i + 1]
                let negative = a != "-e" && value.hasPrefix("-") && Double(value) != nil
                out.append(contentsOf: negative ? [a + "=" + value] : [a, value])
                i += 2
                continue
            }
            out.append(a)
            i += 1
        }
        return out
    }

    /// The one-off commands: every argument is smsh's own (no script arguments).
    static let oneOffCommands: Set<String> = ["credit", "senders", "send", "campaign", "preview", "cancel", "messages", "message", "recipients", "wait"]

    /// Options of the one-off commands whose value is free text: any value, also one starting
    /// with `-` (`--text "-50% off today"`), is theirs.
    static let textOptions: Set<String> = ["--text", "--var", "--sender", "--once", "--column", "--to-file", "--key", "--csv", "--phone"]

    /// For a one-off command, `--limit -5` as `--limit=-5` and `--text -50%` as `--text=-50%`
    /// anywhere on the line, so ArgumentParser does not take the value for an option and the
    /// command's own check names the option and the value (no script arguments to spare).
    static func joiningNegativeNumbers(_ args: [String]) -> [String] {
        var out: [String] = []
        var i = 0
        while i < args.count {
            let a = args[i]
            if a == "--" { return out + args[i...] }
            // Not `--next-option` or `-o`/`-h`: a value forgotten before them stays a usage error.
            if textOptions.contains(a), i + 1 < args.count, args[i + 1].hasPrefix("-"), !args[i + 1].hasPrefix("--"),
               !["-o", "-h"].contains(args[i + 1]) {
                out.append(a + "=" + args[i + 1])
                i += 2
                continue
            }
            if a.hasPrefix("--"), !a.contains("="), i + 1 < args.count, args[i + 1].hasPrefix("-"), Double(args[i + 1]) != nil {
                out.append(a + "=" + args[i + 1])
                i += 2
                continue
            }
            out.append(a)
            i += 1
        }
        return out
    }

    /// A command line made only of lua5.4's options (`-e CODE`, `-l MOD`, `-i`, `-v`, `-E`,
    /// `-W`, `--`) and then, optionally, a script (or `-`) with its arguments — no smsh
    /// option — as a `ScriptRun`; else nil. Such a line needs no ArgumentParser (its
    /// reflection over every command costs ~20 ms of start-up).
    static func plainRun(_ args: [String], subcommands: [String]) -> ScriptRun? {
        var args = Array(args)
        if args.first == "run" { args.removeFirst() }
        guard let first = args.first, !subcommands.contains(first), first != "help" else { return nil }
        var run = ScriptRun()
        var i = 0
        while i < args.count, args[i].hasPrefix("-"), args[i] != "-" {
            if args[i] == "--" {
                i += 1
                break
            }
            guard let used = luaOption(args, at: i, into: &run.lua) else { return nil }
            i += used
        }
        run.scriptAndArguments = Array(args[i...])
        return run
    }

    /// lua5.4's option at `args[i]` added to `options`: how many arguments it took (1 or 2),
    /// or nil when `args[i]` is not one (an smsh option, or `-e` without its code).
    static func luaOption(_ args: [String], at i: Int, into options: inout LuaOptions) -> Int? {
        let a = args[i]
        switch a {
        case "-i": options.interactive = true; options.version = true; return 1
        case "-v": options.version = true; return 1
        case "-E": options.ignoreEnvironment = true; return 1
        case "-W": options.actions.append(.warningsOn); return 1
        case "-e", "-l":
            guard i + 1 < args.count else { return nil }
            options.actions.append(a == "-e" ? .code(args[i + 1]) : .library(args[i + 1]))
            return 2
        default:
            // lua5.4 also takes the value joined: -e'print(1)', -ljson.
            if a.hasPrefix("-e") && a.count > 2 { options.actions.append(.code(String(a.dropFirst(2)))); return 1 }
            if a.hasPrefix("-l") && a.count > 2 { options.actions.append(.library(String(a.dropFirst(2)))); return 1 }
            return nil
        }
    }

    /// lua5.4's options found by `extractLuaOptions` on a line ArgumentParser parses (one with
    /// smsh options too: `smsh --sandbox -l json -e CODE x.lua`); `RunCommand` takes them.
    /// One process parses one command line.
    nonisolated(unsafe) static var extracted = LuaOptions()

    /// `run …`/`repl …` with lua5.4's options before the script taken out (into `extracted`,
    /// in their order), so ArgumentParser sees only smsh's; a `repl` line with any becomes `run`.
    static func extractLuaOptions(_ args: [String]) -> [String] {
        guard let command = args.first, command == "run" || command == "repl" else { return args }
        var out = [command]
        var i = 1
        while i < args.count {
            let a = args[i]
            if a == "--" || a == "-" || !a.hasPrefix("-") { out += args[i...]; break }
            if optionsWithValue.contains(a) {
                out += args[i..<min(i + 2, args.count)]
                i += 2
                continue
            }
            if !a.hasPrefix("--"), let used = luaOption(args, at: i, into: &extracted) {
                i += used
                continue
            }
            out.append(a)
            i += 1
        }
        if command == "repl" && !extracted.isEmpty { out[0] = "run" }
        return out
    }
}

/// What lua5.4's options ask for: the `-e` and `-l` (and `-W`) actions in command-line order,
/// then the script, then the REPL under `-i`.
struct LuaOptions {
    enum Action: Equatable {
        /// `-e CODE`: run it as the chunk `(command line)`.
        case code(String)
        /// `-l MOD` or `-l G=MOD`: `G = require(MOD)` (G is MOD when not given).
        case library(String)
        /// `-W`: warnings on (`warn("@on")`).
        case warningsOn
    }

    var actions: [Action] = []
    /// `-i`: the REPL after the script (it also prints the version, as lua5.4 does).
    var interactive = false
    /// `-v`: print the version first.
    var version = false
    /// `-E`: ignore LUA_INIT, LUA_PATH and LUA_CPATH.
    var ignoreEnvironment = false

    var isEmpty: Bool { actions.isEmpty && !interactive && !version && !ignoreEnvironment }

    var hasCode: Bool { actions.contains { if case .code = $0 { return true } else { return false } } }
}

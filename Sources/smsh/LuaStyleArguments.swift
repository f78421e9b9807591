/// smsh behaves like `lua5.4` where they overlap: `smsh FILE ARGS…`, `smsh -e CODE`,
/// `smsh -` (stdin) and bare `smsh` (the REPL). ArgumentParser needs a subcommand, so
/// those forms are rewritten to `run …` / `repl …` before parsing.
enum LuaStyleArguments {
    /// Options of `run`/`repl` that take a value, so their value is not taken for a script.
    static let optionsWithValue: Set<String> = [
        "--profile", "--log-format", "--record", "--replay", "--record-mode", "--max-credits",
        "--lock", "--base-url", "--api-key-env", "--retries", "--timeout", "-o", "--output",
        "--sandbox-credit", "--sandbox-seed", "--concurrency",
    ]

    static func rewrite(_ args: [String], subcommands: Set<String>) -> [String] {
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
                let moved = [a] + joiningNegativeValues(Array(args[..<i])) + args[(i + 1)...]
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
    static let oneOffCommands: Set<String> = ["credit", "senders", "send", "preview", "cancel", "messages", "message", "recipients", "wait"]

    /// For a one-off command, `--limit -5` as `--limit=-5` anywhere on the line, so the
    /// command's own check names the option and the value (no script arguments to spare).
    static func joiningNegativeNumbers(_ args: [String]) -> [String] {
        var out: [String] = []
        var i = 0
        while i < args.count {
            let a = args[i]
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

    /// A command line made only of `-e CODE` pairs and then, optionally, a script (or `-`)
    /// with its arguments — no smsh option — as a `ScriptRun`; else nil. Such a line needs
    /// no ArgumentParser (its reflection over every command costs ~20 ms of start-up).
    static func plainRun(_ args: [String], subcommands: [String]) -> ScriptRun? {
        var args = args[...]
        if args.first == "run" { args = args.dropFirst() }
        guard let first = args.first, !subcommands.contains(first), first != "help" else { return nil }
        var run = ScriptRun()
        while let a = args.first, a.hasPrefix("-"), a != "-" {
            guard a == "-e", args.count >= 2 else { return nil }
            run.code.append(args[args.startIndex + 1])
            args = args.dropFirst(2)
        }
        run.scriptAndArguments = Array(args)
        return run.code.isEmpty && run.scriptAndArguments.isEmpty ? nil : run
    }
}

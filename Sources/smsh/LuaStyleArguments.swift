/// smsh behaves like `lua5.4` where they overlap: `smsh FILE ARGS…`, `smsh -e CODE`,
/// `smsh -` (stdin) and bare `smsh` (the REPL). ArgumentParser needs a subcommand, so
/// those forms are rewritten to `run …` / `repl …` before parsing.
enum LuaStyleArguments {
    /// Options of `run`/`repl` that take a value, so their value is not taken for a script.
    static let optionsWithValue: Set<String> = [
        "--profile", "--log-format", "--record", "--replay", "--record-mode", "--max-credits",
        "--lock", "--base-url", "--api-key-env", "--retries", "--timeout",
    ]

    static func rewrite(_ args: [String], subcommands: Set<String>) -> [String] {
        guard let first = args.first else { return ["repl"] }
        if subcommands.contains(first) || ["-h", "--help", "--version", "help"].contains(first)
            || first.hasPrefix("--generate-completion") || first.hasPrefix("--experimental")
        {
            return args
        }
        var i = 0
        while i < args.count {
            let a = args[i]
            if a == "-e" || a == "-" || !a.hasPrefix("-") { return ["run"] + args }
            if optionsWithValue.contains(a) { i += 2 } else { i += 1 }
        }
        return ["repl"] + args
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

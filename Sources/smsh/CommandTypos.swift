import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// Command names typed wrong (`smsh sned`, `smsh config shwo`, `smsh help sned`): a usage error
/// (exit 2) naming the nearest command, instead of a script that cannot be opened (exit 1) or
/// the top-level help (exit 0). A real file named like a typo still runs as a script.
enum CommandTypos {
    /// The subcommands of `command` (`config`: show, path), from the command tree; empty for
    /// a command without any.
    static func subcommands(of command: String) -> [String] {
        guard let type = commandList.first(where: { $0._commandName == command }) else { return [] }
        return type.configuration.subcommands.map { $0._commandName }
    }

    /// Edit distance with adjacent transpositions (optimal string alignment): `sned` → `send` is 1.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased()), b = Array(b.lowercased())
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }

    /// The name nearest to `word`, when it is near enough to be a typo of it (1 edit for short
    /// words, 2 from 5 letters), or a name it starts or ends (`credits`, `recip`).
    static func nearest(_ word: String, in names: [String]) -> String? {
        guard !word.isEmpty, word.count <= 24 else { return nil }
        let limit = word.count >= 5 ? 2 : 1
        let ranked = names.map { ($0, distance(word, $0)) }.filter { $0.1 <= limit }.sorted { $0.1 < $1.1 }
        if let best = ranked.first { return best.0 }
        if word.count >= 3, let prefix = names.first(where: { $0.hasPrefix(word.lowercased()) }) { return prefix }
        return nil
    }

    /// The error for `smsh NAME …` when NAME is neither a file nor a command but near one.
    static func scriptTypo(_ script: String, commands: [String]) -> String? {
        guard script != "-", !script.contains("/"), !script.contains("."), access(script, F_OK) != 0,
              let near = nearest(script, in: commands) else { return nil }
        return "'\(script)' is not a smsh command (and there is no file of that name); did you mean '\(near)'? See smsh --help."
    }

    /// The error for `smsh COMMAND NAME` when COMMAND has subcommands and NAME is none of them
    /// (under a default subcommand, which may take arguments, only when NAME is near one).
    static func subcommandTypo(_ args: [String]) -> String? {
        guard args.count >= 2, !args[1].hasPrefix("-"), args[1] != "help",
              let type = commandList.first(where: { $0._commandName == args[0] }) else { return nil }
        let subs = type.configuration.subcommands.map { $0._commandName }
        let word = args[1]
        guard !subs.isEmpty, !subs.contains(word) else { return nil }
        let near = nearest(word, in: subs)
        if type.configuration.defaultSubcommand != nil && near == nil { return nil }
        let hint = near.map { "; did you mean '\($0)'?" } ?? "."
        return "'\(word)' is not a subcommand of smsh \(args[0]) (\(subs.joined(separator: ", ")))\(hint) See smsh \(args[0]) --help."
    }

    /// The error for `smsh help NAME…` naming no command.
    static func helpTypo(_ args: [String], commands: [String]) -> String? {
        guard args.first == "help", args.count >= 2 else { return nil }
        let name = args[1]
        if !commands.contains(name) {
            let hint = nearest(name, in: commands).map { "; did you mean '\($0)'?" } ?? "."
            return "help: '\(name)' is not a smsh command\(hint) See smsh --help."
        }
        if args.count >= 3, case let subs = subcommands(of: name), !subs.isEmpty, !subs.contains(args[2]) {
            let hint = nearest(args[2], in: subs).map { "; did you mean '\($0)'?" } ?? ""
            return "help: '\(args[2])' is not a subcommand of smsh \(name) (\(subs.joined(separator: ", ")))\(hint)"
        }
        return nil
    }

    /// Writes `message` as a usage error (text or JSON as `--log-format` asks) and exits 2.
    static func exitWithUsageError(_ message: String, arguments: [String]) -> Never {
        if zip(arguments, arguments.dropFirst()).contains(where: { $0 == "--log-format" && $1 == "json" })
            || arguments.contains("--log-format=json")
        {
            StderrMessages.format = .json
        }
        StderrMessages.error(message, code: "USAGE")
        exit(ExitCodes.usage)
    }
}

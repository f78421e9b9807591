/// The parts of `smsh --help` that are lists (environment, files, examples), kept as data so
/// the man page (`ManPage`) renders them as its ENVIRONMENT, FILES and EXAMPLES sections
/// from the same text.
enum HelpText {
    /// One line: `--help` wraps it to the terminal, the man page fills it.
    static let description = "Like lua5.4: `smsh FILE [ARGS]` runs a script, `smsh -e CODE` runs code, `smsh -` reads "
        + "standard input, and plain `smsh` opens the REPL; lua5.4's -l MOD (or -l G=MOD), -i, -v, -E, -W and -- work as there. "
        + "Add --sandbox to use the built-in simulator."

    /// Every form of the command line, for `smsh --help`'s USAGE and the man page's SYNOPSIS.
    static let forms: [String] = [
        "smsh [options] [script [args...]]",
        "smsh [options] -e CODE [-l MOD] [-i] [script [args...]]",
        "smsh [options] - [args...] < script.lua",
        "smsh --sandbox [options] [script [args...]]",
        "smsh COMMAND [options] [arguments]   (smsh help COMMAND)",
    ]

    /// `forms` as ArgumentParser's usage text (it prefixes the first line with `USAGE: `).
    static var usage: String { forms.joined(separator: "\n  ") }

    static let environment: [(name: String, text: String)] = [
        ("SMSH_API_KEY", "the API key (never written to a cassette, log or history)"),
        ("SMSH_BASE_URL", "the API base URL (default https://me-sms.com)"),
        ("SMSH_PROFILE", "the profile of config.toml to use (see `smsh config --help`)"),
        ("XDG_CONFIG_HOME", "where smsh/config.toml and smsh/plugins are (default ~/.config)"),
        ("XDG_STATE_HOME", "where smsh/state.sqlite3, smsh/history and smsh/locks are (default ~/.local/state)"),
        ("SMSH_STATE_URL", "a shared state store in PostgreSQL (postgresql://user@host/db), beats a profile's state_url; PGPASSWORD, ~/.pgpass"),
        ("SSL_CERT_FILE", "extra CA certificates (PEM), beside ca_file"),
        ("HTTPS_PROXY", "an HTTP proxy as curl takes it; also HTTP_PROXY, ALL_PROXY and NO_PROXY (lowercase forms first); a profile's proxy and no_proxy beat them"),
        ("NO_COLOR", "when set and not empty, the REPL prints without colour"),
    ]

    static let files: [(path: String, text: String)] = [
        ("$XDG_CONFIG_HOME/smsh/config.toml", "named profiles (API key file, base URL, budget, ...); `smsh config show` prints the settings in effect"),
        ("$XDG_CONFIG_HOME/smsh/plugins/*.lua", "plugins, loaded before a script or the REPL (--no-plugins: none)"),
        ("./.smsh/plugins/*.lua", "the working folder's plugins, loaded after those above once `smsh trust` recorded that folder"),
        ("$XDG_STATE_HOME/smsh/state.sqlite3", "the state store: the send-once journal and campaign progress (see `smsh journal`)"),
        ("$XDG_STATE_HOME/smsh/sandbox/", "the --sandbox account of every run: its credit, messages and clock (`smsh sandbox status`)"),
        ("$XDG_STATE_HOME/smsh/history", "the REPL's history (mode 0600; lines holding a secret are never written)"),
        ("$XDG_STATE_HOME/smsh/locks/NAME.lock", "the lock of `smsh run --lock NAME`"),
    ]

    static let examples: [(command: String, text: String)] = [
        ("smsh --sandbox", "the REPL against the built-in simulator"),
        ("smsh -e 'print(sms.credit().balance)'", "run one line of Lua"),
        ("smsh run --dry-run campaign.lua", "what the script would send, nothing sent"),
        ("smsh run --lock nightly --max-credits 500 nightly_retry.lua", "a cron job"),
        ("smsh test spec -o TAP", "busted specs against recorded cassettes"),
        ("smsh serve --port 8080", "the simulator over HTTP"),
    ]

    /// A help text as `--help` should wrap it: each prose paragraph's lines joined and then
    /// split into one sentence a line, so every line break falls at a sentence's end or where
    /// the terminal is full (ArgumentParser wraps each line by itself: a paragraph hard-wrapped
    /// in the source broke mid-sentence at other widths). Indented lines (examples, config
    /// snippets), a heading line ending in `:` before them, and blank lines stay as they are.
    static func sentences(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var out: [String] = []
        var paragraph: [String] = []
        func flush() {
            if !paragraph.isEmpty { out += splitSentences(paragraph.joined(separator: " ")) }
            paragraph = []
        }
        for (i, line) in lines.enumerated() {
            let next = i + 1 < lines.count ? lines[i + 1] : ""
            if line.allSatisfy(\.isWhitespace) {
                flush()
                out.append("")
            } else if line.hasPrefix(" ") {
                flush()
                out.append(line)
            } else if line.hasSuffix(":") && next.hasPrefix(" ") {
                // A heading, or the sentence that introduces the block below.
                paragraph.append(String(line.drop(while: \.isWhitespace)))
                flush()
            } else {
                paragraph.append(String(line.drop(while: \.isWhitespace)))
            }
        }
        flush()
        return out.joined(separator: "\n")
    }

    /// `text` cut after each `.`, `!` or `?` that a space and a capital letter follow.
    static func splitSentences(_ text: String) -> [String] {
        let chars = Array(text)
        var result: [String] = []
        var current = ""
        var i = 0
        while i < chars.count {
            current.append(chars[i])
            if ".!?".contains(chars[i]), i + 2 < chars.count, chars[i + 1] == " ", chars[i + 2].isUppercase {
                result.append(current)
                current = ""
                i += 2
                continue
            }
            i += 1
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    /// Examples as `--help` shows them: each command under its purpose, as a shell comment, so
    /// the lines can be pasted as they are.
    static func exampleBlock() -> String {
        examples.map { "  # \($0.text)\n  \($0.command)" }.joined(separator: "\n")
    }

    /// A list as `--help` shows it: one entry a line, the texts in one column, wrapped to 80
    /// columns (ArgumentParser would wrap an indented line back to the margin).
    static func block(_ rows: [(String, String)], columns: Int = 80) -> String {
        let width = (rows.map(\.0.count).max() ?? 0) + 2
        let room = max(20, columns - 2 - width)
        return rows.map { name, text in
            var lines: [String] = []
            var line = ""
            for word in text.split(separator: " ") {
                if !line.isEmpty && line.count + 1 + word.count > room {
                    lines.append(line)
                    line = ""
                }
                line += (line.isEmpty ? "" : " ") + word
            }
            lines.append(line)
            let indent = String(repeating: " ", count: 2 + width)
            return "  " + name + String(repeating: " ", count: width - name.count) + lines.joined(separator: "\n" + indent)
        }.joined(separator: "\n")
    }
}

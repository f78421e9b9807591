/// The parts of `smsh --help` that are lists (environment, files, examples), kept as data so
/// the man page (`ManPage`) renders them as its ENVIRONMENT, FILES and EXAMPLES sections
/// from the same text.
enum HelpText {
    /// One line: `--help` wraps it to the terminal, the man page fills it.
    static let description = "Like lua5.4: `smsh FILE [ARGS]` runs a script, `smsh -e CODE` runs code, `smsh -` reads "
        + "standard input, and plain `smsh` opens the REPL. Add --sandbox to use the built-in simulator."

    static let environment: [(name: String, text: String)] = [
        ("SMSH_API_KEY", "the API key (never written to a cassette, log or history)"),
        ("SMSH_BASE_URL", "the API base URL (default https://me-sms.com)"),
        ("SMSH_PROFILE", "the profile of config.toml to use (see `smsh config --help`)"),
        ("XDG_CONFIG_HOME", "where smsh/config.toml and smsh/plugins are (default ~/.config)"),
        ("XDG_STATE_HOME", "where smsh/state.sqlite3, smsh/history and smsh/locks are (default ~/.local/state)"),
        ("SSL_CERT_FILE", "a PEM file of extra CA certificates to trust, together with a profile's ca_file"),
        ("HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY", "an HTTP proxy as curl takes them (lowercase forms first); a profile's proxy and no_proxy beat them"),
        ("NO_COLOR", "when set and not empty, the REPL prints without colour"),
    ]

    static let files: [(path: String, text: String)] = [
        ("$XDG_CONFIG_HOME/smsh/config.toml", "named profiles (API key file, base URL, budget, ...); `smsh config show` prints the settings in effect"),
        ("$XDG_CONFIG_HOME/smsh/plugins/*.lua", "plugins, loaded before a script or the REPL (--no-plugins: none)"),
        ("./.smsh/plugins/*.lua", "the working folder's plugins, loaded after those above once `smsh trust` recorded that folder"),
        ("$XDG_STATE_HOME/smsh/state.sqlite3", "the state store: the send-once journal and campaign progress (see `smsh journal`)"),
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

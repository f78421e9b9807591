import ArgumentParser

/// The root command. `main.swift` rewrites lua-style invocations (`smsh FILE`, `smsh -e CODE`,
/// `smsh -`, bare `smsh`) into subcommands before ArgumentParser sees them.
struct SMSH: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smsh",
        abstract: "The SMS operations shell: Lua 5.4 scripting for an SMS provider's API.",
        discussion: """
            Like lua5.4: `smsh FILE [ARGS]` runs a script, `smsh -e CODE` runs code, `smsh -` reads
            standard input, and plain `smsh` opens the REPL. Add --sandbox to use the built-in simulator.

            ENVIRONMENT:
              SMSH_API_KEY    the API key          SMSH_BASE_URL   the API base URL
              SMSH_PROFILE    the profile to use (see `smsh config --help`)

            CONFIG: $XDG_CONFIG_HOME/smsh/config.toml (default ~/.config/smsh) holds
            profiles; `smsh config show` prints the settings in effect.
            PLUGINS: every *.lua in $XDG_CONFIG_HOME/smsh/plugins, then
            ./.smsh/plugins once `smsh trust` allowed that folder, loads before a script or
            the REPL (--no-plugins: none).

            \(ExitCodes.table)
            """,
        version: smshVersion,
        subcommands: commandList
    )
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where smsh's configuration lives: `$XDG_CONFIG_HOME/smsh` (default `~/.config/smsh`).
public struct ConfigPaths: Equatable, Sendable {
    /// `$XDG_CONFIG_HOME/smsh`.
    public let directory: String
    /// The user's home, for `~` in paths and in messages.
    public let home: String

    public init(environment env: Environment) {
        home = env["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? FileManager.default.homeDirectoryForCurrentUser.path
        let base = env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config"
        directory = base + "/smsh"
    }

    /// `…/smsh/config.toml`
    public var configFile: String { directory + "/config.toml" }
    /// `…/smsh/plugins`
    public var pluginDirectory: String { directory + "/plugins" }

    /// The path with the home directory written as `~` (for messages).
    public func display(_ path: String) -> String {
        guard !home.isEmpty, home != "/" else { return path }
        if path == home { return "~" }
        if path.hasPrefix(home + "/") { return "~" + path.dropFirst(home.count) }
        return path
    }

    /// `~/x` expanded; a relative path is taken relative to the config directory.
    public func expand(_ path: String) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst(1) }
        if path.hasPrefix("/") { return path }
        return directory + "/" + path
    }
}

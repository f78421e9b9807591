import ArgumentParser
import SMSConfig
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `--profile <TAB>` offers the profiles of config.toml: the completion scripts ask
/// `smsh ---completion ...`, which ArgumentParser answers with these names.
enum ProfileCompletion {
    static let kind = CompletionKind.custom { _, _, prefix in names().filter { $0.hasPrefix(prefix) } }

    /// The profile names of `$XDG_CONFIG_HOME/smsh/config.toml`; none when it is missing or
    /// does not parse (completion never prints an error).
    static func names() -> [String] {
        let paths = ConfigPaths(environment: .process)
        guard let text = try? String(contentsOfFile: paths.configFile, encoding: .utf8),
              let file = try? ConfigFile.parse(text, file: paths.configFile)
        else { return [] }
        return file.profileNames
    }
}

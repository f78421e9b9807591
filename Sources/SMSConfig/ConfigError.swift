/// Why the config could not be used. Every case is a usage error (exit 2): the operator must
/// fix the file, its permissions or the profile name before smsh does anything.
public enum ConfigError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Not valid TOML, or TOML smsh does not read.
    case syntax(TOMLError)
    /// Valid TOML, but not a valid smsh config (unknown key, wrong type), at a line.
    case invalid(file: String, line: Int, message: String)
    /// The config or a key file can be read by group or others.
    case readableByOthers(path: String, display: String)
    /// `--profile`, `SMSH_PROFILE` or `default_profile` names no profile in the file.
    case unknownProfile(name: String, from: String, known: [String])
    /// A file the config needs cannot be read.
    case unreadable(display: String, reason: String)

    public var description: String {
        switch self {
        case .syntax(let e):
            return e.description
        case .invalid(let file, let line, let message):
            return "\(file):\(line): \(message)"
        case .readableByOthers(let path, let display):
            return "\(display) is readable by others; run: chmod 600 \(path)"
        case .unknownProfile(let name, let from, let known):
            let list = known.isEmpty ? "the config file defines no profiles" : "known profiles: \(known.joined(separator: ", "))"
            return "unknown profile '\(name)' (from \(from)); \(list)"
        case .unreadable(let display, let reason):
            return "cannot read \(display): \(reason)"
        }
    }
}

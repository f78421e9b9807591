/// Why the config could not be used. Every case is a usage error (exit 2): the operator must
/// fix the file, its permissions or the profile name before smsh does anything.
public enum ConfigError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Not valid TOML, or TOML smsh does not read.
    case syntax(TOMLError)
    /// Valid TOML, but not a valid smsh config (unknown key, wrong type), at a line.
    case invalid(file: String, line: Int, message: String)
    /// A file holding a secret (a key file, or a config with an `api_key`) can be read by
    /// group or others; `holding` says which secret. A readable config with no secret is fine.
    case readableByOthers(path: String, display: String, holding: String)
    /// A folder (or another non-file) where a file should be (`config.toml`, a key file).
    case notAFile(path: String, display: String)
    /// `--profile`, `SMSH_PROFILE` or `default_profile` names no profile in the file.
    case unknownProfile(name: String, from: String, known: [String])
    /// A file the config needs cannot be read.
    case unreadable(display: String, reason: String)
    /// The API base URL (`--base-url`, `SMSH_BASE_URL`, a profile's `base_url`) is not an
    /// http:// or https:// URL with a host.
    case invalidBaseURL(value: String, from: String, reason: String)

    public var description: String {
        switch self {
        case .syntax(let e):
            return e.description
        case .invalid(let file, let line, let message):
            return "\(file):\(line): \(message)"
        case .readableByOthers(let path, let display, let holding):
            return "\(display) holds \(holding) and is readable by others; run: chmod 600 \(path)"
        case .notAFile(let path, let display):
            return "\(display) is a folder, not a file; move it away (\(path)) and write the file there"
        case .unknownProfile(let name, let from, let known):
            let list = known.isEmpty ? "the config file defines no profiles" : "known profiles: \(known.joined(separator: ", "))"
            return "unknown profile '\(name)' (from \(from)); \(list)"
        case .unreadable(let display, let reason):
            return "cannot read \(display): \(reason)"
        case .invalidBaseURL(let value, let from, let reason):
            return "invalid API base URL '\(value)' (from \(from)): \(reason); give a URL such as https://me-sms.com or http://localhost:8080"
        }
    }
}

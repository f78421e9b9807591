/// smsh's config.toml: a default profile and named profiles.
///
/// ```toml
/// default_profile = "prod"
/// [profiles.prod]
/// base_url = "https://me-sms.com"
/// api_key_env = "PROD_SMS_KEY"
/// ```
public struct ConfigFile: Equatable, Sendable {
    public var defaultProfile: String?
    public var profiles: [String: Profile] = [:]
    /// Line of `default_profile`, for its error message.
    var defaultProfileLine = 0

    public init() {}

    public var profileNames: [String] { profiles.keys.sorted() }

    /// The keys allowed outside profiles.
    public static let topLevelKeys = ["default_profile", "profiles"]

    /// Reads a config document; `file` is the path as messages show it.
    public static func parse(_ text: String, file: String = "config.toml") throws(ConfigError) -> ConfigFile {
        let root: TOMLTable
        do {
            root = try TOMLReader.parse(text, fileName: file)
        } catch let e as TOMLError {
            throw .syntax(e)
        } catch {
            throw .invalid(file: file, line: 0, message: "\(error)")
        }
        var config = ConfigFile()
        for key in root.keys where !topLevelKeys.contains(key) {
            var message = "unknown key '\(key)'"
            if let near = closestName(key, in: topLevelKeys) { message += " (did you mean '\(near)'?)" }
            message += "; the top level holds default_profile and [profiles.NAME] tables"
            throw .invalid(file: file, line: root.line(of: key) ?? 0, message: message)
        }
        if let v = root["default_profile"] {
            guard let name = v.stringValue else {
                throw .invalid(file: file, line: root.line(of: "default_profile") ?? 0,
                               message: "'default_profile' must be a string, not \(v.typeName)")
            }
            config.defaultProfile = name
            config.defaultProfileLine = root.line(of: "default_profile") ?? 0
        }
        if let v = root["profiles"] {
            guard let profiles = v.tableValue else {
                throw .invalid(file: file, line: root.line(of: "profiles") ?? 0,
                               message: "'profiles' must be a table of [profiles.NAME] tables")
            }
            for name in profiles.keys {
                guard let table = profiles[name]?.tableValue else {
                    throw .invalid(file: file, line: profiles.line(of: name) ?? 0,
                                   message: "'profiles.\(name)' must be a table ([profiles.\(name)]), not \(profiles[name]!.typeName)")
                }
                config.profiles[name] = try Profile.read(name, from: table, file: file)
            }
        }
        return config
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where an effective setting came from, for `smsh config show` and messages.
public enum SettingSource: Equatable, Sendable, CustomStringConvertible {
    /// A command-line flag, e.g. `--base-url`.
    case flag(String)
    /// An environment variable, e.g. `SMSH_BASE_URL`.
    case environment(String)
    /// A profile's key; `detail` says more (`api_key_env PROD_SMS_KEY`).
    case profile(String, detail: String)
    /// `default_profile` in the config file (for the profile itself).
    case configDefault
    /// smsh's own default.
    case builtIn

    public var description: String {
        switch self {
        case .flag(let f): return f
        case .environment(let v): return "$" + v
        case .profile(let name, let detail): return "profile \(name): \(detail)"
        case .configDefault: return "default_profile in the config file"
        case .builtIn: return "default"
        }
    }
}

/// A value and where it came from.
public struct Setting<Value: Equatable & Sendable>: Equatable, Sendable {
    public var value: Value
    public var source: SettingSource
    public init(_ value: Value, _ source: SettingSource) {
        self.value = value
        self.source = source
    }
}

/// What the command line says (nil / false = not given).
public struct CommandLineSettings: Equatable, Sendable {
    public var profile: String?
    public var sandbox: Bool
    public var baseURL: String?
    public var maxCredits: Double?
    /// `--mask-numbers` (true), `--no-mask-numbers` (false), or neither (nil: the profile decides).
    public var maskNumbers: Bool?
    public var retries: Int?
    public var timeout: Double?
    public var sandboxCredit: Double?
    public var sandboxSeed: UInt64?
    public var concurrency: Int?
    public var maxRate: Double?
    /// `--metrics FILE` and `--metrics-push URL`.
    public var metricsFile: String?
    public var metricsPush: String?

    public init(profile: String? = nil, sandbox: Bool = false, baseURL: String? = nil, maxCredits: Double? = nil,
                maskNumbers: Bool? = nil, retries: Int? = nil, timeout: Double? = nil,
                sandboxCredit: Double? = nil, sandboxSeed: UInt64? = nil, concurrency: Int? = nil, maxRate: Double? = nil,
                metricsFile: String? = nil, metricsPush: String? = nil) {
        self.metricsFile = metricsFile
        self.metricsPush = metricsPush
        self.concurrency = concurrency
        self.maxRate = maxRate
        self.sandboxCredit = sandboxCredit
        self.sandboxSeed = sandboxSeed
        self.retries = retries
        self.timeout = timeout
        self.profile = profile
        self.sandbox = sandbox
        self.baseURL = baseURL
        self.maxCredits = maxCredits
        self.maskNumbers = maskNumbers
    }
}

/// The settings a session runs with: command-line flag > environment (`SMSH_API_KEY`,
/// `SMSH_BASE_URL`) > the selected profile > smsh's default, each with its source. This is
/// the one place that turns options, environment and config file into settings.
public struct EffectiveConfig: Equatable, Sendable {
    public static let defaultBaseURL = "https://me-sms.com"
    public static let defaultConfirmRecipients: Int64 = 1_000
    public static let defaultConfirmCredits: Double = 1_000
    /// Today's retry policy: 4 attempts in all; HTTPTransport's read timeout.
    public static let defaultRetries = 3
    public static let defaultTimeout: Double = 60
    /// The simulator's demo account (`SimulatorConfig()`): 10,000 credits, seed 1.
    public static let defaultSandboxCredit: Double = 10_000
    public static let defaultSandboxSeed: UInt64 = 1
    /// The run's cap on API requests in flight (tasks, campaigns, wait_all together).
    public static let defaultConcurrency = 64

    public var paths: ConfigPaths
    /// Whether config.toml exists (a missing file means no profiles).
    public var configFound: Bool
    public var knownProfiles: [String]
    /// The selected profile (`--profile` > `SMSH_PROFILE` > `default_profile` > none).
    public var profile: Setting<String?>
    public var sandbox: Setting<Bool>
    public var baseURL: Setting<String>
    public var apiKey: Setting<String?>
    /// Why there is no key although the profile names one (its variable is unset).
    public var apiKeyProblem: String?
    public var sender: Setting<String?>
    public var maxCredits: Setting<Double?>
    public var maskNumbers: Setting<Bool>
    public var confirmRecipients: Setting<Int64>
    public var confirmCredits: Setting<Double>
    /// A private CA file (PEM) trusted besides the system's: the profile's `ca_file`
    /// (relative to the config directory, `~` expanded) > none.
    public var caFile: Setting<String?>
    /// `SSL_CERT_FILE`: trusted TOGETHER with `ca_file` and the system's CAs, never instead of
    /// `ca_file` (many machines set it to the system bundle).
    public var sslCertFile = Setting<String?>(nil, .builtIn)
    /// Which proxy requests to `baseURL` go through, and why (see `ProxyResolver`).
    public var proxy: ProxyRoute = .direct(reason: "no proxy set", source: .builtIn)
    /// The NO_PROXY list in effect (the profile's `no_proxy`, `$no_proxy`, `$NO_PROXY`).
    public var noProxy = Setting<String?>(nil, .builtIn)

    /// Every CA file to trust besides the system's: `ca_file`, then `SSL_CERT_FILE`.
    public var extraCAFiles: [String] {
        var files: [String] = []
        for f in [caFile.value, sslCertFile.value].compactMap({ $0 }) where !files.contains(f) { files.append(f) }
        return files
    }
    /// Attempts after the first for a failed request.
    public var retries: Setting<Int>
    /// Seconds without a byte from the server before a request gives up.
    public var timeout: Setting<Double>
    /// The run's cap on API requests in flight (`--concurrency`, `concurrency`).
    public var concurrency = Setting(defaultConcurrency, .builtIn)
    /// The run's fixed cap on API requests per second (`--max-rate`, `max_rate`); nil: none.
    public var maxRate = Setting<Double?>(nil, .builtIn)
    /// The sandbox's starting balance and outcome seed (used only when `sandbox` is on).
    public var sandboxCredit: Setting<Double>
    public var sandboxSeed: Setting<UInt64>
    /// REPL history autosuggestions (a profile's `hints = false` turns them off).
    public var hints = Setting(true, .builtIn)
    /// The run's Prometheus metrics file (`--metrics`, `metrics_file`) and Pushgateway
    /// (`--metrics-push`, `metrics_push`); nil: none.
    public var metricsFile = Setting<String?>(nil, .builtIn)
    public var metricsPush = Setting<String?>(nil, .builtIn)
    /// The shared state store: `SMSH_STATE_URL` > the profile's `state_url` > none (the local
    /// SQLite file). Holds a password only if the URL does: show it masked.
    public var stateURL = Setting<String?>(nil, .builtIn)

    /// Reads config.toml (if present) and resolves every setting.
    public static func resolve(commandLine: CommandLineSettings, environment env: Environment) throws(ConfigError) -> EffectiveConfig {
        let paths = ConfigPaths(environment: env)
        var file = ConfigFile()
        let found = PrivateFile.exists(paths.configFile)
        if found {
            // Readable by others is fine for a config that holds no secret (keys from
            // api_key_env or a private api_key_file); one with an api_key must be private.
            let text = try PrivateFile.read(paths.configFile, paths: paths, secret: nil)
            file = try ConfigFile.parse(text, file: paths.display(paths.configFile))
            if let holder = file.profileNames.first(where: { file.profiles[$0]?.apiKey != nil }), PrivateFile.isShared(paths.configFile) {
                throw .readableByOthers(path: paths.configFile, display: paths.display(paths.configFile),
                                        holding: "an API key (api_key in [profiles.\(holder)])")
            }
        }
        return try resolve(commandLine: commandLine, environment: env, file: file, paths: paths, configFound: found)
    }

    /// Resolves against an already-read config file.
    public static func resolve(commandLine cl: CommandLineSettings, environment env: Environment, file: ConfigFile,
                               paths: ConfigPaths, configFound: Bool = true) throws(ConfigError) -> EffectiveConfig {
        func envValue(_ name: String) -> String? { env[name].flatMap { $0.isEmpty ? nil : $0 } }

        let selected: Setting<String?>
        if let p = cl.profile {
            selected = Setting(p, .flag("--profile"))
        } else if let p = envValue("SMSH_PROFILE") {
            selected = Setting(p, .environment("SMSH_PROFILE"))
        } else if let p = file.defaultProfile {
            selected = Setting(p, .configDefault)
        } else {
            selected = Setting(nil, .builtIn)
        }
        var profile: Profile?
        if let name = selected.value {
            guard let p = file.profiles[name] else {
                let from: String
                switch selected.source {
                case .configDefault: from = "default_profile in \(paths.display(paths.configFile)):\(file.defaultProfileLine)"
                default: from = selected.source.description
                }
                throw .unknownProfile(name: name, from: from, known: file.profileNames)
            }
            profile = p
        }
        let name = profile?.name ?? ""
        func fromProfile<T>(_ value: T?, _ key: String) -> Setting<T?>? {
            value.map { Setting($0, .profile(name, detail: key)) }
        }

        var c = EffectiveConfig(
            paths: paths, configFound: configFound, knownProfiles: file.profileNames, profile: selected,
            sandbox: Setting(false, .builtIn), baseURL: Setting(defaultBaseURL, .builtIn), apiKey: Setting(nil, .builtIn),
            apiKeyProblem: nil, sender: Setting(nil, .builtIn), maxCredits: Setting(nil, .builtIn),
            maskNumbers: Setting(false, .builtIn), confirmRecipients: Setting(defaultConfirmRecipients, .builtIn),
            confirmCredits: Setting(defaultConfirmCredits, .builtIn), caFile: Setting(nil, .builtIn),
            retries: Setting(defaultRetries, .builtIn), timeout: Setting(defaultTimeout, .builtIn),
            sandboxCredit: Setting(defaultSandboxCredit, .builtIn), sandboxSeed: Setting(defaultSandboxSeed, .builtIn))

        if cl.sandbox {
            c.sandbox = Setting(true, .flag("--sandbox"))
        } else if let s = profile?.sandbox {
            c.sandbox = Setting(s, .profile(name, detail: "sandbox"))
        }

        // A --base-url flag beats a profile's `sandbox = true`: the operator named the API to
        // use on this command line (only --sandbox, also on it, beats the flag).
        if cl.baseURL != nil, !cl.sandbox, c.sandbox.value {
            c.sandbox = Setting(false, .flag("--base-url"))
        }

        if let u = cl.baseURL {
            c.baseURL = Setting(u, .flag("--base-url"))
        } else if let u = envValue("SMSH_BASE_URL") {
            c.baseURL = Setting(u, .environment("SMSH_BASE_URL"))
        } else if let u = profile?.baseURL {
            c.baseURL = Setting(u, .profile(name, detail: "base_url"))
        }

        // No flag for the key: a key on the command line would show in `ps`.
        if let k = envValue("SMSH_API_KEY") {
            c.apiKey = Setting(k, .environment("SMSH_API_KEY"))
        } else if let p = profile {
            if let k = p.apiKey {
                c.apiKey = Setting(k, .profile(name, detail: "api_key"))
            } else if let v = p.apiKeyEnv {
                if let k = envValue(v) {
                    c.apiKey = Setting(k, .profile(name, detail: "api_key_env \(v)"))
                } else {
                    c.apiKey = Setting(nil, .profile(name, detail: "api_key_env \(v) (not set)"))
                    c.apiKeyProblem = "$\(v) is not set (api_key_env of profile \(name))"
                }
            } else if let f = p.apiKeyFile {
                let path = paths.expand(f)
                let text = try PrivateFile.read(path, paths: paths, secret: "the API key (api_key_file of profile \(name))")
                let key = String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
                if key.isEmpty {
                    c.apiKey = Setting(nil, .profile(name, detail: "api_key_file \(paths.display(path)) (empty)"))
                    c.apiKeyProblem = "\(paths.display(path)) is empty (api_key_file of profile \(name))"
                } else {
                    c.apiKey = Setting(key, .profile(name, detail: "api_key_file \(paths.display(path))"))
                }
            }
        }

        if let s = fromProfile(profile?.sender, "sender") { c.sender = s }
        if let m = cl.maxCredits {
            c.maxCredits = Setting(m, .flag("--max-credits"))
        } else if let m = fromProfile(profile?.maxCredits, "max_credits") {
            c.maxCredits = m
        }
        if let m = cl.maskNumbers {
            c.maskNumbers = Setting(m, .flag(m ? "--mask-numbers" : "--no-mask-numbers"))
        } else if let m = profile?.maskNumbers {
            c.maskNumbers = Setting(m, .profile(name, detail: "mask_numbers"))
        }
        if let r = profile?.confirmRecipients { c.confirmRecipients = Setting(r, .profile(name, detail: "confirm_recipients")) }
        if let r = profile?.confirmCredits { c.confirmCredits = Setting(r, .profile(name, detail: "confirm_credits")) }
        if let f = profile?.caFile {
            c.caFile = Setting(paths.expand(f), .profile(name, detail: "ca_file"))
        }
        if let n = cl.concurrency {
            c.concurrency = Setting(n, .flag("--concurrency"))
        } else if let n = profile?.concurrency {
            c.concurrency = Setting(Int(n), .profile(name, detail: "concurrency"))
        }
        if let r = cl.maxRate {
            c.maxRate = Setting(r, .flag("--max-rate"))
        } else if let r = profile?.maxRate {
            c.maxRate = Setting(r, .profile(name, detail: "max_rate"))
        }
        if let f = envValue("SSL_CERT_FILE") {
            c.sslCertFile = Setting(f, .environment("SSL_CERT_FILE"))
        }
        (c.proxy, c.noProxy) = ProxyResolver.route(
            baseURL: c.baseURL.value, environment: env, profileName: name,
            profileProxy: profile?.proxy, profileNoProxy: profile?.noProxy)
        if let r = cl.retries {
            c.retries = Setting(r, .flag("--retries"))
        } else if let r = profile?.retries {
            c.retries = Setting(Int(r), .profile(name, detail: "retries"))
        }
        if let t = cl.timeout {
            c.timeout = Setting(t, .flag("--timeout"))
        } else if let t = profile?.timeout {
            c.timeout = Setting(t, .profile(name, detail: "timeout"))
        }
        if let v = cl.sandboxCredit {
            c.sandboxCredit = Setting(v, .flag("--sandbox-credit"))
        } else if let v = profile?.sandboxCredit {
            c.sandboxCredit = Setting(v, .profile(name, detail: "sandbox_credit"))
        }
        if let v = cl.sandboxSeed {
            c.sandboxSeed = Setting(v, .flag("--sandbox-seed"))
        } else if let v = profile?.sandboxSeed {
            c.sandboxSeed = Setting(v, .profile(name, detail: "sandbox_seed"))
        }
        if let h = profile?.hints { c.hints = Setting(h, .profile(name, detail: "hints")) }
        if let f = cl.metricsFile {
            c.metricsFile = Setting(f, .flag("--metrics"))
        } else if let f = profile?.metricsFile {
            c.metricsFile = Setting(paths.expand(f), .profile(name, detail: "metrics_file"))
        }
        if let u = cl.metricsPush {
            c.metricsPush = Setting(u, .flag("--metrics-push"))
        } else if let u = profile?.metricsPush {
            c.metricsPush = Setting(u, .profile(name, detail: "metrics_push"))
        }
        if let u = envValue("SMSH_STATE_URL") {
            c.stateURL = Setting(u, .environment("SMSH_STATE_URL"))
        } else if let u = profile?.stateURL {
            c.stateURL = Setting(u, .profile(name, detail: "state_url"))
        }
        if !c.sandbox.value, let reason = baseURLProblem(c.baseURL.value) {
            throw .invalidBaseURL(value: c.baseURL.value, from: c.baseURL.source.description, reason: reason)
        }
        return c
    }

    /// Why `url` cannot be the API base URL (no http:// or https:// scheme, no host, spaces),
    /// or nil: found before any request, so a typo is a configuration error (exit 2), not a
    /// network failure retried and reported as "provider unavailable".
    public static func baseURLProblem(_ url: String) -> String? {
        let lower = url.lowercased()
        guard let scheme = ["https://", "http://"].first(where: lower.hasPrefix) else {
            if let colon = lower.firstRange(of: "://") { return "the scheme '\(lower[..<colon.lowerBound])' is not http or https" }
            return "it has no http:// or https:// scheme"
        }
        if url.contains(where: \.isWhitespace) { return "it contains a space" }
        let rest = url.dropFirst(scheme.count)
        let authority = rest.prefix(while: { $0 != "/" && $0 != "?" && $0 != "#" })
        let hostPort = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? ""
        var host = hostPort
        if !hostPort.hasPrefix("["), let colon = hostPort.lastIndex(of: ":") {
            host = hostPort[..<colon]
            if UInt16(hostPort[hostPort.index(after: colon)...]) == nil { return "its port is not a number from 0 to 65535" }
        }
        if host.isEmpty { return "it has no host" }
        return nil
    }

    /// The API key for display: at most its first 3 and last 2 characters, or `(none)`.
    public var maskedAPIKey: String { KeyMask.mask(apiKey.value) }
}

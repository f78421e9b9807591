/// One `[profiles.NAME]` table of config.toml. Every field is optional: an absent one falls
/// back to the environment or smsh's default.
public struct Profile: Equatable, Sendable {
    public var name: String
    public var baseURL: String?
    /// The key itself (`api_key`), the variable holding it (`api_key_env`), or a file
    /// holding it (`api_key_file`); at most one of the three.
    public var apiKey: String?
    public var apiKeyEnv: String?
    public var apiKeyFile: String?
    /// Default sender for `sms.send` when the script gives none.
    public var sender: String?
    /// A per-run credit cap, like `--max-credits`.
    public var maxCredits: Double?
    public var maskNumbers: Bool?
    /// REPL confirmation thresholds for large sends.
    public var confirmRecipients: Int64?
    public var confirmCredits: Double?
    public var sandbox: Bool?
    /// The sandbox's starting credit balance and the seed of its outcomes (`sandbox_credit`,
    /// `sandbox_seed`; flags `--sandbox-credit`, `--sandbox-seed`).
    public var sandboxCredit: Double?
    public var sandboxSeed: UInt64?
    /// A PEM file of private CA certificates trusted besides the system's (`ca_file`).
    public var caFile: String?
    /// An HTTP proxy for this profile (`proxy`; beats HTTPS_PROXY/HTTP_PROXY/ALL_PROXY; `""`
    /// means none), and hosts that go direct (`no_proxy`; beats NO_PROXY).
    public var proxy: String?
    public var noProxy: String?
    /// Attempts after the first for a failed request (`--retries`), and the seconds without a
    /// byte from the server before a request gives up (`--timeout`).
    public var retries: Int64?
    public var timeout: Double?
    /// The run's cap on API requests in flight (`concurrency`; flag `--concurrency`).
    public var concurrency: Int64?
    /// The run's cap on API requests per second (`max_rate`; flag `--max-rate`).
    public var maxRate: Double?
    /// REPL history autosuggestions (`hints`, default true).
    public var hints: Bool?
    /// Where a run writes its Prometheus metrics (`metrics_file`, like `--metrics`; relative to
    /// the config folder, `~` expanded) and the Pushgateway it pushes them to (`metrics_push`,
    /// like `--metrics-push`).
    public var metricsFile: String?
    public var metricsPush: String?
    /// The shared state store (`state_url`, `postgresql://…`; env `SMSH_STATE_URL`).
    public var stateURL: String?

    public init(name: String) { self.name = name }

    /// The keys a profile may hold; anything else is a typo and an error.
    public static let keys: [String] = [
        "api_key", "api_key_env", "api_key_file", "base_url", "ca_file", "concurrency", "confirm_credits", "confirm_recipients",
        "hints", "mask_numbers", "max_credits", "max_rate", "metrics_file", "metrics_push", "no_proxy", "proxy", "retries", "sandbox",
        "sandbox_credit", "sandbox_seed", "sender", "state_url", "timeout",
    ]

    /// Reads a profile table; `file` is the config path as messages show it.
    static func read(_ name: String, from table: TOMLTable, file: String) throws(ConfigError) -> Profile {
        var p = Profile(name: name)
        let section = "[profiles.\(name)]"
        func fail(_ key: String, _ message: String) -> ConfigError {
            .invalid(file: file, line: table.line(of: key) ?? 0, message: message)
        }
        func string(_ key: String) throws(ConfigError) -> String? {
            guard let v = table[key] else { return nil }
            guard let s = v.stringValue else { throw fail(key, "'\(key)' in \(section) must be a string, not \(v.typeName)") }
            return s
        }
        func number(_ key: String) throws(ConfigError) -> Double? {
            guard let v = table[key] else { return nil }
            let d: Double
            switch v {
            case .integer(let i): d = Double(i)
            case .float(let f): d = f
            default: throw fail(key, "'\(key)' in \(section) must be a number, not \(v.typeName)")
            }
            guard d >= 0, d.isFinite else { throw fail(key, "'\(key)' in \(section) must be a number >= 0") }
            return d
        }
        func bool(_ key: String) throws(ConfigError) -> Bool? {
            guard let v = table[key] else { return nil }
            guard case .boolean(let b) = v else { throw fail(key, "'\(key)' in \(section) must be true or false, not \(v.typeName)") }
            return b
        }

        for key in table.keys where !Profile.keys.contains(key) {
            var message = "unknown key '\(key)' in \(section)"
            if let near = closestName(key, in: Profile.keys) { message += " (did you mean '\(near)'?)" }
            message += "; known keys: " + Profile.keys.joined(separator: ", ")
            throw fail(key, message)
        }
        p.baseURL = try string("base_url")
        if let url = p.baseURL, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw fail("base_url", "'base_url' in \(section) must start with http:// or https://")
        }
        p.apiKey = try string("api_key")
        p.apiKeyEnv = try string("api_key_env")
        p.apiKeyFile = try string("api_key_file")
        let keySources = ["api_key", "api_key_env", "api_key_file"].filter { table[$0] != nil }
        if keySources.count > 1 {
            throw fail(keySources[1], "\(section) sets \(keySources.joined(separator: " and ")); use only one")
        }
        for key in keySources where (try string(key))?.isEmpty == true {
            throw fail(key, "'\(key)' in \(section) is empty")
        }
        p.sender = try string("sender")
        p.maxCredits = try number("max_credits")
        p.maskNumbers = try bool("mask_numbers")
        if let v = table["confirm_recipients"] {
            guard case .integer(let i) = v, i >= 0 else {
                throw fail("confirm_recipients", "'confirm_recipients' in \(section) must be a whole number >= 0")
            }
            p.confirmRecipients = i
        }
        p.confirmCredits = try number("confirm_credits")
        p.sandbox = try bool("sandbox")
        p.sandboxCredit = try number("sandbox_credit")
        if let v = table["sandbox_seed"] {
            guard case .integer(let i) = v, i >= 0 else {
                throw fail("sandbox_seed", "'sandbox_seed' in \(section) must be a whole number >= 0")
            }
            p.sandboxSeed = UInt64(i)
        }
        p.hints = try bool("hints")
        p.stateURL = try string("state_url")
        if let u = p.stateURL, !(u.hasPrefix("postgresql://") || u.hasPrefix("postgres://")) {
            throw fail("state_url", "'state_url' in \(section) must start with postgresql:// (e.g. \"postgresql://smsh@db.example:5432/smsh\")")
        }
        p.caFile = try string("ca_file")
        if p.caFile?.isEmpty == true { throw fail("ca_file", "'ca_file' in \(section) is empty") }
        if let v = table["concurrency"] {
            guard case .integer(let i) = v, i >= 1, i <= 1024 else {
                throw fail("concurrency", "'concurrency' in \(section) must be a whole number from 1 to 1024")
            }
            p.concurrency = i
        }
        p.maxRate = try number("max_rate")
        if let r = p.maxRate, !(r > 0 && r <= 100_000) {
            throw fail("max_rate", "'max_rate' in \(section) must be a number of requests per second > 0 and <= 100000")
        }
        p.proxy = try string("proxy")
        if let proxy = p.proxy, !proxy.trimmingWhitespace.isEmpty, case .failure(let e) = ProxyURL.parse(proxy) {
            throw fail("proxy", "'proxy' in \(section) is not a usable proxy URL: \(e.reason) (e.g. \"http://user:pass@proxy.corp:8080\")")
        }
        p.noProxy = try string("no_proxy")
        p.metricsFile = try string("metrics_file")
        if p.metricsFile?.isEmpty == true { throw fail("metrics_file", "'metrics_file' in \(section) is empty") }
        p.metricsPush = try string("metrics_push")
        if let url = p.metricsPush, !(url.lowercased().hasPrefix("http://") || url.lowercased().hasPrefix("https://")) {
            throw fail("metrics_push", "'metrics_push' in \(section) must be a Pushgateway URL starting with http:// or https://")
        }
        if let v = table["retries"] {
            guard case .integer(let i) = v, i >= 0, i <= 100 else {
                throw fail("retries", "'retries' in \(section) must be a whole number from 0 to 100")
            }
            p.retries = i
        }
        if let t = try number("timeout") {
            guard t > 0 else { throw fail("timeout", "'timeout' in \(section) must be a number of seconds > 0") }
            p.timeout = t
        }
        return p
    }
}

/// The closest name by edit distance, when close enough to be a likely typo.
func closestName(_ key: String, in names: [String]) -> String? {
    func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        for i in 1...a.count {
            var cur = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        return prev[b.count]
    }
    let k = Array(key.lowercased())
    let best = names.map { ($0, distance(k, Array($0))) }.min { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
    guard let best, best.1 <= max(2, key.count / 3) else { return nil }
    return best.0
}

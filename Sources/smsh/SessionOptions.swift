import ArgumentParser
import SMSConfig
import SMSLua

/// Options shared by every command that runs Lua (`run`, `repl`): where the API is and how
/// the session reports.
struct SessionOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Use this profile of $XDG_CONFIG_HOME/smsh/config.toml (default: $SMSH_PROFILE, else the file's default_profile).",
        valueName: "name"), completion: ProfileCompletion.kind)
    var profile: String?

    @Flag(help: "Use the built-in simulator (demo data, virtual time): nothing real is sent.")
    var sandbox = false

    @Option(help: ArgumentHelp("API base URL (default: $SMSH_BASE_URL, else the profile's base_url, else https://me-sms.com).", valueName: "url"))
    var baseURL: String?

    @Option(help: ArgumentHelp("Log line format for log.* and smsh's own messages: text or json.", valueName: "format"))
    var logFormat: LogFormat = .text

    @Flag(help: "No progress lines on stderr.")
    var quiet = false

    @Flag(inversion: .prefixedNo,
          help: "Phone numbers as 66812xxx678 (--mask-numbers) or in full (--no-mask-numbers) in tables, logs and error messages, whatever the profile's mask_numbers; -o json/jsonl/csv, Lua values and --summary always keep them whole.")
    var maskNumbers: Bool?

    @Flag(help: "Never ask for confirmation (large sends in the REPL, or smsh send on a terminal).")
    var yes = false

    @Flag(help: "Do not load plugins ($XDG_CONFIG_HOME/smsh/plugins/*.lua, ./.smsh/plugins/*.lua).")
    var noPlugins = false

    @Flag(help: "Trace every API request on stderr: method, URL, status, duration (the API key redacted), and which proxy is used and why.")
    var verbose = false

    @Option(help: ArgumentHelp("Retry a failed request (network error, 429, 5xx) this many times after the first attempt (default: the profile's retries, else 3).", valueName: "n"))
    var retries: Int?

    @Option(help: ArgumentHelp("At most this many API requests in flight at once for the whole run: tasks, campaigns and wait_all share it (default: the profile's concurrency, else 64).", valueName: "n"))
    var concurrency: Int?

    @Option(help: ArgumentHelp("At most this many API requests per second for the whole run (default: the profile's max_rate, else none: a 429 still slows the run down).", valueName: "n"))
    var maxRate: Double?

    @Option(help: ArgumentHelp("Give up on a request after this many seconds without an answer (default: the profile's timeout, else 60).", valueName: "seconds"))
    var timeout: Double?

    @Option(help: ArgumentHelp("The sandbox's starting credit balance (default: the profile's sandbox_credit, else 10000).", valueName: "credits"))
    var sandboxCredit: String?

    @Option(help: ArgumentHelp("Seed of the sandbox's delivery outcomes, delays and uuids (default: the profile's sandbox_seed, else 1).", valueName: "n"))
    var sandboxSeed: String?

    func validate() throws {
        // Read as typed and checked here, so the error shows the value as typed ("-5", not "-5.0").
        if let sandboxCredit, !(Double(sandboxCredit).map { $0 >= 0 && $0.isFinite } ?? false) {
            throw ValidationError("--sandbox-credit must be a number of credits >= 0, not \(sandboxCredit)")
        }
        if let sandboxSeed, UInt64(sandboxSeed) == nil {
            throw ValidationError("--sandbox-seed must be a whole number >= 0, not \(sandboxSeed)")
        }
        if let concurrency, !(1...1024).contains(concurrency) {
            throw ValidationError("--concurrency must be a whole number from 1 to 1024, not \(concurrency)")
        }
        if let maxRate, !(maxRate > 0 && maxRate <= 100_000) {
            throw ValidationError("--max-rate must be a number of requests per second > 0 and <= 100000, not \(maxRate)")
        }
        if let retries, !(0...100).contains(retries) { throw ValidationError("--retries must be a whole number from 0 to 100, not \(retries)") }
        if let timeout, !(timeout > 0 && timeout.isFinite) { throw ValidationError("--timeout must be a number of seconds > 0, not \(timeout)") }
    }

    /// The parsed values as a plain value, for the session.
    var settings: SessionSettings {
        SessionSettings(profile: profile, sandbox: sandbox, baseURL: baseURL, logFormat: logFormat, quiet: quiet,
                        maskNumbers: maskNumbers, yes: yes, noPlugins: noPlugins, verbose: verbose,
                        retries: retries, timeout: timeout, sandboxCredit: sandboxCredit.flatMap { Double($0) }, sandboxSeed: sandboxSeed.flatMap { UInt64($0) },
                        concurrency: concurrency, maxRate: maxRate)
    }
}

/// What `SessionOptions` says, as a plain value: what sessions are built from, so the
/// lua-style fast path (`smsh -e CODE`, `smsh FILE`) can make one without ArgumentParser.
struct SessionSettings {
    var profile: String?
    var sandbox = false
    var baseURL: String?
    var logFormat: LogFormat = .text
    var quiet = false
    var maskNumbers: Bool?
    var yes = false
    var noPlugins = false
    var verbose = false
    var retries: Int?
    var timeout: Double?
    var sandboxCredit: Double?
    var sandboxSeed: UInt64?
    var concurrency: Int?
    var maxRate: Double?

    /// What the command line says, for `EffectiveConfig.resolve`.
    func commandLine(maxCredits: Double? = nil) -> CommandLineSettings {
        CommandLineSettings(profile: profile, sandbox: sandbox, baseURL: baseURL, maxCredits: maxCredits, maskNumbers: maskNumbers,
                            retries: retries, timeout: timeout, sandboxCredit: sandboxCredit, sandboxSeed: sandboxSeed,
                            concurrency: concurrency, maxRate: maxRate)
    }
}

extension LogFormat: ExpressibleByArgument {}

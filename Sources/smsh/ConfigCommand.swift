import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import SMSConfig
import SMSMetrics
import SMSStatePostgres

/// `smsh config show|path`: where the config lives and what a session would run with.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show the effective settings (profile, API, key masked) or the config file's path.",
        discussion: HelpText.sentences("""
            Each setting comes from the first of: a command-line flag; the
            environment (SMSH_API_KEY, SMSH_BASE_URL); the selected profile of
            $XDG_CONFIG_HOME/smsh/config.toml (default ~/.config/smsh/config.toml);
            smsh's default. The profile is --profile NAME, else $SMSH_PROFILE,
            else the file's default_profile. A --base-url flag also beats a profile's
            sandbox = true (only --sandbox beats the flag).

            config.toml:
              default_profile = "prod"
              [profiles.prod]
              base_url = "https://me-sms.com"
              api_key_env = "PROD_SMS_KEY"  # or api_key, or api_key_file
              sender = "MYSHOP"              # default sender for sms.send
              max_credits = 5000             # per-run cap, like --max-credits
              mask_numbers = true            # like --mask-numbers
              confirm_recipients = 1000      # the REPL asks above these
              confirm_credits = 1000
              ca_file = "corp-ca.pem"        # a private CA (trusted with $SSL_CERT_FILE)
              proxy = "http://user:pass@proxy.corp:8080"  # beats $HTTPS_PROXY; "" = none
              no_proxy = "localhost,.corp"   # beats $NO_PROXY
              retries = 3                    # like --retries (attempts after the first)
              timeout = 60                   # like --timeout (seconds without an answer)
              concurrency = 64               # like --concurrency (in flight at once)
              max_rate = 50                  # like --max-rate (requests per second)
              hints = false                  # no REPL history suggestions
              metrics_file = "/var/lib/prom/nightly.prom"  # like --metrics
              metrics_push = "http://pushgw:9091"  # like --metrics-push
              state_url = "postgresql://smsh@db.corp/smsh"  # journal shared by hosts
              [profiles.staging]
              sandbox = true

            A file holding a key (api_key, or an api_key_file) must not be readable by others (chmod 600).

            Examples:
              smsh config show
              smsh config show --profile staging
              smsh config path
            """),
        subcommands: [ConfigShowCommand.self, ConfigPathCommand.self],
        defaultSubcommand: ConfigShowCommand.self
    )
}

struct ConfigShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print every effective setting and where it comes from; the API key masked.")

    @Option(help: ArgumentHelp("Show this profile (default: $SMSH_PROFILE, else default_profile).", valueName: "name"), completion: ProfileCompletion.kind)
    var profile: String?

    func run() throws {
        let config: EffectiveConfig
        do {
            config = try EffectiveConfig.resolve(commandLine: CommandLineSettings(profile: profile),
                                                 environment: .process)
        } catch {
            writeUsageError("smsh: \(error.description)")
            throw ExitCode(ExitCodes.usage)
        }
        print(ConfigShowCommand.render(config), terminator: "")
    }

    /// The report; never contains the key itself.
    static func render(_ c: EffectiveConfig) -> String {
        var out = "config file: \(c.paths.display(c.paths.configFile))\(c.configFound ? "" : " (not found: no profiles)")\n"
        if !c.knownProfiles.isEmpty { out += "profiles:    \(c.knownProfiles.joined(separator: ", "))\n" }
        out += "profile:     \(c.profile.value ?? "(none)")\(c.profile.value == nil ? "" : "  (from \(c.profile.source))")\n\n"
        func credits(_ d: Double) -> String { d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d) }
        var key = c.maskedAPIKey
        if c.sandbox.value { key += " (not used: the sandbox has its own demo key)" }
        let rows: [(String, String, SettingSource)] = [
            ("sandbox", String(c.sandbox.value), c.sandbox.source),
            ("sandbox_credit", credits(c.sandboxCredit.value), c.sandboxCredit.source),
            ("sandbox_seed", String(c.sandboxSeed.value), c.sandboxSeed.source),
            ("base_url", c.baseURL.value, c.baseURL.source),
            ("api_key", key, c.apiKey.source),
            ("sender", c.sender.value ?? "(none)", c.sender.source),
            ("max_credits", c.maxCredits.value.map(credits) ?? "(no cap)", c.maxCredits.source),
            ("mask_numbers", String(c.maskNumbers.value), c.maskNumbers.source),
            ("confirm_recipients", String(c.confirmRecipients.value), c.confirmRecipients.source),
            ("confirm_credits", credits(c.confirmCredits.value), c.confirmCredits.source),
            ("ca_file", c.caFile.value.map { c.paths.display($0) } ?? "(none)", c.caFile.source),
            ("SSL_CERT_FILE", c.sslCertFile.value.map { c.paths.display($0) + " (trusted too)" } ?? "(not set)", c.sslCertFile.source),
            ("proxy", c.sandbox.value ? "(not used: the sandbox runs in process)" : proxyValue(c.proxy), proxySource(c.proxy)),
            ("no_proxy", c.noProxy.value ?? "(none)", c.noProxy.source),
            ("retries", String(c.retries.value), c.retries.source),
            ("concurrency", String(c.concurrency.value), c.concurrency.source),
            ("max_rate", c.maxRate.value.map { credits($0) + "/s" } ?? "(none)", c.maxRate.source),
            ("timeout", credits(c.timeout.value) + " s", c.timeout.source),
            ("hints", String(c.hints.value), c.hints.source),
            ("metrics_file", c.metricsFile.value.map { c.paths.display($0) } ?? "(none)", c.metricsFile.source),
            ("metrics_push", c.metricsPush.value.map(Pushgateway.masked) ?? "(none)", c.metricsPush.source),
            ("state_url", c.stateURL.value.map(PostgresURL.mask) ?? "(none: local SQLite)", c.stateURL.source),
        ]
        let valueWidth = min(40, rows.map { $0.1.count }.max() ?? 0)
        for (name, value, source) in rows {
            let padName = name + String(repeating: " ", count: max(0, 20 - name.count))
            let padValue = value + String(repeating: " ", count: max(0, valueWidth - value.count))
            out += "\(padName)\(padValue)  (\(source))\n"
        }
        if let problem = c.apiKeyProblem { out += "\nwarning: no API key: \(problem)\n" }
        if case .invalid(let message, _) = c.proxy, !c.sandbox.value { out += "\nwarning: \(message)\n" }
        return out
    }
}

extension ConfigShowCommand {
    /// The proxy as `config show` prints it: masked, or why there is none.
    static func proxyValue(_ route: ProxyRoute) -> String {
        switch route {
        case .direct(let reason, _): return "(none: \(reason))"
        case .proxy(let url, _): return url.masked
        case .invalid: return "(invalid: see the warning below)"
        }
    }

    static func proxySource(_ route: ProxyRoute) -> SettingSource {
        switch route {
        case .direct(_, let source), .proxy(_, let source), .invalid(_, let source): return source
        }
    }
}

struct ConfigPathCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "path",
        abstract: "Print the config file's path ($XDG_CONFIG_HOME/smsh/config.toml).")

    func run() throws {
        print(ConfigPaths(environment: .process).configFile)
    }
}

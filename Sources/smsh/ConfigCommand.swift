import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import SMSClient
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
              smsh config show -o json | jq -r .settings.proxy.value
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

    @Option(name: [.customShort("o"), .customLong("output")],
            help: ArgumentHelp("table (aligned, for people) or json (one object: each setting's value and source, for scripts).", valueName: "format"))
    var output: Format = .table

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    func run() throws {
        let config: EffectiveConfig
        do {
            config = try EffectiveConfig.resolve(commandLine: CommandLineSettings(profile: profile),
                                                 environment: .process)
        } catch {
            writeUsageError("smsh: \(error.description)")
            throw ExitCode(ExitCodes.usage)
        }
        switch output {
        case .table: print(ConfigShowCommand.render(config), terminator: "")
        case .json: print(ConfigShowCommand.json(config).serializedString(sortedKeys: true, pretty: true))
        }
    }

    /// One setting: its name, its value for people and for scripts, where it came from, and
    /// (for json) why it has no value when that is worth saying.
    struct Row {
        var name: String
        var text: String
        var value: JSONValue
        var source: SettingSource
        var note: String? = nil
    }

    /// Every setting, in the order `config show` prints them; never the key itself.
    static func rows(_ c: EffectiveConfig) -> [Row] {
        func credits(_ d: Double) -> String { d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d) }
        func number(_ d: Double) -> JSONValue { d == d.rounded() && abs(d) < 1e15 ? .int(Int64(d)) : .double(d) }
        func string(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        var key = c.maskedAPIKey
        if c.sandbox.value { key += " (not used: the sandbox has its own demo key)" }
        var proxy = Row(name: "proxy", text: proxyValue(c.proxy), value: string(c.proxy.proxyURL?.masked), source: proxySource(c.proxy))
        switch c.proxy {
        case .direct(let reason, _): proxy.note = reason
        case .invalid(let message, _): proxy.note = message
        case .proxy: break
        }
        if c.sandbox.value {
            proxy.text = "(not used: the sandbox runs in process)"
            proxy.note = "not used: the sandbox runs in process"
        }
        let seed = c.sandboxSeed.value
        return [
            Row(name: "sandbox", text: String(c.sandbox.value), value: .bool(c.sandbox.value), source: c.sandbox.source),
            Row(name: "sandbox_credit", text: credits(c.sandboxCredit.value), value: number(c.sandboxCredit.value), source: c.sandboxCredit.source),
            Row(name: "sandbox_seed", text: String(seed), value: seed <= UInt64(Int64.max) ? .int(Int64(seed)) : .string(String(seed)),
                source: c.sandboxSeed.source),
            Row(name: "base_url", text: c.baseURL.value, value: .string(c.baseURL.value), source: c.baseURL.source),
            Row(name: "api_key", text: key, value: c.apiKey.value == nil ? .null : .string(c.maskedAPIKey), source: c.apiKey.source,
                note: c.apiKeyProblem.map { "no API key: \($0)" }),
            Row(name: "sender", text: c.sender.value ?? "(none)", value: string(c.sender.value), source: c.sender.source),
            Row(name: "max_credits", text: c.maxCredits.value.map(credits) ?? "(no cap)", value: c.maxCredits.value.map(number) ?? .null,
                source: c.maxCredits.source),
            Row(name: "mask_numbers", text: String(c.maskNumbers.value), value: .bool(c.maskNumbers.value), source: c.maskNumbers.source),
            Row(name: "confirm_recipients", text: String(c.confirmRecipients.value), value: .int(c.confirmRecipients.value),
                source: c.confirmRecipients.source),
            Row(name: "confirm_credits", text: credits(c.confirmCredits.value), value: number(c.confirmCredits.value), source: c.confirmCredits.source),
            Row(name: "ca_file", text: c.caFile.value.map { c.paths.display($0) } ?? "(none)", value: string(c.caFile.value), source: c.caFile.source),
            Row(name: "SSL_CERT_FILE", text: c.sslCertFile.value.map { c.paths.display($0) + " (trusted too)" } ?? "(not set)",
                value: string(c.sslCertFile.value), source: c.sslCertFile.source),
            proxy,
            Row(name: "no_proxy", text: c.noProxy.value ?? "(none)", value: string(c.noProxy.value), source: c.noProxy.source),
            Row(name: "retries", text: String(c.retries.value), value: .int(Int64(c.retries.value)), source: c.retries.source),
            Row(name: "concurrency", text: String(c.concurrency.value), value: .int(Int64(c.concurrency.value)), source: c.concurrency.source),
            Row(name: "max_rate", text: c.maxRate.value.map { credits($0) + "/s" } ?? "(none)", value: c.maxRate.value.map(number) ?? .null,
                source: c.maxRate.source),
            Row(name: "timeout", text: credits(c.timeout.value) + " s", value: number(c.timeout.value), source: c.timeout.source),
            Row(name: "hints", text: String(c.hints.value), value: .bool(c.hints.value), source: c.hints.source),
            Row(name: "metrics_file", text: c.metricsFile.value.map { c.paths.display($0) } ?? "(none)", value: string(c.metricsFile.value),
                source: c.metricsFile.source),
            Row(name: "metrics_push", text: c.metricsPush.value.map(Pushgateway.masked) ?? "(none)",
                value: string(c.metricsPush.value.map(Pushgateway.masked)), source: c.metricsPush.source),
            Row(name: "state_url", text: c.stateURL.value.map(PostgresURL.mask) ?? "(none: local SQLite)",
                value: string(c.stateURL.value.map(PostgresURL.mask)), source: c.stateURL.source,
                note: c.stateURL.value == nil ? "the local SQLite file" : nil),
        ]
    }

    /// The report for people; never contains the key itself.
    static func render(_ c: EffectiveConfig) -> String {
        var out = "config file: \(c.paths.display(c.paths.configFile))\(c.configFound ? "" : " (not found: no profiles)")\n"
        if !c.knownProfiles.isEmpty { out += "profiles:    \(c.knownProfiles.joined(separator: ", "))\n" }
        out += "profile:     \(c.profile.value ?? "(none)")\(c.profile.value == nil ? "" : "  (from \(c.profile.source))")\n\n"
        let rows = rows(c)
        let valueWidth = min(40, rows.map { $0.text.count }.max() ?? 0)
        for row in rows {
            let padName = row.name + String(repeating: " ", count: max(0, 20 - row.name.count))
            let padValue = row.text + String(repeating: " ", count: max(0, valueWidth - row.text.count))
            out += "\(padName)\(padValue)  (\(row.source))\n"
        }
        for warning in warnings(c) { out += "\nwarning: \(warning)\n" }
        return out
    }

    /// `-o json`: `{"configFile", "configFound", "profiles", "profile", "settings": {name:
    /// {"value", "source", "note"?}}, "warnings"}`; values typed (numbers, booleans, null for
    /// none), secrets masked as in the table.
    static func json(_ c: EffectiveConfig) -> JSONValue {
        var settings: [String: JSONValue] = [:]
        for row in rows(c) {
            var o: [String: JSONValue] = ["value": row.value, "source": .string(row.source.description)]
            if let note = row.note { o["note"] = .string(note) }
            settings[row.name] = .object(o)
        }
        return .object([
            "configFile": .string(c.paths.configFile),
            "configFound": .bool(c.configFound),
            "profiles": .array(c.knownProfiles.map(JSONValue.string)),
            "profile": .object(["value": c.profile.value.map(JSONValue.string) ?? .null, "source": .string(c.profile.source.description)]),
            "settings": .object(settings),
            "warnings": .array(warnings(c).map(JSONValue.string)),
        ])
    }

    static func warnings(_ c: EffectiveConfig) -> [String] {
        var out: [String] = []
        if let problem = c.apiKeyProblem { out.append("no API key: \(problem)") }
        if case .invalid(let message, _) = c.proxy, !c.sandbox.value { out.append(message) }
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

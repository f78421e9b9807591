import XCTest

@testable import SMSConfig

/// Precedence: flag > environment > profile > default, profile selection, key sources,
/// private-file checks and key masking.
final class EffectiveConfigTests: XCTestCase {
    var dir: String!
    var paths: ConfigPaths { ConfigPaths(environment: ["HOME": dir, "XDG_CONFIG_HOME": dir + "/cfg"]) }

    override func setUpWithError() throws {
        dir = "/tmp/smsh-config-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir + "/cfg/smsh", withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: dir)
    }

    let file = try! ConfigFile.parse("""
        default_profile = "prod"
        [profiles.prod]
        base_url = "https://prod.example"
        api_key = "sk_live_profilekey123"
        sender = "MYSHOP"
        max_credits = 5000
        mask_numbers = true
        confirm_recipients = 10
        confirm_credits = 20
        [profiles.staging]
        sandbox = true
        api_key_env = "STAGING_KEY"
        hints = false
        [profiles.bare]
        """)

    func resolve(_ cl: CommandLineSettings = CommandLineSettings(), env: Environment = [:]) throws -> EffectiveConfig {
        try EffectiveConfig.resolve(commandLine: cl, environment: env, file: file, paths: paths)
    }

    // MARK: selection

    func testProfileSelectionFlagBeatsEnvironmentBeatsDefaultProfile() throws {
        XCTAssertEqual(try resolve().profile, Setting("prod", .configDefault))
        XCTAssertEqual(try resolve(env: ["SMSH_PROFILE": "staging"]).profile, Setting("staging", .environment("SMSH_PROFILE")))
        XCTAssertEqual(try resolve(CommandLineSettings(profile: "bare"), env: ["SMSH_PROFILE": "staging"]).profile,
                       Setting("bare", .flag("--profile")))
    }

    func testNoProfileWithoutSelection() throws {
        let c = try EffectiveConfig.resolve(commandLine: CommandLineSettings(), environment: [:], file: ConfigFile(), paths: paths)
        XCTAssertEqual(c.profile.value, nil)
        XCTAssertEqual(c.baseURL, Setting(EffectiveConfig.defaultBaseURL, .builtIn))
        XCTAssertEqual(c.apiKey.value, nil)
        XCTAssertEqual(c.confirmRecipients, Setting(1000, .builtIn))
        XCTAssertEqual(c.confirmCredits, Setting(1000, .builtIn))
        XCTAssertEqual(c.maskNumbers, Setting(false, .builtIn))
    }

    func testUnknownProfileListsTheKnownOnes() {
        XCTAssertThrowsError(try resolve(CommandLineSettings(profile: "prdo"))) { e in
            XCTAssertEqual("\(e)", "unknown profile 'prdo' (from --profile); known profiles: bare, prod, staging")
        }
        XCTAssertThrowsError(try resolve(env: ["SMSH_PROFILE": "x"])) { e in
            XCTAssertTrue("\(e)".contains("(from $SMSH_PROFILE)"))
        }
    }

    // MARK: the precedence table

    func testBaseURLPrecedence() throws {
        XCTAssertEqual(try resolve().baseURL, Setting("https://prod.example", .profile("prod", detail: "base_url")))
        XCTAssertEqual(try resolve(env: ["SMSH_BASE_URL": "http://env"]).baseURL, Setting("http://env", .environment("SMSH_BASE_URL")))
        XCTAssertEqual(try resolve(CommandLineSettings(baseURL: "http://flag"), env: ["SMSH_BASE_URL": "http://env"]).baseURL,
                       Setting("http://flag", .flag("--base-url")))
        XCTAssertEqual(try resolve(CommandLineSettings(profile: "bare")).baseURL, Setting(EffectiveConfig.defaultBaseURL, .builtIn))
        // An empty variable counts as unset.
        XCTAssertEqual(try resolve(env: ["SMSH_BASE_URL": ""]).baseURL.source, .profile("prod", detail: "base_url"))
    }

    func testAPIKeyPrecedence() throws {
        XCTAssertEqual(try resolve().apiKey, Setting("sk_live_profilekey123", .profile("prod", detail: "api_key")))
        XCTAssertEqual(try resolve(env: ["SMSH_API_KEY": "sk_env"]).apiKey, Setting("sk_env", .environment("SMSH_API_KEY")))
        XCTAssertEqual(try resolve(CommandLineSettings(profile: "bare")).apiKey.value, nil)
    }

    func testAPIKeyFromTheVariableTheProfileNames() throws {
        let staging = CommandLineSettings(profile: "staging")
        XCTAssertEqual(try resolve(staging, env: ["STAGING_KEY": "sk_staging"]).apiKey,
                       Setting("sk_staging", .profile("staging", detail: "api_key_env STAGING_KEY")))
        let unset = try resolve(staging)
        XCTAssertNil(unset.apiKey.value)
        XCTAssertEqual(unset.apiKeyProblem, "$STAGING_KEY is not set (api_key_env of profile staging)")
    }

    func testSandboxFlagOrProfile() throws {
        XCTAssertEqual(try resolve().sandbox, Setting(false, .builtIn))
        XCTAssertEqual(try resolve(CommandLineSettings(profile: "staging")).sandbox, Setting(true, .profile("staging", detail: "sandbox")))
        XCTAssertEqual(try resolve(CommandLineSettings(sandbox: true)).sandbox, Setting(true, .flag("--sandbox")))
    }

    func testREPLHintsAreOnUnlessTheProfileTurnsThemOff() throws {
        XCTAssertEqual(try resolve().hints, Setting(true, .builtIn))
        XCTAssertEqual(try resolve(CommandLineSettings(profile: "staging")).hints, Setting(false, .profile("staging", detail: "hints")))
        XCTAssertThrowsError(try ConfigFile.parse("[profiles.x]\nhints = \"no\"\n")) { e in
            XCTAssertTrue("\(e)".contains("'hints' in [profiles.x] must be true or false"), "\(e)")
        }
    }

    func testMetricsTargetsFlagBeatsProfileAndProfileFilesAreRelativeToTheConfigFolder() throws {
        let file = try ConfigFile.parse("""
            [profiles.cron]
            metrics_file = "nightly.prom"
            metrics_push = "http://pushgw:9091"
            [profiles.abs]
            metrics_file = "/var/lib/prom/x.prom"
            """)
        func resolve(_ cl: CommandLineSettings) throws -> EffectiveConfig {
            try EffectiveConfig.resolve(commandLine: cl, environment: [:], file: file, paths: paths)
        }
        let none = try resolve(CommandLineSettings())
        XCTAssertEqual(none.metricsFile, Setting(nil, .builtIn))
        XCTAssertEqual(none.metricsPush, Setting(nil, .builtIn))
        let cron = try resolve(CommandLineSettings(profile: "cron"))
        XCTAssertEqual(cron.metricsFile, Setting(dir + "/cfg/smsh/nightly.prom", .profile("cron", detail: "metrics_file")))
        XCTAssertEqual(cron.metricsPush, Setting("http://pushgw:9091", .profile("cron", detail: "metrics_push")))
        XCTAssertEqual(try resolve(CommandLineSettings(profile: "abs")).metricsFile.value, "/var/lib/prom/x.prom")
        let flags = try resolve(CommandLineSettings(profile: "cron", metricsFile: "run.prom", metricsPush: "http://other:9091"))
        XCTAssertEqual(flags.metricsFile, Setting("run.prom", .flag("--metrics")))
        XCTAssertEqual(flags.metricsPush, Setting("http://other:9091", .flag("--metrics-push")))
        for (text, message) in [
            ("metrics_push = \"pushgw:9091\"", "'metrics_push' in [profiles.x] must be a Pushgateway URL starting with http:// or https://"),
            ("metrics_file = \"\"", "'metrics_file' in [profiles.x] is empty"),
            ("metrics_file = 3", "'metrics_file' in [profiles.x] must be a string"),
        ] {
            XCTAssertThrowsError(try ConfigFile.parse("[profiles.x]\n\(text)\n")) { e in
                XCTAssertTrue("\(e)".contains(message), "\(e)")
            }
        }
    }

    func testProfileDefaultsAndCaps() throws {
        let c = try resolve()
        XCTAssertEqual(c.sender, Setting("MYSHOP", .profile("prod", detail: "sender")))
        XCTAssertEqual(c.maxCredits, Setting(5000, .profile("prod", detail: "max_credits")))
        XCTAssertEqual(c.maskNumbers, Setting(true, .profile("prod", detail: "mask_numbers")))
        XCTAssertEqual(c.confirmRecipients, Setting(10, .profile("prod", detail: "confirm_recipients")))
        XCTAssertEqual(c.confirmCredits, Setting(20, .profile("prod", detail: "confirm_credits")))
        let flags = try resolve(CommandLineSettings(maxCredits: 7, maskNumbers: true))
        XCTAssertEqual(flags.maxCredits, Setting(7, .flag("--max-credits")))
        XCTAssertEqual(flags.maskNumbers, Setting(true, .flag("--mask-numbers")))
        let off = try resolve(CommandLineSettings(maskNumbers: false))
        XCTAssertEqual(off.maskNumbers, Setting(false, .flag("--no-mask-numbers")), "the flag beats the profile's mask_numbers = true")
    }

    func testCAFileIsExpandedAndKeptBesideSSLCertFile() throws {
        let file = try ConfigFile.parse("""
            [profiles.corp]
            ca_file = "corp-ca.pem"
            [profiles.home]
            ca_file = "~/certs/ca.pem"
            """)
        func ca(_ profile: String?, _ env: Environment = [:]) throws -> Setting<String?> {
            try EffectiveConfig.resolve(commandLine: CommandLineSettings(profile: profile), environment: env,
                                        file: file, paths: paths).caFile
        }
        XCTAssertEqual(try ca(nil), Setting(nil, .builtIn))
        XCTAssertEqual(try ca("corp"), Setting(dir + "/cfg/smsh/corp-ca.pem", .profile("corp", detail: "ca_file")))
        XCTAssertEqual(try ca("home"), Setting(dir + "/certs/ca.pem", .profile("home", detail: "ca_file")))
        // SSL_CERT_FILE no longer replaces the profile's ca_file: both are trusted (issue 22, point 8).
        XCTAssertEqual(try ca("corp", ["SSL_CERT_FILE": "/etc/ssl/corp.pem"]),
                       Setting(dir + "/cfg/smsh/corp-ca.pem", .profile("corp", detail: "ca_file")))
        XCTAssertEqual(try ca(nil, ["SSL_CERT_FILE": ""]), Setting(nil, .builtIn))
        XCTAssertThrowsError(try ConfigFile.parse("[profiles.empty]\nca_file = \"\"\n")) {
            XCTAssertTrue("\($0)".contains("'ca_file' in [profiles.empty] is empty"), "\($0)")
        }
    }

    // MARK: files

    func write(_ path: String, _ text: String, mode: Int) throws {
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        XCTAssertEqual(chmod(path, mode_t(mode)), 0)
    }

    func testMissingConfigFileMeansNoProfiles() throws {
        let c = try EffectiveConfig.resolve(commandLine: CommandLineSettings(), environment: ["HOME": dir, "XDG_CONFIG_HOME": dir + "/cfg"])
        XCTAssertFalse(c.configFound)
        XCTAssertEqual(c.knownProfiles, [])
        XCTAssertEqual(c.paths.configFile, dir + "/cfg/smsh/config.toml")
    }

    func testConfigHoldingAKeyReadableByOthersIsRefusedWithTheChmodCommand() throws {
        let path = dir + "/cfg/smsh/config.toml"
        let text = "[profiles.p]\napi_key = \"sk_inline_1234\"\n"
        try write(path, text, mode: 0o644)
        let env: Environment = ["HOME": dir + "/cfg", "XDG_CONFIG_HOME": dir + "/cfg"]
        XCTAssertThrowsError(try EffectiveConfig.resolve(commandLine: CommandLineSettings(), environment: env)) { e in
            XCTAssertEqual("\(e)", "~/smsh/config.toml holds an API key (api_key in [profiles.p]) and is readable by others; run: chmod 600 \(path)")
            XCTAssertFalse("\(e)".contains("sk_inline"))
        }
        try write(path, text, mode: 0o640)
        XCTAssertThrowsError(try EffectiveConfig.resolve(commandLine: CommandLineSettings(), environment: env))
        try write(path, text, mode: 0o600)
        XCTAssertEqual(try EffectiveConfig.resolve(commandLine: CommandLineSettings(), environment: env).knownProfiles, ["p"])
    }

    /// A config with no secret in it (keys from the environment) may be readable by others.
    func testConfigWithoutASecretMayBeReadableByOthers() throws {
        let path = dir + "/cfg/smsh/config.toml"
        try write(path, "[profiles.p]\napi_key_env = \"P_KEY\"\n", mode: 0o644)
        let env: Environment = ["HOME": dir + "/cfg", "XDG_CONFIG_HOME": dir + "/cfg"]
        XCTAssertEqual(try EffectiveConfig.resolve(commandLine: CommandLineSettings(), environment: env).knownProfiles, ["p"])
    }

    /// A folder where config.toml should be is named as a folder, not as "readable by others".
    func testFolderInPlaceOfTheConfigIsNamed() throws {
        let path = dir + "/cfg/smsh/config.toml"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let env: Environment = ["HOME": dir + "/cfg", "XDG_CONFIG_HOME": dir + "/cfg"]
        XCTAssertThrowsError(try EffectiveConfig.resolve(commandLine: CommandLineSettings(), environment: env)) { e in
            XCTAssertEqual("\(e)", "~/smsh/config.toml is a folder, not a file; move it away (\(path)) and write the file there")
        }
    }

    /// An http:// or https:// URL with a host, or a configuration error saying what is wrong.
    func testBaseURLMustBeHTTPWithAHost() throws {
        XCTAssertNil(EffectiveConfig.baseURLProblem("https://me-sms.com"))
        XCTAssertNil(EffectiveConfig.baseURLProblem("http://127.0.0.1:8080/"))
        XCTAssertNil(EffectiveConfig.baseURLProblem("HTTP://[::1]:8080"))
        XCTAssertEqual(EffectiveConfig.baseURLProblem("localhost:8080"), "it has no http:// or https:// scheme")
        XCTAssertEqual(EffectiveConfig.baseURLProblem("not a url"), "it has no http:// or https:// scheme")
        XCTAssertEqual(EffectiveConfig.baseURLProblem("ftp://me-sms.com"), "the scheme 'ftp' is not http or https")
        XCTAssertEqual(EffectiveConfig.baseURLProblem("https://"), "it has no host")
        XCTAssertEqual(EffectiveConfig.baseURLProblem("http://host:80x"), "its port is not a number from 0 to 65535")
        XCTAssertEqual(EffectiveConfig.baseURLProblem("https://me sms.com"), "it contains a space")
        XCTAssertThrowsError(try EffectiveConfig.resolve(commandLine: CommandLineSettings(baseURL: "localhost:8080"), environment: ["HOME": dir!])) { e in
            XCTAssertEqual("\(e)", "invalid API base URL 'localhost:8080' (from --base-url): it has no http:// or https:// scheme; give a URL such as https://me-sms.com or http://localhost:8080")
        }
        // The sandbox uses no URL.
        XCTAssertNoThrow(try EffectiveConfig.resolve(commandLine: CommandLineSettings(sandbox: true, baseURL: "x"), environment: ["HOME": dir!]))
    }

    func testKeyFileIsReadTrimmedAndMustBePrivate() throws {
        let keyPath = dir + "/cfg/smsh/prod.key"
        try write(keyPath, "sk_live_fromfile99\n", mode: 0o600)
        try write(dir + "/cfg/smsh/config.toml", "[profiles.prod]\napi_key_file = \"~/cfg/smsh/prod.key\"\n[profiles.rel]\napi_key_file = \"prod.key\"\n", mode: 0o600)
        let vars = ["HOME": dir!, "XDG_CONFIG_HOME": dir + "/cfg"]
        let env = Environment(vars)
        let c = try EffectiveConfig.resolve(commandLine: CommandLineSettings(profile: "prod"), environment: env)
        XCTAssertEqual(c.apiKey, Setting("sk_live_fromfile99", .profile("prod", detail: "api_key_file ~/cfg/smsh/prod.key")))
        // Relative to the config directory.
        XCTAssertEqual(try EffectiveConfig.resolve(commandLine: CommandLineSettings(profile: "rel"), environment: env).apiKey.value,
                       "sk_live_fromfile99")
        chmod(keyPath, 0o604)
        XCTAssertThrowsError(try EffectiveConfig.resolve(commandLine: CommandLineSettings(profile: "prod"), environment: env)) { e in
            XCTAssertEqual("\(e)", "~/cfg/smsh/prod.key holds the API key (api_key_file of profile prod) and is readable by others; run: chmod 600 \(keyPath)")
            XCTAssertFalse("\(e)".contains("fromfile"))
        }
        // SMSH_API_KEY wins, so the file is not needed (nor read).
        XCTAssertEqual(try EffectiveConfig.resolve(commandLine: CommandLineSettings(profile: "prod"),
                                                   environment: Environment(vars.merging(["SMSH_API_KEY": "sk_env"]) { $1 })).apiKey.value, "sk_env")
    }

    func testMissingKeyFileIsAnError() throws {
        try write(dir + "/cfg/smsh/config.toml", "[profiles.prod]\napi_key_file = \"nope.key\"\n", mode: 0o600)
        let env: Environment = ["HOME": dir!, "XDG_CONFIG_HOME": dir + "/cfg"]
        XCTAssertThrowsError(try EffectiveConfig.resolve(commandLine: CommandLineSettings(profile: "prod"), environment: env)) { e in
            XCTAssertTrue("\(e)".hasPrefix("cannot read ~/cfg/smsh/nope.key: "), "\(e)")
        }
    }

    func testXDGConfigHomeDefaultsToDotConfig() {
        XCTAssertEqual(ConfigPaths(environment: ["HOME": "/home/op"]).configFile, "/home/op/.config/smsh/config.toml")
        XCTAssertEqual(ConfigPaths(environment: ["HOME": "/home/op", "XDG_CONFIG_HOME": ""]).directory, "/home/op/.config/smsh")
        XCTAssertEqual(ConfigPaths(environment: ["HOME": "/home/op", "XDG_CONFIG_HOME": "/x"]).pluginDirectory, "/x/smsh/plugins")
        XCTAssertEqual(ConfigPaths(environment: ["HOME": "/home/op"]).display("/home/op/.config/smsh/config.toml"), "~/.config/smsh/config.toml")
    }

    // MARK: masking

    func testKeyMaskShowsAtMostThreeAndTwoCharacters() {
        XCTAssertEqual(KeyMask.mask("sk_live_abcdef123456"), "sk_…56")
        XCTAssertEqual(KeyMask.mask("abcdefgh"), "a…h")
        XCTAssertEqual(KeyMask.mask("abc"), "…")
        XCTAssertEqual(KeyMask.mask(nil), "(none)")
        XCTAssertEqual(KeyMask.mask(""), "(none)")
    }
}

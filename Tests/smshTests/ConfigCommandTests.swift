import Foundation
import XCTest

/// Profiles and config.toml end to end: `smsh config show|path`, precedence, refusals with
/// exit 2, and profile settings reaching a real session (against `smsh serve`).
final class ConfigCommandTests: XCTestCase {
    var home: String!
    var configFile: String { home + "/.config/smsh/config.toml" }
    let secret = "sk_live_SECRETprofilekey9876"

    var scratch: ScratchHome!

    override func setUpWithError() throws {
        scratch = try ScratchHome(tag: "cfg")
        home = scratch.path
    }

    override func tearDownWithError() throws {
        scratch.remove()
    }

    /// The operator's own variables must not leak into these runs.
    func env(_ extra: [String: String] = [:]) -> [String: String] {
        scratch.env(extra)
    }

    func writeConfig(_ text: String, mode: Int = 0o600) throws {
        _ = FileManager.default.createFile(atPath: configFile, contents: Data(text.utf8))
        chmod(configFile, mode_t(mode))
    }

    func smsh(_ args: [String], env extra: [String: String] = [:]) throws -> SmshProcess.Result {
        try SmshProcess.run(args, env: env(extra), cwd: URL(fileURLWithPath: home))
    }

    var example: String {
        """
        default_profile = "prod"

        [profiles.prod]
        base_url = "https://prod.example"
        api_key = "\(secret)"
        sender = "MYSHOP"
        max_credits = 5000
        mask_numbers = true

        [profiles.staging]
        sandbox = true
        sender = "SMSHDEMO"
        max_credits = 1
        """
    }

    /// `run_script` in a spec starts smsh without the operator's config: a default profile
    /// with a 1-credit cap must not turn a spec's send into BUDGET_EXCEEDED.
    func testSpecsRunScriptsWithoutTheOperatorsProfile() throws {
        try writeConfig(example.replacingOccurrences(of: "default_profile = \"prod\"", with: "default_profile = \"staging\""))
        let capped = try smsh(["-e", "print(sms.budget())"])
        XCTAssertEqual(capped.stdout, "1.0\t0.0\n", capped.stderr)
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../scripts/examples").standardized
        let r = try SmshProcess.run(["test", "credit_guard_spec.lua"], env: env(), cwd: examples)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("3 successes"), r.stdout)
    }

    func testConfigPathFollowsXDGConfigHome() throws {
        let r = try smsh(["config", "path"])
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.stdout, configFile + "\n")
    }

    func testConfigShowPrintsEverySettingWithItsSourceAndNeverTheKey() throws {
        try writeConfig(example)
        let r = try smsh(["config", "show"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("config file: ~/.config/smsh/config.toml\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("profiles:    prod, staging"), r.stdout)
        XCTAssertTrue(r.stdout.contains("profile:     prod  (from default_profile in the config file)"), r.stdout)
        for line in [#"base_url\s+https://prod\.example\s+\(profile prod: base_url\)"#,
                     #"api_key\s+sk_…76\s+\(profile prod: api_key\)"#,
                     #"sender\s+MYSHOP\s+\(profile prod: sender\)"#,
                     #"max_credits\s+5000\s+\(profile prod: max_credits\)"#,
                     #"mask_numbers\s+true\s+\(profile prod: mask_numbers\)"#,
                     #"confirm_recipients\s+1000\s+\(default\)"#,
                     #"sandbox\s+false\s+\(default\)"#] {
            XCTAssertNotNil(r.stdout.range(of: line, options: .regularExpression), "\(line) in\n\(r.stdout)")
        }
        XCTAssertFalse((r.stdout + r.stderr).contains(secret))
        XCTAssertFalse((r.stdout + r.stderr).contains("SECRET"))
    }

    func testConfigShowAsJSONHasTypedValuesSourcesAndNoSecret() throws {
        try writeConfig(example + "\n[profiles.corp]\nbase_url = \"https://api.corp\"\nproxy = \"http://ann:pr0xy-pw@proxy.corp:8080\"\n"
                        + "state_url = \"postgresql://smsh:db-pw@db.corp/smsh\"\n")
        let r = try smsh(["config", "show", "-o", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
        XCTAssertEqual(doc["configFile"] as? String, configFile)
        XCTAssertEqual(doc["profiles"] as? [String], ["corp", "prod", "staging"])
        XCTAssertEqual((doc["profile"] as? [String: Any])?["value"] as? String, "prod")
        let settings = try XCTUnwrap(doc["settings"] as? [String: [String: Any]])
        XCTAssertEqual(settings["max_credits"]?["value"] as? Int, 5000)
        XCTAssertEqual(settings["max_credits"]?["source"] as? String, "profile prod: max_credits")
        XCTAssertEqual(settings["mask_numbers"]?["value"] as? Bool, true)
        XCTAssertEqual(settings["api_key"]?["value"] as? String, "sk_…76")
        XCTAssertTrue(settings["sender"]?["value"] is String)
        XCTAssertTrue(settings["ca_file"]?["value"] is NSNull, "none is null: \(r.stdout)")
        XCTAssertEqual(settings["proxy"]?["note"] as? String, "no proxy set")
        XCTAssertEqual(settings["timeout"]?["value"] as? Int, 60)
        XCTAssertEqual(doc["warnings"] as? [String], [])
        XCTAssertFalse(r.stdout.contains(secret))

        let corp = try smsh(["config", "show", "--profile", "corp", "-o", "json"], env: ["HTTPS_PROXY": "http://x:y@ignored:1"])
        let corpDoc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(corp.stdout.utf8)) as? [String: Any], corp.stdout + corp.stderr)
        let corpSettings = try XCTUnwrap(corpDoc["settings"] as? [String: [String: Any]])
        XCTAssertEqual(corpSettings["proxy"]?["value"] as? String, "http://ann:***@proxy.corp:8080")
        XCTAssertEqual(corpSettings["proxy"]?["source"] as? String, "profile corp: proxy")
        XCTAssertEqual(corpSettings["state_url"]?["value"] as? String, "postgresql://smsh:***@db.corp/smsh")
        XCTAssertTrue(corpSettings["api_key"]?["value"] is NSNull, corp.stdout)
        XCTAssertFalse(corp.stdout.contains("pr0xy-pw") || corp.stdout.contains("db-pw"), corp.stdout)

        let wrong = try smsh(["config", "show", "-o", "csv"])
        XCTAssertEqual(wrong.status, 2, wrong.stderr)
    }

    func testConfigShowEnvironmentBeatsProfileAndProfileFlagBeatsEnvironment() throws {
        try writeConfig(example)
        let envKey = "sk_env_ANOTHERsecret4321"
        let r = try smsh(["config", "show"], env: ["SMSH_API_KEY": envKey, "SMSH_BASE_URL": "http://127.0.0.1:9"])
        XCTAssertNotNil(r.stdout.range(of: #"base_url\s+http://127\.0\.0\.1:9\s+\(\$SMSH_BASE_URL\)"#, options: .regularExpression), r.stdout)
        XCTAssertNotNil(r.stdout.range(of: #"api_key\s+sk_…21\s+\(\$SMSH_API_KEY\)"#, options: .regularExpression), r.stdout)
        XCTAssertFalse(r.stdout.contains(envKey))
        let s = try smsh(["config", "show", "--profile", "staging"], env: ["SMSH_PROFILE": "prod"])
        XCTAssertTrue(s.stdout.contains("profile:     staging  (from --profile)"), s.stdout)
        XCTAssertNotNil(s.stdout.range(of: #"api_key\s+\(none\)"#, options: .regularExpression), s.stdout)
        let t = try smsh(["config", "show"], env: ["SMSH_PROFILE": "staging"])
        XCTAssertTrue(t.stdout.contains("profile:     staging  (from $SMSH_PROFILE)"), t.stdout)
    }

    func testMissingConfigFileIsFine() throws {
        let r = try smsh(["config", "show"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("(not found: no profiles)"))
        XCTAssertTrue(r.stdout.contains("profile:     (none)"))
        XCTAssertEqual(try smsh(["--sandbox", "-e", "print(1 + 1)"]).stdout, "2\n")
    }

    func testConfigReadableByOthersIsRefusedWithChmodAdviceAndExit2() throws {
        try writeConfig(example, mode: 0o644)
        for args in [["--sandbox", "-e", "print(1)"], ["config", "show"]] {
            let r = try smsh(args)
            XCTAssertEqual(r.status, 2, args.joined(separator: " "))
            XCTAssertEqual(r.stderr, "smsh: ~/.config/smsh/config.toml holds an API key (api_key in [profiles.prod]) and is readable by others; run: chmod 600 \(configFile)\n")
            XCTAssertEqual(r.stdout, "")
        }
    }

    func testKeyFileReadableByOthersIsRefused() throws {
        let keyFile = home + "/.config/smsh/prod.key"
        _ = FileManager.default.createFile(atPath: keyFile, contents: Data((secret + "\n").utf8))
        chmod(keyFile, 0o640)
        try writeConfig("[profiles.prod]\napi_key_file = \"~/.config/smsh/prod.key\"\n")
        let r = try smsh(["--profile", "prod", "-e", "print(1)"])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "smsh: ~/.config/smsh/prod.key holds the API key (api_key_file of profile prod) and is readable by others; run: chmod 600 \(keyFile)\n")
        chmod(keyFile, 0o600)
        let ok = try smsh(["config", "show", "--profile", "prod"])
        XCTAssertNotNil(ok.stdout.range(of: #"api_key\s+sk_…76\s+\(profile prod: api_key_file ~/.config/smsh/prod.key\)"#,
                                        options: .regularExpression), ok.stdout)
        XCTAssertFalse(ok.stdout.contains(secret))
    }

    func testUnknownProfileIsAUsageErrorListingTheKnownOnes() throws {
        try writeConfig(example)
        let r = try smsh(["--profile", "prdo", "-e", "print(1)"])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "smsh: unknown profile 'prdo' (from --profile); known profiles: prod, staging\n")
        let e = try smsh(["-e", "print(1)"], env: ["SMSH_PROFILE": "nope"])
        XCTAssertEqual(e.status, 2)
        XCTAssertTrue(e.stderr.contains("(from $SMSH_PROFILE)"))
    }

    func testUnknownKeyInAProfileNamesTheKeyAndLine() throws {
        try writeConfig("[profiles.prod]\nsender = \"MYSHOP\"\n\nmax_credit = 10\n")
        let r = try smsh(["--profile", "prod", "--sandbox", "-e", "print(1)"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.hasPrefix("smsh: ~/.config/smsh/config.toml:4: unknown key 'max_credit' in [profiles.prod] (did you mean 'max_credits'?)"), r.stderr)
    }

    func testTOMLSyntaxErrorNamesTheLine() throws {
        try writeConfig("[profiles.prod]\nsender = MYSHOP\n")
        let r = try smsh(["config", "show"])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "smsh: ~/.config/smsh/config.toml:2: 'sender': invalid value (strings need quotes: sender = \"...\")\n")
    }

    func testProfileSenderBudgetAndMaskingReachTheSession() throws {
        try writeConfig(example)
        // staging: sandbox, sender SMSHDEMO, max_credits 1 — a one-credit send fits, a second does not.
        let send = #"local r = sms.send{content = "hi", msisdns = {"0812345678"}} print(r.recipients, r.credits)"#
        let one = try smsh(["--profile", "staging", "-e", send])
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertEqual(one.stdout, "1\t1\n")
        let two = try smsh(["--profile", "staging", "-e", send + " " + send])
        XCTAssertEqual(two.status, 3, two.stderr)
        XCTAssertTrue(two.stderr.contains("BUDGET_EXCEEDED"), two.stderr)
        // --max-credits beats the profile's cap.
        let flag = try smsh(["run", "--profile", "staging", "--max-credits", "10", "-e", send + " " + send])
        XCTAssertEqual(flag.status, 0, flag.stderr)
        // mask_numbers from a profile masks log lines.
        try writeConfig(example + "\nmask_numbers = true\n")
        let masked = try smsh(["--profile", "staging", "-e", #"log.info("to 66812345678")"#])
        XCTAssertTrue(masked.stderr.contains("66812xxx678"), masked.stderr)
        XCTAssertFalse(masked.stderr.contains("66812345678"))
    }

    func testProfileBaseURLAndKeyFromItsVariableReachTheAPI() throws {
        let (_, base) = try serve()
        try writeConfig("""
            [profiles.local]
            base_url = "\(base)"
            api_key_env = "LOCAL_SMS_KEY"
            """)
        let r = try smsh(["--profile", "local", "-e", "print(sms.credit().balance)"], env: ["LOCAL_SMS_KEY": "sk_test_profiles"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "10000.0\n")
        // Unset variable: a clear message naming it, never a key.
        let missing = try smsh(["--profile", "local", "-e", "print(sms.credit().balance)"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("$LOCAL_SMS_KEY is not set (api_key_env of profile local)"), missing.stderr)
        // SMSH_API_KEY beats the profile: a wrong one is refused by the server.
        let wrong = try smsh(["--profile", "local", "-e", "print(sms.credit().balance)"],
                             env: ["LOCAL_SMS_KEY": "sk_test_profiles", "SMSH_API_KEY": "sk_test_wrong"])
        XCTAssertNotEqual(wrong.status, 0)
        XCTAssertFalse(wrong.stderr.contains("sk_test_wrong"))
    }

    func testProfileKeyNeverReachesARecordedCassette() throws {
        let (_, base) = try serve()
        try writeConfig("[profiles.local]\nbase_url = \"\(base)\"\napi_key = \"sk_test_profiles\"\n")
        let cassette = home + "/credit.json"
        let r = try smsh(["run", "--profile", "local", "--record", cassette, "-e", "print(sms.credit().balance, 'sk_test_profiles')"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let text = try String(contentsOfFile: cassette, encoding: .utf8)
        XCTAssertTrue(text.contains("/api/v2/credit") || text.contains("credit"), text)
        XCTAssertFalse(text.contains("sk_test_profiles"))
    }

    /// `smsh serve` on a free port; returns (process, base URL).
    func serve() throws -> (Process, String) {
        let server = try ServeProcess(apiKey: "sk_test_profiles", log: home + "/serve.log")
        addTeardownBlock { server.stop() }
        return (server.process, server.baseURL)
    }
}

import XCTest

@testable import SMSConfig

/// `sandbox_credit` / `sandbox_seed`: read from a profile, beaten by `--sandbox-credit` /
/// `--sandbox-seed`, bad values refused naming the key.
final class SandboxSettingsTests: XCTestCase {
    let paths = ConfigPaths(environment: ["HOME": "/nonexistent", "XDG_CONFIG_HOME": "/nonexistent/cfg"])

    func resolve(_ toml: String, _ cl: CommandLineSettings = CommandLineSettings(profile: "big")) throws -> EffectiveConfig {
        try EffectiveConfig.resolve(commandLine: cl, environment: [:], file: try ConfigFile.parse(toml), paths: paths)
    }

    func testDefaultsAreTheDemoAccount() throws {
        let c = try resolve("[profiles.big]\n")
        XCTAssertEqual(c.sandboxCredit, Setting(10_000, .builtIn))
        XCTAssertEqual(c.sandboxSeed, Setting(1, .builtIn))
    }

    func testProfileKeysThenFlags() throws {
        let toml = "[profiles.big]\nsandbox = true\nsandbox_credit = 5000000\nsandbox_seed = 42\n"
        let fromProfile = try resolve(toml)
        XCTAssertEqual(fromProfile.sandboxCredit, Setting(5_000_000, .profile("big", detail: "sandbox_credit")))
        XCTAssertEqual(fromProfile.sandboxSeed, Setting(42, .profile("big", detail: "sandbox_seed")))
        let fromFlags = try resolve(toml, CommandLineSettings(profile: "big", sandboxCredit: 7.5, sandboxSeed: 9))
        XCTAssertEqual(fromFlags.sandboxCredit, Setting(7.5, .flag("--sandbox-credit")))
        XCTAssertEqual(fromFlags.sandboxSeed, Setting(9, .flag("--sandbox-seed")))
    }

    func testBadValuesNameTheKey() {
        for (toml, needle) in [
            ("sandbox_credit = -1", "'sandbox_credit' in [profiles.big] must be a number >= 0"),
            ("sandbox_credit = \"lots\"", "'sandbox_credit' in [profiles.big] must be a number, not a string"),
            ("sandbox_seed = -3", "'sandbox_seed' in [profiles.big] must be a whole number >= 0"),
            ("sandbox_seed = 1.5", "'sandbox_seed' in [profiles.big] must be a whole number >= 0"),
        ] {
            XCTAssertThrowsError(try resolve("[profiles.big]\n" + toml + "\n"), toml) { error in
                XCTAssertTrue("\(error)".contains(needle), "\(toml): \(error)")
                XCTAssertTrue("\(error)".contains(":2"), "names the line: \(error)")
            }
        }
    }

    func testTypoIsCaught() {
        XCTAssertThrowsError(try resolve("[profiles.big]\nsandbox_credits = 5\n")) { error in
            XCTAssertTrue("\(error)".contains("did you mean 'sandbox_credit'"), "\(error)")
        }
    }
}

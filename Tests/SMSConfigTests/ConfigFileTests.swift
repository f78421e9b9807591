import XCTest

@testable import SMSConfig

/// config.toml as smsh reads it: profiles, typed keys, typos refused with their line.
final class ConfigFileTests: XCTestCase {
    let example = """
        default_profile = "prod"

        [profiles.prod]
        base_url = "https://me-sms.com"
        api_key_env = "PROD_SMS_KEY"
        sender = "MYSHOP"
        max_credits = 5000
        mask_numbers = true
        confirm_recipients = 1000
        confirm_credits = 250.5

        [profiles.staging]
        sandbox = true
        """

    func invalid(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> (line: Int, message: String)? {
        do {
            _ = try ConfigFile.parse(text)
            XCTFail("expected an error", file: file, line: line)
        } catch {
            switch error {
            case .invalid(_, let l, let m): return (l, m)
            case .syntax(let e): return (e.line, e.message)
            default: XCTFail("unexpected \(error)", file: file, line: line)
            }
        }
        return nil
    }

    func testTheDocumentedExampleReadsEverySetting() throws {
        let c = try ConfigFile.parse(example)
        XCTAssertEqual(c.defaultProfile, "prod")
        XCTAssertEqual(c.profileNames, ["prod", "staging"])
        let prod = try XCTUnwrap(c.profiles["prod"])
        XCTAssertEqual(prod.baseURL, "https://me-sms.com")
        XCTAssertEqual(prod.apiKeyEnv, "PROD_SMS_KEY")
        XCTAssertNil(prod.apiKey)
        XCTAssertEqual(prod.sender, "MYSHOP")
        XCTAssertEqual(prod.maxCredits, 5000)
        XCTAssertEqual(prod.maskNumbers, true)
        XCTAssertEqual(prod.confirmRecipients, 1000)
        XCTAssertEqual(prod.confirmCredits, 250.5)
        XCTAssertEqual(c.profiles["staging"]?.sandbox, true)
        XCTAssertNil(c.profiles["staging"]?.maxCredits)
    }

    func testEmptyFileHasNoProfiles() throws {
        let c = try ConfigFile.parse("# nothing yet\n")
        XCTAssertEqual(c.profileNames, [])
        XCTAssertNil(c.defaultProfile)
    }

    func testUnknownProfileKeyIsAnErrorNamingKeyAndLine() {
        let e = invalid("[profiles.prod]\nsender = \"X\"\nmax_credit = 10\n")
        XCTAssertEqual(e?.line, 3)
        XCTAssertTrue(e?.message.hasPrefix("unknown key 'max_credit' in [profiles.prod] (did you mean 'max_credits'?)") ?? false, e?.message ?? "")
    }

    func testUnknownTopLevelKeyIsAnError() {
        let e = invalid("default_profle = \"prod\"\n")
        XCTAssertEqual(e?.line, 1)
        XCTAssertTrue(e?.message.contains("did you mean 'default_profile'") ?? false)
    }

    func testWrongTypesAreErrorsWithTheirLine() {
        XCTAssertEqual(invalid("[profiles.p]\nmax_credits = \"5000\"\n")?.message, "'max_credits' in [profiles.p] must be a number, not a string")
        XCTAssertEqual(invalid("[profiles.p]\nmask_numbers = 1\n")?.line, 2)
        XCTAssertEqual(invalid("[profiles.p]\nconfirm_recipients = 10.5\n")?.line, 2)
        XCTAssertEqual(invalid("[profiles.p]\nmax_credits = -1\n")?.message, "'max_credits' in [profiles.p] must be a number >= 0")
        XCTAssertEqual(invalid("[profiles.p]\nbase_url = \"me-sms.com\"\n")?.line, 2)
        XCTAssertEqual(invalid("default_profile = 3\n")?.line, 1)
        XCTAssertEqual(invalid("profiles = 3\n")?.line, 1)
        XCTAssertEqual(invalid("[profiles]\nprod = \"x\"\n")?.line, 2)
    }

    func testOnlyOneKeySourcePerProfile() {
        let e = invalid("[profiles.p]\napi_key = \"k\"\napi_key_env = \"K\"\n")
        XCTAssertEqual(e?.line, 3)
        XCTAssertEqual(e?.message, "[profiles.p] sets api_key and api_key_env; use only one")
    }

    func testMaxCreditsAcceptsIntegersAndFloats() throws {
        let c = try ConfigFile.parse("[profiles.a]\nmax_credits = 10\n[profiles.b]\nmax_credits = 10.5\n")
        XCTAssertEqual(c.profiles["a"]?.maxCredits, 10)
        XCTAssertEqual(c.profiles["b"]?.maxCredits, 10.5)
    }

    func testSyntaxErrorsComeThroughWithTheFileName() {
        XCTAssertThrowsError(try ConfigFile.parse("[profiles.p]\nsender = MYSHOP\n", file: "~/.config/smsh/config.toml")) { e in
            XCTAssertEqual("\(e)", "~/.config/smsh/config.toml:2: 'sender': invalid value (strings need quotes: sender = \"...\")")
        }
    }
}

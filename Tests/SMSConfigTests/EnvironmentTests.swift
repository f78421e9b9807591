import XCTest
@testable import SMSConfig
#if canImport(Glibc)
import Glibc
#endif

final class EnvironmentTests: XCTestCase {
    func testProcessEnvironmentIsReadWhenAsked() {
        let name = "SMSH_ENVIRONMENT_TEST_\(getpid())"
        XCTAssertNil(Environment.process[name])
        setenv(name, "sk_value with spaces", 1)
        defer { unsetenv(name) }
        XCTAssertEqual(Environment.process[name], "sk_value with spaces")
        setenv(name, "", 1)
        XCTAssertEqual(Environment.process[name], "", "set but empty is not the same as unset")
    }

    func testFixedEnvironmentIgnoresTheProcess() {
        setenv("SMSH_ENVIRONMENT_FIXED", "from-process", 1)
        defer { unsetenv("SMSH_ENVIRONMENT_FIXED") }
        let fixed: Environment = ["HOME": "/home/op"]
        XCTAssertEqual(fixed["HOME"], "/home/op")
        XCTAssertNil(fixed["SMSH_ENVIRONMENT_FIXED"])
        XCTAssertEqual(Environment(["A": "1"])["A"], "1")
        let repeated: Environment = ["A": "1", "A": "2"]
        XCTAssertEqual(repeated["A"], "2", "the last of a repeated name wins")
    }
}

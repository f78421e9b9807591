import SMSOperations
import XCTest

/// `--mask-numbers`: numbers people see become 66812xxx678; other digits are left alone.
final class NumberMaskingTests: XCTestCase {
    func testMasksThaiMobileNumbersInAnyCommonForm() {
        XCTAssertEqual(NumberMasking.mask("sent to 66812345678"), "sent to 66812xxx678")
        XCTAssertEqual(NumberMasking.mask("'msisdns[2]' = \"081-234-5678\""), "'msisdns[2]' = \"66812xxx678\"")
        XCTAssertEqual(NumberMasking.mask("+66 89 876 5432 failed"), "66898xxx432 failed")
        // Issue 22's forms are masked too, wherever a person reads them.
        XCTAssertEqual(NumberMasking.mask("to +66 (0) 81 234 5678."), "to 66812xxx678.")
        XCTAssertEqual(NumberMasking.mask("to 0066812345678, 0066 89 876 5432"), "to 66812xxx678, 66898xxx432")
        XCTAssertEqual(NumberMasking.mask("(081) 234-5678"), "(66812xxx678")
    }

    func testLeavesOtherNumbersAlone() {
        XCTAssertEqual(NumberMasking.mask("uuid 12345, 10000 credits, 2026-11-29"), "uuid 12345, 10000 credits, 2026-11-29")
        XCTAssertEqual(NumberMasking.mask("landline 0212345678"), "landline 0212345678")
        XCTAssertEqual(NumberMasking.mask("912345678 credits at 1795953000 (2026-12-06 10:00)"), "912345678 credits at 1795953000 (2026-12-06 10:00)")
    }
}

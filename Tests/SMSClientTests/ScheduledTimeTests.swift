import SMSClient
import XCTest

/// `scheduledTime` forms accepted and the one wire form (ISO 8601 in +07:00).
final class ScheduledTimeTests: XCTestCase {
    func testAcceptedISOFormsAndTheirWireValue() throws {
        let cases: [(String, String)] = [
            ("2026-06-01T10:00:00+07:00", "2026-06-01T10:00:00+07:00"),
            ("2026-06-01T03:00:00Z", "2026-06-01T10:00:00+07:00"),
            ("2026-06-01T03:00:00z", "2026-06-01T10:00:00+07:00"),
            ("2026-06-01T03:00Z", "2026-06-01T10:00:00+07:00"),
            ("2026-06-01T03:00:00.750Z", "2026-06-01T10:00:00+07:00"),
            ("2026-05-31T22:00:00-05:00", "2026-06-01T10:00:00+07:00"),
            ("2026-06-01T08:30:00+0530", "2026-06-01T10:00:00+07:00"),
            ("2026-12-31T20:00:00Z", "2027-01-01T03:00:00+07:00"),
            ("2028-02-29T00:00:00+07:00", "2028-02-29T00:00:00+07:00"),
        ]
        for (input, wire) in cases {
            XCTAssertEqual(try ScheduledTime.iso8601(input).wireValue(), wire, input)
        }
    }

    func testRejectedISOForms() {
        let bad = [
            "2026-06-01T10:00:00", "2026-06-01", "2026-13-01T10:00:00Z", "2026-02-29T10:00:00Z",
            "2026-06-01T24:00:00Z", "2026-06-01T10:60:00Z", "2026-06-01T10:00:00+7:00", "tomorrow", "",
            "2026-06-01T10:00:00Z trailing",
        ]
        for input in bad {
            XCTAssertThrowsError(try ScheduledTime.iso8601(input).wireValue(), input) { error in
                XCTAssertEqual((error as? SMSError)?.field, "scheduledTime")
            }
        }
    }

    func testEpochSecondsAreWholeSecondsInBangkok() throws {
        XCTAssertEqual(try ScheduledTime.epochSeconds(0).wireValue(), "1970-01-01T07:00:00+07:00")
        XCTAssertEqual(try ScheduledTime.epochSeconds(1_780_282_800.9).wireValue(), "2026-06-01T10:00:00+07:00")
        XCTAssertThrowsError(try ScheduledTime.epochSeconds(-1).wireValue())
        XCTAssertThrowsError(try ScheduledTime.epochSeconds(.nan).wireValue())
        XCTAssertThrowsError(try ScheduledTime.epochSeconds(.infinity).wireValue())
    }

    func testISOAndEpochAgree() {
        XCTAssertEqual(ScheduledTime.iso8601("2026-06-01T10:00:00+07:00").secondsSinceEpoch, 1_780_282_800)
        XCTAssertEqual(ScheduledTime.iso8601("2000-03-01T00:00:00Z").secondsSinceEpoch, 951_868_800)
    }
}

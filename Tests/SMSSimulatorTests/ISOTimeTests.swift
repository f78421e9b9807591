import XCTest

@testable import SMSSimulator

final class ISOTimeTests: XCTestCase {
    func testFormatsInBangkokTime() {
        XCTAssertEqual(ISOTime.format(0), "1970-01-01T07:00:00+07:00")
        XCTAssertEqual(ISOTime.format(1_780_000_000.9), "2026-05-29T03:26:40+07:00")
        XCTAssertEqual(ISOTime.format(951_782_400), "2000-02-29T07:00:00+07:00")
    }

    func testParsesOffsetsZuluAndFractions() {
        XCTAssertEqual(ISOTime.parse("2026-06-01T10:00:00+07:00"), 1_780_282_800)
        XCTAssertEqual(ISOTime.parse("2026-06-01T03:00:00Z"), 1_780_282_800)
        XCTAssertEqual(ISOTime.parse("2026-06-01T03:00:00.5Z"), 1_780_282_800.5)
        XCTAssertEqual(ISOTime.parse("2026-06-01T05:00:00+0200"), 1_780_282_800)
        XCTAssertEqual(ISOTime.parse("2026-05-31T22:00:00-05:00"), 1_780_282_800)
    }

    func testRejectsMalformedTimes() {
        for bad in ["2026-06-01T10:00:00", "2026-06-01", "2026-02-30T10:00:00Z", "2026-06-01T25:00:00Z", "soon", "2026-06-01T10:00:00+07:00x"] {
            XCTAssertNil(ISOTime.parse(bad), bad)
        }
    }

    func testFormatAndParseRoundTrip() {
        for t in stride(from: -1_000_000_000.0, to: 4_000_000_000, by: 86_413 * 37) {
            XCTAssertEqual(ISOTime.parse(ISOTime.format(t)), t)
        }
    }
}

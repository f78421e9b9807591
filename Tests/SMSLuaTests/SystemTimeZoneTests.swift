import Foundation
import LuaHost
import SMSClient
@testable import SMSLua
@testable import SMSOperations
import SMSSimulator
import XCTest

/// Send windows read named zones from the system's tzdata (no ICU in smsh): offsets with and
/// without daylight saving, far-future dates (tzdata's rule string), refusals, and a campaign
/// window in Asia/Bangkok through the binding.
final class SystemTimeZoneTests: XCTestCase {
    func testOffsetsOfNamedZones() throws {
        XCTAssertEqual(SystemTimeZone(identifier: "Asia/Bangkok")?.secondsFromGMT(at: 1_795_953_000), 7 * 3600)
        let london = try XCTUnwrap(SystemTimeZone(identifier: "Europe/London"))
        XCTAssertEqual(london.secondsFromGMT(at: 1_768_435_200), 0)        // 2026-01-15
        XCTAssertEqual(london.secondsFromGMT(at: 1_782_864_000), 3600)     // 2026-07-01
        // 2100-07-01: past tzdata's transition list, from its POSIX rule.
        XCTAssertEqual(SystemTimeZone(identifier: "America/New_York")?.secondsFromGMT(at: 4_118_083_200), -4 * 3600)
        XCTAssertEqual(SystemTimeZone(identifier: "UTC")?.secondsFromGMT(at: 1_782_864_000), 0)
        XCTAssertEqual(SystemTimeZone(identifier: "Asia/Kolkata")?.secondsFromGMT(at: 1_782_864_000), 19_800)
    }

    func testUnknownOrPathLikeNamesAreRefused() {
        for name in ["Mars/Base", "", "../../etc/passwd", "/etc/localtime", "Asia/Bangkok\0x", "Asia"] {
            XCTAssertNil(SystemTimeZone(identifier: name), name)
        }
    }

    /// TZ is process-wide: asking a zone leaves the process's own TZ as it was.
    func testProcessTimeZoneIsLeftAlone() {
        setenv("TZ", "Europe/Paris", 1)
        defer { unsetenv("TZ") }
        _ = SystemTimeZone(identifier: "Asia/Tokyo")?.secondsFromGMT(at: 1_782_864_000)
        XCTAssertEqual(getenv("TZ").map { String(cString: $0) }, "Europe/Paris")
        unsetenv("TZ")
        _ = SystemTimeZone(identifier: "Asia/Tokyo")?.secondsFromGMT(at: 1_782_864_000 + 86_400)
        XCTAssertNil(getenv("TZ"))
    }

    /// 1_795_953_000 is 11:50 UTC, 18:50 in Bangkok.
    func testCampaignWindowInBangkok() throws {
        let clock = VirtualClock(start: 1_795_953_000)
        let config = SimulatorConfig()
        let engine = SimulatorEngine(config: config, clock: clock)
        let env = SMSEnvironment(clock: clock) {
            SMSClient(transport: SimulatorTransport(engine: engine), apiKey: config.apiKey, clock: clock)
        }
        let lua = try LuaState()
        try lua.install(SMSModule(environment: env))
        let r = try lua.run("""
            local rows = {{phone = "0812345678"}}
            local ok, e = pcall(sms.campaign, {key = "bkk1", sender = "SMSHDEMO", rows = rows, content = "Hi",
                                               window = {from = "09:00", to = "10:00", tz = "Asia/Bangkok"}, wait = false})
            local c = sms.campaign{key = "bkk2", sender = "SMSHDEMO", rows = rows, content = "Hi",
                                   window = {from = "18:00", to = "19:00", tz = "Asia/Bangkok"}, wait = false}
            return {code = e.code, sends = c.sends}
            """, chunkName: "=test").first
        XCTAssertEqual(r?.tableValue?["code"], "OUTSIDE_WINDOW")
        XCTAssertEqual(r?.tableValue?["sends"], .integer(1))
        XCTAssertEqual(engine.acceptedSendCount, 1)
    }
}

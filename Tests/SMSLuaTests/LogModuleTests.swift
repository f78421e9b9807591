import LuaHost
import SMSClient
import SMSLua
import XCTest

/// `log.*`: timestamped lines from the session clock, text or JSON.
final class LogModuleTests: XCTestCase {
    final class Lines: @unchecked Sendable { var all: [String] = [] }

    func run(_ format: LogFormat, _ code: String) throws -> [String] {
        let lines = Lines()
        let lua = try LuaState()
        // 2026-11-29T11:50:01Z
        try lua.install(LogModule(format: format, clock: VirtualClock(start: 1_795_953_001)) { lines.all.append($0) })
        try lua.run(code)
        return lines.all
    }

    func testTextLines() throws {
        XCTAssertEqual(try run(.text, "log.info('sent', {uuid = 'ab', count = 3}); log.error(42)"), [
            "2026-11-29T11:50:01Z INFO  sent count=3 uuid=ab\n",
            "2026-11-29T11:50:01Z ERROR 42\n",
        ])
    }

    func testJSONLines() throws {
        XCTAssertEqual(try run(.json, "log.warn('low credit', {balance = 12.5})"), [
            #"{"balance":12.5,"level":"warn","msg":"low credit","time":"2026-11-29T11:50:01Z"}"# + "\n",
        ])
    }
}

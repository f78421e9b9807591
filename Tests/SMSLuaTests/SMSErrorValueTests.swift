import LuaHost
import SMSClient
import SMSLua
import XCTest

/// The sms error value (`SMSErrorValue`): a table whose `__tostring` reads `CODE: message`,
/// also when Ctrl-C's hook was armed while Swift was at work (the signal arrives on any
/// thread, at any moment of a wait, and the limiter may be the one to notice it).
final class SMSErrorValueTests: XCTestCase {
    func testAnInterruptedCallReadsAsINTERRUPTEDAndLeavesErrorsReadable() throws {
        let lua = try LuaState()
        // As Ctrl-C during a request: the signal arms the hook, and the client's limiter
        // stops the call with INTERRUPTED, the session's first sms error.
        try lua.install(SMSModule(environment: SMSEnvironment(clock: VirtualClock(start: 0)) {
            lua.requestInterrupt()
            throw SMSError(status: nil, code: "INTERRUPTED", message: "interrupted before the request was made", retryable: false)
        }))
        for _ in 0..<2 {
            XCTAssertThrowsError(try lua.run("sms.credit()")) { error in
                XCTAssertEqual((error as? LuaError)?.message, "INTERRUPTED: interrupted before the request was made")
            }
        }
        // Nothing of the hook is left: plain Lua runs on, and the error values read as before.
        XCTAssertEqual(try lua.run("local n = 0 for i = 1, 1000 do n = n + i end return n").first, .integer(500_500))
        XCTAssertEqual(try lua.run("local ok, e = pcall(sms.credit) return e.code .. ' / ' .. tostring(e)").first,
                       .string("INTERRUPTED / INTERRUPTED: interrupted before the request was made"))
    }
}

import LuaHost
import SMSClient
import SMSLua
import XCTest

/// Tab completion answered from the live Lua state.
final class CompleterTests: XCTestCase {
    var lua: LuaState!
    let completer = Completer(commands: [":help", ":quit", ":sandbox"])

    override func setUpWithError() throws {
        lua = try LuaState()
        let env = SMSEnvironment(clock: VirtualClock(start: 0)) {
            throw SMSError(status: nil, code: "NO_API_KEY", message: "no client in this test", retryable: false)
        }
        try lua.install(SMSModule(environment: env))
        try lua.run("config = { deep = { answer = 42, another = 1 } }; obj = setmetatable({}, {__index = {method = print}})")
    }

    func complete(_ text: String) -> [String] { completer.complete(text, in: lua.stack) }

    func testModuleFields() {
        XCTAssertEqual(complete("sms.se"), ["sms.send", "sms.senders"])
        XCTAssertEqual(complete("x = sms.cr"), ["sms.credit"])
    }

    func testNestedTablesAndMethods() {
        XCTAssertEqual(complete("config.deep.an"), ["config.deep.another", "config.deep.answer"])
        XCTAssertEqual(complete("obj:me"), ["obj:method"])
    }

    func testGlobalsAndKeywords() {
        XCTAssertEqual(complete("pri"), ["print"])
        XCTAssertTrue(complete("wh").contains("while"))
        XCTAssertTrue(complete("sm").contains("sms"))
    }

    func testFieldNamesInsideACallsTable() {
        XCTAssertEqual(complete("sms.send{se"), ["sender="])
        XCTAssertEqual(complete("sms.send{ sender = 'A', con"), ["content=", "contactGroupId="].sorted())
        XCTAssertEqual(complete("sms.wait(id, {ti"), ["timeout="])
        XCTAssertEqual(complete("sms.send({dr"), ["dryRun="])
    }

    func testCommands() {
        XCTAssertEqual(complete(":s"), [":sandbox"])
        XCTAssertEqual(complete(":"), [":help", ":quit", ":sandbox"])
    }

    func testUnknownPathsCompleteToNothing() {
        XCTAssertEqual(complete("nothing.he"), [])
        XCTAssertEqual(complete("config.deep.answer.x"), [])
    }
}

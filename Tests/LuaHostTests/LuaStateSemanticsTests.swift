import LuaHost
import XCTest

/// A state made by `LuaState` behaves like the one `lua5.4` runs scripts in (the full
/// comparison is LuaSemanticsTests in smshTests).
final class LuaStateSemanticsTests: XCTestCase {
    /// lua.c switches the collector to generational mode before running a script; a host
    /// that did not was visible to scripts through collectgarbage's answers.
    func testTheCollectorStartsInGenerationalModeLikeLua54() throws {
        let lua = try LuaState()
        XCTAssertEqual(try lua.run("return collectgarbage('incremental')"), [.string("generational")])
        XCTAssertEqual(try lua.run("return collectgarbage('generational')"), [.string("incremental")])
    }

    func testNoDebugHookIsInstalledOnAFreshState() throws {
        let lua = try LuaState()
        XCTAssertEqual(try lua.run("return debug.gethook()"), [.nil])
    }
}

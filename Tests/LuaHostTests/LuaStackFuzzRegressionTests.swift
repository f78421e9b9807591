import CLua
import CLuaShim
import LuaHost
import XCTest

/// Regression tests for what the `lua_value` fuzz target (scripts/fuzz) found: a failed
/// `LuaStack.value(at:)` (cycle, nesting too deep) left the key/value pairs of its table walk
/// on the Lua stack, so the caller's idea of the stack was wrong afterwards.
final class LuaStackFuzzRegressionTests: XCTestCase {
    /// Runs `code`, then pushes the globals table and the global `name` above it.
    func pushGlobal(_ name: String, madeBy code: String, in lua: LuaState) throws -> LuaStack {
        try lua.run(code)
        let s = lua.stack
        smsh_pushglobaltable(s.L)
        s.getField(name, in: -1)
        return s
    }

    func testAFailedConversionOfACycleLeavesTheStackAsItWas() throws {
        let lua = try LuaState()
        let s = try pushGlobal("cyclic", madeBy: "cyclic = { a = { b = { 1, 2 } } }; cyclic.a.b.back = cyclic", in: lua)
        let before = s.top
        XCTAssertThrowsError(try s.value(at: -1)) { error in
            XCTAssertEqual(error as? LuaValueError, .cycle(path: "value.a.b.back"))
        }
        XCTAssertEqual(s.top, before, "no key/value pairs left behind")
        XCTAssertEqual(s.type(at: -1), LUA_TTABLE, "the table is still on top")
        s.pop(2)
    }

    func testAFailedConversionOfDeepNestingLeavesTheStackAsItWas() throws {
        let lua = try LuaState()
        let s = try pushGlobal("deep", madeBy: "deep = {} local t = deep for i = 1, 150 do t.next = {} t = t.next end", in: lua)
        let before = s.top
        XCTAssertThrowsError(try s.value(at: -1, depthLimit: 100))
        XCTAssertEqual(s.top, before)
        s.pop(2)
    }

    /// The visible consequence: a cyclic error value raised through a Swift call must come
    /// back as the same error, with the stack balanced, and the state must stay usable.
    func testACyclicErrorValueThroughRunKeepsTheStateUsable() throws {
        let lua = try LuaState()
        XCTAssertThrowsError(try lua.run("local e = { code = 'X' } e.self = e error(e)")) { error in
            XCTAssertTrue(error is LuaError, "\(error)")
        }
        XCTAssertEqual(lua.stack.top, 0, "run leaves the stack empty after an error")
        XCTAssertEqual(try lua.run("return 1 + 1"), [.integer(2)])
        // Re-raised from a Swift function and caught in Lua: still the same table.
        lua.register("reraise") { _ in try lua.run("local e = { code = 'Y' } e.self = e error(e)"); return 0 }
        XCTAssertEqual(try lua.run("local ok, e = pcall(reraise) return ok, type(e), e.code, e.self == e"),
                       [.boolean(false), .string("table"), .string("Y"), .boolean(true)])
        XCTAssertEqual(lua.stack.top, 0)
    }

    /// Found by the `lua_value` fuzz target: a table keyed by a function copies into Swift
    /// with an `.opaque` key; pushing that copy back did `lua_rawset` with a nil key, an
    /// unprotected error that aborted the process ("PANIC: ... table index is nil").
    func testPushingATableWithAnOpaqueKeySkipsThatKeyInsteadOfAborting() throws {
        let lua = try LuaState()
        let copy = try lua.run("return { [print] = 1, [coroutine.create(print)] = 2, a = 3 }")[0]
        XCTAssertEqual(copy.tableValue?.hash.count, 3)
        lua.stack.push(copy)
        XCTAssertEqual(try lua.stack.value(at: -1), ["a": 3])
        lua.stack.pop()
        XCTAssertEqual(lua.stack.top, 0)
    }
}

import LuaHost
import XCTest

/// Swift closures as Lua functions: results, errors through pcall, lifetime.
final class LuaFunctionTests: XCTestCase {
    struct Boom: Error, CustomStringConvertible {
        var description: String { "boom from Swift" }
    }

    /// An error that becomes a Lua table with `__tostring`, as the `sms` module's errors do.
    struct TableError: LuaErrorConvertible {
        let code: String
        func pushLuaError(_ stack: LuaStack) {
            stack.push(["code": .string(code)] as LuaValue)
            stack.newTable()
            stack.push { s in
                s.getField("code", in: 1)
                s.push("E: " + (s.string(at: -1) ?? "?"))
                return 1
            }
            stack.setField("__tostring", in: -2)
            stack.setMetatable(forValueAt: -2)
        }
    }

    func testSwiftFunctionReceivesArgumentsAndReturnsResults() throws {
        let lua = try LuaState()
        lua.register("add") { s in
            let a = s.integer(at: 1) ?? 0, b = s.integer(at: 2) ?? 0
            s.push(a + b)
            s.push("sum")
            return 2
        }
        XCTAssertEqual(try lua.run("return add(2, 40)"), [.integer(42), "sum"])
    }

    func testThrownErrorIsCatchableByPcallWithPosition() throws {
        let lua = try LuaState()
        lua.register("fail") { _ in throw Boom() }
        // Like luaL_error: the position is the Lua caller's; called directly by pcall (a C
        // function) there is none, exactly as with stock Lua's own C functions.
        let r = try lua.run("local ok, e = pcall(function() fail() end); local ok2, e2 = pcall(fail); return ok, e, e2",
                            chunkName: "=t")
        XCTAssertEqual(r, [false, "t:1: boom from Swift", "boom from Swift"])
    }

    func testErrorInsideNestedPcallsAndCoroutines() throws {
        let lua = try LuaState()
        lua.register("fail") { _ in throw Boom() }
        let r = try lua.run("""
            local function inner() local ok, e = pcall(function() fail() end); error("wrapped: " .. tostring(e), 0) end
            local ok, e = pcall(function() pcall(function() end); inner() end)
            local co = coroutine.create(function() fail() end)
            local cok, ce = coroutine.resume(co)
            return ok, e, cok, ce
            """, chunkName: "=n")
        XCTAssertEqual(r[0], false)
        XCTAssertEqual(r[1], "wrapped: n:1: boom from Swift")
        XCTAssertEqual(r[2], false)
        XCTAssertEqual(r[3], "n:3: boom from Swift")
    }

    func testErrorValuesMayBeTablesWithTostring() throws {
        let lua = try LuaState()
        lua.register("fail") { _ in throw TableError(code: "INSUFFICIENT_CREDITS") }
        let r = try lua.run("""
            local ok, e = pcall(fail)
            return type(e), e.code, tostring(e)
            """)
        XCTAssertEqual(r, ["table", "INSUFFICIENT_CREDITS", "E: INSUFFICIENT_CREDITS"])
        // Uncaught, the traceback handler renders it through __tostring.
        XCTAssertThrowsError(try lua.run("fail()")) { error in
            XCTAssertEqual((error as? LuaError)?.message, "E: INSUFFICIENT_CREDITS")
            XCTAssertNotNil((error as? LuaError)?.traceback)
        }
    }

    func testLuaCallbackErrorsPropagateThroughSwiftUnchanged() throws {
        let lua = try LuaState()
        // each(fn): Swift calls back into Lua; a Lua error there comes back to Swift as a
        // LuaError, which Swift rethrows: Lua must see the original value again.
        lua.register("each") { s in
            for i in 1...3 {
                s.ensure(3)
                s.pushCopy(of: 1)
                s.push(Int64(i))
                try s.call(nargs: 1, nresults: 0, traceback: false)
            }
            return 0
        }
        let r = try lua.run("""
            local seen = {}
            local marker = setmetatable({}, {__tostring = function() return "marker" end})
            local ok, e = pcall(each, function(i) seen[#seen + 1] = i; if i == 2 then error(marker) end end)
            return ok, e == marker, tostring(e), #seen
            """)
        XCTAssertEqual(r, [false, true, "marker", .integer(2)])
    }

    func testClosureStateIsFreedWhenTheStateCloses() throws {
        final class Tracker {
            let onDeinit: () -> Void
            init(_ f: @escaping () -> Void) { onDeinit = f }
            deinit { onDeinit() }
        }
        var freed = 0
        do {
            let lua = try LuaState()
            let tracker = Tracker { freed += 1 }
            lua.register("f") { s in
                _ = tracker
                return 0
            }
            try lua.run("f(); f()")
            XCTAssertEqual(freed, 0)
        }
        XCTAssertEqual(freed, 1)
    }

    func testClosureIsFreedWhenLuaCollectsTheFunction() throws {
        final class Tracker {
            let onDeinit: () -> Void
            init(_ f: @escaping () -> Void) { onDeinit = f }
            deinit { onDeinit() }
        }
        var freed = 0
        let lua = try LuaState()
        let tracker = Tracker { freed += 1 }
        lua.register("f") { _ in
            _ = tracker
            return 0
        }
        try lua.run("f = nil; collectgarbage(); collectgarbage()")
        XCTAssertEqual(freed, 0, "still referenced from Swift")
        _ = tracker
    }

    func testValueFunctionsAndArgumentErrorsNameTheFunction() throws {
        let lua = try LuaState()
        lua.stack.push(name: "greet") { args in
            let name = try args.string(1)
            return [.string("hi " + name)]
        }
        lua.setGlobalFromTop("greet")
        XCTAssertEqual(try lua.run("return greet('Toon')"), ["hi Toon"])
        XCTAssertThrowsError(try lua.run("greet({})", chunkName: "=g")) { error in
            XCTAssertEqual((error as? LuaError)?.message, "g:1: bad argument #1 to 'greet' (string expected, got table)")
        }
    }

    func testSyntaxErrorsAreReportedAsSuch() throws {
        let lua = try LuaState()
        XCTAssertThrowsError(try lua.run("for i = 1, 3 do", chunkName: "=s")) { error in
            let e = error as! LuaError
            XCTAssertEqual(e.kind, .syntax)
            XCTAssertTrue(e.isIncompleteChunk)
        }
    }
}

import LuaHost
import XCTest

/// Native modules install through one protocol, with `require` and doc strings.
final class LuaModuleTests: XCTestCase {
    struct Greeter: LuaModule {
        let name = "greeter"
        let greeting: String
        func open(_ stack: LuaStack) throws {
            let greeting = self.greeting
            stack.pushLibrary("greeter", functions: [
                LuaLibraryFunction("hello", doc: "greeter.hello(name) -> string") { s in
                    s.push(greeting + ", " + (s.string(at: 1) ?? "?"))
                    return 1
                },
            ])
        }
    }

    func testModuleIsPreloadedRequirableAndGlobal() throws {
        let lua = try LuaState()
        try lua.install(Greeter(greeting: "Hi"))
        XCTAssertEqual(try lua.run("return greeter.hello('a'), require('greeter').hello('b'), require('greeter') == greeter"),
                       ["Hi, a", "Hi, b", true])
    }

    func testModuleWithoutGlobalIsOnlyRequirable() throws {
        let lua = try LuaState()
        try lua.install(Greeter(greeting: "Yo"), global: false)
        XCTAssertEqual(try lua.run("return greeter, require('greeter').hello('c')"), [.nil, "Yo, c"])
    }

    func testDocStringsAttachToFunctions() throws {
        let lua = try LuaState()
        try lua.install(Greeter(greeting: "Hi"))
        let s = lua.stack
        try lua.load("return greeter.hello", chunkName: "=d")
        try s.call(nargs: 0, nresults: 1)
        XCTAssertEqual(s.doc(forValueAt: -1), "greeter.hello(name) -> string")
        s.pop()
    }

    func testStandardLibrariesAndDebianPackagesAreThere() throws {
        let lua = try LuaState()
        let r = try lua.run("""
            local cjson = require "cjson"
            return type(string.format), type(io.open), type(os.time), type(utf8.char),
                   type(coroutine.wrap), type(debug.traceback), cjson.encode({a = 1})
            """)
        XCTAssertEqual(r, ["function", "function", "function", "function", "function", "function", #"{"a":1}"#])
    }

    func testDeepRecursionBehavesLikeStockLua() throws {
        let lua = try LuaState()
        let r = try lua.run("""
            local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
            local ok, e = pcall(function() local function f() return f() + 1 end return f() end)
            return depth(150000), ok, (tostring(e):find("stack overflow") ~= nil)
            """)
        XCTAssertEqual(r, [.integer(150000), false, true])
    }
}

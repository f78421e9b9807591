import LuaHost
import SMSLua
import XCTest

/// `json.encode` / `json.decode`: integers and floats kept apart, null explicit.
final class JSONModuleTests: XCTestCase {
    var lua: LuaState!

    override func setUpWithError() throws {
        lua = try LuaState()
        try lua.install(JSONModule())
    }

    func testNumbersKeepTheirKindBothWays() throws {
        let r = try lua.run("""
            local v = json.decode('{"i": 3, "f": 3.0, "e": 1e2, "big": 9007199254740993, "neg": -0.5}')
            return math.type(v.i), math.type(v.f), math.type(v.e), v.big, json.encode({3, 3.0, -0.0})
            """)
        XCTAssertEqual(r, ["integer", "float", "float", .integer(9007199254740993), "[3,3.0,-0.0]"])
    }

    func testNullIsExplicit() throws {
        let r = try lua.run("""
            local v = json.decode('[1, null, 3]')
            return #v, v[2] == json.null, tostring(json.null), json.encode(v), json.encode({a = json.null})
            """)
        XCTAssertEqual(r, [.integer(3), true, "json.null", "[1,null,3]", #"{"a":null}"#])
    }

    func testEmptyTablesKeepTheirKind() throws {
        let r = try lua.run("""
            return json.encode({}), json.encode(json.array{}), json.encode(json.decode('[]')), json.encode(json.decode('{}'))
            """)
        XCTAssertEqual(r, ["{}", "[]", "[]", "{}"])
    }

    func testEmptyDataArrayRoundTripsAndJSONArrayMarksTables() throws {
        let r = try lua.run("""
            local t = {}
            local same = json.array(t) == t
            local fresh = json.array()
            return json.encode(json.decode('{"data":[]}')), same, json.encode(t), json.encode(fresh), #fresh,
                   getmetatable(fresh) == getmetatable(json.decode('[]')), json.encode({tags = json.array()})
            """)
        XCTAssertEqual(r, [#"{"data":[]}"#, true, "[]", "[]", .integer(0), true, #"{"tags":[]}"#])
    }

    func testJSONArrayHasADocStringInTheHelpRegistry() throws {
        try lua.load("return json.array", chunkName: "=d")
        try lua.stack.call(nargs: 0, nresults: 1)
        let doc = try XCTUnwrap(lua.stack.doc(forValueAt: -1))
        lua.stack.pop()
        XCTAssertTrue(doc.contains("json.array([t]) -> t") && doc.contains("json.array() is a new empty array"), doc)
    }

    func testRoundTripOfNestedDataWithUnicode() throws {
        let r = try lua.run("""
            local text = '{"list":[1,2.5,"x",true,{"k":"v"}],"name":"สวัสดี 👋","nested":{"deep":{"n":1}}}'
            return json.encode(json.decode(text), {sort = true}) == text
            """)
        XCTAssertEqual(r, [true])
    }

    func testPrettyAndSortedOutput() throws {
        XCTAssertEqual(try lua.run("return json.encode({b = 1, a = {1, 2}}, {pretty = true})"),
                       ["{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": 1\n}"])
    }

    func testEncodeErrorsNameThePath() throws {
        let cases: [(String, String)] = [
            ("{f = print}", "value.f is a function"),
            ("{list = {1, 0/0}}", "value.list[2] is"),
            ("(function() local t = {} t.self = t return t end)()", "is a table cycle"),
            ("{1, 2, x = 3}", "mixes array items"),
            ("{'\\255'}", "value[1] is not valid UTF-8"),
        ]
        for (value, expected) in cases {
            let r = try lua.run("local ok, e = pcall(json.encode, \(value)); return ok, e")
            XCTAssertEqual(r[0], false, value)
            XCTAssertTrue(r[1].stringValue?.contains(expected) == true, "\(value): \(r[1])")
        }
    }

    func testDecodeErrorsSayWhere() throws {
        let r = try lua.run("local ok, e = pcall(json.decode, '{\"a\": }'); return ok, e")
        XCTAssertEqual(r[0], false)
        XCTAssertTrue(r[1].stringValue?.hasPrefix("json.decode: invalid JSON at byte 6") == true, "\(r[1])")
    }
}

/// Regression tests for what the `json_lua` fuzz target (scripts/fuzz) found.
final class JSONBridgeFuzzRegressionTests: XCTestCase {
    /// A failed `json(at:)` inside an object's walk (too deep, cycle) left the walk's
    /// key/value pair on the stack.
    func testAFailedObjectConversionLeavesTheStackAsItWas() throws {
        let lua = try LuaState()
        try lua.run("deep = {} local t = deep for i = 1, 150 do t.next = {} t = t.next end")
        try lua.run("cyclic = { a = {} } cyclic.a.back = cyclic")
        let s = lua.stack
        for name in ["deep", "cyclic"] {
            try lua.load("return \(name)", chunkName: "=test")
            try s.call(nargs: 0, nresults: 1)
            let before = s.top
            XCTAssertThrowsError(try s.json(at: -1), name)
            XCTAssertEqual(s.top, before, name)
            s.pop()
        }
    }

    /// `1e400` is not a JSON number smsh can write back: json.decode refuses it instead of
    /// returning infinity (which json.encode would then refuse).
    func testDecodeRefusesNumbersBeyondDoubleRange() throws {
        let lua = try LuaState()
        try lua.install(JSONModule())
        let r = try lua.run("local ok, e = pcall(json.decode, '[1e400]') return ok, tostring(e):find('out of range', 1, true) ~= nil")
        XCTAssertEqual(r, [.boolean(false), .boolean(true)])
    }
}

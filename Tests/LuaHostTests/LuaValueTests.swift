import LuaHost
import XCTest

/// Values cross the boundary unchanged, both ways.
final class LuaValueTests: XCTestCase {
    var lua: LuaState!

    override func setUpWithError() throws { lua = try LuaState() }
    override func tearDown() { lua = nil }

    /// Pushes a Swift value, lets Lua hand it back through an identity function.
    func roundTrip(_ v: LuaValue) throws -> LuaValue {
        try lua.run("function identity(...) return ... end")
        return try lua.call(global: "identity", [v]).first ?? .nil
    }

    func testScalarsRoundTripWithIntegerAndFloatKeptApart() throws {
        let values: [LuaValue] = [
            .nil, .boolean(true), .boolean(false), .integer(3), .number(3.0), .integer(0),
            .integer(Int64.max), .integer(Int64.min), .number(-0.0), .number(.infinity),
            .number(1e-300), .string("สวัสดี"),
        ]
        for v in values {
            XCTAssertEqual(try roundTrip(v), v, "\(v)")
        }
    }

    func testNegativeZeroKeepsItsSign() throws {
        guard case .number(let d) = try roundTrip(.number(-0.0)) else { return XCTFail("not a float") }
        XCTAssertEqual(d.sign, .minus)
    }

    func testNaNStaysNaN() throws {
        guard case .number(let d) = try roundTrip(.number(.nan)) else { return XCTFail("not a float") }
        XCTAssertTrue(d.isNaN)
    }

    func testLuaNumbersArriveWithTheirSubtype() throws {
        let r = try lua.run("return 3, 3.0, math.maxinteger, math.mininteger, -0.0, 0/0, 2^53")
        XCTAssertEqual(r[0], .integer(3))
        XCTAssertEqual(r[1], .number(3.0))
        XCTAssertEqual(r[2], .integer(Int64.max))
        XCTAssertEqual(r[3], .integer(Int64.min))
        if case .number(let z) = r[4] { XCTAssertEqual(z.sign, .minus) } else { XCTFail("-0.0") }
        if case .number(let n) = r[5] { XCTAssertTrue(n.isNaN) } else { XCTFail("nan") }
        XCTAssertEqual(r[6], .number(9007199254740992.0))
    }

    func testStringsAreByteExact() throws {
        let bytes: [UInt8] = [0x61, 0x00, 0x62, 0xFF, 0xFE, 0x00]
        XCTAssertEqual(try roundTrip(.string(bytes)), .string(bytes))
        let r = try lua.run(#"return "a\0b\255", #"a\0b\255""#)
        XCTAssertEqual(r[0], .string([0x61, 0x00, 0x62, 0xFF]))
        XCTAssertEqual(r[1], .integer(4))
    }

    func testArraysMapsAndNestedTables() throws {
        let v: LuaValue = [
            "name": "Toon", "list": [1, 2.5, "three", [true]],
            "nested": ["deeper": ["deepest": 42]],
        ]
        XCTAssertEqual(try roundTrip(v), v)
        // Lua sees the structure as it should.
        lua.setGlobal("v", v)
        XCTAssertEqual(try lua.run("return #v.list, v.list[3], v.nested.deeper.deepest, math.type(v.list[2])"),
                       [.integer(4), "three", .integer(42), "float"])
    }

    func testTablesWithHolesAndMixedKeys() throws {
        let r = try lua.run("return {1, 2, nil, 4, x = 'y', [true] = 1, [2.5] = 'f', [-1] = 'neg'}")
        guard case .table(let t) = r[0] else { return XCTFail() }
        XCTAssertEqual(t.array, [1, 2])
        XCTAssertEqual(t.hash[.integer(4)], 4)
        XCTAssertEqual(t["x"], "y")
        XCTAssertEqual(t.hash[.boolean(true)], 1)
        XCTAssertEqual(t.hash[.number(2.5)], "f")
        XCTAssertEqual(t.hash[.integer(-1)], "neg")
    }

    func testCyclesAreReportedNotFollowed() throws {
        try lua.run("t = {a = {}}; t.a.back = t")
        XCTAssertThrowsError(try lua.global("t")) { error in
            XCTAssertEqual(error as? LuaValueError, .cycle(path: "value.a.back"))
        }
    }

    func testSharedButAcyclicTablesAreFine() throws {
        try lua.run("local s = {1}; t = {a = s, b = s}")
        XCTAssertEqual(try lua.global("t"), ["a": [1], "b": [1]])
    }

    func testDepthBeyondTheLimitIsReported() throws {
        try lua.run("t = {}; local c = t; for i = 1, 1000 do c.x = {}; c = c.x end")
        XCTAssertThrowsError(try lua.global("t")) { error in
            guard case .tooDeep(_, let limit) = error as? LuaValueError else { return XCTFail("\(error)") }
            XCTAssertEqual(limit, 100)
        }
    }

    func testFunctionsAndUserdataAreOpaque() throws {
        XCTAssertEqual(try lua.run("return print, io.stdout, coroutine.create(print)"),
                       [.opaque("function"), .opaque("userdata"), .opaque("thread")])
    }
}

import Foundation
import LuaHost
import SMSLua
import XCTest

/// The REPL's result display.
final class ValuePrinterTests: XCTestCase {
    func render(_ code: String, printer: ValuePrinter = ValuePrinter()) throws -> String {
        let lua = try LuaState()
        try lua.load("return " + code, chunkName: "=t")
        try lua.stack.call(nargs: 0, nresults: 1)
        defer { lua.stack.pop() }
        return printer.render(lua.stack, at: -1)
    }

    func testScalars() throws {
        XCTAssertEqual(try render("3"), "3")
        XCTAssertEqual(try render("3.0"), "3.0")
        XCTAssertEqual(try render("-0.0"), "-0.0")
        XCTAssertEqual(try render("nil"), "nil")
        XCTAssertEqual(try render("true"), "true")
        XCTAssertEqual(try render("'สวัสดี'"), "\"สวัสดี\"")
    }

    func testBinaryStringsAreEscaped() throws {
        XCTAssertEqual(try render(#""a\0b\255\n\"""#), #""a\x00b\xff\n\"""#)
    }

    func testKeysAreSortedAndShortTablesStayOnOneLine() throws {
        XCTAssertEqual(try render("{b = 2, a = 1, [10] = 'x', 'first'}"), #"{ "first", a = 1, b = 2, [10] = "x" }"#)
    }

    func testNestingIsIndentedWhenLong() throws {
        let out = try render("{ message = { uuid = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', drSummary = { success = 10, failed = 2, pending = 0 } }, ok = true }")
        XCTAssertEqual(out, """
            {
              message = {
                drSummary = { failed = 2, pending = 0, success = 10 },
                uuid = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
              },
              ok = true
            }
            """)
    }

    func testHugeArraysAreCut() throws {
        let out = try render("(function() local t = {} for i = 1, 1000 do t[i] = i end return t end)()")
        XCTAssertTrue(out.contains("… 950 more"), out)
        XCTAssertTrue(out.hasPrefix("{\n  1, 2, 3,"), out)
        XCTAssertFalse(out.contains(" 51,"), out)
    }

    func testCyclesAreMarked() throws {
        let out = try render("(function() local t = {name = 'loop'} t.self = t return t end)()")
        XCTAssertEqual(out, #"{ name = "loop", self = <cycle> }"#)
    }

    func testDepthIsLimited() throws {
        let out = try render("{a={b={c={d={e={}}}}}}", printer: ValuePrinter(maxDepth: 3))
        XCTAssertEqual(out, "{ a = { b = { c = {…} } } }")
    }

    func testErrorValuesPrintReadably() throws {
        let out = try render("setmetatable({code = 'X'}, {__tostring = function() return 'INSUFFICIENT_CREDITS (402): Insufficient credits' end})")
        XCTAssertEqual(out, "INSUFFICIENT_CREDITS (402): Insufficient credits")
    }

    func testColourOnlyWhenAsked() throws {
        XCTAssertEqual(try render("{1}"), "{ 1 }")
        XCTAssertEqual(try render("{1}", printer: ValuePrinter(color: true)), "{ \u{1B}[36m1\u{1B}[0m }")
    }

    /// Issue 22: an array of long tables (every `sms.recipients(u).data`) has no stray
    /// separator lines: no line is a lone ",", no line is empty.
    func testAnArrayOfLongTablesHasNoStraySeparators() throws {
        XCTAssertEqual(try render(#"{{a = string.rep("y", 75)}}"#), """
            {
              {
                a = "\(String(repeating: "y", count: 75))"
              }
            }
            """)
        let out = try render(#"{1, {a = string.rep("y", 75)}, {b = string.rep("z", 75)}, 2, 3}"#)
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertFalse(lines.contains { $0.trimmingCharacters(in: .whitespaces).isEmpty || $0.trimmingCharacters(in: .whitespaces) == "," }, out)
        XCTAssertEqual(lines[1], "  1,", out)
        XCTAssertTrue(out.contains("  },\n  {\n"), out)
        XCTAssertTrue(out.hasSuffix("  },\n  2, 3\n}"), out)
    }
}

import LuaHost
import SMSClient
import SMSLua
import XCTest

/// JSON decoded straight into Lua gives the same Lua values as going through `JSONValue`.
final class LuaJSONReaderTests: XCTestCase {
    let documents = [
        #"{"a":1,"b":2.5,"c":"x","d":true,"e":false,"f":null,"g":[1,null,"y"],"h":{"i":{"j":[]}}}"#,
        #"[9223372036854775807,-9223372036854775808,1e3,-0.0,3.0,12345678901234567890]"#,
        #"{"esc":"q\"b\\s\/n\n\t\u00e9\ud83d\ude00","thai":"สวัสดี","empty":""}"#,
        #"[[],{},[[]],{"":0}]"#,
        #""just a string""#,
        "42",
        "null",
        "{\"bad\":\"\u{FF}\"}".replacingOccurrences(of: "\u{FF}", with: "ÿ"),
    ]

    func testSameValuesBothWays() throws {
        let lua = try LuaState()
        let stack = lua.stack
        for nulls in [JSONNullStyle.absent, .sentinel] {
            for markKinds in [false, true] {
                for doc in documents {
                    let bytes = Array(doc.utf8)
                    stack.push(json: try JSONValue.parse(bytes), nulls: nulls, markKinds: markKinds)
                    let viaValue = try stack.json(at: -1)
                    stack.pop()
                    try bytes.withUnsafeBufferPointer { try stack.push(jsonBytes: $0, nulls: nulls, markKinds: markKinds) }
                    let direct = try stack.json(at: -1)
                    stack.pop()
                    XCTAssertEqual(direct, viaValue, "\(doc) nulls=\(nulls) marks=\(markKinds)")
                    XCTAssertEqual(stack.top, 0)
                }
            }
        }
    }

    func testInvalidUTF8IsRepairedLikeStringDecoding() throws {
        let lua = try LuaState()
        let bytes: [UInt8] = Array(#"{"s":""#.utf8) + [0x61, 0xFF, 0x62] + Array(#""}"#.utf8)
        try bytes.withUnsafeBufferPointer { try lua.stack.push(jsonBytes: $0, nulls: .absent) }
        lua.setGlobalFromTop("doc")
        XCTAssertEqual(try lua.run("return doc.s"), [.string("a\u{FFFD}b")])
    }

    /// API results (no kinds marked) still keep an empty array an array: it encodes as `[]`,
    /// while non-empty arrays and objects stay plain tables (no metatable per page element).
    func testEmptyArraysAreMarkedEvenWithoutMarkKinds() throws {
        let lua = try LuaState()
        try lua.install(JSONModule())
        let bytes = Array(#"{"data":[],"list":[{"a":[]}],"obj":{}}"#.utf8)
        try bytes.withUnsafeBufferPointer { try lua.stack.push(jsonBytes: $0, nulls: .absent) }
        lua.setGlobalFromTop("direct")
        lua.stack.push(json: try JSONValue.parse(bytes), nulls: .absent)
        lua.setGlobalFromTop("viaValue")
        for name in ["direct", "viaValue"] {
            let r = try lua.run("""
                return json.encode(\(name).data), json.encode(\(name).list[1].a), getmetatable(\(name).list) == nil,
                       getmetatable(\(name)) == nil, json.encode(\(name).obj)
                """)
            XCTAssertEqual(r, ["[]", "[]", true, true, "{}"], name)
        }
    }

    func testErrorsLeaveTheStackAsItWas() throws {
        let lua = try LuaState()
        for bad in [#"{"a":[1,2"#, #"[1,]"#, #"{"a" 1}"#, "", #"{"a":1}x"#, String(repeating: "[", count: 600)] {
            let bytes = Array(bad.utf8)
            XCTAssertThrowsError(try bytes.withUnsafeBufferPointer { try lua.stack.push(jsonBytes: $0, nulls: .absent) }, bad)
            XCTAssertEqual(lua.stack.top, 0, bad)
        }
    }

    /// Repeated short strings come from the sink's cache: strings that share a cache slot
    /// (same length, first and last byte), keys and values, strings just over the cache's
    /// 32-byte limit and the empty string all keep their own bytes.
    func testRepeatedStringsKeepTheirOwnBytes() throws {
        var words: [String] = []
        for round in 0..<3 {
            for m in "abcdefghij" { words.append("a\(m)z") }  // one cache slot, ten strings
            words += ["status", "statut", "", String(repeating: "x", count: 32), String(repeating: "x", count: 33),
                      "x" + String(repeating: "y", count: 30) + "x", "é\(round)é"]
        }
        let rows = words.enumerated().map { #"{"k\#($0.offset % 4)":"\#($0.element)","\#($0.element)":\#($0.offset)}"# }
        let doc = "[" + rows.joined(separator: ",") + "]"
        let lua = try LuaState()
        let stack = lua.stack
        try Array(doc.utf8).withUnsafeBufferPointer { try stack.push(jsonBytes: $0, nulls: .absent) }
        XCTAssertEqual(stack.top, 1, "the cache's table is gone")
        let direct = try stack.json(at: -1)
        XCTAssertEqual(direct, try JSONValue.parse(Array(doc.utf8)))
        guard case .array(let items) = direct else { return XCTFail("not an array") }
        for (i, item) in items.enumerated() {
            XCTAssertEqual(item, .object(["k\(i % 4)": .string(words[i]), words[i]: .int(Int64(i))]))
        }
    }
}

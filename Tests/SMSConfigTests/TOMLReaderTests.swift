import XCTest

@testable import SMSConfig

/// The config file's TOML reader: every supported feature, and refusals with line numbers.
final class TOMLReaderTests: XCTestCase {
    func parse(_ text: String) throws -> TOMLTable { try TOMLReader.parse(text) }

    func parseError(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> TOMLError? {
        do {
            _ = try TOMLReader.parse(text)
            XCTFail("expected an error", file: file, line: line)
            return nil
        } catch let e as TOMLError {
            return e
        } catch {
            XCTFail("unexpected \(error)", file: file, line: line)
            return nil
        }
    }

    func testCommentsBlankLinesAndBareKeys() throws {
        let t = try parse("""
            # a comment

            name = "smsh"   # trailing comment
            bare_key-2 = 1
            """)
        XCTAssertEqual(t["name"], .string("smsh"))
        XCTAssertEqual(t["bare_key-2"], .integer(1))
        XCTAssertEqual(t.line(of: "bare_key-2"), 4)
        XCTAssertEqual(t.keys, ["name", "bare_key-2"])
    }

    func testQuotedKeys() throws {
        let t = try parse("""
            "key with spaces" = 1
            'literal key' = 2
            "ʎǝʞ" = 3
            """)
        XCTAssertEqual(t["key with spaces"], .integer(1))
        XCTAssertEqual(t["literal key"], .integer(2))
        XCTAssertEqual(t["ʎǝʞ"], .integer(3))
    }

    func testDottedKeysMakeNestedTables() throws {
        let t = try parse("""
            site.name = "x"
            site . "port" = 80
            """)
        let site = try XCTUnwrap(t["site"]?.tableValue)
        XCTAssertEqual(site["name"], .string("x"))
        XCTAssertEqual(site["port"], .integer(80))
    }

    func testTableHeadersAndNestedHeaders() throws {
        let t = try parse("""
            top = 1
            [profiles.prod]
            sender = "A"
            [profiles.staging]
            sender = "B"
            [ a . "b" ]
            c = true
            """)
        XCTAssertEqual(t["top"], .integer(1))
        let profiles = try XCTUnwrap(t["profiles"]?.tableValue)
        XCTAssertEqual(profiles["prod"]?.tableValue?["sender"], .string("A"))
        XCTAssertEqual(profiles["staging"]?.tableValue?["sender"], .string("B"))
        XCTAssertEqual(profiles.line(of: "staging"), 4)
        XCTAssertEqual(t["a"]?.tableValue?["b"]?.tableValue?["c"], .boolean(true))
    }

    func testSuperTableMayFollowItsSubTable() throws {
        let t = try parse("[a.b]\nx = 1\n[a]\ny = 2\n")
        XCTAssertEqual(t["a"]?.tableValue?["y"], .integer(2))
        XCTAssertEqual(t["a"]?.tableValue?["b"]?.tableValue?["x"], .integer(1))
    }

    func testBasicStringEscapes() throws {
        let t = try parse(#"s = "tab\there \"q\" back\\slash \n \u00e9 \U0001F600 \b\f\r""#)
        XCTAssertEqual(t["s"], .string("tab\there \"q\" back\\slash \n é 😀 \u{08}\u{0C}\r"))
    }

    func testLiteralStringsKeepBackslashes() throws {
        let t = try parse(#"path = 'C:\Users\smsh\n'"#)
        XCTAssertEqual(t["path"], .string(#"C:\Users\smsh\n"#))
    }

    func testIntegers() throws {
        let t = try parse("""
            a = 42
            b = +17
            c = -5_000
            d = 1_000_000
            e = 0
            f = 0xDEAD_beef
            g = 0o755
            h = 0b1101
            i = 9223372036854775807
            """)
        XCTAssertEqual(t["a"], .integer(42))
        XCTAssertEqual(t["b"], .integer(17))
        XCTAssertEqual(t["c"], .integer(-5000))
        XCTAssertEqual(t["d"], .integer(1_000_000))
        XCTAssertEqual(t["e"], .integer(0))
        XCTAssertEqual(t["f"], .integer(0xDEADBEEF))
        XCTAssertEqual(t["g"], .integer(0o755))
        XCTAssertEqual(t["h"], .integer(13))
        XCTAssertEqual(t["i"], .integer(Int64.max))
    }

    func testFloatsStayFloats() throws {
        let t = try parse("""
            a = 5000.0
            b = -0.5
            c = 1e3
            d = 6.626e-34
            e = 1_000.5
            f = inf
            g = -inf
            h = nan
            """)
        XCTAssertEqual(t["a"], .float(5000))
        XCTAssertEqual(t["b"], .float(-0.5))
        XCTAssertEqual(t["c"], .float(1000))
        XCTAssertEqual(t["d"], .float(6.626e-34))
        XCTAssertEqual(t["e"], .float(1000.5))
        XCTAssertEqual(t["f"], .float(.infinity))
        XCTAssertEqual(t["g"], .float(-.infinity))
        guard case .float(let n)? = t["h"] else { return XCTFail("nan is a float") }
        XCTAssertTrue(n.isNaN)
    }

    func testBooleans() throws {
        let t = try parse("yes = true\nno = false\n")
        XCTAssertEqual(t["yes"], .boolean(true))
        XCTAssertEqual(t["no"], .boolean(false))
    }

    func testArraysAcrossLinesWithCommentsAndTrailingComma() throws {
        let t = try parse("""
            empty = []
            nums = [1, 2, 3]
            mixed = [
              "a",   # first
              1.5,
              [true, false],
            ]
            after = 1
            """)
        XCTAssertEqual(t["empty"], .array([]))
        XCTAssertEqual(t["nums"], .array([.integer(1), .integer(2), .integer(3)]))
        XCTAssertEqual(t["mixed"], .array([.string("a"), .float(1.5), .array([.boolean(true), .boolean(false)])]))
        XCTAssertEqual(t.line(of: "after"), 8)
    }

    func testInlineTables() throws {
        let t = try parse(#"point = { x = 1, y = 2, label.text = "p" }"# + "\nempty = {}\n")
        let point = try XCTUnwrap(t["point"]?.tableValue)
        XCTAssertEqual(point["x"], .integer(1))
        XCTAssertEqual(point["y"], .integer(2))
        XCTAssertEqual(point["label"]?.tableValue?["text"], .string("p"))
        XCTAssertEqual(t["empty"], .table(TOMLTable()))
    }

    func testCRLFLineEndings() throws {
        let t = try parse("a = 1\r\n[b]\r\nc = 'x'\r\n")
        XCTAssertEqual(t["b"]?.tableValue?["c"], .string("x"))
        XCTAssertEqual(t["b"]?.tableValue?.line(of: "c"), 3)
    }

    // MARK: errors name the line

    func testDuplicateKeyIsAnErrorWithBothLines() {
        let e = parseError("a = 1\nb = 2\na = 3\n")
        XCTAssertEqual(e?.line, 3)
        XCTAssertEqual(e?.description, "config.toml:3: duplicate key 'a' (first set on line 1)")
    }

    func testTableDefinedTwiceIsAnError() {
        let e = parseError("[p]\nx = 1\n\n[p]\ny = 2\n")
        XCTAssertEqual(e?.line, 4)
        XCTAssertTrue(e?.message.contains("defined twice") ?? false)
    }

    func testDottedKeyTableCannotBeReopenedByHeader() {
        let e = parseError("a.b = 1\n[a]\n")
        XCTAssertEqual(e?.line, 2)
    }

    func testKeyOverwritingATableIsAnError() {
        let e = parseError("a.b = 1\na = 2\n")
        XCTAssertEqual(e?.line, 2)
        XCTAssertTrue(e?.message.contains("duplicate key 'a'") ?? false)
    }

    func testInlineTableCannotBeExtended() {
        XCTAssertEqual(parseError("t = {x = 1}\n[t]\ny = 2\n")?.line, 2)
        XCTAssertEqual(parseError("t = {x = 1}\nt.y = 2\n")?.line, 2)
    }

    func testMultiLineStringsAreRefused() {
        let e = parseError("a = 1\ns = \"\"\"\nhi\n\"\"\"\n")
        XCTAssertEqual(e?.line, 2)
        XCTAssertTrue(e?.message.contains("multi-line strings") ?? false)
        XCTAssertEqual(parseError("s = '''x'''")?.line, 1)
    }

    func testDatesAreRefused() {
        let e = parseError("a = 1\nwhen = 1979-05-27T07:32:00Z\n")
        XCTAssertEqual(e?.line, 2)
        XCTAssertTrue(e?.message.contains("dates and times are not supported") ?? false)
        XCTAssertNotNil(parseError("t = 07:32:00"))
        XCTAssertNotNil(parseError("d = 1979-05-27"))
    }

    func testArraysOfTablesAreRefused() {
        let e = parseError("a = 1\n[[items]]\n")
        XCTAssertEqual(e?.line, 2)
        XCTAssertTrue(e?.message.contains("[[") ?? false)
    }

    func testBadNumbers() {
        XCTAssertEqual(parseError("a = 1__0")?.message, "'a': invalid number")
        XCTAssertNotNil(parseError("a = _1"))
        XCTAssertNotNil(parseError("a = 1_"))
        XCTAssertNotNil(parseError("a = 012"))
        XCTAssertNotNil(parseError("a = 1."))
        XCTAssertNotNil(parseError("a = .5"))
        XCTAssertNotNil(parseError("a = 1e"))
        XCTAssertNotNil(parseError("a = 0x"))
        XCTAssertEqual(parseError("a = 99999999999999999999")?.message, "'a': integer out of range (64-bit)")
    }

    func testUnquotedStringSaysStringsNeedQuotesWithoutEchoingTheValue() {
        XCTAssertEqual(parseError("sender = MYSHOP")?.message, "'sender': invalid value (strings need quotes: sender = \"...\")")
        // An unquoted key must not be printed back.
        let e = parseError("[profiles.p]\napi_key = sk_live_abc123\n")
        XCTAssertEqual(e?.line, 2)
        XCTAssertFalse(e?.description.contains("sk_live_abc123") ?? true)
        XCTAssertFalse(parseError("t = { k = 12sk_live_9 }")?.description.contains("12sk_live_9") ?? true)
        XCTAssertFalse(parseError("d = 2026-11-29")?.description.contains("2026") ?? true)
    }

    func testBadEscapesAndUnterminatedStrings() {
        XCTAssertTrue(parseError(#"a = "\x""#)?.message.contains("invalid escape") ?? false)
        XCTAssertTrue(parseError(#"a = "\u12""#)?.message.contains("4 hexadecimal digits") ?? false)
        XCTAssertTrue(parseError(#"a = "\uD800""#)?.message.contains("not a Unicode scalar") ?? false)
        let e = parseError("a = 1\nb = \"open\nc = 2\n")
        XCTAssertEqual(e?.line, 2)
        XCTAssertTrue(e?.message.contains("unterminated string") ?? false)
        XCTAssertNotNil(parseError("a = 'open"))
    }

    func testSyntaxErrors() {
        XCTAssertEqual(parseError("a = 1\nb\n")?.line, 2)  // no '='
        XCTAssertEqual(parseError("a =\n")?.message, "expected a value after '='")
        XCTAssertNotNil(parseError("a = 1 b = 2"))  // two pairs on one line
        XCTAssertNotNil(parseError("[a\nx = 1"))  // unclosed header
        XCTAssertEqual(parseError("a = [1, 2\nb = 3")?.line, 2)
        XCTAssertTrue(parseError("t = {x = 1,}")?.message.contains("trailing comma") ?? false)
        XCTAssertTrue(parseError("t = {x = 1\n}")?.message.contains("same line") ?? false)
        XCTAssertNotNil(parseError("= 1"))
    }

    func testErrorNamesTheFileGiven() {
        XCTAssertThrowsError(try TOMLReader.parse("a = ?", fileName: "~/.config/smsh/config.toml")) { e in
            XCTAssertTrue("\(e)".hasPrefix("~/.config/smsh/config.toml:1: "))
        }
    }
}

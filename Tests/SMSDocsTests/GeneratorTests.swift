import SMSDocs
import XCTest

/// The generators on a small registry of their own: what `help()`, `smsh docs --luals` and
/// `smsh lint` get from a FunctionDoc, without a Lua state (the registry against the live
/// modules is SMSLuaTests' LuaLSDefinitionsTests).
final class GeneratorTests: XCTestCase {
    static let request = DocClass("demo.Request", "The fields of demo.send{...}.", fields: [
        DocField("to", "string", "the number"),
        DocField("count", "integer?", "how many (default 1)"),
    ])
    static let result = DocClass("demo.Result", "What demo.send returns.", open: true, fields: [DocField("id", "string", "")])
    static let send = FunctionDoc("demo.send", params: [DocParam("request", table: request)],
                                  returns: [DocReturn("result", table: result)], "Sends one.\nExample: demo.send{to=\"1\"}")
    static let wait = FunctionDoc("demo.wait", params: [DocParam("id", "string"), DocParam("timeout", "number", optional: true, "seconds")],
                                  "Waits.")
    static let module = ModuleDoc("demo", doc: "demo — a test module.", functions: [send, wait],
                                  values: [DocField("null", "table", "a sentinel")])
    static let helpers = ModuleDoc(nil, doc: "spec helpers", functions: [FunctionDoc("fixture", params: [DocParam("name", "string")], "Uses a cassette.")])

    func testSignatureShowsATableArgumentAsItsFieldsAndOptionalArgumentsInBrackets() {
        XCTAssertEqual(Self.send.signature, "demo.send{to=, count=} -> result")
        XCTAssertEqual(Self.wait.signature, "demo.wait(id, [timeout])")
        XCTAssertEqual(Self.send.shortName, "send")
    }

    func testHelpTextListsTheFieldsWithTheirTypesThenTheProse() {
        let lines = Self.send.helpText.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "demo.send{to=, count=} -> result")
        XCTAssertTrue(lines.contains { $0.hasPrefix("  to ") && $0.contains(" string ") && $0.hasSuffix("the number") }, "\(lines)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("  count ") && $0.contains("integer?") }, "\(lines)")
        XCTAssertEqual(Array(lines.suffix(2)), ["  Sends one.", "  Example: demo.send{to=\"1\"}"])
    }

    func testLuaLSFilesDeclareEveryClassParameterAndValue() throws {
        let files = Dictionary(uniqueKeysWithValues: LuaLSDefinitions.files(modules: [Self.module], specHelpers: Self.helpers).map { ($0.name, $0.text) })
        XCTAssertEqual(Set(files.keys), ["demo.lua", "smsh_test.lua"])
        let demo = try XCTUnwrap(files["demo.lua"])
        XCTAssertTrue(demo.hasPrefix("---@meta demo\n"), demo)
        // A request table's fields are optional as far as the type goes; `integer?` loses its `?`.
        XCTAssertTrue(demo.contains("---@class demo.Request\n---@field to? string the number\n---@field count? integer how many (default 1)\n"), demo)
        XCTAssertTrue(demo.contains("---@class demo.Result\n---@field id string\n---@field [string] any\n"), demo)
        XCTAssertTrue(demo.contains("---@param timeout? number seconds\nfunction demo.wait(id, timeout) end"), demo)
        XCTAssertTrue(demo.contains("---@type table\ndemo.null = nil"), demo)
        XCTAssertTrue(demo.hasSuffix("return demo\n"), demo)
        XCTAssertTrue(try XCTUnwrap(files["smsh_test.lua"]).contains("function fixture(name) end"))
    }

    func testLuacheckStandardAllowsExactlyTheDocumentedFieldsAndQuotesSpecPaths() {
        let config = LuacheckStandard.config(specPatterns: ["/tmp/a \"b\"\\c/**/*_spec.lua"], modules: [Self.module], specHelpers: Self.helpers)
        XCTAssertTrue(config.contains("    demo = { fields = { null = {}, send = {}, wait = {}, } },"), config)
        XCTAssertTrue(config.contains("stds.smsh_test = {\n  read_globals = {\n    fixture = {},\n"), config)
        XCTAssertTrue(config.contains(#"files["/tmp/a \"b\"\\c/**/*_spec.lua"] = { std = "+busted+smsh_test" }"#), config)
        XCTAssertTrue(config.contains("std = \"lua54+smsh\""), config)
    }

    func testTheRegistryListsTheModulesHelpShowsInOrder() {
        XCTAssertEqual(DocRegistry.modules.map(\.name), ["sms", "json", "log", nil])
        XCTAssertNotNil(DocRegistry.module("sms")?.function("send"))
        XCTAssertEqual(DocRegistry.specHelpers.functions.map(\.name), ["fixture", "run_script"])
    }
}

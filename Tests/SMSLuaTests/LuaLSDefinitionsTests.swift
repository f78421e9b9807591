import LuaHost
import SMSClient
import SMSDocs
@testable import SMSLua
import XCTest

/// The doc registry against what is really registered: the LuaLS definitions and the luacheck
/// standard name every function of the live `sms`, `json`, `log` tables, `help()` shows the
/// registry's text, and every request class lists exactly the fields its parser accepts.
final class LuaLSDefinitionsTests: XCTestCase {
    final class Printed: @unchecked Sendable { var text: [String] = [] }
    let printed = Printed()
    var lua: LuaState!

    override func setUpWithError() throws {
        lua = try LuaState()
        let environment = SMSEnvironment(clock: VirtualClock(start: 0)) {
            throw SMSError(status: nil, code: "NO_API_KEY", message: "no client in this test", retryable: false)
        }
        try lua.install(SMSModule(environment: environment))
        try lua.install(JSONModule())
        try lua.install(LogModule(format: .text, clock: VirtualClock(start: 0)) { _ in })
        let printed = self.printed
        HelpFunction.install(in: lua) { printed.text.append($0) }
    }

    var definitions: [String: String] { Dictionary(uniqueKeysWithValues: LuaLSDefinitions.files().map { ($0.name, $0.text) }) }

    /// `module.key=type` for every key of the live module tables (walked in Lua, raw).
    func liveMembers() throws -> [(module: String, key: String, type: String)] {
        let listing = try lua.run("""
            local out = {}
            for _, m in ipairs{"sms", "json", "log"} do
              for k, v in next, _G[m] do out[#out + 1] = m .. "." .. k .. "=" .. type(v) end
            end
            table.sort(out)
            return table.concat(out, "\\n")
            """).first?.stringValue ?? ""
        return listing.split(separator: "\n").map { line in
            let (name, type) = (line.split(separator: "=")[0], line.split(separator: "=")[1])
            let parts = name.split(separator: ".", maxSplits: 1)
            return (String(parts[0]), String(parts[1]), String(type))
        }
    }

    func testDefinitionsAndLuacheckStandardNameEveryFunctionOfTheLiveModules() throws {
        let members = try liveMembers()
        XCTAssertGreaterThan(members.count, 25)
        let defs = definitions
        let luacheck = LuacheckStandard.config(specPatterns: [])
        for m in members {
            let file = try XCTUnwrap(defs["\(m.module).lua"], m.module)
            let doc = try XCTUnwrap(DocRegistry.module(m.module), m.module)
            if m.type == "function" {
                XCTAssertNotNil(doc.function(m.key), "\(m.module).\(m.key) is registered but has no FunctionDoc in the registry")
                XCTAssertTrue(file.contains("\nfunction \(m.module).\(m.key)("), "\(m.module).\(m.key) missing from \(m.module).lua")
            } else {
                XCTAssertTrue(doc.values.contains { $0.name == m.key }, "\(m.module).\(m.key) (\(m.type)) is not documented")
                XCTAssertTrue(file.contains("\n\(m.module).\(m.key) = nil"), "\(m.module).\(m.key) missing from \(m.module).lua")
            }
            XCTAssertTrue(luacheck.contains(" \(m.key) = {},"), "\(m.module).\(m.key) missing from the luacheck standard")
        }
        // Nothing documented that does not exist.
        for module in DocRegistry.modules where module.name != nil {
            for f in module.functions {
                XCTAssertTrue(members.contains { $0.module == module.name && $0.key == f.shortName && $0.type == "function" }, "\(f.name) is documented but not registered")
            }
        }
        XCTAssertTrue(defs["smsh.lua"]!.contains("\nfunction help(topic) end"))
        XCTAssertTrue(defs["smsh_test.lua"]!.contains("\nfunction fixture(name) end"))
        XCTAssertTrue(defs["smsh_test.lua"]!.contains("\nfunction run_script(path, options) end"))
        XCTAssertTrue(luacheck.contains("    fixture = {},") && luacheck.contains("    run_script = {},") && luacheck.contains("    help = {},"))
    }

    /// `help(f)` is the registry entry's text: one source for both.
    func testHelpShowsTheRegistrysTextForEveryFunction() throws {
        for module in DocRegistry.modules {
            for f in module.functions {
                printed.text = []
                _ = try lua.run("help(\"\(f.name)\")")
                XCTAssertEqual(printed.text, [f.helpText], f.name)
            }
        }
        printed.text = []
        _ = try lua.run("help(sms.send)")
        let text = try XCTUnwrap(printed.text.first)
        XCTAssertTrue(text.hasPrefix("sms.send{sender=, content=,"), text)
        XCTAssertTrue(text.contains("msisdns         (string|integer)[]|sms.NumberList"), text)
        XCTAssertTrue(text.contains("Example: local r = sms.send{"), text)
        XCTAssertTrue(definitions["sms.lua"]!.contains("---@field msisdns? (string|integer)[]|sms.NumberList list of Thai mobile numbers"))
    }

    /// Each request class lists exactly the fields its parser accepts (LuaTableFields'
    /// known-field lists), in the registry and in the generated `---@field` lines.
    func testFieldsOfEveryRequestTableAreTheFieldsItsParserAccepts() throws {
        let sms = try XCTUnwrap(DocRegistry.module("sms"))
        let requestClasses = sms.functions.flatMap { $0.params.compactMap(\.table) } + [SMSDocs.sendWindow]
        XCTAssertGreaterThanOrEqual(Set(requestClasses.map(\.name)).count, DocRegistry.parsedFields.count)
        let file = definitions["sms.lua"]!
        for c in requestClasses {
            let parsed = try XCTUnwrap(DocRegistry.parsedFields[c.name], "\(c.name): no parser field list to compare with")
            XCTAssertEqual(c.fieldNames, parsed, c.name)
            XCTAssertEqual(Set(Self.fieldLines(of: c.name, in: file)), parsed, "---@field lines of \(c.name)")
        }
        XCTAssertEqual(Set(Self.fieldLines(of: "json.EncodeOptions", in: definitions["json.lua"]!)), ["pretty", "sort"])
    }

    /// The REPL completes a call's fields from the same registry.
    func testCompleterFieldsComeFromTheRegistry() {
        XCTAssertEqual(Completer.builtinCallFields["sms.send"], SMSModule.sendFields.sorted())
        XCTAssertEqual(Completer.builtinCallFields["sms.campaign"], Campaign.fields.sorted())
        XCTAssertEqual(Completer.builtinCallFields["sms.retry"], RecipientRetry.fields.sorted())
    }

    /// lua-language-server is not packaged for Debian: the annotations are checked by Lua
    /// patterns of their syntax, every file loads as a Lua chunk, and every class a type
    /// names is defined.
    func testAnnotationsAreWellFormedLuaLS() throws {
        let checker = try LuaState()
        let defs = definitions
        XCTAssertEqual(Set(defs.keys), ["sms.lua", "json.lua", "log.lua", "smsh.lua", "smsh_test.lua"])
        for (name, text) in defs.sorted(by: { $0.key < $1.key }) {
            checker.setGlobal("text", .string(text))
            let problems = try checker.run("""
                local type_ = "[%w_.<>|%[%]%(%)?,: ]+"
                local forms = {
                  "^%-%-%-@meta [%w_]+$",
                  "^%-%-%-@class [%w_.]+$",
                  "^%-%-%-@field [%w_]+%??%s" .. type_,
                  "^%-%-%-@field %[string%] any$",
                  "^%-%-%-@param [%w_]+%??%s" .. type_,
                  "^%-%-%-@param %.%.%.%s" .. type_,
                  "^%-%-%-@return " .. type_ .. " [%w_]+",
                  "^%-%-%-@type [%w_.|]+$",
                }
                local bad, n = {}, 0
                for line in (text .. "\\n"):gmatch("(.-)\\n") do
                  n = n + 1
                  if line:match("^%-%-%-@") then
                    local ok = false
                    for _, f in ipairs(forms) do ok = ok or line:match(f) ~= nil end
                    if not ok then bad[#bad + 1] = n .. ": " .. line end
                  elseif line:match("^function") and not line:match("^function [%w_.]+%([%w_, %.]*%) end$") then
                    bad[#bad + 1] = n .. ": " .. line
                  end
                end
                if not text:match("^%-%-%-@meta ") then bad[#bad + 1] = "does not start with ---@meta" end
                local chunk, err = load(text, "=defs")
                if not chunk then bad[#bad + 1] = err end
                return table.concat(bad, "\\n")
                """).first?.stringValue ?? "?"
            XCTAssertEqual(problems, "", name)
        }
        let all = defs.values.joined(separator: "\n")
        let defined = Set(all.split(separator: "\n").filter { $0.hasPrefix("---@class ") }.map { String($0.dropFirst("---@class ".count)) })
        for line in all.split(separator: "\n") where line.hasPrefix("---@field") || line.hasPrefix("---@param") || line.hasPrefix("---@return") {
            for match in line.matches(of: /\b(sms|json|smsh)\.[A-Z][A-Za-z]*/) {
                XCTAssertTrue(defined.contains(String(match.output.0)), "\(match.output.0) used but not defined: \(line)")
            }
        }
    }

    /// The field names of `---@class name`'s block.
    static func fieldLines(of className: String, in text: String) -> [String] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(of: Substring("---@class \(className)")) else { return [] }
        return lines[(start + 1)...].prefix { $0.hasPrefix("---@field ") }.compactMap { line in
            let name = line.dropFirst("---@field ".count).prefix { $0 != " " && $0 != "?" }
            return name == "[string]" ? nil : String(name)
        }
    }
}

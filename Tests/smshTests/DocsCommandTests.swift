import Foundation
import XCTest

/// `smsh docs --luals DIR` as a user runs it: from another folder, into a new folder.
final class DocsCommandTests: XCTestCase {
    func testLualsWritesOneMetaFilePerModuleIntoANewFolder() throws {
        let dir = "/tmp/smsh-docs-\(UUID().uuidString.prefix(8))/defs"
        defer { try? FileManager.default.removeItem(atPath: (dir as NSString).deletingLastPathComponent) }
        let r = try SmshProcess.run(["docs", "--luals", dir], cwd: URL(fileURLWithPath: "/"))
        XCTAssertEqual(r.status, 0, r.stderr)
        let names = ["sms.lua", "json.lua", "log.lua", "smsh.lua", "smsh_test.lua"]
        XCTAssertEqual(r.stdout, names.map { "\(dir)/\($0)\n" }.joined())
        let sms = try String(contentsOfFile: "\(dir)/sms.lua", encoding: .utf8)
        XCTAssertTrue(sms.hasPrefix("---@meta sms\n"), sms)
        XCTAssertTrue(sms.contains("---@class sms.SendRequest\n---@field sender? string"), sms)
        XCTAssertTrue(sms.contains("---@param request sms.SendRequest\n---@return sms.SendResult result\nfunction sms.send(request) end"), sms)
        let spec = try String(contentsOfFile: "\(dir)/smsh_test.lua", encoding: .utf8)
        XCTAssertTrue(spec.contains("function fixture(name) end") && spec.contains("function run_script(path, options) end"), spec)
    }

    func testWithoutLualsIsAUsageError() throws {
        let r = try SmshProcess.run(["docs"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("Missing expected argument '--luals <dir>'"), r.stderr)
    }

    func testAFolderThatCannotBeCreatedSaysSo() throws {
        let r = try SmshProcess.run(["docs", "--luals", "/proc/smsh-no/defs"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("smsh: docs: cannot write /proc/smsh-no/defs"), r.stderr)
    }
}

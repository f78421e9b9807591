import Foundation
import SMSState
import XCTest

/// Trust of project plugin folders, against a real state store in a temp folder.
final class PluginTrustTests: XCTestCase {
    var dir: String!
    var project: String { dir + "/project" }
    var config: String { dir + "/config" }
    var storeOpens = 0

    override func setUpWithError() throws {
        dir = "/tmp/smsh-trust-\(UUID().uuidString.prefix(8))"
        for d in [project + "/.smsh/plugins", config + "/plugins"] {
            try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        }
        try write(config + "/plugins/user.lua", "return {name = 'user'}")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: dir)
    }

    func write(_ path: String, _ text: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// A trust record in the folder's own state store, counting how often it is opened.
    var trust: PluginTrust {
        let path = dir + "/state/state.sqlite3"
        return PluginTrust(store: { [unowned self] in
            storeOpens += 1
            return try SQLiteStateStore(path: path)
        })
    }

    func names(_ files: [String]) -> [String] { files.map { ($0 as NSString).lastPathComponent } }

    func testProjectPluginsLoadOnlyWhileTheTrustedFilesAreUnchanged() throws {
        let plugins = project + "/.smsh/plugins"
        try write(plugins + "/a.lua", "return {name = 'a'}")
        let real = try XCTUnwrap(PluginTrust.realPath(project))

        var (files, skipped) = trust.loadable(configDirectory: config, workingDirectory: project)
        XCTAssertEqual(names(files), ["user.lua"])
        XCTAssertEqual(skipped, "skipped the plugins in \(real)/.smsh/plugins (a.lua): this folder is not trusted; to load them, run: smsh trust \(real)")

        XCTAssertEqual(names(try trust.trust(folder: real)), ["a.lua"])
        (files, skipped) = trust.loadable(configDirectory: config, workingDirectory: project)
        XCTAssertEqual(names(files), ["user.lua", "a.lua"])
        XCTAssertNil(skipped)

        // Edited, added and removed files each break the trust.
        for change in [{ try self.write(plugins + "/a.lua", "return {name = 'a', evil = true}") },
                       { try self.write(plugins + "/b.lua", "return {name = 'b'}") },
                       { try FileManager.default.removeItem(atPath: plugins + "/b.lua") }] {
            _ = try trust.trust(folder: real)
            try change()
            (files, skipped) = trust.loadable(configDirectory: config, workingDirectory: project)
            XCTAssertEqual(names(files), ["user.lua"])
            XCTAssertTrue(skipped?.contains("they changed since `smsh trust`; check them, then run: smsh trust \(real)") ?? false, skipped ?? "nil")
            XCTAssertEqual(try trust.verdict(folder: real, files: PluginTrust.files(in: [plugins])), .changed)
        }
        XCTAssertEqual(try trust.list(), [PluginTrust.Entry(folder: real, verdict: .changed)])
        _ = try trust.trust(folder: real)
        XCTAssertEqual(try trust.list(), [PluginTrust.Entry(folder: real, verdict: .trusted)])

        XCTAssertTrue(try trust.revoke(folder: real))
        XCTAssertFalse(try trust.revoke(folder: real))
        XCTAssertEqual(try trust.list(), [])
        XCTAssertEqual(names(trust.loadable(configDirectory: config, workingDirectory: project).files), ["user.lua"])
    }

    func testTrustIsKeyedByTheRealPath() throws {
        try write(project + "/.smsh/plugins/a.lua", "return {name = 'a'}")
        let link = dir + "/link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: project)
        _ = try trust.trust(folder: try XCTUnwrap(PluginTrust.realPath(link + "/../project")))
        XCTAssertNil(trust.loadable(configDirectory: config, workingDirectory: link).skipped)
        XCTAssertEqual(try trust.list().map(\.folder), [PluginTrust.realPath(project)])
    }

    func testRunsWithoutProjectPluginsNeverOpenTheStore() throws {
        // No .lua files in the project folder, then no folder at all.
        try write(project + "/.smsh/plugins/README.txt", "not a plugin")
        XCTAssertEqual(names(trust.loadable(configDirectory: config, workingDirectory: project).files), ["user.lua"])
        XCTAssertEqual(names(trust.loadable(configDirectory: config, workingDirectory: dir + "/nowhere").files), ["user.lua"])
        XCTAssertEqual(storeOpens, 0)
        XCTAssertEqual(try trust.trust(folder: project), [])
    }

    func testDigestCoversNamesAndContents() throws {
        let a = dir + "/d1", b = dir + "/d2"
        for d in [a, b] { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true) }
        try write(a + "/x.lua", "ab")
        try write(a + "/y.lua", "")
        try write(b + "/x.lua", "a")
        try write(b + "/y.lua", "b")
        let d1 = try XCTUnwrap(PluginTrust.digest(files: [a + "/x.lua", a + "/y.lua"]))
        XCTAssertTrue(d1.hasPrefix("sha256:") && d1.count == 7 + 64, d1)
        XCTAssertNotEqual(d1, PluginTrust.digest(files: [b + "/x.lua", b + "/y.lua"]))
        // The order given does not matter, the names do.
        XCTAssertEqual(d1, PluginTrust.digest(files: [a + "/y.lua", a + "/x.lua"]))
        try FileManager.default.moveItem(atPath: a + "/y.lua", toPath: a + "/z.lua")
        XCTAssertNotEqual(d1, PluginTrust.digest(files: [a + "/x.lua", a + "/z.lua"]))
        XCTAssertNil(PluginTrust.digest(files: [a + "/missing.lua"]))
    }

    func testAnUnreadableStoreSkipsTheProjectWithAReason() throws {
        try write(project + "/.smsh/plugins/a.lua", "return {name = 'a'}")
        let broken = PluginTrust(store: { throw PluginTrustError(message: "cannot open /x: read-only") })
        let (files, skipped) = broken.loadable(configDirectory: config, workingDirectory: project)
        XCTAssertEqual(names(files), ["user.lua"])
        XCTAssertTrue(skipped?.contains("cannot read the trust record") ?? false, skipped ?? "nil")
    }
}

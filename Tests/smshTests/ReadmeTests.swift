import Foundation
import XCTest

/// The README is a front page (issue 23 point 3) and `scripts/check-docs` runs the guide's examples.
final class ReadmeTests: XCTestCase {
    static var repository: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized }

    private func read(_ path: String) throws -> String {
        try String(contentsOf: Self.repository.appendingPathComponent(path), encoding: .utf8)
    }

    func testReadmeIsAFrontPageOfAtMost250LinesStartingWithTheTwoCommands() throws {
        let readme = try read("README.md")
        let lines = readme.split(separator: "\n", omittingEmptySubsequences: false)
        let count = readme.hasSuffix("\n") ? lines.count - 1 : lines.count
        XCTAssertLessThanOrEqual(count, 250, "README.md has \(count) lines; move detail into docs/")
        // The first code block, right after the title, holds scripts/run and scripts/test.
        guard let fence = lines.firstIndex(where: { $0.hasPrefix("```") }) else { return XCTFail("README.md has no code block") }
        XCTAssertLessThanOrEqual(fence, 5, "the two set-up commands must open the README")
        XCTAssertTrue(lines[0].hasPrefix("# "), "README.md starts with its title")
        let commands = lines[(fence + 1)...].prefix { !$0.hasPrefix("```") }.map { $0.split(separator: " ").first.map(String.init) ?? "" }
        XCTAssertEqual(commands, ["scripts/run", "scripts/test"])
    }

    func testEveryGuidePageIsOnTheReadmesMap() throws {
        let readme = try read("README.md")
        let pages = try FileManager.default.contentsOfDirectory(atPath: Self.repository.appendingPathComponent("docs").path)
            .filter { $0.hasSuffix(".md") }
        XCTAssertGreaterThanOrEqual(pages.count, 9)
        for page in pages {
            XCTAssertTrue(readme.contains("(docs/\(page))"), "README.md's map does not link docs/\(page)")
        }
    }

    func testScriptsTestRunsCheckDocs() throws {
        XCTAssertTrue(try read("scripts/test").contains("scripts/check-docs"))
    }

    /// check-docs itself: an example's shown output is compared (with `...`, uuids and times
    /// normalised), a failure names file:line with the difference and fails the run, skips are counted,
    /// and a fixed date in the past fails.
    func testCheckDocsComparesOutputAndReportsFileAndLine() throws {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("check-docs-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = dir.appendingPathComponent("page.md")
        try """
            # A page

            ```sh
            smsh --sandbox -e 'print(sms.credit().balance)'
            echo "sent 9b6be78c-d226-4c74-9eb1-b38a38ee35b6 at 2099-01-01T00:00:00Z"
            ```

            ```text
            10000.0
            sent 00000000-0000-0000-0000-000000000000 at 2026-12-01T09:00:00+07:00
            ```

            ```lua
            print(sms.normalize("081-234-5678"))
            print("one") print("two")
            ```

            ```text
            66812345678
            ...
            ```

            <!-- check-docs: skip (needs a real provider) -->
            ```sh
            exit 1
            ```

            ```sh
            $ echo a
            a
            $ echo b
            c
            ```

            """.write(to: page, atomically: true, encoding: .utf8)
        let script = Self.repository.appendingPathComponent("scripts/check-docs").path
        let r = try SmshProcess.run(executable: script, [page.path], env: ["SMSH": SmshProcess.binary.path])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("FAIL \(page.path):28 (```sh)\n  | $ echo a\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("-c\n+b"), r.stdout)
        XCTAssertFalse(r.stdout.contains("page.md:3 "), r.stdout)
        XCTAssertFalse(r.stdout.contains("page.md:13 "), r.stdout)
        XCTAssertTrue(r.stdout.hasSuffix("docs: 3 examples, 1 failed (1 skipped): \(page.path):28\n"), r.stdout)

        // Fixed, the page passes and the last line says so.
        let fixed = try String(contentsOf: page, encoding: .utf8).replacingOccurrences(of: "$ echo b\nc", with: "$ echo b\nb")
        try fixed.write(to: page, atomically: true, encoding: .utf8)
        let ok = try SmshProcess.run(executable: script, [page.path], env: ["SMSH": SmshProcess.binary.path])
        XCTAssertEqual(ok.status, 0, ok.stdout + ok.stderr)
        XCTAssertEqual(ok.stdout, "docs: 3 examples, all ran (1 skipped)\n")

        // A fixed date in the past rots (a --schedule that no longer works): it fails even in a skipped block.
        try "<!-- check-docs: skip (real provider) -->\n```sh\nsmsh send --schedule 2020-06-01T10:00:00+07:00\n```\n"
            .write(to: page, atomically: true, encoding: .utf8)
        let dated = try SmshProcess.run(executable: script, [page.path], env: ["SMSH": SmshProcess.binary.path])
        XCTAssertEqual(dated.status, 1, dated.stdout + dated.stderr)
        XCTAssertTrue(dated.stdout.contains("FAIL \(page.path):2 (```sh)"), dated.stdout)
        XCTAssertTrue(dated.stdout.contains("a fixed date in the past (2020-06-01)"), dated.stdout)
    }
}

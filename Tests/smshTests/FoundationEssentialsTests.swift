import Foundation
import XCTest

/// smsh links FoundationEssentials, not Foundation: one `import Foundation` in any module of
/// the binary brings back FoundationInternationalization and ICU's ~34 MB of data (the .deb's
/// /usr/bin/smsh must stay <= 40 MB, scripts/check-package). This finds such an import at
/// `swift test` time, before a release build would.
final class FoundationEssentialsTests: XCTestCase {
    static let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    func testModulesOfTheBinaryImportOnlyFoundationEssentials() throws {
        var offenders: [String] = []
        let modules = try FileManager.default.contentsOfDirectory(atPath: Self.sources.path)
        // Benchmarks and probes are executables of their own, not part of smsh.
        for module in modules where !module.hasSuffix("Bench") && !module.hasSuffix("Probe") {
            let dir = Self.sources.appendingPathComponent(module)
            guard let files = FileManager.default.enumerator(atPath: dir.path) else { continue }
            for case let file as String in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
                var previous = ""
                for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let line = raw.trimmingCharacters(in: .whitespaces)
                    let imported = line.replacingOccurrences(of: "@preconcurrency ", with: "")
                        .replacingOccurrences(of: "public ", with: "")
                    // The fallback branch of `#if canImport(FoundationEssentials)` is fine.
                    if (imported == "import Foundation" && previous != "#else")
                        || imported.hasPrefix("import FoundationInternationalization") {
                        offenders.append("Sources/\(module)/\(file):\(n + 1): \(line)")
                    }
                    if !line.isEmpty { previous = line }
                }
            }
        }
        XCTAssertEqual(offenders, [], """
            these import full Foundation into smsh; use
              #if canImport(FoundationEssentials)
              import FoundationEssentials
              #else
              import Foundation
              #endif
            and stdlib/Glibc for what Essentials lacks (see the commit "Foundation: Essentials where it suffices")
            """)
    }
}

import Foundation
import XCTest

/// The layout of docs/architecture.md, kept true: each target of `Sources/` imports only what
/// its "May import" line allows, that line is the list below, and Package.swift gives each
/// target no dependency the list forbids (nor the list one Package.swift cannot provide).
final class ArchitectureTests: XCTestCase {
    /// What each target of `Sources/` may import besides `system`: the "May import" lines of
    /// docs/architecture.md. Change both together, and Package.swift with them.
    static let allowed: [String: Set<String>] = [
        "CLua": [], "CEditLine": [], "CSQLite": [], "CLibPQ": [],
        "CLuaShim": ["CLua"],
        "Threading": [],
        "LuaHost": ["CLua", "CLuaShim", "Threading"],
        "SMSClient": ["AsyncHTTPClient", "NIOCore", "NIOHTTP1", "NIOPosix", "NIOSSL", "NIOTLS", "NIOConcurrencyHelpers"],
        "SMSSimulator": ["SMSClient", "Hummingbird", "HTTPTypes", "Logging", "ServiceLifecycle", "NIOCore", "NIOConcurrencyHelpers"],
        "SMSFixtures": ["SMSClient", "CompressNIO", "NIOCore", "NIOConcurrencyHelpers"],
        "SMSState": ["SMSClient", "CSQLite", "Threading"],
        "SMSStatePostgres": ["SMSState", "SMSClient", "CLibPQ", "Threading"],
        "SMSOperations": ["SMSClient", "SMSState", "Threading", "NIOConcurrencyHelpers"],
        "SMSDocs": [],
        "SMSLua": ["LuaHost", "CLua", "CLuaShim", "SMSClient", "SMSOperations", "SMSState", "SMSDocs", "Threading", "NIOConcurrencyHelpers"],
        "SMSMetrics": ["SMSClient", "Prometheus"],
        "SMSConfig": [],
        "smsh": ["ArgumentParser", "CEditLine", "CLua", "CLuaShim", "LuaHost", "SMSClient", "SMSConfig", "SMSDocs", "SMSFixtures",
                 "SMSLua", "SMSMetrics", "SMSOperations", "SMSSimulator", "SMSState", "SMSStatePostgres", "NIOConcurrencyHelpers"],
    ]

    /// The platform, open to every target (plain `Foundation` only as the fallback branch of
    /// `#if canImport(FoundationEssentials)`, which FoundationEssentialsTests checks).
    static let system: Set<String> = ["Swift", "FoundationEssentials", "Foundation", "Glibc", "Darwin", "Dispatch", "Synchronization"]

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testEveryTargetImportsOnlyWhatTheArchitectureAllows() throws {
        var problems: [String] = []
        for target in try Self.sourceTargets() {
            guard let allowed = Self.allowed[target] else {
                problems.append("Sources/\(target) is not in docs/architecture.md: give it a section with a \"May import:\" line and add it to ArchitectureTests.allowed")
                continue
            }
            for (file, line, module) in try Self.imports(of: target) where !Self.system.contains(module) && !allowed.contains(module) {
                problems.append("\(file):\(line): \(target) imports \(module), which docs/architecture.md does not allow; "
                    + "\(target) may import: \(Self.listed(allowed))")
            }
        }
        XCTAssertEqual(problems, [], "\n" + problems.joined(separator: "\n"))
    }

    /// The lists above are the "May import" lines of docs/architecture.md, word for word.
    func testTheAllowedListsAreTheOnesDocsArchitectureShows() throws {
        let doc = try String(contentsOf: Self.root.appendingPathComponent("docs/architecture.md"), encoding: .utf8)
        let lines = doc.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var problems: [String] = []
        for (target, allowed) in Self.allowed.sorted(by: { $0.key < $1.key }) {
            guard let heading = lines.firstIndex(where: { $0.hasPrefix("### ") && Self.backticked($0).contains(target) }) else {
                problems.append("docs/architecture.md has no \"### `\(target)`\" section")
                continue
            }
            guard let mayImport = lines[heading...].first(where: { $0.hasPrefix("May import:") }) else {
                problems.append("docs/architecture.md: the section of \(target) has no \"May import:\" line")
                continue
            }
            let shown = Set(Self.backticked(mayImport))
            if shown != allowed {
                problems.append("\(target): docs/architecture.md allows \(Self.listed(shown)), ArchitectureTests.allowed \(Self.listed(allowed))")
            }
        }
        XCTAssertEqual(problems, [], "\n" + problems.joined(separator: "\n"))
    }

    /// Package.swift gives no target of `Sources/` a dependency the architecture forbids, and
    /// gives a path to each of our targets the architecture allows it; `Sources/` holds only
    /// what the smsh executable is built from (probes and benchmarks live in `Benchmarks/`).
    func testPackageSwiftAgreesAndSourcesHoldsTheProductOnly() throws {
        let package = try Self.packageTargets()
        var problems: [String] = []
        let sources = try Self.sourceTargets()
        for target in sources {
            guard let declared = package[target] else {
                problems.append("Sources/\(target) is not a target of Package.swift")
                continue
            }
            let allowed = Self.allowed[target] ?? []
            for dependency in declared.dependencies.sorted() where !allowed.contains(dependency) {
                problems.append("Package.swift gives \(target) the dependency \(dependency), which docs/architecture.md does not allow")
            }
            let reachable = Self.closure(of: target, in: package)
            for module in allowed.sorted() where package[module] != nil && !reachable.contains(module) {
                problems.append("docs/architecture.md lets \(target) import \(module), but Package.swift gives it no dependency that reaches \(module)")
            }
        }
        let product = Self.closure(of: "smsh", in: package).union(["smsh"])
        for target in sources where !product.contains(target) {
            problems.append("Sources/\(target) is not part of the smsh executable: a probe or benchmark belongs in Benchmarks/")
        }
        for (name, target) in package where target.path.hasPrefix("Sources/") && !sources.contains(name) {
            problems.append("Package.swift's target \(name) points into Sources/ but Sources/\(name) is missing")
        }
        XCTAssertEqual(problems, [], "\n" + problems.joined(separator: "\n"))
    }

    // MARK: reading the sources

    static func sourceTargets() throws -> [String] {
        let sources = root.appendingPathComponent("Sources")
        return try FileManager.default.contentsOfDirectory(atPath: sources.path).filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: sources.appendingPathComponent(name).path, isDirectory: &isDirectory) && isDirectory.boolValue
        }.sorted()
    }

    /// Every import of a target's Swift files: (file relative to the package, line, module).
    /// `import X`, `@preconcurrency import X`, `import struct X.Y`, ...: X.
    static func imports(of target: String) throws -> [(String, Int, String)] {
        let importLine = /^(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal)\s+)?import\s+(?:(?:struct|class|enum|protocol|typealias|func|var|let)\s+)?([A-Za-z_]\w*)/
        let dir = root.appendingPathComponent("Sources/\(target)")
        var found: [(String, Int, String)] = []
        guard let files = FileManager.default.enumerator(atPath: dir.path) else { return [] }
        for case let file as String in files where file.hasSuffix(".swift") {
            let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            var inString = false
            for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = raw.trimmingCharacters(in: .whitespaces)
                // Multi-line string literals (Lua code, help texts) may hold "import" lines.
                if line.components(separatedBy: "\"\"\"").count % 2 == 0 { inString.toggle() }
                if !inString, let match = line.firstMatch(of: importLine) {
                    found.append(("Sources/\(target)/\(file)", n + 1, String(match.output.1)))
                }
            }
        }
        return found.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
    }

    // MARK: reading Package.swift

    struct PackageTarget {
        var path: String
        /// Targets and products it names (a product's name is its module's here).
        var dependencies: Set<String>
    }

    /// The targets of Package.swift with their paths and dependencies, read from its text: each
    /// `.target(`, `.executableTarget(`, `.testTarget(`, `.systemLibrary(` call.
    static func packageTargets() throws -> [String: PackageTarget] {
        let raw = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        // Comments out (a `//` after a space or at a line's start: URLs keep theirs).
        let text = raw.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.replacing(/(^|\s)\/\/.*$/, with: "") }.joined(separator: "\n")
        var targets: [String: PackageTarget] = [:]
        for call in text.matches(of: /\.(target|executableTarget|testTarget|systemLibrary)\(/) {
            let body = balanced(text[call.range.upperBound...], open: "(", close: ")")
            guard let name = body.firstMatch(of: /name:\s*"([^"]+)"/)?.output.1 else { continue }
            let directory = call.output.1 == "testTarget" ? "Tests" : "Sources"
            let path = body.firstMatch(of: /path:\s*"([^"]+)"/).map { String($0.output.1) } ?? "\(directory)/\(name)"
            var dependencies: Set<String> = []
            if let start = body.firstMatch(of: /dependencies:\s*\[/) {
                let list = balanced(body[start.range.upperBound...], open: "[", close: "]")
                for product in list.matches(of: /\.product\(\s*name:\s*"([^"]+)"/) { dependencies.insert(String(product.output.1)) }
                let bare = list.replacing(/\.product\([^)]*\)/, with: "")
                for dependency in bare.matches(of: /"([^"]+)"/) { dependencies.insert(String(dependency.output.1)) }
            }
            targets[String(name)] = PackageTarget(path: path, dependencies: dependencies)
        }
        return targets
    }

    /// The text up to the bracket that closes the one just before `text`.
    static func balanced(_ text: Substring, open: Character, close: Character) -> Substring {
        var depth = 1
        var inString = false
        for i in text.indices {
            let c = text[i]
            if c == "\"" { inString.toggle() }
            if inString { continue }
            if c == open { depth += 1 }
            if c == close {
                depth -= 1
                if depth == 0 { return text[..<i] }
            }
        }
        return text
    }

    /// Every target of the package `target` reaches through its dependencies.
    static func closure(of target: String, in package: [String: PackageTarget]) -> Set<String> {
        var seen: Set<String> = []
        var queue = Array(package[target]?.dependencies ?? [])
        while let next = queue.popLast() {
            guard package[next] != nil, seen.insert(next).inserted else { continue }
            queue += package[next]?.dependencies ?? []
        }
        return seen
    }

    static func backticked(_ line: String) -> [String] {
        line.matches(of: /`([^`]+)`/).map { String($0.output.1) }
    }

    static func listed(_ modules: Set<String>) -> String {
        modules.isEmpty ? "nothing but the platform" : modules.sorted().joined(separator: ", ")
    }
}

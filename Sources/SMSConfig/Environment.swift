#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Environment variables as configuration reads them: the process's own (looked up one at a
/// time with getenv, since building Foundation's whole `environment` dictionary is a visible
/// part of `smsh -e ''` start-up), or a fixed set (tests, `smsh test` runs).
public struct Environment: ExpressibleByDictionaryLiteral, Sendable {
    private let fixed: [String: String]?

    /// The variables of this process, read when asked for.
    public static let process = Environment(fixed: nil)

    public init(_ values: [String: String]) { fixed = values }

    public init(dictionaryLiteral elements: (String, String)...) {
        fixed = Dictionary(elements, uniquingKeysWith: { $1 })
    }

    private init(fixed: [String: String]?) { self.fixed = fixed }

    /// The variable's value; nil when it is not set.
    public subscript(name: String) -> String? {
        guard let fixed else { return getenv(name).map { String(cString: $0) } }
        return fixed[name]
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A `state_url` (`postgresql://user[:password]@host[:port]/database?sslmode=…`) read as libpq
/// reads it: the password from the URL, else `PGPASSWORD`, else the password file
/// (`PGPASSFILE`, default `~/.pgpass`, ignored unless private as libpq ignores it); user,
/// host, port and database fall back to `PGUSER`, `PGHOST`, `PGPORT`, `PGDATABASE`.
/// `sslmode`: `disable`, `allow`/`prefer` (the default: TLS when the server offers it,
/// unverified), `require` (TLS, unverified), `verify-ca` (TLS, the chain checked against
/// `sslrootcert`), `verify-full` (also the host name).
///
/// `masked` is the only form that may reach a message or log: the password becomes `***`.
public struct PostgresURL: Equatable, Sendable {
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public var sslMode: SSLMode
    public var sslRootCert: String?
    /// Where the password came from: "the URL", "$PGPASSWORD", "~/.pgpass" (nil: none).
    public var passwordSource: String?
    /// Why the password file was not read (group or world readable), for a warning.
    public var passFileProblem: String?
    /// The URL as given, the password masked.
    public let masked: String

    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// The URL as written, any password replaced by `***` (also for URLs that do not parse).
    public static func mask(_ url: String) -> String {
        guard let schemeEnd = url.firstRange(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard let at = authority.lastIndex(of: "@") else { return url }
        let userInfo = authority[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return url }
        return String(url[..<schemeEnd.upperBound]) + userInfo[..<colon] + ":***" + String(url[at...])
    }

    public init(_ url: String, environment env: (String) -> String?) throws {
        let masked = Self.mask(url)
        self.masked = masked
        func fail(_ why: String) -> ParseError { ParseError(description: "state_url \(masked): \(why)") }
        let lower = url.lowercased()
        guard let scheme = ["postgresql://", "postgres://"].first(where: lower.hasPrefix) else {
            throw fail("it must start with postgresql:// (e.g. postgresql://smsh@db.example:5432/smsh)")
        }
        var rest = Substring(url.dropFirst(scheme.count))
        var query = Substring("")
        if let q = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: q)...]
            rest = rest[..<q]
        }
        var path = Substring("")
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        var userPart: Substring?
        var hostPart = rest
        if let at = rest.lastIndex(of: "@") {
            userPart = rest[..<at]
            hostPart = rest[rest.index(after: at)...]
        }
        var user: String?
        var password: String?
        if let userPart {
            if let colon = userPart.firstIndex(of: ":") {
                user = Self.percentDecoded(userPart[..<colon])
                password = Self.percentDecoded(userPart[userPart.index(after: colon)...])
            } else {
                user = Self.percentDecoded(userPart)
            }
        }
        var host = String(hostPart)
        var port: Int?
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") { port = Int(after.dropFirst()) ?? -1 }
            host = String(host[host.index(after: host.startIndex)..<close])
        } else if let colon = host.lastIndex(of: ":") {
            port = Int(host[host.index(after: colon)...]) ?? -1
            host = String(host[..<colon])
        }
        if let p = port, !(1...65535).contains(p) { throw fail("its port is not a number from 1 to 65535") }
        var sslMode: SSLMode?
        var rootCert: String?
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(kv[0]), value = kv.count > 1 ? Self.percentDecoded(kv[1]) : ""
            switch name {
            case "sslmode":
                guard let m = SSLMode(rawValue: value) else {
                    throw fail("sslmode '\(value)' is not one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                sslMode = m
            case "sslrootcert": rootCert = value
            case "user": user = value
            case "password": password = value
            case "host": host = value
            case "port":
                guard let p = Int(value), (1...65535).contains(p) else { throw fail("its port is not a number from 1 to 65535") }
                port = p
            case "dbname": path = Substring(value)
            case "connect_timeout", "application_name": break
            default: throw fail("unknown parameter '\(name)' (known: sslmode, sslrootcert, user, host, port, dbname, connect_timeout, application_name)")
            }
        }
        func envValue(_ name: String) -> String? { env(name).flatMap { $0.isEmpty ? nil : $0 } }
        let finalUser = user.flatMap { $0.isEmpty ? nil : $0 } ?? envValue("PGUSER") ?? envValue("USER") ?? "postgres"
        let finalHost = host.isEmpty ? envValue("PGHOST") ?? "localhost" : Self.percentDecoded(Substring(host))
        let finalPort = port ?? envValue("PGPORT").flatMap(Int.init) ?? 5432
        let db = Self.percentDecoded(path)
        let finalDatabase = db.isEmpty ? envValue("PGDATABASE") ?? finalUser : db
        let mode = sslMode ?? envValue("PGSSLMODE").flatMap(SSLMode.init(rawValue:)) ?? .prefer
        var root = rootCert ?? envValue("PGSSLROOTCERT")
        if (mode == .verifyFull || mode == .verifyCA), root == nil {
            let home = envValue("HOME") ?? "/"
            let standard = home + "/.postgresql/root.crt"
            guard access(standard, R_OK) == 0 else {
                throw fail("sslmode=\(mode.rawValue) needs sslrootcert (a PEM file of the CA that signed the server's certificate), and \(standard) does not exist")
            }
            root = standard
        }
        self.user = finalUser
        self.host = finalHost
        self.port = finalPort
        self.database = finalDatabase
        self.sslMode = mode
        self.sslRootCert = root
        if let password, !password.isEmpty {
            self.password = password
            passwordSource = "the URL"
        } else if let p = envValue("PGPASSWORD") {
            self.password = p
            passwordSource = "$PGPASSWORD"
        } else {
            let file = envValue("PGPASSFILE") ?? ((envValue("HOME") ?? "/") + "/.pgpass")
            switch Self.passFilePassword(file: file, host: self.host, port: self.port, database: self.database, user: self.user) {
            case .found(let p):
                self.password = p
                passwordSource = file
            case .notPrivate:
                passFileProblem = "password file \(file) has group or world access; permissions should be u=rw (0600) or less: not read"
            case .none:
                break
            }
        }
    }

    enum PassFileAnswer: Equatable {
        case found(String)
        case notPrivate
        case none
    }

    /// The first matching line of a libpq password file (`host:port:database:user:password`,
    /// `*` matches anything, `\:` and `\\` escape); a file readable by group or others is not
    /// read (as libpq).
    static func passFilePassword(file: String, host: String, port: Int, database: String, user: String) -> PassFileAnswer {
        var st = stat()
        guard stat(file, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return .none }
        if st.st_mode & 0o077 != 0 { return .notPrivate }
        guard let fp = fopen(file, "r") else { return .none }
        defer { fclose(fp) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, fp)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let wanted = [host, String(port), database, user]
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) where !line.hasPrefix("#") {
            var fields: [String] = [""]
            var escaped = false
            for c in line {
                if escaped {
                    fields[fields.count - 1].append(c)
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else if c == ":" && fields.count < 5 {
                    fields.append("")
                } else {
                    fields[fields.count - 1].append(c)
                }
            }
            guard fields.count == 5 else { continue }
            let hostMatches = fields[0] == "*" || fields[0] == host || (fields[0] == "localhost" && (host == "127.0.0.1" || host == "::1"))
            if hostMatches, zip(fields[1...3], wanted[1...3]).allSatisfy({ $0 == "*" || $0 == $1 }) { return .found(fields[4]) }
        }
        return .none
    }

    static func percentDecoded(_ s: Substring) -> String {
        guard s.contains("%") else { return String(s) }
        var out: [UInt8] = []
        var i = s.utf8.startIndex
        let u = s.utf8
        while i < u.endIndex {
            if u[i] == UInt8(ascii: "%"), let a = u.index(i, offsetBy: 1, limitedBy: u.endIndex), a < u.endIndex,
               let b = u.index(a, offsetBy: 1, limitedBy: u.endIndex), b < u.endIndex,
               let v = UInt8(String(decoding: [u[a], u[b]], as: UTF8.self), radix: 16) {
                out.append(v)
                i = u.index(after: b)
            } else {
                out.append(u[i])
                i = u.index(after: i)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

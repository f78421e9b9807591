import CLibPQ
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// One connection through libpq (`CLibPQ`, loaded with dlopen on first use), with text
/// parameters and text results: the few statements the state store runs need nothing more.
/// Not thread-safe: the store calls it under its own lock.
final class PQConnection {
    private let connection: OpaquePointer

    /// What libpq said; never holds the password (libpq's messages do not).
    struct Failure: Error, CustomStringConvertible {
        let description: String
        /// SQLSTATE of a statement's error, nil for a connection's.
        let sqlState: String?
    }

    /// The rows of a statement (text values, nil for NULL) and how many rows it changed.
    struct Rows {
        var values: [[String?]]
        var affected: Int
        var isEmpty: Bool { values.isEmpty }
        var first: [String?]? { values.first }
    }

    init(_ url: PostgresURL) throws(Failure) {
        var settings: [(String, String)] = [
            ("host", url.host), ("port", String(url.port)), ("user", url.user), ("dbname", url.database),
            ("sslmode", url.sslMode.rawValue), ("connect_timeout", "10"), ("application_name", "smsh"),
            // The server's notices ("already exists, skipping") are not the user's business.
            ("options", "-c client_min_messages=warning"),
        ]
        if let password = url.password { settings.append(("password", password)) }
        if let root = url.sslRootCert { settings.append(("sslrootcert", root)) }
        let keywords = settings.map { strdup($0.0) } + [nil]
        let values = settings.map { strdup($0.1) } + [nil]
        defer {
            keywords.forEach { free($0) }
            values.forEach { free($0) }
        }
        let made = keywords.withUnsafeBufferPointer { k in
            values.withUnsafeBufferPointer { v in
                k.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: k.count) { kp in
                    v.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: v.count) { vp in
                        smsh_PQconnectdbParams(kp, vp, 0)
                    }
                }
            }
        }
        guard let made else { throw Failure(description: String(cString: smsh_pq_load_error()), sqlState: nil) }
        guard smsh_PQstatus(made) == Int32(SMSH_CONNECTION_OK) else {
            let message = Self.trimmed(String(cString: smsh_PQerrorMessage(made)))
            smsh_PQfinish(made)
            throw Failure(description: message.isEmpty ? "cannot connect" : message, sqlState: nil)
        }
        connection = made
    }

    deinit { smsh_PQfinish(connection) }

    /// Whether the connection is still usable (false after the server or network dropped it).
    var isOK: Bool { smsh_PQstatus(connection) == Int32(SMSH_CONNECTION_OK) }

    /// Runs one statement with `$1`…`$n` bound to `parameters` (text; nil is NULL).
    @discardableResult
    func exec(_ sql: String, _ parameters: [String?] = []) throws(Failure) -> Rows {
        let copies = parameters.map { $0.map { strdup($0) } ?? nil }
        defer { copies.forEach { free($0) } }
        let result = copies.withUnsafeBufferPointer { p in
            p.baseAddress.map { base in
                base.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: p.count) {
                    smsh_PQexecParams(connection, sql, Int32(p.count), $0)
                }
            } ?? smsh_PQexecParams(connection, sql, 0, nil)
        }
        guard let result else { throw Failure(description: Self.trimmed(String(cString: smsh_PQerrorMessage(connection))), sqlState: nil) }
        defer { smsh_PQclear(result) }
        let status = smsh_PQresultStatus(result)
        guard status == Int32(SMSH_PGRES_COMMAND_OK) || status == Int32(SMSH_PGRES_TUPLES_OK) else {
            let message = smsh_PQresultErrorField(result, Int32(SMSH_PG_DIAG_MESSAGE_PRIMARY)).map { String(cString: $0) }
                ?? Self.trimmed(String(cString: smsh_PQerrorMessage(connection)))
            let state = smsh_PQresultErrorField(result, Int32(SMSH_PG_DIAG_SQLSTATE)).map { String(cString: $0) }
            throw Failure(description: message.isEmpty ? "the statement failed" : message, sqlState: state)
        }
        let rows = Int(smsh_PQntuples(result)), columns = Int(smsh_PQnfields(result))
        var values: [[String?]] = []
        values.reserveCapacity(rows)
        for r in 0..<rows {
            var row: [String?] = []
            row.reserveCapacity(columns)
            for c in 0..<columns {
                row.append(smsh_PQgetisnull(result, Int32(r), Int32(c)) != 0 ? nil : String(cString: smsh_PQgetvalue(result, Int32(r), Int32(c))))
            }
            values.append(row)
        }
        return Rows(values: values, affected: Int(String(cString: smsh_PQcmdTuples(result))) ?? 0)
    }

    /// A text array literal for `$n::text[]`.
    static func array(_ items: [String]) -> String {
        let quoted: [String] = items.map { item in
            var escaped = "\""
            for c in item {
                if c == "\\" || c == "\"" { escaped.append("\\") }
                escaped.append(c)
            }
            return escaped + "\""
        }
        return "{" + quoted.joined(separator: ",") + "}"
    }

    private static func trimmed(_ s: String) -> String {
        var t = Substring(s)
        while let last = t.last, last.isWhitespace { t = t.dropLast() }
        return String(t)
    }
}

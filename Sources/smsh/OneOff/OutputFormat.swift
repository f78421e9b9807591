import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SMSClient
import SMSLua
import SMSOperations

/// `-o` of the one-off commands: how results reach stdout.
enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
    /// Aligned columns for people (the default); one object prints as `field  value` lines.
    case table
    /// One JSON document: the API's response as it came, every field kept.
    case json
    /// One JSON object per line: the rows of a list (an object alone is one line). Keys in
    /// name order, as in `json`: the same data prints the same bytes, so runs diff.
    case jsonl
    /// A header row, then one row per object, RFC 4180 quoting.
    case csv
}

/// Writes command results to stdout in the chosen `OutputFormat`. Table and CSV cells
/// flatten nested objects to `parent.child` columns (drSummary.success) and show arrays as
/// compact JSON, so no field the server sent is dropped; JSON keeps the response as it is.
struct ResultPrinter {
    let format: OutputFormat
    /// `--mask-numbers`: phone numbers in table cells print as 66812xxx678. Machine formats
    /// (json, jsonl, csv) are data a program reads back: they always keep full numbers.
    var maskNumbers = false
    /// Written to instead of stdout (tests of the printer itself).
    var write: (String) -> Void = StandardOutput.write

    /// One object (a send result, the credit, a message).
    /// - Parameter preferred: the fields to show first, in this order (others follow, sorted).
    func object(_ value: [String: JSONValue], preferred: [String] = []) {
        let value = masked(value)
        switch format {
        case .json:
            write(JSONValue.object(value).serializedString(pretty: true) + "\n")
        case .jsonl:
            write(JSONValue.object(value).serializedString(sortedKeys: true) + "\n")
        case .csv:
            rows([value], preferred: preferred)
        case .table:
            let flat = ResultPrinter.flatten(value)
            let names = ResultPrinter.columns(of: [flat], preferred: preferred)
            let width = names.map(TerminalWidth.columns).max() ?? 0
            var out = ""
            for name in names {
                out += ResultPrinter.padded(name, width) + "  " + ResultPrinter.tableCell(flat[name], column: name) + "\n"
            }
            write(out)
        }
    }

    /// A list: `rows` are its objects; `document` is the response as a whole (for `-o json`,
    /// so `total`, `page`, `summary` stay there).
    func list(_ rows: [[String: JSONValue]], document: [String: JSONValue], preferred: [String]) {
        let rows = rows.map(masked), document = masked(document)
        switch format {
        case .json:
            write(JSONValue.object(document).serializedString(pretty: true) + "\n")
        case .jsonl:
            var out = ""
            for r in rows { out += JSONValue.object(r).serializedString(sortedKeys: true) + "\n" }
            write(out)
        case .csv, .table:
            self.rows(rows, preferred: preferred)
        }
    }

    private func masked(_ object: [String: JSONValue]) -> [String: JSONValue] {
        guard maskNumbers, format == .table else { return object }
        func mask(_ v: JSONValue) -> JSONValue {
            switch v {
            case .string(let s): return .string(NumberMasking.mask(s))
            case .array(let a): return .array(a.map(mask))
            case .object(let o): return .object(o.mapValues(mask))
            default: return v
            }
        }
        return object.mapValues(mask)
    }

    /// CSV or table rows under one header row.
    private func rows(_ objects: [[String: JSONValue]], preferred: [String]) {
        let flat = objects.map(ResultPrinter.flatten)
        // An empty list still gets its header (the preferred columns): a CSV reader sees the shape.
        let names = flat.isEmpty ? preferred : ResultPrinter.columns(of: flat, preferred: preferred)
        var out = ""
        if format == .csv {
            out += names.map(ResultPrinter.csvField).joined(separator: ",") + "\r\n"
            out += ResultPrinter.csvLines(flat, names)
        } else {
            let cells = flat.map { row in names.map { ResultPrinter.tableCell(row[$0], column: $0) } }
            let widths = names.indices.map { i in
                max(TerminalWidth.columns(names[i]), cells.map { TerminalWidth.columns($0[i]) }.max() ?? 0)
            }
            func line(_ values: [String]) -> String {
                // No padding after the last column: lines end without trailing blanks.
                values.indices.map { $0 == values.count - 1 ? values[$0] : ResultPrinter.padded(values[$0], widths[$0]) }
                    .joined(separator: "  ") + "\n"
            }
            out += line(names.map { $0.uppercased() })
            for row in cells { out += line(row) }
            if objects.isEmpty { out += "(none)\n" }
        }
        write(out)
    }

    /// One page of a long list (`recipients --all`), printed as it arrives under jsonl and
    /// csv, so memory stays one page; csv's columns are the first page's. Returns false for
    /// the formats that need every row first (table, json): the caller gathers them.
    func page(_ rows: [[String: JSONValue]], columns: inout [String]?, preferred: [String]) -> Bool {
        let rows = rows.map(masked)
        switch format {
        case .jsonl:
            var out = ""
            for r in rows { out += JSONValue.object(r).serializedString(sortedKeys: true) + "\n" }
            write(out)
            return true
        case .csv:
            let flat = rows.map(ResultPrinter.flatten)
            var out = ""
            if columns == nil {
                let names = flat.isEmpty ? preferred : ResultPrinter.columns(of: flat, preferred: preferred)
                columns = names
                out += names.map(ResultPrinter.csvField).joined(separator: ",") + "\r\n"
            }
            out += ResultPrinter.csvLines(flat, columns ?? preferred)
            write(out)
            return true
        case .table, .json:
            return false
        }
    }

    static func csvLines(_ flat: [[String: JSONValue]], _ names: [String]) -> String {
        var out = ""
        for row in flat {
            out += names.map { csvField(plain(row[$0])) }.joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// The columns: `preferred` ones that occur, then every other field in name order.
    static func columns(of rows: [[String: JSONValue]], preferred: [String]) -> [String] {
        var seen = Set<String>()
        for r in rows { seen.formUnion(r.keys) }
        // A preferred object field (drSummary) stands for its flattened children.
        var names: [String] = []
        for p in preferred {
            names += seen.filter { $0 == p || $0.hasPrefix(p + ".") }.sorted()
        }
        let rest = seen.subtracting(names).sorted()
        return names + rest
    }

    /// Nested objects become `parent.child` keys (one level per dot).
    static func flatten(_ object: [String: JSONValue]) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for (k, v) in object {
            if case .object(let inner) = v, !inner.isEmpty {
                for (ik, iv) in flatten(inner) { out[k + "." + ik] = iv }
            } else {
                out[k] = v
            }
        }
        return out
    }

    /// A value as text: strings as they are, whole numbers without `.0`, null as empty.
    static func plain(_ value: JSONValue?) -> String {
        switch value {
        case nil, .null?: return ""
        case .string(let s)?: return s
        case .bool(let b)?: return b ? "true" : "false"
        case .int(let i)?: return String(i)
        case .double(let d)?:
            if d.rounded() == d, abs(d) < 1e15 { return String(Int64(d)) }
            return String(d)
        case let other?: return other.serializedString(sortedKeys: true)
        }
    }

    /// Columns holding credits: a table (for people) shows them grouped, `10,000`; csv and
    /// json keep the plain number.
    static let creditColumns: Set<String> = ["balance", "credits", "refunded", "cost"]

    /// A table cell: one line (control characters shown as spaces), `-` for no value; credits
    /// as people write them (`10,000`, `1.5`).
    static func tableCell(_ value: JSONValue?, column: String = "") -> String {
        if creditColumns.contains(String(column.split(separator: ".").last ?? "")) {
            switch value {
            case .int(let i)?: return groupedCredits(Double(i))
            case .double(let d)?: return groupedCredits(d)
            default: break
            }
        }
        let text = plain(value)
        if text.isEmpty { return "-" }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
    }

    /// RFC 4180: a field with a comma, quote, CR or LF is quoted, its quotes doubled. A field
    /// starting with = + - @ is not changed: the output is data, not a spreadsheet formula guard.
    static func csvField(_ s: String) -> String {
        // By scalar: "\r\n" is one Character, equal to neither "\r" nor "\n".
        guard s.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacing("\"", with: "\"\"") + "\""
    }

    /// `s` and blanks up to `width` terminal columns (Thai marks take none, emoji two).
    static func padded(_ s: String, _ width: Int) -> String {
        let columns = TerminalWidth.columns(s)
        return columns >= width ? s : s + String(repeating: " ", count: width - columns)
    }
}

/// The doc registry's structured entries: per function its parameters with Lua types, the
/// fields of its request tables, its returns and its prose. `help()` text and the
/// lua-language-server definitions (`LuaLSDefinitions`) are both rendered from these, so the
/// two cannot disagree. Types are written as LuaLS types (`string`, `integer`, `string[]`,
/// `sms.SendResult`, `fun(): sms.Recipient?`), which also read well in `help()`.

/// One field of a request or result table.
public struct DocField: Sendable {
    public let name: String
    public let type: String
    public let doc: String

    public init(_ name: String, _ type: String, _ doc: String) {
        self.name = name
        self.type = type
        self.doc = doc
    }
}

/// A table shape: a request table a function reads, or a result it returns.
public struct DocClass: Sendable {
    /// The LuaLS class name, e.g. `sms.SendRequest`.
    public let name: String
    public let doc: String
    public let fields: [DocField]
    /// Results carry every field the API returned, not only the documented ones.
    public let open: Bool

    public init(_ name: String, _ doc: String, open: Bool = false, fields: [DocField]) {
        self.name = name
        self.doc = doc
        self.open = open
        self.fields = fields
    }

    public var fieldNames: Set<String> { Set(fields.map(\.name)) }
}

/// One parameter of a function: a plain type, or a table whose fields are documented.
public struct DocParam: Sendable {
    public let name: String
    public let type: String
    public let optional: Bool
    public let doc: String
    /// The request table's shape when the parameter is one (`type` is then its class name).
    public let table: DocClass?

    public init(_ name: String, _ type: String, optional: Bool = false, _ doc: String = "") {
        self.name = name
        self.type = type
        self.optional = optional
        self.doc = doc
        self.table = nil
    }

    public init(_ name: String, table: DocClass, optional: Bool = false, _ doc: String = "") {
        self.name = name
        self.type = table.name
        self.optional = optional
        self.doc = doc
        self.table = table
    }
}

/// One return value.
public struct DocReturn: Sendable {
    public let name: String
    public let type: String
    public let doc: String
    public let table: DocClass?

    public init(_ name: String, _ type: String, _ doc: String = "") {
        self.name = name
        self.type = type
        self.doc = doc
        self.table = nil
    }

    public init(_ name: String, table: DocClass, _ doc: String = "") {
        self.name = name
        self.type = table.name
        self.doc = doc
        self.table = table
    }
}

/// A Lua-visible function's documentation.
public struct FunctionDoc: Sendable {
    /// The dotted name as called: `sms.send`, `json.encode`, `fixture`.
    public let name: String
    public let params: [DocParam]
    public let returns: [DocReturn]
    /// What it does, errors, example: the free text `help()` shows under the fields.
    public let text: String

    public init(_ name: String, params: [DocParam] = [], returns: [DocReturn] = [], _ text: String) {
        self.name = name
        self.params = params
        self.returns = returns
        self.text = text
    }

    /// The function's key in its module table (`send` for `sms.send`).
    public var shortName: String { String(name.split(separator: ".").last ?? Substring(name)) }

    /// Every table shape it reads or returns.
    public var classes: [DocClass] { params.compactMap(\.table) + returns.compactMap(\.table) }

    /// `sms.send{sender=, content=, ...} -> result`, `sms.wait(uuid, [{timeout=, interval=}]) -> message`.
    public var signature: String {
        func fields(_ t: DocClass) -> String { "{" + t.fields.map { $0.name + "=" }.joined(separator: ", ") + "}" }
        var call: String
        if params.count == 1, let t = params[0].table {
            call = name + fields(t)
        } else {
            let args = params.map { p -> String in
                let shown = p.table.map(fields) ?? p.name
                return p.optional ? "[\(shown)]" : shown
            }
            call = name + "(" + args.joined(separator: ", ") + ")"
        }
        if !returns.isEmpty { call += " -> " + returns.map(\.name).joined(separator: ", ") }
        return call
    }

    /// The `help()` text: signature, the parameters and request fields with their types,
    /// then the prose.
    public var helpText: String {
        var lines = [FunctionDoc.wrapped(signature, width: 96, indent: name.count + 1)]
        let names = params.flatMap { $0.table?.fields.map(\.name) ?? [$0.name] }
        let nameWidth = max(12, (names.map(\.count).max() ?? 0) + 1)
        let typeWidth = 15
        let docColumn = 2 + nameWidth + 1 + typeWidth + 1
        // One row per field: name, type, doc in columns; a long type gets its own line.
        func row(_ name: String, _ type: String, _ doc: String) {
            let left = "  " + name.padded(nameWidth) + " " + type
            var docLines = doc.split(separator: "\n").map(String.init)
            if docLines.isEmpty {
                lines.append(left)
                return
            }
            if type.count <= typeWidth {
                lines.append("  " + name.padded(nameWidth) + " " + type.padded(typeWidth) + " " + docLines.removeFirst())
            } else {
                lines.append(left)
            }
            lines += docLines.map { String(repeating: " ", count: docColumn) + $0 }
        }
        for p in params {
            if let t = p.table {
                for f in t.fields { row(f.name, f.type, f.doc) }
            } else if !p.doc.isEmpty || p.type != "string" {
                row(p.name, p.type + (p.optional ? "?" : ""), p.doc)
            }
        }
        for r in returns where !r.doc.isEmpty || r.table == nil {
            row("-> " + r.name, r.type, r.doc)
        }
        lines.append(FunctionDoc.indented(text, by: 2))
        return lines.joined(separator: "\n")
    }

    /// `text` broken after ", " so that lines stay within `width`, continuing at `indent`.
    static func wrapped(_ text: String, width: Int, indent: Int) -> String {
        guard text.count > width else { return text }
        var lines: [String] = []
        var current = ""
        for piece in text.split(separator: ", ", omittingEmptySubsequences: false).map(String.init) {
            let candidate = current.isEmpty ? piece : current + ", " + piece
            if candidate.count > width, !current.isEmpty {
                lines.append(current + ",")
                current = String(repeating: " ", count: indent) + piece
            } else {
                current = candidate
            }
        }
        lines.append(current)
        return lines.joined(separator: "\n")
    }

    static func indented(_ text: String, by n: Int) -> String {
        let pad = String(repeating: " ", count: n)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : pad + $0 }.joined(separator: "\n")
    }
}

/// A module's documentation: its functions, other values (`json.null`) and prose.
public struct ModuleDoc: Sendable {
    /// The global table's name (`sms`), or nil for global functions (`help`, `fixture`).
    public let name: String?
    public let doc: String
    public let functions: [FunctionDoc]
    public let values: [DocField]
    /// Shapes used only inside other shapes (a message's `drSummary`).
    public let nestedClasses: [DocClass]

    public init(_ name: String?, doc: String, functions: [FunctionDoc], values: [DocField] = [], nestedClasses: [DocClass] = []) {
        self.name = name
        self.doc = doc
        self.functions = functions
        self.values = values
        self.nestedClasses = nestedClasses
    }

    public func function(_ shortName: String) -> FunctionDoc? { functions.first { $0.shortName == shortName } }

    /// Every table shape its functions read or return, each once, in first-use order.
    public var classes: [DocClass] {
        var seen: Set<String> = []
        return (functions.flatMap(\.classes) + nestedClasses).filter { seen.insert($0.name).inserted }
    }
}

extension String {
    fileprivate func padded(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}

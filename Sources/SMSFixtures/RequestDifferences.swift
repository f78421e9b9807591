import SMSClient

/// Field-by-field differences between a recorded and a live request, for the message of an
/// unmatched request: `body.content: recorded "Hi" ≠ live "Hello"`.
struct RequestDifferences {
    private(set) var lines: [String] = []
    /// Fields that agree; ranks candidates when looking for the nearest recorded request.
    private(set) var equalFields = 0

    init(recorded: ComparableRequest, live: ComparableRequest) {
        note("method", recorded.method == live.method, .string(recorded.method), .string(live.method))
        note("path", recorded.path == live.path, .string(recorded.path), .string(live.path))
        for name in Set(recorded.query.keys).union(live.query.keys).sorted() {
            let r = recorded.query[name].map(RecordedRequest.queryValue)
            let l = live.query[name].map(RecordedRequest.queryValue)
            note("query.\(name)", r == l, r, l)
        }
        compare("body", recorded.body, live.body)
    }

    var isEmpty: Bool { lines.isEmpty }

    private mutating func compare(_ path: String, _ recorded: JSONValue?, _ live: JSONValue?) {
        switch (recorded, live) {
        case (.object(let r)?, .object(let l)?):
            for key in Set(r.keys).union(l.keys).sorted() { compare("\(path).\(key)", r[key], l[key]) }
        case (.array(let r)?, .array(let l)?) where r.count == l.count:
            for i in r.indices { compare("\(path)[\(i)]", r[i], l[i]) }
        default:
            note(path, recorded == live, recorded, live)
        }
    }

    private mutating func note(_ field: String, _ equal: Bool, _ recorded: JSONValue?, _ live: JSONValue?) {
        if equal {
            equalFields += 1
            return
        }
        var r = Self.render(recorded), l = Self.render(live)
        if r == l, let recorded, let live {  // 3 vs 3.0 look alike once cut; say which is which
            r += " (\(recorded.typeName))"
            l += " (\(live.typeName))"
        }
        lines.append("\(field): recorded \(r) ≠ live \(l)")
    }

    /// Short JSON text of a value; arrays longer than a few entries by their size.
    static func render(_ value: JSONValue?) -> String {
        guard let value else { return "absent" }
        if case .array(let items) = value, items.count > 5 { return "[\(items.count) items]" }
        return clip(VisibleText.escaped(value.serializedString(sortedKeys: true)), 80)
    }

    static func clip(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }
}

extension RecordedRequest {
    /// One query parameter's values as JSON: a string, or an array when repeated.
    static func queryValue(_ values: [String]) -> JSONValue {
        values.count == 1 ? .string(values[0]) : .array(values.map(JSONValue.string))
    }

    /// `GET /api/v2/sms?status=failed body {…}`, short enough for an error message; invisible
    /// and control characters escaped (`VisibleText`).
    var summary: String {
        var text = "\(method) \(path)"
        if !query.isEmpty {
            text += "?" + query.keys.sorted().flatMap { name in query[name]!.map { "\(name)=\($0)" } }.joined(separator: "&")
        }
        if let body { text += " body " + RequestDifferences.clip(body.serializedString(sortedKeys: true), 300) }
        return VisibleText.escaped(text)
    }
}

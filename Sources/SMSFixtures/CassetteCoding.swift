import SMSClient

/// Cassette ⇄ JSON value, format version 1:
///
/// ```json
/// {"version": 1, "recordedAt": "2026-11-29T11:50:01Z", "interactions": [
///   {"request": {"method": "POST", "path": "/api/v2/sms/send", "query": {"status": "failed"},
///                "body": {"sender": "MYSHOP", "content": "Hi", "msisdns": ["66812345678"]}},
///    "response": {"status": 200, "headers": {"content-type": "application/json"},
///                 "body": {"uuid": "…", "status": "pending"}}}]}
/// ```
/// `query` and `body` are left out when empty/absent; a repeated query parameter is an array
/// of strings; a response that is not JSON has `"bodyText"` instead of `"body"`; a big body
/// kept in a sidecar has `"bodyFile": {"file", "sha256", "bytes"}` (and the document version 2).
extension Cassette {
    /// The JSON document, ready for `serialized(sortedKeys: true, pretty: true)`.
    public var jsonValue: JSONValue {
        var o: [String: JSONValue] = [
            "version": .int(Int64(storedVersion)),
            "recordedAt": .string(UTCTimestamp.format(recordedAt)),
            "interactions": .array(interactions.map(\.jsonValue)),
        ]
        if maskedNumbers { o["maskedNumbers"] = true }
        if !journal.isEmpty {
            o["journal"] = .array(journal.map { .object(["key": .string($0.key), "result": .object($0.result)]) })
        }
        return .object(o)
    }

    /// Reads a cassette document; the error says which field is wrong (`file` names the
    /// cassette in the message).
    public init(json: JSONValue, file: String) throws {
        let slash = file.lastIndex(of: "/")
        let folder = slash.map { $0 == file.startIndex ? "/" : String(file[..<$0]) } ?? ""
        func invalid(_ problem: String) -> SMSError { FixtureError.invalid(file, problem) }
        guard let root = json.objectValue else { throw invalid("the document is a JSON \(json.typeName), not an object") }
        guard let version = root["version"] else { throw invalid("'version' is missing") }
        guard case .int(let number) = version, Cassette.readableVersions.contains(number) else {
            throw invalid(
                "format version \(version.serializedString()) is not supported (this smsh reads versions 1 and 2)")
        }
        guard let stamp = root["recordedAt"]?.stringValue else { throw invalid("'recordedAt' is missing or not a string") }
        guard let recordedAt = UTCTimestamp.parse(stamp) else {
            throw invalid("'recordedAt' \(stamp.debugDescription) is not an ISO 8601 time like 2026-11-29T11:50:01Z")
        }
        guard let list = root["interactions"]?.arrayValue else { throw invalid("'interactions' is missing or not an array") }
        var interactions: [Interaction] = []
        interactions.reserveCapacity(list.count)
        for (i, item) in list.enumerated() {
            let at = "interactions[\(i)]"
            do {
                interactions.append(try Interaction(json: item, folder: folder))
            } catch let problem as ShapeProblem {
                throw invalid("\(at)\(problem.path.isEmpty ? "" : ".")\(problem.path) \(problem.reason)")
            }
        }
        var masked = false
        if let flag = root["maskedNumbers"] {
            guard case .bool(let b) = flag else { throw invalid("'maskedNumbers' is not true or false") }
            masked = b
        }
        var answers: [JournalAnswer] = []
        if let list = root["journal"] {
            guard let items = list.arrayValue else { throw invalid("'journal' is not an array") }
            for (i, item) in items.enumerated() {
                guard let key = item["key"]?.stringValue, !key.isEmpty else { throw invalid("journal[\(i)].key is missing or not a string") }
                guard let result = item["result"]?.objectValue else { throw invalid("journal[\(i)].result is missing or not an object") }
                answers.append(JournalAnswer(key: key, result: result))
            }
        }
        self.init(recordedAt: recordedAt, interactions: interactions, maskedNumbers: masked, journal: answers)
    }
}

/// A wrong field inside one interaction; the caller prefixes where the interaction is.
struct ShapeProblem: Error {
    var path: String
    var reason: String
}

extension Interaction {
    var jsonValue: JSONValue {
        .object(["request": request.jsonValue, "response": response.jsonValue])
    }

    /// - Parameter folder: the cassette's folder, where sidecar bodies are found.
    init(json: JSONValue, folder: String = "") throws {
        guard let o = json.objectValue else { throw ShapeProblem(path: "", reason: "is not an object") }
        guard let request = o["request"] else { throw ShapeProblem(path: "request", reason: "is missing") }
        guard let response = o["response"] else { throw ShapeProblem(path: "response", reason: "is missing") }
        self.init(request: try RecordedRequest(json: request), response: try RecordedResponse(json: response, folder: folder))
    }
}

extension RecordedRequest {
    var jsonValue: JSONValue {
        var o: [String: JSONValue] = ["method": .string(method), "path": .string(path)]
        if !query.isEmpty { o["query"] = RecordedRequest.queryJSON(query) }
        if let body { o["body"] = body }
        return .object(o)
    }

    /// A single value is a string, a repeated parameter an array of strings.
    static func queryJSON(_ query: [String: [String]]) -> JSONValue {
        .object(query.mapValues(RecordedRequest.queryValue))
    }

    init(json: JSONValue) throws {
        guard let o = json.objectValue else { throw ShapeProblem(path: "request", reason: "is not an object") }
        guard let method = o["method"]?.stringValue else { throw ShapeProblem(path: "request.method", reason: "is missing or not a string") }
        guard let path = o["path"]?.stringValue else { throw ShapeProblem(path: "request.path", reason: "is missing or not a string") }
        var query: [String: [String]] = [:]
        if let q = o["query"] {
            guard let fields = q.objectValue else { throw ShapeProblem(path: "request.query", reason: "is not an object") }
            for (name, value) in fields {
                switch value {
                case .string(let s): query[name] = [s]
                case .array(let items):
                    let strings = items.compactMap(\.stringValue)
                    guard strings.count == items.count else {
                        throw ShapeProblem(path: "request.query.\(name)", reason: "must be a string or an array of strings")
                    }
                    query[name] = strings
                default: throw ShapeProblem(path: "request.query.\(name)", reason: "must be a string or an array of strings")
                }
            }
        }
        self.init(method: method, path: path, query: query, body: o["body"])
    }
}

extension RecordedResponse {
    var jsonValue: JSONValue {
        var o: [String: JSONValue] = ["status": .int(Int64(status))]
        if !headers.isEmpty { o["headers"] = .object(headers.mapValues(JSONValue.string)) }
        switch body {
        case .none: break
        case .json(let value): o["body"] = value
        case .text(let text): o["bodyText"] = .string(text)
        case .sidecar(let ref):
            o["bodyFile"] = .object(["file": .string(ref.file), "sha256": .string(ref.sha256), "bytes": .int(Int64(ref.bytes))])
        }
        return .object(o)
    }

    init(json: JSONValue, folder: String = "") throws {
        guard let o = json.objectValue else { throw ShapeProblem(path: "response", reason: "is not an object") }
        guard let statusValue = o["status"], case .int(let status) = statusValue, (100...999).contains(status) else {
            throw ShapeProblem(path: "response.status", reason: "is missing or not an HTTP status")
        }
        var headers: [String: String] = [:]
        if let h = o["headers"] {
            guard let fields = h.objectValue else { throw ShapeProblem(path: "response.headers", reason: "is not an object") }
            for (name, value) in fields {
                guard let text = value.stringValue else {
                    throw ShapeProblem(path: "response.headers.\(name)", reason: "is not a string")
                }
                headers[name.lowercased()] = text
            }
        }
        let body: Body
        let given = [o["body"], o["bodyText"], o["bodyFile"]].compactMap { $0 }.count
        guard given <= 1 else { throw ShapeProblem(path: "response", reason: "has more than one of 'body', 'bodyText' and 'bodyFile'") }
        if let value = o["body"] {
            body = .json(value)
        } else if let text = o["bodyText"] {
            guard let s = text.stringValue else { throw ShapeProblem(path: "response.bodyText", reason: "is not a string") }
            body = .text(s)
        } else if let ref = o["bodyFile"] {
            guard let file = ref["file"]?.stringValue, !file.isEmpty, !file.hasPrefix("/"), !file.split(separator: "/").contains("..")
            else { throw ShapeProblem(path: "response.bodyFile.file", reason: "must be a relative path inside the cassette's folder") }
            guard let digest = ref["sha256"]?.stringValue else { throw ShapeProblem(path: "response.bodyFile.sha256", reason: "is missing or not a string") }
            guard case .int(let size)? = ref["bytes"], size >= 0 else {
                throw ShapeProblem(path: "response.bodyFile.bytes", reason: "is missing or not a size")
            }
            body = .sidecar(SidecarBody(file: file, sha256: digest, bytes: Int(size), folder: folder))
        } else {
            body = .none
        }
        self.init(status: Int(status), headers: headers, body: body)
    }
}

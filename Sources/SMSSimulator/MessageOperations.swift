import SMSClient

/// `messages` (the list), `cancel`, and the recipients page.
extension SimulatorState {
    static let messageStatuses: Set<String> = ["sent", "failed", "pending", "scheduled", "cancelled"]

    func listMessages(_ query: QueryFields, now: Double) throws -> JSONValue {
        let status = query.string("status")
        if let status, !Self.messageStatuses.contains(status) {
            throw APIError.invalidParameter("status must be one of sent, failed, pending, scheduled, cancelled")
        }
        let page = try query.integer("page", default: 1, in: 1...Int.max)
        let limit = try query.integer("limit", default: 20, in: 1...100)
        var matching: [StoredMessage] = []
        for m in messages.reversed() where status == nil || m.status(at: now) == status {
            matching.append(m)
        }
        let (start, overflow) = (page - 1).multipliedReportingOverflow(by: limit)
        let slice = !overflow && start < matching.count ? matching[start..<min(matching.count, start + limit)] : []
        return [
            "data": .array(slice.map { $0.json(at: now) }), "page": .int(Int64(page)), "limit": .int(Int64(limit)),
            "total": .int(Int64(matching.count)),
        ]
    }

    func cancel(uuid: String, now: Double) throws -> JSONValue {
        let m = try message(uuid: uuid)
        guard m.scheduledTime != nil else {
            throw APIError(status: 400, code: "NOT_SCHEDULED", message: "Message \(uuid) was not scheduled")
        }
        guard !m.cancelled else {
            throw APIError(status: 409, code: "ALREADY_CANCELLED", message: "Message \(uuid) is already cancelled")
        }
        guard now < m.start else {
            throw APIError(status: 409, code: "ALREADY_PROCESSING", message: "Message \(uuid) has already started")
        }
        m.cancelled = true
        balance += Double(m.credits)
        return ["uuid": .string(uuid), "status": "cancelled", "refunded": .int(Int64(m.credits))]
    }

    /// One page of recipients. With `after` (cursor = position of the last returned recipient,
    /// 0 to start): scans forward from the cursor only, so a page costs the same at any depth.
    /// Without `after`: offset paging by `page`, with `total`.
    ///
    /// Returns the JSON body as bytes, written directly rather than through `JSONValue`
    /// objects: this is the endpoint that pages through millions of recipients.
    func recipients(uuid: String, query: QueryFields, now: Double) throws -> [UInt8] {
        let m = try message(uuid: uuid)
        var filter: Set<RecipientStatus>?
        if let text = query.string("status") {
            guard let f = RecipientStatus.filter(text) else {
                throw APIError.invalidParameter(
                    "status must be one of pending, success, failed, invalid, blocked, expired, timeout")
            }
            filter = f
        }
        let limit = try query.integer("limit", default: 100, in: 1...1000)
        // Validated even when a cursor makes it irrelevant: a malformed parameter is an error.
        let page = try query.integer("page", default: 1, in: 1...Int.max)
        let counts = m.counts(at: now)
        let n = m.recipientCount
        var out = RecipientPageWriter(capacity: min(limit, n))

        if query.string("after") != nil {
            let after = try query.integer("after", default: 0, in: 0...Int.max)
            var index = min(after, n)
            var cursor = after
            var returned = 0
            while index < n, returned < limit {
                let (status, updated) = m.recipient(index, at: now)
                if filter?.contains(status) ?? true {
                    out.item(msisdn: m.msisdns[index], status: status, updatedAt: updated)
                    returned += 1
                    cursor = index + 1
                }
                index += 1
            }
            var hasMore = false
            if let filter {
                // Peek for one more match; the next page would scan these positions anyway.
                while index < n, !hasMore {
                    hasMore = filter.contains(m.recipient(index, at: now).0)
                    index += 1
                }
            } else {
                hasMore = index < n
            }
            return out.finish(["nextCursor": .int(Int64(cursor)), "hasMore": .bool(hasMore)], summary: counts)
        }

        let (skip, overflow) = (page - 1).multipliedReportingOverflow(by: limit)
        let total = filter.map { f in f.reduce(0) { $0 + counts[$1.index] } } ?? n
        if !overflow, skip < n {
            if let filter {
                var seen = 0
                var returned = 0
                var index = 0
                while index < n, returned < limit {
                    let (status, updated) = m.recipient(index, at: now)
                    if filter.contains(status) {
                        if seen >= skip {
                            out.item(msisdn: m.msisdns[index], status: status, updatedAt: updated)
                            returned += 1
                        }
                        seen += 1
                    }
                    index += 1
                }
            } else {
                for index in skip..<min(n, skip + limit) {
                    let (status, updated) = m.recipient(index, at: now)
                    out.item(msisdn: m.msisdns[index], status: status, updatedAt: updated)
                }
            }
        }
        return out.finish(
            ["page": .int(Int64(page)), "limit": .int(Int64(limit)), "total": .int(Int64(total))], summary: counts)
    }
}

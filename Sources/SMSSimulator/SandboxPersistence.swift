#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SMSClient

/// Keeps a `SimulatorEngine`'s account in a `SandboxStorage` (the persistent `--sandbox`):
/// every API request is one store transaction (an exclusive lock across processes) that
/// loads the account's credit, message counter and clock, loads the messages the request
/// needs (the one it names, or all of them for the list) that this process has not loaded
/// yet, applies the request, and writes back what changed. Recipients' statuses are never
/// stored: they are recomputed from the seed, as the simulator always does.
///
/// Virtual time: the sandbox clock is saved with the real time of the save; it continues
/// from there plus the real time elapsed since, and never runs backwards (a run that waited
/// virtual hours leaves the clock hours ahead for the next command).
public final class SandboxPersistence: @unchecked Sendable {
    public let store: any SandboxStorage
    let realNow: @Sendable () -> Double

    public init(store: any SandboxStorage, realNow: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.store = store
        self.realNow = realNow
    }

    /// Reads what `request` needs into `state`; returns the account as stored and the shared clock now.
    func load(into state: SimulatorState, request: TransportRequest) throws -> (SandboxAccount, Double) {
        guard let account = try store.account() else {
            throw SandboxStateError(description: "\(store.path) has no account (run `smsh sandbox reset`)")
        }
        state.balance = account.balance
        state.nextMessageNumber = account.nextMessageNumber
        var added = false
        if case .found(let operation, let uuid) = RouteTable.match(method: request.method, path: request.path) {
            if let uuid, state.messagesByUUID[uuid] == nil, let row = try store.message(uuid: uuid) {
                add(row, to: state)
                added = true
            }
            if operation == .messages {
                for row in try store.messages(except: Set(state.messages.map(\.number))) {
                    add(row, to: state)
                    added = true
                }
            }
        }
        if added { state.messages.sort { $0.number < $1.number } }
        // Another process may have cancelled one of the messages this one holds.
        let cancelled = try store.cancelledNumbers()
        if !cancelled.isEmpty {
            for m in state.messages where !m.cancelled && cancelled.contains(m.number) { m.cancelled = true }
        }
        return (account, account.clock(atReal: realNow()))
    }

    private func add(_ row: SandboxMessage, to state: SimulatorState) {
        let m = StoredMessage(number: row.number, uuid: row.uuid, sender: row.sender, content: row.content, parts: row.parts,
                              createdAt: row.createdAt, scheduledTime: row.scheduledTime, msisdns: row.msisdns, model: state.model)
        m.cancelled = row.cancelled
        if let id = row.templateId {
            let variables = row.variables.flatMap { try? JSONValue.parse($0) }?.objectValue ?? [:]
            m.template = (id, variables)
        }
        state.messages.append(m)
        state.messagesByUUID[m.uuid] = m
    }

    /// Writes back the request's changes: new messages, a cancellation, credit, counter, clock.
    func save(_ state: SimulatorState, previous: SandboxAccount, request: TransportRequest, now: Double) throws {
        for m in state.messages.reversed() {
            guard m.number >= previous.nextMessageNumber else { break }
            try store.insert(SandboxMessage(
                number: m.number, uuid: m.uuid, sender: m.sender, content: m.content, parts: m.parts, createdAt: m.createdAt,
                scheduledTime: m.scheduledTime, msisdns: m.msisdns, cancelled: m.cancelled, templateId: m.template?.id,
                variables: m.template.map { JSONValue.object($0.variables).serializedString(sortedKeys: true) }))
        }
        if case .found(.cancel, let uuid?) = RouteTable.match(method: request.method, path: request.path),
           let m = state.messagesByUUID[uuid], m.cancelled {
            try store.setCancelled(number: m.number)
        }
        var account = previous
        account.balance = state.balance
        account.nextMessageNumber = state.nextMessageNumber
        let real = realNow()
        account.virtualTime = max(now, previous.clock(atReal: real))
        account.savedAt = real
        if account != previous { try store.save(account) }
    }
}

extension SimulatorEngine {
    /// An API request against the persistent sandbox, under the engine's lock.
    func handlePersistent(_ request: TransportRequest, _ p: SandboxPersistence) -> SimulatorReply {
        do {
            return try p.store.transaction {
                let (account, shared) = try p.load(into: state, request: request)
                var now = clock.now() + clockOffset
                // Another run moved the shared clock further: this one follows.
                if shared > now {
                    clockOffset += shared - now
                    now = shared
                }
                state.apiRequests += 1
                var reply = answerAPI(request, now: now)
                reply.delay += state.nextLatency()
                if reply.response?.status == 429 { state.throttled += 1 }
                try p.save(state, previous: account, request: request, now: now)
                return reply
            }
        } catch {
            return .respond(APIError(status: 500, code: "SANDBOX_STATE",
                                     message: "the sandbox's state (\(p.store.path)) could not be read or written: \(error)").response)
        }
    }
}

struct SandboxStateError: Error, CustomStringConvertible {
    let description: String
}

extension SandboxPersistence {
    /// A time as the simulator writes it (ISO 8601 with its offset), for `smsh sandbox status`.
    public static func isoTime(_ epoch: Double) -> String { ISOTime.format(epoch) }
}

import SMSClient

/// Where the persistent sandbox's account is kept (`SandboxPersistence`): the smsh binary
/// gives one on the state store (`$XDG_STATE_HOME/smsh/sandbox/`, SMSState's `SandboxStore`);
/// the simulator itself keeps nothing on disk and imports no store. The records,
/// `SandboxAccount` and `SandboxMessage`, are SMSClient's, which both import.
public protocol SandboxStorage: AnyObject, Sendable {
    /// Where it lives, for error messages.
    var path: String { get }
    /// Runs `body` holding the account exclusively (across processes, for a file).
    func transaction<T>(_ body: () throws -> T) throws -> T
    func account() throws -> SandboxAccount?
    func save(_ account: SandboxAccount) throws
    func message(uuid: String) throws -> SandboxMessage?
    /// Every message with a number not in `known`, oldest first.
    func messages(except known: Set<UInt64>) throws -> [SandboxMessage]
    func cancelledNumbers() throws -> Set<UInt64>
    func insert(_ message: SandboxMessage) throws
    func setCancelled(number: UInt64) throws
}

import SMSClient
#if canImport(Glibc)
import Glibc
#endif
import Threading

/// The persistent sandbox account (`$XDG_STATE_HOME/smsh/sandbox/sandbox.sqlite3`, folder
/// 0700): its settings, credit, message counter and virtual clock in one `account` row, and
/// one row per message (its numbers as text; statuses are recomputed from the seed, never
/// stored). Every `--sandbox` run and one-off command of the user shares it.
///
/// Concurrency: each API request of the sandbox is one `BEGIN IMMEDIATE` transaction
/// (`transaction`), which SQLite holds as an exclusive lock on the file across processes:
/// the request reads the account, works and writes back before another can start. A run
/// holds no lock between its requests, so a long script never blocks a second command.
public final class SandboxStore: @unchecked Sendable {
    /// The account row and a message row: the simulator's records (SMSClient), so the
    /// store is the simulator's `SandboxStorage` as it is (smsh says so, it imports both).
    public typealias Account = SandboxAccount
    public typealias Message = SandboxMessage

    private let db: SQLiteDatabase
    private let lock = ConditionVariable()
    public let directory: String
    public var path: String { directory + "/sandbox.sqlite3" }

    /// `$XDG_STATE_HOME/smsh/sandbox` (default `~/.local/state/smsh/sandbox`).
    public static func defaultDirectory(environment get: (String) -> String? = { getenv($0).map { String(cString: $0) } }) -> String {
        SQLiteStateStore.directory(of: SQLiteStateStore.defaultPath(environment: get)) + "/sandbox"
    }

    /// Opens (creating 0700 / 0600 if missing) the sandbox store in `directory`.
    public init(directory: String) throws {
        self.directory = directory
        try Self.makeDirectory(directory)
        db = try SQLiteDatabase(path: directory + "/sandbox.sqlite3")
        try db.execute("""
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=NORMAL;
            CREATE TABLE IF NOT EXISTS account(
                id INTEGER PRIMARY KEY CHECK (id = 1), seed TEXT NOT NULL, uuid_seed TEXT NOT NULL,
                starting_credit REAL NOT NULL, balance REAL NOT NULL, next_number INTEGER NOT NULL,
                virtual_time REAL NOT NULL, saved_at REAL NOT NULL);
            CREATE TABLE IF NOT EXISTS messages(
                number INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, sender TEXT NOT NULL, content TEXT NOT NULL,
                parts INTEGER NOT NULL, created_at REAL NOT NULL, scheduled_time REAL, msisdns TEXT NOT NULL,
                recipients INTEGER NOT NULL, cancelled INTEGER NOT NULL DEFAULT 0, template_id INTEGER, variables TEXT);
            """, waitingWhileBusy: 30)
    }

    /// Runs `body` as one write transaction: an exclusive lock on the sandbox across processes.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try lock.withLock { try db.writeTransaction(body) }
    }

    public func account() throws -> Account? {
        var out: Account?
        try db.query("SELECT seed, uuid_seed, starting_credit, balance, next_number, virtual_time, saved_at FROM account WHERE id = 1") {
            out = Account(seed: UInt64($0.text(0) ?? "") ?? 1, uuidSeed: UInt64($0.text(1) ?? "") ?? 0, startingCredit: $0.real(2),
                          balance: $0.real(3), nextMessageNumber: UInt64($0.integer(4)), virtualTime: $0.real(5), savedAt: $0.real(6))
        }
        return out
    }

    public func save(_ a: Account) throws {
        try db.query("""
            INSERT OR REPLACE INTO account(id, seed, uuid_seed, starting_credit, balance, next_number, virtual_time, saved_at)
            VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)
            """, [.text(String(a.seed)), .text(String(a.uuidSeed)), .real(a.startingCredit), .real(a.balance),
                  .integer(Int64(a.nextMessageNumber)), .real(a.virtualTime), .real(a.savedAt)])
    }

    /// Starts the account over: every message gone, `account` in its place.
    public func reset(to a: Account) throws -> Int {
        let n = try messageCount()
        try db.execute("DELETE FROM messages")
        try save(a)
        return n
    }

    public func messageCount() throws -> Int {
        var n = 0
        try db.query("SELECT COUNT(*) FROM messages") { n = Int($0.integer(0)) }
        return n
    }

    private static let messageColumns =
        "number, uuid, sender, content, parts, created_at, scheduled_time, msisdns, cancelled, template_id, variables"

    public func message(uuid: String) throws -> Message? {
        var out: Message?
        try db.query("SELECT \(Self.messageColumns) FROM messages WHERE uuid = ?1", [.text(uuid)]) { out = Self.message(from: $0) }
        return out
    }

    /// Every message with a number not in `except`, oldest first.
    public func messages(except known: Set<UInt64>) throws -> [Message] {
        var out: [Message] = []
        var numbers: [UInt64] = []
        try db.query("SELECT number FROM messages ORDER BY number") { numbers.append(UInt64($0.integer(0))) }
        for n in numbers where !known.contains(n) {
            try db.query("SELECT \(Self.messageColumns) FROM messages WHERE number = ?1", [.integer(Int64(n))]) {
                out.append(Self.message(from: $0))
            }
        }
        return out
    }

    /// The numbers of the cancelled messages.
    public func cancelledNumbers() throws -> Set<UInt64> {
        var out = Set<UInt64>()
        try db.query("SELECT number FROM messages WHERE cancelled = 1") { out.insert(UInt64($0.integer(0))) }
        return out
    }

    public func insert(_ m: Message) throws {
        var numbers = ""
        numbers.reserveCapacity(m.msisdns.count * 12)
        for (i, n) in m.msisdns.enumerated() {
            if i > 0 { numbers += "," }
            numbers += String(n)
        }
        try db.query("""
            INSERT INTO messages(number, uuid, sender, content, parts, created_at, scheduled_time, msisdns, recipients,
                                 cancelled, template_id, variables)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
            """, [.integer(Int64(m.number)), .text(m.uuid), .text(m.sender), .text(m.content), .integer(Int64(m.parts)),
                  .real(m.createdAt), m.scheduledTime.map { .real($0) } ?? .null, .text(numbers), .integer(Int64(m.msisdns.count)),
                  .integer(m.cancelled ? 1 : 0), m.templateId.map { .integer($0) } ?? .null, m.variables.map { .text($0) } ?? .null])
    }

    public func setCancelled(number: UInt64) throws {
        try db.query("UPDATE messages SET cancelled = 1 WHERE number = ?1", [.integer(Int64(number))])
    }

    private static func message(from row: SQLiteDatabase.Row) -> Message {
        var numbers: [UInt64] = []
        if let text = row.text(7) {
            numbers.reserveCapacity(text.utf8.count / 12 + 1)
            var value: UInt64 = 0
            var any = false
            for byte in text.utf8 {
                if byte == UInt8(ascii: ",") {
                    if any { numbers.append(value) }
                    value = 0
                    any = false
                } else {
                    value = value &* 10 &+ UInt64(byte &- UInt8(ascii: "0"))
                    any = true
                }
            }
            if any { numbers.append(value) }
        }
        return Message(number: UInt64(row.integer(0)), uuid: row.text(1) ?? "", sender: row.text(2) ?? "", content: row.text(3) ?? "",
                       parts: Int(row.integer(4)), createdAt: row.real(5), scheduledTime: row.isNull(6) ? nil : row.real(6),
                       msisdns: numbers, cancelled: row.integer(8) != 0, templateId: row.isNull(9) ? nil : row.integer(9),
                       variables: row.text(10))
    }

    private static func makeDirectory(_ dir: String) throws {
        var st = stat()
        if stat(dir, &st) == 0 { return }
        try makeDirectory(SQLiteStateStore.directory(of: dir))
        guard mkdir(dir, 0o700) == 0 || errno == EEXIST else {
            throw StateStoreError("cannot create \(dir): \(String(cString: strerror(errno)))")
        }
    }
}

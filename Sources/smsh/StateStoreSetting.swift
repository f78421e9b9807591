import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import SMSConfig
import SMSOperations
import SMSState
import SMSStatePostgres

/// Which state store a command uses: PostgreSQL when `state_url` (or `SMSH_STATE_URL`) is
/// set, else the local SQLite file. Opened lazily by its callers: a run that sends nothing
/// with `once` never connects.
enum StateStores {
    /// The state_url in effect, or nil (SQLite). A config file that cannot be read, or an
    /// unknown profile, throws its `ConfigError`: the state is never quietly the local file
    /// when the configuration may name a shared one.
    static func url(options: SessionSettings? = nil, environment env: Environment = .process) throws -> String? {
        let settings = options?.commandLine(maxCredits: nil) ?? CommandLineSettings()
        return try EffectiveConfig.resolve(commandLine: settings, environment: env).stateURL.value
    }

    /// `SMSH_LEASE_SECONDS` (tests use a short one), else 30 s.
    static func leaseSeconds(environment env: Environment = .process) -> Double {
        env["SMSH_LEASE_SECONDS"].flatMap(Double.init).flatMap { $0 > 0 ? $0 : nil } ?? PostgresStateStore.defaultLeaseSeconds
    }

    /// Parses `url` (libpq's password sources); a warning for an unreadable ~/.pgpass.
    static func postgresURL(_ url: String, environment env: Environment = .process) throws -> PostgresURL {
        do {
            let parsed = try PostgresURL(url, environment: { env[$0] })
            if let problem = parsed.passFileProblem { StderrMessages.warning(problem) }
            return parsed
        } catch let e as PostgresURL.ParseError {
            throw StateStoreError(e.description, code: "STATE_STORE")
        }
    }

    /// Opens the store `url` names (nil: the local SQLite file).
    static func open(url: String?, environment env: Environment = .process) throws -> StateStore {
        guard let url else { return try SQLiteStateStore(path: SQLiteStateStore.defaultPath()) }
        return try PostgresStateStore(url: try postgresURL(url, environment: env), leaseSeconds: leaseSeconds(environment: env))
    }

    /// Where the state lives, as messages show it (the URL masked).
    static func location(url: String?) -> String {
        url.map(PostgresURL.mask) ?? SQLiteStateStore.defaultPath()
    }
}

extension StateStores {
    /// `--lock NAME` across hosts: the advisory lock in the store `url` names. A store that
    /// cannot be reached ends the run before anything starts (STATE_STORE, exit 11).
    static func runLock(name: String, url: String, report: RunSummaryFile) throws -> (lock: PostgresRunLock, held: (pid: Int32?, host: String?)?) {
        do {
            let lock = PostgresRunLock(name: name, url: try postgresURL(url))
            switch try lock.acquire(host: SendOnceJournal.hostName()) {
            case .acquired: return (lock, nil)
            case .heldBy(let pid, let host): return (lock, (pid, host))
            }
        } catch let e as StateStoreError {
            report.error(code: "STATE_STORE")
            StderrMessages.error("--lock \(name): \(e.description); not starting", code: "STATE_STORE")
            throw ExitCode(ExitCodes.stateStore)
        }
    }
}

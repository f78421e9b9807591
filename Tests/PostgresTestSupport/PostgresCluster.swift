import Foundation
import TLSTestSupport

/// A throw-away PostgreSQL cluster for tests: `initdb` in a temporary folder (trust for the
/// superuser `smsh_test`, SCRAM passwords for `smsh_pw`), `pg_ctl start` on a free loopback
/// port with its socket in that folder, stopped and removed by `stop()`/deinit.
///
/// PostgreSQL refuses to run as root: when the tests run as root (CI here), the cluster runs
/// as `nobody` through `runuser` (or `setpriv`); if neither can, `start()` throws
/// `Unavailable` and the tests skip with its reason. initdb and pg_ctl are looked up in PATH
/// and /usr/lib/postgresql/*/bin (Debian's `postgresql`, installed by scripts/bootstrap).
public final class PostgresCluster: @unchecked Sendable {
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    public let directory: String
    public let port: Int
    public let superuser = "smsh_test"
    /// A role that logs in with a password only (for PGPASSWORD / .pgpass / URL tests).
    public let passwordUser = "smsh_pw"
    public let password = "pw-s3cret-Zq"
    private let bin: String
    private let runAs: [String]
    private var running = false

    public var dataDirectory: String { directory + "/data" }

    /// `postgresql://smsh_test@127.0.0.1:PORT/DB?sslmode=disable`.
    public func url(database: String = "postgres", user: String? = nil, password: String? = nil) -> String {
        let auth = (user ?? superuser) + (password.map { ":" + $0 } ?? "")
        return "postgresql://\(auth)@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    public init() throws {
        guard let bin = Self.binDirectory() else {
            throw Unavailable(description: "PostgreSQL is not installed (no initdb/pg_ctl in PATH or /usr/lib/postgresql/*/bin; scripts/bootstrap installs Debian's postgresql)")
        }
        self.bin = bin
        if getuid() == 0 {
            if FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser") {
                runAs = ["/usr/sbin/runuser", "-u", "nobody", "--"]
            } else if FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") {
                runAs = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]
            } else {
                throw Unavailable(description: "running as root and neither runuser nor setpriv can run PostgreSQL as another user")
            }
        } else {
            runAs = []
        }
        directory = "/tmp/smsh-pg-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if getuid() == 0 {
            chown(directory, 65534, 65534)
        }
        chmod(directory, 0o700)
        port = try freeLoopbackPort()
        try initialise()
        try start()
        try psql("CREATE ROLE \(passwordUser) LOGIN PASSWORD '\(password)'")
        try psql("CREATE DATABASE smsh_pw OWNER \(passwordUser)")
    }

    deinit { destroy() }

    /// A fresh database for one test (owned by the superuser).
    public func createDatabase(_ name: String) throws {
        try psql("CREATE DATABASE \(name)")
    }

    /// Runs SQL as the superuser in `database`; returns psql's unaligned output.
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") throws -> String {
        try run(bin + "/psql", ["-X", "-q", "-A", "-t", "-h", "127.0.0.1", "-p", String(port), "-U", superuser, "-d", database,
                                "-v", "ON_ERROR_STOP=1", "-c", sql], asCluster: false)
    }

    public func start() throws {
        guard !running else { return }
        try run(bin + "/pg_ctl", ["-D", dataDirectory, "-l", directory + "/log", "-w", "-t", "30",
                                  "-o", "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
                                  "start"], asCluster: true)
        running = true
    }

    /// Stops the server at once (`-m immediate`: connections drop as in a crash).
    public func stop() throws {
        guard running else { return }
        running = false
        try run(bin + "/pg_ctl", ["-D", dataDirectory, "-m", "immediate", "-w", "stop"], asCluster: true)
    }

    /// Stops the server and removes its folder.
    public func destroy() {
        try? stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func initialise() throws {
        let pwFile = directory + "/pw"
        try "unused\n".write(toFile: pwFile, atomically: true, encoding: .utf8)
        if getuid() == 0 { chown(pwFile, 65534, 65534) }
        try run(bin + "/initdb", ["-D", dataDirectory, "-A", "trust", "-U", superuser, "--no-sync", "-E", "UTF8", "--locale=C"],
                asCluster: true)
        // Passwords for smsh_pw (SCRAM), trust for the superuser; loopback only.
        let hba = """
            local all all trust
            host all \(passwordUser) 127.0.0.1/32 scram-sha-256
            host all all 127.0.0.1/32 trust
            host all all ::1/128 trust

            """
        try hba.write(toFile: dataDirectory + "/pg_hba.conf", atomically: false, encoding: .utf8)
    }

    /// Runs a tool (as the cluster's user when `asCluster`) and returns its output. Not with
    /// Foundation's Process: `pg_ctl start` leaves a server behind, and Process (run through
    /// runuser) was seen never to notice its exit. posix_spawn + waitpid, output to a file.
    @discardableResult
    private func run(_ tool: String, _ arguments: [String], asCluster: Bool) throws -> String {
        let prefix = asCluster ? runAs : []
        // In /tmp: the cluster's user (nobody) cannot enter root's working folder.
        let argv = ["/bin/sh", "-c", "cd /tmp && exec \"$@\"", "sh"] + prefix + [tool] + arguments
        let outFile = "/tmp/smsh-pg-out-\(UUID().uuidString.prefix(8))"
        defer { unlink(outFile) }
        let fd = open(outFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw Unavailable(description: "cannot create \(outFile)") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fd, 1)
        posix_spawn_file_actions_adddup2(&actions, fd, 2)
        var env = ProcessInfo.processInfo.environment
        env["LC_ALL"] = "C"
        env.removeValue(forKey: "PGPASSWORD")
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in cArgs { free(p) }
            for p in cEnv { free(p) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArgs, cEnv)
        close(fd)
        guard spawned == 0 else { throw Unavailable(description: "cannot run \(argv[0]): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: outFile, encoding: .utf8)) ?? ""
        let exited = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        guard exited == 0 else {
            let log = (try? String(contentsOfFile: directory + "/log", encoding: .utf8)) ?? ""
            throw Unavailable(description: "\((tool as NSString).lastPathComponent) failed (\(exited)): \(text)\n\(log.suffix(2000))")
        }
        return text
    }

    static func binDirectory() -> String? {
        var candidates: [String] = []
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") { candidates.append(String(dir)) }
        if let versions = try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql") {
            for v in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) { candidates.append("/usr/lib/postgresql/\(v)/bin") }
        }
        for dir in candidates {
            let fm = FileManager.default
            if fm.isExecutableFile(atPath: dir + "/initdb"), fm.isExecutableFile(atPath: dir + "/pg_ctl"), fm.isExecutableFile(atPath: dir + "/psql") {
                // PATH's initdb may be a symlink into /usr/lib/postgresql/N/bin: use the real folder.
                let real = (try? fm.destinationOfSymbolicLink(atPath: dir + "/initdb")).map { ($0 as NSString).deletingLastPathComponent } ?? dir
                return real.hasPrefix("/") && fm.isExecutableFile(atPath: real + "/pg_ctl") && fm.isExecutableFile(atPath: real + "/psql") ? real : dir
            }
        }
        return nil
    }
}

/// One cluster for a whole test process (started on first use, stopped at exit), so suites
/// share the cost of initdb.
public enum SharedPostgres {
    nonisolated(unsafe) private static var started: Result<PostgresCluster, Error>?
    private static let lock = NSLock()

    /// The shared cluster, or the reason there is none (tests skip with it).
    public static func cluster() throws -> PostgresCluster {
        lock.lock()
        defer { lock.unlock() }
        if started == nil {
            started = Result { () throws(any Error) -> PostgresCluster in try PostgresCluster() }
            if case .success(let c) = started { atexit_b { c.destroy() } }
        }
        return try started!.get()
    }

    private static func atexit_b(_ body: @escaping () -> Void) {
        exitHooks.append(body)
        if exitHooks.count == 1 { atexit { for h in SharedPostgres.exitHooks { h() } } }
    }
    nonisolated(unsafe) private static var exitHooks: [() -> Void] = []

    /// A fresh database name for one test.
    public static func newDatabase() throws -> (PostgresCluster, String) {
        let c = try cluster()
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        try c.createDatabase(name)
        return (c, name)
    }
}

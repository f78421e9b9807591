import Foundation

/// Debian's `tinyproxy` in the foreground on a free loopback port, with `BasicAuth USER PASS`
/// and a log file at `LogLevel Connect`, so a test can prove from the log which requests went
/// through it (`Request (file descriptor N): GET http://127.0.0.1:P/path HTTP/1.1` for a plain
/// request, `... CONNECT 127.0.0.1:P HTTP/1.1` for a tunnel). A wrong password gets 401 from
/// it, no credentials 407. With no `ConnectPort` line every port may be tunnelled.
public final class TinyproxyServer {
    public let directory: URL
    public let port: Int
    public let user: String
    public let password: String
    private let process: Process

    public var logFile: String { directory.appendingPathComponent("tinyproxy.log").path }

    /// `http://user:password@127.0.0.1:port` (user info percent-encoded).
    public func url(user: String? = nil, password: String? = nil) -> String {
        let u = (user ?? self.user).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let p = (password ?? self.password).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return "http://\(u):\(p)@127.0.0.1:\(port)"
    }

    public init(user: String = "alice", password: String = "s3cr3t") throws {
        self.user = user
        self.password = password
        directory = URL(fileURLWithPath: "/tmp/smsh-tinyproxy-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try freeLoopbackPort()
        let config = """
            Port \(port)
            Listen 127.0.0.1
            Timeout 30
            LogFile "\(directory.appendingPathComponent("tinyproxy.log").path)"
            LogLevel Connect
            MaxClients 50
            BasicAuth \(user) \(password)
            DisableViaHeader Yes

            """
        let configFile = directory.appendingPathComponent("tinyproxy.conf")
        try config.write(to: configFile, atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/tinyproxy")
        process.arguments = ["-d", "-c", configFile.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        guard waitForLoopbackPort(port, while: { self.process.isRunning }) else {
            stop()
            throw NSError(domain: "tinyproxy", code: 1, userInfo: [NSLocalizedDescriptionKey: "tinyproxy did not start"])
        }
    }

    /// The log so far.
    public var log: String { (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }

    /// The request lines the proxy logged (`GET http://127.0.0.1:8080/api/v2/credit HTTP/1.1`,
    /// `CONNECT 127.0.0.1:8443 HTTP/1.1`).
    public var requests: [String] {
        log.split(separator: "\n").compactMap { line in
            guard let r = line.range(of: "): ", options: .backwards), line.contains("Request (file descriptor") else { return nil }
            return String(line[r.upperBound...])
        }
    }

    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// Stops the proxy and removes its folder.
    public func remove() {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }
}

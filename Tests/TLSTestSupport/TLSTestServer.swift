import Foundation

/// A real TLS server on loopback: `openssl s_server -www` with certificates made by the
/// openssl CLI in a temporary directory (a CA, a server certificate for 127.0.0.1 signed by
/// it, and one for `localhost` only). `-www` answers any request with an HTTP/1.0 status page,
/// so an HTTP response proves the handshake passed. Shared by SMSClientTests and smshTests.
public final class TLSTestServer {
    /// The certificates the server can present.
    public enum Certificate: String {
        /// Issued by the test CA for IP 127.0.0.1.
        case loopbackIP = "server-ip"
        /// Issued by the test CA for DNS name localhost only (a mismatch for 127.0.0.1).
        case localhostName = "server-name"
    }

    public let directory: URL
    public let port: Int
    private let process: Process

    public var baseURL: String { "https://127.0.0.1:\(port)" }
    /// The CA that issued both server certificates (PEM).
    public var caFile: String { directory.appendingPathComponent("ca.pem").path }

    /// - Parameter files: when given, the server answers `GET /PATH` with the file's text
    ///   (`openssl s_server -WWW`, `HTTP/1.0 200 ok`): e.g. `["api/v2/credit": "{...}"]`.
    public init(certificate: Certificate = .loopbackIP, files: [String: String]? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("smsh-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Self.makeCertificates(in: directory)
        for (path, text) in files ?? [:] {
            let url = directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        port = try Self.freePort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = [
            "s_server", "-accept", "127.0.0.1:\(port)", "-cert", "\(certificate.rawValue).pem",
            "-key", "\(certificate.rawValue).key", files == nil ? "-www" : "-WWW", "-quiet",
        ]
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try waitUntilListening()
    }

    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }

    private static func makeCertificates(in dir: URL) throws {
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try openssl(["req", "-x509"] + key + [
            "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=smsh test CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ], in: dir)
        for (name, san) in [("server-ip", "IP:127.0.0.1"), ("server-name", "DNS:localhost")] {
            try openssl(["req"] + key + ["-keyout", "\(name).key", "-out", "\(name).csr", "-subj", "/CN=smsh test server"], in: dir)
            try "subjectAltName=\(san)\nextendedKeyUsage=serverAuth\n".write(
                to: dir.appendingPathComponent("\(name).ext"), atomically: true, encoding: .utf8)
            try openssl([
                "x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "\(name).pem", "-days", "2", "-extfile", "\(name).ext",
            ], in: dir)
        }
    }

    private static func openssl(_ arguments: [String], in dir: URL) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        p.arguments = arguments
        p.currentDirectoryURL = dir
        p.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        p.standardError = errors
        try p.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw NSError(domain: "openssl", code: Int(p.terminationStatus), userInfo: [NSLocalizedDescriptionKey: text])
        }
    }

    /// A port nothing listens on now (bound to 0 and released).
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard bound else { throw NSError(domain: "bind", code: Int(errno)) }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// Polls with plain TCP connects (which s_server shrugs off) until the port accepts.
    private func waitUntilListening() throws {
        for _ in 0..<200 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            addr.sin_port = UInt16(port).bigEndian
            let ok = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            close(fd)
            if ok { return }
            guard process.isRunning else { break }
            usleep(25_000)
        }
        throw NSError(domain: "s_server", code: 1, userInfo: [NSLocalizedDescriptionKey: "openssl s_server did not start"])
    }
}

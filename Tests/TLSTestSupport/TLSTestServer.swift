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
        port = try freeLoopbackPort()
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

    /// Waits until s_server accepts (plain TCP connects, which it shrugs off).
    private func waitUntilListening() throws {
        guard waitForLoopbackPort(port, while: { process.isRunning }) else {
            throw NSError(domain: "s_server", code: 1, userInfo: [NSLocalizedDescriptionKey: "openssl s_server did not start"])
        }
    }
}

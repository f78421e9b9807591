import Foundation
import XCTest

/// `smsh serve` on a free loopback port for end-to-end tests: its output goes to `log`
/// (where the printed base URL is read from); `stop()` ends it.
final class ServeProcess {
    let process = Process()
    private(set) var baseURL = ""

    /// Starts the server and waits (up to 10 s) for its base URL; a failure to start fails
    /// the test and leaves `baseURL` empty.
    init(apiKey: String, extra: [String] = [], log: String, errorsToLog: Bool = false) throws {
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.executableURL = SmshProcess.binary
        process.arguments = ["serve", "--port", "0", "--api-key", apiKey] + extra
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = errorsToLog ? handle : FileHandle.nullDevice
        try process.run()
        for _ in 0..<200 {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let r = text.range(of: #"http://127\.0\.0\.1:\d+"#, options: .regularExpression) {
                baseURL = String(text[r])
                return
            }
            usleep(50_000)
        }
        XCTFail("smsh serve did not start; its output:\n\((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}

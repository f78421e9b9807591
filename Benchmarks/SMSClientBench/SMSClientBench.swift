import Foundation
import SMSClient
import SMSSimulator

/// Scale benchmark of the API client against an in-process simulator over loopback HTTP
/// (run by `scripts/bench/client_scale`). Prints figures; asserts nothing.
///
/// (a) a 2,000,000-number send: validated, encoded, sent and accepted (target ≤ 3 s, peak RSS
///     ≤ 400 MB); (b) paging 1,000,000 recipients at limit=1000 with `after` (target
///     ≥ 200,000 recipients/s).
@main
struct SMSClientBench {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        let sendCount = Int(arguments.first ?? "") ?? 2_000_000
        let pageCount = Int(arguments.dropFirst().first ?? "") ?? 1_000_000

        let engine = SimulatorEngine(
            config: SimulatorConfig(startingCredit: 100_000_000), clock: VirtualClock(start: 1_780_000_000))
        let server = try SimulatorServer.start(engine: engine, host: "127.0.0.1", port: 0)
        defer { server.stop() }
        let transport = HTTPTransport(baseURL: server.baseURL, connectTimeout: 5, readTimeout: 300)
        defer { transport.shutdown() }
        let client = SMSClient(transport: transport, apiKey: "sk_test_smsh_demo", clock: SystemClock(), retry: .never)

        print("client_scale: simulator at \(server.baseURL)")
        print(String(format: "peak RSS before: %.0f MB", peakRSSMegabytes()))

        // (a) one send at the API's maximum.
        let numbers = distinctNumbers(sendCount)
        let request = SendRequest(sender: "SMSHDEMO", content: "Scale test", msisdns: MSISDNList(numbers))
        let validateStart = Date()
        let encoded = try request.encoded()
        let validateSeconds = Date().timeIntervalSince(validateStart)
        print(String(format: "(a) validate + encode %d numbers: %.3f s", sendCount, validateSeconds))
        _ = encoded

        let sendStart = Date()
        let result = try client.send(request)
        let sendSeconds = Date().timeIntervalSince(sendStart)
        print(
            String(
                format: "(a) send %d numbers (validate, encode, HTTP, accepted): %.3f s  [target <= 3 s]",
                sendCount, sendSeconds))
        print("    accepted: uuid=\(result.uuid ?? "-") recipients=\(result.recipients.map(String.init) ?? "-")")
        print(String(format: "    peak RSS: %.0f MB  [target <= 400 MB]", peakRSSMegabytes()))

        // (b) cursor paging through a large message.
        let pagedMessage = try client.send(
            SendRequest(sender: "SMSHDEMO", content: "Paging test", msisdns: MSISDNList(distinctNumbers(pageCount, offset: 50_000_000))))
        guard let uuid = pagedMessage.uuid else { throw BenchError("send for paging returned no uuid") }
        var cursor: Int64 = 0
        var seen = 0
        var pages = 0
        var firstPageSeconds = 0.0
        var lastPageSeconds = 0.0
        let pagingStart = Date()
        while true {
            let pageStart = Date()
            let page = try client.recipients(uuid: uuid, after: cursor, limit: 1000)
            let elapsed = Date().timeIntervalSince(pageStart)
            if pages == 0 { firstPageSeconds = elapsed }
            lastPageSeconds = elapsed
            pages += 1
            seen += page.data.count
            guard page.hasMore == true, let next = page.nextCursor else { break }
            cursor = next
        }
        let pagingSeconds = Date().timeIntervalSince(pagingStart)
        print(
            String(
                format: "(b) paged %d recipients in %d pages: %.3f s = %.0f recipients/s  [target >= 200000]",
                seen, pages, pagingSeconds, Double(seen) / pagingSeconds))
        print(String(format: "    first page %.2f ms, last page %.2f ms", firstPageSeconds * 1000, lastPageSeconds * 1000))
        print(String(format: "peak RSS at end: %.0f MB", peakRSSMegabytes()))
    }

    /// `count` distinct valid numbers, alternating the `0…` and `66…` forms.
    static func distinctNumbers(_ count: Int, offset: Int = 0) -> [String] {
        (0..<count).map { i in
            let national = String(800_000_000 + offset + i)
            return i % 2 == 0 ? "0" + national : "66" + national
        }
    }

    static func peakRSSMegabytes() -> Double {
        var usage = rusage()
        #if os(Linux)
            getrusage(Int32(RUSAGE_SELF.rawValue), &usage)  // Glibc imports RUSAGE_SELF as an enum
            return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
        #else
            getrusage(RUSAGE_SELF, &usage)
            return Double(usage.ru_maxrss) / 1024 / 1024  // bytes on macOS
        #endif
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

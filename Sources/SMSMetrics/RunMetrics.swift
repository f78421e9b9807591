import Prometheus
import SMSClient

/// A run's figures for monitoring (`--metrics FILE.prom`, `--metrics-push URL`), as plain
/// values: what `RunSummary`, `RequestCounters` and the limiter counted, and how the run ended.
public struct RunMetrics: Sendable, Equatable {
    public var sends = 0
    public var recipients: Int64 = 0
    public var credits: Double = 0
    /// HTTP requests by operation and outcome (status code, or the failure's code).
    public var apiRequests: [RequestCounters.Outcome: Int] = [:]
    public var retries = 0
    public var throttled = 0
    public var journalReplays = 0
    /// Errors by code (`INSUFFICIENT_CREDITS`, `LOCK_HELD`, ...).
    public var errors: [String: Int] = [:]
    public var durationSeconds: Double = 0
    public var exitCode: Int32 = 0
    /// When the run ended, in seconds since the Unix epoch.
    public var endedAt: Double = 0

    public init() {}

    /// The metric names, their type and help, in the order the text lists them.
    public static let families: [(name: String, type: String, help: String)] = [
        ("smsh_sends_total", "counter", "Sends the run made (sms.send, campaign rows, smsh send)."),
        ("smsh_recipients_total", "counter", "Recipients of the run's sends."),
        ("smsh_credits_spent_total", "counter", "Credits the run's sends used."),
        ("smsh_api_requests_total", "counter", "HTTP requests to the SMS API by operation and status code (or failure class when no answer came)."),
        ("smsh_retries_total", "counter", "API requests that were retries of a failed attempt."),
        ("smsh_throttled_total", "counter", "Answers 429 (rate limited) the run's limiter paced."),
        ("smsh_journal_replays_total", "counter", "Sends answered from the send-once journal (nothing sent)."),
        ("smsh_errors_total", "counter", "Errors by code (a send's failure, a held lock, a setup error, the error that ended the script)."),
        ("smsh_run_duration_seconds", "gauge", "How long the run took."),
        ("smsh_exit_code", "gauge", "The run's exit code (0 success; see smsh --help for the others)."),
        ("smsh_last_success_timestamp_seconds", "gauge", "When the run ended with exit code 0, in seconds since the Unix epoch (only set by a successful run)."),
    ]

    /// The Prometheus text format (version 0.0.4), every series with `labels` (the file
    /// carries `script`; a push leaves it to the Pushgateway's grouping key).
    /// `smsh_last_success_timestamp_seconds` only when the exit code is 0.
    public func text(labels: [(String, String)] = []) -> [UInt8] {
        let registry = PrometheusCollectorRegistry()
        var help: [String: String] = [:]
        for f in Self.families { help[f.name] = f.help }
        func counter(_ name: String, _ extra: [(String, String)] = []) -> Counter {
            registry.makeCounter(name: name, labels: extra + labels, help: help[name] ?? "")
        }
        func gauge(_ name: String) -> Gauge {
            registry.makeGauge(name: name, labels: labels, help: help[name] ?? "")
        }
        counter("smsh_sends_total").increment(by: Int64(sends))
        counter("smsh_recipients_total").increment(by: recipients)
        let spent = counter("smsh_credits_spent_total")
        if credits == credits.rounded(), abs(credits) < 1e15 { spent.increment(by: Int64(credits)) } else { spent.increment(by: credits) }
        for (outcome, n) in apiRequests.sorted(by: { ($0.key.operation, $0.key.code) < ($1.key.operation, $1.key.code) }) {
            counter("smsh_api_requests_total", [("operation", outcome.operation), ("code", outcome.code)]).increment(by: Int64(n))
        }
        counter("smsh_retries_total").increment(by: Int64(retries))
        counter("smsh_throttled_total").increment(by: Int64(throttled))
        counter("smsh_journal_replays_total").increment(by: Int64(journalReplays))
        for (code, n) in errors.sorted(by: { $0.key < $1.key }) {
            counter("smsh_errors_total", [("code", code)]).increment(by: Int64(n))
        }
        gauge("smsh_run_duration_seconds").set((durationSeconds * 1000).rounded() / 1000)
        gauge("smsh_exit_code").set(Double(exitCode))
        if exitCode == 0 { gauge("smsh_last_success_timestamp_seconds").set((endedAt * 1000).rounded() / 1000) }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(2048)
        registry.emit(into: &buffer)
        return Self.ordered(buffer)
    }

    /// The registry lists families (and a family's series) in hash order; a file that
    /// changes order on every run diffs badly, so families come in `families` order, each with
    /// its HELP and TYPE lines and then its series sorted.
    static func ordered(_ text: [UInt8]) -> [UInt8] {
        var headers: [String: [ArraySlice<UInt8>]] = [:]
        var series: [String: [ArraySlice<UInt8>]] = [:]
        for line in text.split(separator: UInt8(ascii: "\n")) {
            var name = line[...]
            let header = name.starts(with: "# HELP ".utf8) || name.starts(with: "# TYPE ".utf8)
            if header { name = name.dropFirst(7) }
            name = name.prefix { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "{") }
            let key = String(decoding: name, as: UTF8.self)
            if header { headers[key, default: []].append(line) } else { series[key, default: []].append(line) }
        }
        let known = families.map(\.name)
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        for name in known + Set(headers.keys).union(series.keys).subtracting(known).sorted() {
            let lines = (headers[name] ?? []) + (series[name] ?? []).sorted { $0.lexicographicallyPrecedes($1) }
            for line in lines { out += line + [UInt8(ascii: "\n")] }
        }
        return out
    }
}

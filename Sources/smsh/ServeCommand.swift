import ArgumentParser
import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import SMSClient
import SMSSimulator

/// `smsh serve`: the API simulator over HTTP, until SIGINT or SIGTERM.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the API simulator over HTTP.",
        discussion: HelpText.sentences("""
            Serves the provider API (see docs/openapi.yaml) from memory with demo data: senders \
            SMSHDEMO and INFO, contact groups 1 and 2, templates 1 and 2. Admin endpoints under \
            /_sim/ (advance, credit, faults, reset, stats) need no key. Stops cleanly on Ctrl-C.

            To behave like a provider in another region: --latency 50 delays every /api/ answer \
            by 50 ms (requests wait concurrently: 32 in flight take about 50 ms, not 32 x 50), \
            --latency 50:10 by 40-60 ms (seeded by --seed); POST /_sim/faults \
            {"latencyMs": 80, "jitterMs": 0} changes it while running. --rate-limit 200 answers \
            429 with Retry-After (seconds) above 200 requests/s per API key. GET /_sim/stats \
            counts requests, acceptedSends, maxInFlight (most /api/ requests served at once) and \
            throttled (429s given).
            """))

    @Option(help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port: Int = 8080

    @Option(help: "Seed for delivery outcomes, delays and uuids.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp(
        "Faults to inject into /api/ requests, e.g. 429=0.05,500=0.1,503=0.05,drop=0.02,slow=0.1:2,malformed=0.01,seed=7 or script=500;drop-after;429-no-retry-after;non-json.",
        valueName: "spec"))
    var faults: String?

    @Option(help: ArgumentHelp(
        "Delay every /api/ answer by MS milliseconds, or uniformly within MS-JITTER...MS+JITTER (default: none).",
        valueName: "ms[:jitter]"))
    var latency: String?

    @Option(name: .customLong("api-key"), help: ArgumentHelp("The API key with every scope.", valueName: "key"))
    var apiKey: String = "sk_test_smsh_demo"

    @Option(help: ArgumentHelp("Starting credit balance.", valueName: "credits"))
    var credit: Double = 10_000

    @Option(name: .customLong("rate-limit"), help: ArgumentHelp(
        "Requests per second allowed per API key, a token bucket with bursts of n; above it 429 with Retry-After (default: unlimited).",
        valueName: "n"))
    var rateLimit: Int?

    @Option(name: .customLong("time-scale"), help: ArgumentHelp(
        "Deliver X times faster in real time: with 60, reports due after 5-120 s arrive after 0.08-2 s.", valueName: "x"))
    var timeScale: Double = 1

    func validate() throws {
        guard timeScale > 0, timeScale.isFinite else { throw ValidationError("--time-scale must be a number > 0, not \(timeScale)") }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be within 0...65535") }
        if let rateLimit, rateLimit < 1 { throw ValidationError("--rate-limit must be at least 1") }
        guard credit.isFinite, credit >= 0 else { throw ValidationError("--credit must be a number >= 0") }
        guard !apiKey.isEmpty else { throw ValidationError("--api-key must not be empty") }
        if let latency {
            do {
                _ = try Latency.parse(spec: latency)
            } catch {
                throw ValidationError("--latency: \(error)")
            }
        }
        if let faults {
            do {
                _ = try FaultConfig.parse(spec: faults)
            } catch {
                throw ValidationError("--faults: \(error)")
            }
        }
    }

    func run() throws {
        var config = SimulatorConfig(
            seed: seed, apiKey: apiKey, startingCredit: credit, rateLimit: rateLimit,
            faults: try faults.map { try FaultConfig.parse(spec: $0) } ?? FaultConfig())
        config.timeScale = timeScale
        config.latency = try latency.map { try Latency.parse(spec: $0) } ?? .none
        let engine = SimulatorEngine(config: config, clock: SystemClock())

        // Take SIGINT/SIGTERM from the default action before anything can arrive.
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let stopRequested = DispatchSemaphore(value: 0)
        let sources = [SIGINT, SIGTERM].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stopRequested.signal() }
            source.resume()
            return source
        }

        let server: SimulatorServer
        do {
            server = try SimulatorServer.start(engine: engine, host: host, port: port)
        } catch {
            // "bind(descriptor:ptr:bytes:): Address already in use) (errno: 98)" as plain words.
            StderrMessages.error("serve: " + NetworkFailureText.listenFailure(error, host: host, port: port), code: "LISTEN")
            throw ExitCode(ExitCodes.usage)
        }
        print("smsh simulator listening on \(server.baseURL)")
        // A key given with --api-key may be a real one reused for a test: it was typed by the
        // operator and is not repeated into logs. The built-in demo key is public.
        print(apiKey == SimulatorConfig().apiKey ? "API key: \(apiKey)" : "API key: the one given with --api-key")
        if !config.latency.isNone {
            let jitter = config.latency.jitterMilliseconds > 0 ? " ± \(Self.format(config.latency.jitterMilliseconds))" : ""
            print("Latency: \(Self.format(config.latency.milliseconds))\(jitter) ms on every /api/ answer")
        }
        if let rateLimit { print("Rate limit: \(rateLimit) requests/s per API key") }
        fflush(nil)  // all streams; `stdout` itself is a mutable C global Swift 6 will not touch

        stopRequested.wait()
        server.stop()
        sources.forEach { $0.cancel() }
    }
}

extension ServeCommand {
    /// `50` rather than `50.0`.
    static func format(_ ms: Double) -> String {
        ms == ms.rounded() && abs(ms) < 1e15 ? String(Int64(ms)) : String(ms)
    }
}

struct ServeError: Error, CustomStringConvertible {
    let description: String
}

import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import SMSConfig
import SMSMetrics

/// `--metrics FILE.prom` and `--metrics-push URL`, for `smsh run` and the one-off commands.
struct MetricsOptions: ParsableArguments {
    @Option(help: ArgumentHelp("At exit (also on error, os.exit, a held lock), write the run's figures in the Prometheus text format to this file, atomically (for node_exporter's textfile collector; default: the profile's metrics_file).", valueName: "file"), completion: .file(extensions: ["prom"]))
    var metrics: String?

    @Option(help: ArgumentHelp("At exit, push the run's figures to this Pushgateway (base URL) under job smsh and the script's name (default: the profile's metrics_push); a failed push only warns.", valueName: "url"))
    var metricsPush: String?

    func validate() throws {
        if let metricsPush, let problem = Pushgateway.problem(metricsPush) {
            throw ValidationError("--metrics-push \(Pushgateway.masked(metricsPush)): \(problem)")
        }
    }
}

/// Where a run's metrics go: a file (written at exit, atomically) and a Pushgateway; each from
/// its flag, else the profile (`metrics_file`, `metrics_push`).
struct MetricsTargets {
    var file: String?
    var push: Pushgateway?
    /// Where each came from (`--metrics`, `profile nightly: metrics_file`), for messages.
    var fileSource = SettingSource.builtIn
    var pushSource = SettingSource.builtIn
    /// CA files to trust for an https Pushgateway besides the system's (`ca_file`, `SSL_CERT_FILE`).
    var caFiles: [String] = []

    /// The settings in effect (`--metrics`/`--metrics-push`, else the profile's keys), read
    /// before the run (or its lock) starts, so a run that stops early still writes them. With
    /// no config (it could not be read: the session reports why), only the flags count.
    static func resolve(config: EffectiveConfig?, file: String?, push: String?) throws -> MetricsTargets {
        var t = MetricsTargets()
        if let c = config {
            (t.file, t.fileSource) = (c.metricsFile.value, c.metricsFile.source)
            t.caFiles = c.extraCAFiles
        } else if let file {
            (t.file, t.fileSource) = (file, .flag("--metrics"))
        }
        var url: String?
        if let c = config {
            (url, t.pushSource) = (c.metricsPush.value, c.metricsPush.source)
        } else if let push {
            (url, t.pushSource) = (push, .flag("--metrics-push"))
        }
        if let url {
            guard let gateway = Pushgateway(url) else {
                StderrMessages.error("\(t.pushSource) \(Pushgateway.masked(url)): \(Pushgateway.problem(url) ?? "not a Pushgateway URL"); nothing was run",
                                     code: "USAGE")
                throw ExitCode(ExitCodes.usage)
            }
            t.push = gateway
        }
        if let f = t.file, let problem = RunSummaryFile.problem(writing: f) {
            let name = t.fileSource == .flag("--metrics") ? "--metrics \(f)" : "\(f) (\(t.fileSource))"
            StderrMessages.error("\(name): cannot write the metrics there: \(problem); nothing was run", code: "METRICS_IO")
            throw ExitCode(ExitCodes.usage)
        }
        return t
    }

    /// The effective config a session will run with, read once here (and handed to the
    /// session) so the metrics settings are known first; nil when it cannot be read (the
    /// session then reads it again and reports the problem as always).
    static func config(_ settings: SessionSettings, maxCredits: Double?, file: String?, push: String?) -> EffectiveConfig? {
        try? EffectiveConfig.resolve(commandLine: settings.commandLine(maxCredits: maxCredits).withMetrics(file: file, push: push),
                                     environment: .process)
    }

    /// Writes the file (atomically: FILE.tmp-PID, then renamed over FILE) and pushes; a
    /// failure is a message on stderr and never changes the run's exit code.
    func write(_ metrics: RunMetrics, script: String) {
        if let file {
            let bytes = metrics.text(labels: [("script", script)])
            let temporary = file + ".tmp-\(getpid())"
            let ok = FileManager.default.createFile(atPath: temporary, contents: Data(bytes), attributes: [.posixPermissions: 0o644])
                && rename(temporary, file) == 0
            if !ok {
                let reason = String(cString: strerror(errno))
                unlink(temporary)
                StderrMessages.error("cannot write the metrics to \(file): \(reason)", code: "METRICS_IO")
            }
        }
        if let push {
            do {
                try push.push(metrics, script: script, caFiles: caFiles)
            } catch let failure as PushFailure {
                StderrMessages.error("metrics push to \(push.masked) failed: \(Self.masked(failure.message, push))", code: "METRICS_PUSH")
            } catch {
                StderrMessages.error("metrics push to \(push.masked) failed: \(error)", code: "METRICS_PUSH")
            }
        }
    }

    /// A failure's text with the URL's password (if any) masked.
    static func masked(_ text: String, _ gateway: Pushgateway) -> String {
        gateway.url == gateway.masked ? text : text.replacing(gateway.url, with: gateway.masked)
    }
}

extension CommandLineSettings {
    func withMetrics(file: String?, push: String?) -> CommandLineSettings {
        var c = self
        c.metricsFile = file
        c.metricsPush = push
        return c
    }
}

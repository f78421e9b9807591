import Foundation
import LuaHost
import SMSClient
import SMSLua
import SMSOperations
import SMSState
import SMSSimulator
import XCTest

/// The soak: an hourly cron job (a report every 8 hours sent with a `once` key, then dr_retry's logic:
/// resend to the failed/expired/timeout recipients of every finished message, up to 2
/// generations, each resend with its own `once` key) run N times on virtual time against the
/// in-process simulator with seeded faults (429, 500, 503, dropped connections, truncated
/// bodies). One Lua state, one journal and one simulator live through the whole soak, as a
/// cron host's would. A final fault-free stretch lets every pending retry go out; then the
/// server's messages are checked: every intended message exists exactly once (no duplicate
/// send), every retry-worthy message has its resend (no lost retry), and the process's RSS
/// stays bounded. `SMSH_SOAK_ITERATIONS` sets N (`scripts/soak` runs 10,000).
final class SoakTests: XCTestCase {
    static let start = 1_767_571_200.0  // 2026-01-05T00:00:00Z, a Monday
    static let runEvery = 3_600.0

    /// The cron script. `soak_run(day, slot)` (slot 0–2: the day's 8-hour window) returns what the run did; `JOURNAL_UNCERTAIN` keys whose
    /// message is not on the server are returned in `unsent` for the operator to forget (the
    /// documented procedure: check sms.messages(), then `smsh journal forget KEY`).
    static let script = #"""
        local RETRY_WORTHY = {"failed", "expired", "timeout"}
        local MAX_GENERATION = 2
        local NUMBERS = {"0812000001", "0812000002", "0812000003", "0812000004", "0812000005", "0812000006"}

        local function find(list, text)
          for _, m in ipairs(list) do
            if m.content:find(text, 1, true) then return m end
          end
        end

        function soak_run(day, slot)
          local report = {sent = 0, replayed = 0, errors = 0, resolved = 0, unsent = {}}
          local recent  -- the server's latest messages, read once per run when needed
          local function latest()
            if recent == nil then recent = sms.messages{limit = 50}.data end
            return recent
          end
          local function send(args, content)
            args.sender, args.content = "SMSHDEMO", content
            local ok, r = pcall(sms.send, args)
            if ok then
              if r.replayed then report.replayed = report.replayed + 1 else report.sent = report.sent + 1 end
            elseif type(r) == "table" and r.code == "JOURNAL_UNCERTAIN" then
              -- An earlier run's send may have reached the server: its list decides.
              local found, list = pcall(latest)
              if not found then report.errors = report.errors + 1
              elseif find(list, content) then report.resolved = report.resolved + 1
              else report.unsent[#report.unsent + 1] = args.once end
            else
              report.errors = report.errors + 1
            end
          end

          local report_id = day .. "/" .. slot
          send({msisdns = NUMBERS, once = "report-" .. day .. "-" .. slot}, "Report " .. report_id .. " [gen 0]")

          recent = nil  -- after our own send, read the list afresh
          local ok, list = pcall(latest)
          if not ok then report.errors = report.errors + 1 return report end
          for _, m in ipairs(list) do
            local generation = tonumber(m.content:match("%[gen (%d)"))
            local s = m.drSummary
            if generation and generation < MAX_GENERATION and s.pending == 0
                and s.failed + s.expired + s.timeout > 0 and not find(list, " of " .. m.uuid .. "]") then
              local got, numbers = pcall(function()
                local found = {}
                for r in sms.each_recipient(m.uuid, {status = RETRY_WORTHY}) do found[#found + 1] = r.msisdn end
                return found
              end)
              if not got then
                report.errors = report.errors + 1
              elseif #numbers > 0 then
                local original = m.content:match("^Report (%S+)")
                send({msisdns = numbers, once = "retry-" .. m.uuid},
                     string.format("Report %s [gen %d of %s]", original, generation + 1, m.uuid))
              end
            end
          end
          return report
        end
        """#

    /// Resident set size of this process in bytes (Linux).
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    func testCronSoakSendsNothingTwiceAndLosesNoRetry() throws {
        let iterations = Int(ProcessInfo.processInfo.environment["SMSH_SOAK_ITERATIONS"] ?? "") ?? 400
        let drainRuns = 48
        let dir = "/tmp/smsh-soak-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }

        let clock = VirtualClock(start: Self.start)
        // One API request in five fails.
        let faults = FaultConfig(error500: 0.04, error503: 0.04, drop: 0.05, malformed: 0.02, error429: 0.05, seed: 20_261_129)
        let engine = SimulatorEngine(config: SimulatorConfig(seed: 42, startingCredit: 1e9, faults: faults), clock: clock)
        let transport = SimulatorTransport(engine: engine)
        let client = SMSClient(
            transport: transport, apiKey: SimulatorConfig().apiKey, clock: clock, retry: RetryPolicy(jitter: Jitter(seed: 9)))
        let store = try SQLiteStateStore(path: dir + "/state.sqlite3")
        let scope = StateScope(api: "soak", account: "")
        let environment = SMSEnvironment(clock: clock, journal: SendOnceJournal(scope: scope, store: { store })) { client }
        let lua = try LuaState()
        try lua.install(SMSModule(environment: environment))
        _ = try lua.run(Self.script, chunkName: "=soak")

        var totals = (sent: 0, replayed: 0, errors: 0, resolved: 0, forgotten: 0)
        var forgottenKeys: Set<String> = []
        var rssSamples: [Int] = []
        let wallStart = Date()
        for run in 0..<(iterations + drainRuns) {
            if run == iterations {
                // The fault-free stretch: whatever is still owed goes out now.
                _ = try transport.roundTrip(TransportRequest(method: "POST", path: "/_sim/faults", body: .object([:])))
            }
            let result = try lua.run("return soak_run(\(Self.reportID(at: clock.now(), separator: ", ")))", chunkName: "=cron")
                .first?.tableValue
            let report = try XCTUnwrap(result)
            totals.sent += Self.int(report["sent"])
            totals.replayed += Self.int(report["replayed"])
            totals.errors += Self.int(report["errors"])
            totals.resolved += Self.int(report["resolved"])
            // The operator's part: a key whose send provably did not reach the server is forgotten.
            for key in report["unsent"]?.tableValue?.array ?? [] {
                if let key = key.stringValue, try store.forget(scope: scope, key: key) > 0 {
                    totals.forgotten += 1
                    forgottenKeys.insert(key)
                }
            }
            if run % 1_000 == 0 || run == iterations + drainRuns - 1 { rssSamples.append(Self.residentBytes()) }
            clock.set(to: Self.start + Double(run + 1) * Self.runEvery)
        }
        let wall = Date().timeIntervalSince(wallStart)

        // The server's truth, read without faults.
        var messages: [Message] = []
        var page = 1
        while true {
            let list = try client.messages(page: page, limit: 100)
            if list.data.isEmpty { break }
            messages += list.data
            page += 1
        }
        var byContent: [String: Int] = [:]
        for m in messages { byContent[m.content ?? "", default: 0] += 1 }
        let duplicates = byContent.values.reduce(0) { $0 + max(0, $1 - 1) }
        let contents = Set(byContent.keys)

        var lost: [String] = []
        var worstLagRuns = 0
        var retried = 0
        for m in messages {
            guard let content = m.content, let generation = Self.generation(content), generation < 2,
                let uuid = m.uuid
            else { continue }
            let worthy = ["failed", "expired", "timeout"].reduce(Int64(0)) { $0 + (m.drSummary[$1] ?? 0) }
            guard worthy > 0 else { continue }
            guard let child = messages.first(where: { $0.content?.contains(" of \(uuid)]") == true }) else {
                lost.append(uuid)
                continue
            }
            retried += 1
            if let made = m.json["createdAt"]?.stringValue.flatMap(ISO8601Time.parse),
                let resent = child.json["createdAt"]?.stringValue.flatMap(ISO8601Time.parse) {
                worstLagRuns = max(worstLagRuns, Int((Double(resent - made) / Self.runEvery).rounded(.up)))
            }
        }
        let days = Int((Double(iterations) * Self.runEvery / 86_400).rounded(.up))
        // Every 8-hour window the soak covered whole must have its report.
        let windows = Int(Double(iterations) * Self.runEvery / 28_800)
        let missingReports = (0..<windows).map { Self.start + Double($0) * 28_800 }.filter { t in
            !contents.contains("Report \(Self.reportID(at: t, separator: "/")) [gen 0]")
        }
        // A window whose last run failed ambiguously ends before the operator frees its key: the
        // report is missed, but the operator was told (the key came back as not sent).
        let unreported = missingReports.filter { t in
            let id = Self.reportID(at: t, separator: "/").replacingOccurrences(of: "/", with: "-")
            return !forgottenKeys.contains("report-" + id)
        }
        let first = rssSamples.first ?? 0, last = rssSamples.last ?? 0
        let mb = { (bytes: Int) in String(format: "%.1f MB", Double(bytes) / 1_048_576) }
        print("""
            soak: \(iterations) cron runs (+\(drainRuns) fault-free) over \(days) simulated days in \(String(format: "%.1f", wall)) s wall
            soak: server requests \(engine.requestCount), accepted sends \(engine.acceptedSendCount), messages \(messages.count)
            soak: sends \(totals.sent), once replays \(totals.replayed), run errors (faults) \(totals.errors), \
            uncertain keys found sent \(totals.resolved), uncertain keys forgotten (not sent) \(totals.forgotten)
            soak: duplicate sends \(duplicates), retry-worthy messages resent \(retried), lost retries \(lost.count), \
            worst retry lag \(worstLagRuns) runs, reports missing \(missingReports.count) of \(windows) \
            (reported to the operator: \(missingReports.count - unreported.count))
            soak: RSS first \(mb(first)), last \(mb(last)), samples \(rssSamples.map(mb).joined(separator: " "))
            """)
        XCTAssertEqual(duplicates, 0, "a message was sent twice")
        XCTAssertEqual(engine.acceptedSendCount, messages.count)
        XCTAssertEqual(lost, [], "retry-worthy messages never resent")
        XCTAssertEqual(unreported.count, 0, "8-hour windows without their report, never reported")
        XCTAssertLessThanOrEqual(worstLagRuns, 24, "a retry waited more than a day of runs")
        XCTAssertGreaterThan(retried, 0, "the soak exercised retries")
        XCTAssertGreaterThan(totals.errors + totals.resolved + totals.forgotten, 0, "the faults were felt")
        XCTAssertLessThan(last - first, 64 << 20, "RSS grew by more than 64 MB")
    }

    /// `2026-01-05` and the 8-hour window (0–2) of an instant, joined by `separator` (quoted
    /// for Lua when the separator is ", ").
    static func reportID(at time: Double, separator: String) -> String {
        let day = String(ISO8601Time.formatUTC(epochSeconds: time).prefix(10))
        let slot = Int(time.truncatingRemainder(dividingBy: 86_400) / 28_800)
        return separator == "/" ? "\(day)/\(slot)" : "'\(day)'\(separator)\(slot)"
    }

    static func int(_ value: LuaValue?) -> Int {
        switch value {
        case .integer(let i)?: return Int(i)
        case .number(let d)?: return Int(d)
        default: return 0
        }
    }

    static func generation(_ content: String) -> Int? {
        guard let r = content.range(of: "[gen ") else { return nil }
        return content[r.upperBound...].first?.wholeNumberValue
    }
}

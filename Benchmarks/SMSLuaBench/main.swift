// Benchmark driver for scripts/bench/send_build: builds a send of N numbers from a Lua array
// (Lua → Swift conversion, normalisation, de-duplication, JSON encoding) and stops before
// the network: the transport only counts the body's bytes. Its peer, in the same Lua state
// and run, is lua-cjson encoding the same table.
import Foundation
import LuaHost
import SMSClient
import SMSLua

/// Stands where the network would be: takes the body's bytes (as HTTPTransport does), counts
/// them, answers 200. Nothing else can measure "everything before the network". The
/// recipients are counted from the body's length: `msisdns` comes last and every number
/// takes 14 bytes (`"66XXXXXXXXX",`), so no scan of the 28 MB is charged to smsh.
final class CountingTransport: Transport, @unchecked Sendable {
    var bytes = 0
    func roundTrip(_ request: TransportRequest) throws -> TransportResponse {
        let body = request.encodedBody ?? []
        bytes = body.count
        let marker = Array(#""msisdns":["#.utf8)
        var start = 0
        while start + marker.count <= body.count, !body[start..<(start + marker.count)].elementsEqual(marker) { start += 1 }
        // [ start of array ... ]} : (array bytes + 1 missing comma) / 14
        let n = (body.count - (start + marker.count) - 2 + 1) / 14
        return TransportResponse(status: 200, json: ["uuid": "bench", "status": "pending", "recipients": .int(Int64(n)), "parts": 1, "credits": .double(Double(n))])
    }
}

let n = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 2_000_000 : 2_000_000
let transport = CountingTransport()
let clock = SystemClock()
let env = SMSEnvironment(clock: clock) { SMSClient(transport: transport, apiKey: "bench", clock: clock) }
let lua = try LuaState()
try lua.install(SMSModule(environment: env))
let results = try lua.run("""
    local cjson = require "cjson"
    local clock = os.clock
    local numbers = {}
    for i = 1, \(n) do numbers[i] = string.format("08%08d", i % 100000000) end
    -- warm-up on a small list
    cjson.encode({sender = "SMSHDEMO", content = "x", msisdns = {"0812345678"}})
    sms.send{sender = "SMSHDEMO", content = "x", msisdns = {"0812345678"}}
    local best_cjson, best_smsh = math.huge, math.huge
    for round = 1, 3 do
      local t0 = clock()
      local text = cjson.encode({sender = "SMSHDEMO", content = "Flash sale today", msisdns = numbers})
      best_cjson = math.min(best_cjson, clock() - t0)
      t0 = clock()
      local r = sms.send{sender = "SMSHDEMO", content = "Flash sale today", msisdns = numbers}
      best_smsh = math.min(best_smsh, clock() - t0)
      assert(r.recipients == \(n))
    end
    return best_cjson, best_smsh
    """)
guard case .number(let cjson) = results[0], case .number(let smsh) = results[1] else { fatalError("bad results") }
print("numbers: \(n), best of 3 (CPU seconds, os.clock)")
print("lua-cjson encode only:                        \(String(format: "%.3f", cjson)) s")
print("sms.send build (convert+normalise+dedupe+JSON): \(String(format: "%.3f", smsh)) s   body \(transport.bytes) bytes")
print("ratio smsh/cjson: \(String(format: "%.2f", smsh / cjson))  (targets: <= 1.0 s and ratio <= 1.5)")

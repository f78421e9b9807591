-- wrk script for scripts/bench/serve_load. Environment:
--   MODE   credit | recipients | send
--   KEY    the API key
--   UUID   (recipients) the message whose recipients are walked with the cursor
-- Each thread counts statuses itself, so done() can show that the only non-2xx are 429s.
local mode = os.getenv("MODE") or "credit"
local key = os.getenv("KEY") or "sk_test_smsh_demo"
local uuid = os.getenv("UUID") or ""

local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

local headers = { ["x-api-key"] = key, ["accept"] = "application/json" }
local after = 0
local send_body

function init(args)
  s2xx, s429, sother = 0, 0, 0
  if mode == "send" then
    -- 1,000 distinct numbers per send, the same body every time.
    local numbers = {}
    for i = 1, 1000 do numbers[i] = string.format('"66%09d"', 812000000 + i) end
    send_body = '{"sender":"SMSHDEMO","content":"load","msisdns":[' .. table.concat(numbers, ",") .. ']}'
    headers["content-type"] = "application/json"
  end
end

function request()
  if mode == "credit" then
    return wrk.format("GET", "/api/v2/credit", headers)
  elseif mode == "recipients" then
    return wrk.format("GET", "/api/v2/sms/" .. uuid .. "/recipients?limit=1000&after=" .. after, headers)
  else
    return wrk.format("POST", "/api/v2/sms/send", headers, send_body)
  end
end

function response(status, _, body)
  if status >= 200 and status < 300 then
    s2xx = s2xx + 1
    if mode == "recipients" then
      -- The cursor walk: follow nextCursor; start over at the end of the list.
      local more = body:find('"hasMore":true', 1, true)
      local cursor = body:match('"nextCursor":(%d+)')
      after = (more and cursor) and cursor or 0
    end
  elseif status == 429 then
    s429 = s429 + 1
  else
    sother = sother + 1
  end
end

function done(summary, latency, _)
  local ok, limited, other = 0, 0, 0
  for _, t in ipairs(threads) do
    ok = ok + t:get("s2xx")
    limited = limited + t:get("s429")
    other = other + t:get("sother")
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f s2xx=%d s429=%d other=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, ok, limited, other,
    e.connect + e.read + e.write + e.timeout))
end

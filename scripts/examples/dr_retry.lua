#!/usr/bin/env smsh
--[[ dr_retry.lua — wait for delivery reports, retry what failed, print a summary.

  smsh run dr_retry.lua UUID [max_retries]
  smsh run dr_retry.lua --hours N [max_retries]     every message of the last N hours

For each message: wait until no recipient is pending, resend to the retry-worthy recipients
(failed, expired, timeout; never invalid or blocked) up to max_retries times (default 2),
waiting for each retry's reports too. Prints one summary row per original message.
]]
-- Seconds since the epoch of an ISO 8601 time with offset ("2026-11-29T18:50:01+07:00").
local function iso_to_epoch(text)
  local y, mo, d, h, mi, s, sign, oh, om = text:match("^(%d+)-(%d+)-(%d+)T(%d+):(%d+):(%d+)%.?%d*([Zz+-]?)(%d*):?(%d*)")
  if not y then return nil end
  y, mo, d = tonumber(y), tonumber(mo), tonumber(d)
  -- days from 1970-01-01 to the civil date (Howard Hinnant's algorithm)
  if mo <= 2 then y = y - 1 end
  local era = (y >= 0 and y or y - 399) // 400
  local yoe = y - era * 400
  local doy = (153 * (mo + (mo > 2 and -3 or 9)) + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  local days = era * 146097 + doe - 719468
  local offset = 0
  if sign == "+" or sign == "-" then
    offset = (tonumber(oh) * 3600 + (tonumber(om) or 0) * 60) * (sign == "-" and -1 or 1)
  end
  return days * 86400 + tonumber(h) * 3600 + tonumber(mi) * 60 + tonumber(s) - offset
end

local targets, max_retries = {}, 2
if arg[1] == "--hours" then
  local hours = tonumber(arg[2]) or error("--hours needs a number")
  max_retries = math.tointeger(tonumber(arg[3] or "2"))
  local since = sms.now() - hours * 3600
  local page, done = 1, false
  repeat  -- most recent first: stop at the first message older than the window
    local list = sms.messages{ page = page, limit = 100 }
    for _, m in ipairs(list.data) do
      local created = m.createdAt and iso_to_epoch(m.createdAt)
      if created and created < since then done = true break end
      if m.status ~= "scheduled" and m.status ~= "cancelled" then targets[#targets + 1] = m.uuid end
    end
    page = page + 1
  until done or #list.data < 100
elseif arg[1] then
  targets = { arg[1] }
  max_retries = math.tointeger(tonumber(arg[2] or "2"))
else
  io.stderr:write("usage: dr_retry.lua UUID [max_retries] | --hours N [max_retries]\n")
  os.exit(2)
end

local rows = {}
for _, uuid in ipairs(targets) do
  local m = sms.wait(uuid, { timeout = 3600, interval = 30 })
  local row = { uuid = uuid, recipients = m.recipients, delivered = m.drSummary.success, retries = 0, resent = 0 }
  local current = uuid
  for attempt = 1, max_retries do
    local again = sms.retry(current)
    if not again then break end
    row.retries, row.resent = attempt, row.resent + again.recipients
    local done = sms.wait(again.uuid, { timeout = 3600, interval = 30 })
    row.delivered = row.delivered + done.drSummary.success
    current = again.uuid
  end
  row.undelivered = row.recipients - row.delivered
  rows[#rows + 1] = row
end

print(string.format("%-36s %10s %9s %7s %6s %11s",
  "message", "recipients", "delivered", "retries", "resent", "undelivered"))
for _, r in ipairs(rows) do
  print(string.format("%-36s %10d %9d %7d %6d %11d",
    r.uuid, r.recipients, r.delivered, r.retries, r.resent, r.undelivered))
end
print(string.format("%d message(s) checked", #rows))

#!/usr/bin/env smsh
--[[ scheduled_campaign.lua — schedule a send, list what is scheduled, cancel by rule.

  smsh run scheduled_campaign.lua [hours_ahead]
  smsh run --sandbox scripts/examples/scheduled_campaign.lua 2

Schedules tomorrow's reminder `hours_ahead` hours from now (default 2), lists every
scheduled message, and cancels those whose content is marked "[draft]" (a rule an
operator might use to pull test sends before they go out). Credits held by a cancelled
send are refunded.
]]
local hours = tonumber(arg[1] or "2")
local at = os.time() + math.floor(hours * 3600)

local real = sms.send{ sender = "SMSHDEMO", contactGroupId = 1, scheduledTime = at,
                       content = "Reminder: your appointment is tomorrow at 10:00" }
local draft = sms.send{ sender = "SMSHDEMO", contactGroupId = 1, scheduledTime = at,
                        content = "[draft] Reminder text under review" }
print(string.format("scheduled %s and %s for %s", real.uuid, draft.uuid, real.scheduledTime))

local scheduled = sms.messages{ status = "scheduled", limit = 100 }
print(string.format("%d scheduled message(s):", #scheduled.data))
for _, m in ipairs(scheduled.data) do
  print(string.format("  %s  %s  %d recipients  %q", m.uuid, m.scheduledTime, m.recipients, m.content))
end

local cancelled, refunded = 0, 0
for _, m in ipairs(scheduled.data) do
  if m.content:find("[draft]", 1, true) then
    local c = sms.cancel(m.uuid)
    cancelled, refunded = cancelled + 1, refunded + c.refunded
    print(string.format("cancelled %s (refunded %s credits)", m.uuid, c.refunded))
  end
end
print(string.format("%d cancelled, %s credits refunded", cancelled, refunded))

#!/usr/bin/env smsh
--[[ credit_guard.lua — send a campaign only when the balance covers it with a margin.

  smsh run credit_guard.lua [margin_percent] [contact_group_id]
  smsh run --sandbox scripts/examples/credit_guard.lua 20 1

Previews the campaign (parts × recipients = credits), reads the balance, and sends only if
balance >= credits × (1 + margin). Otherwise it logs why and exits with 5, so cron and
monitoring can tell "not enough credit" apart from a failure (exit 1).
]]
local margin = tonumber(arg[1] or "20") / 100
local group = math.tointeger(tonumber(arg[2] or "1"))
local campaign = {
  sender = "SMSHDEMO",
  content = "Flash sale today only: 20% off everything with code FLASH20",
  contactGroupId = group,
}

local estimate = sms.preview{ contactGroupId = campaign.contactGroupId, content = campaign.content }
local balance = sms.credit().balance
local needed = estimate.credits * (1 + margin)
print(string.format("campaign: %d recipients × %d part(s) = %s credits; balance %s; needed with %d%% margin: %s",
  estimate.recipients, estimate.parts, estimate.credits, balance, math.floor(margin * 100 + 0.5), needed))

if balance < needed then
  log.warn("not sending: balance does not cover the campaign with margin",
    { balance = balance, needed = needed, credits = estimate.credits })
  os.exit(5)
end

local r = sms.send(campaign)
print(string.format("sent: uuid %s, %d recipients, %s credits", r.uuid, r.recipients, r.credits))

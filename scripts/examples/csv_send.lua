#!/usr/bin/env smsh
--[[ csv_send.lua — a personalised campaign from a CSV file: send, wait for the delivery
reports, report, and retry what failed.

  smsh run csv_send.lua FILE.csv [sender] [campaign-key]
  smsh run --sandbox scripts/examples/csv_send.lua scripts/examples/contacts.csv

The CSV has a header; the `phone` column is required, `name` and `code` fill the message's
{{name}} and {{code}}. Rows with an invalid number are reported with their file lines and
skipped; rows that render the same text share one send. Progress is kept under the campaign
key in the state store: run it again after a crash and it sends only what is left.
]]
local path = arg[1] or error("usage: csv_send.lua FILE.csv [sender] [campaign-key]")
local sender = arg[2] or "SMSHDEMO"
local key = arg[3] or ("csv_send:" .. path)

local c = sms.campaign{
  key = key, sender = sender, rows = path, phone = "phone",
  content = "Hi {{name}}, your pickup code is {{code}}",
  rate = 5,                                   -- at most 5 sends a second
}
for _, bad in ipairs(c.invalid) do print(string.format("skipped line %d: %q (%s)", bad.line, bad.value, bad.reason)) end
print(string.format("%d recipient(s) in %d send(s) (%d resumed) for %g credits; "
  .. "%d duplicate(s), %d invalid row(s) skipped",
  c.recipients, c.sends, c.resumed, c.credits, c.duplicates, #c.invalid))

sms.wait_all(c.uuids, { timeout = 3600, interval = 10 })
local r = sms.report(c.uuids)
print(string.format("delivered %d of %d (%.0f%%): %d failed, %d expired, %d timeout, %d invalid, %d blocked",
  r.success, r.total, r.deliveryRate * 100, r.failed, r.expired, r.timeout, r.invalid, r.blocked))

local retried = 0
for _, uuid in ipairs(c.uuids) do
  local again = sms.retry(uuid)               -- failed, expired, timeout; nil when none
  if again then retried = retried + again.recipients end
end
print(string.format("%d recipient(s) retried", retried))

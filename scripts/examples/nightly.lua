#!/usr/bin/env smsh
--[[ nightly.lua — a cron job that must send its nightly summary exactly once per day.

  smsh run --lock nightly --max-credits 100 nightly.lua [YYYY-MM-DD]

  crontab:  5 0 * * *  SMSH_API_KEY=... smsh run --lock nightly --max-credits 100 /opt/smsh/nightly.lua

- `once = "nightly-<day>"`: a re-run on the same day (after a crash, or by hand) returns the
  recorded result and sends nothing;
- `--max-credits`: a send that would cost more than the cap is refused (exit 3) before anything
  is sent;
- `--lock`: a second copy started while the first still runs exits 4 at once.
]]
local day = arg[1] or os.date("!%Y-%m-%d")
local r = sms.send{ sender = "SMSHDEMO", contactGroupId = 1, once = "nightly-" .. day,
                    content = "Nightly summary for " .. day .. ": all systems normal" }
if r.replayed then
  print(string.format("already sent for %s: %s (nothing sent now)", day, r.uuid))
else
  print(string.format("sent for %s: %s, %d recipients, %s credits", day, r.uuid, r.recipients, r.credits))
end

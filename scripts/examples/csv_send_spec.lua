-- csv_send.lua: a campaign from contacts.csv; invalid rows reported with their file lines,
-- one send per distinct text, then delivery reports, a report, and a retry of what failed.
describe("csv_send.lua", function()
  it("skips invalid rows, sends the rest, reports and retries", function()
    local run = run_script("csv_send.lua", { args = { "contacts.csv" }, fixture = "csv_send_ok" })
    assert.are.equal(0, run.code, run.stderr)
    assert.truthy(run.stdout:find('skipped line 4: "0812ab5678"', 1, true))
    assert.truthy(run.stdout:find('skipped line 6: "12345"', 1, true))
    -- Nok's two rows are one number: a duplicate, not a second message.
    local totals = "3 recipient(s) in 3 send(s) (0 resumed) for 3 credits; 1 duplicate(s), 2 invalid row(s) skipped"
    assert.truthy(run.stdout:find(totals, 1, true))
    assert.truthy(run.stdout:find("delivered %d of 3"))
    assert.truthy(run.stdout:find("recipient%(s%) retried"))
    local sends = 0
    for _, r in ipairs(run.requests) do
      if r.method == "POST" and r.path == "/api/v2/sms/send" then sends = sends + 1 end
    end
    assert.is_true(sends >= 3, "three campaign sends, then any retries")
  end)

  it("stops with exit 5 when credit runs out", function()
    local run = run_script("csv_send.lua", { args = { "contacts.csv" }, fixture = "csv_send_low_credit" })
    assert.are.equal(5, run.code)
    assert.truthy(run.stderr:find("INSUFFICIENT_CREDITS (402)", 1, true))
  end)
end)

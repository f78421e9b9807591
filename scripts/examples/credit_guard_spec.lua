-- credit_guard.lua sends only when the balance covers the campaign with a margin.
-- Cassettes recorded from `smsh serve` by scripts/record-example-fixtures.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local sends = dofile(here .. "spec_support.lua").sends

describe("credit_guard.lua", function()
  it("sends the campaign when the balance covers it", function()
    local run = run_script("credit_guard.lua", { args = { "20", "1" }, fixture = "credit_guard_ok" })
    assert.are.equal(0, run.code, run.stderr)
    assert.truthy(run.stdout:find("campaign: 10 recipients × 1 part(s) = 10 credits", 1, true))
    assert.truthy(run.stdout:find("sent: uuid ", 1, true))
    assert.are.equal(1, sends(run.requests))
  end)

  it("sends nothing and exits 5 on low credit", function()
    local run = run_script("credit_guard.lua", { args = { "20", "1" }, fixture = "credit_guard_low_credit" })
    assert.are.equal(5, run.code)
    assert.are.equal(0, sends(run.requests))
    assert.truthy(run.stderr:find("not sending", 1, true))
  end)

  it("rides out a 429 and still sends exactly once", function()
    local run = run_script("credit_guard.lua", { args = { "20", "1" }, fixture = "credit_guard_rate_limited" })
    assert.are.equal(0, run.code, run.stderr)
    assert.are.equal(1, sends(run.requests))
    assert.are.equal("/api/v2/sms/preview", run.requests[1].path)
    assert.are.equal("/api/v2/sms/preview", run.requests[2].path)  -- the retry after the 429
  end)
end)

-- scheduled_campaign.lua schedules, lists and cancels only drafts.
describe("scheduled_campaign.lua", function()
  it("schedules two sends and cancels the draft only", function()
    local run = run_script("scheduled_campaign.lua", { args = { "2" }, fixture = "scheduled_campaign_ok" })
    assert.are.equal(0, run.code, run.stderr)
    assert.truthy(run.stdout:find("2 scheduled message(s):", 1, true))
    local cancels = 0
    for _, r in ipairs(run.requests) do
      if r.path:match("/cancel$") then cancels = cancels + 1 end
    end
    assert.are.equal(1, cancels)
    assert.truthy(run.stdout:find("1 cancelled", 1, true))
  end)

  it("fails without scheduling anything when the time is in the past", function()
    local run = run_script("scheduled_campaign.lua", { args = { "-1" }, fixture = "scheduled_campaign_past" })
    assert.are.equal(1, run.code)
    assert.truthy(run.stderr:find("INVALID_PARAMETER (400)", 1, true))
    assert.are.equal(1, #run.requests)
  end)
end)

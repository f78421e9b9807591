-- dr_retry.lua retries only retry-worthy recipients, and never when all were delivered.
local function sent_bodies(requests)
  local out = {}
  for _, r in ipairs(requests) do
    if r.method == "POST" and r.path == "/api/v2/sms/send" then out[#out + 1] = r.body end
  end
  return out
end

describe("dr_retry.lua", function()
  it("waits for reports, retries the failed recipients and summarises", function()
    local run = run_script("dr_retry.lua", { args = { "--hours", "1", "2" }, fixture = "dr_retry_retries" })
    assert.are.equal(0, run.code, run.stderr)
    assert.truthy(run.stdout:find("1 message(s) checked", 1, true))
    local sends = sent_bodies(run.requests)
    assert.is_true(#sends >= 1 and #sends <= 2)
    -- each retry goes to fewer numbers than the one before, each number once,
    -- and a later round only to numbers of the earlier round (it retries what failed again)
    local previous, limit = nil, 1000
    for _, body in ipairs(sends) do
      local seen = {}
      assert.is_true(#body.msisdns < limit)
      for _, n in ipairs(body.msisdns) do
        assert.is_nil(seen[n])
        seen[n] = true
        if previous then assert.is_true(previous[n]) end
      end
      previous, limit = seen, #body.msisdns
    end
  end)

  it("does not retry when every number was delivered", function()
    local run = run_script("dr_retry.lua", { args = { "--hours", "1", "2" }, fixture = "dr_retry_all_delivered" })
    assert.are.equal(0, run.code, run.stderr)
    assert.are.equal(0, #sent_bodies(run.requests))
    assert.truthy(run.stdout:match("\n%S+%s+1%s+1%s+0%s+0%s+0\n"))
  end)
end)

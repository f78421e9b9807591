-- nightly.lua sends once per day, within its budget.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local sends = dofile(here .. "spec_support.lua").sends

describe("nightly.lua", function()
  local state = os.tmpname()
  os.remove(state)

  it("sends once, and a re-run the same day sends nothing", function()
    local env = { XDG_STATE_HOME = state }
    local first = run_script("nightly.lua", { args = { "2026-11-29" }, flags = { "--max-credits", "100" }, env = env })
    assert.are.equal(0, first.code, first.stderr)
    assert.truthy(first.stdout:find("sent for 2026-11-29", 1, true))
    assert.are.equal(1, sends(first.requests))

    local again = run_script("nightly.lua", { args = { "2026-11-29" }, flags = { "--max-credits", "100" }, env = env })
    assert.are.equal(0, again.code, again.stderr)
    assert.truthy(again.stdout:find("already sent for 2026-11-29", 1, true))
    assert.are.equal(0, sends(again.requests))
  end)

  it("refuses a send over the budget with exit 3 and sends nothing", function()
    local run = run_script("nightly.lua", { args = { "2026-11-30" }, flags = { "--max-credits", "5" },
                                            env = { XDG_STATE_HOME = state } })
    assert.are.equal(3, run.code)
    assert.truthy(run.stderr:find("BUDGET_EXCEEDED", 1, true))
    assert.are.equal(0, sends(run.requests))
  end)
end)

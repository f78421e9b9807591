-- Helpers shared by the example specs (loaded with dofile next to the spec, whatever the
-- working directory): not a spec itself.
local support = {}

--- How many of a run's recorded requests were sends (POST /api/v2/sms/send).
function support.sends(requests)
  local n = 0
  for _, r in ipairs(requests) do
    if r.method == "POST" and r.path == "/api/v2/sms/send" then n = n + 1 end
  end
  return n
end

return support

-- balance.lua — an example smsh plugin.
--
-- Install:  mkdir -p ~/.config/smsh/plugins && cp scripts/plugins/balance.lua ~/.config/smsh/plugins/
--
-- REPL:     :balance          prints the credit balance, warns below 100 credits
--           :balance 5000     warns below 5000 credits
-- Scripts:  local balance = require "balance"
--           local low, credit = balance.low_credit(1000)
--           if low then log.warn("credit low", { balance = credit }) os.exit(5) end

local sms -- the sms module, given to setup()

local M = {
  name = "balance",
  version = "1.0",
  -- The threshold :balance and low_credit() use when given none.
  default_threshold = 100,
}

-- Called once when smsh loads the plugin. No API call here: start-up stays instant.
function M.setup(sms_module)
  sms = sms_module
end

--- balance.low_credit([threshold]) -> low, balance
-- True when the account's credit balance is below `threshold` (default 100), and the balance.
-- Raises the sms error value when the balance cannot be read.
function M.low_credit(threshold)
  threshold = threshold or M.default_threshold
  if type(threshold) ~= "number" then
    error("balance.low_credit: threshold must be a number, got " .. type(threshold), 2)
  end
  local balance = sms.credit().balance
  return balance < threshold, balance
end

M.commands = {
  balance = {
    help = "credit balance; warns below a threshold (:balance [threshold], default 100)",
    run = function(args)
      local threshold = M.default_threshold
      if args[1] ~= nil then
        threshold = tonumber(args[1])
        if not threshold then error("usage: :balance [threshold]  (got " .. string.format("%q", args[1]) .. ")", 0) end
      end
      local low, balance = M.low_credit(threshold)
      print(string.format("credit: %s", balance))
      if low then print(string.format("warning: below %s credits; top up before large sends", threshold)) end
    end,
  },
}

return M

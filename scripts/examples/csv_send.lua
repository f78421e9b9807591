#!/usr/bin/env smsh
--[[ csv_send.lua — send personalised messages to the numbers in a CSV file.

  smsh run csv_send.lua FILE.csv [sender]
  smsh run --sandbox scripts/examples/csv_send.lua scripts/examples/contacts.csv

The CSV has a header; the `phone` column is required, other columns (e.g. `name`, `code`)
fill {{name}}-style placeholders of the message below. Rows with an invalid number are
reported with their line numbers and skipped; the valid rows are sent, one send per
distinct text (rows that render the same text share one send).
]]
local path = arg[1] or error("usage: csv_send.lua FILE.csv [sender]")
local sender = arg[2] or "SMSHDEMO"
local template = "Hi {{name}}, your pickup code is {{code}}"

local function split(line)
  local fields, pos = {}, 1
  while true do
    local c = line:sub(pos, pos)
    if c == '"' then                       -- quoted field, "" is a quote
      local value, i = {}, pos + 1
      while true do
        local q = line:find('"', i, true) or error("unterminated quote")
        value[#value + 1] = line:sub(i, q - 1)
        if line:sub(q + 1, q + 1) == '"' then value[#value + 1] = '"'; i = q + 2 else pos = q + 1; break end
      end
      fields[#fields + 1] = table.concat(value)
    else
      local comma = line:find(",", pos, true) or (#line + 1)
      fields[#fields + 1] = line:sub(pos, comma - 1)
      pos = comma
    end
    if line:sub(pos, pos) ~= "," then break end
    pos = pos + 1
  end
  return fields
end

local file = assert(io.open(path, "r"))
local header, groups, order, invalid, valid = nil, {}, {}, {}, 0
local lineno = 0
for line in file:lines() do
  lineno = lineno + 1
  line = line:gsub("\r$", "")
  if line ~= "" then
    local fields = split(line)
    if not header then
      header = fields
    else
      local row = {}
      for i, name in ipairs(header) do row[name] = fields[i] or "" end
      local number, why = sms.normalize(row.phone or "")
      if not number then
        invalid[#invalid + 1] = string.format("line %d: %s", lineno, why)
      else
        local text = template:gsub("{{(%w+)}}", function(k) return row[k] or "" end)
        if not groups[text] then groups[text] = {}; order[#order + 1] = text end
        table.insert(groups[text], number)
        valid = valid + 1
      end
    end
  end
end
file:close()

for _, problem in ipairs(invalid) do print("skipped " .. problem) end
local sends, credits = 0, 0
for _, text in ipairs(order) do
  local r = sms.send{ sender = sender, content = text, msisdns = groups[text] }
  sends, credits = sends + 1, credits + r.credits
end
print(string.format("%d valid row(s) sent in %d send(s) for %s credits; %d invalid row(s) skipped",
  valid, sends, credits, #invalid))

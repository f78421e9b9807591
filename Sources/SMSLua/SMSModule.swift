// The Lua modules: sms, json, log.

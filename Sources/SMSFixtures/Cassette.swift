// Cassettes: record and replay transports.

// The in-memory simulator of the provider API and its HTTP server.

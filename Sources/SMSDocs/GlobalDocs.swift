/// The doc registry of smsh's global functions: `help` everywhere, and the spec helpers
/// `fixture` / `run_script` that `smsh test` adds (registered in smsh's TestSupport).
public enum GlobalDocs {
    public static let help = FunctionDoc(
        "help", params: [DocParam("topic", "function|table|string", optional: true, "a function, a module, or a name such as \"sms.wait\"")], """
        Without an argument: the modules and their functions. With a function or its name:
        its documentation (signature, parameters, returns, errors, example).
        Example: help(sms.send)   help("sms.wait")   help(sms)
        """)

    /// The options `run_script` reads (TestSupport refuses any other).
    public static let runScriptOptions = DocClass("smsh.RunScriptOptions", "The options of run_script(path, {...}).", fields: [
        DocField("args", "string[]", "the script's arguments (a data file next to the spec is found from any directory)"),
        DocField("flags", "string[]", "smsh run options, e.g. {\"--max-credits\", \"5\"}"),
        DocField("env", "table<string, string>", "environment variables for the run"),
        DocField("fixture", "string", "a cassette name (fixtures/NAME.json next to the spec) or path to replay"),
        DocField("sandbox", "boolean", "run against the built-in simulator when no fixture (default true)"),
    ])

    static let runScriptResult = DocClass("smsh.RunScriptResult", "What run_script returns.", fields: [
        DocField("code", "integer", "the exit code"),
        DocField("stdout", "string", ""),
        DocField("stderr", "string", ""),
        DocField("requests", "table[]", "the API requests it made: {method=, path=, query=, body=}"),
    ])

    public static let runScript = FunctionDoc(
        "run_script", params: [DocParam("path", "string"), DocParam("options", table: runScriptOptions, optional: true)],
        returns: [DocReturn("run", table: runScriptResult)], """
        Runs a script in a separate smsh process (as cron would) and returns its exit code,
        output and the list of API requests it made ({method=, path=, query=, body=}).
        With fixture, the script replays that cassette (fixtures/name.json next to the calling spec).
        """)

    public static let fixture = FunctionDoc(
        "fixture", params: [DocParam("name", "string", "a cassette name (fixtures/NAME.json next to the spec) or a path")],
        returns: [DocReturn("path", "string", "the cassette's path")], """
        Points the sms module at a cassette for the rest of the running test: replayed when
        it exists, recorded from the built-in simulator under `smsh test --record-missing`.
        Example: it("sends", function() fixture("nightly"); local r = sms.send{...} end)
        """)

    /// The globals every smsh Lua state has.
    public static let moduleDoc = ModuleDoc(nil, doc: "smsh's global functions.", functions: [help])

    /// The globals `smsh test` adds to specs (besides busted's own).
    public static let specHelpers = ModuleDoc(nil, doc: "The helpers `smsh test` gives specs (besides busted's describe, it, assert, ...).",
                                              functions: [fixture, runScript])
}

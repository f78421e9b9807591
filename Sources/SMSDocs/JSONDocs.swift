/// The doc registry of the `json` module (JSONModule.swift registers these).
public enum JSONDocs {
    public static let encodeOptions = DocClass("json.EncodeOptions", "The options of json.encode(value, {...}).", fields: [
        DocField("pretty", "boolean", "indented, one member per line (default false)"),
        DocField("sort", "boolean", "object keys in sorted order (default false)"),
    ])

    public static let encode = FunctionDoc(
        "json.encode", params: [DocParam("value", "any"), DocParam("options", table: encodeOptions, optional: true)],
        returns: [DocReturn("text", "string")], """
        Tables with keys 1..n become arrays, tables with string keys objects; an empty
        table is {} unless made with json.array{}. json.null is null. Integers are
        written as integers, floats with a fraction or exponent (3.0 stays 3.0).
        Errors: functions, userdata, NaN, cycles, mixed keys, invalid UTF-8 (naming the path).
        Example: json.encode({id = 1, tags = json.array{}}) --> {"id":1,"tags":[]}
        """)

    public static let decode = FunctionDoc("json.decode", params: [DocParam("text", "string")], returns: [DocReturn("value", "any")], """
        Parses JSON. Integers become Lua integers, other numbers floats; null becomes
        json.null; arrays and objects remember their kind for json.encode.
        Errors: "json.decode: invalid JSON at byte N: reason".
        Example: json.decode('{"n": 3, "x": 3.0}').n --> 3 (math.type integer)
        """)

    public static let array = FunctionDoc("json.array", params: [DocParam("t", "table", optional: true)], returns: [DocReturn("t", "table")], """
        Marks t as a JSON array (a shared metatable) and returns it, so an empty one
        encodes as []; json.array() is a new empty array. Empty arrays in API results
        and from json.decode already carry the mark.
        Example: json.encode({tags = json.array()}) --> {"tags":[]}
        """)

    public static let object = FunctionDoc("json.object", params: [DocParam("t", "table", optional: true)], returns: [DocReturn("t", "table")], """
        Marks t (default: a new table) as a JSON object, so an empty one encodes as {}.
        """)

    public static let moduleDoc = ModuleDoc(
        "json", doc: "json — encode and decode JSON with integers and floats kept apart.",
        functions: [encode, decode, array, object],
        values: [DocField("null", "table", "the JSON null sentinel: decoded nulls, and what encodes as null")])
}

import SMSClient
import SMSFixtures

/// libFuzzer target `cassette`: the cassette loader (`JSONValue.parse` then
/// `Cassette(json:file:)`) on arbitrary bytes. A refusal must be `CASSETTE_INVALID` with a
/// message naming the file; an accepted cassette must survive save → load unchanged (the
/// second load is a fixed point; the first may only round `recordedAt` down to whole seconds
/// and merge header names that differ in case).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCassette(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let json = try? JSONValue.parse(bytes) else { return 0 }
    let first: Cassette
    do {
        first = try Cassette(json: json, file: "fuzz.json")
    } catch let e as SMSError {
        precondition(e.code == "CASSETTE_INVALID", "unexpected code \(e.code)")
        precondition(e.message.contains("fuzz.json"), "the message names the file")
        return 0
    } catch {
        preconditionFailure("the loader threw \(error), not an SMSError")
    }
    let saved = first.jsonValue.serialized(sortedKeys: true, pretty: true)
    let second = try! Cassette(json: JSONValue.parse(saved), file: "fuzz.json")
    precondition(second.recordedAt == first.recordedAt.rounded(.down), "recordedAt kept to the second")
    precondition(second.interactions.count == first.interactions.count, "interactions kept")
    for (a, b) in zip(first.interactions, second.interactions) {
        precondition(a.request == b.request, "request changed by save/load")
        precondition(a.response.status == b.response.status && a.response.body == b.response.body,
                     "response changed by save/load")
    }
    let third = try! Cassette(json: JSONValue.parse(second.jsonValue.serialized()), file: "fuzz.json")
    precondition(third == second, "save/load is not a fixed point")
    _ = first.interactions.map(\.response.transportResponse)
    return 0
}

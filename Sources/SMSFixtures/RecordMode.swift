/// What a fixture session does with its cassette file and the real transport.
///
/// - `none`: replay only. The cassette must exist (else `CASSETTE_MISSING`); every request is
///   answered from it, and a request that matches no recorded interaction fails with
///   `UNMATCHED_REQUEST`. The real transport is never used and the file is never written.
///   The default for tests and CI.
/// - `once`: if the cassette file does not exist, every request goes to the real transport and
///   is recorded, and the new cassette is written (each interaction appended to its log as it
///   happens, compacted by `save()`, which also writes an empty cassette when no request was
///   made). If the file exists, exactly like `none`.
/// - `new`: requests that match a recorded interaction are replayed (as in `none`, including
///   the last match repeating once used up); a request that matches none goes to the real
///   transport, is appended to the cassette and the file is written. Appended interactions are
///   not replayed within the same session (so polling a new request keeps reaching the server).
///   A missing cassette is created, as with `once`. The file is rewritten only if something was
///   appended.
/// - `all`: the existing cassette is ignored (not even read); every request goes to the real
///   transport and is recorded, and the file is overwritten with the new recording (from the
///   first interaction on, compacted by `save()`, which also writes it when no request was made).
///
/// Whenever recording starts afresh (`once` without a file, `new` without a file, `all`),
/// `recordedAt` is the start time; otherwise it is the loaded cassette's. A `TransportFailure`
/// is never recorded; a cassette that is not JSON, has the wrong shape or another version fails
/// with `CASSETTE_INVALID` in `none`, `once` and `new`, and the file is left untouched.
public enum RecordMode: String, Sendable, CaseIterable {
    case none
    case once
    case new
    case all
}

/// A send's or preview's `msisdns`: either the numbers as given (checked when the request is
/// encoded) or numbers already checked one by one as they were read (the Lua binding reads a
/// 2,000,000-number table straight from Lua's string bytes, without a Swift `String` each).
///
/// Either way the numbers end up as their 9 national digits (`UInt32`), the form
/// `RecipientNumbers` de-duplicates and writes as JSON.
public struct MSISDNList: Sendable, Equatable, ExpressibleByArrayLiteral {
    enum Storage: Sendable, Equatable {
        case given([String])
        case checked([UInt32])
    }

    let storage: Storage

    /// Numbers in any accepted form; checked by `SendRequest.encoded()`.
    public init(_ numbers: [String]) { storage = .given(numbers) }

    public init(arrayLiteral numbers: String...) { storage = .given(numbers) }

    init(checked national: [UInt32]) { storage = .checked(national) }

    public var count: Int {
        switch storage {
        case .given(let numbers): return numbers.count
        case .checked(let national): return national.count
        }
    }

    /// The national numbers in input order; throws `INVALID_MSISDN` for the first invalid one.
    func nationalNumbers() throws -> [UInt32] {
        switch storage {
        case .checked(let national):
            return national
        case .given(let numbers):
            var reader = Reader(capacity: numbers.count)
            for number in numbers { try reader.append(number) }
            return reader.national
        }
    }

    /// The normal forms (`66XXXXXXXXX`), in input order, duplicates kept.
    public func normalForms() throws -> [String] {
        try nationalNumbers().map(RecipientNumbers.normalForm)
    }

    /// Reads numbers one at a time, checking each as it comes, so an error can name the
    /// position and value of the first bad one before the rest are read.
    public struct Reader {
        var national: [UInt32] = []

        /// - Parameter capacity: how many numbers will come; more than the API allows per
        ///   request is refused here, before any is read.
        public init(capacity: Int) {
            national.reserveCapacity(min(capacity, RecipientNumbers.maximumCount))
        }

        /// How many numbers have been read.
        public var count: Int { national.count }

        /// Appends the number in `utf8`; throws `INVALID_MSISDN` naming its 1-based position.
        public mutating func append(utf8: UnsafeBufferPointer<UInt8>) throws {
            if let key = RecipientNumbers.plainKey(utf8) {
                national.append(key)
            } else {
                try append(slow: String(decoding: utf8, as: UTF8.self))
            }
        }

        /// Appends a number given as a string.
        public mutating func append(_ number: String) throws {
            var number = number
            if let key = number.withUTF8({ RecipientNumbers.plainKey($0) }) {
                national.append(key)
            } else {
                try append(slow: number)
            }
        }

        /// Anything not in a plain form goes through `MSISDN.normalize`, the one definition of
        /// a valid number, which also says why a number is refused.
        private mutating func append(slow number: String) throws {
            switch MSISDN.normalize(number) {
            case .success(let normal):
                var normal = normal
                national.append(normal.withUTF8 { RecipientNumbers.plainKey($0) }!)
            case .failure(let reason):
                throw SMSError.invalidMSISDN(index: national.count + 1, value: number, reason: reason)
            }
        }

        /// The numbers read, for a request.
        public func finish() -> MSISDNList { MSISDNList(checked: national) }
    }
}

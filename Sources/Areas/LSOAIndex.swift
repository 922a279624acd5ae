/// A dense index of LSOA codes: code → 0..<count, built once, looked up straight from bytes.
///
/// Codes of the usual form (a capital letter, two digits, six digits: `E01000001`) are found by
/// one array access on their number; any other code goes through a dictionary. The index is
/// immutable after construction and safe to share between threads.
public struct LSOAIndex: Sendable {
    /// The codes in index order.
    public let codes: [String]
    /// Dense index + 1 by `prefix(3) × 1,000,000 + number` for the common prefixes (0 = absent).
    private let byNumber: [Int32]
    /// The three-character prefix `byNumber` covers (`E01`), as bytes.
    private let prefix: (UInt8, UInt8, UInt8)
    /// Every code, for the slow path.
    private let byCode: [String: Int32]

    /// Builds the index of `codes` (index = position). Codes must be unique.
    ///
    /// - Complexity: O(n) time; O(n) memory plus 4 MB for the numeric table when codes share a prefix.
    public init(codes: [String]) {
        self.codes = codes
        var dictionary: [String: Int32] = [:]
        dictionary.reserveCapacity(codes.count)
        for (i, code) in codes.enumerated() { dictionary[code] = Int32(i) }
        byCode = dictionary
        // The most common three-character prefix gets the fast table (E01 for English LSOAs).
        var counts: [String: Int] = [:]
        for code in codes where Self.isNumbered(code) { counts[String(code.prefix(3)), default: 0] += 1 }
        let best = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key
        if let best {
            let p = Array(best.utf8)
            prefix = (p[0], p[1], p[2])
            var table = [Int32](repeating: 0, count: 1_000_000)
            for (i, code) in codes.enumerated() where code.hasPrefix(best) && Self.isNumbered(code) {
                let number = Int(code.dropFirst(3))!
                table[number] = Int32(i + 1)
            }
            byNumber = table
        } else {
            prefix = (0, 0, 0)
            byNumber = []
        }
    }

    /// The number of codes.
    public var count: Int { codes.count }

    /// The numeric table (dense index + 1 by number), for `LSOALookup`.
    var byNumberTable: [Int32] { byNumber }
    /// The prefix the numeric table covers.
    var prefixBytes: (UInt8, UInt8, UInt8) { prefix }

    /// Whether `code` is a letter, two digits and six digits.
    private static func isNumbered(_ code: String) -> Bool {
        let u = Array(code.utf8)
        guard u.count == 9, (65...90).contains(u[0]) else { return false }
        return u[1...].allSatisfy { (48...57).contains($0) }
    }

    /// The dense index of the code spelled by `bytes`, or nil when it is not in the index.
    ///
    /// - Complexity: O(1) for codes with the common prefix; O(n) in the code's length otherwise.
    @inline(__always)
    public func index(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        if bytes.count == 9, !byNumber.isEmpty, bytes[0] == prefix.0, bytes[1] == prefix.1, bytes[2] == prefix.2 {
            var number = 0
            var valid = true
            for k in 3..<9 {
                let d = bytes[k] &- 48
                valid = valid && d < 10
                number = number &* 10 &+ Int(d)
            }
            if valid {
                let hit = byNumber.withUnsafeBufferPointer { $0[number] }
                return hit > 0 ? Int(hit) - 1 : nil
            }
        }
        return slowIndex(of: bytes)
    }

    /// The dictionary lookup, with surrounding spaces ignored.
    @inline(never)
    private func slowIndex(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var text = Substring(String(decoding: bytes, as: UTF8.self))
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return byCode[String(text)].map(Int.init)
    }

    /// The dense index of `code`, or nil.
    ///
    /// - Complexity: O(1) expected.
    public func index(of code: String) -> Int? {
        var copy = code
        return copy.withUTF8 { index(of: $0) }
    }
}

/// A raw-memory copy of an `LSOAIndex`'s numeric table, for hot loops on several threads: reading
/// it touches no reference count (a shared array's count would bounce between cores).
///
/// The owner allocates it once and calls `free()` after every user has finished.
package struct LSOALookup: @unchecked Sendable {
    private let table: UnsafeMutablePointer<Int32>
    private let count: Int
    private let prefix: (UInt8, UInt8, UInt8)

    package init(_ index: LSOAIndex) {
        let (numbers, prefix) = index.numberTable
        count = numbers.count
        table = .allocate(capacity: max(count, 1))
        _ = UnsafeMutableBufferPointer(start: table, count: count).initialize(from: numbers)
        self.prefix = prefix
    }

    package func free() { table.deallocate() }

    /// The dense index for a code of the common form, or nil (then ask the `LSOAIndex`).
    ///
    /// - Complexity: O(1).
    @inline(__always)
    package func index(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard bytes.count == 9, count > 0, bytes[0] == prefix.0, bytes[1] == prefix.1, bytes[2] == prefix.2 else {
            return nil
        }
        var number = 0
        var valid = true
        for k in 3..<9 {
            let d = bytes[k] &- 48
            valid = valid && d < 10
            number = number &* 10 &+ Int(d)
        }
        guard valid else { return nil }
        let hit = table[number]
        return hit > 0 ? Int(hit) &- 1 : nil
    }
}

extension LSOAIndex {
    /// The numeric table and its prefix (empty when codes have no common numbered form).
    var numberTable: ([Int32], (UInt8, UInt8, UInt8)) { (byNumberTable, prefixBytes) }
}

// libFuzzer target `decimal`: bytes → the number parsers behind `CSVRow.double` and `CSVRow.int`.
//
// Oracles: a value from `parseDecimal` (without thousands separators) must equal the standard
// library's correctly rounded `Double(String)` of the same text; a value from `parseInteger` must
// equal `Int(String)` of its digits. Built with the CSVStream sources by scripts/fuzz.sh.

/// The libFuzzer entry point.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecimalParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let field = UnsafeBufferPointer(start: data, count: size)
    let plain = parseDecimal(field, grouping: false)
    _ = parseDecimal(field, grouping: true)
    let integer = parseInteger(field, grouping: false)
    _ = parseInteger(field, grouping: true)
    _ = isMissingToken(field)
    let (i, j) = trimmedBounds(field)
    let text = String(decoding: UnsafeBufferPointer(rebasing: field[i..<j]), as: UTF8.self)
    if let plain {
        let expected = Double(text)
        precondition(
            expected.map { $0.bitPattern == plain.bitPattern } ?? false,
            "parseDecimal(\(text.debugDescription)) = \(plain), Double(_:) = \(expected.map { "\($0)" } ?? "nil")")
    }
    if let integer {
        let digits = text.split(separator: ".", maxSplits: 1).first.map(String.init) ?? text
        precondition(Int(digits) == integer, "parseInteger(\(text.debugDescription)) = \(integer)")
    }
    return 0
}

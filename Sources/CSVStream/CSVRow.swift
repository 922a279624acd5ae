/// One data row of a ``CSVReader``: field access by index (from 0) without per-field allocation.
///
/// A row points into the reader's buffer. It is valid only until the reader's next
/// ``CSVReader/nextRow()`` call, or the end of the ``CSVReader/forEachRow(_:)`` callback; do not
/// store it. Field indices must be in `0..<count` (checked; out of range traps).
public struct CSVRow {
    /// The reader, for the file name and the header in error messages (it outlives the row).
    private unowned(unsafe) let reader: CSVReader
    private let base: UnsafeMutablePointer<UInt8>
    private let spans: UnsafeMutablePointer<FieldSpan>
    /// The number of fields (always the header's count).
    public let count: Int
    /// The physical line (from 1; the header is line 1) where this record starts.
    public let line: Int
    /// The number of fields the record had in the file: `count`, or fewer for a short record that
    /// ``CSVReader/Options/allowsShortRecords`` padded with empty fields.
    public let fieldsInRecord: Int

    init(
        reader: CSVReader, base: UnsafeMutablePointer<UInt8>, spans: UnsafeMutablePointer<FieldSpan>, count: Int,
        line: Int, fieldsInRecord: Int
    ) {
        self.reader = reader
        self.base = base
        self.spans = spans
        self.count = count
        self.line = line
        self.fieldsInRecord = fieldsInRecord
    }

    /// The decoded bytes of field `i` (quotes removed, `""` undoubled), valid while the row is.
    ///
    /// - Complexity: O(1).
    @inline(__always)
    public func bytes(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        precondition(i >= 0 && i < count, "CSVRow field index out of range")
        let span = spans[i]
        return UnsafeBufferPointer(start: base + span.start, count: span.end - span.start)
    }

    /// Field `i` as a string, invalid UTF-8 repaired with U+FFFD (for messages; see ``string(_:)``).
    ///
    /// - Complexity: O(*n*) in the field's length; allocates the string.
    public subscript(i: Int) -> String {
        String(decoding: bytes(i), as: UTF8.self)
    }

    /// All fields as strings, invalid UTF-8 repaired with U+FFFD (see ``strings()``).
    ///
    /// - Complexity: O(*n*) in the row's length; allocates.
    public var fields: [String] {
        (0..<count).map { self[$0] }
    }

    /// Field `i` as a string, checked to be UTF-8: the accessor for text that is kept or compared.
    ///
    /// - Throws: ``CSVError/invalidUTF8(file:line:column:columnName:text:)`` naming the line and
    ///   column, with the text shown with U+FFFD for the bad bytes.
    /// - Complexity: O(*n*) in the field's length; allocates the string.
    public func string(_ i: Int) throws(CSVError) -> String {
        let field = bytes(i)
        guard let text = String(validating: field, as: UTF8.self) else {
            throw CSVError.invalidUTF8(
                file: reader.file, line: line, column: i + 1, columnName: columnName(i),
                text: CSVError.excerpt(field))
        }
        return text
    }

    /// All fields as strings, each checked to be UTF-8.
    ///
    /// - Throws: ``CSVError/invalidUTF8(file:line:column:columnName:text:)`` for the first field
    ///   that is not UTF-8.
    /// - Complexity: O(*n*) in the row's length; allocates.
    public func strings() throws(CSVError) -> [String] {
        var out: [String] = []
        out.reserveCapacity(count)
        for i in 0..<count { out.append(try string(i)) }
        return out
    }

    /// Whether field `i` was enclosed in quotes in the file.
    ///
    /// - Complexity: O(1).
    public func wasQuoted(_ i: Int) -> Bool {
        precondition(i >= 0 && i < count, "CSVRow field index out of range")
        return spans[i].flags & FieldSpan.quoted != 0
    }

    /// Whether field `i` is a missing value: empty, `NA`, `na`, `NaN`, `nan` or `null` (exactly,
    /// case-sensitive), quoted or not, ignoring surrounding spaces and tabs.
    ///
    /// - Complexity: O(*n*) in the field's length.
    public func isMissing(_ i: Int) -> Bool {
        isMissingToken(bytes(i))
    }

    /// Field `i` as a number, or nil when it is missing (see ``isMissing(_:)``).
    ///
    /// Accepts `[+-]digits[.digits][e[+-]digits]` with surrounding spaces, `inf`/`infinity`, and,
    /// only in a quoted field, thousands separators (`"29,199"`). The result is correctly rounded.
    /// - Throws: ``CSVError/badNumber(file:line:column:columnName:text:)`` for anything else.
    /// - Complexity: O(*n*) in the field's length; allocates only for more than 19 significant
    ///   digits or exponents beyond ±22.
    public func double(_ i: Int) throws(CSVError) -> Double? {
        let field = bytes(i)
        if let value = parseDecimal(field, grouping: spans[i].flags & FieldSpan.quoted != 0) { return value }
        if isMissingToken(field) { return nil }
        throw badNumber(i)
    }

    /// Field `i` as an integer, or nil when it is missing (see ``isMissing(_:)``).
    ///
    /// Accepts `[+-]digits` with surrounding spaces, thousands separators only in a quoted field,
    /// and a fraction of zeros only (`12.0`).
    /// - Throws: ``CSVError/badNumber(file:line:column:columnName:text:)`` for anything else,
    ///   including values outside `Int`'s range.
    /// - Complexity: O(*n*) in the field's length.
    public func int(_ i: Int) throws(CSVError) -> Int? {
        let field = bytes(i)
        if let value = parseInteger(field, grouping: spans[i].flags & FieldSpan.quoted != 0) { return value }
        if isMissingToken(field) { return nil }
        throw badNumber(i)
    }

    /// The header's name of column `i`.
    public func columnName(_ i: Int) -> String? {
        reader.header.name(at: i)
    }

    /// An ``CSVError/invalidValue(file:line:column:columnName:text:expected:)`` error for field `i`,
    /// for callers that parsed a value but cannot accept it; `expected` says what is allowed.
    public func invalidValue(_ i: Int, expected: String) -> CSVError {
        .invalidValue(
            file: reader.file, line: line, column: i + 1, columnName: columnName(i), text: CSVError.excerpt(bytes(i)),
            expected: expected)
    }

    /// The `badNumber` error for field `i`.
    @inline(never)
    private func badNumber(_ i: Int) -> CSVError {
        .badNumber(
            file: reader.file, line: line, column: i + 1, columnName: columnName(i), text: CSVError.excerpt(bytes(i)))
    }
}

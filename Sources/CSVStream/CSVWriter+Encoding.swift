// The one quoting rule and the one formula neutralisation of CSVStream: `CSVWriter` writes through
// `encode(_:neutralise:into:)`, and so do `encodeField` and `encodeRow`, which other modules use to
// build records themselves (for speed) without a second copy of the rule.

/// A destination for encoded bytes: a writer's buffer, or an array.
protocol FieldOutput {
    /// What appending can throw (`Never` for an array).
    associatedtype Failure: Error
    /// Appends one byte.
    mutating func put(_ byte: UInt8) throws(Failure)
    /// Appends bytes.
    mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) throws(Failure)
}

/// An array collects encoded bytes; appending never fails.
struct ArrayOutput: FieldOutput {
    typealias Failure = Never
    var bytes: [UInt8] = []

    mutating func put(_ byte: UInt8) { bytes.append(byte) }
    mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes.append(contentsOf: bytes) }
}

extension CSVWriter {
    /// A field's CSV bytes, quoted exactly as a writer with `options` quotes it.
    ///
    /// A field is quoted when it has a comma, quote, CR or LF, or starts or ends with a space or
    /// tab; quotes inside are doubled. With ``Options/spreadsheetSafe`` the field is first
    /// neutralised as text (see ``neutralise(_:)``); pass numbers through ``format(_:)`` and
    /// without that option. An empty field gives no bytes (a row of one empty field is `""`: see
    /// ``encodeRow(_:options:)``).
    /// - Complexity: O(*n*) in the field's length.
    public static func encodeField(_ field: String, options: Options = []) -> [UInt8] {
        var output = ArrayOutput()
        let utf8 = Array(field.utf8)
        output.bytes.reserveCapacity(utf8.count + 3)
        utf8.withUnsafeBufferPointer { bytes in
            encode(bytes, neutralise: options.contains(.spreadsheetSafe), into: &output)
        }
        return output.bytes
    }

    /// A field as CSV text, quoted exactly as a writer with `options` quotes it (see ``encodeField(_:options:)``).
    ///
    /// - Complexity: O(*n*) in the field's length.
    public static func quoteField(_ field: String, options: Options = []) -> String {
        String(decoding: encodeField(field, options: options), as: UTF8.self)
    }

    /// A whole record's CSV bytes: the encoded fields joined by commas, ending in `\n`.
    ///
    /// Exactly what ``write(row:)`` writes for `fields` (no byte-order mark): a record of one empty
    /// field is `""\n`, so that it is not read back as a blank line.
    /// - Complexity: O(*n*) in the record's length.
    public static func encodeRow(_ fields: some Sequence<String>, options: Options = []) -> [UInt8] {
        var output = ArrayOutput()
        var count = 0
        var lastEmpty = false
        for field in fields {
            if count > 0 { output.put(0x2C) }
            count += 1
            let utf8 = Array(field.utf8)
            lastEmpty = utf8.isEmpty
            utf8.withUnsafeBufferPointer { bytes in
                encode(bytes, neutralise: options.contains(.spreadsheetSafe), into: &output)
            }
        }
        if count == 1 && lastEmpty {
            output.put(0x22)
            output.put(0x22)
        }
        output.put(0x0A)
        return output.bytes
    }

    /// A whole record as CSV text, ending in `\n` (see ``encodeRow(_:options:)``).
    ///
    /// - Complexity: O(*n*) in the record's length.
    public static func joinRow(_ fields: some Sequence<String>, options: Options = []) -> String {
        String(decoding: encodeRow(fields, options: options), as: UTF8.self)
    }

    /// `text` made safe to open in a spreadsheet: a leading `'` when it starts with `=`, `+`, `-`,
    /// `@`, a tab or a carriage return and is not a plain number.
    ///
    /// This is OWASP's advice for CSV injection (https://owasp.org/www-community/attacks/CSV_Injection):
    /// a spreadsheet runs such a cell as a formula (`=HYPERLINK(…)`, `@SUM(…)`, `-2+3+cmd|…`). A plain
    /// number as ``format(_:)`` writes it (`-1.5`, `-3`, `+2`, `-1e-07`) cannot be a formula, so it
    /// is left alone even when written as text.
    /// - Complexity: O(*n*) in the text's length.
    public static func neutralise(_ text: String) -> String {
        let dangerous = Array(text.utf8).withUnsafeBufferPointer { isFormula($0) }
        return dangerous ? "'" + text : text
    }

    // MARK: The encoding

    /// Writes `field` into `output`: neutralised if asked and needed, then quoted if needed.
    @inline(__always)
    static func encode<Output: FieldOutput>(
        _ field: UnsafeBufferPointer<UInt8>, neutralise: Bool, into output: inout Output
    ) throws(Output.Failure) {
        let prefix = neutralise && isFormula(field)
        if needsQuotes(field, afterPrefix: prefix) {
            try output.put(0x22)
            if prefix { try output.put(0x27) }
            var runStart = 0
            for i in 0..<field.count where field[i] == 0x22 {
                // Copy up to and including the quote, then the quote once more.
                try output.put(UnsafeBufferPointer(rebasing: field[runStart...i]))
                try output.put(0x22)
                runStart = i + 1
            }
            try output.put(UnsafeBufferPointer(rebasing: field[runStart...]))
            try output.put(0x22)
        } else {
            if prefix { try output.put(0x27) }
            try output.put(field)
        }
    }

    /// Whether a field must be quoted: it has a comma, quote, CR or LF, or starts or ends with a
    /// space or tab, or starts with U+FEFF, which a reader takes for a byte-order mark at the start
    /// of a file (the start being the `'` when `afterPrefix`, which needs no quotes).
    @inline(__always)
    static func needsQuotes(_ field: UnsafeBufferPointer<UInt8>, afterPrefix: Bool = false) -> Bool {
        guard let first = field.first, let last = field.last else { return false }
        if (!afterPrefix && (first == 0x20 || first == 0x09)) || last == 0x20 || last == 0x09 { return true }
        if !afterPrefix && first == 0xEF && field.count >= 3 && field[1] == 0xBB && field[2] == 0xBF { return true }
        for byte in field where byte <= 0x2C {
            if byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D { return true }
        }
        return false
    }

    /// Whether text starts like a formula (`=`, `+`, `-`, `@`, tab, CR) and is not a plain number.
    static func isFormula(_ field: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = field.first else { return false }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "@"), 0x09, 0x0D:
            return true
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            return !isPlainNumber(field)
        default:
            return false
        }
    }

    /// Whether `field` is `[+-]digits[.digits][(e|E)[+-]digits]` and nothing else.
    static func isPlainNumber(_ field: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = field.count
        func digits() -> Int {
            let from = i
            while i < n && field[i] &- 0x30 < 10 { i += 1 }
            return i - from
        }
        if i < n && (field[i] == UInt8(ascii: "+") || field[i] == UInt8(ascii: "-")) { i += 1 }
        guard digits() > 0 else { return false }
        if i < n && field[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { return false }
        }
        if i < n && field[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < n && (field[i] == UInt8(ascii: "+") || field[i] == UInt8(ascii: "-")) { i += 1 }
            guard digits() > 0 else { return false }
        }
        return i == n
    }
}

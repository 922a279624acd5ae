// libFuzzer target `csv-writer`: bytes → rows of fields → CSVWriter (options from the first byte)
// → CSVReader, which must give back exactly the fields written (neutralised ones with their `'`).
//
// Fields are separated by byte 0x00 and rows by 0x01 in the input, so any other bytes, quotes and
// line breaks included, land inside fields. Built with the CSVStream sources by scripts/fuzz.sh.

/// The libFuzzer entry point.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSVWriter(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    guard let flags = input.first else { return 0 }
    var options: CSVWriter.Options = []
    if flags & 1 != 0 { options.insert(.spreadsheetSafe) }
    if flags & 2 != 0 { options.insert(.byteOrderMark) }
    let rows: [[String]] = input.dropFirst().split(separator: 0x01, omittingEmptySubsequences: false).map { row in
        row.split(separator: 0x00, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }
    // The reader needs a header as wide as every row.
    guard let width = rows.first?.count, rows.allSatisfy({ $0.count == width }) else { return 0 }
    do {
        let writer = try CSVWriter.inMemory(gzip: flags & 4 != 0, options: options)
        for row in rows { try writer.write(row: row) }
        try writer.finish()
        let expected = rows.map { row in
            row.map { options.contains(.spreadsheetSafe) ? CSVWriter.neutralise($0) : $0 }
        }
        precondition(CSVWriter.encodeRow(rows[0], options: options).count > 0)
        let reader = try CSVReader(bytes: writer.contents, name: "round-trip.csv")
        var read = [reader.header.names]
        while let row = try reader.readRow() { read.append(try row.strings()) }
        // The reader trims header names, so compare the header trimmed.
        let header = expected[0].map { $0.trimmingWhitespace() }
        precondition(read[0] == header, "header \(expected[0]) read back as \(read[0])")
        precondition(Array(read.dropFirst()) == Array(expected.dropFirst()), "rows \(expected) read back as \(read)")
    } catch {
        // The header cannot be empty: a file of one empty header name reads as empty.
        if case .emptyFile = error, rows.count == 1 { return 0 }
        preconditionFailure("round trip failed: \(error) for \(rows)")
    }
    return 0
}

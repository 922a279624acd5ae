// libFuzzer target `csv-reader`: bytes → CSVReader → every row, every accessor.
//
// Properties checked besides "no crash, no hang, bounded memory": reading with a tiny chunk size
// (chosen by the first byte) gives the same rows as reading in one chunk, and the same outcome
// (both succeed or both fail). A second pass with tiny limits exercises the limit errors.
// Built with the CSVStream sources into one module by scripts/fuzz.sh.

/// Every row of `bytes` as checked strings, numbers and flags, or the error that stopped reading.
private func readAll(_ bytes: [UInt8], options: CSVReader.Options) -> ([[String]], CSVError?) {
    var rows: [[String]] = []
    do {
        let reader = try CSVReader(bytes: bytes, name: "fuzz.csv", options: options)
        rows.append(reader.header.names)
        while let row = try reader.readRow() {
            var fields: [String] = []
            for i in 0..<row.count {
                fields.append(row[i])
                _ = try? row.string(i)
                _ = try? row.double(i)
                _ = try? row.int(i)
                _ = row.isMissing(i)
                _ = row.wasQuoted(i)
                _ = row.invalidValue(i, expected: "anything").description
            }
            rows.append(fields)
        }
        return (rows, nil)
    } catch {
        _ = error.description
        return (rows, error)
    }
}

/// The libFuzzer entry point.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSVReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // Tiny chunks rescan a long record once per chunk; keep them for short inputs, where it is cheap.
    let chunk = (Int(bytes.first ?? 0) % 13 + 1) * (bytes.count > 1024 ? 16 : 1)
    let (whole, wholeError) = readAll(bytes, options: .init(chunkSize: 1 << 13))  // one chunk: max_len is 4096
    let (pieces, piecesError) = readAll(bytes, options: .init(chunkSize: chunk))
    precondition(whole == pieces, "rows differ between chunk sizes 1 MiB and \(chunk)")
    precondition(
        (wholeError == nil) == (piecesError == nil),
        "outcome differs: \(wholeError.map { "\($0)" } ?? "ok") vs \(piecesError.map { "\($0)" } ?? "ok")")
    _ = readAll(bytes, options: .init(chunkSize: chunk, maxFieldBytes: 16, maxColumns: 6, maxRecordBytes: 64))
    return 0
}

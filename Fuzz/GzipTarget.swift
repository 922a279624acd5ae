// libFuzzer target `gzip`: bytes → gunzip (on the inflating thread) → CSV rows.
//
// The input is taken as a gzip stream (the magic bytes are put in front when missing), so the
// fuzzer spends its time in the inflater and in the pipeline between the two threads. Checked:
// no crash, no hang, no leak of the producer thread, bounded memory for a bomb (the reader's
// limits stop it). Built with the CSVStream sources by scripts/fuzz.sh.

/// The libFuzzer entry point.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGzip(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if !(bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b) { bytes = [0x1f, 0x8b] + bytes }
    let options = CSVReader.Options(chunkSize: 1 << 16, maxFieldBytes: 1 << 16, maxColumns: 1000, maxRecordBytes: 1 << 18)
    do {
        let reader = try CSVReader(bytes: bytes, name: "fuzz.csv.gz", options: options)
        var rows = 0
        while let row = try reader.readRow() {
            rows += 1
            for i in 0..<row.count { _ = try? row.string(i) }
            if rows == 10_000 { break }  // stop early sometimes: the producer must still shut down
        }
    } catch {
        _ = error.description
    }
    return 0
}

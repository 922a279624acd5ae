import CSVStream
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The CSV text of a header `a` and one row holding `field`.
private func oneField(_ field: String) -> [UInt8] {
    Array("a\n\(field)\n".utf8)
}

@Suite("CSVReader: limits that hold under abuse")
struct CSVLimitsTests {
    static let megabyte = 1 << 20

    @Test func fieldOverOneMegabyte() throws {
        let long = String(repeating: "x", count: Self.megabyte + 1)
        #expect(
            throws: CSVError.fieldTooLong(file: "big.csv", line: 2, column: 1, columnName: "a", limit: Self.megabyte)
        ) {
            _ = try parse(bytes: oneField(long), name: "big.csv")
        }
        // A field of exactly the limit is accepted, in one chunk or many.
        let limit = String(repeating: "y", count: Self.megabyte)
        #expect(try parse(bytes: oneField(limit)).rows == [[limit]])
        #expect(try parse(bytes: oneField(limit), chunkSize: 1 << 16).rows == [[limit]])
    }

    @Test func quotedFieldOverTheLimitAcrossChunks() throws {
        let quoted = "\"" + String(repeating: "q\"\"", count: 400_000) + "\""
        for chunkSize in [1 << 20, 4096] {
            #expect(
                throws: CSVError.fieldTooLong(file: "q.csv", line: 2, column: 1, columnName: "a", limit: Self.megabyte)
            ) {
                _ = try parse(bytes: oneField(quoted), chunkSize: chunkSize, name: "q.csv")
            }
        }
    }

    @Test func headerOfMoreThan10000Columns() throws {
        let wide = (0...10_000).map { "c\($0)" }.joined(separator: ",")
        let error = try #require(parseError(wide + "\n", name: "wide.csv"))
        #expect(error == .tooManyFields(file: "wide.csv", line: 1, limit: 10_000))
        #expect(
            error.description
                == "wide.csv:1: the header has more than 10000 fields (the limit): check that the file is comma-separated CSV")
        let widest = (0..<10_000).map { "c\($0)" }.joined(separator: ",")
        #expect(try parse(widest + "\n").header.count == 10_000)
    }

    @Test func recordWithEndlessCommas() throws {
        let commas = "a,b\n" + String(repeating: ",", count: 50_000)
        #expect(parseError(commas, chunkSize: 4096) == .tooManyFields(file: "test.csv", line: 2, limit: 10_000))
        #expect(parseError(commas) == .tooManyFields(file: "test.csv", line: 2, limit: 10_000))
    }

    @Test func recordOverItsLimit() throws {
        let options = CSVReader.Options(chunkSize: 64, maxFieldBytes: 100, maxColumns: 100, maxRecordBytes: 500)
        let row = (0..<10).map { _ in String(repeating: "z", count: 90) }.joined(separator: ",")
        let header = (0..<10).map { "c\($0)" }.joined(separator: ",")
        let reader = try CSVReader(string: header + "\n" + row + "\n", name: "r.csv", options: options)
        #expect(throws: CSVError.recordTooLong(file: "r.csv", line: 2, limit: 500)) { _ = try reader.readRow() }
    }

    @Test func devZeroFailsWithinOneLimit() throws {
        // A character device is read as a stream; a megabyte of NUL bytes has no line break.
        let started = Date()
        #expect(throws: CSVError.fieldTooLong(file: "/dev/zero", line: 1, column: 1, columnName: nil, limit: 1 << 20)) {
            _ = try CSVReader(path: "/dev/zero")
        }
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test func gzipBombStopsAtTheFieldLimit() throws {
        // 32 MB of 'x' compress to about 32 KB; the reader inflates no more than it must.
        let writer = try CSVWriter.inMemory(gzip: true)
        try writer.write(row: ["a"])
        let chunk = String(repeating: "x", count: 2 << 20)
        for _ in 0..<16 { try writer.write(field: chunk) }
        try writer.endRow()
        try writer.finish()
        #expect(writer.contents.count < 200_000)
        let started = Date()
        #expect(
            throws: CSVError.fieldTooLong(file: "bomb.csv.gz", line: 2, column: 1, columnName: "a", limit: 1 << 20)
        ) {
            _ = try parse(bytes: writer.contents, name: "bomb.csv.gz")
        }
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test func manyTrailingBlankLinesAreIgnoredWithoutGrowingTheBuffer() throws {
        let blank = String(repeating: "\n", count: 3 << 20) + String(repeating: "\r\n", count: 1 << 20)
        // More line breaks than the record limit: they are counted, never held.
        let options = CSVReader.Options(chunkSize: 1 << 16, maxRecordBytes: 1 << 16)
        let reader = try CSVReader(string: "a,b\n1,2\n" + blank, options: options)
        #expect(try reader.remainingRows() == [["1", "2"]])
        // In the middle they are still records of one empty field, with their own lines.
        #expect(
            try parse("a\n1\n\n\r\n\n2\n\n", chunkSize: 2)
                == Parsed(
                    header: ["a"], rows: [["1"], [""], [""], [""], ["2"]], lines: [2, 3, 4, 5, 6]))
    }

    @Test func errorsQuoteAnExcerpt() throws {
        let long = String(repeating: "é", count: 5_000) + "\"" + String(repeating: "x", count: 5_000)
        let error = try #require(parseError("a,b\n1," + long + "\n", chunkSize: 1000, name: "e.csv"))
        guard case .unexpectedQuote(_, 2, 2, "b", let text) = error else {
            Issue.record("unexpected error \(error)")
            return
        }
        #expect(text == String(repeating: "é", count: 200) + "…")
        #expect(error.description.count < 300)
        #expect(parseError("a,b\n1," + long + "\n", name: "e.csv") == error, "the same excerpt whatever the chunk")

        let reader = try CSVReader(string: "v\n" + String(repeating: "9", count: 10_000) + "x\n", name: "n.csv")
        let row = try #require(try reader.readRow())
        #expect(
            throws: CSVError.badNumber(
                file: "n.csv", line: 2, column: 1, columnName: "v", text: String(repeating: "9", count: 200) + "…")
        ) {
            _ = try row.double(0)
        }
    }

    @Test func headerProblemsDoNotQuoteTheWholeHeader() throws {
        let header = CSVHeader(names: (0..<10_000).map { "column \($0)" }, file: "wide.csv")
        do {
            _ = try header.requireIndex(of: "deaths")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.count < 500)
            #expect(error.description.hasSuffix(#""column 18", "column 19" and 9980 more"#))
        }
    }

    @Test func emptyFileSaysSo() throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let path = directory + "/empty.csv"
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        #expect(throws: CSVError.emptyFile(file: path)) { _ = try CSVReader(path: path) }
        #expect(
            CSVError.emptyFile(file: "x.csv").description
                == #"x.csv: file is empty: expected a header line with column names (such as "area,count"), then one line per row"#
        )
    }

    @Test func invalidUTF8IsAnErrorWhereTextIsRead() throws {
        let bytes: [UInt8] = Array("name,count\n".utf8) + [0x53, 0xE3, 0x6F] + Array(",1\n".utf8)
        let reader = try CSVReader(bytes: bytes, name: "latin1.csv")
        let row = try #require(try reader.readRow())
        #expect(row[0] == "S\u{FFFD}o", "the subscript still repairs, for messages")
        let expected = CSVError.invalidUTF8(
            file: "latin1.csv", line: 2, column: 1, columnName: "name", text: "S\u{FFFD}o")
        #expect(throws: expected) { _ = try row.string(0) }
        #expect(throws: expected) { _ = try row.strings() }
        #expect(try row.string(1) == "1")
        #expect(
            expected.description == #"latin1.csv:2: column 1 (name): "S\#u{FFFD}o" is not valid UTF-8: save the file as UTF-8"#)
        #expect(throws: expected) { _ = try CSVReader(bytes: bytes, name: "latin1.csv").remainingRows() }
        // In the header, at once.
        #expect(throws: CSVError.invalidUTF8(file: "h.csv", line: 1, column: 2, columnName: nil, text: "\u{FFFD}")) {
            _ = try CSVReader(bytes: Array("a,".utf8) + [0xFF] + Array("\n1,2\n".utf8), name: "h.csv")
        }
    }

    @Test func truncatedGzipFileNamesTheFile() throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let path = directory + "/cut.csv.gz"
        let writer = try CSVWriter(path: path)
        for i in 0..<5000 { try writer.write(row: ["\(i)", "value \(i)"]) }
        try writer.finish()
        let whole = try fileBytes(path)
        try Data(whole.prefix(whole.count / 2)).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: CSVError.self) { _ = try CSVReader.readAll(path: path) }
        #expect(error == .gzip(file: path, reason: "unexpected end of compressed data (the file is truncated)"))
        #expect(error.description.hasPrefix(path + ": gzip error"))
    }
}

@Suite("CSVReader: inputs that are not regular files")
struct CSVInputTests {
    @Test func isRegularFile() throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let file = directory + "/f.csv"
        #expect(FileManager.default.createFile(atPath: file, contents: Data("a\n".utf8)))
        #expect(mkfifo(directory + "/fifo", 0o600) == 0)
        #expect(CSVInput.isRegularFile(file))
        #expect(!CSVInput.isRegularFile(directory + "/fifo"))
        #expect(!CSVInput.isRegularFile(directory))
        #expect(!CSVInput.isRegularFile("/dev/null"))
        #expect(!CSVInput.isRegularFile(directory + "/missing.csv"))
        #expect(CSVInput.kind(of: directory + "/fifo") == "a FIFO (named pipe)")
        #expect(CSVInput.kind(of: "/dev/null") == "a character device")
    }

    @Test func directoryIsRefused() throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        #expect(
            throws: CSVError.cannotOpen(file: directory, reason: "it is a directory: give the path of a CSV file")
        ) {
            _ = try CSVReader(path: directory)
        }
    }

    @Test(arguments: [false, true])
    func fifoIsReadOnceAsAStream(gzip: Bool) throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let fifo = directory + (gzip ? "/stream.csv.gz" : "/stream.csv")
        #expect(mkfifo(fifo, 0o600) == 0)
        let memory = try CSVWriter.inMemory(gzip: gzip)
        try memory.write(row: ["area", "count"])
        for i in 0..<20_000 { try memory.write(row: ["E0\(i)", "\(i)"]) }
        try memory.finish()
        let bytes = memory.contents
        // The writer end: opening a FIFO blocks until the reader opens it too.
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let fd = open(fifo, O_WRONLY)
            if fd >= 0 {
                bytes.withUnsafeBytes { raw in
                    var offset = 0
                    while offset < raw.count {
                        let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                        if n <= 0 { break }
                        offset += n
                    }
                }
                close(fd)
            }
            done.signal()
        }
        let read = try CSVReader.readAll(path: fifo)
        done.wait()
        #expect(read.header == ["area", "count"])
        #expect(read.rows.count == 20_000)
        #expect(read.rows.last == ["E019999", "19999"])
    }
}

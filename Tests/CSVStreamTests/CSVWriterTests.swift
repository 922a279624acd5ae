import CSVStream
import Foundation
import NumericCore
import Testing

/// What an in-memory writer produces for `rows`.
private func written(_ rows: [[String]]) throws -> String {
    let writer = try CSVWriter.inMemory()
    for row in rows { try writer.write(row: row) }
    try writer.finish()
    return String(decoding: writer.contents, as: UTF8.self)
}

@Suite("CSVWriter")
struct CSVWriterTests {
    @Test(arguments: [
        (895.0, "895"), (-3.0, "-3"), (0.0, "0"), (-0.0, "0"), (1043.0247991469423, "1043.0247991469423"),
        (0.1, "0.1"), (1e-7, "1e-07"), (1.5e20, "1.5e+20"), (1e-5, "0.00001"), (1.5e-5, "0.000015"),
        (-2.5e-5, "-0.000025"), (0.0001, "0.0001"), (123456789012345.67, "123456789012345.67"),
        (999999999999999.0, "999999999999999"), (1e15, "1000000000000000.0"),
        (1.0000000000000002, "1.0000000000000002"),
    ])
    func formatNumbers(value: Double, expected: String) {
        #expect(CSVWriter.format(value) == expected)
    }

    @Test func formatMissingAndNonFinite() {
        #expect(CSVWriter.format(nil) == "")
        #expect(CSVWriter.format(.nan) == "")
        #expect(CSVWriter.format(.infinity) == "")
        #expect(CSVWriter.format(-.infinity) == "")
    }

    @Test func formatRoundTripsInPlainDecimal() throws {
        var rng = SplitMix64(state: 7)
        for _ in 0..<2000 {
            let exponent = Double(Int(rng.next() % 20) - 5)
            let value = Double.random(in: 1..<10, using: &rng) * pow(10, exponent)
            let text = CSVWriter.format(value)
            #expect(Double(text) == value, "\(value) → \(text)")
            #expect(!text.contains("e"), "\(value) → \(text)")
        }
    }

    @Test func quotesOnlyWhenNeeded() throws {
        let text = try written([
            ["plain", "with,comma", "with \"quote\"", "line\nbreak", "cr\rhere", " lead", "trail ", "", "Ynys Môn"],
            [""],
            ["a", ""],
        ])
        #expect(
            text
                == "plain,\"with,comma\",\"with \"\"quote\"\"\",\"line\nbreak\",\"cr\rhere\",\" lead\",\"trail \",,Ynys Môn\n\"\"\na,\n"
        )
    }

    @Test func incrementalFieldsAndNumbers() throws {
        let writer = try CSVWriter.inMemory()
        try writer.write(field: "E06000049")
        try writer.write(field: 412.5)
        try writer.write(field: nil as Double?)
        try writer.endRow()
        try writer.write(fields: ["x", "y"].lazy.map { $0.uppercased() })
        try writer.finish()
        #expect(String(decoding: writer.contents, as: UTF8.self) == "E06000049,412.5,\nX,Y\n")
    }

    @Test func fileIsReplacedAtomically() throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let target = directory + "/out.csv"
        let first = try CSVWriter(path: target)
        try first.write(row: ["a", "b"])
        try first.write(row: ["1", "2"])
        #expect(!FileManager.default.fileExists(atPath: target), "nothing appears before finish()")
        try first.finish()
        let before = try fileBytes(target)
        #expect(before == Array("a,b\n1,2\n".utf8))

        // Abandoned without finish(): the target keeps its bytes and no temporary file remains.
        do {
            let abandoned = try CSVWriter(path: target)
            for i in 0..<100_000 { try abandoned.write(row: ["\(i)", "overwritten"]) }
            #expect(try directoryListing(directory).count == 2, "target and one temporary file while writing")
        }
        #expect(try fileBytes(target) == before)
        #expect(try directoryListing(directory) == ["out.csv"])

        // A writer whose producer throws midway.
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            let writer = try CSVWriter(path: target)
            try writer.write(row: ["partial"])
            throw Stop()
        }
        #expect(try fileBytes(target) == before)

        let discarded = try CSVWriter(path: target)
        try discarded.write(row: ["x"])
        discarded.discard()
        #expect(try fileBytes(target) == before)
        #expect(try directoryListing(directory) == ["out.csv"])
    }

    @Test func gzipMemoryWriterReadsBack() throws {
        let writer = try CSVWriter.inMemory(gzip: true)
        try writer.write(row: ["a", "b"])
        try writer.write(row: ["1", "x,y"])
        try writer.finish()
        #expect(writer.contents.prefix(2) == [0x1f, 0x8b])
        #expect(try parse(bytes: writer.contents).rows == [["1", "x,y"]])
    }

    @Test func cannotWriteIntoAMissingDirectory() {
        #expect(throws: CSVError.self) { _ = try CSVWriter(path: "/nonexistent-dir/out.csv") }
    }

    @Test func gzipFileReadsBackLikeThePlainFile() throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        var rng = SplitMix64(state: 99)
        let rows = (0..<20_000).map { i in
            [
                "E0\(100_000 + i)", "\(2000 + Int(rng.next() % 20))", i % 2 == 0 ? "Female" : "Male",
                CSVWriter.format(Double(rng.next() % 100_000) / 7),
            ]
        }
        for path in [directory + "/data.csv", directory + "/data.csv.gz"] {
            let writer = try CSVWriter(path: path)
            try writer.write(row: ["area", "year", "sex", "value"])
            for row in rows { try writer.write(row: row) }
            try writer.finish()
        }
        let gzipped = try fileBytes(directory + "/data.csv.gz")
        #expect(gzipped.prefix(2) == [0x1f, 0x8b])
        #expect(gzipped.count < (try fileBytes(directory + "/data.csv")).count / 2)
        for chunkSize in [1 << 20, 1000] {
            let plain = try CSVReader.readAll(path: directory + "/data.csv", options: .init(chunkSize: chunkSize))
            let compressed = try CSVReader.readAll(
                path: directory + "/data.csv.gz", options: .init(chunkSize: chunkSize))
            #expect(plain.rows == rows)
            #expect(compressed.header == plain.header)
            #expect(compressed.rows == plain.rows)
        }
        // Concatenated gzip members read as one stream, and an abandoned gzip reader stops cleanly.
        let twice = gzipped + gzipped
        let doubled = try parse(bytes: twice)
        #expect(doubled.rows.count == 2 * rows.count + 1)
        let early = try CSVReader(bytes: gzipped)
        #expect(try early.nextRow()?.fields == rows[0])
    }

    @Test func randomRowsRoundTrip() throws {
        var rng = SplitMix64(state: 4_180)
        let pieces = [
            "a", "Z", "0", "12.5", ",", "\"", "\"\"", "\r", "\n", "\r\n", " ", "\t", "Ynys Môn", "São", "🙂", "👩‍👩‍👧",
            "NA", "", "x,y", "naïve", "\u{FEFF}", "中文",
        ]
        for trial in 0..<300 {
            let columns = Int(rng.next() % 6) + 1
            let header = (0..<columns).map { "c\($0)" }
            let rows: [[String]] = (0..<Int(rng.next() % 12)).map { _ in
                (0..<columns).map { _ in
                    (0..<Int(rng.next() % 5)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
                }
            }
            let writer = try CSVWriter.inMemory(gzip: trial % 5 == 0)
            try writer.write(row: header)
            for row in rows { try writer.write(row: row) }
            try writer.finish()
            for chunkSize in [1 << 16, Int(rng.next() % 9) + 1] {
                let parsed = try parse(bytes: writer.contents, chunkSize: chunkSize)
                #expect(parsed.header == header, "trial \(trial)")
                #expect(parsed.rows == rows, "trial \(trial), chunk \(chunkSize)")
            }
        }
    }
}

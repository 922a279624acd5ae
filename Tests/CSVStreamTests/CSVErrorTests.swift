import CSVStream
import Testing

@Suite("CSVError: where and what")
struct CSVErrorTests {
    @Test func unterminatedQuoteReportsWhereItOpened() throws {
        let error = try #require(parseError("a,b,c\n1,2,3\n4,5,\"six\n7,8,9\n", name: "counts.csv"))
        #expect(error == .unterminatedQuote(file: "counts.csv", line: 3, column: 3, columnName: "c"))
        #expect(error.description == "counts.csv:3: column 3 (c): quoted field is never closed")
        #expect(error.line == 3)
    }

    @Test func unexpectedQuoteInUnquotedField() throws {
        let error = try #require(parseError("a,b\n\"x\ny\",ab\"c\n", name: "counts.csv"))
        #expect(error.description == #"counts.csv:3: column 2 (b): unexpected quote in field "ab\"c""#)
    }

    @Test func textAfterClosingQuote() throws {
        let error = try #require(parseError("a,b\n1,\"ab\"c\n", name: "counts.csv"))
        #expect(error == .unexpectedQuote(file: "counts.csv", line: 2, column: 2, columnName: "b", text: "\"ab\"c"))
    }

    @Test func unexpectedQuoteInHeaderHasNoColumnName() throws {
        let error = try #require(parseError("a,b\"\n1,2\n", name: "h.csv"))
        #expect(error.description == #"h.csv:1: column 2: unexpected quote in field "b\"""#)
    }

    @Test func wrongFieldCount() throws {
        let error = try #require(parseError("a,b,c\n1,2,3\n\"x\ny\",2\n", name: "counts.csv"))
        #expect(error.description == "counts.csv:3: expected 3 fields (as in the header) but found 2")
    }

    @Test func badNumberNamesColumnAndText() throws {
        let reader = try CSVReader(
            string: "area,year,sex,age,population,deaths\nE1,2015,F,85-89,12x,4\n", name: "counts.csv")
        let row = try #require(try reader.nextRow())
        #expect(
            throws: CSVError.badNumber(file: "counts.csv", line: 2, column: 5, columnName: "population", text: "12x")
        ) {
            _ = try row.double(4)
        }
        #expect(throws: CSVError.self) { _ = try row.int(3) }
        do {
            _ = try row.int(4)
        } catch {
            #expect("\(error)" == #"counts.csv:2: column 5 (population): "12x" is not a number"#)
        }
    }

    @Test func invalidValue() throws {
        let reader = try CSVReader(string: "deaths\n-3\n", name: "counts.csv")
        let row = try #require(try reader.nextRow())
        let error = row.invalidValue(0, expected: "a count of 0 or more")
        #expect(
            error.description == #"counts.csv:2: column 1 (deaths): "-3" is not allowed: expected a count of 0 or more"#
        )
    }

    @Test func columns() {
        let missing = CSVError.missingColumn(file: "x.csv", column: "deaths", available: ["area", "count"])
        #expect(missing.description == #"x.csv: no column named "deaths"; the columns are "area", "count""#)
        let duplicate = CSVError.duplicateColumn(file: "x.csv", column: "age band", matches: ["Age Band", "AGEBAND"])
        #expect(
            duplicate.description == #"x.csv: column name "age band" is ambiguous: it matches "Age Band", "AGEBAND""#)
    }

    @Test func cannotOpen() {
        #expect(throws: CSVError.cannotOpen(file: "/nonexistent/x.csv", reason: "No such file or directory")) {
            _ = try CSVReader(path: "/nonexistent/x.csv")
        }
        #expect(
            CSVError.cannotOpen(file: "x.csv", reason: "Permission denied").description
                == "x.csv: cannot open: Permission denied")
    }

    @Test func gzipErrors() throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let plain = directory + "/plain.csv.gz"
        let writer = try CSVWriter(path: directory + "/plain.csv")
        try writer.write(row: ["a"])
        try writer.finish()
        try renameFile(directory + "/plain.csv", to: plain)
        #expect(throws: CSVError.gzip(file: plain, reason: "not in gzip format")) { _ = try CSVReader(path: plain) }

        let memory = try CSVWriter.inMemory(gzip: true)
        for i in 0..<1000 { try memory.write(row: ["\(i)", "value \(i)"]) }
        try memory.finish()
        let truncated = Array(memory.contents.dropLast(20))
        #expect(
            throws: CSVError.gzip(file: "t.csv.gz", reason: "unexpected end of compressed data (the file is truncated)")
        ) {
            _ = try parse(bytes: truncated, name: "t.csv.gz")
        }
        var corrupt = memory.contents
        corrupt[corrupt.count / 2] ^= 0xFF
        #expect(throws: CSVError.self) { _ = try parse(bytes: corrupt, name: "c.csv.gz") }
    }
}

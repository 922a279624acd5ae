import CSVStream
import Testing

@Suite("CSVReader: RFC 4180 parsing")
struct CSVReaderTests {
    @Test func plainRowsAndLineNumbers() throws {
        let parsed = try parse("a,b,c\n1,2,3\n4,5,6\n")
        #expect(parsed.header == ["a", "b", "c"])
        #expect(parsed.rows == [["1", "2", "3"], ["4", "5", "6"]])
        #expect(parsed.lines == [2, 3])
    }

    @Test func quotedFieldsAndDoubledQuotes() throws {
        let parsed = try parse("name,note\n\"Smith, J\",\"said \"\"hi\"\"\"\n\"\",\"\"\"\"\n")
        #expect(parsed.rows == [["Smith, J", "said \"hi\""], ["", "\""]])
    }

    @Test func newlineInsideQuotesKeepsLaterLineNumbers() throws {
        let text = "id,text\n1,\"two\nlines\"\n2,\"three\r\nphysical\nlines\"\n3,\"old\rmac\"\n4,plain\n"
        let parsed = try parse(text)
        #expect(
            parsed.rows == [
                ["1", "two\nlines"], ["2", "three\r\nphysical\nlines"], ["3", "old\rmac"], ["4", "plain"],
            ])
        #expect(parsed.lines == [2, 4, 7, 9])
    }

    @Test func crlfAndLoneCR() throws {
        let parsed = try parse("a,b\r\n1,2\r\n3,4\r5,6")
        #expect(parsed.rows == [["1", "2"], ["3", "4"], ["5", "6"]])
        #expect(parsed.lines == [2, 3, 4])
    }

    @Test func byteOrderMarkAndHeaderWhitespace() throws {
        let reader = try CSVReader(bytes: [0xEF, 0xBB, 0xBF] + Array(" Area Code ,\"Value\n\"\n1,2\n".utf8))
        #expect(reader.header.names == ["Area Code", "Value"])
        #expect(reader.header.index(of: "areacode") == 0)
        #expect(reader.header.index(of: "VALUE") == 1)
    }

    @Test func missingFinalNewline() throws {
        #expect(try parse("a,b\n1,2").rows == [["1", "2"]])
        #expect(try parse("a,b\n1,\"2\"").rows == [["1", "2"]])
        #expect(try parse("a,b\n1,").rows == [["1", ""]])
    }

    @Test func trailingBlankLinesIgnored() throws {
        #expect(try parse("a,b\n1,2\n\n").rows == [["1", "2"]])
        #expect(try parse("a,b\r\n1,2\r\n\r\n\r\n").rows == [["1", "2"]])
        #expect(try parse("a\n1\n\n").rows == [["1"]])
    }

    @Test func blankLineInTheMiddleIsARecord() throws {
        #expect(try parse("a\n1\n\n2\n").rows == [["1"], [""], ["2"]])
        #expect(parseError("a,b\n1,2\n\n3,4\n") == .wrongFieldCount(file: "test.csv", line: 3, expected: 2, found: 1))
    }

    @Test func emptyFieldsAndInputs() throws {
        #expect(try parse("a,b,c\n,,\n\"\",,\"\"\n").rows == [["", "", ""], ["", "", ""]])
        #expect(parseError("") == .emptyFile(file: "test.csv"))
        #expect(parseError("\r\n\n\r") == .emptyFile(file: "test.csv"))
        #expect(try parse("a,b") == Parsed(header: ["a", "b"], rows: [], lines: []))
    }

    @Test func missingTokens() throws {
        let reader = try CSVReader(string: "v\n\nNA\nna\nNaN\nnan\nnull\nNULL\nN/A\n\" \"\n0\nNa\n")
        var missing: [Bool] = []
        try reader.forEachRow { missing.append($0.isMissing(0)) }
        #expect(missing == [true, true, true, true, true, true, false, false, true, false, false])
    }

    @Test func wasQuotedAndBytes() throws {
        let reader = try CSVReader(string: "a,b\n\"x\"\"y\",z\n")
        let row = try #require(try reader.nextRow())
        #expect(row.wasQuoted(0))
        #expect(!row.wasQuoted(1))
        #expect(Array(row.bytes(0)) == Array("x\"y".utf8))
        #expect(row.count == 2)
        #expect(row.columnName(1) == "b")
        #expect(try reader.nextRow() == nil)
    }

    @Test func readingContinuesAfterAWrongFieldCount() throws {
        let reader = try CSVReader(string: "a,b\n1\n2,3\n")
        #expect(throws: CSVError.wrongFieldCount(file: "<memory>", line: 2, expected: 2, found: 1)) {
            _ = try reader.nextRow()
        }
        #expect(try reader.nextRow()?.fields == ["2", "3"])
        #expect(reader.rowsRead == 1)
    }

    /// Fingertips exports drop the trailing empty field on every row; the option pads them, and only them.
    @Test(arguments: [1, 3, 1 << 20])
    func shortRecordsArePaddedOnlyWhenAllowed(chunkSize: Int) throws {
        let text = "a,b,c,d\r\n1,\"x\ny\",3\r\n4,5,6,7\r\n8\r\n"
        let options = CSVReader.Options(chunkSize: chunkSize, allowsShortRecords: true)
        let reader = try CSVReader(string: text, options: options)
        var rows: [([String], Int, Int)] = []
        try reader.forEachRow { rows.append(($0.fields, $0.fieldsInRecord, $0.line)) }
        #expect(rows.map(\.0) == [["1", "x\ny", "3", ""], ["4", "5", "6", "7"], ["8", "", "", ""]])
        #expect(rows.map(\.1) == [3, 4, 1])
        #expect(rows.map(\.2) == [2, 4, 5])
        let strict = try CSVReader(string: text, options: .init(chunkSize: chunkSize))
        #expect(throws: CSVError.wrongFieldCount(file: "<memory>", line: 2, expected: 4, found: 3)) {
            _ = try strict.nextRow()
        }
        let long = try CSVReader(string: "a,b\n1,2,3\n", options: options)
        #expect(throws: CSVError.wrongFieldCount(file: "<memory>", line: 2, expected: 2, found: 3)) {
            _ = try long.nextRow()
        }
    }

    @Test func headerLookup() throws {
        let header = CSVHeader(names: ["Age Band", "sex", "AGE  BAND", "Count"], file: "x.csv")
        #expect(CSVHeader.normalise(" Age\tBand ") == "ageband")
        #expect(header.index(of: "ageband") == 0)
        #expect(header.index(of: "deaths", aliases: ["COUNT"]) == 3)
        #expect(header.index(of: "deaths") == nil)
        #expect(try header.requireIndex(of: "Sex") == 1)
        #expect(
            throws: CSVError.duplicateColumn(file: "x.csv", column: "age band", matches: ["Age Band", "AGE  BAND"])
        ) {
            try header.requireIndex(of: "age band")
        }
        #expect(throws: CSVError.missingColumn(file: "x.csv", column: "deaths", available: header.names)) {
            try header.requireIndex(of: "deaths", aliases: ["events"])
        }
    }
}

@Suite("CSVReader: records across chunk boundaries")
struct CSVReaderChunkTests {
    static let inputs: [String] = [
        "a,b,c\n1,2,3\n4,5,6\n",
        "name,note\n\"Smith, J\",\"said \"\"hi\"\"\"\n\"\",\"\"\"\"\n",
        "id,text\n1,\"two\nlines\"\n2,\"three\r\nphysical\nlines\"\n3,\"old\rmac\"\n4,plain\n",
        "a,b\r\n1,2\r\n3,4\r5,6",
        "\u{FEFF}x,y\r\n\"1,000\",\"São Paulo 🙂\"\r\n,\r\n\r\n",
        "a\n1\n\n2\n\n\n",
        "k,v\n" + (0..<50).map { "key\($0),\"va\"\"l\nue \($0)\"" }.joined(separator: "\r\n"),
    ]

    @Test(arguments: inputs, [1, 2, 3, 7, 64])
    func smallChunksGiveTheSameResult(text: String, chunkSize: Int) throws {
        #expect(try parse(text, chunkSize: chunkSize) == parse(text))
    }

    static let malformed: [String] = [
        "a,b\n1,\"open\n2,3\n",
        "a,b\n1,ab\"c\n",
        "a,b\n1,\"ab\"c,\n",
        "a,b\n1,2,3\n",
    ]

    @Test(arguments: malformed, [1, 5])
    func smallChunksGiveTheSameError(text: String, chunkSize: Int) throws {
        let expected = try #require(parseError(text))
        #expect(parseError(text, chunkSize: chunkSize) == expected)
    }
}

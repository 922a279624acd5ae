import CSVStream
import NumericCore
import Testing

/// Parses `field` (as written in the file, quotes included) with `double(_:)`.
private func double(_ field: String) throws -> Double? {
    let reader = try CSVReader(string: "x,y\n\(field),0\n", name: "n.csv")
    return try #require(try reader.nextRow()).double(0)
}

/// Parses `field` (as written in the file, quotes included) with `int(_:)`.
private func int(_ field: String) throws -> Int? {
    let reader = try CSVReader(string: "x,y\n\(field),0\n", name: "n.csv")
    return try #require(try reader.nextRow()).int(0)
}

@Suite("CSVRow: numbers")
struct CSVRowNumberTests {
    @Test func plainDecimals() throws {
        #expect(try double("123") == 123)
        #expect(try double("-0.5") == -0.5)
        #expect(try double("+2.25") == 2.25)
        #expect(try double("1e3") == 1000)
        #expect(try double("1.5E-3") == 0.0015)
        #expect(try double(".5") == 0.5)
        #expect(try double("5.") == 5)
        #expect(try double("0.1") == 0.1)
        #expect(try double("  42  ") == 42)
        #expect(try double("\" 7.5\"") == 7.5)
        #expect(try double("-0")?.sign == .minus)
        #expect(try double("Inf") == .infinity)
        #expect(try double("-infinity") == -.infinity)
    }

    @Test func missingValuesAreNil() throws {
        for token in ["", "NA", "na", "NaN", "nan", "null", "\"\"", "  "] {
            #expect(try double(token) == nil, "token \(token)")
            #expect(try int(token) == nil, "token \(token)")
        }
    }

    @Test func thousandsSeparatorsOnlyWhenQuoted() throws {
        #expect(try double("\"29,199\"") == 29199)
        #expect(try double("\"1,234,567.5\"") == 1_234_567.5)
        #expect(try int("\"-1,833\"") == -1833)
        for bad in ["\"1,5\"", "\"1234,567\"", "\",123\"", "\"1,23,456\"", "\"1.5,000\"", "\"12,\""] {
            #expect(throws: CSVError.self, "field \(bad)") { _ = try double(bad) }
        }
        // Unquoted, the comma splits the field, so the row has too many fields.
        #expect(throws: CSVError.wrongFieldCount(file: "n.csv", line: 2, expected: 2, found: 3)) {
            _ = try double("29,199")
        }
    }

    @Test func rejectsWhatIsNotANumber() throws {
        for bad in [
            "12x", "-", ".", "e5", "1e", "1e+", "0x1A", "1.2.3", "1 2", "--1", "infinit", "N A", "NULL", "1_000",
        ] {
            #expect(throws: CSVError.self, "field \(bad)") { _ = try double(bad) }
        }
    }

    @Test func integers() throws {
        #expect(try int("0") == 0)
        #expect(try int("-17") == -17)
        #expect(try int(" 12.000 ") == 12)
        #expect(try int("9223372036854775807") == Int.max)
        #expect(try int("-9223372036854775808") == Int.min)
        for bad in ["9223372036854775808", "1.5", "1e3", "12.0x", "+", "3 4"] {
            #expect(throws: CSVError.self, "field \(bad)") { _ = try int(bad) }
        }
    }

    @Test func hardRoundingCasesUseTheSlowPath() throws {
        let cases = [
            "9007199254740993",  // 2^53 + 1: halfway, rounds to even
            "0.30000000000000004",
            "1.7976931348623157e308",
            "2.2250738585072014e-308",
            "4.9e-324",
            "1e400",
            "123456789012345678901234567890",
            "0.1000000000000000055511151231257827",
            "1.00000000000000000000000001",
            "7.038531e-26",
        ]
        for text in cases {
            #expect(try double(text) == Double(text), "text \(text)")
        }
    }

    @Test func randomDecimalsMatchTheStandardLibrary() throws {
        var rng = SplitMix64(state: 20_250_101)
        var lines = ["x"]
        var expected: [Double] = []
        for _ in 0..<5000 {
            let text: String
            switch rng.next() % 3 {
            case 0:
                // Shortest round-trip text of a random double.
                let value = Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF | (rng.next() & (1 << 63)))
                text = value.description
            case 1:
                // Random digit strings around the fast path's limits.
                let digits = (0..<Int(rng.next() % 25 + 1)).map { _ in String(rng.next() % 10) }.joined()
                let point = Int(rng.next() % UInt64(digits.count + 1))
                let mantissa = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
                text = mantissa + "e" + String(Int(rng.next() % 61) - 30)
            default:
                text = String(Double(Int64(bitPattern: rng.next()) % 10_000_000) / 1000)
            }
            lines.append(text)
            expected.append(try #require(Double(text)))
        }
        let reader = try CSVReader(string: lines.joined(separator: "\n"))
        var index = 0
        try reader.forEachRow { row in
            let value = try row.double(0)
            #expect(value == expected[index], "line \(row.line): \(row[0])")
            index += 1
        }
        #expect(index == expected.count)
    }
}

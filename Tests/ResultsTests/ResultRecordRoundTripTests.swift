import CSVStream
import Foundation
import Indicators
import Results
import Testing

// Records → results.csv → records: equal for every measure, breakdown, sex and area type, with
// awkward text (quotes, commas, new lines, unicode) and numbers at the edges of the number format.

@Suite struct ResultRecordRoundTripTests {
    static let levels = [ConfidenceLevel(95)!, ConfidenceLevel(99.8)!]

    /// One record per measure × breakdown × area type, each with distinct values.
    static func records() -> [ResultRecord] {
        var out: [ResultRecord] = []
        var k = 0
        for measure in Measure.allCases {
            for scheme in DeprivationScheme.allCases {
                for type in AreaType.allCases {
                    k += 1
                    let sex = SexSelection.allCases[k % 3]
                    let value: Double? = k % 7 == 0 ? nil : Double(k) * 1.0 / 3.0 - 5
                    let quantile = scheme.cellLabels[k % scheme.cells]
                    out.append(
                        ResultRecord(
                            indicator: IndicatorLabel(
                                id: "ind_\(k % 4)", name: k % 2 == 0 ? "Rate, \"all\"\nages" : "Life expectancy ≤ 75"),
                            method: IndicatorMethod.allCases[k % IndicatorMethod.allCases.count],
                            area: AreaLabel(code: "E0\(k)", name: k % 3 == 0 ? " St. Helen's, \"X\" " : "Liverpool", type: type),
                            sex: sex, age: k % 2 == 0 ? "0-74" : "all", period: Period(first: 2013 + k % 5, last: 2015 + k % 5),
                            imdEdition: "IMD 2019", scheme: scheme, quantile: scheme == .none ? "" : quantile, measure: measure,
                            value: value,
                            limits: [
                                LevelLimits(level: levels[0], lower: value.map { $0 - 1e-9 }, upper: k % 5 == 0 ? nil : 1e300),
                                LevelLimits(level: levels[1], lower: -0.0000123456789, upper: 5e-324),
                            ],
                            count: k % 4 == 0 ? nil : Double(k * 1000), denominator: 123_456.5,
                            note: k % 6 == 0 ? nil : "suppressed, \"fewer\" than 5,000\r\nnext")
                    )
                }
            }
        }
        return out
    }

    @Test func recordsReadBackFromTheLongTableEqualTheRecordsWritten() throws {
        let records = Self.records()
        var bytes = CSVWriter.encodeRow(ResultsCSV.longHeader(levels: Self.levels))
        for r in records { ResultsCSV.appendLongRow(r, levels: Self.levels, to: &bytes) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("records-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let reader = try CSVReader(path: path)
        let levels = ResultsCSV.levels(header: reader.header.names)
        #expect(levels == Self.levels)
        var back: [ResultRecord] = []
        while let row = try reader.nextRow() {
            let fields = (0..<row.count).map { row[$0] }
            back.append(try ResultsCSV.record(fields: fields, levels: levels).get())
        }
        #expect(back.count == records.count)
        for (a, b) in zip(records, back) { #expect(a == b) }
    }

    /// A run with a gap decomposition writes the cause column after age: a record's cause reads
    /// back, and the other records' empty cause is nil again.
    @Test func recordsReadBackWithTheCauseColumn() throws {
        var records = Self.records()
        for i in records.indices where records[i].measure == .gapContribution {
            records[i].cause = ["all", "circulatory", "other, \"named\""][i % 3]
        }
        #expect(records.contains { $0.cause != nil })
        let header = ResultsCSV.longHeader(levels: Self.levels, causes: true)
        #expect(header[7...9] == ["age", "cause", "period"] && ResultsCSV.hasCauseColumn(header: header))
        #expect(!ResultsCSV.hasCauseColumn(header: ResultsCSV.longHeader(levels: Self.levels)))
        var bytes = CSVWriter.encodeRow(header)
        for r in records { ResultsCSV.appendLongRow(r, levels: Self.levels, causes: true, to: &bytes) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("causes-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let reader = try CSVReader(path: path)
        #expect(reader.header.names == header)
        var back: [ResultRecord] = []
        while let row = try reader.nextRow() {
            let fields = (0..<row.count).map { row[$0] }
            back.append(try ResultsCSV.record(fields: fields, levels: Self.levels, causes: true).get())
        }
        #expect(back == records)
        // Without the column, the same records' rows are the bytes written before the column existed.
        var plain: [UInt8] = [], withCause: [UInt8] = []
        let other = try #require(records.first { $0.cause == nil })
        ResultsCSV.appendLongRow(other, levels: Self.levels, to: &plain)
        ResultsCSV.appendLongRow(other, levels: Self.levels, causes: true, to: &withCause)
        #expect(withCause.count == plain.count + 1)
    }

    @Test func aFieldOfTheWrongTypeNamesItsColumn() {
        var fields = Array(repeating: "", count: 14 + 4 + 3)
        fields[2] = "life_expectancy"
        fields[5] = "place"
        fields[6] = "Male"
        fields[8] = "2019-2O21"
        fields[10] = "none"
        fields[12] = "value"
        #expect(
            ResultsCSV.record(fields: fields, levels: Self.levels)
                == .failure(ResultsCSVError(column: "period", value: "2019-2O21")))
    }

    @Test func recordsAreCodableAsJSON() throws {
        let records = Self.records()
        let data = try JSONEncoder().encode(records)
        #expect(try JSONDecoder().decode([ResultRecord].self, from: data) == records)
    }

    /// The records judged (issue 11): every comparison word and rule, trend, gap change and goal status.
    static func judgedRecords() -> [ResultRecord] {
        records().enumerated().map { k, r in
            var r = r
            if k % 5 != 0 {
                r.comparisons = [
                    RecordComparison(
                        benchmarkCode: k % 2 == 0 ? "E92000001" : "E54000008", benchmarkValue: k % 3 == 0 ? nil : Double(k) / 7,
                        outcome: ComparisonOutcome.allCases[k % ComparisonOutcome.allCases.count],
                        method: ComparisonMethod.allCases[k % ComparisonMethod.allCases.count])
                ]
            }
            if k % 4 != 0 { r.trend = TrendMarker.allCases[k % TrendMarker.allCases.count] }
            if k % 3 != 0 { r.gapChange = GapChangeVerdict.allCases[k % GapChangeVerdict.allCases.count] }
            if k % 2 == 0 {
                r.goalStatus = RecordGoalStatus(
                    comparison: ComparisonOutcome.allCases[k % ComparisonOutcome.allCases.count],
                    trajectory: k % 6 == 0 ? nil : GoalTrajectory.allCases[k % 2])
            }
            return r
        }
    }

    @Test func judgedRecordsReadBackFromTheLongTable() throws {
        let records = Self.judgedRecords()
        var bytes = CSVWriter.encodeRow(ResultsCSV.longHeader(levels: Self.levels))
        for r in records { ResultsCSV.appendLongRow(r, levels: Self.levels, to: &bytes) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("judged-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let reader = try CSVReader(path: path)
        #expect(reader.header.names.suffix(7) == ResultsCSV.judgementColumns)
        var back: [ResultRecord] = []
        while let row = try reader.nextRow() {
            back.append(try ResultsCSV.record(fields: (0..<row.count).map { row[$0] }, levels: Self.levels).get())
        }
        #expect(back == records)
        #expect(back.contains { $0.goalStatus?.text == "not compared, off track" || $0.goalStatus?.trajectory == nil })
    }

    @Test func aLongTableWithoutJudgementsStillReads() throws {
        let r = Self.records()[1]
        var bytes: [UInt8] = []
        ResultsCSV.appendLongRow(r, levels: Self.levels, to: &bytes)
        // The row as written before the judgement columns: drop the seven empty fields.
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasSuffix(",,,,,,,\n"))
        let legacy = Data(text.dropLast(8).utf8) + Data("\n".utf8)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("legacy-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = FileManager.default.createFile(
            atPath: path, contents: Data(CSVWriter.encodeRow(ResultsCSV.legacyLongHeader(levels: Self.levels))) + legacy)
        let reader = try CSVReader(path: path)
        let row = try #require(try reader.nextRow())
        #expect(try ResultsCSV.record(fields: (0..<row.count).map { row[$0] }, levels: Self.levels).get() == r)
    }

    @Test func aJudgementThatIsNotAWordNamesItsColumn() throws {
        var bytes: [UInt8] = []
        var r = Self.records()[0]
        (r.indicator.name, r.area.name, r.note, r.trend) = ("Life expectancy", "Liverpool", nil, .increasing)
        ResultsCSV.appendLongRow(r, levels: Self.levels, to: &bytes)
        var fields = String(decoding: bytes.dropLast(), as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false)
            .map(String.init)
        #expect(fields.count == 14 + 4 + 3 + 7)
        fields[fields.count - 3] = "increasing sharply"
        #expect(
            ResultsCSV.record(fields: fields, levels: Self.levels)
                == .failure(ResultsCSVError(column: "trend", value: "increasing sharply")))
        fields[fields.count - 3] = ""
        fields[fields.count - 1] = "better, on course"
        #expect(
            ResultsCSV.record(fields: fields, levels: Self.levels)
                == .failure(ResultsCSVError(column: "goal_status", value: "better, on course")))
    }
}

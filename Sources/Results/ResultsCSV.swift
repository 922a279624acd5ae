import CSVStream
import Indicators

/// The CSV form of records: the long table (`results.csv`, one row per record, Fingertips-like) and
/// an area table's rows (one area and breakdown, the whole-area value as quantile `all`).
///
/// Long table columns: `indicator_id, indicator, method, area_code, area_name, area_type, sex, age,
/// [cause,] period, imd_edition, deprivation_scheme, quantile, measure, value, lowerXX_Xcl, upperXX_Xcl, …,
/// count, denominator, note`, then the judgements (METHODS.md §11, §12): `benchmark_code,
/// benchmark_value, comparison, comparison_method` (the record's first comparison), `trend`,
/// `gap_change`, `goal_status`. Quoting and numbers are `CSVWriter`'s one rule and one format, so a
/// long table reads back (`record(fields:levels:)`) into the records that wrote it — all but the
/// comparisons after the first, which the history store keeps.
///
/// The `cause` column (a `gap_contribution`'s cause, empty on every other row) is written only by
/// runs whose plan decomposes a gap (`causes: true`), like the limit columns that follow the plan's
/// levels: a plan without one writes the same columns as before it existed.
public enum ResultsCSV {
    /// The long table's header for a run's levels, with the `cause` column when `causes`.
    public static func longHeader(levels: [ConfidenceLevel], causes: Bool = false) -> [String] {
        legacyLongHeader(levels: levels, causes: causes) + judgementColumns
    }

    /// The long table's header before records carried judgements (read, never written).
    public static func legacyLongHeader(levels: [ConfidenceLevel], causes: Bool = false) -> [String] {
        ["indicator_id", "indicator", "method", "area_code", "area_name", "area_type", "sex", "age"]
            + (causes ? [causeColumn] : [])
            + ["period", "imd_edition", "deprivation_scheme", "quantile", "measure", "value"]
            + limitColumns(levels) + ["count", "denominator", "note"]
    }

    /// The judgement columns at the end of the long table (METHODS.md §11, §12).
    public static let judgementColumns = [
        "benchmark_code", "benchmark_value", "comparison", "comparison_method", "trend", "gap_change", "goal_status",
    ]

    /// An area table's header for a run's levels, with the `cause` column when `causes`.
    public static func tableHeader(levels: [ConfidenceLevel], causes: Bool = false) -> [String] {
        ["indicator_id", "indicator", "sex", "age"] + (causes ? [causeColumn] : [])
            + ["period", "quantile", "measure", "value"] + limitColumns(levels) + ["count", "denominator", "note"]
    }

    /// The name of the cause column.
    public static let causeColumn = "cause"

    /// Whether a long table's header has the cause column.
    public static func hasCauseColumn(header: [String]) -> Bool { header.count > 8 && header[8] == causeColumn }

    /// `lower95_0cl, upper95_0cl, …` for the levels.
    public static func limitColumns(_ levels: [ConfidenceLevel]) -> [String] {
        levels.flatMap { ["lower\($0.columnSuffix)cl", "upper\($0.columnSuffix)cl"] }
    }

    /// Appends a record's long-table row (with `\n`) for a run whose columns are at `levels` (and
    /// have the cause column when `causes`).
    public static func appendLongRow(
        _ r: ResultRecord, levels: [ConfidenceLevel], causes: Bool = false, to out: inout [UInt8]
    ) {
        // Field by field, not through an array of the texts: this runs for every record of a run.
        appendLeading(r.indicator.id, to: &out)
        appendLeading(r.indicator.name, to: &out)
        appendLeading(r.method.rawValue, to: &out)
        appendLeading(r.area.code, to: &out)
        appendLeading(r.area.name, to: &out)
        appendLeading(r.area.type.rawValue, to: &out)
        appendLeading(r.sex.rawValue, to: &out)
        appendLeading(r.age, to: &out)
        if causes { appendLeading(r.cause ?? "", to: &out) }
        appendLeading(r.period.label, to: &out)
        appendLeading(r.imdEdition, to: &out)
        appendLeading(r.scheme.rawValue, to: &out)
        appendLeading(r.quantile, to: &out)
        appendLeading(r.measure.rawValue, to: &out)
        appendTail(r, levels: levels, to: &out)
        appendJudgements(r, to: &out)
        out.append(0x0A)
    }

    /// Appends a record's area-table row (with `\n`): `quantile` is `all` for the whole area's value.
    public static func appendTableRow(
        _ r: ResultRecord, levels: [ConfidenceLevel], causes: Bool = false, to out: inout [UInt8]
    ) {
        appendLeading(r.indicator.id, to: &out)
        appendLeading(r.indicator.name, to: &out)
        appendLeading(r.sex.rawValue, to: &out)
        appendLeading(r.age, to: &out)
        if causes { appendLeading(r.cause ?? "", to: &out) }
        appendLeading(r.period.label, to: &out)
        appendLeading(r.scheme == .none ? "all" : r.quantile, to: &out)
        appendLeading(r.measure.rawValue, to: &out)
        appendTail(r, levels: levels, to: &out)
        out.append(0x0A)
    }

    /// A text field and the comma after it.
    @inline(__always)
    private static func appendLeading(_ text: String, to out: inout [UInt8]) {
        CSVWriter.appendField(text, to: &out)
        out.append(0x2C)
    }

    /// `value, limits…, count, denominator, note` (no line end).
    private static func appendTail(_ r: ResultRecord, levels: [ConfidenceLevel], to out: inout [UInt8]) {
        CSVWriter.appendNumber(r.value, to: &out)
        for level in levels {
            let limits = r.limits(at: level)
            out.append(0x2C)
            CSVWriter.appendNumber(limits?.lower, to: &out)
            out.append(0x2C)
            CSVWriter.appendNumber(limits?.upper, to: &out)
        }
        out.append(0x2C)
        CSVWriter.appendNumber(r.count, to: &out)
        out.append(0x2C)
        CSVWriter.appendNumber(r.denominator, to: &out)
        out.append(0x2C)
        CSVWriter.appendField(r.note ?? "", to: &out)
    }

    /// `,benchmark_code,benchmark_value,comparison,comparison_method,trend,gap_change,goal_status` (no line end).
    private static func appendJudgements(_ r: ResultRecord, to out: inout [UInt8]) {
        let c = r.comparison
        out.append(0x2C)
        CSVWriter.appendField(c?.benchmarkCode ?? "", to: &out)
        out.append(0x2C)
        CSVWriter.appendNumber(c?.benchmarkValue, to: &out)
        for text in [
            c?.outcome.rawValue ?? "", c?.method.rawValue ?? "", r.trend?.rawValue ?? "", r.gapChange?.rawValue ?? "",
            r.goalStatus?.text ?? "",
        ] {
            out.append(0x2C)
            CSVWriter.appendField(text, to: &out)
        }
    }

    /// The levels of a long table, from its header (`lower95_0cl` …).
    public static func levels(header: [String]) -> [ConfidenceLevel] {
        header.compactMap { name -> ConfidenceLevel? in
            guard name.hasPrefix("lower"), name.hasSuffix("cl") else { return nil }
            let digits = name.dropFirst(5).dropLast(2).replacingOccurrences(of: "_", with: ".")
            return Double(digits).flatMap { ConfidenceLevel($0) }
        }
    }

    /// A long-table row read back into its record (`fields` in `longHeader(levels:causes:)` order); nil
    /// with the column name when a field does not read as its type.
    ///
    /// Empty limits are kept as missing limits at their level, so the record equals the one written
    /// whenever the indicator computed every level of the run.
    ///
    /// A row of a long table written before the judgement columns (`legacyLongHeader`) reads too,
    /// into a record without judgements.
    public static func record(fields all: [String], levels: [ConfidenceLevel], causes: Bool = false) -> Result<
        ResultRecord, ResultsCSVError
    > {
        let legacy = 14 + 2 * levels.count + 3 + (causes ? 1 : 0)
        let expected = legacy + judgementColumns.count
        guard all.count == expected || all.count == legacy else {
            return .failure(.init(column: "", value: "\(all.count) fields, \(expected) expected"))
        }
        // The fields without the cause column, so the positions below hold for both shapes.
        var f = all
        var cause: String?
        if causes {
            cause = f.remove(at: 8)
            if cause == "" { cause = nil }
        }
        func number(_ i: Int, _ column: String) -> Result<Double?, ResultsCSVError> {
            if f[i].isEmpty { return .success(nil) }
            guard let x = Double(f[i]) else { return .failure(.init(column: column, value: f[i])) }
            return .success(x)
        }
        guard let method = IndicatorMethod(rawValue: f[2]) else { return .failure(.init(column: "method", value: f[2])) }
        guard let type = AreaType(rawValue: f[5]) else { return .failure(.init(column: "area_type", value: f[5])) }
        guard let sex = SexSelection(rawValue: f[6]) else { return .failure(.init(column: "sex", value: f[6])) }
        guard let period = Period(label: f[8]) else { return .failure(.init(column: "period", value: f[8])) }
        guard let scheme = DeprivationScheme(rawValue: f[10]) else {
            return .failure(.init(column: "deprivation_scheme", value: f[10]))
        }
        guard let measure = Measure(rawValue: f[12]) else { return .failure(.init(column: "measure", value: f[12])) }
        do throws(ResultsCSVError) {
            let value = try number(13, "value").get()
            var limits: [LevelLimits] = []
            for (k, level) in levels.enumerated() {
                let lower = try number(14 + 2 * k, "lower\(level.columnSuffix)cl").get()
                let upper = try number(15 + 2 * k, "upper\(level.columnSuffix)cl").get()
                limits.append(LevelLimits(level: level, lower: lower, upper: upper))
            }
            let tail = 14 + 2 * levels.count
            let count = try number(tail, "count").get()
            let denominator = try number(tail + 1, "denominator").get()
            let note = f[tail + 2]
            var record = ResultRecord(
                indicator: IndicatorLabel(id: f[0], name: f[1]), method: method,
                area: AreaLabel(code: f[3], name: f[4], type: type), sex: sex, age: f[7], period: period,
                imdEdition: f[9], scheme: scheme, quantile: f[11], measure: measure, value: value, limits: limits,
                count: count, denominator: denominator, note: note.isEmpty ? nil : note, cause: cause)
            if all.count == expected { try readJudgements(f, from: tail + 3, into: &record) }
            return .success(record)
        } catch {
            return .failure(error)
        }
    }
}

extension ResultsCSV {
    /// The judgement columns of a long-table row, from `start`, into `record`.
    fileprivate static func readJudgements(_ f: [String], from start: Int, into record: inout ResultRecord)
        throws(ResultsCSVError)
    {
        func word<W: RawRepresentable<String>>(_ k: Int, _ type: W.Type) throws(ResultsCSVError) -> W? {
            let text = f[start + k]
            if text.isEmpty { return nil }
            guard let w = W(rawValue: text) else { throw ResultsCSVError(column: judgementColumns[k], value: text) }
            return w
        }
        if let outcome = try word(2, ComparisonOutcome.self) {
            guard let method = try word(3, ComparisonMethod.self) else {
                throw ResultsCSVError(column: judgementColumns[3], value: f[start + 3])
            }
            var benchmarkValue: Double?
            if !f[start + 1].isEmpty {
                guard let x = Double(f[start + 1]) else {
                    throw ResultsCSVError(column: judgementColumns[1], value: f[start + 1])
                }
                benchmarkValue = x
            }
            record.comparisons = [
                RecordComparison(benchmarkCode: f[start], benchmarkValue: benchmarkValue, outcome: outcome, method: method)
            ]
        }
        record.trend = try word(4, TrendMarker.self)
        record.gapChange = try word(5, GapChangeVerdict.self)
        let goal = f[start + 6]
        if !goal.isEmpty {
            guard let status = RecordGoalStatus(text: goal) else {
                throw ResultsCSVError(column: judgementColumns[6], value: goal)
            }
            record.goalStatus = status
        }
    }
}

/// A long-table field that does not read as its type.
public struct ResultsCSVError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The column.
    public var column: String
    /// The text found.
    public var value: String

    /// Creates the error.
    public init(column: String, value: String) {
        self.column = column
        self.value = value
    }

    /// `column period: "20x9" is not a value of this column`.
    public var description: String {
        column.isEmpty ? "wrong number of fields: \(value)" : "column \(column): \"\(value)\" is not a value of this column"
    }
}

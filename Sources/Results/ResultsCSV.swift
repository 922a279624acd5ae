import CSVStream
import Indicators

/// The CSV form of records: the long table (`results.csv`, one row per record, Fingertips-like) and
/// an area table's rows (one area and breakdown, the whole-area value as quantile `all`).
///
/// Long table columns: `indicator_id, indicator, method, area_code, area_name, area_type, sex, age,
/// period, imd_edition, deprivation_scheme, quantile, measure, value, lowerXX_Xcl, upperXX_Xcl, …,
/// count, denominator, note`. Quoting and numbers are `CSVWriter`'s one rule and one format, so a
/// long table reads back (`record(fields:levels:)`) into the records that wrote it.
public enum ResultsCSV {
    /// The long table's header for a run's levels.
    public static func longHeader(levels: [ConfidenceLevel]) -> [String] {
        [
            "indicator_id", "indicator", "method", "area_code", "area_name", "area_type", "sex", "age", "period",
            "imd_edition", "deprivation_scheme", "quantile", "measure", "value",
        ] + limitColumns(levels) + ["count", "denominator", "note"]
    }

    /// An area table's header for a run's levels.
    public static func tableHeader(levels: [ConfidenceLevel]) -> [String] {
        ["indicator_id", "indicator", "sex", "age", "period", "quantile", "measure", "value"] + limitColumns(levels)
            + ["count", "denominator", "note"]
    }

    /// `lower95_0cl, upper95_0cl, …` for the levels.
    public static func limitColumns(_ levels: [ConfidenceLevel]) -> [String] {
        levels.flatMap { ["lower\($0.columnSuffix)cl", "upper\($0.columnSuffix)cl"] }
    }

    /// Appends a record's long-table row (with `\n`) for a run whose columns are at `levels`.
    public static func appendLongRow(_ r: ResultRecord, levels: [ConfidenceLevel], to out: inout [UInt8]) {
        // Field by field, not through an array of the texts: this runs for every record of a run.
        appendLeading(r.indicator.id, to: &out)
        appendLeading(r.indicator.name, to: &out)
        appendLeading(r.method.rawValue, to: &out)
        appendLeading(r.area.code, to: &out)
        appendLeading(r.area.name, to: &out)
        appendLeading(r.area.type.rawValue, to: &out)
        appendLeading(r.sex.rawValue, to: &out)
        appendLeading(r.age, to: &out)
        appendLeading(r.period.label, to: &out)
        appendLeading(r.imdEdition, to: &out)
        appendLeading(r.scheme.rawValue, to: &out)
        appendLeading(r.quantile, to: &out)
        appendLeading(r.measure.rawValue, to: &out)
        appendTail(r, levels: levels, to: &out)
    }

    /// Appends a record's area-table row (with `\n`): `quantile` is `all` for the whole area's value.
    public static func appendTableRow(_ r: ResultRecord, levels: [ConfidenceLevel], to out: inout [UInt8]) {
        appendLeading(r.indicator.id, to: &out)
        appendLeading(r.indicator.name, to: &out)
        appendLeading(r.sex.rawValue, to: &out)
        appendLeading(r.age, to: &out)
        appendLeading(r.period.label, to: &out)
        appendLeading(r.scheme == .none ? "all" : r.quantile, to: &out)
        appendLeading(r.measure.rawValue, to: &out)
        appendTail(r, levels: levels, to: &out)
    }

    /// A text field and the comma after it.
    @inline(__always)
    private static func appendLeading(_ text: String, to out: inout [UInt8]) {
        CSVWriter.appendField(text, to: &out)
        out.append(0x2C)
    }

    /// `value, limits…, count, denominator, note\n`.
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
        out.append(0x0A)
    }

    /// The levels of a long table, from its header (`lower95_0cl` …).
    public static func levels(header: [String]) -> [ConfidenceLevel] {
        header.compactMap { name -> ConfidenceLevel? in
            guard name.hasPrefix("lower"), name.hasSuffix("cl") else { return nil }
            let digits = name.dropFirst(5).dropLast(2).replacingOccurrences(of: "_", with: ".")
            return Double(digits).flatMap { ConfidenceLevel($0) }
        }
    }

    /// A long-table row read back into its record (`fields` in `longHeader(levels:)` order); nil
    /// with the column name when a field does not read as its type.
    ///
    /// Empty limits are kept as missing limits at their level, so the record equals the one written
    /// whenever the indicator computed every level of the run.
    public static func record(fields f: [String], levels: [ConfidenceLevel]) -> Result<ResultRecord, ResultsCSVError> {
        let expected = 14 + 2 * levels.count + 3
        guard f.count == expected else { return .failure(.init(column: "", value: "\(f.count) fields, \(expected) expected")) }
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
            return .success(
                ResultRecord(
                    indicator: IndicatorLabel(id: f[0], name: f[1]), method: method,
                    area: AreaLabel(code: f[3], name: f[4], type: type), sex: sex, age: f[7], period: period,
                    imdEdition: f[9], scheme: scheme, quantile: f[11], measure: measure, value: value, limits: limits,
                    count: count, denominator: denominator, note: note.isEmpty ? nil : note))
        } catch {
            return .failure(error)
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

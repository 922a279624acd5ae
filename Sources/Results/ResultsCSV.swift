import CSVStream
import Indicators

/// The CSV form of records: the long table (`results.csv`, one row per record, Fingertips-like) and
/// an area table's rows (one area and breakdown, the whole-area value as quantile `all`).
///
/// Long table columns: `indicator_id, indicator, method, area_code, area_name, area_type, sex, age,
/// [cause,] period, imd_edition, deprivation_scheme, quantile, measure, value, lowerXX_Xcl, upperXX_Xcl,
/// …, count, denominator, note`. Quoting and numbers are `CSVWriter`'s one rule and one format, so a
/// long table reads back (`record(fields:levels:causes:)`) into the records that wrote it.
///
/// The `cause` column (a `gap_contribution`'s cause, empty on every other row) is written only by
/// runs whose plan decomposes a gap (`causes: true`), like the limit columns that follow the plan's
/// levels: a plan without one writes the same bytes as before the column existed.
public enum ResultsCSV {
    /// The long table's header for a run's levels, with the `cause` column when `causes`.
    public static func longHeader(levels: [ConfidenceLevel], causes: Bool = false) -> [String] {
        ["indicator_id", "indicator", "method", "area_code", "area_name", "area_type", "sex", "age"]
            + (causes ? [causeColumn] : [])
            + ["period", "imd_edition", "deprivation_scheme", "quantile", "measure", "value"]
            + limitColumns(levels) + ["count", "denominator", "note"]
    }

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
        for text in [
            r.indicator.id, r.indicator.name, r.method.rawValue, r.area.code, r.area.name, r.area.type.rawValue,
            r.sex.rawValue, r.age,
        ] {
            CSVWriter.appendField(text, to: &out)
            out.append(0x2C)
        }
        if causes {
            CSVWriter.appendField(r.cause ?? "", to: &out)
            out.append(0x2C)
        }
        for text in [r.period.label, r.imdEdition, r.scheme.rawValue, r.quantile, r.measure.rawValue] {
            CSVWriter.appendField(text, to: &out)
            out.append(0x2C)
        }
        appendTail(r, levels: levels, to: &out)
    }

    /// Appends a record's area-table row (with `\n`): `quantile` is `all` for the whole area's value.
    public static func appendTableRow(
        _ r: ResultRecord, levels: [ConfidenceLevel], causes: Bool = false, to out: inout [UInt8]
    ) {
        for text in [r.indicator.id, r.indicator.name, r.sex.rawValue, r.age] {
            CSVWriter.appendField(text, to: &out)
            out.append(0x2C)
        }
        if causes {
            CSVWriter.appendField(r.cause ?? "", to: &out)
            out.append(0x2C)
        }
        for text in [r.period.label, r.scheme == .none ? "all" : r.quantile, r.measure.rawValue] {
            CSVWriter.appendField(text, to: &out)
            out.append(0x2C)
        }
        appendTail(r, levels: levels, to: &out)
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

    /// A long-table row read back into its record (`fields` in `longHeader(levels:causes:)` order);
    /// nil with the column name when a field does not read as its type.
    ///
    /// Empty limits are kept as missing limits at their level, so the record equals the one written
    /// whenever the indicator computed every level of the run.
    public static func record(fields all: [String], levels: [ConfidenceLevel], causes: Bool = false) -> Result<
        ResultRecord, ResultsCSVError
    > {
        let expected = 14 + 2 * levels.count + 3 + (causes ? 1 : 0)
        guard all.count == expected else {
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
            return .success(
                ResultRecord(
                    indicator: IndicatorLabel(id: f[0], name: f[1]), method: method,
                    area: AreaLabel(code: f[3], name: f[4], type: type), sex: sex, age: f[7], period: period,
                    imdEdition: f[9], scheme: scheme, quantile: f[11], measure: measure, value: value, limits: limits,
                    count: count, denominator: denominator, note: note.isEmpty ? nil : note, cause: cause))
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

import Areas
import Indicators

/// The `rate`, `proportion` and `mean` commands: one row per group, counts summed within the group (METHODS.md §2).
public enum CrudeRateTable {
    /// Which simple statistic to compute.
    public enum Statistic: Sendable {
        /// A crude rate: Σcount / Σpopulation × multiplier, Poisson limits.
        case rate(count: String, population: String, multiplier: Double)
        /// A proportion: Σnumerator / Σdenominator × multiplier, Wilson limits.
        case proportion(numerator: String, denominator: String, multiplier: Double)
        /// A mean of the values, Student's t limits.
        case mean(value: String)
    }

    /// Reads the input and computes one row per group.
    ///
    /// A group's totals are missing (and its value empty, with a note) when any of its rows
    /// has a missing count or population, so that no row is silently left out of a sum.
    /// - Throws: `InputError` for unreadable or malformed input, or invalid values with `--on-error fail`.
    public static func run(_ common: MethodRequest, statistic: Statistic) throws(InputError) -> ResultTable {
        let columns: [String]
        switch statistic {
        case .rate(let a, let b, _), .proportion(let a, let b, _): columns = [a, b]
        case .mean(let v): columns = [v]
        }
        let table = try GroupedTable.read(path: common.input, by: common.by, columns: ColumnRequest(numeric: columns))
        let levels = common.levels
        var header = table.byNames + ["value"] + Columns.limits(levels)
        if case .mean = statistic {} else { header += ["total_count", "total_pop"] }
        header.append("note")

        let (rows, warnings) = try table.mapGroups(policy: common.onError, bandColumn: nil) {
            group, _ throws(IndicatorError) in
            switch statistic {
            case .rate(let count, let population, let multiplier):
                let o = total(table.numbers(count, in: group)), n = total(table.numbers(population, in: group))
                let e = try CrudeRate.estimate(count: o, population: n, levels: levels, multiplier: multiplier)
                return [
                    group.key + Columns.fields(e, levels: levels.count) + [Columns.number(o), Columns.number(n), e.note ?? ""]
                ]
            case .proportion(let numerator, let denominator, let multiplier):
                let x = total(table.numbers(numerator, in: group)), n = total(table.numbers(denominator, in: group))
                let e = try Proportion.estimate(numerator: x, denominator: n, levels: levels, multiplier: multiplier)
                return [
                    group.key + Columns.fields(e, levels: levels.count) + [Columns.number(x), Columns.number(n), e.note ?? ""]
                ]
            case .mean(let value):
                let e = Mean.estimate(values: table.numbers(value, in: group), levels: levels)
                return [group.key + Columns.fields(e, levels: levels.count) + [e.note ?? ""]]
            }
        } suppressed: { group, note in
            var row = group.key + Columns.fields(.suppressed(levels: levels.count, note: note), levels: levels.count)
            if case .mean = statistic {} else { row += ["", ""] }
            return [row + [note]]
        }
        return ResultTable(header: header, rows: rows, warnings: warnings)
    }

    /// The sum of a group's values, or nil when any is missing.
    static func total(_ values: [Double?]) -> Double? {
        var sum = 0.0
        for v in values {
            guard let v, !v.isNaN else { return nil }
            sum += v
        }
        return sum
    }
}

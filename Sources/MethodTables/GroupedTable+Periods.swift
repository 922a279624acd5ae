import Areas
import CSVStream
import Indicators

// The `trend` and `gap-change` commands read the same thing: per `--by` group, a series of
// periods with a value and its 95% limits. The periods are parsed here, once per row, so that a
// bad period stops the run at its own line (exit 65), and a period given twice in a group is
// reported at the second line with the first, which the method's own error cannot do.

extension GroupedTable {
    /// The text column `column` parsed as reporting periods, one per row (METHODS.md §12).
    ///
    /// - Throws: `InputError.csv(.invalidValue)` naming the file, line, column and text of the
    ///   first period that does not parse, with the forms that are accepted.
    /// - Complexity: O(rows).
    func periods(_ column: String) throws(InputError) -> [ReportingPeriod] {
        let texts = text[column] ?? []
        var periods: [ReportingPeriod] = []
        periods.reserveCapacity(texts.count)
        for (row, text) in texts.enumerated() {
            do {
                periods.append(try ReportingPeriod(text))
            } catch {
                let index = CSVHeader(names: header, file: file).index(of: column) ?? 0
                throw .csv(
                    .invalidValue(
                        file: file, line: lines[row], column: index + 1, columnName: header[index], text: text,
                        expected:
                            "a time period such as 2021, 2020 - 22, 2021/22, 2019/20 - 21/22 or 2022 Q1 (\(error.reason))"
                    ))
            }
        }
        return periods
    }

    /// The group's rows as a series, after checking that no period is given twice (METHODS.md §12).
    ///
    /// - Throws: `InputError.data` at the line of the second row with a period already seen in the
    ///   group, naming the group, the period and the first line.
    /// - Complexity: O(*n*) for the group's *n* rows.
    func series(
        in group: Group, periods: [ReportingPeriod], _ point: (Int, ReportingPeriod) -> TrendPoint
    ) throws(InputError) -> [TrendPoint] {
        var firstLine: [ReportingPeriod: Int] = [:]
        var points: [TrendPoint] = []
        points.reserveCapacity(group.rows.count)
        for row in group.rows {
            let period = periods[row]
            if let first = firstLine[period] {
                let error = IndicatorError(
                    "period \"\(period.text)\" is given again (first on line \(first)); give each group one row per period",
                    group: describe(group))
                throw .data(file: file, line: lines[row], error: error)
            }
            firstLine[period] = lines[row]
            points.append(point(row, period))
        }
        return points
    }

    /// Runs `body` on every group's series; a rejected group stops the run or, with `.suppress`,
    /// becomes the row `suppressed(group, note)` and a warning.
    func mapSeries(
        policy: ErrorPolicy, _ body: (Group) throws(InputError) -> [String],
        suppressed: (Group, String) -> [String]
    ) throws(InputError) -> (rows: [[String]], warnings: [String]) {
        var rows: [[String]] = []
        var warnings: [String] = []
        for group in groups {
            do {
                rows.append(try body(group))
            } catch {
                guard policy == .suppress, case .data(_, _, let cause) = error else { throw error }
                warnings.append("suppressed: \(error.description)")
                rows.append(suppressed(group, cause.note))
            }
        }
        return (rows, warnings)
    }
}

import Areas
import Indicators

/// The `trend` command: the Fingertips recent-trend marker of each `--by` group's series (METHODS.md §12).
///
/// A thin table over ``TrendTest/recentTrend(_:method:polarity:)``: one row per group, with the
/// `--by` columns, `latest_period`, `trend`, `slope`, `chi_squared` and `note`.
public enum TrendTable {
    /// Options for `trend` (METHODS.md §12).
    public struct Request: Sendable {
        /// The input and the `--by` columns (each group is one series); levels are unused (the test is at 99.8%).
        public var common: MethodRequest
        /// The period column (`2019`, `2018 - 20`, `2021/22`, …).
        public var period: String
        /// The value column.
        public var value: String
        /// The lower 95% limit column.
        public var lower95: String
        /// The upper 95% limit column.
        public var upper95: String
        /// The count column (the proportion test).
        public var count: String?
        /// The denominator column (the proportion test).
        public var denominator: String?
        /// The weighted regression on the value, or the χ² test for proportions on count and denominator.
        public var method: TrendMethod
        /// Names an increase or decrease better or worse.
        public var polarity: Polarity

        /// Creates a request (METHODS.md §12).
        public init(
            common: MethodRequest, period: String, value: String, lower95: String, upper95: String,
            count: String? = nil, denominator: String? = nil, method: TrendMethod = .weightedRegression,
            polarity: Polarity = .neutral
        ) {
            self.common = common
            self.period = period
            self.value = value
            self.lower95 = lower95
            self.upper95 = upper95
            self.count = count
            self.denominator = denominator
            self.method = method
            self.polarity = polarity
        }
    }

    /// The columns after the `--by` columns.
    public static let columns = ["latest_period", "trend", "slope", "chi_squared", "note"]

    /// Reads the input and writes one row per `--by` group with its recent trend (METHODS.md §12).
    ///
    /// A series that cannot be tested (fewer than 5 points, rolling or non-consecutive periods, a
    /// missing value, a count equal to its denominator) is `cannot be calculated` with the reason
    /// as its note. A period given twice in a group stops the run at its line (`--on-error fail`)
    /// or writes the group `cannot be calculated` with the message as its note (`suppress`).
    /// - Throws: `InputError` for unreadable or malformed input (an unparseable period or number:
    ///   exit 65), or a repeated period with `--on-error fail`.
    /// - Complexity: O(rows + *g*·*n* log *n*) for *g* groups of *n* periods.
    public static func run(_ request: Request) throws(InputError) -> ResultTable {
        var numeric: [String] = []
        for column in [request.value, request.lower95, request.upper95, request.count, request.denominator]
            .compactMap({ $0 }) where !numeric.contains(column)
        {
            numeric.append(column)
        }
        let table = try GroupedTable.read(
            path: request.common.input, by: request.common.by,
            columns: ColumnRequest(numeric: numeric, text: [request.period]))
        let periods = try table.periods(request.period)
        let value = table.numeric[request.value] ?? []
        let lower = table.numeric[request.lower95] ?? []
        let upper = table.numeric[request.upper95] ?? []
        let count = request.count.flatMap { table.numeric[$0] }
        let denominator = request.denominator.flatMap { table.numeric[$0] }

        let (rows, warnings) = try table.mapSeries(policy: request.common.onError) { group throws(InputError) in
            let series = try table.series(in: group, periods: periods) { row, period in
                TrendPoint(
                    period: period, value: value[row], lower95: lower[row], upper95: upper[row], count: count?[row],
                    denominator: denominator?[row])
            }
            let trend: TrendTest
            do throws(IndicatorError) {
                trend = try TrendTest.recentTrend(series, method: request.method, polarity: request.polarity)
            } catch {
                throw table.locate(error, in: group, bandColumn: nil)
            }
            return group.key + [
                trend.latestPeriod?.text ?? "", trend.marker.rawValue, Columns.number(trend.slope),
                Columns.number(trend.chiSquared), trend.note ?? "",
            ]
        } suppressed: { group, note in
            group.key + ["", TrendMarker.cannotBeCalculated.rawValue, "", "", note]
        }
        return ResultTable(header: table.byNames + columns, rows: rows, warnings: warnings)
    }
}

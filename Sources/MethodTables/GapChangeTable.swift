import Areas
import Indicators

/// The `gap-change` command: is each `--by` group's gap widening? (METHODS.md §12)
///
/// A thin table over ``GapChange/latest(_:scale:level:)``: one row per group, the latest period
/// against the latest earlier one sharing no year, with the `--by` columns, `from_period`,
/// `to_period`, `difference`, `z`, `gap_change`, `ci_overlap` and `note`.
public enum GapChangeTable {
    /// Options for `gap-change` (METHODS.md §12).
    public struct Request: Sendable {
        /// The input and the `--by` columns (each group is one series of the gap).
        public var common: MethodRequest
        /// The period column (`2019`, `2018 - 20`, `2021/22`, …).
        public var period: String
        /// The gap column (an SII, RII or range).
        public var value: String
        /// The gap's lower 95% limit column.
        public var lower95: String
        /// The gap's upper 95% limit column.
        public var upper95: String
        /// The SII and ranges as they are (`identity`), the RII and relative range on the `log` scale.
        public var scale: GapScale
        /// The level at which the change is significant (95% by default).
        public var level: ConfidenceLevel

        /// Creates a request (METHODS.md §12).
        public init(
            common: MethodRequest, period: String, value: String, lower95: String, upper95: String,
            scale: GapScale = .identity, level: ConfidenceLevel = .ninetyFive
        ) {
            self.common = common
            self.period = period
            self.value = value
            self.lower95 = lower95
            self.upper95 = upper95
            self.scale = scale
            self.level = level
        }
    }

    /// The columns after the `--by` columns.
    public static let columns = ["from_period", "to_period", "difference", "z", "gap_change", "ci_overlap", "note"]

    /// Reads the input and writes one row per `--by` group with the change in its gap (METHODS.md §12).
    ///
    /// `difference` and `z` are on the scale (for `log`, the log of the ratio of the two gaps);
    /// `gap_change` is widening, narrowing or no significant change; `ci_overlap` (yes/no) is ONS's
    /// rule beside it. A group that cannot be tested (one period, every earlier period sharing a
    /// year with the latest, a missing value or limit) has empty results and the reason as its
    /// note. A period given twice in a group stops the run at its line (`--on-error fail`) or
    /// writes the group with the message as its note (`suppress`).
    /// - Throws: `InputError` for unreadable or malformed input (an unparseable period or number:
    ///   exit 65), or a repeated period with `--on-error fail`.
    /// - Complexity: O(rows + *g*·*n* log *n*) for *g* groups of *n* periods.
    public static func run(_ request: Request) throws(InputError) -> ResultTable {
        var numeric: [String] = []
        for column in [request.value, request.lower95, request.upper95] where !numeric.contains(column) {
            numeric.append(column)
        }
        let table = try GroupedTable.read(
            path: request.common.input, by: request.common.by,
            columns: ColumnRequest(numeric: numeric, text: [request.period]))
        let periods = try table.periods(request.period)
        let value = table.numeric[request.value] ?? []
        let lower = table.numeric[request.lower95] ?? []
        let upper = table.numeric[request.upper95] ?? []

        let (rows, warnings) = try table.mapSeries(policy: request.common.onError) { group throws(InputError) in
            let series = try table.series(in: group, periods: periods) { row, period in
                TrendPoint(period: period, value: value[row], lower95: lower[row], upper95: upper[row])
            }
            let change: GapChange
            do throws(IndicatorError) {
                change = try GapChange.latest(series, scale: request.scale, level: request.level)
            } catch {
                throw table.locate(error, in: group, bandColumn: nil)
            }
            return group.key + [
                change.fromPeriod?.text ?? "", change.toPeriod?.text ?? "", Columns.number(change.difference),
                Columns.number(change.z), change.verdict?.rawValue ?? "", change.ciOverlap.map { $0 ? "yes" : "no" } ?? "",
                change.note ?? "",
            ]
        } suppressed: { group, note in
            group.key + ["", "", "", "", "", "", note]
        }
        return ResultTable(header: table.byNames + columns, rows: rows, warnings: warnings)
    }
}

import Areas
import CSVStream
import Indicators
import NumericCore

// The `funnel` command (METHODS.md §13) as a table: a thin layer over `FunnelPlot` that maps
// columns in and rows out.
//
// What "per input row" means with --by: every `--by` group is its own funnel. Its target (the
// baseline) is pooled over the group's own rows only, and each input row is one point of its
// group's funnel, written back with its own columns, in input order. Without --by every row
// is a point of one funnel.

/// The `funnel` command: each input row against the funnel of its `--by` group, or the funnel's
/// curves for a chart (METHODS.md §13; PHEindicatormethods' `assign_funnel_significance` and
/// `calculate_funnel_limits`).
public enum FunnelTable {
    /// Column choices and options for `funnel` (METHODS.md §13).
    public struct Request: Sendable {
        /// Input, grouping, threads and error policy; the levels are unused, always 95.0% and 99.8% (METHODS.md §13).
        public var common: MethodRequest
        /// Proportion, ratio or rate, with its scale (METHODS.md §13).
        public var statistic: FunnelStatistic
        /// The numerator column: x (proportions), observed count O (ratios), events O (rates) (METHODS.md §13).
        public var numerator: String
        /// The denominator column: n (proportions), expected count E (ratios), population
        /// (rates, optional: used only for a crude rate from 0 events) (METHODS.md §13).
        public var denominator: String?
        /// The rate column (rates only): the DSR or crude rate per multiplier (METHODS.md §13).
        public var rate: String?
        /// nil: assess every input row; N: write N points of the curves per group instead (METHODS.md §13).
        public var curvePoints: Int?

        /// Creates a request (METHODS.md §13).
        public init(
            common: MethodRequest, statistic: FunnelStatistic, numerator: String, denominator: String? = nil,
            rate: String? = nil, curvePoints: Int? = nil
        ) {
            self.common = common
            self.statistic = statistic
            self.numerator = numerator
            self.denominator = denominator
            self.rate = rate
            self.curvePoints = curvePoints
        }
    }

    /// The note of a DSR from fewer than 10 events, which the reference does not test (METHODS.md §13).
    public static let notTestedNote = "fewer than 10 events: a DSR is not tested against the funnel, so it has no limits"

    /// The note of a ratio or rate from 0 events, whose upper limits do not exist (METHODS.md §1, §13).
    public static let noEventsNote = "0 events: the upper limits are not defined"

    /// Reads the input and writes every row with its value, limits, significance and note, or
    /// (with `curvePoints`) the curves of each group's funnel (METHODS.md §13).
    ///
    /// Rows keep the input order; each starts with the `--by` columns, then every other input
    /// column (one named like an output column is written as `input_NAME`). A group the method
    /// rejects stops the run (`--on-error fail`) or keeps its rows with empty values and the
    /// message as their note (`suppress`).
    /// - Throws: `InputError` for unreadable or malformed input, or a rejected group with `--on-error fail`.
    /// - Complexity: O(rows) plus, per ratio or rate point with fewer than 10 events, an iterative quantile.
    public static func run(_ request: Request) throws(InputError) -> ResultTable {
        let common = request.common
        var numeric: [String] = []
        for column in [request.numerator, request.denominator, request.rate].compactMap({ $0 })
        where !numeric.contains(column) {
            numeric.append(column)
        }
        let table = try GroupedTable.read(
            path: common.input, by: common.by,
            columns: ColumnRequest(numeric: numeric, keepAllColumns: request.curvePoints == nil))
        var warnings: [String] = []
        if common.levels != FunnelPlot.levels {
            warnings.append("funnel limits are always at 95.0% and 99.8%; --confidence is ignored")
        }

        enum Outcome: Sendable {
            case assessed(FunnelAssessment)
            case curves([FunnelCurvePoint])
            case rejected(FunnelError)
        }
        let outcomes: [Outcome] = parallelMap(count: table.groups.count, threads: common.threads) { g in
            let group = table.groups[g]
            let x = table.numbers(request.numerator, in: group)
            let d = request.denominator.map { table.numbers($0, in: group) } ?? []
            let r = request.rate.map { table.numbers($0, in: group) } ?? []
            do throws(FunnelError) {
                if let points = request.curvePoints {
                    return .curves(
                        try FunnelPlot.limits(request.statistic, numerators: x, denominators: d, rates: r, points: points))
                }
                return .assessed(try FunnelPlot.assess(request.statistic, numerators: x, denominators: d, rates: r))
            } catch {
                return .rejected(error)
            }
        }

        if request.curvePoints != nil {
            let curves = outcomes.map { outcome -> Result<[FunnelCurvePoint], FunnelError> in
                switch outcome {
                case .curves(let points): return .success(points)
                case .rejected(let error): return .failure(error)
                case .assessed: return .success([])
                }
            }
            return try curveTable(request, table: table, curves: curves, warnings: warnings)
        }

        let echo = echoedColumns(table)
        let header = table.byNames + echo.map(\.name) + FunnelPlot.pointColumns + ["note"]
        let numbers = FunnelPlot.pointColumns.count - 1
        let isProportion: Bool
        if case .proportion = request.statistic { isProportion = true } else { isProportion = false }
        var byRow = [[String]?](repeating: nil, count: table.rowCount)
        for (group, outcome) in zip(table.groups, outcomes) {
            let prefix = { (row: Int) in group.key + echo.map { table.allRows[row][$0.index] } }
            switch outcome {
            case .assessed(let assessment):
                let counts = table.numbers(request.numerator, in: group)
                for (i, (row, point)) in zip(group.rows, assessment.points).enumerated() {
                    var note = ""
                    if point.significance == .notApplicable {
                        note = notTestedNote
                    } else if counts[i] == 0 && !isProportion {
                        note = noEventsNote
                    }
                    byRow[row] = prefix(row) + point.cells.map(Columns.number) + [point.significance.rawValue, note]
                }
            case .rejected(let error):
                let located = locate(error, in: group, table: table)
                guard common.onError == .suppress else { throw located }
                warnings.append("suppressed: \(located.description)")
                for row in group.rows {
                    byRow[row] = prefix(row) + Array(repeating: "", count: numbers + 1) + [note(error)]
                }
            case .curves:
                break
            }
        }
        return ResultTable(header: header, rows: byRow.compactMap { $0 }, warnings: warnings)
    }

    /// The curves of each group: the `--by` columns, `FunnelPlot.curveColumns`, `statistic`,
    /// `method` (as the reference labels them) and `note`.
    static func curveTable(
        _ request: Request, table: GroupedTable, curves: [Result<[FunnelCurvePoint], FunnelError>], warnings: [String]
    ) throws(InputError) -> ResultTable {
        let statistic = request.statistic
        let columns = FunnelPlot.curveColumns(statistic)
        let header = table.byNames + columns + ["statistic", "method", "note"]
        var rows: [[String]] = []
        var warnings = warnings
        for (group, outcome) in zip(table.groups, curves) {
            switch outcome {
            case .success(let curves):
                for curve in curves {
                    rows.append(group.key + curve.cells.map(Columns.number) + [statistic.label, statistic.method, ""])
                }
            case .failure(let error):
                let located = locate(error, in: group, table: table)
                guard request.common.onError == .suppress else { throw located }
                warnings.append("suppressed: \(located.description)")
                rows.append(
                    group.key + Array(repeating: "", count: columns.count) + [statistic.label, statistic.method, note(error)])
            }
        }
        return ResultTable(header: header, rows: rows, warnings: warnings)
    }

    /// The input columns written back on each row: all but the `--by` columns, renamed
    /// `input_NAME` where the name is taken by an output column.
    static func echoedColumns(_ table: GroupedTable) -> [(index: Int, name: String)] {
        var taken = Set((table.byNames + FunnelPlot.pointColumns + ["note"]).map(CSVHeader.normalise))
        var out: [(index: Int, name: String)] = []
        for (i, name) in table.header.enumerated() where !table.byNames.contains(name) {
            var shown = name
            while taken.contains(CSVHeader.normalise(shown)) { shown = "input_" + shown }
            taken.insert(CSVHeader.normalise(shown))
            out.append((i, shown))
        }
        return out
    }

    /// The method's error located at its input line (the group's first line when it names no row).
    static func locate(_ error: FunnelError, in group: GroupedTable.Group, table: GroupedTable) -> InputError {
        let row = error.row.flatMap { r in group.rows.indices.contains(r - 1) ? group.rows[r - 1] : nil }
        let line = (row ?? group.rows.first).map { table.lines[$0] }
        return .data(
            file: table.file, line: line,
            error: IndicatorError(error.message, value: error.value, group: table.describe(group)))
    }

    /// A rejected group's note: the message and the value, without the location.
    static func note(_ error: FunnelError) -> String {
        error.message + (error.value.map { " (value \($0))" } ?? "")
    }
}

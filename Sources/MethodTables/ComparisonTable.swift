import Areas
import CSVStream
import Indicators

/// The `compare` command: each input row judged against a benchmark as Fingertips does (METHODS.md §11).
///
/// A thin table over ``BenchmarkComparison/compare(value:lower95:upper95:lower99_8:upper99_8:benchmark:benchmarkLower95:benchmarkUpper95:polarity:method:controlBasis:controlLevels:)``:
/// every input row is written back with its `comparison` and `note`, in input order.
public enum ComparisonTable {
    /// Where a benchmark (or one of its limits) comes from: a column, or one number for every row (METHODS.md §11).
    public enum Source: Sendable, Equatable {
        /// The named column of each row.
        case column(String)
        /// The same number for every row (a goal, or England's value typed in).
        case number(Double)
    }

    /// Options for `compare` (METHODS.md §11).
    public struct Request: Sendable {
        /// The input, the `--by` columns (used to name rows in messages) and the levels of control limits.
        public var common: MethodRequest
        /// The value column.
        public var value: String
        /// The value's lower 95% limit column (every method but `control_limits`).
        public var lower95: String?
        /// The value's upper 95% limit column (every method but `control_limits`).
        public var upper95: String?
        /// The value's lower 99.8% limit column (`ci95_99_8`).
        public var lower99_8: String?
        /// The value's upper 99.8% limit column (`ci95_99_8`).
        public var upper99_8: String?
        /// The benchmark B.
        public var benchmark: Source
        /// The benchmark's lower 95% limit (`overlap`).
        public var benchmarkLower95: Source?
        /// The benchmark's upper 95% limit (`overlap`).
        public var benchmarkUpper95: Source?
        /// Whether higher is better.
        public var polarity: Polarity
        /// How the value is compared.
        public var method: ComparisonMethod
        /// The denominator column (`control_limits`).
        public var denominator: String?
        /// The unit of value and benchmark: 100 for a percentage, 100,000 for a rate (`control_limits`).
        public var unit: Double?
        /// Whether the value is a proportion or a DSR (`control_limits`).
        public var valueType: ControlLimitValueType?

        /// Creates a request (METHODS.md §11).
        public init(
            common: MethodRequest, value: String, lower95: String? = nil, upper95: String? = nil,
            lower99_8: String? = nil, upper99_8: String? = nil, benchmark: Source,
            benchmarkLower95: Source? = nil, benchmarkUpper95: Source? = nil, polarity: Polarity,
            method: ComparisonMethod = .ci95, denominator: String? = nil, unit: Double? = nil,
            valueType: ControlLimitValueType? = nil
        ) {
            self.common = common
            self.value = value
            self.lower95 = lower95
            self.upper95 = upper95
            self.lower99_8 = lower99_8
            self.upper99_8 = upper99_8
            self.benchmark = benchmark
            self.benchmarkLower95 = benchmarkLower95
            self.benchmarkUpper95 = benchmarkUpper95
            self.polarity = polarity
            self.method = method
            self.denominator = denominator
            self.unit = unit
            self.valueType = valueType
        }

        /// Every column the request reads as a number, each once, in flag order.
        var numericColumns: [String] {
            var columns: [String] = []
            let named: [String?] = [value, lower95, upper95, lower99_8, upper99_8]
            let sources: [String?] = [benchmark, benchmarkLower95, benchmarkUpper95].map { source in
                if case .column(let name)? = source { return name }
                return nil
            }
            for column in (named + sources + [denominator]).compactMap({ $0 }) where !columns.contains(column) {
                columns.append(column)
            }
            return columns
        }
    }

    /// The columns `compare` adds after the input's.
    public static let addedColumns = ["comparison", "note"]

    /// Reads the input and writes every row with its `comparison` (§11's word) and `note` (METHODS.md §11).
    ///
    /// Every input column is written back in input order (one named like an added column is
    /// written as `input_NAME`). Missing data is never an error: the row is `not compared` and the
    /// note says why. A row the method rejects (a negative benchmark or one above the unit for
    /// control limits, an infinite denominator) stops the run with its file, line, group and value
    /// (`--on-error fail`), or is written `not compared` with the message as its note and a
    /// warning (`suppress`).
    /// - Throws: `InputError` for unreadable or malformed input (an unparseable number: exit 65),
    ///   or a rejected row with `--on-error fail`.
    /// - Complexity: O(rows × columns); two iterative gamma quantiles per row and level for DSR control limits.
    public static func run(_ request: Request) throws(InputError) -> ResultTable {
        let common = request.common
        let table = try GroupedTable.read(
            path: common.input, by: common.by,
            columns: ColumnRequest(numeric: request.numericColumns, keepAllColumns: true))
        var groupOfRow = [Int](repeating: 0, count: table.rowCount)
        for (g, group) in table.groups.enumerated() {
            for row in group.rows { groupOfRow[row] = g }
        }
        func column(_ name: String?) -> [Double?]? { name.flatMap { table.numeric[$0] } }
        func source(_ source: Source?) -> (Int) -> Double? {
            switch source {
            case .column(let name)?:
                let values = table.numeric[name] ?? []
                return { values[$0] }
            case .number(let x)?: return { _ in x }
            case nil: return { _ in nil }
            }
        }
        let value = column(request.value) ?? []
        let lower95 = column(request.lower95), upper95 = column(request.upper95)
        let lower99_8 = column(request.lower99_8), upper99_8 = column(request.upper99_8)
        let denominator = column(request.denominator)
        let benchmark = source(request.benchmark)
        let benchmarkLower95 = source(request.benchmarkLower95), benchmarkUpper95 = source(request.benchmarkUpper95)

        var rows: [[String]] = []
        rows.reserveCapacity(table.rowCount)
        var warnings: [String] = []
        for (row, fields) in table.allRows.enumerated() {
            var basis: ControlLimitsBasis?
            if request.method == .controlLimits, let unit = request.unit, let valueType = request.valueType {
                basis = ControlLimitsBasis(denominator: denominator?[row], unit: unit, valueType: valueType)
            }
            do {
                let c = try BenchmarkComparison.compare(
                    value: value[row], lower95: lower95?[row], upper95: upper95?[row], lower99_8: lower99_8?[row],
                    upper99_8: upper99_8?[row], benchmark: benchmark(row), benchmarkLower95: benchmarkLower95(row),
                    benchmarkUpper95: benchmarkUpper95(row), polarity: request.polarity, method: request.method,
                    controlBasis: basis, controlLevels: common.levels)
                rows.append(fields + [c.outcome.rawValue, c.reason ?? ""])
            } catch {
                let group = table.groups[groupOfRow[row]]
                let located = InputError.data(
                    file: table.file, line: table.lines[row], error: error.inGroup(table.describe(group)))
                guard common.onError == .suppress else { throw located }
                warnings.append("suppressed: \(located.description)")
                rows.append(fields + [ComparisonOutcome.notCompared.rawValue, error.note])
            }
        }
        let header = echoedHeader(table.header, adding: addedColumns) + addedColumns
        return ResultTable(header: header, rows: rows, warnings: warnings)
    }

    /// The input's column names as written back: one named like an added column becomes `input_NAME`.
    static func echoedHeader(_ header: [String], adding added: [String]) -> [String] {
        var taken = Set(added.map(CSVHeader.normalise))
        var out: [String] = []
        for name in header {
            var shown = name
            while taken.contains(CSVHeader.normalise(shown)) { shown = "input_" + shown }
            taken.insert(CSVHeader.normalise(shown))
            out.append(shown)
        }
        return out
    }
}

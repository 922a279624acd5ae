import Areas
import Indicators

/// The `quantiles` command: deprivation-style quantiles of a value within each parent group (METHODS.md §7).
public enum QuantileTable {
    /// Options for `quantiles`.
    public struct Request: Sendable {
        /// The input and parent grouping (`--by`); levels are unused.
        public var common: MethodRequest
        /// The value column to rank.
        public var value: String
        /// How many quantiles (10 for deciles).
        public var quantiles: Int
        /// Quantile 1 = highest values when true (the default), lowest when false.
        public var invert: Bool = true

        /// Creates a request.
        public init(common: MethodRequest, value: String, quantiles: Int, invert: Bool = true) {
            self.common = common
            self.value = value
            self.quantiles = quantiles
            self.invert = invert
        }
    }

    /// Reads the input and writes every input row with its `quantile` (empty where the value is missing or the parent too small).
    ///
    /// - Throws: `InputError` for unreadable or malformed input.
    public static func run(_ request: Request) throws(InputError) -> ResultTable {
        let table = try GroupedTable.read(
            path: request.common.input, by: request.common.by,
            columns: ColumnRequest(numeric: [request.value], keepAllColumns: true))
        var quantileOfRow = [Int?](repeating: nil, count: table.rowCount)
        var warnings: [String] = []
        for group in table.groups {
            let (q, tooSmall) = DeprivationQuantiles.assign(
                values: table.numbers(request.value, in: group), quantiles: request.quantiles, invert: request.invert)
            if tooSmall {
                let n = table.numbers(request.value, in: group).compactMap { $0 }.count
                warnings.append(
                    "\(table.file): group \(table.describe(group)): \(n) values are fewer than \(request.quantiles) quantiles; no quantiles assigned"
                )
            }
            for (row, value) in zip(group.rows, q) { quantileOfRow[row] = value }
        }
        let rows = table.allRows.enumerated().map { i, fields in fields + [quantileOfRow[i].map { "\($0)" } ?? ""] }
        return ResultTable(header: table.header + ["quantile"], rows: rows, warnings: warnings)
    }
}

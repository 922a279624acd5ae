import Areas
import Indicators

// The `inequality` command (METHODS.md §14) as a table: a thin layer over
// `HealthEquityMeasures` that turns each `--by` group's rows into subgroups and writes one
// row per measure. Each measure is computed on its own, so that one refused measure (RCI
// without an ordered dimension) is one suppressed row, not a lost group.

/// The `inequality` command: WHO HEAT's summary measures across the subgroups of each `--by`
/// group, one row per group and measure (METHODS.md §14; healthequal's test values).
public enum InequalityTable {
    /// Column choices and options for `inequality` (METHODS.md §14).
    public struct Request: Sendable {
        /// Input, grouping, levels and error policy (METHODS.md §14).
        public var common: MethodRequest
        /// The subgroup column, one row per subgroup within each `--by` group (METHODS.md §14).
        public var group: String
        /// The subgroup population column: the weights popⱼ (METHODS.md §14).
        public var population: String
        /// The indicator value column: yⱼ (METHODS.md §14).
        public var value: String
        /// The standard error column sⱼ, if any; BGV, TI and MLD need it for their limits (METHODS.md §14).
        public var standardError: String?
        /// The order column of an ordered dimension, 1 = most disadvantaged, if any (METHODS.md §14).
        public var order: String?
        /// The measures, in output order; nil: every measure that applies to the dimension (METHODS.md §14).
        public var measures: [HealthEquityMeasure]?
        /// Favourable (more is better) or adverse: decides PAR's reference group (METHODS.md §14).
        public var direction: IndicatorDirection = .favourable
        /// The indicator's scale (100 for a percentage), needed for PAR and PAF limits (METHODS.md §14).
        public var scale: Double?

        /// Creates a request (METHODS.md §14).
        public init(common: MethodRequest, group: String, population: String, value: String) {
            self.common = common
            self.group = group
            self.population = population
            self.value = value
        }
    }

    /// Why a group or a measure is refused: the message, and where it is when that is known.
    struct Refusal: Error {
        var message: String
        var subgroup: String?
        var measure: HealthEquityMeasure?
        var value: String?
        var row: Int?

        init(_ error: HealthEquityError) {
            message = error.message
            subgroup = error.group
            measure = error.measure
            value = error.value
        }

        init(_ message: String, subgroup: String?, row: Int?, value: String? = nil, measure: HealthEquityMeasure? = nil) {
            self.message = message
            self.subgroup = subgroup
            self.row = row
            self.value = value
            self.measure = measure
        }

        /// The note of a suppressed row: the subgroup, the message and the value.
        var note: String {
            (subgroup.map { "subgroup \($0): " } ?? "") + message + (value.map { " (value \($0))" } ?? "")
        }
    }

    /// Reads the input and writes, for each `--by` group, one row per measure: the `--by`
    /// columns, `measure`, `value`, the limits per level, `se` (on the value's scale) and `note` (METHODS.md §14).
    ///
    /// A measure that needs an ordered dimension refuses without `order`; a group whose rows
    /// cannot form subgroups (a missing value or population, a subgroup twice, an order that is
    /// not a whole number) refuses every measure. Refusals stop the run (`--on-error fail`) or
    /// become rows with empty values and the message as their note (`suppress`).
    /// - Throws: `InputError` for unreadable or malformed input, or a refusal with `--on-error fail`.
    /// - Complexity: O(rows + groups × measures × subgroups log subgroups).
    public static func run(_ request: Request) throws(InputError) -> ResultTable {
        let common = request.common
        var numeric: [String] = []
        for column in [request.population, request.value, request.standardError, request.order].compactMap({ $0 })
        where !numeric.contains(column) {
            numeric.append(column)
        }
        let table = try GroupedTable.read(
            path: common.input, by: common.by, columns: ColumnRequest(numeric: numeric, text: [request.group]))
        let levels = common.levels
        let header = table.byNames + ["measure", "value"] + Columns.limits(levels) + ["se", "note"]
        let measures = request.measures ?? HealthEquityMeasure.applicable(ordered: request.order != nil)

        var rows: [[String]] = []
        var warnings: [String] = []
        for group in table.groups {
            let subgroups = Result { () throws(Refusal) in try self.subgroups(of: group, in: table, request: request) }
            for measure in measures {
                let outcome = Result { () throws(Refusal) -> HealthEquityResult in
                    let groups = try subgroups.get()
                    if measure.needsOrder && request.order == nil {
                        throw Refusal(
                            "needs an ordered dimension: give --order COL with each subgroup's rank (1 = most disadvantaged), or leave rci and aci out of --measures",
                            subgroup: nil, row: nil, measure: measure)
                    }
                    do throws(HealthEquityError) {
                        let results = try HealthEquityMeasures.compute(
                            [measure], groups: groups, direction: request.direction, scale: request.scale, levels: levels)
                        return results[0]
                    } catch {
                        throw Refusal(error)
                    }
                }
                switch outcome {
                case .success(let result):
                    rows.append(
                        group.key + [measure.outputName, Columns.number(result.value)]
                            + result.limits.flatMap { [Columns.number($0.lower), Columns.number($0.upper)] }
                            + [Columns.number(result.standardError), result.note ?? ""])
                case .failure(let refusal):
                    let located = locate(refusal, in: group, table: table, subgroupColumn: request.group)
                    guard common.onError == .suppress else { throw located }
                    let warning = "suppressed: \(located.description)"
                    if !warnings.contains(warning) { warnings.append(warning) }
                    rows.append(
                        group.key + [measure.outputName, ""] + Array(repeating: "", count: 2 * levels.count)
                            + ["", refusal.note])
                }
            }
        }
        return ResultTable(header: header, rows: rows, warnings: warnings)
    }

    /// The subgroups of one `--by` group, one per row, in input order.
    static func subgroups(of group: GroupedTable.Group, in table: GroupedTable, request: Request) throws(Refusal)
        -> [HealthEquityGroup]
    {
        let names = table.strings(request.group, in: group)
        let populations = table.numbers(request.population, in: group)
        let values = table.numbers(request.value, in: group)
        let errors = request.standardError.map { table.numbers($0, in: group) }
        let orders = request.order.map { table.numbers($0, in: group) }
        var seen: [String: Int] = [:]
        var out: [HealthEquityGroup] = []
        for (i, row) in group.rows.enumerated() {
            let name = names[i]
            if let first = seen[name] {
                throw Refusal(
                    "appears on lines \(table.lines[first]) and \(table.lines[row]); give one row per subgroup (or add the column that tells them apart to --by)",
                    subgroup: name, row: row)
            }
            seen[name] = row
            guard let population = populations[i] else {
                throw Refusal(
                    "population (column \(request.population)) is missing; every subgroup needs one (fill it or drop the row)",
                    subgroup: name, row: row)
            }
            guard let value = values[i] else {
                throw Refusal(
                    "value (column \(request.value)) is missing; every subgroup needs one (fill it or drop the row)",
                    subgroup: name, row: row)
            }
            var order: Int?
            if let orders, let column = request.order {
                guard let rank = orders[i] else {
                    throw Refusal(
                        "order (column \(column)) is missing; give every subgroup its rank (1 = most disadvantaged)",
                        subgroup: name, row: row)
                }
                guard rank == rank.rounded(), abs(rank) < 1e9 else {
                    throw Refusal(
                        "order (column \(column)) must be a whole number (1 = most disadvantaged)", subgroup: name, row: row,
                        value: Columns.number(rank))
                }
                order = Int(rank)
            }
            out.append(
                HealthEquityGroup(
                    name: name, population: population, value: value, standardError: errors?[i] ?? nil, order: order))
        }
        return out
    }

    /// The refusal located at its subgroup's input line (the group's first line otherwise).
    static func locate(_ refusal: Refusal, in group: GroupedTable.Group, table: GroupedTable, subgroupColumn: String)
        -> InputError
    {
        var row = refusal.row
        if row == nil, let subgroup = refusal.subgroup {
            let names = table.strings(subgroupColumn, in: group)
            row = names.firstIndex(of: subgroup).map { group.rows[$0] }
        }
        let line = (row ?? group.rows.first).map { table.lines[$0] }
        var parts: [String] = []
        if let measure = refusal.measure { parts.append(measure.rawValue) }
        if let subgroup = refusal.subgroup { parts.append("subgroup \(subgroup)") }
        let location = parts.isEmpty ? "" : parts.joined(separator: ", ") + ": "
        return .data(
            file: table.file, line: line,
            error: IndicatorError(location + refusal.message, value: refusal.value, group: table.describe(group)))
    }
}

import Areas
import Indicators
import NumericCore

/// The `sii` command: slope and relative index of inequality across deprivation quantiles for each group (METHODS.md §6).
public enum SlopeIndexTable {
    /// Where each quantile's standard error comes from.
    public enum Uncertainty: Sendable {
        /// A standard error column (on the transformed scale for value types 1 and 2).
        case standardError(String)
        /// 95% confidence limit columns.
        case limits(lower: String, upper: String)
        /// Neither: for a count/population proportion, Wilson 95% limits of each quantile.
        case fromCounts
    }

    /// Where each quantile's value comes from.
    public enum ValueSource: Sendable {
        /// A value column.
        case value(String)
        /// A count column: value = count/population (value type 2).
        case count(String)
    }

    /// Column choices and options for `sii`.
    public struct Request: Sendable {
        /// Grouping, levels, threads and policy.
        public var common: MethodRequest
        /// The quantile column (1 = most deprived).
        public var quantile: String
        /// The population column.
        public var population: String
        /// The value or count column.
        public var value: ValueSource
        /// The standard error or limit columns.
        public var uncertainty: Uncertainty
        /// Value type, transform, multiplier, repetitions, RII, reliability and simulation method.
        public var options: SIIOptions
        /// Write the intercept column.
        public var intercept = false
        /// The run's seed: group i (in order of first appearance) uses stream i of it.
        public var seed: UInt64 = 1

        /// Creates a request.
        public init(
            common: MethodRequest, quantile: String, population: String, value: ValueSource, uncertainty: Uncertainty,
            options: SIIOptions
        ) {
            self.common = common
            self.quantile = quantile
            self.population = population
            self.value = value
            self.uncertainty = uncertainty
            self.options = options
        }
    }

    /// Reads the input and computes one row per group, groups in parallel on `threads` workers.
    ///
    /// Reproducible: group i draws from stream i of the seed (`Xoshiro256StarStar.streams`), so
    /// the output bytes are the same for any thread count.
    /// - Throws: `InputError` for unreadable or malformed input, a value column with no value,
    ///   or (with `--on-error fail`) a group the method rejects.
    public static func run(_ request: Request) throws(InputError) -> ResultTable {
        let common = request.common
        var numeric = [request.quantile, request.population]
        switch request.value {
        case .value(let c), .count(let c): numeric.append(c)
        }
        switch request.uncertainty {
        case .standardError(let c): numeric.append(c)
        case .limits(let l, let u): numeric += [l, u]
        case .fromCounts: break
        }
        let table = try GroupedTable.read(path: common.input, by: common.by, columns: ColumnRequest(numeric: numeric))
        let valueColumn: String
        switch request.value {
        case .value(let c), .count(let c): valueColumn = c
        }
        do {
            try SlopeIndexOfInequality.validateValueColumn(table.numeric[valueColumn])
        } catch {
            throw .data(file: table.file, line: nil, error: error)
        }
        let quantileCount = Set(table.numeric[request.quantile]!.compactMap { $0 }).count

        let options = {
            var options = request.options
            options.levels = common.levels
            return options
        }()
        let levels = common.levels
        var header = table.byNames + ["sii"] + Columns.limits(levels, prefix: "sii_")
        if options.computeRII { header += ["rii"] + Columns.limits(levels, prefix: "rii_") }
        if request.intercept { header.append("intercept") }
        if options.reliability { header += levels.map { "sii_reliability\($0.columnSuffix)" } }
        header.append("note")

        let streams = Xoshiro256StarStar.streams(seed: request.seed, count: table.groups.count)
        enum Outcome: Sendable {
            case computed(SIIResult)
            case dropped(String)
            case rejected(IndicatorError)
        }
        let outcomes: [Outcome] = parallelMap(count: table.groups.count, threads: common.threads) { g in
            let group = table.groups[g]
            let quantiles = table.numbers(request.quantile, in: group)
            let populations = table.numbers(request.population, in: group)
            let values = table.numbers(valueColumn, in: group)
            guard quantiles.allSatisfy({ $0.map { $0 == $0.rounded() } ?? false }) else {
                return .dropped("group dropped: a quantile is missing or not a whole number")
            }
            let q = quantiles.map { Int($0!) }
            if let note = SlopeIndexOfInequality.validateGroup(
                quantiles: q, populations: populations, values: values, expectedQuantileCount: quantileCount)
            {
                return .dropped(note)
            }
            let order = q.indices.sorted { q[$0] < q[$1] }
            let pops = order.map { populations[$0]! }
            do throws(IndicatorError) {
                var v = order.map { values[$0]! }
                let se: [Double]
                switch (request.value, request.uncertainty) {
                case (.count, .fromCounts):
                    (v, se) = try SlopeIndexOfInequality.proportions(counts: v, populations: pops)
                case (_, let uncertainty):
                    if case .count = request.value {
                        v = zip(v, pops).map { $0 / $1 }
                    }
                    var seColumn: [Double?]?, lower: [Double?]?, upper: [Double?]?
                    switch uncertainty {
                    case .standardError(let c): seColumn = order.map { table.numbers(c, in: group)[$0] }
                    case .limits(let l, let u):
                        lower = order.map { table.numbers(l, in: group)[$0] }
                        upper = order.map { table.numbers(u, in: group)[$0] }
                    case .fromCounts: break
                    }
                    se = try SlopeIndexOfInequality.resolveStandardErrors(
                        standardErrors: seColumn, lower: lower, upper: upper, valueType: options.valueType)
                }
                var rng = streams[g]
                return .computed(
                    try SlopeIndexOfInequality.compute(
                        populations: pops, values: v, standardErrors: se, options: options, using: &rng))
            } catch {
                return .rejected(error)
            }
        }

        var rows: [[String]] = []
        var warnings: [String] = []
        for (group, outcome) in zip(table.groups, outcomes) {
            switch outcome {
            case .computed(let result):
                for w in result.warnings where !warnings.contains(w) { warnings.append(w) }
                var row = group.key + Columns.fields(result.sii, levels: levels.count)
                if options.computeRII {
                    row += Columns.fields(result.rii ?? .suppressed(levels: levels.count, note: ""), levels: levels.count)
                }
                if request.intercept { row.append(Columns.number(result.intercept)) }
                if options.reliability {
                    row += levels.indices.map { Columns.number(result.reliability?[$0]) }
                }
                row.append(result.sii.note ?? "")
                rows.append(row)
            case .dropped(let note):
                warnings.append("\(table.file): group \(table.describe(group)): \(note)")
                rows.append(emptyRow(group.key, header: header, byCount: table.byNames.count, note: note))
            case .rejected(let error):
                let located = table.locate(error, in: group, bandColumn: nil)
                guard common.onError == .suppress else { throw located }
                warnings.append("suppressed: \(located.description)")
                rows.append(emptyRow(group.key, header: header, byCount: table.byNames.count, note: error.note))
            }
        }
        return ResultTable(header: header, rows: rows, warnings: warnings)
    }

    /// A row with the group's key, every statistic empty, and the note.
    static func emptyRow(_ key: [String], header: [String], byCount: Int, note: String) -> [String] {
        key + Array(repeating: "", count: header.count - byCount - 1) + [note]
    }
}

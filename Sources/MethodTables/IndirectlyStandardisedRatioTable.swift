import Areas
import CSVStream
import Indicators

/// The `isr` command: indirectly standardised ratios or rates for each group (METHODS.md §4).
public enum IndirectlyStandardisedRatioTable {
    /// Where the reference rates come from.
    public enum Reference: Sendable {
        /// Reference counts and populations as columns on each input row.
        case columns(count: String, population: String)
        /// A reference table joined by age band; column names for its band, count and population.
        case file(path: String, ageBand: String, count: String, population: String)
    }

    /// Observed totals given without an age breakdown: a file keyed by the `--by` columns.
    public struct ObservedTotals: Sendable {
        /// The file.
        public var path: String
        /// The column holding each group's observed total.
        public var column: String

        /// Creates the option.
        public init(path: String, column: String) {
            self.path = path
            self.column = column
        }
    }

    /// Column choices and options for `isr`.
    public struct Request: Sendable {
        /// Grouping, levels and policy.
        public var common: MethodRequest
        /// The age band column.
        public var ageBand: String
        /// The observed count column.
        public var count: String
        /// The population column.
        public var population: String
        /// The reference rates.
        public var reference: Reference
        /// Observed totals replacing Σcount, if given.
        public var observedTotals: ObservedTotals?
        /// Report the rate (ratio × reference rate) instead of the ratio.
        public var asRate = false
        /// Rates are per this many people.
        public var multiplier: Double = 100_000
        /// The ratio is reported × this (1, or 100 for an SMR × 100).
        public var referenceValue: Double = 1

        /// Creates a request.
        public init(common: MethodRequest, ageBand: String, count: String, population: String, reference: Reference) {
            self.common = common
            self.ageBand = ageBand
            self.count = count
            self.population = population
            self.reference = reference
        }
    }

    /// Reads the input, the reference and any observed totals, and computes one row per group.
    ///
    /// - Throws: `InputError` for unreadable or malformed input, a group band missing from the
    ///   reference table, a group with no observed total, or (with `--on-error fail`) invalid values.
    public static func run(_ request: Request) throws(InputError) -> ResultTable {
        let common = request.common
        var numeric = [request.count, request.population]
        if case .columns(let c, let p) = request.reference { numeric += [c, p] }
        let table = try GroupedTable.read(
            path: common.input, by: common.by, columns: ColumnRequest(numeric: numeric, text: [request.ageBand]))

        var referenceByBand: [AgeBand: (count: Double?, population: Double?)] = [:]
        var referenceTotals: (count: Double, population: Double)?
        if case .file(let path, let band, let count, let population) = request.reference {
            let reference = try GroupedTable.read(
                path: path, by: [], columns: ColumnRequest(numeric: [count, population], text: [band]))
            let all = reference.groups[0]
            let bands: [AgeBand]
            do {
                bands = try AgeBand.resolve(labels: reference.strings(band, in: all))
            } catch {
                throw reference.locate(error, in: all, bandColumn: band)
            }
            let counts = reference.numbers(count, in: all), pops = reference.numbers(population, in: all)
            for (i, b) in bands.enumerated() {
                if referenceByBand[b] != nil {
                    throw reference.locate(
                        IndicatorError("band is repeated in the reference table", band: b.label), in: all, bandColumn: band)
                }
                referenceByBand[b] = (counts[i], pops[i])
            }
            referenceTotals = (counts.reduce(0) { $0 + ($1 ?? 0) }, pops.reduce(0) { $0 + ($1 ?? 0) })
        }

        var observedByKey: [[String]: Double?]?
        if let totals = request.observedTotals {
            let observed = try GroupedTable.read(
                path: totals.path, by: common.by, columns: ColumnRequest(numeric: [totals.column]))
            var map: [[String]: Double?] = [:]
            for g in observed.groups {
                guard g.rows.count == 1 else {
                    throw .data(
                        file: totals.path, line: observed.lines[g.rows[1]],
                        error: IndicatorError("more than one observed total for the group").inGroup(observed.describe(g)))
                }
                map[g.key] = observed.numbers(totals.column, in: g)[0]
            }
            observedByKey = map
        }

        let levels = common.levels
        let header = table.byNames + ["value"] + Columns.limits(levels) + ["observed", "expected", "ref_rate", "note"]
        let (rows, warnings) = try table.mapGroups(policy: common.onError, bandColumn: request.ageBand) {
            group, _ throws(IndicatorError) in
            let bands = try AgeBand.resolve(labels: table.strings(request.ageBand, in: group))
            let refCounts: [Double?], refPops: [Double?]
            switch request.reference {
            case .columns(let c, let p):
                refCounts = table.numbers(c, in: group)
                refPops = table.numbers(p, in: group)
            case .file:
                var cs: [Double?] = [], ps: [Double?] = []
                for band in bands {
                    guard let ref = referenceByBand[band] else {
                        throw IndicatorError("band is not in the reference table", band: band.label)
                    }
                    cs.append(ref.count)
                    ps.append(ref.population)
                }
                refCounts = cs
                refPops = ps
            }
            var observedTotal: Double?
            if let observedByKey {
                guard let found = observedByKey[group.key] else {
                    throw IndicatorError("no observed total for the group in the observed totals file")
                }
                guard let value = found else { throw IndicatorError("observed total is missing") }
                observedTotal = value
            }
            let result = try IndirectlyStandardisedRatio.compute(
                counts: table.numbers(request.count, in: group), populations: table.numbers(request.population, in: group),
                referenceCounts: refCounts, referencePopulations: refPops, bandLabels: bands.map(\.label),
                observedTotal: observedTotal, referenceTotals: referenceTotals, levels: levels,
                asRate: request.asRate, multiplier: request.multiplier, referenceValue: request.referenceValue)
            let e = result.estimate
            return [
                group.key + Columns.fields(e, levels: levels.count)
                    + [
                        Columns.number(result.observed), Columns.number(result.expected), Columns.number(result.referenceRate),
                        e.note ?? "",
                    ]
            ]
        } suppressed: { group, note in
            [
                group.key + Columns.fields(.suppressed(levels: levels.count, note: note), levels: levels.count) + [
                    "", "", "", note,
                ]
            ]
        }
        return ResultTable(header: header, rows: rows, warnings: warnings)
    }
}

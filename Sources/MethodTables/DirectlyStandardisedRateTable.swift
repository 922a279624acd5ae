import Areas
import CSVStream
import Foundation
import Indicators

/// The `dsr` command: directly standardised rates with Dobson limits for each group (METHODS.md §3).
public enum DirectlyStandardisedRateTable {
    /// Where the standard population's weights come from.
    public enum Standard: Sendable, Equatable {
        /// The European Standard Population 2013 (default).
        case esp2013
        /// The European Standard Population 1976.
        case esp1976
        /// A CSV file of (band, weight) rows.
        case file(String)
        /// A weight column on each input row, joined by that row's band.
        case column(String)

        /// Parses `esp2013`, `esp1976`, `column:COL` or a file path.
        public init(argument: String) {
            switch argument.lowercased() {
            case "esp2013": self = .esp2013
            case "esp1976": self = .esp1976
            default:
                if argument.hasPrefix("column:") {
                    self = .column(String(argument.dropFirst("column:".count)))
                } else {
                    self = .file(argument)
                }
            }
        }
    }

    /// Column choices and options for `dsr`.
    public struct Request: Sendable {
        /// Grouping, levels and policy.
        public var common: MethodRequest
        /// The age band column (labels or start ages).
        public var ageBand: String
        /// The event count column.
        public var count: String
        /// The population column.
        public var population: String
        /// The standard population.
        public var standard: Standard = .esp2013
        /// Restrict the standard to this age range (e.g. 0...74); rows outside it are ignored.
        public var ages: ClosedRange<Int>?
        /// Columns holding the number of people with exactly 1, 2, … events (non-independent events).
        public var frequencyColumns: [String] = []
        /// Rates are per this many people.
        public var multiplier: Double = 100_000

        /// Creates a request with the defaults of METHODS.md §3.
        public init(common: MethodRequest, ageBand: String, count: String, population: String) {
            self.common = common
            self.ageBand = ageBand
            self.count = count
            self.population = population
        }
    }

    /// Reads the input and the standard, and computes one row per group.
    ///
    /// - Throws: `InputError` for unreadable or malformed input, or (with `--on-error fail`)
    ///   a group the method rejects: population ≤ 0, a negative count or weight, a band missing
    ///   from the group or not in the standard, a band that straddles two standard bands.
    public static func run(_ request: Request) throws(InputError) -> ResultTable {
        let common = request.common
        var numeric = [request.count, request.population] + request.frequencyColumns
        if case .column(let c) = request.standard { numeric.append(c) }
        let table = try GroupedTable.read(
            path: common.input, by: common.by, columns: ColumnRequest(numeric: numeric, text: [request.ageBand]))
        var fixedStandard: StandardPopulation?
        switch request.standard {
        case .esp2013: fixedStandard = .esp2013
        case .esp1976: fixedStandard = .esp1976
        case .file(let path): fixedStandard = try readStandard(path: path)
        case .column: fixedStandard = nil
        }
        if let ages = request.ages, let std = fixedStandard {
            do {
                fixedStandard = try std.restricted(to: ages)
            } catch {
                throw .usage("--ages \(ages.lowerBound)-\(ages.upperBound): \(error.description)")
            }
        }
        let levels = common.levels
        let header = table.byNames + ["value"] + Columns.limits(levels) + ["total_count", "total_pop", "note"]

        // Phase 1: join each group to its standard; groups on the shared standard (and without
        // frequency columns) are laid out for the batched kernel, the rest computed one by one.
        enum Plan { case batch(Int), single(DirectlyStandardisedRateResult), rejected(String) }
        var plans: [Plan] = []
        var counts: [Double] = [], populations: [Double] = []
        var warnings: [String] = []
        let batchable = fixedStandard != nil && request.frequencyColumns.isEmpty
        for group in table.groups {
            do throws(IndicatorError) {
                let (standard, aligned) = try align(group, in: table, request: request, fixedStandard: fixedStandard)
                if batchable {
                    plans.append(.batch(counts.count / standard.bands.count))
                    counts += aligned[0].map { $0 ?? .nan }
                    populations += aligned[1].map { $0 ?? .nan }
                } else {
                    plans.append(.single(try compute(aligned, standard: standard, request: request)))
                }
            } catch {
                let located = table.locate(error, in: group, bandColumn: request.ageBand)
                guard common.onError == .suppress else { throw located }
                warnings.append("suppressed: \(located.description)")
                plans.append(.rejected(error.note))
            }
        }

        // Phase 2: one pass of the batched kernel. If it rejects a group, that is the run's
        // error (fail); with suppress, the groups are redone one by one so that each rejected
        // group gets its own note, exactly as `compute` words it.
        var batchResults: [Result<DirectlyStandardisedRateResult, IndicatorError>] = []
        if let standard = fixedStandard, batchable, !counts.isEmpty {
            let bands = standard.bands.count
            let labels = standard.bands.map(\.label)
            do {
                batchResults = try DirectlyStandardisedRate.batch(
                    counts: counts, populations: populations, groupCount: counts.count / bands,
                    weights: standard.weights, bandLabels: labels, levels: levels, multiplier: request.multiplier
                ).map { .success($0) }
            } catch {
                guard common.onError == .suppress else {
                    let gi = plans.firstIndex { if case .batch(error.groupIndex) = $0 { true } else { false } }!
                    throw table.locate(error.error, in: table.groups[gi], bandColumn: request.ageBand)
                }
                batchResults = (0..<counts.count / bands).map { g in
                    let slice = g * bands..<(g + 1) * bands
                    return Result { () throws(IndicatorError) in
                        try DirectlyStandardisedRate.compute(
                            counts: counts[slice].map { $0.isNaN ? nil : $0 },
                            populations: populations[slice].map { $0.isNaN ? nil : $0 }, weights: standard.weights,
                            bandLabels: labels, levels: levels, multiplier: request.multiplier)
                    }
                }
            }
        }

        // Phase 3: rows in group order.
        var rows: [[String]] = []
        for (group, plan) in zip(table.groups, plans) {
            let result: DirectlyStandardisedRateResult
            switch plan {
            case .batch(let g):
                switch batchResults[g] {
                case .success(let r): result = r
                case .failure(let error):
                    warnings.append("suppressed: \(table.locate(error, in: group, bandColumn: request.ageBand).description)")
                    let note = error.note
                    rows.append(
                        group.key + Columns.fields(.suppressed(levels: levels.count, note: note), levels: levels.count)
                            + ["", "", note])
                    continue
                }
            case .single(let r): result = r
            case .rejected(let note):
                rows.append(
                    group.key + Columns.fields(.suppressed(levels: levels.count, note: note), levels: levels.count)
                        + ["", "", note])
                continue
            }
            let e = result.estimate
            if e.value == nil, let note = e.note {
                warnings.append("\(table.file): group \(table.describe(group)): DSR not computed: \(note)")
            }
            rows.append(
                group.key + Columns.fields(e, levels: levels.count)
                    + [Columns.number(result.totalCount), Columns.number(result.totalPopulation), e.note ?? ""])
        }
        return ResultTable(header: header, rows: rows, warnings: warnings)
    }

    /// Joins one group to its standard (the shared one, or its own weight column) by band.
    static func align(
        _ group: GroupedTable.Group, in table: GroupedTable, request: Request, fixedStandard: StandardPopulation?
    ) throws(IndicatorError) -> (StandardPopulation, [[Double?]]) {
        let bands = try AgeBand.resolve(labels: table.strings(request.ageBand, in: group))
        var standard: StandardPopulation
        if let fixedStandard {
            standard = fixedStandard
        } else if case .column(let c) = request.standard {
            let weights = table.numbers(c, in: group)
            for (band, w) in zip(bands, weights) where w == nil {
                throw IndicatorError("standard weight is missing", band: band.label)
            }
            standard = try StandardPopulation(name: "column \(c)", bands: bands, weights: weights.map { $0! })
            if let ages = request.ages { standard = try standard.restricted(to: ages) }
        } else {
            throw IndicatorError("no standard population was chosen")
        }
        var columns = [table.numbers(request.count, in: group), table.numbers(request.population, in: group)]
        for f in request.frequencyColumns { columns.append(table.numbers(f, in: group)) }
        return (standard, try standard.align(bands: bands, columns: columns))
    }

    /// The DSR of one aligned group, with non-independent events when frequency columns are given.
    static func compute(
        _ aligned: [[Double?]], standard: StandardPopulation, request: Request
    ) throws(IndicatorError) -> DirectlyStandardisedRateResult {
        let labels = standard.bands.map(\.label)
        let levels = request.common.levels
        if request.frequencyColumns.isEmpty {
            return try DirectlyStandardisedRate.compute(
                counts: aligned[0], populations: aligned[1], weights: standard.weights, bandLabels: labels,
                levels: levels, multiplier: request.multiplier)
        }
        let frequencies = standard.bands.indices.map { j in (2..<aligned.count).map { aligned[$0][j] } }
        for (j, freq) in frequencies.enumerated() {
            let events = freq.enumerated().reduce(0.0) { $0 + Double($1.offset + 1) * ($1.element ?? 0) }
            if let count = aligned[0][j], count != events {
                throw IndicatorError(
                    "count \(Columns.number(count)) differs from the events in the frequency columns (\(Columns.number(events)))",
                    band: labels[j])
            }
        }
        return try DirectlyStandardisedRate.computeNonIndependent(
            frequencies: frequencies, populations: aligned[1], weights: standard.weights, bandLabels: labels,
            levels: levels, multiplier: request.multiplier)
    }

    /// Reads a standard population file: a band column and a weight column, found by name or, in a two-column file, by position.
    static func readStandard(path: String) throws(InputError) -> StandardPopulation {
        let contents: (header: [String], rows: [[String]])
        do {
            contents = try CSVReader.readAll(path: path)
        } catch {
            throw InputError.from(error)
        }
        let header = CSVHeader(names: contents.header, file: path)
        let bandAliases = ["ageband", "age_band", "band", "age", "agegroup", "age_group"]
        let weightAliases = [
            "weight", "weights", "stdpop", "standard", "standardpopulation", "esp", "esp2013", "esp1976", "population", "pop",
        ]
        var bandIndex = header.index(of: bandAliases[0], aliases: Array(bandAliases.dropFirst()))
        var weightIndex = header.index(of: weightAliases[0], aliases: Array(weightAliases.dropFirst()))
        if (bandIndex == nil || weightIndex == nil) && header.count == 2 {
            bandIndex = 0
            weightIndex = 1
        }
        guard let bandIndex, let weightIndex else {
            throw .usage(
                "\(path): a standard population file needs an age band column and a weight column "
                    + "(e.g. ageband,weight); the columns are \(contents.header.joined(separator: ", "))")
        }
        var weights: [Double] = []
        for (r, row) in contents.rows.enumerated() {
            guard let w = Double(row[weightIndex].trimmingCharacters(in: .whitespaces)) else {
                throw .csv(
                    .badNumber(
                        file: path, line: r + 2, column: weightIndex + 1, columnName: contents.header[weightIndex],
                        text: row[weightIndex]))
            }
            weights.append(w)
        }
        do {
            let bands = try AgeBand.resolve(labels: contents.rows.map { $0[bandIndex] })
            let name = path.split(separator: "/").last.map(String.init) ?? path
            return try StandardPopulation(name: name, bands: bands, weights: weights)
        } catch {
            throw .data(file: path, line: nil, error: error)
        }
    }
}

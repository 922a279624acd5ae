import Areas
import CSVStream
import Indicators
import Results

/// The gap in life expectancy at birth split by age band and cause of death (Arriaga, METHODS.md
/// §10), as the OHID Segment Tool splits it, batched over a job's comparisons.
///
/// Each job (area, sex, period) compares, in the order of `compare`:
/// - `most_vs_least`: for each decile or quintile breakdown of the indicator, the area's most
///   deprived quantile (base, 1) against its least deprived (comparator, the last);
/// - `area_vs_benchmark`: the area (base) against the benchmark area (comparator), both whole.
///
/// Both sides are summed from the same pass over the input as a life expectancy (deaths and
/// population in life-table bands), with the deaths of each cause as more columns of that pass.
/// Every comparison writes `gap_contribution` records: per band (age = the band's start age)
/// then for all ages (`all`), the band's years (cause `all`), each cause's, and the residual
/// `other` when the causes leave deaths anywhere in the pair; the record of age `all`, cause `all`
/// is the whole gap e₀(comparator) − e₀(base). A comparison that cannot be made (a side without
/// rows, or refused by the §5 rules) is one record, age and cause `all`, with the reason as its
/// note. Causes summing to more than a band's deaths in a cell stop the run (exit 65), naming the
/// input, the cell and the band.
enum LifeExpectancyDecompositionMethod {
    static let description = MethodDescription(
        title: "gap decomposition", numeratorWords: "the column of deaths from all causes", takesAges: false,
        takesAtAge: false, takesStandard: false, needsReference: false, defaultMultiplier: nil, sourceBands: .le,
        valueType: .untransformed, siiTransform: false, takesRelativeRange: false, comparesGaps: true,
        bind: { _, sourceBands throws(MethodBindingError) in
            MethodBands(bandMap: Array(0..<sourceBands.count), labels: LifeExpectancy.bandLabels)
        },
        compute: LifeExpectancyMethod.compute, jobRecords: records)

    /// One comparison of a job: which breakdown it belongs to (`none` for the benchmark), and its
    /// two sides as cells of the job's sums (the comparator possibly of the benchmark's sums).
    private struct Pair {
        var scheme: DeprivationScheme
        var base: Side
        var comparator: Side
    }

    /// One side of a comparison: its sums, the cell in them, and its name in notes and errors.
    private struct Side {
        var sums: JobComputation.CellSums
        var cell: Int
        var name: String
    }

    /// The job's `gap_contribution` records.
    ///
    /// - Throws: `RunnerError.pipeline(.data)` when a cell's deaths by cause sum to more than its
    ///   deaths in a band (beyond `LifeExpectancyDecomposition.defaultCauseTolerance`).
    static func records(_ job: RunJob, context: RunContext) throws(RunnerError) -> [ResultRecord] {
        let resolved = context.resolved
        let indicator = resolved.indicators[job.indicator]
        let spec = indicator.spec
        let area = resolved.areas[job.area]
        let bands = context.cubes[indicator.source].bandCount
        let make = GapRecordMaker(job: job, context: context)

        // The area's cells: the whole area, then each breakdown's quantiles.
        var firstCell: [DeprivationScheme: Int] = [:]
        var cellCount = 0
        for scheme in job.schemes {
            firstCell[scheme] = cellCount
            cellCount += scheme.cells
        }
        let sums = JobComputation.sumCells(
            source: indicator.source, area: area, schemes: job.schemes, cellCount: cellCount, firstCell: firstCell,
            job: job, context: context, extras: !spec.causes.isEmpty)

        var pairs: [Pair] = []
        var out: [ResultRecord] = []
        // Comparisons that cannot be made are one row each, in the order of the comparisons.
        var order: [(pair: Int?, record: ResultRecord?)] = []
        for comparison in spec.compare {
            switch comparison {
            case .mostVsLeast:
                for scheme in job.schemes where scheme.quantiles > 0 {
                    if scheme.isLocal && !sums.hasLocal(scheme) {
                        let note = JobComputation.noLocalQuantiles(scheme, area: area, context: context)
                        order.append((nil, make.empty(scheme: scheme, note: note)))
                        continue
                    }
                    let first = firstCell[scheme]!, k = scheme.quantiles
                    order.append((pairs.count, nil))
                    pairs.append(
                        Pair(
                            scheme: scheme, base: Side(sums: sums, cell: first, name: "\(scheme.singular) 1"),
                            comparator: Side(sums: sums, cell: first + k - 1, name: "\(scheme.singular) \(k)")))
                }
            case .areaVsBenchmark:
                guard let benchmark = indicator.benchmark, benchmark.code != area.code || benchmark.type != area.type
                else { continue }
                let theirs = JobComputation.sumCells(
                    source: indicator.source, area: benchmark, schemes: [.none], cellCount: 1, firstCell: [.none: 0],
                    job: job, context: context, extras: !spec.causes.isEmpty)
                order.append((pairs.count, nil))
                pairs.append(
                    Pair(
                        scheme: .none, base: Side(sums: sums, cell: 0, name: area.name),
                        comparator: Side(sums: theirs, cell: 0, name: "the benchmark \(benchmark.name)")))
            }
        }

        // The pairs whose sides both have rows go into one batch; the others are a note.
        var live: [Int] = []
        var notes: [Int: String] = [:]
        for (p, pair) in pairs.enumerated() {
            let missing = [pair.base, pair.comparator].filter { $0.sums.rows[$0.cell] == 0 }.map(\.name)
            if missing.isEmpty {
                live.append(p)
            } else {
                notes[p] = "not computed: no input rows for \(missing.joined(separator: " or ")) in \(job.period.label)"
            }
        }
        let causeCount = spec.causes.count
        let extraCount = context.cubes[indicator.source].extraCount
        var base = LifeExpectancyDecomposition.Groups(deaths: [], populations: [], causeDeaths: [])
        var comparator = base
        func append(_ side: Side, to groups: inout LifeExpectancyDecomposition.Groups) throws(RunnerError) {
            let range = (side.cell * bands)..<((side.cell + 1) * bands)
            groups.deaths.append(contentsOf: side.sums.events[range])
            groups.populations.append(contentsOf: side.sums.population[range])
            guard causeCount > 0 else { return }
            for b in 0..<bands {
                let row = (side.cell * bands + b) * extraCount
                var sum = 0.0
                for slot in indicator.causeSlots {
                    let deaths = side.sums.extras[row + slot]
                    groups.causeDeaths.append(deaths)
                    sum += deaths
                }
                let all = side.sums.events[side.cell * bands + b]
                if sum > all + LifeExpectancyDecomposition.defaultCauseTolerance * all {
                    throw .pipeline(
                        .data(
                            file: resolved.sources[indicator.source].input.resolvedPath, line: nil,
                            error: IndicatorError(
                                "deaths by cause (\(spec.causes.map(\.name).joined(separator: ", "))) sum to more than all deaths (\(CSVWriter.format(all)))",
                                band: LifeExpectancy.bandLabels[b], value: CSVWriter.format(sum),
                                group:
                                    "indicator \(spec.id), \(area.name) (\(area.code)), \(job.sex.rawValue), \(job.period.label), \(side.name)"
                            )))
                }
            }
        }
        for p in live {
            try append(pairs[p].base, to: &base)
            try append(pairs[p].comparator, to: &comparator)
        }
        let batch: LifeExpectancyDecompositionBatch
        do {
            batch = try LifeExpectancyDecomposition.batch(
                base: base, comparator: comparator, pairCount: live.count, causeCount: causeCount,
                causeNames: spec.causes.map(\.name))
        } catch {
            // Not reached: the cells' counts are non-negative (ingest) and their causes checked above.
            let pair = pairs[live[error.groupIndex]]
            throw .jobFailed(
                job: "\(job.index + 1) (\(spec.id))",
                message: "\(pair.base.name) against \(pair.comparator.name): \(error.error.description)")
        }
        var slot: [Int: Int] = [:]
        for (i, p) in live.enumerated() { slot[p] = i }

        for (pair, record) in order {
            if let record {
                out.append(record)
                continue
            }
            guard let p = pair else { continue }
            let scheme = pairs[p].scheme
            guard let i = slot[p] else {
                out.append(make.empty(scheme: scheme, note: notes[p] ?? "not computed"))
                continue
            }
            let result = batch.result(pair: i)
            if var note = result.note {
                // The kernel names the sides base and comparator; the records name them as the plan does.
                if note.hasPrefix("base: ") {
                    note = pairs[p].base.name + ": " + note.dropFirst(6)
                } else if note.hasPrefix("comparator: ") {
                    note = pairs[p].comparator.name + ": " + note.dropFirst(12)
                }
                out.append(make.empty(scheme: scheme, note: "not computed: " + note))
                continue
            }
            for row in result.rows() {
                out.append(
                    make(
                        scheme: scheme, age: row.startAge.map(String.init) ?? "all", cause: row.cause ?? "all",
                        years: row.years))
            }
        }
        return out
    }
}

/// Makes a gap decomposition's records: the job's fixed fields with one row's breakdown, age,
/// cause and years (no limits, count or denominator).
private struct GapRecordMaker {
    private let indicator: IndicatorLabel
    private let area: AreaLabel
    private let sex: SexSelection
    private let period: Period
    private let edition: String
    private let limits: [LevelLimits]

    init(job: RunJob, context: RunContext) {
        let spec = context.resolved.indicators[job.indicator].spec
        indicator = IndicatorLabel(id: spec.id, name: spec.name)
        area = context.resolved.areas[job.area].label
        sex = job.sex
        period = job.period
        edition = context.edition
        limits = spec.levels.map { LevelLimits(level: $0, lower: nil, upper: nil) }
    }

    /// One contribution (nil years where not finite).
    func callAsFunction(scheme: DeprivationScheme, age: String, cause: String, years: Double?, note: String? = nil)
        -> ResultRecord
    {
        let value = years.flatMap { $0.isFinite ? $0 : nil }
        return ResultRecord(
            indicator: indicator, method: .leGapDecomposition, area: area, sex: sex, age: age, period: period,
            imdEdition: edition, scheme: scheme, quantile: "", measure: .gapContribution, value: value, limits: limits,
            count: nil, denominator: nil, note: note ?? (value == nil ? "not computed" : nil), cause: cause)
    }

    /// A comparison that cannot be made: one record, age and cause `all`, with the reason.
    func empty(scheme: DeprivationScheme, note: String) -> ResultRecord {
        self(scheme: scheme, age: "all", cause: "all", years: nil, note: note)
    }
}

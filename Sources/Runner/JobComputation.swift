import Areas
import CSVStream
import Indicators
import Ingest
import NumericCore
import Results

/// One cell of a job: an area's (or one quantile's) statistic with its count and denominator.
struct CellEstimate: Sendable {
    /// The value and limits at the indicator's levels (note where suppressed).
    var estimate: Estimate
    /// Events (deaths), or the observed count of an ISR.
    var count: Double?
    /// Population (person-years over the pooled years), or the expected count of an ISR.
    var denominator: Double?
    /// The cell's records beside `value`, by measure (`MethodDescription.companionMeasures`).
    var companions: [Measure: CellEstimate] = [:]
}

/// What every job reads: the resolved plan, the summed counts and the random streams (immutable).
struct RunContext: @unchecked Sendable {
    let resolved: ResolvedPlan
    let cubes: [CountCube]
    let geography: Geography
    /// The edition's name for the `imd_edition` column.
    let edition: String
    /// Stream i of the run's seed, for SII computation i in job order.
    let streams: [Xoshiro256StarStar]
    /// Repetitions of the simulated limits.
    let repetitions: Int
    /// Accumulator columns by source and period index (`CountCube.columns(years:)`).
    let columns: [[[Int]]]
    /// Index of each period in `resolved.plan.periods`.
    let periodIndex: [Period: Int]
    /// LSOAs per local authority (for the note of an area too small for local deciles).
    let lsoasOfAuthority: [Int]
    /// ISR reference band sums by indicator, sex and period index: (events, population) per method band.
    let references: [ReferenceKey: (events: [Double], population: [Double])]
}

/// The key of an ISR's reference rates.
struct ReferenceKey: Hashable, Sendable {
    var indicator: Int
    var sex: SexSelection
    var period: Int
}

/// Computes one job: sums its cells, runs the method (batched where the method has a batch
/// kernel), derives the SII/RII and ranges, and returns them as records.
enum JobComputation {
    /// A cell of a job before its statistic: which breakdown and quantile label.
    private struct CellKey {
        var scheme: DeprivationScheme
        /// `1`…`k`, `core20`/`rest`, or empty for the whole area.
        var quantile: String
    }

    /// - Throws: `RunnerError.jobFailed` naming the job when it cannot be computed at all (a bug, not bad
    ///   data: a cell the method cannot compute is a record with a note).
    static func run(_ job: RunJob, context: RunContext) throws(RunnerError) -> [ResultRecord] {
        let resolved = context.resolved
        let indicator = resolved.indicators[job.indicator]
        let spec = indicator.spec
        if let records = MethodDescription.of(spec.method).jobRecords { return try records(job, context) }
        let area = resolved.areas[job.area]
        let cube = context.cubes[indicator.source]
        let bands = cube.bandCount

        // The cells and each group's cell per breakdown.
        var keys: [CellKey] = []
        var firstCell: [DeprivationScheme: Int] = [:]
        for scheme in job.schemes {
            firstCell[scheme] = keys.count
            for label in scheme.cellLabels { keys.append(CellKey(scheme: scheme, quantile: label)) }
        }
        let sums = sumCells(
            source: indicator.source, area: area, schemes: job.schemes, cellCount: keys.count, firstCell: firstCell,
            job: job, context: context)
        // A second source of the same input (healthy life expectancy's healthy and surveyed), summed the same way.
        var secondary: CellSums?
        if let source = indicator.secondarySource {
            secondary = sumCells(
                source: source, area: area, schemes: job.schemes, cellCount: keys.count, firstCell: firstCell, job: job,
                context: context)
            guard context.cubes[source].bandCount == bands else {
                throw .jobFailed(
                    job: "\(job.index + 1) (\(spec.id))", message: "the two sources of the indicator have different age bands")
            }
        }

        // The method, on every cell.
        let estimates = try methodEstimates(
            indicator, keys: keys, population: sums.population, events: sums.events, rows: sums.rows,
            secondary: secondary, bands: bands, job: job, context: context)
        let companions = MethodDescription.of(spec.method).companionMeasures

        // Records.
        var out: [ResultRecord] = []
        let make = RecordMaker(job: job, context: context)
        let streams = SIIStreams.assignment(job.schemes, measures: spec.measures, first: job.firstStream)
        for scheme in job.schemes {
            let start = firstCell[scheme]!
            let count = scheme.cells
            if scheme.isLocal && !sums.hasLocal(scheme) {
                let note = noLocalQuantiles(scheme, area: area, context: context)
                let empty = CellEstimate(estimate: .suppressed(levels: spec.levels.count, note: note))
                out.append(make(scheme: scheme, quantile: "", measure: .value, cell: empty))
                for measure in companions { out.append(make(scheme: scheme, quantile: "", measure: measure, cell: empty)) }
                for measure in spec.measures {
                    out.append(make(scheme: scheme, quantile: "", measure: Measure(measure), cell: empty))
                }
                continue
            }
            for c in start..<(start + count) {
                out.append(make(scheme: scheme, quantile: keys[c].quantile, measure: .value, cell: estimates[c]))
            }
            // Each companion measure's rows, cell by cell; a cell without one repeats its value's note.
            for measure in companions {
                for c in start..<(start + count) {
                    let cell =
                        estimates[c].companions[measure]
                        ?? CellEstimate(
                            estimate: .suppressed(levels: spec.levels.count, note: estimates[c].estimate.note ?? "not computed"),
                            count: estimates[c].count, denominator: estimates[c].denominator)
                    out.append(make(scheme: scheme, quantile: keys[c].quantile, measure: measure, cell: cell))
                }
            }
            guard scheme != .none else { continue }
            let parts = Array(estimates[start..<(start + count)])
            if let stream = streams[scheme] {
                var rng = context.streams[stream]
                let (sii, rii) = slopeIndex(parts, spec: spec, scheme: scheme, repetitions: context.repetitions, rng: &rng)
                if spec.measures.contains(.sii) {
                    out.append(make(scheme: scheme, quantile: "", measure: .sii, cell: CellEstimate(estimate: sii)))
                }
                if spec.measures.contains(.rii) {
                    out.append(make(scheme: scheme, quantile: "", measure: .rii, cell: CellEstimate(estimate: rii)))
                }
            }
            // The two sides named as the breakdown names them ("local decile 1", "local decile 10").
            let roles: RangeRoles =
                scheme == .core20
                ? .core20 : RangeRoles(mostDeprived: "\(scheme.singular) 1", leastDeprived: "\(scheme.singular) \(count)")
            let most = RangeInput(parts[0].estimate, levels: spec.levels)
            let least = RangeInput(parts[parts.count - 1].estimate, levels: spec.levels)
            if spec.measures.contains(.absoluteRange) {
                let range = InequalityRange.absolute(mostDeprived: most, leastDeprived: least, levels: spec.levels, roles: roles)
                out.append(make(scheme: scheme, quantile: "", measure: .absoluteRange, cell: CellEstimate(estimate: range)))
            }
            if spec.measures.contains(.relativeRange) {
                let range = InequalityRange.relative(mostDeprived: most, leastDeprived: least, levels: spec.levels, roles: roles)
                out.append(make(scheme: scheme, quantile: "", measure: .relativeRange, cell: CellEstimate(estimate: range)))
            }
        }
        return out
    }

    // MARK: - The sums

    /// A job's cells summed from one source: `cell * bands + band`, and input rows per cell.
    struct CellSums {
        var population: [Double]
        var events: [Double]
        var rows: [Double]
        /// Whether any group of the area has a local decile, and a local quintile.
        var anyLocalDecile: Bool
        var anyLocalQuintile: Bool
        /// The source's extra counts (a gap decomposition's deaths by cause), `(cell * bands + band) *
        /// extras + k`; empty unless asked for.
        var extras: [Double] = []

        /// Whether a local breakdown has any cell in the area (else its area is too small for it).
        func hasLocal(_ scheme: DeprivationScheme) -> Bool {
            scheme == .localQuintiles ? anyLocalQuintile : anyLocalDecile
        }
    }

    /// The note of a local breakdown an area is too small for (METHODS.md §7).
    static func noLocalQuantiles(_ scheme: DeprivationScheme, area: PlanArea, context: RunContext) -> String {
        let lsoas = area.authorities.map { context.lsoasOfAuthority[$0] }.reduce(0, +)
        return scheme == .localQuintiles
            ? "no local quintiles: \(area.name) has \(lsoas) LSOAs, fewer than 5 (METHODS.md §7)"
            : "no local deciles: \(area.name) has \(lsoas) LSOAs, fewer than 10 (METHODS.md §7)"
    }

    /// Sums source `source`'s cube over `area`, the job's sexes and period into cells: `schemes`'
    /// cells from `firstCell`, with the extra counts too when `extras`.
    static func sumCells(
        source: Int, area: PlanArea, schemes: [DeprivationScheme], cellCount: Int, firstCell: [DeprivationScheme: Int],
        job: RunJob, context: RunContext, extras withExtras: Bool = false
    ) -> CellSums {
        let cube = context.cubes[source]
        let bands = cube.bandCount
        let columns = context.columns[source][context.periodIndex[job.period]!]
        let sexes = job.sex.sexIndices
        let extraCount = withExtras ? cube.extraCount : 0
        var population = [Double](repeating: 0, count: cellCount * bands)
        var events = [Double](repeating: 0, count: cellCount * bands)
        var rows = [Double](repeating: 0, count: cellCount)
        var extras = [Double](repeating: 0, count: cellCount * bands * extraCount)
        var anyLocalDecile = false, anyLocalQuintile = false
        population.withUnsafeMutableBufferPointer { pop in
            events.withUnsafeMutableBufferPointer { ev in
                extras.withUnsafeMutableBufferPointer { ex in
                    for la in area.authorities {
                        for g32 in cube.groupsOfAuthority[la] {
                            let g = Int(g32)
                            let decile = Int(cube.groupDecile[g]), local = Int(cube.groupLocalDecile[g])
                            let localFifth = Int(cube.groupLocalQuintile[g])
                            if local > 0 { anyLocalDecile = true }
                            if localFifth > 0 { anyLocalQuintile = true }
                            for scheme in schemes {
                                guard
                                    let offset = scheme.cell(
                                        nationalDecile: decile, localDecile: local, localQuintile: localFifth)
                                else { continue }
                                let cell = firstCell[scheme]! + offset
                                cube.add(
                                    group: g, columns: columns, sexes: sexes, population: pop.baseAddress! + cell * bands,
                                    events: ev.baseAddress! + cell * bands, rows: &rows[cell])
                                if extraCount > 0 {
                                    cube.addExtras(
                                        group: g, columns: columns, sexes: sexes,
                                        extras: ex.baseAddress! + cell * bands * extraCount)
                                }
                            }
                        }
                    }
                }
            }
        }
        return CellSums(
            population: population, events: events, rows: rows, anyLocalDecile: anyLocalDecile,
            anyLocalQuintile: anyLocalQuintile, extras: extras)
    }

    // MARK: - The methods

    /// The statistic of every cell, batched for life expectancy and DSRs.
    private static func methodEstimates(
        _ indicator: ResolvedIndicator, keys: [CellKey], population: [Double], events: [Double], rows: [Double],
        secondary: CellSums?, bands: Int, job: RunJob, context: RunContext
    ) throws(RunnerError) -> [CellEstimate] {
        let spec = indicator.spec
        let levels = spec.levels
        let cellCount = keys.count
        var out = [CellEstimate](
            repeating: CellEstimate(estimate: .suppressed(levels: levels.count, note: ""), count: nil, denominator: nil),
            count: cellCount)
        // Cells without any input row.
        var live: [Int] = []
        for c in 0..<cellCount {
            if rows[c] == 0 {
                let note: String
                switch keys[c].scheme {
                case .none: note = "no input rows for this area in \(job.period.label)"
                case .core20:
                    note =
                        keys[c].quantile == "core20"
                        ? "no LSOAs of this area in Core20 (national deciles 1-2)" : "every LSOA of this area is in Core20"
                default: note = "no LSOAs in this \(keys[c].scheme.singular)"
                }
                out[c] = CellEstimate(estimate: .suppressed(levels: levels.count, note: note), count: 0, denominator: 0)
            } else {
                live.append(c)
            }
        }
        var cells = MethodCells(
            indicator: indicator, job: job, context: context, live: live, bands: bands, events: events,
            population: population)
        if let secondary {
            cells.secondaryEvents = secondary.events
            cells.secondaryPopulation = secondary.population
        }
        for (c, estimate) in try MethodDescription.of(spec.method).compute(cells) { out[c] = estimate }
        return out
    }

    /// The SII and RII of one breakdown (METHODS.md §6); a note where a quantile has no value.
    private static func slopeIndex(
        _ parts: [CellEstimate], spec: IndicatorSpec, scheme: DeprivationScheme, repetitions: Int,
        rng: inout Xoshiro256StarStar
    ) -> (sii: Estimate, rii: Estimate) {
        let levels = spec.levels
        func fail(_ note: String) -> (Estimate, Estimate) {
            (.suppressed(levels: levels.count, note: note), .suppressed(levels: levels.count, note: note))
        }
        let k95 = levels.firstIndex(of: .ninetyFive) ?? 0
        var missing: [String] = []
        for (q, part) in parts.enumerated() where part.estimate.value == nil || !(part.denominator.map { $0 > 0 } ?? false) {
            missing.append("\(q + 1)" + (part.estimate.note.map { " (\($0))" } ?? ""))
        }
        if !missing.isEmpty {
            return fail("not computed: no value for \(scheme.singular) \(missing.joined(separator: ", "))")
        }
        let values = parts.map { $0.estimate.value! }
        let populations = parts.map { $0.denominator! }
        var options = SIIOptions()
        options.valueType = spec.valueType
        options.transform = spec.siiTransform && spec.valueType != .untransformed
        options.repetitions = repetitions
        options.levels = levels
        options.computeRII = spec.measures.contains(.rii)
        options.multiplier = spec.valueType == .proportion ? spec.multiplier : 1
        // Proportions reported per multiplier (e.g. per cent): the SII works on the fraction.
        let scale = spec.valueType == .proportion ? spec.multiplier : 1
        do throws(IndicatorError) {
            let lower = parts.map { $0.estimate.limits.count > k95 ? $0.estimate.limits[k95].lower.map { $0 / scale } : nil }
            let upper = parts.map { $0.estimate.limits.count > k95 ? $0.estimate.limits[k95].upper.map { $0 / scale } : nil }
            let se = try SlopeIndexOfInequality.standardErrors(lower: lower, upper: upper, valueType: spec.valueType)
            let result = try SlopeIndexOfInequality.compute(
                populations: populations, values: values.map { $0 / scale }, standardErrors: se, options: options, using: &rng)
            let sii = result.sii
            let rii = result.rii ?? .suppressed(levels: levels.count, note: "")
            return (sii, rii)
        } catch {
            return fail("not computed: \(error.note)")
        }
    }
}

extension CellEstimate {
    /// A derived measure's cell (no count or denominator).
    init(estimate: Estimate) {
        self.init(estimate: estimate, count: nil, denominator: nil)
    }
}

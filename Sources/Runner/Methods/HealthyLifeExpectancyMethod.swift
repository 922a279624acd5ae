import Indicators
import Results

/// Healthy life expectancy at a start age (Sullivan, METHODS.md §9) on the life table of §5,
/// batched over a job's cells.
///
/// Reads two sources of the same input, summed into the same cells: deaths and population
/// (`numerator`, `denominator`) for the life table, and `healthy` and `surveyed` for the
/// prevalence πᵢ = healthy/surveyed of each life-table band, with the counts' binomial variance
/// πᵢ(1 − πᵢ)/surveyedᵢ (`Prevalence(healthy:surveyed:)`). Besides `value` (HLEₓ with its limits,
/// both variance terms), every cell has an `le` record (eₓ with its §5 limits, as the life
/// expectancy method gives it) and a `years_in_poorer_health` record (eₓ − HLEₓ, no limits).
enum HealthyLifeExpectancyMethod {
    static let description = MethodDescription(
        title: "healthy life expectancy", numeratorWords: "the deaths column", takesAges: false, takesAtAge: true,
        takesStandard: false, needsReference: false, defaultMultiplier: nil, sourceBands: .le, valueType: .untransformed,
        siiTransform: false, takesRelativeRange: false,
        prevalenceKeys: [
            ("healthy", "the column of people in good health, e.g. Census 2021 general health: very good or good"),
            ("surveyed", "the column of people asked, e.g. Census 2021 general health: all usual residents"),
        ],
        companionMeasures: [.lifeExpectancy, .yearsInPoorerHealth],
        bind: { _, sourceBands throws(MethodBindingError) in
            MethodBands(bandMap: Array(0..<sourceBands.count), labels: LifeExpectancy.bandLabels)
        },
        compute: compute)

    /// Every live cell's HLE in one batch; a cell whose counts the kernel refuses (more healthy than
    /// surveyed in a band) is a note, and the batch goes on without it.
    static func compute(_ cells: MethodCells) -> [Int: CellEstimate] {
        let bands = cells.bands, spec = cells.indicator.spec, levels = cells.levels
        var out: [Int: CellEstimate] = [:]
        var batched = cells.live
        // Each refused cell leaves the batch; the rest are computed again (refusals are rare: bad input).
        while true {
            var d: [Double] = [], p: [Double] = [], healthy: [Double] = [], surveyed: [Double] = []
            for c in batched {
                let range = (c * bands)..<((c + 1) * bands)
                d.append(contentsOf: cells.events[range])
                p.append(contentsOf: cells.population[range])
                healthy.append(contentsOf: cells.secondaryEvents[range])
                surveyed.append(contentsOf: cells.secondaryPopulation[range])
            }
            func sums(_ i: Int) -> (Double, Double) {
                (d[(i * bands)..<((i + 1) * bands)].reduce(0, +), p[(i * bands)..<((i + 1) * bands)].reduce(0, +))
            }
            let hle: HealthyLifeExpectancyBatch
            do {
                hle = try HealthyLifeExpectancy.batch(
                    deaths: d, populations: p, groupCount: batched.count,
                    prevalence: .init(healthy: healthy, surveyed: surveyed), ages: [spec.atAge], levels: levels)
            } catch {
                let i = error.groupIndex
                let (deaths, population) = sums(i)
                out[batched[i]] = cells.suppressed(
                    "not computed: \(error.error.note)", count: deaths, denominator: population)
                batched.remove(at: i)
                continue
            }
            // The life table's own eₓ and limits, exactly as a life_expectancy indicator reports them.
            let slot = spec.atAge == 0 ? 0 : LifeExpectancy.startAges.firstIndex(of: spec.atAge) ?? 0
            let le = LifeExpectancy.batch(
                deaths: d, populations: p, groupCount: batched.count, levels: levels, allStartAges: spec.atAge != 0)
            for (i, c) in batched.enumerated() {
                let (deaths, population) = sums(i)
                let result = hle.result(group: i, slot: 0)
                let poorer = result.healthyLifeExpectancy.value == nil ? nil : result.yearsInPoorerHealth
                var cell = CellEstimate(
                    estimate: result.healthyLifeExpectancy, count: deaths, denominator: population)
                cell.companions = [
                    .lifeExpectancy: CellEstimate(
                        estimate: le.estimate(group: i, slot: slot), count: deaths, denominator: population),
                    .yearsInPoorerHealth: CellEstimate(
                        estimate: Estimate(
                            value: poorer,
                            limits: Array(repeating: ConfidenceLimits(lower: nil, upper: nil), count: levels.count),
                            note: poorer == nil ? result.note ?? "not computed" : nil)),
                ]
                out[c] = cell
            }
            return out
        }
    }
}

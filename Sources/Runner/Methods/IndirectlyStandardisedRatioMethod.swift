import Indicators

/// Indirectly standardised ratios against the plan's reference rates (METHODS.md §4).
enum IndirectlyStandardisedRatioMethod {
    static let description = MethodDescription(
        title: "isr", numeratorWords: "the count column, e.g. deaths", takesAges: true, takesAtAge: false,
        takesStandard: false, needsReference: true, defaultMultiplier: 100_000, sourceBands: .esp2013, valueType: .rate,
        siiTransform: true, takesRelativeRange: true,
        bind: { spec, bands throws(MethodBindingError) in try MethodDescription.agesOfSourceBands(spec, bands) },
        compute: compute)

    /// Each live cell's observed over expected deaths at the reference rates of its sex and period.
    static func compute(_ cells: MethodCells) throws(RunnerError) -> [Int: CellEstimate] {
        let job = cells.job, context = cells.context
        let key = ReferenceKey(indicator: job.indicator, sex: job.sex, period: context.periodIndex[job.period]!)
        guard let reference = context.references[key] else {
            throw .jobFailed(
                job:
                    "\(job.index + 1) (\(cells.indicator.spec.id), \(context.resolved.areas[job.area].code), \(job.sex.rawValue), \(job.period.label))",
                message: "no ISR reference rates were summed for this sex and period")
        }
        var out: [Int: CellEstimate] = [:]
        for c in cells.live {
            let (e, p) = cells.methodSums(c)
            do {
                let result = try IndirectlyStandardisedRatio.compute(
                    counts: e, populations: p, referenceCounts: reference.events, referencePopulations: reference.population,
                    bandLabels: cells.indicator.methodBands, levels: cells.levels)
                out[c] = CellEstimate(estimate: result.estimate, count: result.observed, denominator: result.expected)
            } catch {
                out[c] = cells.suppressed("not computed: \(error.note)", count: e.reduce(0, +))
            }
        }
        return out
    }
}

import Indicators

/// Crude rates (Byar/exact Poisson limits) and proportions (Wilson limits), METHODS.md §1–§2.
enum CrudeRateMethod {
    static let crudeRate = description(proportion: false)
    static let proportion = description(proportion: true)

    private static func description(proportion: Bool) -> MethodDescription {
        MethodDescription(
            title: proportion ? "proportion" : "crude_rate", numeratorWords: "the count column, e.g. deaths",
            takesAges: true, takesAtAge: false, takesStandard: false, needsReference: false,
            defaultMultiplier: proportion ? 1 : 100_000, sourceBands: .esp2013, valueType: proportion ? .proportion : .rate,
            siiTransform: true, takesRelativeRange: true,
            bind: { spec, bands throws(MethodBindingError) in try MethodDescription.agesOfSourceBands(spec, bands) },
            compute: { cells in compute(cells, proportion: proportion) })
    }

    /// Each live cell's total events over total population.
    static func compute(_ cells: MethodCells, proportion: Bool) -> [Int: CellEstimate] {
        let spec = cells.indicator.spec, levels = cells.levels
        var out: [Int: CellEstimate] = [:]
        for c in cells.live {
            let (e, p) = cells.methodSums(c)
            let o = e.reduce(0, +), n = p.reduce(0, +)
            do {
                let estimate =
                    proportion
                    ? try Proportion.estimate(numerator: o, denominator: n, levels: levels, multiplier: spec.multiplier)
                    : try CrudeRate.estimate(count: o, population: n, levels: levels, multiplier: spec.multiplier)
                out[c] = CellEstimate(estimate: estimate, count: o, denominator: n)
            } catch {
                out[c] = cells.suppressed("not computed: \(error.note)", count: o, denominator: n)
            }
        }
        return out
    }
}

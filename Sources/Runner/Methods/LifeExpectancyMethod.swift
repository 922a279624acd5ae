import Indicators

/// Life expectancy at a start age (Chiang II, METHODS.md §5), batched over a job's cells.
enum LifeExpectancyMethod {
    static let description = MethodDescription(
        title: "life expectancy", numeratorWords: "the deaths column", takesAges: false, takesAtAge: true,
        takesStandard: false, needsReference: false, defaultMultiplier: nil, sourceBands: .le, valueType: .untransformed,
        siiTransform: false, takesRelativeRange: false,
        bind: { _, sourceBands throws(MethodBindingError) in
            MethodBands(bandMap: Array(0..<sourceBands.count), labels: LifeExpectancy.bandLabels)
        },
        compute: compute)

    /// Every live cell's life table in one batch; the estimate at the indicator's start age.
    static func compute(_ cells: MethodCells) -> [Int: CellEstimate] {
        let bands = cells.bands, spec = cells.indicator.spec
        var d: [Double] = [], p: [Double] = []
        d.reserveCapacity(cells.live.count * bands)
        p.reserveCapacity(cells.live.count * bands)
        for c in cells.live {
            d.append(contentsOf: cells.events[(c * bands)..<((c + 1) * bands)])
            p.append(contentsOf: cells.population[(c * bands)..<((c + 1) * bands)])
        }
        let slot = spec.atAge == 0 ? 0 : LifeExpectancy.startAges.firstIndex(of: spec.atAge) ?? 0
        let batch = LifeExpectancy.batch(
            deaths: d, populations: p, groupCount: cells.live.count, levels: cells.levels, allStartAges: spec.atAge != 0)
        var out: [Int: CellEstimate] = [:]
        for (i, c) in cells.live.enumerated() {
            out[c] = CellEstimate(
                estimate: batch.estimate(group: i, slot: slot), count: d[(i * bands)..<((i + 1) * bands)].reduce(0, +),
                denominator: p[(i * bands)..<((i + 1) * bands)].reduce(0, +))
        }
        return out
    }
}

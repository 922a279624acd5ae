import Indicators

/// Directly standardised rates (Dobson limits, METHODS.md §3) on ESP2013 or ESP1976, batched.
enum DirectlyStandardisedRateMethod {
    static let description = MethodDescription(
        title: "dsr", numeratorWords: "the count column, e.g. deaths", takesAges: true, takesAtAge: false,
        takesStandard: true, needsReference: false, defaultMultiplier: 100_000, sourceBands: .esp2013, valueType: .rate,
        siiTransform: true, takesRelativeRange: true, bind: bind, compute: compute)

    /// The standard's bands (restricted to `ages`), each source band mapped into the one containing it.
    static func bind(_ spec: IndicatorSpec, _ sourceBands: [AgeBand]) throws(MethodBindingError) -> MethodBands {
        var standard = spec.standard == "esp1976" ? StandardPopulation.esp1976 : StandardPopulation.esp2013
        if let ages = spec.ages {
            do {
                standard = try standard.restricted(to: ages)
            } catch {
                throw MethodBindingError(message: "ages \(spec.agesLabel ?? ""): \(error.description)")
            }
        }
        var map = [Int](repeating: -1, count: sourceBands.count)
        for (b, band) in sourceBands.enumerated() {
            if let s = standard.bands.firstIndex(where: { $0.contains(band) }) {
                map[b] = s
            } else if standard.bands.contains(where: { $0.overlaps(band) }) {
                throw MethodBindingError(message: "the input band \(band.label) spans two bands of \(standard.name)")
            }
        }
        return MethodBands(bandMap: map, labels: standard.bands.map(\.label), weights: standard.weights)
    }

    /// Every computable cell in one batch; a cell with an empty band is a note.
    static func compute(_ cells: MethodCells) -> [Int: CellEstimate] {
        let indicator = cells.indicator, levels = cells.levels
        var out: [Int: CellEstimate] = [:]
        var x: [Double] = [], n: [Double] = []
        var batched: [Int] = []
        for c in cells.live {
            let (e, p) = cells.methodSums(c)
            if let empty = p.firstIndex(where: { !($0 > 0) }) {
                out[c] = cells.suppressed(
                    "not computed: population 0 in band \(indicator.methodBands[empty])", count: e.reduce(0, +),
                    denominator: p.reduce(0, +))
                continue
            }
            x.append(contentsOf: e)
            n.append(contentsOf: p)
            batched.append(c)
        }
        do {
            let results = try DirectlyStandardisedRate.batch(
                counts: x, populations: n, groupCount: batched.count, weights: indicator.weights,
                bandLabels: indicator.methodBands, levels: levels, multiplier: indicator.spec.multiplier)
            for (i, c) in batched.enumerated() {
                out[c] = CellEstimate(
                    estimate: results[i].estimate, count: results[i].totalCount, denominator: results[i].totalPopulation)
            }
        } catch {
            for c in batched { out[c] = cells.suppressed("not computed: \(error.error.note)") }
        }
        return out
    }
}

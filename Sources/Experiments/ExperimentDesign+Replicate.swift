import Foundation
import Indicators
import Ingest
import NumericCore

// One replicate, in memory: Poisson deaths per selected LSOA × sex × band (years pooled: a sum
// of independent Poisson counts is Poisson with the summed mean, so one draw per LSOA, sex and
// band has exactly the distribution of the per-year draws summed), added into the cells of every
// breakdown a variant reads, then every variant computed from those cells.
//
// Streams: replicate r uses stream r of the seed (r jumps of 2^128). Its deaths are drawn from
// that stream in order: scale, LSOA, sex, band. The SII of SII target t (0-based over all SII
// targets) starts from the replicate's stream advanced by 2(t + 1) long jumps of 2^192; the direct
// method's second lane is one long jump further, so no two of these lanes meet, nor meet another
// replicate's stream (that would need replicate numbers 2^64 apart).

extension ExperimentDesign {
    /// The records of replicate `replicate` (whose stream is `stream`): for each target, the
    /// estimate then the lower and upper limit at each level; NaN where the method suppressed or
    /// refused it.
    ///
    /// - Complexity: O(selected LSOAs × 40 × scales) draws, plus the variants' methods (the SII's
    ///   simulation dominates: O(repetitions) each with `.direct`, O(k × repetitions) with `.literal`).
    public func replicate(stream: Xoshiro256StarStar) -> [Double] {
        let width = recordWidth
        let levels = experiment.levels
        var out = [Double](repeating: .nan, count: targets.count * width)
        var rng = stream

        // Deaths into cells, scale by scale.
        var cellDeaths: [[QuantileScheme: [Double]]] = []
        var draws = [Double](repeating: 0, count: 40)
        for k in scales.indices {
            let schemes = schemesOfScale[k]
            var cells: [QuantileScheme: [Double]] = [:]
            for scheme in schemes { cells[scheme] = [Double](repeating: 0, count: scheme.groupCount * 40) }
            var sums = schemes.map { cells[$0]! }
            let groups = schemes.map { groupOf[$0]! }
            means[k].withUnsafeBufferPointer { mean in
                expNegativeMeans[k].withUnsafeBufferPointer { expNegative in
                    for i in 0..<lsoaCount {
                        for c in 0..<40 {
                            draws[c] = Double(Self.poisson(mean[i * 40 + c], expNegative[i * 40 + c], &rng))
                        }
                        for s in sums.indices {
                            let base = groups[s][i] * 40
                            for c in 0..<40 { sums[s][base + c] += draws[c] }
                        }
                    }
                }
            }
            for (s, scheme) in schemes.enumerated() { cells[scheme] = sums[s] }
            cellDeaths.append(cells)
        }

        for plan in plans {
            let v = plan.spec
            let scheme = v.deprivation
            let deaths = cellDeaths[plan.scale][scheme]!
            let populations = cellPopulations[plan.scale][scheme]!
            let groupCount = scheme.groupCount
            var target = plan.firstTarget
            func store(_ value: Double?, _ limits: [ConfidenceLimits]) {
                let o = target * width
                out[o] = value ?? .nan
                for k in levels.indices where k < limits.count {
                    out[o + 1 + 2 * k] = limits[k].lower ?? .nan
                    out[o + 2 + 2 * k] = limits[k].upper ?? .nan
                }
                target += 1
            }
            // Life expectancy of every group of one sex, all start ages.
            func lifeExpectancies(sex: Int) -> LifeExpectancyBatch {
                var d = [Double](repeating: 0, count: groupCount * 20)
                var p = d
                for g in 0..<groupCount {
                    for b in 0..<20 {
                        d[g * 20 + b] = deaths[g * 40 + sex * 20 + b]
                        p[g * 20 + b] = populations[g * 40 + sex * 20 + b]
                    }
                }
                return LifeExpectancy.batch(deaths: d, populations: p, groupCount: groupCount, levels: levels)
            }
            // The DSR of one group and sex, with its denominator.
            func rate(sex: Int, group g: Int) -> (Estimate, Double)? {
                var x = [Double?](repeating: 0, count: plan.weights.count)
                var n = [Double?](repeating: 0, count: plan.weights.count)
                for b in 0..<20 {
                    guard let j = plan.standardBand[b] else { continue }
                    x[j] = x[j]! + deaths[g * 40 + sex * 20 + b]
                    n[j] = n[j]! + populations[g * 40 + sex * 20 + b]
                }
                guard
                    let result = try? DirectlyStandardisedRate.compute(
                        counts: x, populations: n, weights: plan.weights, bandLabels: plan.bandLabels, levels: levels,
                        multiplier: v.multiplier)
                else { return nil }
                return (result.estimate, result.totalPopulation)
            }
            switch v.method {
            case .lifeExpectancy:
                for sex in v.sexes {
                    let batch = lifeExpectancies(sex: sex)
                    for g in 0..<groupCount {
                        for slot in plan.slots {
                            let e = batch.estimate(group: g, slot: slot)
                            store(e.value, e.limits)
                        }
                    }
                }
            case .dsr:
                for sex in v.sexes {
                    for g in 0..<groupCount {
                        if let result = rate(sex: sex, group: g) {
                            store(result.0.value, result.0.limits)
                        } else {
                            store(nil, [])
                        }
                    }
                }
            case .sii:
                for (n, sex) in v.sexes.enumerated() {
                    var values: [Double] = []
                    var lower: [Double?] = []
                    var upper: [Double?] = []
                    var weights: [Double] = []
                    if v.of == .dsr {
                        for g in 0..<groupCount {
                            guard let result = rate(sex: sex, group: g), let value = result.0.value, value.isFinite else { break }
                            let (estimate, population) = result
                            values.append(value)
                            lower.append(estimate.limits[0].lower)
                            upper.append(estimate.limits[0].upper)
                            weights.append(population)
                        }
                    } else {
                        let batch = lifeExpectancies(sex: sex)
                        for g in 0..<groupCount {
                            let e = batch.estimate(group: g, slot: plan.slots[0])
                            guard let value = e.value, value.isFinite else { break }
                            values.append(value)
                            lower.append(e.limits[0].lower)
                            upper.append(e.limits[0].upper)
                            weights.append((0..<20).reduce(0.0) { $0 + populations[g * 40 + sex * 20 + $1] })
                        }
                    }
                    guard values.count == groupCount else {
                        store(nil, [])
                        continue
                    }
                    if v.weights == .equal { weights = [Double](repeating: 1, count: groupCount) }
                    let valueType: SIIValueType = v.of == .dsr ? .rate : .untransformed
                    let options = SIIOptions(
                        valueType: valueType, transform: v.transform, repetitions: v.repetitions, levels: levels,
                        simulation: v.simulation)
                    var siiStream = stream
                    for _ in 0..<(2 * (plan.firstSIIStream + n + 1)) { siiStream.longJump() }
                    do {
                        let se = try SlopeIndexOfInequality.standardErrors(lower: lower, upper: upper, valueType: valueType)
                        let result = try SlopeIndexOfInequality.compute(
                            populations: weights, values: values, standardErrors: se, options: options, using: &siiStream)
                        store(result.sii.value, result.sii.limits)
                    } catch {
                        store(nil, [])
                    }
                }
            }
        }
        return out
    }

    /// A Poisson draw with mean `mean`, given exp(−mean): the same draws as `Poisson.draw` (inversion
    /// below 10, with the exponential computed once per cell instead of once per draw).
    @inline(__always)
    static func poisson(_ mean: Double, _ expNegative: Double, _ rng: inout Xoshiro256StarStar) -> Int {
        guard mean > 0 else { return 0 }
        guard mean < 10 else { return Poisson.draw(mean: mean, using: &rng) }
        var u = rng.nextUniform()
        var k = 0
        var p = expNegative
        while u > p {
            u -= p
            k += 1
            p *= mean / Double(k)
            if k > 1000 { break }
        }
        return k
    }
}

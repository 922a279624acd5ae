// Implementation notes (maintainers). The batch kernel is `compute` restated over a
// struct-of-arrays layout so that one call handles every group of a job:
//
// - Inputs are three flat buffers opened once with `withUnsafeBufferPointer`; group g's band j
//   is at g·bands + j. Missing values are NaN (a flat [Double] has no nil).
// - Per group: one pass over its bands accumulating Σw·x/n, Σw²·x/n², Σx and Σn, in the same
//   order and with the same operations as `compute`, so the two agree to the last bit.
// - Validation is a single predictable branch per band; when it fails, a cold path re-reads
//   the group to build the same `IndicatorError` as `compute`.
// - Limits: O < 10 is suppressed, so every computed group has O ≥ 10 and Byar's closed form
//   applies; the critical values z are computed once per call, and no iterative quantile
//   is ever evaluated.
// - The only allocations are the result array (reserved once) and each result's array of
//   limits.

extension DirectlyStandardisedRate {
    /// The error of one group of a batch (the type every batched method throws).
    public typealias BatchError = IndicatorBatchError

    /// DSRs for many groups at once, over a struct-of-arrays layout (METHODS.md §3).
    ///
    /// `counts` and `populations` hold `groupCount × weights.count` values; group g's band j
    /// (in the order of `weights`, i.e. of the standard's bands after `align`) is at
    /// `g * weights.count + j`. A missing count is NaN and counts as 0; a missing population
    /// is NaN and is an error, as in `compute`. Each result is exactly what `compute` returns
    /// for that group with the same levels and multiplier (same formulas, same operation order),
    /// including the `"total count < 10"` suppression.
    ///
    /// Errors: validation is that of `compute`. The batch stops at the first invalid group
    /// (in group order) and throws a `BatchError` with its index and the `IndicatorError`
    /// `compute` would throw for it; the caller maps the index to its group key with
    /// `error.error.inGroup(key)`. An invalid weight, or weights summing to 0, is reported
    /// against group 0. With `groupCount == 0` the weights are still checked and the result
    /// is empty.
    /// - Precondition: `counts.count == populations.count == groupCount * weights.count`.
    /// - Complexity: O(groupCount × (bands + levels)), one pass over the inputs; one
    ///   allocation per group (its limits array) plus the result array.
    public static func batch(
        counts: [Double], populations: [Double], groupCount: Int, weights: [Double], bandLabels: [String] = [],
        levels: [ConfidenceLevel], multiplier: Double = 100_000
    ) throws(BatchError) -> [DirectlyStandardisedRateResult] {
        let bands = weights.count
        precondition(groupCount >= 0, "groupCount must not be negative")
        precondition(
            counts.count == groupCount * bands && populations.count == groupCount * bands,
            "counts and populations need groupCount × weights.count values")
        var sumWeights = 0.0
        for i in 0..<bands {
            do {
                sumWeights += try checkedWeight(weights[i], band: bandLabel(bandLabels, i))
            } catch {
                throw BatchError(groupIndex: 0, error: error)
            }
        }
        guard sumWeights > 0 else {
            throw BatchError(groupIndex: 0, error: IndicatorError("the standard weights sum to 0"))
        }
        let z = levels.map(\.z)
        let levelCount = levels.count
        let suppressed = Estimate.suppressed(levels: levelCount, note: smallCountNote)
        var results: [DirectlyStandardisedRateResult] = []
        results.reserveCapacity(groupCount)

        let failure = counts.withUnsafeBufferPointer { x in
            populations.withUnsafeBufferPointer { n in
                weights.withUnsafeBufferPointer { w in
                    z.withUnsafeBufferPointer { z in
                        batchKernel(
                            counts: x, populations: n, weights: w, z: z, groupCount: groupCount,
                            sumWeights: sumWeights, multiplier: multiplier, suppressed: suppressed,
                            bandLabels: bandLabels, into: &results)
                    }
                }
            }
        }
        if let failure { throw BatchError(groupIndex: failure.group, error: failure.error) }
        return results
    }

    /// The hot loop of `batch`: appends one result per group, or stops at the first invalid
    /// group and returns its index and error.
    ///
    /// A separate function over buffers and an `inout` result, so that the loop body holds
    /// no captured mutable state (no dynamic exclusivity checks per group).
    static func batchKernel(
        counts x: UnsafeBufferPointer<Double>, populations n: UnsafeBufferPointer<Double>,
        weights w: UnsafeBufferPointer<Double>, z: UnsafeBufferPointer<Double>, groupCount: Int,
        sumWeights: Double, multiplier: Double, suppressed: Estimate, bandLabels: [String],
        into results: inout [DirectlyStandardisedRateResult]
    ) -> (group: Int, error: IndicatorError)? {
        let bands = w.count
        let levelCount = z.count
        for g in 0..<groupCount {
            let base = g * bands
            var weightedRate = 0.0, variance = 0.0, total = 0.0, totalPopulation = 0.0
            var valid = true
            for j in 0..<bands {
                let raw = x[base + j]
                let count = raw.isNaN ? 0 : raw
                let population = n[base + j]
                if !(population > 0 && population < .infinity && count >= 0 && count < .infinity) {
                    valid = false
                    break
                }
                let rate = w[j] * count / population
                weightedRate += rate
                variance += w[j] * rate / population
                total += count
                totalPopulation += population
            }
            guard valid else {
                return (g, groupError(x: x, n: n, base: base, bands: bands, labels: bandLabels))
            }
            guard total >= 10 else {
                results.append(
                    DirectlyStandardisedRateResult(
                        estimate: suppressed, totalCount: total, totalPopulation: totalPopulation))
                continue
            }
            let dsr = weightedRate / sumWeights
            let perEvent = (variance / total).squareRoot() / sumWeights
            @inline(__always)
            func limits(_ k: Int) -> ConfidenceLimits {
                let lower = PoissonLimits.byarsLower(total, z: z[k])
                let upper = PoissonLimits.byarsUpper(total, z: z[k])
                return ConfidenceLimits(
                    lower: (dsr + perEvent * (lower - total)) * multiplier,
                    upper: (dsr + perEvent * (upper - total)) * multiplier)
            }
            // Array literals for the usual one or two levels: a specialised allocation.
            let all: [ConfidenceLimits] =
                switch levelCount {
                case 1: [limits(0)]
                case 2: [limits(0), limits(1)]
                default: (0..<levelCount).map(limits)
                }
            results.append(
                DirectlyStandardisedRateResult(
                    estimate: Estimate(value: dsr * multiplier, limits: all), totalCount: total,
                    totalPopulation: totalPopulation))
        }
        return nil
    }

    /// The error `compute` reports for one invalid group of a batch (the cold path).
    @inline(never)
    static func groupError(
        x: UnsafeBufferPointer<Double>, n: UnsafeBufferPointer<Double>, base: Int, bands: Int, labels: [String]
    ) -> IndicatorError {
        for j in 0..<bands {
            let label = bandLabel(labels, j)
            do {
                _ = try checkedPopulation(n[base + j], band: label)
            } catch {
                return error
            }
            let count = x[base + j].isNaN ? 0 : x[base + j]
            if !(count >= 0 && count.isFinite) {
                return IndicatorError("count must be a non-negative number", band: label, value: valueText(count))
            }
        }
        return IndicatorError("invalid input")  // not reached: the caller found an invalid band
    }
}

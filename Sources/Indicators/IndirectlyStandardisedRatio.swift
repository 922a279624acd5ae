/// The result of one group's indirect standardisation: the estimate and what it rests on.
public struct IndirectlyStandardisedResult: Equatable, Sendable {
    /// The ratio (× `referenceValue`) or, as a rate, ratio × reference rate, with limits per level.
    public var estimate: Estimate
    /// O: Σxᵢ, or the observed total given separately.
    public var observed: Double
    /// E = Σ (ref_xᵢ / ref_nᵢ)·nᵢ.
    public var expected: Double
    /// The reference crude rate Σref_x/Σref_n × multiplier, when the result is a rate; nil for a ratio.
    public var referenceRate: Double?

    /// Creates a result.
    public init(estimate: Estimate, observed: Double, expected: Double, referenceRate: Double?) {
        self.estimate = estimate
        self.observed = observed
        self.expected = expected
        self.referenceRate = referenceRate
    }
}

/// The indirectly standardised ratio (e.g. SMR) and rate, with Poisson limits on O (METHODS.md §4).
///
/// ```
/// E     = Σ (ref_xᵢ / ref_nᵢ)·nᵢ
/// ratio = O/E · referenceValue,        limits L(O)/E · referenceValue   (L from §1)
/// rate  = O/E · Σref_x/Σref_n · multiplier, limits L(O)/E · Σref_x/Σref_n · multiplier
/// ```
///
/// Sources: Breslow & Day (1987), *Statistical Methods in Cancer Research, Vol. II*, ch. 2
/// (SMR and its Poisson limits); Fingertips technical guidance, "Indirectly standardised
/// ratios and rates".
public enum IndirectlyStandardisedRatio {
    /// The ISR (or indirectly standardised rate, with `asRate`) of one group.
    ///
    /// Inputs per band: counts xᵢ, populations nᵢ, reference counts ref_xᵢ and populations
    /// ref_nᵢ, aligned (the reference either as columns on each row, or a shared table joined
    /// by band). `observedTotal` replaces Σxᵢ (the observed count given without an age
    /// breakdown). `referenceTotals` (Σref_x, Σref_n over the whole reference table, for the
    /// reference rate) default to the sums of the given reference arrays. `referenceValue`
    /// scales the ratio only (1, or 100 for an SMR × 100); a rate is per `multiplier`.
    ///
    /// Edge cases: a missing (nil or NaN) xᵢ, nᵢ or ref_xᵢ counts as 0, and nᵢ = 0 is allowed;
    /// small O is not suppressed (its limits are exact below 10); E = 0 gives a nil value and
    /// limits with the note `"expected count is 0"`. `referenceRate` is filled only for a rate.
    /// - Throws: `IndicatorError` naming the band and value, checked band by band in order:
    ///   a missing, zero, negative or infinite ref_nᵢ; a negative or infinite ref_xᵢ, xᵢ or
    ///   nᵢ. Also for arrays of different lengths, a negative or infinite observed total, and
    ///   (for a rate) reference totals whose population is not positive or count is negative.
    /// - Complexity: O(bands + levels); an iterative quantile per level when O < 10.
    public static func compute(
        counts: [Double?], populations: [Double?], referenceCounts: [Double?], referencePopulations: [Double?],
        bandLabels: [String], observedTotal: Double? = nil,
        referenceTotals: (count: Double, population: Double)? = nil, levels: [ConfidenceLevel],
        asRate: Bool = false, multiplier: Double = 100_000, referenceValue: Double = 1
    ) throws(IndicatorError) -> IndirectlyStandardisedResult {
        let k = referencePopulations.count
        guard counts.count == k, populations.count == k, referenceCounts.count == k else {
            throw IndicatorError(
                "counts, populations, reference counts and reference populations need one entry per band "
                    + "(got \(counts.count), \(populations.count), \(referenceCounts.count) and \(k))")
        }
        var expected = 0.0, observed = 0.0, referenceCount = 0.0, referencePopulation = 0.0
        for i in 0..<k {
            let label = DirectlyStandardisedRate.bandLabel(bandLabels, i)
            guard let refN = present(referencePopulations[i]) else {
                throw IndicatorError("reference population is missing", band: label)
            }
            guard refN > 0, refN.isFinite else {
                throw IndicatorError("reference population must be positive", band: label, value: valueText(refN))
            }
            let refX = present(referenceCounts[i]) ?? 0
            guard refX >= 0, refX.isFinite else {
                throw IndicatorError(
                    "reference count must be a non-negative number", band: label, value: valueText(refX))
            }
            let x = present(counts[i]) ?? 0
            guard x >= 0, x.isFinite else {
                throw IndicatorError("count must be a non-negative number", band: label, value: valueText(x))
            }
            let n = present(populations[i]) ?? 0
            guard n >= 0, n.isFinite else {
                throw IndicatorError("population must be a non-negative number", band: label, value: valueText(n))
            }
            expected += refX / refN * n
            observed += x
            referenceCount += refX
            referencePopulation += refN
        }
        if let given = present(observedTotal) {
            guard given >= 0, given.isFinite else {
                throw IndicatorError("observed total must be a non-negative number", value: valueText(given))
            }
            observed = given
        }
        var scale = referenceValue
        var referenceRate: Double? = nil
        if asRate {
            let totals = referenceTotals ?? (referenceCount, referencePopulation)
            guard totals.population > 0, totals.population.isFinite, totals.count >= 0, totals.count.isFinite else {
                throw IndicatorError(
                    "reference totals need a positive population and a non-negative count",
                    value: "\(valueText(totals.count))/\(valueText(totals.population))")
            }
            let rate = totals.count / totals.population * multiplier
            referenceRate = rate
            scale = rate
        }
        guard expected > 0 else {
            return IndirectlyStandardisedResult(
                estimate: .suppressed(levels: levels.count, note: "expected count is 0"), observed: observed,
                expected: expected, referenceRate: referenceRate)
        }
        let factor = scale / expected
        let limits = levels.map { level in
            let cl = PoissonLimits.limits(count: observed, level: level)
            return ConfidenceLimits(lower: cl.lower.map { $0 * factor }, upper: cl.upper.map { $0 * factor })
        }
        return IndirectlyStandardisedResult(
            estimate: Estimate(value: observed * factor, limits: limits), observed: observed, expected: expected,
            referenceRate: referenceRate)
    }
}

/// The result of one group's directly standardised rate: the estimate and the totals it rests on.
public struct DirectlyStandardisedRateResult: Equatable, Sendable {
    /// The DSR per `multiplier` with one pair of Dobson limits per level, or suppressed with a note.
    public var estimate: Estimate
    /// O = Σxᵢ, the total count of events (missing counts as 0).
    public var totalCount: Double
    /// Σnᵢ, the group's total population over the standard's bands.
    public var totalPopulation: Double

    /// Creates a result.
    public init(estimate: Estimate, totalCount: Double, totalPopulation: Double) {
        self.estimate = estimate
        self.totalCount = totalCount
        self.totalPopulation = totalPopulation
    }
}

/// The directly standardised rate with Dobson's confidence limits (METHODS.md §3).
///
/// For one group with age-band counts xᵢ, populations nᵢ and standard weights wᵢ:
/// ```
/// DSR   = Σ(wᵢ xᵢ / nᵢ) / Σwᵢ · multiplier
/// var   = Σ(wᵢ² xᵢ / nᵢ²) / (Σwᵢ)²
/// O     = Σxᵢ,  O_L, O_U from PoissonLimits (§1; Byar's, since O ≥ 10 here)
/// limit = (Σ(wᵢ xᵢ / nᵢ)/Σwᵢ + √(var/O)·(O_L/U − O)) · multiplier
/// ```
/// The inputs are already aligned to the standard's bands (`StandardPopulation.align`), in
/// the order of the weights.
///
/// Sources: A. J. Dobson, K. Kuulasmaa, E. Eberle and J. Scherer (1991), "Confidence
/// intervals for weighted sums of Poisson parameters", Stat Med 10:457–462; Fingertips
/// technical guidance, "Directly standardised rates" (including the adjustment for
/// non-independent events).
public enum DirectlyStandardisedRate {
    /// The note of a group whose total count is below 10, as the reference writes it.
    public static let smallCountNote = "total count < 10"

    /// The DSR of one group whose bands are aligned to the standard's.
    ///
    /// Edge cases: a missing count (nil or NaN) counts as 0 and the band keeps its population
    /// and weight in every sum; when O < 10 the value and limits are nil with the note
    /// `"total count < 10"` (totals are still filled in).
    /// - Throws: `IndicatorError` naming the band (from `bandLabels`, or the 1-based position
    ///   when a label is absent) and the value, checked band by band in order, weight before
    ///   population before count: a negative, infinite or missing (NaN) weight; a missing,
    ///   zero, negative or infinite population; a negative or infinite count. Also when the
    ///   arrays differ in length or the weights sum to 0.
    /// - Complexity: O(bands + levels).
    public static func compute(
        counts: [Double?], populations: [Double?], weights: [Double], bandLabels: [String],
        levels: [ConfidenceLevel], multiplier: Double = 100_000
    ) throws(IndicatorError) -> DirectlyStandardisedRateResult {
        guard counts.count == weights.count, populations.count == weights.count else {
            throw IndicatorError(
                "counts, populations and weights need one entry per standard band "
                    + "(got \(counts.count), \(populations.count) and \(weights.count))")
        }
        var sumWeights = 0.0, weightedRate = 0.0, variance = 0.0, total = 0.0, totalPopulation = 0.0
        for i in weights.indices {
            let label = bandLabel(bandLabels, i)
            let w = try checkedWeight(weights[i], band: label)
            let n = try checkedPopulation(populations[i], band: label)
            let x = present(counts[i]) ?? 0
            guard x >= 0, x.isFinite else {
                throw IndicatorError("count must be a non-negative number", band: label, value: valueText(x))
            }
            let rate = w * x / n
            sumWeights += w
            weightedRate += rate
            variance += w * rate / n
            total += x
            totalPopulation += n
        }
        return try finish(
            weightedRate: weightedRate, variance: variance, sumWeights: sumWeights, total: total,
            totalPopulation: totalPopulation, levels: levels, multiplier: multiplier)
    }

    /// The DSR of one group for non-independent events (one person may have several), with
    /// the variance adjusted for the clustering of events within people (METHODS.md §3).
    ///
    /// `frequencies[i][f − 1]` is x_{f,i}, the number of people in band i with exactly f
    /// events (nil or NaN = 0; rows may have different lengths). Then
    /// ```
    /// xᵢ  = Σ_f f·x_{f,i}            (events: used for the DSR and for O)
    /// var = Σ_f f² · Σᵢ wᵢ² x_{f,i}/nᵢ² / (Σwᵢ)²
    /// ```
    /// and the rate and limits are as in `compute`. With only f = 1 this is `compute`.
    /// - Throws: as `compute`, and for a negative or infinite number of people.
    /// - Complexity: O(bands × frequencies + levels).
    public static func computeNonIndependent(
        frequencies: [[Double?]], populations: [Double?], weights: [Double], bandLabels: [String],
        levels: [ConfidenceLevel], multiplier: Double = 100_000
    ) throws(IndicatorError) -> DirectlyStandardisedRateResult {
        guard frequencies.count == weights.count, populations.count == weights.count else {
            throw IndicatorError(
                "frequencies, populations and weights need one entry per standard band "
                    + "(got \(frequencies.count), \(populations.count) and \(weights.count))")
        }
        var sumWeights = 0.0, weightedRate = 0.0, variance = 0.0, total = 0.0, totalPopulation = 0.0
        for i in weights.indices {
            let label = bandLabel(bandLabels, i)
            let w = try checkedWeight(weights[i], band: label)
            let n = try checkedPopulation(populations[i], band: label)
            var events = 0.0, squaredEvents = 0.0
            for (k, people) in frequencies[i].enumerated() {
                let p = present(people) ?? 0
                guard p >= 0, p.isFinite else {
                    throw IndicatorError(
                        "number of people with \(k + 1) events must be a non-negative number", band: label,
                        value: valueText(p))
                }
                let f = Double(k + 1)
                events += f * p
                squaredEvents += f * f * p
            }
            sumWeights += w
            weightedRate += w * events / n
            variance += w * w * squaredEvents / (n * n)
            total += events
            totalPopulation += n
        }
        return try finish(
            weightedRate: weightedRate, variance: variance, sumWeights: sumWeights, total: total,
            totalPopulation: totalPopulation, levels: levels, multiplier: multiplier)
    }

    // MARK: - Shared steps

    /// The label of band `i` for an error: its label, or its 1-based position.
    static func bandLabel(_ labels: [String], _ i: Int) -> String {
        i < labels.count ? labels[i] : "\(i + 1)"
    }

    /// A valid weight, or the error for band `band`.
    static func checkedWeight(_ w: Double, band: String) throws(IndicatorError) -> Double {
        guard !w.isNaN else { throw IndicatorError("standard weight is missing", band: band) }
        guard w >= 0, w.isFinite else {
            throw IndicatorError("standard weight must be a non-negative number", band: band, value: valueText(w))
        }
        return w
    }

    /// A valid DSR population, or the error for band `band`.
    static func checkedPopulation(_ population: Double?, band: String) throws(IndicatorError) -> Double {
        guard let n = present(population) else {
            throw IndicatorError("population is missing (a DSR needs every band's population)", band: band)
        }
        guard n > 0, n.isFinite else {
            throw IndicatorError("population must be positive for a DSR", band: band, value: valueText(n))
        }
        return n
    }

    /// Turns the sums into the rate and Dobson limits, or the small-count suppression.
    static func finish(
        weightedRate: Double, variance: Double, sumWeights: Double, total: Double, totalPopulation: Double,
        levels: [ConfidenceLevel], multiplier: Double
    ) throws(IndicatorError) -> DirectlyStandardisedRateResult {
        guard sumWeights > 0 else { throw IndicatorError("the standard weights sum to 0") }
        guard total >= 10 else {
            return DirectlyStandardisedRateResult(
                estimate: .suppressed(levels: levels.count, note: smallCountNote), totalCount: total,
                totalPopulation: totalPopulation)
        }
        let dsr = weightedRate / sumWeights
        // √(var/O) with var = variance/(Σw)²: the Dobson scale factor per event.
        let perEvent = (variance / total).squareRoot() / sumWeights
        let limits = levels.map { level in
            let cl = PoissonLimits.limits(count: total, level: level)
            return ConfidenceLimits(
                lower: cl.lower.map { (dsr + perEvent * ($0 - total)) * multiplier },
                upper: cl.upper.map { (dsr + perEvent * ($0 - total)) * multiplier })
        }
        return DirectlyStandardisedRateResult(
            estimate: Estimate(value: dsr * multiplier, limits: limits), totalCount: total,
            totalPopulation: totalPopulation)
    }
}

// Input columns of the SII (METHODS.md §6): standard errors from limits, proportions from
// counts, and the checks that decide whether a group can be used. `compute` itself is in
// `SlopeIndexOfInequality.swift`.

extension SlopeIndexOfInequality {
    /// Standard errors on the transformed scale from 95% limits (METHODS.md §6):
    /// se = (f(upper) − f(lower))/(2·1.959964), f = identity, log or logit for value types 0, 1, 2.
    ///
    /// - Throws: `IndicatorError` naming the quantile (1-based position) for a missing or
    ///   non-finite limit, upper < lower, a rate limit ≤ 0 (no logarithm), or a proportion
    ///   limit outside (0, 1), and for arrays of different lengths.
    /// - Complexity: O(k).
    public static func standardErrors(lower: [Double?], upper: [Double?], valueType: SIIValueType) throws(IndicatorError)
        -> [Double]
    {
        guard lower.count == upper.count else {
            throw IndicatorError(
                "lower and upper confidence limits must have one value per quantile (SII)",
                value: "\(lower.count) and \(upper.count)")
        }
        let z = ConfidenceLevel.ninetyFive.z
        var result: [Double] = []
        result.reserveCapacity(lower.count)
        for j in lower.indices {
            let band = "quantile \(j + 1)"
            guard let low = lower[j], let high = upper[j] else {
                throw IndicatorError("a confidence limit is missing; the standard error cannot be derived (SII)", band: band)
            }
            guard low.isFinite, high.isFinite else {
                throw IndicatorError("confidence limits must be finite (SII)", band: band, value: "\(low), \(high)")
            }
            switch valueType {
            case .proportion:
                for limit in [low, high] where !(limit > 0 && limit < 1) {
                    throw IndicatorError(
                        "a proportion's confidence limit must lie in (0, 1) (SII value type 2)", band: band, value: "\(limit)")
                }
            case .rate:
                for limit in [low, high] where !(limit > 0) {
                    throw IndicatorError(
                        "a rate's confidence limit must be positive to take its logarithm (SII value type 1)", band: band,
                        value: "\(limit)")
                }
            case .untransformed:
                break
            }
            guard high >= low else {
                throw IndicatorError(
                    "upper confidence limit is below the lower limit, giving a negative standard error (SII)", band: band,
                    value: "\(low), \(high)")
            }
            result.append((forward(high, valueType) - forward(low, valueType)) / (2 * z))
        }
        return result
    }

    /// Proportions given as count/population (value type 2): value = count/population and its
    /// logit-scale standard error from the Wilson 95% limits of METHODS.md §2 (`WilsonScore`),
    /// se = (logit(upper) − logit(lower))/(2·1.959964).
    ///
    /// The Wilson form is the one the reference fixture uses: its limit columns are the Wilson
    /// limits to 1e-16, and its standard errors match them (to the 2e-5 relative that z = 1.96
    /// instead of 1.959964 makes), while the delta-method SE 1/√(n·p·(1 − p)) differs by 5e-5.
    /// - Throws: `IndicatorError` for a population ≤ 0, a count < 0 or > population, and a count
    ///   of 0 or equal to the population (the proportion must lie in (0, 1)).
    /// - Complexity: O(k).
    public static func proportions(counts: [Double], populations: [Double]) throws(IndicatorError) -> (
        values: [Double], standardErrors: [Double]
    ) {
        guard counts.count == populations.count else {
            throw IndicatorError(
                "counts and populations must have one value per quantile (SII)", value: "\(counts.count) and \(populations.count)"
            )
        }
        let z = ConfidenceLevel.ninetyFive.z
        var values: [Double] = []
        var errors: [Double] = []
        for j in counts.indices {
            let band = "quantile \(j + 1)"
            let x = counts[j]
            let n = populations[j]
            guard n > 0, n.isFinite else { throw IndicatorError("population must be positive (SII)", band: band, value: "\(n)") }
            guard x >= 0, x <= n else {
                throw IndicatorError("count must lie between 0 and the population (SII)", band: band, value: "\(x)")
            }
            guard x > 0, x < n else {
                throw IndicatorError(
                    "a proportion must lie in (0, 1) for the logit scale (SII value type 2)", band: band, value: "\(x)/\(n)")
            }
            let wilson = WilsonScore.limits(successes: x, trials: n, level: .ninetyFive)
            guard let lower = wilson.lower, let upper = wilson.upper else {
                throw IndicatorError("the Wilson limits of this proportion are not defined (SII)", band: band, value: "\(x)/\(n)")
            }
            values.append(x / n)
            errors.append((logit(upper) - logit(lower)) / (2 * z))
        }
        return (values, errors)
    }

    /// Chooses the standard errors as the reference tools do: the SE column when there is one,
    /// else the SEs derived from both 95% limit columns (`standardErrors(lower:upper:valueType:)`).
    ///
    /// Pass nil for a column the input does not have.
    /// - Throws: `IndicatorError` when there is neither an SE column nor both limit columns, for
    ///   a missing (nil or NaN) or negative SE, and for the limit errors listed there.
    /// - Complexity: O(k).
    public static func resolveStandardErrors(
        standardErrors: [Double?]?, lower: [Double?]?, upper: [Double?]?, valueType: SIIValueType
    ) throws(IndicatorError) -> [Double] {
        if let standardErrors {
            var result: [Double] = []
            for (j, se) in standardErrors.enumerated() {
                guard let se, !se.isNaN else {
                    throw IndicatorError("standard error is missing (SII)", band: "quantile \(j + 1)")
                }
                guard se >= 0, se.isFinite else {
                    throw IndicatorError(
                        "standard error must be a non-negative number (SII)", band: "quantile \(j + 1)", value: "\(se)")
                }
                result.append(se)
            }
            return result
        }
        guard let lower, let upper else {
            throw IndicatorError("the SII needs a standard error column or both 95% confidence-limit columns, and has neither")
        }
        return try Self.standardErrors(lower: lower, upper: upper, valueType: valueType)
    }

    /// Checks the value column of the whole input (METHODS.md §6): it must exist and hold at
    /// least one non-missing value. Pass nil when the input has no value column.
    ///
    /// - Throws: `IndicatorError` for no value column, or one with no non-missing value.
    /// - Complexity: O(n).
    public static func validateValueColumn(_ values: [Double?]?) throws(IndicatorError) {
        guard let values else {
            throw IndicatorError("the SII needs a value column and the input has none")
        }
        guard values.contains(where: { $0.map { !$0.isNaN } ?? false }) else {
            throw IndicatorError("the SII value column has no non-missing value")
        }
    }

    /// Whether one group can be used (METHODS.md §6): nil when it can, else the warning (also
    /// the output note) saying why the group is dropped.
    ///
    /// A group is dropped when it lacks any of the quantiles 1…`expectedQuantileCount` (the
    /// number of quantiles in the input), repeats one, or has a quantile with a missing (nil or
    /// NaN) population or value. Rows are matched by position across the three arrays.
    /// - Complexity: O(k).
    public static func validateGroup(quantiles: [Int], populations: [Double?], values: [Double?], expectedQuantileCount: Int)
        -> String?
    {
        guard quantiles.count == populations.count, quantiles.count == values.count else {
            return "group dropped: quantiles, populations and values have different lengths"
        }
        var reasons: [String] = []
        var seen = [Int](repeating: 0, count: max(expectedQuantileCount, 0) + 1)
        var outside: [Int] = []
        for q in quantiles {
            if q >= 1 && q <= expectedQuantileCount { seen[q] += 1 } else { outside.append(q) }
        }
        let missing = (1...max(expectedQuantileCount, 1)).filter { $0 <= expectedQuantileCount && seen[$0] == 0 }
        let repeated = (1...max(expectedQuantileCount, 1)).filter { $0 <= expectedQuantileCount && seen[$0] > 1 }
        if !missing.isEmpty { reasons.append("no row for quantile \(listed(missing)) of \(expectedQuantileCount)") }
        if !repeated.isEmpty { reasons.append("quantile \(listed(repeated)) appears more than once") }
        if !outside.isEmpty { reasons.append("quantile \(listed(outside)) is outside 1–\(expectedQuantileCount)") }
        let noPopulation = quantiles.indices.filter { populations[$0].map { $0.isNaN } ?? true }.map { quantiles[$0] }
        let noValue = quantiles.indices.filter { values[$0].map { $0.isNaN } ?? true }.map { quantiles[$0] }
        if !noPopulation.isEmpty { reasons.append("missing population for quantile \(listed(noPopulation))") }
        if !noValue.isEmpty { reasons.append("missing value for quantile \(listed(noValue))") }
        return reasons.isEmpty ? nil : "group dropped from the SII: " + reasons.joined(separator: "; ")
    }

    /// Numbers as a message lists them: `1, 3, 4`.
    static func listed(_ numbers: [Int]) -> String {
        numbers.map(String.init).joined(separator: ", ")
    }
}

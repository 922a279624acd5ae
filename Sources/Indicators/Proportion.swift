/// Wilson score confidence limits for a proportion x/n (METHODS.md §2).
///
/// ```
/// (2x + z² ∓ z·√(z² + 4x(1 − x/n))) / (2(n + z²))
/// ```
/// The limits stay inside [0, 1] and behave well at x = 0 and x = n, unlike the Wald interval.
///
/// Sources: E. B. Wilson (1927), "Probable inference, the law of succession, and statistical
/// inference", JASA 22:209–212; R. G. Newcombe (1998), "Two-sided confidence intervals for
/// the single proportion: comparison of seven methods", Stat Med 17:857–872 (method 3);
/// Fingertips technical guidance, "Proportions".
public enum WilsonScore {
    /// The Wilson score limits on the proportion (not multiplied).
    ///
    /// Non-integer x and n are allowed (the Byars/Wilson vector uses x = 0.445, n = 1).
    /// Edge cases: n ≤ 0, x < 0, x > n or a non-finite input gives missing limits (callers
    /// validate and report errors before getting here).
    /// - Complexity: O(1).
    public static func limits(successes x: Double, trials n: Double, level: ConfidenceLevel) -> ConfidenceLimits {
        guard n > 0, x >= 0, x <= n, n.isFinite else { return .missing }
        let z = level.z
        let z2 = z * z
        let centre = 2 * x + z2
        let spread = z * (z2 + 4 * x * (1 - x / n)).squareRoot()
        let denominator = 2 * (n + z2)
        return ConfidenceLimits(lower: (centre - spread) / denominator, upper: (centre + spread) / denominator)
    }
}

/// A proportion x/n times `multiplier` (1 or 100) with Wilson score limits (METHODS.md §2).
///
/// ```
/// p     = x/n · multiplier
/// limit = (2x + z² ∓ z·√(z² + 4x(1 − x/n))) / (2(n + z²)) · multiplier
/// ```
///
/// Source: Fingertips technical guidance, "Proportions"; limits per `WilsonScore`.
public enum Proportion {
    /// The proportion of one group with a pair of Wilson limits per level, times `multiplier`.
    ///
    /// Edge cases: a missing numerator or denominator (nil or NaN) gives a nil value, missing
    /// limits and a note (`"numerator missing"`, `"denominator missing"`,
    /// `"numerator and denominator missing"`); x = 0 and x = n are valid.
    /// - Throws: `IndicatorError` for a negative or infinite numerator or denominator, a
    ///   numerator greater than its denominator, or a denominator of 0 with a numerator present.
    /// - Complexity: O(levels).
    public static func estimate(
        numerator: Double?, denominator: Double?, levels: [ConfidenceLevel], multiplier: Double = 1
    ) throws(IndicatorError) -> Estimate {
        let x = present(numerator), n = present(denominator)
        if let x, !(x >= 0 && x.isFinite) {
            throw IndicatorError("numerator must be a non-negative number", value: valueText(x))
        }
        if let n, !(n >= 0 && n.isFinite) {
            throw IndicatorError("denominator must be a non-negative number", value: valueText(n))
        }
        guard let x, let n else {
            let note =
                x == nil && n == nil
                ? "numerator and denominator missing" : x == nil ? "numerator missing" : "denominator missing"
            return .suppressed(levels: levels.count, note: note)
        }
        guard n > 0 else {
            throw IndicatorError("denominator must be positive where there is a numerator", value: valueText(n))
        }
        guard x <= n else {
            throw IndicatorError(
                "numerator must not exceed the denominator (\(valueText(n)))", value: valueText(x))
        }
        let limits = levels.map { level in
            let cl = WilsonScore.limits(successes: x, trials: n, level: level)
            return ConfidenceLimits(lower: cl.lower.map { $0 * multiplier }, upper: cl.upper.map { $0 * multiplier })
        }
        return Estimate(value: x / n * multiplier, limits: limits)
    }
}

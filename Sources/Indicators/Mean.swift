import NumericCore

/// The mean of a group's values with Student's t limits (METHODS.md §2).
///
/// ```
/// mean ± t⁻¹(1 − α/2; n − 1) · sd/√n,   sd the sample standard deviation (divisor n − 1)
/// ```
///
/// Source: Fingertips technical guidance, "Means"; Student (1908), "The probable error of a
/// mean", Biometrika 6:1–25.
public enum Mean {
    /// The sum, count and sample standard deviation of the non-missing values.
    public struct Summary: Equatable, Sendable {
        /// Σ of the non-missing values.
        public var sum: Double
        /// The number of non-missing values.
        public var count: Int
        /// The mean, or nil when there are no values.
        public var mean: Double?
        /// The sample standard deviation (divisor n − 1), or nil when there are fewer than 2 values.
        public var standardDeviation: Double?
    }

    /// Summarises the non-missing values (nil or NaN are skipped).
    ///
    /// The standard deviation is computed in two passes (mean first, then squared deviations)
    /// so that large values with a small spread lose no precision.
    /// - Complexity: O(n).
    public static func summary(values: [Double?]) -> Summary {
        var sum = 0.0
        var count = 0
        for case let v? in values where !v.isNaN {
            sum += v
            count += 1
        }
        guard count > 0 else { return Summary(sum: 0, count: 0, mean: nil, standardDeviation: nil) }
        let mean = sum / Double(count)
        guard count > 1 else { return Summary(sum: sum, count: count, mean: mean, standardDeviation: nil) }
        var squares = 0.0
        for case let v? in values where !v.isNaN {
            let d = v - mean
            squares += d * d
        }
        return Summary(
            sum: sum, count: count, mean: mean, standardDeviation: (squares / Double(count - 1)).squareRoot())
    }

    /// The mean of the non-missing values with a pair of t limits per level.
    ///
    /// Edge cases: missing values (nil or NaN) are skipped; with fewer than 2 values the
    /// estimate is suppressed (nil value, missing limits, note `"fewer than 2 values"`),
    /// since the standard deviation and t quantile need n − 1 ≥ 1; with all values equal the
    /// limits equal the mean.
    /// - Complexity: O(n + levels); one iterative t quantile per level.
    public static func estimate(values: [Double?], levels: [ConfidenceLevel]) -> Estimate {
        let s = summary(values: values)
        guard let mean = s.mean, let sd = s.standardDeviation else {
            return .suppressed(levels: levels.count, note: "fewer than 2 values")
        }
        let n = Double(s.count)
        let standardError = sd / n.squareRoot()
        let limits = levels.map { level in
            let t = StudentTDistribution.quantile(1 - level.alpha / 2, degreesOfFreedom: n - 1)
            return ConfidenceLimits(lower: mean - t * standardError, upper: mean + t * standardError)
        }
        return Estimate(value: mean, limits: limits)
    }
}

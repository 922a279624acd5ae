import Foundation
import NumericCore

// Implementation notes. Byar's approximation is closed form (one square root and one cube
// per limit), so it is what every hot path uses; the exact limits need a chi-square quantile
// (an iterative inversion in NumericCore) and are only the method for O < 10.

/// Confidence limits for a Poisson count O (METHODS.md §1).
///
/// The limits are on the count itself; callers divide by a population (crude rate, §2) or
/// an expected count (ISR, §4), or use them in Dobson's adjustment (DSR, §3).
///
/// ```swift
/// let cl = PoissonLimits.limits(count: 65, level: .ninetyFive)   // 50.163…, 82.849… (Byar's)
/// ```
///
/// Sources: Byar's approximation as given by N. E. Breslow and N. E. Day (1987),
/// *Statistical Methods in Cancer Research, Vol. II*, IARC Scientific Publications 82, p. 69;
/// exact limits from the chi-square relation of the Poisson and gamma distributions
/// (Garwood 1936); both as in the Fingertips technical guidance ("Confidence intervals").
public enum PoissonLimits {
    /// Limits on a count by the method §1 prescribes: Byar's for O ≥ 10, exact below.
    ///
    /// Edge cases: O = 0 gives lower 0 (exact method); a negative or non-finite count gives
    /// missing limits (callers validate counts and report an error before getting here).
    /// - Complexity: O(1); an iterative chi-square quantile when O < 10.
    public static func limits(count: Double, level: ConfidenceLevel) -> ConfidenceLimits {
        count >= 10 ? byars(count: count, level: level) : exact(count: count, level: level)
    }

    /// Byar's approximation to the Poisson limits on a count.
    ///
    /// ```
    /// lower = O·(1 − 1/(9O) − z/(3√O))³
    /// upper = (O+1)·(1 − 1/(9(O+1)) + z/(3√(O+1)))³
    /// ```
    /// Edge cases: evaluated at small O the cube base of the lower limit can be negative
    /// (O = 1 at 99.8%); the lower limit is then missing, as in the reference. O = 0 gives a
    /// missing lower limit (the formula divides by zero). A negative or non-finite count gives
    /// missing limits.
    /// - Complexity: O(1).
    public static func byars(count: Double, level: ConfidenceLevel) -> ConfidenceLimits {
        guard count >= 0, count.isFinite else { return .missing }
        let z = level.z
        return ConfidenceLimits(lower: byarsLower(count, z: z), upper: byarsUpper(count, z: z))
    }

    /// Exact Poisson limits from the chi-square distribution.
    ///
    /// ```
    /// lower = χ²⁻¹(α/2; 2O)/2   (0 when O = 0)
    /// upper = χ²⁻¹(1 − α/2; 2O + 2)/2,   α = 1 − c
    /// ```
    /// Non-integer counts are allowed (the chi-square quantile takes real degrees of freedom).
    /// A negative or non-finite count gives missing limits.
    /// - Complexity: two iterative chi-square quantile evaluations.
    public static func exact(count: Double, level: ConfidenceLevel) -> ConfidenceLimits {
        guard count >= 0, count.isFinite else { return .missing }
        let alpha = level.alpha
        let lower = count == 0 ? 0 : ChiSquareDistribution.quantile(alpha / 2, degreesOfFreedom: 2 * count) / 2
        let upper = ChiSquareDistribution.quantile(1 - alpha / 2, degreesOfFreedom: 2 * count + 2) / 2
        return ConfidenceLimits(lower: lower, upper: upper)
    }

    /// The name of the method `limits(count:level:)` uses for a count: `"Byars"` for O ≥ 10, `"Exact"` below.
    ///
    /// - Complexity: O(1).
    public static func method(forCount count: Double) -> String {
        count >= 10 ? "Byars" : "Exact"
    }

    // MARK: - Closed-form pieces shared by the batched kernels

    /// Byar's lower limit for a count `o` at critical value `z`; NaN where the cube base is negative or `o` is 0.
    @inline(__always)
    static func byarsLower(_ o: Double, z: Double) -> Double {
        let base = 1 - 1 / (9 * o) - z / (3 * o.squareRoot())
        guard base >= 0 else { return .nan }
        return o * base * base * base
    }

    /// Byar's upper limit for a count `o` at critical value `z`.
    @inline(__always)
    static func byarsUpper(_ o: Double, z: Double) -> Double {
        let o1 = o + 1
        let base = 1 - 1 / (9 * o1) + z / (3 * o1.squareRoot())
        return o1 * base * base * base
    }
}

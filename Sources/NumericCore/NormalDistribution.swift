import Foundation

// Implementation goals, in priority order: accuracy (about 1e-16 relative over the whole
// range), then speed. The quantile is Wichura's algorithm AS 241 (PPND16): rational
// approximations of degree 7 in three regions.
//   M. J. Wichura (1988), "Algorithm AS 241: The Percentage Points of the Normal
//   Distribution", Applied Statistics 37(3), 477–484. https://doi.org/10.2307/2347330

/// The standard normal distribution: quantile, distribution function and density.
public enum NormalDistribution {
    /// The quantile Φ⁻¹(p) of the standard normal distribution (Wichura, AS 241).
    ///
    /// Relative accuracy about 1e-16. Edge cases: `p == 0` gives `-infinity`, `p == 1`
    /// gives `+infinity`, `p` outside [0, 1] or NaN gives NaN.
    /// - Complexity: O(1).
    @inlinable
    public static func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        return ppnd16(p)
    }

    /// The distribution function Φ(x) = P(Z ≤ x), from the C library's `erfc`.
    ///
    /// - Complexity: O(1).
    @inlinable
    public static func cdf(_ x: Double) -> Double {
        0.5 * erfc(-x / 2.0.squareRoot())
    }

    /// The upper tail 1 − Φ(x), accurate where Φ(x) rounds to 1.
    ///
    /// - Complexity: O(1).
    @inlinable
    public static func survival(_ x: Double) -> Double {
        0.5 * erfc(x / 2.0.squareRoot())
    }

    /// The density φ(x) = exp(−x²/2)/√(2π).
    ///
    /// - Complexity: O(1).
    @inlinable
    public static func density(_ x: Double) -> Double {
        exp(-0.5 * x * x) * 0.398_942_280_401_432_677_94
    }

    /// The two-sided critical value z for a confidence level c: Φ⁻¹(1 − (1 − c)/2) (METHODS.md §0).
    ///
    /// `z(for: 0.95)` is 1.959963984540054; `z(for: 0.998)` is 3.090232306167813.
    /// - Complexity: O(1).
    @inlinable
    public static func z(for confidence: Double) -> Double {
        quantile(1 - (1 - confidence) / 2)
    }

    @usableFromInline
    static func ppnd16(_ p: Double) -> Double {
        let q = p - 0.5
        if abs(q) <= 0.425 {
            let r = 0.180625 - q * q
            let num =
                (((((((2.5090809287301226727e3 * r + 3.3430575583588128105e4) * r
                    + 6.7265770927008700853e4) * r + 4.5921953931549871457e4) * r
                    + 1.3731693765509461125e4) * r + 1.9715909503065514427e3) * r
                    + 1.3314166789178437745e2) * r + 3.3871328727963666080e0)
            let den =
                (((((((5.2264952788528545610e3 * r + 2.8729085735721942674e4) * r
                    + 3.9307895800092710610e4) * r + 2.1213794301586595867e4) * r
                    + 5.3941960214247511077e3) * r + 6.8718700749205790830e2) * r
                    + 4.2313330701600911252e1) * r + 1.0)
            return q * num / den
        }
        var r = q < 0 ? p : 1 - p
        r = (-log(r)).squareRoot()
        var value: Double
        if r <= 5 {
            r -= 1.6
            let num =
                (((((((7.74545014278341407640e-4 * r + 2.27238449892691845833e-2) * r
                    + 2.41780725177450611770e-1) * r + 1.27045825245236838258e0) * r
                    + 3.64784832476320460504e0) * r + 5.76949722146069140550e0) * r
                    + 4.63033784615654529590e0) * r + 1.42343711074968357734e0)
            let den =
                (((((((1.05075007164441684324e-9 * r + 5.47593808499534494600e-4) * r
                    + 1.51986665636164571966e-2) * r + 1.48103976427480074590e-1) * r
                    + 6.89767334985100004550e-1) * r + 1.67638483018380384940e0) * r
                    + 2.05319162663775882187e0) * r + 1.0)
            value = num / den
        } else {
            r -= 5
            let num =
                (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r
                    + 1.24266094738807843860e-3) * r + 2.65321895265761230930e-2) * r
                    + 2.96560571828504891230e-1) * r + 1.78482653991729133580e0) * r
                    + 5.46378491116411436990e0) * r + 6.65790464350110377720e0)
            let den =
                (((((((2.04426310338993978564e-15 * r + 1.42151175831644588870e-7) * r
                    + 1.84631831751005468180e-5) * r + 7.86869131145613259100e-4) * r
                    + 1.48753612908506148525e-2) * r + 1.36929880922735805310e-1) * r
                    + 5.99832206555887937690e-1) * r + 1.0)
            value = num / den
        }
        return q < 0 ? -value : value
    }
}

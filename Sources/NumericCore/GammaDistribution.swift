import Foundation

// Implementation goals, in priority order: accuracy (1e-12 relative or better for the shapes
// public-health limits use, a ≤ ~100), robustness at the tails, then speed.
//
// The regularised incomplete gamma functions use the power series for P(a, x) when
// x < a + 1 and the Legendre continued fraction for Q(a, x) otherwise, evaluated with the
// modified Lentz method (Lentz 1976; Thompson & Barnett 1986). The quantile starts from the
// Wilson–Hilferty approximation (or the small-p power law) and refines it with safeguarded
// Halley steps on whichever tail keeps full relative precision.
//   E. B. Wilson, M. M. Hilferty (1931), "The distribution of chi-square", PNAS 17, 684–688.

/// The gamma distribution with shape `a` and unit scale: regularised incomplete gamma functions and the quantile.
public enum GammaDistribution {
    /// The regularised lower incomplete gamma function P(a, x) = γ(a, x)/Γ(a), the distribution function.
    ///
    /// Edge cases: `x <= 0` gives 0; `x == .infinity` gives 1; `a <= 0` or NaN gives NaN.
    /// - Complexity: O(√a) iterations, at most 10,000.
    public static func cdf(_ x: Double, shape a: Double) -> Double {
        guard a > 0, !x.isNaN, !a.isNaN else { return .nan }
        if x <= 0 { return 0 }
        if x == .infinity { return 1 }
        if x < a + 1 { return lowerSeries(a, x) }
        return 1 - upperContinuedFraction(a, x)
    }

    /// The regularised upper incomplete gamma function Q(a, x) = 1 − P(a, x), accurate in the upper tail.
    ///
    /// - Complexity: O(√a) iterations, at most 10,000.
    public static func survival(_ x: Double, shape a: Double) -> Double {
        guard a > 0, !x.isNaN, !a.isNaN else { return .nan }
        if x <= 0 { return 1 }
        if x == .infinity { return 0 }
        if x < a + 1 { return 1 - lowerSeries(a, x) }
        return upperContinuedFraction(a, x)
    }

    /// The density x^(a−1)·e^(−x)/Γ(a).
    ///
    /// - Complexity: O(1).
    public static func density(_ x: Double, shape a: Double) -> Double {
        guard x > 0 else { return x == 0 && a == 1 ? 1 : 0 }
        return exp((a - 1) * log(x) - x - lgamma(a))
    }

    /// The quantile: the x with P(a, x) = p.
    ///
    /// Edge cases: `p == 0` gives 0, `p == 1` gives `+infinity`, `p` outside [0, 1] or `a <= 0` gives NaN.
    /// - Complexity: a few Halley steps, each O(√a).
    public static func quantile(_ p: Double, shape a: Double) -> Double {
        guard a > 0, p >= 0, p <= 1 else { return .nan }
        if p == 0 { return 0 }
        if p == 1 { return .infinity }
        let upperTail = p > 0.5
        let q = 1 - p
        var x = initialGuess(p, a)
        // Bracket [lo, hi] kept so that a wild step is replaced by bisection.
        var lo = 0.0
        var hi = Double.infinity
        for _ in 0..<200 {
            // f(x) is increasing in x in both forms.
            let f = upperTail ? q - survival(x, shape: a) : cdf(x, shape: a) - p
            if f == 0 { return x }
            if f < 0 { lo = x } else { hi = x }
            let dens = density(x, shape: a)
            var next: Double
            if dens > 0 && dens.isFinite {
                let t = f / dens
                // Halley correction: f''/f' = (a − 1)/x − 1, damped as in safeguarded solvers.
                let curvature = t * ((a - 1) / x - 1)
                let step = t / max(0.5, 1 - 0.5 * min(1, max(-1, curvature)))
                next = x - step
            } else {
                next = .nan
            }
            if !(next > lo && next < hi) || next.isNaN {
                next = hi.isFinite ? 0.5 * (lo + hi) : max(2 * x, lo * 2 + 1)
            }
            if abs(next - x) <= 4 * Double.ulpOfOne * x {
                return next
            }
            x = next
        }
        return x
    }

    // MARK: - Internals

    /// The log of the common prefactor x^a·e^(−x)/Γ(a).
    private static func logPrefactor(_ a: Double, _ x: Double) -> Double {
        a * log(x) - x - lgamma(a)
    }

    /// P(a, x) by the power series Σ xⁿ/((a)(a+1)…(a+n)); converges fast for x < a + 1.
    private static func lowerSeries(_ a: Double, _ x: Double) -> Double {
        var term = 1 / a
        var sum = term
        var n = a
        for _ in 0..<10_000 {
            n += 1
            term *= x / n
            sum += term
            if abs(term) < abs(sum) * 1e-17 { break }
        }
        return sum * exp(logPrefactor(a, x))
    }

    /// Q(a, x) by the continued fraction, modified Lentz; converges fast for x ≥ a + 1.
    private static func upperContinuedFraction(_ a: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1..<10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-17 { break }
        }
        return exp(logPrefactor(a, x)) * h
    }

    /// A starting point for the quantile: Wilson–Hilferty, or the small-x power law where that fails.
    private static func initialGuess(_ p: Double, _ a: Double) -> Double {
        let nu = 2 * a
        let z = NormalDistribution.quantile(p)
        let c = 2 / (9 * nu)
        let wh = nu * pow(1 - c + z * c.squareRoot(), 3) / 2
        // Small-x behaviour: P(a, x) ≈ x^a/Γ(a + 1).
        let power = exp((log(p) + lgamma(a + 1)) / a)
        if wh <= 0 || !wh.isFinite { return power }
        if a < 1 && p < 0.5 { return min(wh, power) }
        return wh
    }
}

/// The chi-square distribution with ν degrees of freedom: a gamma distribution with shape ν/2 and scale 2.
public enum ChiSquareDistribution {
    /// The quantile χ²⁻¹(p; ν) = 2·Γ⁻¹(p; ν/2), as used for exact Poisson limits (METHODS.md §1).
    ///
    /// `quantile(0.025, degreesOfFreedom: 2)` is 0.05063561596857975.
    /// - Complexity: as `GammaDistribution.quantile`.
    public static func quantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        2 * GammaDistribution.quantile(p, shape: nu / 2)
    }

    /// The distribution function P(X ≤ x) with ν degrees of freedom.
    ///
    /// - Complexity: as `GammaDistribution.cdf`.
    public static func cdf(_ x: Double, degreesOfFreedom nu: Double) -> Double {
        GammaDistribution.cdf(x / 2, shape: nu / 2)
    }
}

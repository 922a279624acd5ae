import Foundation

// Implementation goals: accuracy (1e-12 relative) first. The distribution function is the
// regularised incomplete beta function I_x(ν/2, 1/2) with x = ν/(ν + t²), by its continued
// fraction (modified Lentz). The quantile is exact for ν = 1 and ν = 2 and otherwise
// refined by bracketed Newton steps from a Cornish–Fisher start.
//   G. W. Hill (1970), "Algorithm 396: Student's t-quantiles", CACM 13(10), 619–620
//   (the expansion used for the starting point).

/// Student's t distribution with ν degrees of freedom.
public enum StudentTDistribution {
    /// The quantile t⁻¹(p; ν), used for the confidence limits of a mean (METHODS.md §2).
    ///
    /// Edge cases: `p == 0.5` gives 0; `p` of 0 or 1 gives ∓infinity; `ν <= 0` gives NaN.
    /// - Complexity: a few Newton steps, each one continued-fraction evaluation.
    public static func quantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        guard nu > 0, p >= 0, p <= 1 else { return .nan }
        if p == 0.5 { return 0 }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p < 0.5 { return -upperQuantile(p, nu) }
        return upperQuantile(1 - p, nu)
    }

    /// The distribution function P(T ≤ t).
    ///
    /// - Complexity: one continued-fraction evaluation.
    public static func cdf(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        let tail = upperTail(abs(t), nu)
        return t >= 0 ? 1 - tail : tail
    }

    /// The density of t with ν degrees of freedom.
    ///
    /// - Complexity: O(1).
    public static func density(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        let logNorm = lgamma((nu + 1) / 2) - lgamma(nu / 2) - 0.5 * log(nu * Double.pi)
        return exp(logNorm - (nu + 1) / 2 * log1p(t * t / nu))
    }

    /// The t ≥ 0 with P(T > t) = q, for 0 < q ≤ 0.5.
    private static func upperQuantile(_ q: Double, _ nu: Double) -> Double {
        if nu == 1 { return tan(Double.pi * (0.5 - q)) }
        if nu == 2 { return (1 - 2 * q) / (2 * q * (1 - q)).squareRoot() }
        // Cornish–Fisher start from the normal quantile.
        let z = NormalDistribution.quantile(1 - q)
        let z3 = z * z * z, z5 = z3 * z * z
        var t = z + (z3 + z) / (4 * nu) + (5 * z5 + 16 * z3 + 3 * z) / (96 * nu * nu)
        if !(t > 0) || !t.isFinite { t = z > 0 ? z : 1 }
        var lo = 0.0
        var hi = Double.infinity
        for _ in 0..<200 {
            let f = upperTail(t, nu) - q  // decreasing in t
            if f == 0 { return t }
            if f > 0 { lo = t } else { hi = t }
            let dens = density(t, degreesOfFreedom: nu)
            var next = t + f / dens
            if !(next > lo && next < hi) || !next.isFinite {
                next = hi.isFinite ? 0.5 * (lo + hi) : 2 * t + 1
            }
            if abs(next - t) <= 4 * Double.ulpOfOne * t { return next }
            t = next
        }
        return t
    }

    /// P(T > t) for t ≥ 0.
    private static func upperTail(_ t: Double, _ nu: Double) -> Double {
        if t == .infinity { return 0 }
        let x = nu / (nu + t * t)
        return 0.5 * BetaFunction.regularizedIncomplete(x, nu / 2, 0.5)
    }
}

/// The regularised incomplete beta function, used by Student's t.
public enum BetaFunction {
    /// I_x(a, b), by its continued fraction (modified Lentz), using the symmetry I_x(a,b) = 1 − I_{1−x}(b,a).
    ///
    /// - Complexity: O(√max(a, b)) iterations, at most 10,000.
    public static func regularizedIncomplete(_ x: Double, _ a: Double, _ b: Double) -> Double {
        guard a > 0, b > 0, x >= 0, x <= 1 else { return .nan }
        if x == 0 { return 0 }
        if x == 1 { return 1 }
        let logFront = a * log(x) + b * log1p(-x) - (lgamma(a) + lgamma(b) - lgamma(a + b))
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * continuedFraction(x, a, b) / a
        }
        let logFrontSwapped = b * log1p(-x) + a * log(x) - (lgamma(a) + lgamma(b) - lgamma(a + b))
        return 1 - exp(logFrontSwapped) * continuedFraction(1 - x, b, a) / b
    }

    private static func continuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1..<10_000 {
            let md = Double(m)
            let m2 = 2 * md
            var aa = md * (b - md) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + md) * (qab + md) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return h
    }
}

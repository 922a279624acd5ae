/// A crude rate O/n per `multiplier` people with Poisson limits (METHODS.md §2).
///
/// ```
/// rate  = O/n · multiplier
/// limit = L(O)/n · multiplier,   L from PoissonLimits (§1: Byar's for O ≥ 10, exact below)
/// ```
///
/// Source: Fingertips technical guidance, "Crude rates"; Poisson limits per `PoissonLimits`.
public enum CrudeRate {
    /// The crude rate of one group with a pair of limits per level.
    ///
    /// Edge cases and decisions:
    /// - a missing count or population (nil or NaN) gives a nil value, missing limits and a
    ///   note (`"count missing"`, `"population missing"`, `"count and population missing"`);
    ///   the row is kept, as in the reference;
    /// - O = 0 is a valid rate of 0, with exact limits (lower 0);
    /// - O > n is allowed (events, not people: the fixture's Area12 has 250 events in 220).
    /// - Throws: `IndicatorError` for a negative or infinite count, a negative or infinite
    ///   population, or a population of 0 with a count present (the rate would be infinite;
    ///   the reference stops on a non-positive denominator).
    /// - Complexity: O(levels); an iterative quantile per level when O < 10.
    public static func estimate(
        count: Double?, population: Double?, levels: [ConfidenceLevel], multiplier: Double = 100_000
    ) throws(IndicatorError) -> Estimate {
        let o = present(count), n = present(population)
        if let o, !(o >= 0 && o.isFinite) {
            throw IndicatorError("count must be a non-negative number", value: valueText(o))
        }
        if let n, !(n >= 0 && n.isFinite) {
            throw IndicatorError("population must be a non-negative number", value: valueText(n))
        }
        guard let o, let n else {
            let note =
                o == nil && n == nil ? "count and population missing" : o == nil ? "count missing" : "population missing"
            return .suppressed(levels: levels.count, note: note)
        }
        guard n > 0 else {
            throw IndicatorError("population must be positive where there is a count", value: valueText(n))
        }
        let scale = multiplier / n
        let limits = levels.map { level in
            let cl = PoissonLimits.limits(count: o, level: level)
            return ConfidenceLimits(lower: cl.lower.map { $0 * scale }, upper: cl.upper.map { $0 * scale })
        }
        return Estimate(value: o * scale, limits: limits)
    }
}

// MARK: - Helpers shared by the methods in this module

/// A value as an error shows it: whole numbers without a decimal point (`-26`, `0`), others as Swift prints them.
func valueText(_ x: Double?) -> String {
    guard let x else { return "missing" }
    if x.isFinite, x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    return "\(x)"
}

/// nil for a missing input (nil or NaN, METHODS.md §0), the value otherwise.
@inline(__always)
func present(_ x: Double?) -> Double? {
    guard let x, !x.isNaN else { return nil }
    return x
}

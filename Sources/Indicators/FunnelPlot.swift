import Foundation
import NumericCore

// Funnel plots (METHODS.md §13): control limits around the average of many areas, drawn
// against the size of each area, at 95.0% ("2 sigma", p = 0.025 each side) and 99.8%
// ("3 sigma", p = 0.001 each side).
//
// Sources:
//   D. J. Spiegelhalter (2005), "Funnel plots for comparing institutional performance",
//   Statistics in Medicine 24(8), 1185–1202. https://doi.org/10.1002/sim.1970
//   Public Health England / OHID, Fingertips technical guidance, "Funnel plots", and the APHO
//   funnel plot tools; the reference vectors are PHEindicatormethods' funnel fixtures.
//
// Two outputs, one file: `FunnelPlot.assess` gives each input point its value, its limits
// and its significance label; `FunnelPlot.limits` gives the curves for a chart (N points
// along the denominator axis). Both share the target (the pooled average) and the derived
// denominators computed by `FunnelPlot.Basis`.
//
// Where this departs from the reference tools, and why:
// - The curves' Poisson limits are the exact chi-square limits; the reference finds them by
//   bisection to 1e-7 on a transformed scale, which leaves the curves at one observed event
//   up to 5e-5 (relative) off the exact value.
// - Proportion limits on the curves are clipped to [0, multiplier]; the reference clips
//   to [0, 100] whatever the multiplier.
// - A DSR funnel does not need denominators for rows with no events (the rate is 0 and the
//   row is "not applicable" anyway); the reference asks for the column all the same.

/// How a ratio funnel expresses its limits (METHODS.md §13: `count` or `isr`).
public enum FunnelRatioType: String, Sendable, CaseIterable {
    /// The ratio minus 1: 0 is "as expected" (the reference's `count`).
    case count
    /// The indirectly standardised ratio × 100: 100 is "as expected" (the reference's `isr`).
    case isr
}

/// Which rate a rate funnel is drawn for (METHODS.md §13: `dsr` or `crude`).
public enum FunnelRateType: String, Sendable, CaseIterable {
    /// Directly standardised rates: points with fewer than 10 events are not applicable.
    case dsr
    /// Crude rates: a point with no events needs its denominator.
    case crude
}

/// The statistic a funnel plot is drawn for, with its scale (METHODS.md §13).
public enum FunnelStatistic: Sendable, Equatable {
    /// Proportions x/n times `multiplier` (1, or 100 for percentages), Wilson-type limits.
    case proportion(multiplier: Double)
    /// Ratios of observed to expected counts with exact Poisson limits, as a count or an ISR.
    case ratio(FunnelRatioType)
    /// Rates per `multiplier` over `years` years of data, Poisson limits on the events.
    case rate(FunnelRateType, multiplier: Double, years: Double)

    /// The name of the curves' axis column, as the reference writes it: `Population`,
    /// `Observed_events` or `Events` (METHODS.md §13).
    public var axisName: String {
        switch self {
        case .proportion: return "Population"
        case .ratio: return "Observed_events"
        case .rate: return "Events"
        }
    }

    /// The statistic as the reference labels its curves: `proportion`, `ratio (isr)`,
    /// `rate (dsr per 100,000)` (METHODS.md §13).
    public var label: String {
        switch self {
        case .proportion: return "proportion"
        case .ratio(let type): return "ratio (\(type.rawValue))"
        case .rate(let type, let multiplier, _):
            return "rate (\(type.rawValue) per \(Self.grouped(multiplier)))"
        }
    }

    /// The method of the limits as the reference names it: `Wilson` or `Poisson` (METHODS.md §13).
    public var method: String {
        switch self {
        case .proportion: return "Wilson"
        case .ratio, .rate: return "Poisson"
        }
    }

    /// A number with thousands separators, as R's `format(big.mark = ",")` writes a multiplier.
    static func grouped(_ x: Double) -> String {
        guard x.isFinite, x == x.rounded(), abs(x) < 1e15 else { return "\(x)" }
        let digits = String(Int64(abs(x)))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (x < 0 ? "-" : "") + out
    }
}

/// Where a point lies against the funnel's control limits, with the reference's exact labels (METHODS.md §13).
public enum FunnelSignificance: String, Sendable, CaseIterable {
    /// Above the 99.8% limit.
    case highP001 = "High (0.001)"
    /// Above the 95% limit, inside the 99.8% limit.
    case highP025 = "High (0.025)"
    /// Below the 99.8% limit.
    case lowP001 = "Low (0.001)"
    /// Below the 95% limit, inside the 99.8% limit.
    case lowP025 = "Low (0.025)"
    /// Inside the 95% limits.
    case notSignificant = "Not significant"
    /// A DSR from fewer than 10 events: not tested (METHODS.md §3, §13).
    case notApplicable = "Not applicable for events less than 10 for dsrs"
}

/// One input point of a funnel plot: its value, its limits and its significance (METHODS.md §13).
public struct FunnelPointResult: Equatable, Sendable {
    /// The point's value on the funnel's scale: proportion × multiplier, ratio − 1 (`count`) or
    /// ratio × 100 (`isr`), or the rate as given.
    public var value: Double?
    /// The control limits at this point, 95.0% then 99.8% (`FunnelPlot.levels`), on the value's scale.
    public var limits: [ConfidenceLimits]
    /// Where the value lies against the limits, with the reference's label.
    public var significance: FunnelSignificance
    /// The x coordinate of the point on a chart: the denominator (proportions), the expected
    /// count (ratios), or the derived population per year, multiplier·O/rate/years (rates);
    /// nil for a DSR from fewer than 10 events, which is not drawn.
    public var chartDenominator: Double?

    /// Creates a point result.
    public init(value: Double?, limits: [ConfidenceLimits], significance: FunnelSignificance, chartDenominator: Double?) {
        self.value = value.flatMap { $0.isFinite ? $0 : nil }
        self.limits = limits
        self.significance = significance
        self.chartDenominator = chartDenominator.flatMap { $0.isFinite ? $0 : nil }
    }
}

/// Every input point of a funnel plot assessed against the limits around one target (METHODS.md §13).
public struct FunnelAssessment: Equatable, Sendable {
    /// The target on the values' scale: ΣO/ΣN × multiplier (proportions, rates); 0 (`count`)
    /// or 100 (`isr`) for ratios.
    public var baseline: Double
    /// One result per input point, in input order.
    public var points: [FunnelPointResult]

    /// Creates an assessment.
    public init(baseline: Double, points: [FunnelPointResult]) {
        self.baseline = baseline
        self.points = points
    }
}

/// One point of the funnel's curves for a chart (METHODS.md §13).
public struct FunnelCurvePoint: Equatable, Sendable {
    /// The position along the axis (`FunnelStatistic.axisName`): the denominator (proportions),
    /// or the observed events (ratios and rates).
    public var axis: Double
    /// The curves' values at this point, 95.0% then 99.8% (`FunnelPlot.levels`).
    public var limits: [ConfidenceLimits]
    /// Ratios: the expected count at which `axis` events lie on each limit; rates: the
    /// population per year at which they do; nil for proportions. Per level, paired with `limits`.
    public var denominators: [ConfidenceLimits]?
    /// The target line: ΣO/ΣN × multiplier; nil for ratios (the reference draws none).
    public var baseline: Double?

    /// Creates a curve point.
    public init(axis: Double, limits: [ConfidenceLimits], denominators: [ConfidenceLimits]?, baseline: Double?) {
        self.axis = axis
        self.limits = limits
        self.denominators = denominators
        self.baseline = baseline
    }
}

/// Invalid input to a funnel plot, with the row (1-based, in input order) and value at fault (METHODS.md §13).
public struct FunnelError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The input row the problem is in (from 1), when there is one.
    public var row: Int?
    /// The offending value as text, when there is one.
    public var value: String?
    /// What is wrong and what to do, without the location.
    public var message: String

    /// Creates an error with its message and optional location.
    public init(_ message: String, row: Int? = nil, value: String? = nil) {
        self.message = message
        self.row = row
        self.value = value
    }

    /// One sentence: the row, the value, and what was expected.
    public var description: String {
        let location = row.map { "row \($0): " } ?? ""
        let shown = value.map { " (value \($0))" } ?? ""
        return location + message + shown
    }
}

/// Funnel plot control limits and significance for proportions, ratios and rates (METHODS.md §13).
///
/// ```swift
/// let statistic = FunnelStatistic.proportion(multiplier: 100)
/// let result = try FunnelPlot.assess(statistic, numerators: x, denominators: n)
/// let curves = try FunnelPlot.limits(statistic, numerators: x, denominators: n, points: 100)
/// ```
///
/// Inputs per point (arrays in the same order):
/// - proportion: numerator x and denominator n (0 ≤ x ≤ n, n > 0);
/// - ratio: observed count O ≥ 0 and expected count E > 0;
/// - rate: events O ≥ 0 and the rate (DSR or crude, per multiplier); denominators only for
///   crude rates with O = 0.
public enum FunnelPlot {
    /// The two levels of every funnel plot: 95.0% and 99.8%, in the order of all `limits` arrays.
    public static let levels: [ConfidenceLevel] = ConfidenceLevel.defaults

    /// The column names of one assessed point, as the CLI writes them (METHODS.md §13).
    public static let pointColumns = [
        "value", "lower95_0limit", "upper95_0limit", "lower99_8limit", "upper99_8limit", "significance",
    ]

    /// Each point's value, control limits at 95.0% and 99.8%, and significance label (METHODS.md §13).
    ///
    /// - Proportions, target p̄ = Σx/Σn: for z at 0.975 and 0.999, A = p̄(n/z² + 1),
    ///   B = 1/z² + 1/n, C = p̄[n(p̄(n/z² + 2) − 1) + z²(p̄ − 1)]; limits (A ∓ √(A² − B·C))/(B·n)
    ///   × multiplier, clipped to [0, multiplier]. Labels are tested in the order Low (0.001),
    ///   Low (0.025), High (0.001), High (0.025).
    /// - Ratios: the point's own limits O_L/U from §1 (exact below 10 events, Byar's from 10)
    ///   give its limits O/O_U and O/O_L around the target 1 (so the value O/E lies above the
    ///   upper limit exactly when O_L/E > 1); labels High (0.001), High (0.025), Low (0.001),
    ///   Low (0.025) in that order.
    /// - Rates: derived denominators D = multiplier·O/rate (a crude rate with O = 0 uses its
    ///   denominator; a DSR with O = 0 has none), target r̄ = ΣO/ΣD; limits r̄·O/O_U and
    ///   r̄·O/O_L × multiplier; labels as for ratios; a DSR from fewer than 10 events is
    ///   "Not applicable for events less than 10 for dsrs" and has no limits.
    ///
    /// Edge cases: O = 0 gives a lower limit of 0 and no upper limit (ratios and rates); such a
    /// point is Low when even its upper limit O_U lies below the expected count.
    /// - Parameters:
    ///   - numerators: x (proportions), O (ratios, rates).
    ///   - denominators: n (proportions), E (ratios); for rates, optional (empty for none),
    ///     used only where a crude rate has O = 0.
    ///   - rates: the rate of each point (rates only; empty otherwise).
    /// - Throws: `FunnelError` naming the row for a missing, negative or non-finite input, a
    ///   denominator ≤ 0, x > n, a rate ≤ 0 where O > 0, a crude rate with O = 0 and no
    ///   denominator, arrays of different lengths, an empty input, or a bad multiplier or years.
    /// - Complexity: O(points); an iterative quantile for each ratio or rate point with O < 10.
    public static func assess(
        _ statistic: FunnelStatistic, numerators: [Double?], denominators: [Double?] = [], rates: [Double?] = []
    ) throws(FunnelError) -> FunnelAssessment {
        let basis = try Basis(statistic, numerators: numerators, denominators: denominators, rates: rates)
        switch statistic {
        case .proportion(let multiplier):
            let p = basis.average
            let points = zip(basis.numerators, basis.denominators).map { x, n -> FunnelPointResult in
                let n = n ?? .nan
                let value = x / n
                let limits = zStatistics.map { z in proportionLimits(average: p, denominator: n, z: z) }
                let significance: FunnelSignificance
                if value < limits[1].lower {
                    significance = .lowP001
                } else if value < limits[0].lower {
                    significance = .lowP025
                } else if value > limits[1].upper {
                    significance = .highP001
                } else if value > limits[0].upper {
                    significance = .highP025
                } else {
                    significance = .notSignificant
                }
                let shown = limits.map { l in
                    ConfidenceLimits(lower: max(0, l.lower) * multiplier, upper: min(1, l.upper) * multiplier)
                }
                return FunnelPointResult(
                    value: value * multiplier, limits: shown, significance: significance, chartDenominator: n)
            }
            return FunnelAssessment(baseline: p * multiplier, points: points)

        case .ratio(let type):
            let points = zip(basis.numerators, basis.denominators).map { o, e -> FunnelPointResult in
                let e = e ?? .nan
                let counts = levels.map { PoissonLimits.limits(count: o, level: $0) }
                let significance = poissonSignificance(counts: counts, expected: e)
                let limits = counts.map {
                    ConfidenceLimits(
                        lower: ratioScale(o / ($0.upper ?? .nan), type), upper: ratioScale(o / ($0.lower ?? .nan), type))
                }
                return FunnelPointResult(
                    value: ratioScale(o / e, type), limits: limits, significance: significance, chartDenominator: e)
            }
            return FunnelAssessment(baseline: ratioScale(1, type), points: points)

        case .rate(let type, let multiplier, let years):
            let r = basis.average
            let points = basis.numerators.indices.map { i -> FunnelPointResult in
                let o = basis.numerators[i]
                let value = basis.rates[i]
                if type == .dsr && o < 10 {
                    return FunnelPointResult(
                        value: value, limits: Array(repeating: .missing, count: levels.count),
                        significance: .notApplicable, chartDenominator: nil)
                }
                let d = basis.denominators[i] ?? .nan
                let counts = levels.map { PoissonLimits.limits(count: o, level: $0) }
                let significance = poissonSignificance(counts: counts, expected: r * d)
                let limits = counts.map {
                    ConfidenceLimits(
                        lower: r * o / ($0.upper ?? .nan) * multiplier, upper: r * o / ($0.lower ?? .nan) * multiplier)
                }
                return FunnelPointResult(value: value, limits: limits, significance: significance, chartDenominator: d / years)
            }
            return FunnelAssessment(baseline: r * multiplier, points: points)
        }
    }

    /// The funnel's curves for a chart: `points` positions along the axis with the limits at
    /// 95.0% and 99.8% (METHODS.md §13; the reference's `calculate_funnel_limits`).
    ///
    /// The axis runs from max(1, lo) to hi with D the denominators (derived for rates):
    /// lo = 0 when max D > 2·min D, else min D·0.95 rounded down to its leading digit
    /// (`floor(x/10ⁿ)·10ⁿ`, n = digits − 1); hi = max D·1.05 rounded up to two leading digits
    /// (n = digits − 2); for rates both are taken per year (÷ years, rounded, × years) and
    /// turned into events (lo·r̄ rounded down, hi·r̄ rounded up). Successive positions are
    /// xⱼ = max(round((hi/xⱼ₋₁)^(1/(N + 1 − j))·xⱼ₋₁), xⱼ₋₁ + 1), j = 2…N (N + 2 − j for
    /// ratios, whose last point stops short of hi, as in the reference), rounding half to even.
    ///
    /// At each position: proportions as in `assess` (clipped to [0, multiplier]); ratios
    /// O/μ_U(O) and O/μ_L(O) with the exact Poisson limits of §1 at the expected counts μ, minus
    /// 1 (`count`) or × 100 (`isr`); rates r̄·O/μ_U(O) and r̄·O/μ_L(O) × multiplier, with the
    /// populations per year μ/r̄/years.
    /// - Parameters: as `assess`, and `points` N ≥ 2 (the reference draws 100).
    /// - Throws: `FunnelError` as `assess`, and for fewer than 2 points.
    /// - Complexity: O(n + N); two chi-square quantiles per level per position for ratios and rates.
    public static func limits(
        _ statistic: FunnelStatistic, numerators: [Double?], denominators: [Double?] = [], rates: [Double?] = [],
        points: Int = 100
    ) throws(FunnelError) -> [FunnelCurvePoint] {
        guard points >= 2 else {
            throw FunnelError("a funnel plot needs at least 2 points along its axis; ask for more", value: "\(points)")
        }
        let basis = try Basis(statistic, numerators: numerators, denominators: denominators, rates: rates)
        let axis = axisPositions(statistic, basis: basis, count: points)
        switch statistic {
        case .proportion(let multiplier):
            let p = basis.average
            return axis.map { n in
                let limits = zStatistics.map { z in
                    let l = proportionLimits(average: p, denominator: n, z: z)
                    return ConfidenceLimits(lower: max(0, l.lower) * multiplier, upper: min(1, l.upper) * multiplier)
                }
                return FunnelCurvePoint(axis: n, limits: limits, denominators: nil, baseline: p * multiplier)
            }
        case .ratio(let type):
            return axis.map { o in
                let expected = levels.map { PoissonLimits.exact(count: o, level: $0) }
                let limits = expected.map {
                    ConfidenceLimits(
                        lower: ratioScale(o / ($0.upper ?? .nan), type), upper: ratioScale(o / ($0.lower ?? .nan), type))
                }
                let denominators = expected.map { ConfidenceLimits(lower: $0.upper, upper: $0.lower) }
                return FunnelCurvePoint(axis: o, limits: limits, denominators: denominators, baseline: nil)
            }
        case .rate(_, let multiplier, let years):
            let r = basis.average
            return axis.map { o in
                let expected = levels.map { PoissonLimits.exact(count: o, level: $0) }
                let limits = expected.map {
                    ConfidenceLimits(
                        lower: r * o / ($0.upper ?? .nan) * multiplier, upper: r * o / ($0.lower ?? .nan) * multiplier)
                }
                let denominators = expected.map {
                    ConfidenceLimits(lower: ($0.upper ?? .nan) / r / years, upper: ($0.lower ?? .nan) / r / years)
                }
                return FunnelCurvePoint(axis: o, limits: limits, denominators: denominators, baseline: r * multiplier)
            }
        }
    }

    // MARK: - Internals

    /// The validated inputs of one funnel: counts, the denominators the target is pooled over
    /// (derived for rates), the rates, and the target itself.
    struct Basis {
        var numerators: [Double]
        /// n, E, or the derived denominator (nil for a DSR with no events).
        var denominators: [Double?]
        /// The rates as given (rate funnels only; nil for a DSR from 0 events without one).
        var rates: [Double?]
        /// ΣO/ΣD over the points that have a denominator.
        var average: Double

        init(_ statistic: FunnelStatistic, numerators: [Double?], denominators: [Double?], rates: [Double?])
            throws(FunnelError)
        {
            let k = numerators.count
            guard k > 0 else { throw FunnelError("a funnel plot needs at least one point and the input has none") }
            let isRate: Bool
            switch statistic {
            case .proportion(let multiplier):
                guard multiplier > 0, multiplier.isFinite else {
                    throw FunnelError(
                        "the multiplier must be a positive number (1, or 100 for percentages)", value: valueText(multiplier))
                }
                isRate = false
            case .ratio:
                isRate = false
            case .rate(_, let multiplier, let years):
                guard multiplier > 0, multiplier.isFinite else {
                    throw FunnelError("the multiplier must be a positive number (e.g. 100000)", value: valueText(multiplier))
                }
                guard years > 0, years.isFinite else {
                    throw FunnelError("the number of years of data must be positive", value: valueText(years))
                }
                isRate = true
            }
            let denominatorName: String
            if case .ratio = statistic { denominatorName = "expected count" } else { denominatorName = "denominator" }
            if isRate {
                guard rates.count == k else {
                    throw FunnelError(
                        "a rate funnel needs one rate per point: \(k) numerators and \(rates.count) rates",
                        value: nil)
                }
                guard denominators.isEmpty || denominators.count == k else {
                    throw FunnelError(
                        "give one denominator per point or none: \(k) numerators and \(denominators.count) denominators")
                }
            } else {
                guard denominators.count == k else {
                    throw FunnelError(
                        "a funnel plot needs one \(denominatorName) per point: \(k) numerators and \(denominators.count) \(denominatorName)s"
                    )
                }
            }

            var counts: [Double] = []
            counts.reserveCapacity(k)
            for (i, o) in numerators.enumerated() {
                guard let o = present(o) else {
                    throw FunnelError(
                        "numerator is missing; every point of a funnel plot needs one (fill it or drop the row)", row: i + 1)
                }
                guard o >= 0, o.isFinite else {
                    throw FunnelError("numerator must be zero or more", row: i + 1, value: valueText(o))
                }
                counts.append(o)
            }

            var given: [Double?] = Array(repeating: nil, count: k)
            for (i, d) in denominators.enumerated() {
                let d = present(d)
                if let d, !(d > 0 && d.isFinite) {
                    throw FunnelError("\(denominatorName) must be greater than zero", row: i + 1, value: valueText(d))
                }
                given[i] = d
            }

            var derived: [Double?] = []
            var values: [Double?] = []
            switch statistic {
            case .proportion, .ratio:
                for i in 0..<k {
                    guard let d = given[i] else {
                        throw FunnelError(
                            "\(denominatorName) is missing; every point of a funnel plot needs one (fill it or drop the row)",
                            row: i + 1)
                    }
                    if case .proportion = statistic, counts[i] > d {
                        throw FunnelError(
                            "numerator must not exceed its denominator (\(valueText(d))) for a proportion", row: i + 1,
                            value: valueText(counts[i]))
                    }
                }
                derived = given
            case .rate(let type, let multiplier, _):
                for i in 0..<k {
                    let o = counts[i]
                    let rate = present(rates[i])
                    if let rate, !(rate >= 0 && rate.isFinite) {
                        throw FunnelError("rate must be zero or more", row: i + 1, value: valueText(rate))
                    }
                    values.append(rate)
                    if o == 0 {
                        if type == .dsr {
                            derived.append(nil)
                        } else {
                            guard let d = given[i] else {
                                throw FunnelError(
                                    "a crude rate with 0 events needs its denominator to place it; give the denominator column",
                                    row: i + 1)
                            }
                            derived.append(d)
                        }
                    } else {
                        guard let rate else {
                            throw FunnelError(
                                "rate is missing; every point with events needs its rate (only a DSR from 0 events may lack one)",
                                row: i + 1)
                        }
                        guard rate > 0 else {
                            throw FunnelError(
                                "rate must be positive where there are events (\(valueText(o)))", row: i + 1,
                                value: valueText(rate))
                        }
                        derived.append(multiplier * o / rate)
                    }
                }
            }

            let pooled = derived.reduce(0) { $0 + ($1 ?? 0) }
            guard pooled > 0 else {
                throw FunnelError("the denominators add up to zero, so the funnel has no target; check the input")
            }
            self.numerators = counts
            self.denominators = derived
            self.rates = values
            self.average = counts.reduce(0, +) / pooled
        }
    }

    /// The critical values z at 0.975 and 0.999, in the order of `levels`.
    static let zStatistics: [Double] = levels.map(\.z)

    /// The proportion funnel's limits at denominator n around p̄, unclipped, as fractions.
    static func proportionLimits(average p: Double, denominator n: Double, z: Double) -> (lower: Double, upper: Double) {
        let z2 = z * z
        let a = p * (n / z2 + 1)
        let b = 1 / z2 + 1 / n
        let c = p * (n * (p * (n / z2 + 2) - 1) + z2 * (p - 1))
        let root = (a * a - b * c).squareRoot()
        return ((a - root) / (b * n), (a + root) / (b * n))
    }

    /// The label of a count O against its expected count, from O's own limits per level
    /// (95.0%, 99.8%): High when O_L > expected, Low when O_U < expected, outer level first.
    static func poissonSignificance(counts: [ConfidenceLimits], expected: Double) -> FunnelSignificance {
        // O = 0 has a lower limit of 0, never above the expected count.
        let lower95 = counts[0].lower ?? 0, upper95 = counts[0].upper ?? .infinity
        let lower998 = counts[1].lower ?? 0, upper998 = counts[1].upper ?? .infinity
        if lower998 / expected > 1 { return .highP001 }
        if lower95 / expected > 1 { return .highP025 }
        if upper998 / expected < 1 { return .lowP001 }
        if upper95 / expected < 1 { return .lowP025 }
        return .notSignificant
    }

    /// A ratio on the reported scale: minus 1 (`count`) or × 100 (`isr`).
    static func ratioScale(_ ratio: Double, _ type: FunnelRatioType) -> Double {
        switch type {
        case .count: return ratio - 1
        case .isr: return ratio * 100
        }
    }

    /// The positions along the axis (denominators, or events for ratios and rates).
    static func axisPositions(_ statistic: FunnelStatistic, basis: Basis, count: Int) -> [Double] {
        let ds = basis.denominators.compactMap { $0 }
        let smallest = ds.min() ?? 0, largest = ds.max() ?? 0
        var low: Double, high: Double
        var offset = 0
        switch statistic {
        case .proportion:
            low = largest > 2 * smallest ? 0 : neatFloor(smallest)
            high = neatCeiling(largest)
        case .ratio:
            low = largest > 2 * smallest ? 0 : neatFloor(smallest)
            high = neatCeiling(largest)
            offset = 1
        case .rate(_, _, let years):
            low = largest > 2 * smallest ? 0 : neatFloor(smallest / years) * years
            high = neatCeiling(largest / years) * years
            low = (low * basis.average).rounded(.down)
            high = (high * basis.average).rounded(.up)
        }
        var positions = [max(1, low)]
        positions.reserveCapacity(count)
        for j in 2...count {
            let previous = positions[positions.count - 1]
            let step = pow(high / previous, 1 / Double(count + 1 + offset - j)) * previous
            positions.append(max(step.rounded(.toNearestOrEven), previous + 1))
        }
        return positions
    }

    /// x·0.95 rounded down to its leading digit, for a tidy axis start (0 stays 0).
    static func neatFloor(_ x: Double) -> Double {
        guard x > 0 else { return 0 }
        let scaled = x * 0.95
        let n = Double(digitCount(scaled.rounded(.down)) - 1)
        let unit = pow(10, n)
        return (scaled / unit).rounded(.down) * unit
    }

    /// x·1.05 rounded up to two leading digits, for a tidy axis end (0 stays 0).
    static func neatCeiling(_ x: Double) -> Double {
        guard x > 0 else { return 0 }
        let scaled = x * 1.05
        let n = Double(digitCount(scaled.rounded(.up)) - 2)
        let unit = pow(10, n)
        return (scaled / unit).rounded(.up) * unit
    }

    /// The number of decimal digits of a whole number ≥ 0 (1 for 0).
    static func digitCount(_ x: Double) -> Int {
        var digits = 1
        var bound = 10.0
        while x >= bound {
            digits += 1
            bound *= 10
        }
        return digits
    }
}

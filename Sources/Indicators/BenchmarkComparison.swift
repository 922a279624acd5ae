import NumericCore

// Implementation notes. Every method reduces to two facts: the direction (is the value above or
// below the benchmark?) and how strongly it differs (0: not at all, 1: at the first level, 2: at
// the second). `word(direction:strength:polarity:levels:)` turns those into §11's words, so the
// polarity mapping is written once. Missing data is never an error: the outcome is
// `not compared` with the reason. Only a request that cannot be carried out at all (control
// limits without a value type, a unit of 0) throws.

/// How to judge whether a higher value is good (METHODS.md §11).
public enum Polarity: String, Sendable, CaseIterable, Codable {
    /// Higher is better: higher → better, lower → worse.
    case highIsGood = "high_is_good"
    /// Lower is better: lower → better, higher → worse.
    case lowIsGood = "low_is_good"
    /// Neither: reported as higher / similar / lower.
    case neutral
    /// Never compared (e.g. a contextual count).
    case notApplicable = "not_applicable"
}

/// How a value is compared with its benchmark (METHODS.md §11).
public enum ComparisonMethod: String, Sendable, CaseIterable, Codable {
    /// Similar when the benchmark lies inside the value's 95% interval (the default).
    case ci95
    /// Two levels: similar inside the 95% interval, better/worse inside the 99.8% interval, best/worst beyond it.
    case ci95And99_8 = "ci95_99_8"
    /// Similar when the value's and the benchmark's 95% intervals overlap.
    case overlap
    /// Similar when the value lies inside control limits around the benchmark (proportions and DSRs).
    case controlLimits = "control_limits"
}

/// The outcome of a comparison, in METHODS.md §11's words.
public enum ComparisonOutcome: String, Sendable, CaseIterable, Codable {
    /// Significantly better at the (first) level.
    case better
    /// Not significantly different.
    case similar
    /// Significantly worse at the (first) level.
    case worse
    /// Better at the second level (99.8%) too.
    case best
    /// Worse at the second level (99.8%) too.
    case worst
    /// Significantly higher, for a neutral polarity.
    case higher
    /// Significantly lower, for a neutral polarity.
    case lower
    /// Not compared; the comparison's `reason` says why.
    case notCompared = "not compared"

    /// The word as Fingertips prints it in its exports: `Better`, `Not compared`.
    public var fingertipsLabel: String {
        rawValue.prefix(1).uppercased() + rawValue.dropFirst()
    }
}

/// What the value of a control-limit comparison is (METHODS.md §11).
public enum ControlLimitValueType: String, Sendable, CaseIterable {
    /// A proportion per `unit` (1, 100, …): Wilson-style limits around the benchmark.
    case proportion
    /// A directly standardised rate per `unit` (100,000, …): Poisson limits on the expected count.
    case dsr
}

/// A comparison with a benchmark: the outcome, why it was not made, and the control limits used (METHODS.md §11).
///
/// ```swift
/// let c = try BenchmarkComparison.compare(
///     value: 2.6, lower95: 2.5, upper95: 2.7, lower99_8: 2.3, upper99_8: 2.9,
///     benchmark: 3, polarity: .lowIsGood, method: .ci95And99_8)
/// c.outcome   // .best
/// ```
///
/// The benchmark B (England, the region, the ICB, a goal) is taken as fixed, except by the
/// `overlap` method, which uses its 95% interval. Source: Fingertips technical guidance
/// ("Benchmarking"), the Fingertips comparator unit tests (`reference/methods/comparisons_*.csv`).
public struct BenchmarkComparison: Equatable, Sendable {
    /// The outcome.
    public var outcome: ComparisonOutcome
    /// Why the value was not compared; nil when it was.
    public var reason: String?
    /// The control limits around the benchmark, one pair per level (`control_limits` only; empty otherwise).
    public var controlLimits: [ConfidenceLimits]

    /// Creates a comparison result (METHODS.md §11).
    public init(outcome: ComparisonOutcome, reason: String? = nil, controlLimits: [ConfidenceLimits] = []) {
        self.outcome = outcome
        self.reason = reason
        self.controlLimits = controlLimits
    }

    /// A `not compared` result with its reason (METHODS.md §11).
    public static func notCompared(_ reason: String) -> BenchmarkComparison {
        BenchmarkComparison(outcome: .notCompared, reason: reason)
    }

    /// Compares a value (with its limits) with a benchmark by `method` under `polarity` (METHODS.md §11).
    ///
    /// ```
    /// ci95:            similar when L95 ≤ B ≤ U95, else higher (value > B) or lower
    /// ci95_99_8:       similar inside [L95, U95]; better/worse inside [L99.8, U99.8]; best/worst beyond
    /// overlap:         similar when the lower item's U95 ≥ the other's L95
    /// control_limits:  similar when the value lies in the control limits around B at each level
    /// ```
    /// Polarity maps higher/lower to better/worse (`high_is_good`), worse/better (`low_is_good`), or
    /// leaves them (`neutral`); the second level only sharpens better/worse to best/worst.
    ///
    /// Edge cases: the outcome is `not compared`, with the reason, when the polarity is
    /// `not_applicable`, the value or benchmark is missing (nil or NaN), a limit the method uses
    /// is missing or the limits are out of order, or (control limits) the denominator is missing
    /// or not positive. Bounds are inclusive: B on a limit is similar.
    /// - Parameters:
    ///   - controlBasis: the denominator, unit and value type; required by `control_limits` only.
    ///   - controlLevels: the levels of the control limits (one: better/similar/worse at that
    ///     level; two: the two-level words), 95% by default.
    /// - Throws: `IndicatorError` when `control_limits` has no basis or 1 or 2 levels, or the
    ///   basis cannot be used (see ``controlLimits(benchmark:basis:level:)``).
    /// - Complexity: O(1); two iterative gamma quantiles per level for DSR control limits.
    public static func compare(
        value: Double?, lower95: Double?, upper95: Double?, lower99_8: Double? = nil, upper99_8: Double? = nil,
        benchmark: Double?, benchmarkLower95: Double? = nil, benchmarkUpper95: Double? = nil,
        polarity: Polarity, method: ComparisonMethod = .ci95,
        controlBasis: ControlLimitsBasis? = nil, controlLevels: [ConfidenceLevel] = [.ninetyFive]
    ) throws(IndicatorError) -> BenchmarkComparison {
        if method == .controlLimits {
            guard let controlBasis else {
                throw IndicatorError("the control_limits method needs a denominator, unit and value type (proportion or dsr)")
            }
            guard controlLevels.count == 1 || controlLevels.count == 2 else {
                throw IndicatorError(
                    "control limits are computed at one or two levels", value: "\(controlLevels.count) levels")
            }
            try controlBasis.validate()
        }
        guard polarity != .notApplicable else {
            return .notCompared("polarity is not_applicable: this indicator is never compared")
        }
        guard let value = present(value) else { return .notCompared("value missing") }
        guard let b = present(benchmark) else { return .notCompared("benchmark value missing") }
        let direction: Direction = value > b ? .higher : value < b ? .lower : .same

        switch method {
        case .ci95, .ci95And99_8:
            guard let l95 = present(lower95), let u95 = present(upper95) else {
                return .notCompared(missingText("95% limit", lower95, upper95) + " missing")
            }
            guard l95 <= u95 else { return .notCompared(outOfOrder("95%", l95, u95)) }
            if l95 <= b && b <= u95 { return BenchmarkComparison(outcome: .similar) }
            guard method == .ci95And99_8 else {
                return BenchmarkComparison(outcome: word(direction, strength: 1, polarity: polarity))
            }
            guard let l998 = present(lower99_8), let u998 = present(upper99_8) else {
                return .notCompared(missingText("99.8% limit", lower99_8, upper99_8) + " missing (ci95_99_8 needs them)")
            }
            guard l998 <= u998 else { return .notCompared(outOfOrder("99.8%", l998, u998)) }
            let strength = l998 <= b && b <= u998 ? 1 : 2
            return BenchmarkComparison(outcome: word(direction, strength: strength, polarity: polarity))

        case .overlap:
            guard let l95 = present(lower95), let u95 = present(upper95) else {
                return .notCompared(missingText("95% limit", lower95, upper95) + " missing")
            }
            guard let bl = present(benchmarkLower95), let bu = present(benchmarkUpper95) else {
                return .notCompared(
                    "benchmark " + missingText("95% limit", benchmarkLower95, benchmarkUpper95)
                        + " missing (the overlap method needs them)")
            }
            guard l95 <= u95 else { return .notCompared(outOfOrder("95%", l95, u95)) }
            guard bl <= bu else { return .notCompared("benchmark " + outOfOrder("95%", bl, bu)) }
            let overlaps: Bool
            switch direction {
            case .same: overlaps = true
            case .lower: overlaps = u95 >= bl
            case .higher: overlaps = bu >= l95
            }
            return BenchmarkComparison(outcome: overlaps ? .similar : word(direction, strength: 1, polarity: polarity))

        case .controlLimits:
            guard let basis = controlBasis else { return .notCompared("control limits need a denominator") }
            guard let n = present(basis.denominator) else { return .notCompared("denominator missing") }
            guard n > 0 else { return .notCompared("denominator \(valueText(n)) is not positive") }
            var limits: [ConfidenceLimits] = []
            var strength = 0
            for level in controlLevels.sorted() {
                let cl = try controlLimits(benchmark: b, basis: basis, level: level)
                limits.append(cl)
                let below = cl.lower.map { value < $0 } ?? false
                let above = cl.upper.map { value > $0 } ?? false
                if below || above { strength += 1 }
            }
            // One level: outside its limits is better/worse, whatever the level (the reference's 99.8% rows).
            let outcome: ComparisonOutcome =
                strength == 0 ? .similar : word(direction, strength: controlLevels.count == 1 ? 1 : strength, polarity: polarity)
            return BenchmarkComparison(outcome: outcome, controlLimits: limits)
        }
    }

    /// Control limits around the benchmark B for an area with denominator N (METHODS.md §11).
    ///
    /// ```
    /// proportion: p₀ = B/unit, E = N·p₀, A = 2E + z²
    ///             limits = (A ∓ √(z²(z² + 4E(1 − p₀)))) / (2(N + z²)) · unit
    /// dsr:        E = B·N/unit; μ_L: P(X ≥ ⌈E⌉ | μ_L) = α/2, μ_U: P(X ≤ ⌊E⌋ | μ_U) = α/2
    ///             limits = μ_L/N·unit, μ_U/N·unit
    /// ```
    /// The Poisson means come from the gamma relation P(X ≥ k | μ) = P(Γ(k) ≤ μ): μ_L is the α/2
    /// quantile of Γ(⌈E⌉) (0 when ⌈E⌉ = 0) and μ_U the 1 − α/2 quantile of Γ(⌊E⌋ + 1). Rounding E
    /// up for the lower limit and down for the upper is Fingertips' rule (its search sums whole counts).
    /// - Throws: `IndicatorError` for a denominator that is missing or not positive, a negative
    ///   benchmark, or a proportion benchmark above the unit.
    /// - Complexity: O(1) for proportions; two iterative gamma quantiles for DSRs.
    public static func controlLimits(
        benchmark: Double, basis: ControlLimitsBasis, level: ConfidenceLevel
    ) throws(IndicatorError) -> ConfidenceLimits {
        try basis.validate()
        guard let n = present(basis.denominator), n > 0, n.isFinite else {
            throw IndicatorError("control limits need a positive denominator", value: valueText(basis.denominator))
        }
        guard benchmark >= 0, benchmark.isFinite else {
            throw IndicatorError("a benchmark for control limits must be a non-negative number", value: valueText(benchmark))
        }
        let unit = basis.unit
        switch basis.valueType {
        case .proportion:
            let p0 = benchmark / unit
            guard p0 <= 1 else {
                throw IndicatorError(
                    "a proportion benchmark must not exceed the unit \(valueText(unit)); check --unit",
                    value: valueText(benchmark))
            }
            let z = level.z
            let z2 = z * z
            let e = n * p0
            let a = 2 * e + z2
            let root = (z2 * (z2 + 4 * e * (1 - p0))).squareRoot()
            let scale = unit / (2 * (n + z2))
            return ConfidenceLimits(lower: (a - root) * scale, upper: (a + root) * scale)
        case .dsr:
            let e = benchmark * n / unit
            let p = level.alpha / 2
            let up = e.rounded(.up)
            let down = e.rounded(.down)
            let muLower = up == 0 ? 0 : GammaDistribution.quantile(p, shape: up)
            let muUpper = GammaDistribution.quantile(1 - p, shape: down + 1)
            return ConfidenceLimits(lower: muLower / n * unit, upper: muUpper / n * unit)
        }
    }

    /// Where the value is relative to the benchmark.
    private enum Direction { case higher, lower, same }

    /// §11's word for a difference in `direction` significant at `strength` levels (1 or 2).
    private static func word(_ direction: Direction, strength: Int, polarity: Polarity) -> ComparisonOutcome {
        let higherIsBetter: Bool
        switch polarity {
        case .highIsGood: higherIsBetter = true
        case .lowIsGood: higherIsBetter = false
        case .neutral, .notApplicable:
            switch direction {
            case .higher: return .higher
            case .lower: return .lower
            case .same: return .similar
            }
        }
        switch direction {
        case .same: return .similar
        case .higher, .lower:
            let good = (direction == .higher) == higherIsBetter
            if strength >= 2 { return good ? .best : .worst }
            return good ? .better : .worse
        }
    }

    /// `lower 95% limit`, `upper 95% limit` or `95% limits`, whichever are missing.
    private static func missingText(_ what: String, _ lower: Double?, _ upper: Double?) -> String {
        switch (present(lower), present(upper)) {
        case (nil, nil): return what + "s"
        case (nil, _): return "lower " + what
        default: return "upper " + what
        }
    }

    private static func outOfOrder(_ level: String, _ lower: Double, _ upper: Double) -> String {
        "the lower \(level) limit \(valueText(lower)) is above the upper \(valueText(upper))"
    }
}

/// The denominator, unit and value type that control limits need (METHODS.md §11).
public struct ControlLimitsBasis: Equatable, Sendable {
    /// The area's denominator N (population or persons); nil when missing.
    public var denominator: Double?
    /// The unit of the value and benchmark: 100 for a percentage, 100,000 for a rate per 100,000.
    public var unit: Double
    /// Whether the value is a proportion or a DSR.
    public var valueType: ControlLimitValueType

    /// Creates a basis (METHODS.md §11).
    public init(denominator: Double?, unit: Double, valueType: ControlLimitValueType) {
        self.denominator = denominator
        self.unit = unit
        self.valueType = valueType
    }

    /// Throws for a unit that is not a positive number.
    func validate() throws(IndicatorError) {
        guard unit > 0, unit.isFinite else {
            throw IndicatorError("the unit of control limits must be a positive number (--unit)", value: valueText(unit))
        }
    }
}

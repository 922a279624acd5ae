import Foundation

// Gap measures reported beside the SII (METHODS.md §8): the absolute and relative range
// between the most and least deprived quantiles, and the Core20 comparison.
//
// Source: Fingertips technical guidance (inequality gap measures; Core20PLUS5), with the
// standard errors recovered from each value's 95% limits as the PHE SII tool does.

/// One side of a gap: a value with its 95% limits on the original scale, or a standard error.
///
/// Build it from the statistic of one quantile (or of Core20 / the rest of an area). `note`
/// says why the part is missing or suppressed (e.g. the part's own suppression note); it is
/// carried into the note of a range that cannot be computed.
public struct RangeInput: Equatable, Sendable {
    /// The value, or nil where missing or suppressed.
    public var value: Double?
    /// The lower 95% limit, on the original scale.
    public var lower95: Double?
    /// The upper 95% limit, on the original scale.
    public var upper95: Double?
    /// A standard error on the original scale, used instead of the limits by the absolute range.
    public var standardError: Double?
    /// Why the part is missing or suppressed, when it is.
    public var note: String?

    /// Creates a part from its value and either its 95% limits or its standard error.
    public init(
        value: Double?, lower95: Double? = nil, upper95: Double? = nil, standardError: Double? = nil,
        note: String? = nil
    ) {
        self.value = value
        self.lower95 = lower95
        self.upper95 = upper95
        self.standardError = standardError
        self.note = note
    }

    /// Creates a part from an `Estimate` computed at `levels`, taking its 95% limits (if 95%
    /// is among the levels) and its note.
    /// - Complexity: O(levels).
    public init(_ estimate: Estimate, levels: [ConfidenceLevel]) {
        let k = levels.firstIndex { abs($0.fraction - 0.95) < 1e-12 }
        let limits = k.flatMap { $0 < estimate.limits.count ? estimate.limits[$0] : nil }
        self.init(value: estimate.value, lower95: limits?.lower, upper95: limits?.upper, note: estimate.note)
    }
}

/// What the two sides of a gap are called in notes.
public struct RangeRoles: Equatable, Sendable {
    /// The name of the side in the role of quantile 1 (the most deprived).
    public var mostDeprived: String
    /// The name of the side in the role of quantile k (the least deprived).
    public var leastDeprived: String

    /// Creates names for the two sides.
    public init(mostDeprived: String, leastDeprived: String) {
        self.mostDeprived = mostDeprived
        self.leastDeprived = leastDeprived
    }

    /// Quantile 1 against quantile k.
    public static let quantiles = RangeRoles(mostDeprived: "quantile 1", leastDeprived: "quantile k")
    /// Core20 (national IMD deciles 1–2) against the rest of the same area.
    public static let core20 = RangeRoles(mostDeprived: "Core20", leastDeprived: "rest of area")
}

/// The absolute and relative range between the most and least deprived (METHODS.md §8).
///
/// Each side is a `RangeInput`: a value and its 95% limits on the original scale (or, for the
/// absolute range, a standard error). Standard errors are recovered from 95% limits with the
/// exact z = Φ⁻¹(0.975) = 1.959964.
///
/// **Core20.** The Core20 comparison (the LSOAs of an area in national IMD deciles 1–2
/// against the rest of the same area) is the same two functions with Core20 in the role of
/// quantile 1 (`mostDeprived`) and the rest in the role of quantile k (`leastDeprived`):
/// difference = rest − Core20, ratio = Core20/rest. Pass `roles: .core20` so that notes name
/// the parts; a part with no LSOAs or a suppressed statistic is a `RangeInput` with a nil
/// value (and its note), and the range is then not computed, with a note naming the part.
///
/// Ranges ignore the SII multiplier.
///
/// Source: Fingertips technical guidance; METHODS.md §8.
public enum InequalityRange {
    /// The absolute range value(k) − value(1), least minus most deprived (METHODS.md §8).
    ///
    /// ```
    /// range = v_k − v_1
    /// se_j  = given SE, or (upper95_j − lower95_j)/(2·1.959964)
    /// SE    = √(se_1² + se_k²);  limits range ± z·SE at each level
    /// ```
    /// The orientation is that of the SII, so a life-expectancy gap is positive.
    ///
    /// Edge cases: a missing value on either side: not computed (value and limits empty, note
    /// naming the side, with the side's own note). A side with neither an SE nor both 95%
    /// limits, or with upper < lower or a negative SE: the range is reported without limits,
    /// with a note.
    /// - Complexity: O(levels).
    public static func absolute(
        mostDeprived: RangeInput, leastDeprived: RangeInput, levels: [ConfidenceLevel],
        roles: RangeRoles = .quantiles
    ) -> Estimate {
        if let note = missingValueNote(mostDeprived, leastDeprived, roles: roles) {
            return .suppressed(levels: levels.count, note: note)
        }
        let v1 = mostDeprived.value!, vk = leastDeprived.value!
        let range = vk - v1
        let z95 = ConfidenceLevel.ninetyFive.z
        var problems: [String] = []
        func standardError(_ part: RangeInput, _ name: String) -> Double? {
            if let se = part.standardError, se.isFinite {
                guard se >= 0 else { problems.append("negative standard error for \(name)"); return nil }
                return se
            }
            guard let lower = part.lower95, let upper = part.upper95, lower.isFinite, upper.isFinite else {
                problems.append("no 95% limits or standard error for \(name)")
                return nil
            }
            guard upper >= lower else { problems.append("95% limits reversed for \(name)"); return nil }
            return (upper - lower) / (2 * z95)
        }
        let se1 = standardError(mostDeprived, roles.mostDeprived)
        let sek = standardError(leastDeprived, roles.leastDeprived)
        guard let se1, let sek else {
            return Estimate(
                value: range, limits: Array(repeating: .missing, count: levels.count),
                note: "limits not computed: " + problems.joined(separator: "; "))
        }
        let se = (se1 * se1 + sek * sek).squareRoot()
        let limits = levels.map { level in
            ConfidenceLimits(lower: range - level.z * se, upper: range + level.z * se)
        }
        return Estimate(value: range, limits: limits)
    }

    /// The relative range value(1)/value(k), most over least deprived (METHODS.md §8).
    ///
    /// For rates and proportions:
    /// ```
    /// ratio = v_1 / v_k
    /// se′_j = (ln upper95_j − ln lower95_j)/(2·1.959964)
    /// limits exp(ln ratio ± z·√(se′_1² + se′_k²)) at each level
    /// ```
    /// Edge cases: not computed (value and limits empty, note) when a value is missing, or
    /// when either value or either lower limit is ≤ 0 (the log scale needs positive
    /// numbers). A side without both 95% limits, or with upper < lower: the ratio is reported
    /// without limits, with a note. `standardError` is not used: it is on the original scale,
    /// and this range needs the log scale.
    /// - Complexity: O(levels).
    public static func relative(
        mostDeprived: RangeInput, leastDeprived: RangeInput, levels: [ConfidenceLevel],
        roles: RangeRoles = .quantiles
    ) -> Estimate {
        if let note = missingValueNote(mostDeprived, leastDeprived, roles: roles) {
            return .suppressed(levels: levels.count, note: note)
        }
        let v1 = mostDeprived.value!, vk = leastDeprived.value!
        var reasons: [String] = []
        for (part, name) in [(mostDeprived, roles.mostDeprived), (leastDeprived, roles.leastDeprived)] {
            if part.value! <= 0 { reasons.append("\(name) value ≤ 0") }
            if let lower = part.lower95, lower <= 0 { reasons.append("\(name) lower 95% limit ≤ 0") }
        }
        if !reasons.isEmpty {
            return .suppressed(levels: levels.count, note: "not computed: " + reasons.joined(separator: "; "))
        }
        let ratio = v1 / vk
        let z95 = ConfidenceLevel.ninetyFive.z
        var problems: [String] = []
        func logStandardError(_ part: RangeInput, _ name: String) -> Double? {
            guard let lower = part.lower95, let upper = part.upper95, lower.isFinite, upper.isFinite else {
                problems.append("no 95% limits for \(name)")
                return nil
            }
            guard upper >= lower else { problems.append("95% limits reversed for \(name)"); return nil }
            return (log(upper) - log(lower)) / (2 * z95)
        }
        let se1 = logStandardError(mostDeprived, roles.mostDeprived)
        let sek = logStandardError(leastDeprived, roles.leastDeprived)
        guard let se1, let sek else {
            return Estimate(
                value: ratio, limits: Array(repeating: .missing, count: levels.count),
                note: "limits not computed: " + problems.joined(separator: "; "))
        }
        let se = (se1 * se1 + sek * sek).squareRoot()
        let logRatio = log(ratio)
        let limits = levels.map { level in
            ConfidenceLimits(lower: exp(logRatio - level.z * se), upper: exp(logRatio + level.z * se))
        }
        return Estimate(value: ratio, limits: limits)
    }

    /// "not computed: Core20 value missing (its note)", or nil when both values are present.
    private static func missingValueNote(_ most: RangeInput, _ least: RangeInput, roles: RangeRoles) -> String? {
        var parts: [String] = []
        for (part, name) in [(most, roles.mostDeprived), (least, roles.leastDeprived)] {
            guard let value = part.value, value.isFinite else {
                parts.append("\(name) value missing" + (part.note.map { " (\($0))" } ?? ""))
                continue
            }
        }
        return parts.isEmpty ? nil : "not computed: " + parts.joined(separator: "; ")
    }
}

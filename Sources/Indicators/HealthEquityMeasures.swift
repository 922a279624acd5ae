import Foundation

// Summary measures of health inequality across population subgroups, as the WHO Health
// Equity Assessment Toolkit (HEAT) defines them (METHODS.md §14).
//
// Sources:
//   A. Schlotheuber, A. R. Hosseinpoor (2022), "Summary measures of health inequality: a
//   review of existing measures and their application", International Journal of
//   Environmental Research and Public Health 19(6), 3697. https://doi.org/10.3390/ijerph19063697
//   World Health Organization, Health Equity Assessment Toolkit (HEAT): technical notes;
//   the reference values are those of WHO's healthequal package tests.
//   S. D. Walter (1978), "Calculation of attributable risks from epidemiological data",
//   International Journal of Epidemiology 7(2), 175–182 (the PAF's standard error).
//   Ahn et al. (2018), the analytic standard errors of the Theil index and mean log deviation
//   that HEAT uses (as cited in METHODS.md §14).
//
// Where this departs from HEAT, and why:
// - HEAT attaches the PAF's fraction-scale SE to the per-cent PAF, and the unscaled SEs of the
//   TI and MLD to their values × 1000; here every SE and limit is on the scale of its value
//   (PAF: 100 × SE; TI, MLD: 1000 × SE), so that value ± z·SE is the interval (METHODS.md §14).
// - HEAT simulates limits for BGSD, MDMW and IDISW with R's generator and a fixed seed; those
//   draws cannot be reproduced outside R, so these three are reported without limits.

/// Whether more of an indicator is good (coverage) or bad (mortality) (METHODS.md §14).
public enum IndicatorDirection: String, Sendable, CaseIterable {
    /// More is better: the best group has the highest value.
    case favourable
    /// More is worse: the best group has the lowest value.
    case adverse
}

/// The summary measures of METHODS.md §14, named as HEAT names them.
public enum HealthEquityMeasure: String, Sendable, CaseIterable {
    /// Relative concentration index (ordered dimensions only).
    case rci
    /// Absolute concentration index (ordered dimensions only).
    case aci
    /// Population attributable risk: y_ref − μ.
    case par
    /// Population attributable fraction: 100·PAR/μ, in per cent.
    case paf
    /// Between-group variance.
    case bgv
    /// Between-group standard deviation, √BGV.
    case bgsd
    /// Theil index × 1000.
    case ti
    /// Mean log deviation × 1000.
    case mld
    /// Mean difference from the mean, weighted.
    case mdmw
    /// Index of disparity, weighted, in per cent.
    case idisw

    /// Whether the measure needs an ordered dimension (1 = most disadvantaged) (METHODS.md §14).
    public var needsOrder: Bool { self == .rci || self == .aci }

    /// Every measure that applies to a dimension: all ten when it is ordered, all but RCI and ACI otherwise (METHODS.md §14).
    public static func applicable(ordered: Bool) -> [HealthEquityMeasure] {
        allCases.filter { ordered || !$0.needsOrder }
    }

    /// The measure a user names, by its name or output name (`ti` or `ti_x1000`), any case (METHODS.md §14).
    public init?(name: String) {
        let word = name.lowercased()
        guard let measure = Self.allCases.first(where: { $0.rawValue == word || $0.outputName == word }) else { return nil }
        self = measure
    }

    /// The measure as an output row names it: the raw value, with `_x1000` for TI and MLD (METHODS.md §14).
    public var outputName: String {
        switch self {
        case .ti, .mld: return rawValue + "_x1000"
        default: return rawValue
        }
    }

    /// The factor from the measure's fraction scale to its reported scale: 100 (PAF), 1000 (TI, MLD), else 1 (METHODS.md §14).
    public var reportedScale: Double {
        switch self {
        case .paf: return 100
        case .ti, .mld: return 1000
        default: return 1
        }
    }
}

/// One population subgroup of an inequality dimension (METHODS.md §14).
public struct HealthEquityGroup: Equatable, Sendable {
    /// The subgroup's name, used in error messages (e.g. `Quintile 1`, `North`).
    public var name: String
    /// Its population (weights the shares pⱼ); ≥ 0, not all 0.
    public var population: Double
    /// Its indicator value yⱼ.
    public var value: Double
    /// The standard error of its value, when known (BGV, TI and MLD limits need every group's).
    public var standardError: Double?
    /// Its rank in an ordered dimension, 1 = most disadvantaged; nil for an unordered dimension.
    public var order: Int?

    /// Creates a subgroup.
    public init(name: String, population: Double, value: Double, standardError: Double? = nil, order: Int? = nil) {
        self.name = name
        self.population = population
        self.value = value
        self.standardError = standardError
        self.order = order
    }
}

/// One summary measure with its standard error and limits, all on the reported scale (METHODS.md §14).
public struct HealthEquityResult: Equatable, Sendable {
    /// Which measure.
    public var measure: HealthEquityMeasure
    /// The value (PAF and IDISW in per cent, TI and MLD × 1000).
    public var value: Double
    /// The standard error on the value's scale (HEAT's own SE is this ÷ `measure.reportedScale`),
    /// or nil where there is none.
    public var standardError: Double?
    /// value ∓ z·SE, one pair per level asked for; missing where there is no SE.
    public var limits: [ConfidenceLimits]
    /// Why the SE or limits are missing, when they are.
    public var note: String?

    /// Creates a result.
    public init(
        measure: HealthEquityMeasure, value: Double, standardError: Double?, limits: [ConfidenceLimits], note: String? = nil
    ) {
        self.measure = measure
        self.value = value
        self.standardError = standardError.flatMap { $0.isFinite ? $0 : nil }
        self.limits = limits
        self.note = note
    }
}

/// Input that HEAT's measures refuse, with the subgroup and measure at fault and what to do (METHODS.md §14).
public struct HealthEquityError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The subgroup the problem is in, when there is one.
    public var group: String?
    /// The measure that cannot be computed, when the problem is specific to one.
    public var measure: HealthEquityMeasure?
    /// The offending value as text, when there is one.
    public var value: String?
    /// What is wrong and what to do, without the location.
    public var message: String

    /// Creates an error with its message and optional location.
    public init(_ message: String, group: String? = nil, measure: HealthEquityMeasure? = nil, value: String? = nil) {
        self.message = message
        self.group = group
        self.measure = measure
        self.value = value
    }

    /// One sentence: the measure, the subgroup, the value, and what to do.
    public var description: String {
        var parts: [String] = []
        if let measure { parts.append(measure.rawValue) }
        if let group { parts.append("group \(group)") }
        let location = parts.isEmpty ? "" : parts.joined(separator: ", ") + ": "
        let shown = value.map { " (value \($0))" } ?? ""
        return location + message + shown
    }
}

/// HEAT's summary measures of inequality across subgroups: RCI, ACI, PAR, PAF, BGV, BGSD, TI, MLD, MDMW, IDISW (METHODS.md §14).
///
/// ```swift
/// let groups = [HealthEquityGroup(name: "Q1", population: 78, value: 20, order: 1), …]
/// let rows = try HealthEquityMeasures.compute([.rci, .par], groups: groups, direction: .favourable, scale: 100)
/// ```
///
/// With shares pⱼ = popⱼ/Σpop, μ = Σpⱼyⱼ and, for ordered dimensions, midpoint ranks
/// Rⱼ = (Σ_{k<j} popₖ + popⱼ/2)/Σpop from the most disadvantaged group (order 1):
/// - RCI = (2/μ)·Σpⱼ·yⱼ·Rⱼ − 1, ACI = μ·RCI; their SEs from the weighted regression of
///   2σ²_R·yⱼ/μ on Rⱼ (σ²_R = Σpⱼ(Rⱼ − ½)²; weights popⱼ; residual variance on k − 2 degrees of
///   freedom), times μ for the ACI;
/// - PAR = y_ref − μ, ref = the most advantaged group (highest order) when ordered, else the
///   best value (highest if favourable, lowest if adverse); 0 when it runs against the
///   direction (negative for favourable, positive for adverse); PAF = 100·PAR/μ; SE by Walter
///   (1978) with the values as rates on `scale` (c = y_ref/scale·pop_ref, d = pop_ref − c,
///   a = μ/scale·Σpop − c, b = Σpop − a − pop_ref, N = Σpop:
///   SE(PAF) = √(cN(ad(N − c) + bc²)/((a + c)³(c + d)³)), SE(PAR) = μ·SE(PAF));
/// - BGV = Σpⱼ(yⱼ − μ)² with SE √(4Σpⱼ²sⱼ²(yⱼ − μ)² + 2((Σpⱼ²sⱼ²)² − Σpⱼ⁴sⱼ⁴ + Σpⱼ²(1 − pⱼ)²sⱼ⁴));
///   BGSD = √BGV;
/// - TI = Σpⱼrⱼ ln rⱼ and MLD = −Σpⱼ ln rⱼ with rⱼ = yⱼ/μ, reported × 1000; SEs
///   √Σ(1 + ln rⱼ − Σpᵢrᵢ(1 + ln rᵢ))²·pⱼ²sⱼ²/μ² and √Σ(1 − 1/rⱼ)²·pⱼ²sⱼ²/μ²; a value of 0 counts
///   as 10⁻⁶, as in HEAT;
/// - MDMW = Σpⱼ|yⱼ − μ|, IDISW = 100·MDMW/μ.
/// Limits are value ∓ z·SE on the reported scale.
public enum HealthEquityMeasures {
    /// The measures of one inequality dimension, in the order asked for (METHODS.md §14).
    ///
    /// - Parameters:
    ///   - measures: which measures to compute.
    ///   - groups: the subgroups, in any order; every group has an `order` (1 = most
    ///     disadvantaged) or none has.
    ///   - direction: favourable or adverse (decides PAR's reference group and sign).
    ///   - scale: the indicator's scale (100 for a percentage, 1000 for a rate per 1000); PAR and
    ///     PAF need it for their SEs and are reported without limits when it is nil.
    ///   - levels: confidence levels of the limits.
    /// - Throws: `HealthEquityError` for RCI or ACI without an ordered dimension; an order on
    ///   some groups and not others, repeated, or not consecutive whole numbers; fewer than 3
    ///   groups; a population that is negative, not finite, or 0 in every group; a value or SE
    ///   that is not finite, or a negative SE; μ = 0 where a measure divides by it; a negative
    ///   value for TI or MLD; a scale ≤ 0.
    /// - Complexity: O(k log k) for the ordering, O(k) per measure.
    public static func compute(
        _ measures: [HealthEquityMeasure], groups: [HealthEquityGroup], direction: IndicatorDirection,
        scale: Double? = nil, levels: [ConfidenceLevel] = ConfidenceLevel.defaults
    ) throws(HealthEquityError) -> [HealthEquityResult] {
        let dimension = try Dimension(groups: groups, scale: scale)
        var results: [HealthEquityResult] = []
        results.reserveCapacity(measures.count)
        for measure in measures {
            let (value, fractionSE, note) = try dimension.measure(measure, direction: direction)
            let se = fractionSE.map { $0 * measure.reportedScale }
            let limits = levels.map { level in
                se.map { ConfidenceLimits(lower: value - level.z * $0, upper: value + level.z * $0) } ?? .missing
            }
            results.append(HealthEquityResult(measure: measure, value: value, standardError: se, limits: limits, note: note))
        }
        return results
    }

    // MARK: - Internals

    /// The validated subgroups of one dimension, in rank order when ordered.
    struct Dimension {
        var names: [String]
        var populations: [Double]
        var shares: [Double]
        var values: [Double]
        /// Every group's SE, or nil when any is missing.
        var standardErrors: [Double]?
        /// Midpoint ranks Rⱼ in (0, 1), when the dimension is ordered.
        var ranks: [Double]?
        var mean: Double
        var scale: Double?

        init(groups unsorted: [HealthEquityGroup], scale: Double?) throws(HealthEquityError) {
            guard unsorted.count >= 3 else {
                throw HealthEquityError(
                    "the summary measures need values for more than two subgroups; this dimension has \(unsorted.count)")
            }
            if let scale, !(scale > 0 && scale.isFinite) {
                throw HealthEquityError(
                    "the indicator scale must be positive (100 for a percentage, 1000 for a rate per 1000)",
                    value: valueText(scale))
            }
            let ordered = unsorted.filter { $0.order != nil }
            var groups = unsorted
            if !ordered.isEmpty {
                if let unranked = unsorted.first(where: { $0.order == nil }) {
                    throw HealthEquityError(
                        "has no order while other subgroups do; give every subgroup its order (1 = most disadvantaged) or none",
                        group: unranked.name)
                }
                groups.sort { ($0.order ?? 0) < ($1.order ?? 0) }
                for j in 1..<groups.count {
                    let step = (groups[j].order ?? 0) - (groups[j - 1].order ?? 0)
                    if step == 0 {
                        throw HealthEquityError(
                            "has the same order as \(groups[j - 1].name); each subgroup needs its own rank (1 = most disadvantaged)",
                            group: groups[j].name, value: "\(groups[j].order ?? 0)")
                    }
                    if step != 1 {
                        throw HealthEquityError(
                            "orders must be consecutive whole numbers (1, 2, 3, …) and \(groups[j - 1].order ?? 0) is followed by \(groups[j].order ?? 0)",
                            group: groups[j].name, value: "\(groups[j].order ?? 0)")
                    }
                }
            }
            for g in groups {
                guard g.population >= 0, g.population.isFinite else {
                    throw HealthEquityError("population must be zero or more", group: g.name, value: valueText(g.population))
                }
                guard g.value.isFinite else {
                    throw HealthEquityError("value must be a number", group: g.name, value: valueText(g.value))
                }
                if let se = g.standardError, !se.isNaN, !(se >= 0 && se.isFinite) {
                    throw HealthEquityError("standard error must be zero or more", group: g.name, value: valueText(se))
                }
            }
            let total = groups.reduce(0) { $0 + $1.population }
            guard total > 0 else {
                throw HealthEquityError("every subgroup has a population of 0; the measures weight by population")
            }
            names = groups.map(\.name)
            populations = groups.map(\.population)
            shares = populations.map { $0 / total }
            values = groups.map(\.value)
            let ses = groups.map { $0.standardError.flatMap { $0.isNaN ? nil : $0 } }
            standardErrors = ses.contains(where: { $0 == nil }) ? nil : ses.map { $0 ?? 0 }
            mean = zip(shares, values).reduce(0) { $0 + $1.0 * $1.1 }
            self.scale = scale
            if ordered.isEmpty {
                ranks = nil
            } else {
                var below = 0.0
                ranks = populations.map { pop in
                    defer { below += pop }
                    return (below + pop / 2) / total
                }
            }
        }

        /// The measure's value on the reported scale, its SE on the fraction scale, and a note.
        func measure(_ m: HealthEquityMeasure, direction: IndicatorDirection) throws(HealthEquityError) -> (
            Double, Double?, String?
        ) {
            let noSE = "standard errors missing for some subgroups; limits not computed"
            switch m {
            case .rci, .aci:
                guard let ranks else {
                    throw HealthEquityError(
                        "needs an ordered dimension (subgroups ranked 1 = most disadvantaged); give each subgroup its order, or choose a measure for unordered dimensions (par, paf, bgv, bgsd, ti, mld, mdmw, idisw)",
                        measure: m)
                }
                try requireNonzeroMean(m)
                let (rci, se) = concentrationIndex(ranks: ranks)
                return m == .rci ? (rci, se, nil) : (mean * rci, se.map { $0 * abs(mean) }, nil)
            case .par, .paf:
                if m == .paf { try requireNonzeroMean(m) }
                let ref: Int
                if ranks != nil {
                    ref = values.count - 1
                } else {
                    // Groups tied for the best value: HEAT takes the largest population among them.
                    let best = direction == .favourable ? values.max() : values.min()
                    let tied = values.indices.filter { values[$0] == best }
                    ref = tied.max { populations[$0] < populations[$1] } ?? 0
                }
                let difference = values[ref] - mean
                let against = direction == .favourable ? difference < 0 : difference > 0
                let par = against ? 0 : difference
                guard let scale else {
                    let value = m == .par ? par : 100 * par / mean
                    return (
                        value, nil, "no indicator scale given; limits not computed (give the scale, e.g. 100 for a percentage)"
                    )
                }
                let pafSE = walterStandardError(reference: ref, scale: scale)
                return m == .par ? (par, pafSE.map { $0 * abs(mean) }, nil) : (100 * par / mean, pafSE, nil)
            case .bgv, .bgsd:
                var bgv = 0.0
                for j in values.indices { bgv += shares[j] * (values[j] - mean) * (values[j] - mean) }
                if m == .bgsd { return (bgv.squareRoot(), nil, "HEAT simulates BGSD limits; none computed") }
                guard let s = standardErrors else { return (bgv, nil, noSE) }
                var se2 = 0.0, s2 = 0.0, s4 = 0.0, se4 = 0.0
                for j in values.indices {
                    let p2 = shares[j] * shares[j], v2 = s[j] * s[j], d = values[j] - mean
                    se2 += p2 * v2 * d * d
                    s2 += p2 * v2
                    s4 += p2 * p2 * v2 * v2
                    se4 += p2 * (1 - shares[j]) * (1 - shares[j]) * v2 * v2
                }
                return (bgv, (4 * se2 + 2 * (s2 * s2 - s4 + se4)).squareRoot(), nil)
            case .ti, .mld:
                // HEAT replaces a value of 0 by 10⁻⁶ so that the logarithms exist.
                for j in values.indices where values[j] < 0 {
                    throw HealthEquityError(
                        "needs values of zero or more (it takes logarithms)", group: names[j], measure: m,
                        value: valueText(values[j]))
                }
                let y = values.map { $0 == 0 ? 1e-6 : $0 }
                let mu = zip(shares, y).reduce(0) { $0 + $1.0 * $1.1 }
                let r = y.map { $0 / mu }
                var value = 0.0
                for j in r.indices { value += m == .ti ? shares[j] * r[j] * log(r[j]) : -shares[j] * log(r[j]) }
                guard let s = standardErrors else { return (1000 * value, nil, noSE) }
                var sum = 0.0
                if m == .ti {
                    var centre = 0.0
                    for j in r.indices { centre += shares[j] * r[j] * (1 + log(r[j])) }
                    for j in r.indices {
                        let d = 1 + log(r[j]) - centre
                        sum += d * d * shares[j] * shares[j] * s[j] * s[j] / (mu * mu)
                    }
                } else {
                    for j in r.indices {
                        let d = 1 - 1 / r[j]
                        sum += d * d * shares[j] * shares[j] * s[j] * s[j] / (mu * mu)
                    }
                }
                return (1000 * value, sum.squareRoot(), nil)
            case .mdmw, .idisw:
                if m == .idisw { try requireNonzeroMean(m) }
                var mdmw = 0.0
                for j in values.indices { mdmw += shares[j] * abs(values[j] - mean) }
                let note = "HEAT simulates \(m.rawValue.uppercased()) limits; none computed"
                return m == .mdmw ? (mdmw, nil, note) : (100 * mdmw / mean, nil, note)
            }
        }

        func requireNonzeroMean(_ m: HealthEquityMeasure) throws(HealthEquityError) {
            guard mean != 0 else {
                throw HealthEquityError(
                    "divides by the population-weighted mean, which is 0; use an absolute measure instead", measure: m)
            }
        }

        /// RCI and its SE: the slope of the weighted regression of 2σ²_R·y/μ on R with an intercept.
        func concentrationIndex(ranks: [Double]) -> (Double, Double?) {
            // Weighted least squares with weights p (the shares; the coefficients and their SEs
            // do not depend on the weights' total): normal equations of [R, 1].
            var sigma2 = 0.0
            for j in ranks.indices { sigma2 += shares[j] * (ranks[j] - 0.5) * (ranks[j] - 0.5) }
            let y = values.map { 2 * sigma2 * $0 / mean }
            var sw = 0.0, sr = 0.0, srr = 0.0, sy = 0.0, sry = 0.0
            for j in ranks.indices {
                let w = shares[j]
                sw += w
                sr += w * ranks[j]
                srr += w * ranks[j] * ranks[j]
                sy += w * y[j]
                sry += w * ranks[j] * y[j]
            }
            let det = srr * sw - sr * sr
            let slope = (sry * sw - sr * sy) / det
            let intercept = (srr * sy - sr * sry) / det
            var rss = 0.0
            for j in ranks.indices {
                let e = y[j] - slope * ranks[j] - intercept
                rss += shares[j] * e * e
            }
            // On HEAT's rows scaled by √pop the residual variance is Σpop·rss/(k − 2) and
            // [(XᵀX)⁻¹]₀₀ = sw/(Σpop·det): the population total cancels.
            let variance = rss / Double(ranks.count - 2) * sw / det
            var rci = 0.0
            for j in ranks.indices { rci += shares[j] * values[j] * ranks[j] }
            return (2 / mean * rci - 1, variance >= 0 ? variance.squareRoot() : nil)
        }

        /// Walter's (1978) SE of the attributable fraction (fraction scale), the values read as rates per `scale`.
        func walterStandardError(reference ref: Int, scale: Double) -> Double? {
            let total = populations.reduce(0, +)
            let c = values[ref] / scale * populations[ref]
            let d = populations[ref] - c
            let a = mean / scale * total - c
            let b = total - a - populations[ref]
            let n = a + b + c + d
            let variance = c * n * (a * d * (n - c) + b * c * c) / ((a + c) * (a + c) * (a + c) * (c + d) * (c + d) * (c + d))
            return variance >= 0 ? variance.squareRoot() : nil
        }
    }
}

import Foundation
import NumericCore

// The slope and relative index of inequality (METHODS.md §6).
//
// Sources:
//   D. Low, A. Low (2004), "Measuring the gap: quantifying and comparing local health
//   inequalities", Journal of Public Health 26(2), 196–199. https://doi.org/10.1093/pubmed/fdh126
//   J. P. Mackenbach, A. E. Kunst (1997), "Measuring the magnitude of socio-economic
//   inequalities in health: an overview of available measures illustrated with two
//   examples from Europe", Social Science & Medicine 44(6), 757–771.
//   Public Health England / OHID, Fingertips technical guidance, "Slope index of inequality
//   (SII) and relative index of inequality (RII)", and the PHE SII tool.
//
// The regression is the weighted least squares fit of §6 written in closed form: with
// weights a (Σa = 1) and ridits b, XᵀX = [[Σa, Σab], [Σab, Σab²]] and Xᵀ(√a·y) = [Σay, Σaby],
// so β = H·y with the fixed 2×k matrix H = (XᵀX)⁻¹·[a; a·b]. Every refit of the simulation is
// the same H applied to new y; `SlopeIndexOfInequality+Simulation.swift` exploits that.

/// The slope and relative index of inequality across deprivation quantiles (METHODS.md §6).
///
/// Usage: one call of `compute` per group, with the group's quantiles in order (1 = most
/// deprived) and one seeded random stream per group (see `Xoshiro256StarStar` for how streams
/// are split). The helpers `validateValueColumn`, `validateGroup`, `resolveStandardErrors`,
/// `standardErrors(lower:upper:valueType:)` and `proportions(counts:populations:)`
/// (`SlopeIndexOfInequality+Inputs.swift`) turn input columns into `compute`'s arguments with the
/// reference tools' errors and warnings; the option and result types are in
/// `SlopeIndexOfInequality+Types.swift`.
public enum SlopeIndexOfInequality {
    /// The SII (and optionally RII, intercept, reliability) of one group (METHODS.md §6).
    ///
    /// With weights aⱼ = popⱼ/Σpop and ridits bⱼ = Σ_{i<j} aᵢ + aⱼ/2, the weighted least squares
    /// fit without intercept of √a·y on (√a, b·√a) gives β = (XᵀX)⁻¹Xᵀ(√a·y) = (β₀, β₁).
    /// - `transform = false`: y = values; SII = multiplier·β₁, RII = (β₀ + β₁)/β₀,
    ///   intercept = β₀ (unmultiplied).
    /// - `transform = true` (types 1, 2; f = log or logit): y = f(values);
    ///   SII = (f⁻¹(β₀ + β₁) − f⁻¹(β₀))·multiplier, RII = f⁻¹(β₀ + β₁)/f⁻¹(β₀),
    ///   intercept = f⁻¹(β₀)·|multiplier|.
    /// - The RII is inverted when multiplier < 0.
    ///
    /// Limits by simulation: per repetition, Y ~ Normal(f(vⱼ), seⱼ) for each quantile,
    /// back-transformed with f⁻¹ when `transform = false`, refitted; with c′ = c + (1 − c)/2 the
    /// slope order statistics s_L, s_U at 1-based positions round(R(1 − c′)) and round(R·c′)
    /// (ties to even, as R rounds) give the limits: multiplier·s_L/U without transform, and
    /// (f⁻¹(xh + s/2) − f⁻¹(xh − s/2))·multiplier with xh = β₀ + β₁/2 with it. RII limits are the
    /// same order statistics of the simulated (β₀ᵣ + β₁ᵣ)/β₀ᵣ without transform, and
    /// f⁻¹(xh + s/2)/f⁻¹(xh − s/2) with it. With multiplier < 0 the limits are swapped (SII)
    /// or inverted and swapped (RII), so lower ≤ upper always.
    ///
    /// Reproducibility: the draws come only from `rng`, so the same generator state gives the
    /// same result; on return `rng` has advanced past the draws of the reported set. With
    /// `reliability`, sets 2–10 use copies of the incoming `rng` advanced by 2, 4, …, 18
    /// `longJump()`s (2^192 steps each), which never overlap each other, the streams 0, 1, 2, …
    /// that a run makes with `jump()` for its groups, or the second lane (one `longJump()` on)
    /// that `.direct` draws beside each set's stream (`InterleavedNormals`).
    ///
    /// - Parameters:
    ///   - populations: popⱼ > 0 for quantiles 1…k in order (1 = most deprived).
    ///   - values: vⱼ, finite; in (0, 1) for proportions; > 0 for rates (their log is simulated).
    ///   - standardErrors: seⱼ ≥ 0 on the transformed scale (log for rates, logit for
    ///     proportions); NaN means missing.
    ///   - options: value type, transform, multiplier, repetitions (≥ 1,000), levels, RII,
    ///     reliability and simulation method.
    ///   - rng: the group's random stream.
    /// - Throws: `IndicatorError` for k < 5 or k > 100, arrays of different lengths, popⱼ ≤ 0,
    ///   a missing or negative se, a non-finite value, a proportion outside (0, 1), a rate ≤ 0,
    ///   fewer than 1,000 repetitions, `transform` with value type 0, or a non-finite multiplier.
    ///   More than 10 quantiles is a warning in `SIIResult.warnings`.
    /// - Complexity: O(k·R) for untransformed rates and proportions, O(k + R) otherwise with
    ///   `.direct` (O(k·R) with `.literal`); ×10 with `reliability`. Memory O(R) with
    ///   `.literal`; with `.direct` a few blocks of 8,192 values and about 2% of R per limit.
    public static func compute(
        populations: [Double], values: [Double], standardErrors: [Double], options: SIIOptions,
        using rng: inout Xoshiro256StarStar
    ) throws(IndicatorError) -> SIIResult {
        let k = populations.count
        try validate(populations: populations, values: values, standardErrors: standardErrors, options: options)
        var warnings: [String] = []
        if k > 10 {
            warnings.append("\(k) quantiles: the SII is meant for a few ordered groups (10 or fewer, e.g. deciles)")
        }

        let design = Design(populations: populations)
        let valueType = options.valueType
        let transformed = values.map { forward($0, valueType) }
        let fitted = design.coefficients(options.transform ? transformed : values)
        let multiplier = options.multiplier
        let point = pointEstimates(beta0: fitted.0, beta1: fitted.1, options: options)

        var sii = Estimate(value: point.sii, limits: [])
        var rii: Estimate? = options.computeRII ? Estimate(value: point.rii, limits: []) : nil
        var reliability: [Double]? = nil
        var reliabilityDetail: [SIIReliability]? = nil

        if !options.levels.isEmpty {
            let plan = SimulationPlan(
                design: design, means: transformed, standardErrors: standardErrors, valueType: valueType,
                transform: options.transform, needRatios: options.computeRII && !options.transform,
                repetitions: options.repetitions, method: options.simulation)
            var workspace = SimulationWorkspace(plan: plan)
            let ranks = options.levels.map { orderStatisticRanks(level: $0, repetitions: options.repetitions) }

            func limitsOfOneSet(_ stream: inout Xoshiro256StarStar) -> (sii: [ConfidenceLimits], rii: [ConfidenceLimits]) {
                let (slopeStats, ratioStats) = workspace.run(plan, ranks: ranks.flatMap { [$0.low, $0.high] }, using: &stream)
                var siiLimits: [ConfidenceLimits] = []
                var riiLimits: [ConfidenceLimits] = []
                for level in options.levels.indices {
                    let sLow = slopeStats[2 * level]
                    let sHigh = slopeStats[2 * level + 1]
                    if options.transform {
                        let xh = fitted.0 + fitted.1 / 2
                        let low = backTransform(xh + sLow / 2, valueType)
                        let lowBase = backTransform(xh - sLow / 2, valueType)
                        let high = backTransform(xh + sHigh / 2, valueType)
                        let highBase = backTransform(xh - sHigh / 2, valueType)
                        siiLimits.append(ordered((low - lowBase) * multiplier, (high - highBase) * multiplier))
                        riiLimits.append(orderedRatio(low / lowBase, high / highBase, invert: multiplier < 0))
                    } else {
                        siiLimits.append(ordered(sLow * multiplier, sHigh * multiplier))
                        if let ratioStats {
                            riiLimits.append(
                                orderedRatio(ratioStats[2 * level], ratioStats[2 * level + 1], invert: multiplier < 0))
                        }
                    }
                }
                return (siiLimits, riiLimits)
            }

            let incoming = rng
            let first = limitsOfOneSet(&rng)
            sii.limits = first.sii
            if options.computeRII { rii?.limits = first.rii }

            if options.reliability {
                var stream = incoming
                var sums = [SIIReliability](
                    repeating: SIIReliability(level: options.levels[0], siiLower: 0, siiUpper: 0), count: options.levels.count)
                for _ in 2...10 {
                    // Two long jumps per set: the direct method's second lane is its set's
                    // stream advanced by one, so sets sit on even multiples of 2^192.
                    stream.longJump()
                    stream.longJump()
                    var copy = stream
                    let other = limitsOfOneSet(&copy)
                    for l in options.levels.indices {
                        sums[l].level = options.levels[l]
                        sums[l].siiLower += absoluteDifference(other.sii[l].lower, first.sii[l].lower) / 9
                        sums[l].siiUpper += absoluteDifference(other.sii[l].upper, first.sii[l].upper) / 9
                        if options.computeRII {
                            sums[l].riiLower =
                                (sums[l].riiLower ?? 0) + absoluteDifference(other.rii[l].lower, first.rii[l].lower) / 9
                            sums[l].riiUpper =
                                (sums[l].riiUpper ?? 0) + absoluteDifference(other.rii[l].upper, first.rii[l].upper) / 9
                        }
                    }
                }
                reliabilityDetail = sums
                reliability = sums.map { ($0.siiLower + $0.siiUpper) / 2 }
            }
        }

        return SIIResult(
            sii: sii, rii: rii, intercept: point.intercept, reliability: reliability,
            reliabilityDetail: reliabilityDetail, warnings: warnings)
    }

    // MARK: - Internals

    /// Checks `compute`'s arguments, in the order the reference tools report them.
    static func validate(populations: [Double], values: [Double], standardErrors: [Double], options: SIIOptions)
        throws(IndicatorError)
    {
        let k = populations.count
        guard values.count == k, standardErrors.count == k else {
            throw IndicatorError(
                "populations, values and standard errors must have one entry per quantile (SII)",
                value: "\(k), \(values.count) and \(standardErrors.count)")
        }
        guard k >= 5, k <= 100 else {
            throw IndicatorError("the SII needs between 5 and 100 quantiles", value: "\(k)")
        }
        guard options.repetitions >= 1000 else {
            throw IndicatorError("SII repetitions must be at least 1,000", value: "\(options.repetitions)")
        }
        guard options.multiplier.isFinite else {
            throw IndicatorError("SII multiplier must be finite", value: "\(options.multiplier)")
        }
        if options.transform && options.valueType == .untransformed {
            throw IndicatorError(
                "transform applies to rates (value type 1) and proportions (value type 2), not to value type 0 (SII)")
        }
        for j in 0..<k {
            let band = "quantile \(j + 1)"
            guard populations[j] > 0, populations[j].isFinite else {
                throw IndicatorError("population must be positive (SII)", band: band, value: "\(populations[j])")
            }
        }
        for j in 0..<k {
            let band = "quantile \(j + 1)"
            let v = values[j]
            guard v.isFinite else { throw IndicatorError("value must be a finite number (SII)", band: band, value: "\(v)") }
            switch options.valueType {
            case .proportion:
                guard v > 0, v < 1 else {
                    throw IndicatorError("a proportion must lie in (0, 1) (SII value type 2)", band: band, value: "\(v)")
                }
            case .rate:
                guard v > 0 else {
                    throw IndicatorError(
                        "a rate must be positive to take its logarithm (SII value type 1)", band: band, value: "\(v)")
                }
            case .untransformed:
                break
            }
        }
        for j in 0..<k {
            let band = "quantile \(j + 1)"
            let se = standardErrors[j]
            guard !se.isNaN else { throw IndicatorError("standard error is missing (SII)", band: band) }
            guard se >= 0, se.isFinite else {
                throw IndicatorError("standard error must be a non-negative number (SII)", band: band, value: "\(se)")
            }
        }
    }

    /// SII, RII and intercept from the fitted coefficients (METHODS.md §6).
    static func pointEstimates(beta0: Double, beta1: Double, options: SIIOptions) -> (sii: Double, rii: Double, intercept: Double)
    {
        let multiplier = options.multiplier
        if options.transform {
            let top = backTransform(beta0 + beta1, options.valueType)
            let base = backTransform(beta0, options.valueType)
            let ratio = top / base
            return ((top - base) * multiplier, multiplier < 0 ? 1 / ratio : ratio, base * multiplier.magnitude)
        }
        let ratio = (beta0 + beta1) / beta0
        return (multiplier * beta1, multiplier < 0 ? 1 / ratio : ratio, beta0)
    }

    /// 0-based ranks of the order statistics at 1-based positions round(R(1 − c′)) and
    /// round(R·c′), c′ = c + (1 − c)/2, rounded half to even as R's `round` does.
    static func orderStatisticRanks(level: ConfidenceLevel, repetitions: Int) -> (low: Int, high: Int) {
        let c = level.fraction
        let upperTail = c + (1 - c) / 2
        let r = Double(repetitions)
        let low = Int((r * (1 - upperTail)).rounded(.toNearestOrEven))
        let high = Int((r * upperTail).rounded(.toNearestOrEven))
        return (min(max(low, 1), repetitions) - 1, min(max(high, 1), repetitions) - 1)
    }

    /// f: identity, log or logit.
    @inline(__always)
    static func forward(_ x: Double, _ type: SIIValueType) -> Double {
        switch type {
        case .untransformed: return x
        case .rate: return log(x)
        case .proportion: return logit(x)
        }
    }

    /// f⁻¹: identity, exp or the logistic function.
    @inline(__always)
    static func backTransform(_ x: Double, _ type: SIIValueType) -> Double {
        switch type {
        case .untransformed: return x
        case .rate: return exp(x)
        case .proportion: return 1 / (1 + exp(-x))
        }
    }

    @inline(__always)
    static func logit(_ p: Double) -> Double { log(p / (1 - p)) }

    static func ordered(_ a: Double, _ b: Double) -> ConfidenceLimits {
        ConfidenceLimits(lower: min(a, b), upper: max(a, b))
    }

    /// RII limits from the ratios at the low and high slope statistics; inverted and swapped
    /// when the multiplier is negative.
    static func orderedRatio(_ low: Double, _ high: Double, invert: Bool) -> ConfidenceLimits {
        invert ? ConfidenceLimits(lower: 1 / high, upper: 1 / low) : ConfidenceLimits(lower: low, upper: high)
    }

    static func absoluteDifference(_ a: Double?, _ b: Double?) -> Double {
        guard let a, let b else { return .nan }
        return abs(a - b)
    }
}

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

/// How the quantile values are measured (METHODS.md §6 value_type).
public enum SIIValueType: Int, Sendable, CaseIterable {
    /// No transform, e.g. life expectancy (value_type 0).
    case untransformed = 0
    /// A rate: its standard error and simulation are on the log scale (value_type 1).
    case rate = 1
    /// A proportion in (0, 1): its standard error and simulation are on the logit scale (value_type 2).
    case proportion = 2
}

/// How the simulated confidence limits are drawn; both give the same distribution.
public enum SIISimulation: String, Sendable, CaseIterable {
    /// The fastest method equal in distribution to `literal` (the default). Where the
    /// coefficients are linear in the draws (value type 0, or `transform = true`) it draws the
    /// bivariate normal (β₀, β₁) directly, two normals per repetition (one when only slopes are
    /// needed); otherwise it draws k normals per repetition as `literal` does, with a fused,
    /// vectorised back-transform and product. Its normals come from two interleaved generator
    /// lanes, and it never stores the R simulated values: their order statistics are counted
    /// block by block against brackets from a pilot block (exact; see
    /// `StreamingOrderStatistics`).
    case direct
    /// The reference procedure step by step: k × R normal draws, back-transform, one matrix
    /// product per block of 4,096 repetitions (BLAS `dgemm`), then order statistics.
    case literal
}

/// Options of the SII/RII (METHODS.md §6); the defaults are the reference tools' defaults.
public struct SIIOptions: Sendable {
    /// How values are measured and which scale their standard errors are on.
    public var valueType: SIIValueType = .untransformed
    /// Fit on the log/logit scale and transform back (value types 1 and 2 only).
    public var transform: Bool = false
    /// The SII is reported per `multiplier` (e.g. 100 for percentages); a negative multiplier
    /// reverses the direction of the SII and inverts the RII.
    public var multiplier: Double = 1
    /// Simulation repetitions R, at least 1,000.
    public var repetitions: Int = 100_000
    /// Confidence levels of the simulated limits, in output order.
    public var levels: [ConfidenceLevel] = ConfidenceLevel.defaults
    /// Also compute the RII and its limits.
    public var computeRII: Bool = false
    /// Also run 9 further sets of repetitions and report how far their limits move.
    public var reliability: Bool = false
    /// How the limits are simulated.
    public var simulation: SIISimulation = .direct

    /// Creates options; every argument has the reference tools' default.
    public init(
        valueType: SIIValueType = .untransformed, transform: Bool = false, multiplier: Double = 1,
        repetitions: Int = 100_000, levels: [ConfidenceLevel] = ConfidenceLevel.defaults,
        computeRII: Bool = false, reliability: Bool = false, simulation: SIISimulation = .direct
    ) {
        self.valueType = valueType
        self.transform = transform
        self.multiplier = multiplier
        self.repetitions = repetitions
        self.levels = levels
        self.computeRII = computeRII
        self.reliability = reliability
        self.simulation = simulation
    }
}

/// How far the limits of 9 further simulation sets lie from the reported set, at one level.
///
/// Each field is the mean over sets j = 2…10 of |limit_j − limit_1|, on the reported scale
/// (multiplied SII; RII as reported).
public struct SIIReliability: Equatable, Sendable {
    /// The confidence level.
    public var level: ConfidenceLevel
    /// Mean absolute difference of the SII lower limit.
    public var siiLower: Double
    /// Mean absolute difference of the SII upper limit.
    public var siiUpper: Double
    /// Mean absolute difference of the RII lower limit, when the RII is computed.
    public var riiLower: Double?
    /// Mean absolute difference of the RII upper limit, when the RII is computed.
    public var riiUpper: Double?

    /// Creates a reliability record.
    public init(level: ConfidenceLevel, siiLower: Double, siiUpper: Double, riiLower: Double? = nil, riiUpper: Double? = nil) {
        self.level = level
        self.siiLower = siiLower
        self.siiUpper = siiUpper
        self.riiLower = riiLower
        self.riiUpper = riiUpper
    }
}

/// The SII of one group, with the RII, intercept and reliability where asked for.
public struct SIIResult: Equatable, Sendable {
    /// The SII and its limits, one pair per level (lower ≤ upper).
    public var sii: Estimate
    /// The RII and its limits, when `computeRII`.
    public var rii: Estimate?
    /// β₀ as METHODS.md §6 defines the intercept: β₀ itself (unmultiplied) without transform,
    /// f⁻¹(β₀)·|multiplier| with it.
    public var intercept: Double?
    /// Per level, when `reliability`: the mean absolute difference of the SII limits of sets
    /// 2–10 from those of set 1, averaged over the lower and upper limit:
    /// (1/18)·Σ_{j=2…10} (|L_j − L_1| + |U_j − U_1|). `reliabilityDetail` has each limit apart.
    public var reliability: [Double]?
    /// Per level, when `reliability`: the same differences for each limit of the SII and RII.
    public var reliabilityDetail: [SIIReliability]?
    /// Warnings that do not stop the computation (e.g. more than 10 quantiles).
    public var warnings: [String]

    /// Creates a result.
    public init(
        sii: Estimate, rii: Estimate? = nil, intercept: Double? = nil, reliability: [Double]? = nil,
        reliabilityDetail: [SIIReliability]? = nil, warnings: [String] = []
    ) {
        self.sii = sii
        self.rii = rii
        self.intercept = intercept
        self.reliability = reliability
        self.reliabilityDetail = reliabilityDetail
        self.warnings = warnings
    }
}

/// The slope and relative index of inequality across deprivation quantiles (METHODS.md §6).
///
/// Usage: one call of `compute` per group, with the group's quantiles in order (1 = most
/// deprived) and one seeded random stream per group (see `Xoshiro256StarStar` for how streams
/// are split). The helpers `validateValueColumn`, `validateGroup`, `resolveStandardErrors`,
/// `standardErrors(lower:upper:valueType:)` and `proportions(counts:populations:)` turn input
/// columns into `compute`'s arguments with the reference tools' errors and warnings.
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

    /// Standard errors on the transformed scale from 95% limits (METHODS.md §6):
    /// se = (f(upper) − f(lower))/(2·1.959964), f = identity, log or logit for value types 0, 1, 2.
    ///
    /// - Throws: `IndicatorError` naming the quantile (1-based position) for a missing or
    ///   non-finite limit, upper < lower, a rate limit ≤ 0 (no logarithm), or a proportion
    ///   limit outside (0, 1), and for arrays of different lengths.
    /// - Complexity: O(k).
    public static func standardErrors(lower: [Double?], upper: [Double?], valueType: SIIValueType) throws(IndicatorError)
        -> [Double]
    {
        guard lower.count == upper.count else {
            throw IndicatorError(
                "lower and upper confidence limits must have one value per quantile (SII)",
                value: "\(lower.count) and \(upper.count)")
        }
        let z = ConfidenceLevel.ninetyFive.z
        var result: [Double] = []
        result.reserveCapacity(lower.count)
        for j in lower.indices {
            let band = "quantile \(j + 1)"
            guard let low = lower[j], let high = upper[j] else {
                throw IndicatorError("a confidence limit is missing; the standard error cannot be derived (SII)", band: band)
            }
            guard low.isFinite, high.isFinite else {
                throw IndicatorError("confidence limits must be finite (SII)", band: band, value: "\(low), \(high)")
            }
            switch valueType {
            case .proportion:
                for limit in [low, high] where !(limit > 0 && limit < 1) {
                    throw IndicatorError(
                        "a proportion's confidence limit must lie in (0, 1) (SII value type 2)", band: band, value: "\(limit)")
                }
            case .rate:
                for limit in [low, high] where !(limit > 0) {
                    throw IndicatorError(
                        "a rate's confidence limit must be positive to take its logarithm (SII value type 1)", band: band,
                        value: "\(limit)")
                }
            case .untransformed:
                break
            }
            guard high >= low else {
                throw IndicatorError(
                    "upper confidence limit is below the lower limit, giving a negative standard error (SII)", band: band,
                    value: "\(low), \(high)")
            }
            result.append((forward(high, valueType) - forward(low, valueType)) / (2 * z))
        }
        return result
    }

    /// Proportions given as count/population (value type 2): value = count/population and its
    /// logit-scale standard error from the Wilson 95% limits of METHODS.md §2,
    /// se = (logit(upper) − logit(lower))/(2·1.959964).
    ///
    /// The Wilson form is the one the reference fixture uses: its limit columns are the Wilson
    /// limits to 1e-16, and its standard errors match them (to the 2e-5 relative that z = 1.96
    /// instead of 1.959964 makes), while the delta-method SE 1/√(n·p·(1 − p)) differs by 5e-5.
    /// - Throws: `IndicatorError` for a population ≤ 0, a count < 0 or > population, and a count
    ///   of 0 or equal to the population (the proportion must lie in (0, 1)).
    /// - Complexity: O(k).
    public static func proportions(counts: [Double], populations: [Double]) throws(IndicatorError) -> (
        values: [Double], standardErrors: [Double]
    ) {
        guard counts.count == populations.count else {
            throw IndicatorError(
                "counts and populations must have one value per quantile (SII)", value: "\(counts.count) and \(populations.count)"
            )
        }
        let z = ConfidenceLevel.ninetyFive.z
        var values: [Double] = []
        var errors: [Double] = []
        for j in counts.indices {
            let band = "quantile \(j + 1)"
            let x = counts[j]
            let n = populations[j]
            guard n > 0, n.isFinite else { throw IndicatorError("population must be positive (SII)", band: band, value: "\(n)") }
            guard x >= 0, x <= n else {
                throw IndicatorError("count must lie between 0 and the population (SII)", band: band, value: "\(x)")
            }
            guard x > 0, x < n else {
                throw IndicatorError(
                    "a proportion must lie in (0, 1) for the logit scale (SII value type 2)", band: band, value: "\(x)/\(n)")
            }
            let root = z * (z * z + 4 * x * (1 - x / n)).squareRoot()
            let lower = (2 * x + z * z - root) / (2 * (n + z * z))
            let upper = (2 * x + z * z + root) / (2 * (n + z * z))
            values.append(x / n)
            errors.append((logit(upper) - logit(lower)) / (2 * z))
        }
        return (values, errors)
    }

    /// Chooses the standard errors as the reference tools do: the SE column when there is one,
    /// else the SEs derived from both 95% limit columns (`standardErrors(lower:upper:valueType:)`).
    ///
    /// Pass nil for a column the input does not have.
    /// - Throws: `IndicatorError` when there is neither an SE column nor both limit columns, for
    ///   a missing (nil or NaN) or negative SE, and for the limit errors listed there.
    /// - Complexity: O(k).
    public static func resolveStandardErrors(
        standardErrors: [Double?]?, lower: [Double?]?, upper: [Double?]?, valueType: SIIValueType
    ) throws(IndicatorError) -> [Double] {
        if let standardErrors {
            var result: [Double] = []
            for (j, se) in standardErrors.enumerated() {
                guard let se, !se.isNaN else {
                    throw IndicatorError("standard error is missing (SII)", band: "quantile \(j + 1)")
                }
                guard se >= 0, se.isFinite else {
                    throw IndicatorError(
                        "standard error must be a non-negative number (SII)", band: "quantile \(j + 1)", value: "\(se)")
                }
                result.append(se)
            }
            return result
        }
        guard let lower, let upper else {
            throw IndicatorError("the SII needs a standard error column or both 95% confidence-limit columns, and has neither")
        }
        return try Self.standardErrors(lower: lower, upper: upper, valueType: valueType)
    }

    /// Checks the value column of the whole input (METHODS.md §6): it must exist and hold at
    /// least one non-missing value. Pass nil when the input has no value column.
    ///
    /// - Throws: `IndicatorError` for no value column, or one with no non-missing value.
    /// - Complexity: O(n).
    public static func validateValueColumn(_ values: [Double?]?) throws(IndicatorError) {
        guard let values else {
            throw IndicatorError("the SII needs a value column and the input has none")
        }
        guard values.contains(where: { $0.map { !$0.isNaN } ?? false }) else {
            throw IndicatorError("the SII value column has no non-missing value")
        }
    }

    /// Whether one group can be used (METHODS.md §6): nil when it can, else the warning (also
    /// the output note) saying why the group is dropped.
    ///
    /// A group is dropped when it lacks any of the quantiles 1…`expectedQuantileCount` (the
    /// number of quantiles in the input), repeats one, or has a quantile with a missing (nil or
    /// NaN) population or value. Rows are matched by position across the three arrays.
    /// - Complexity: O(k).
    public static func validateGroup(quantiles: [Int], populations: [Double?], values: [Double?], expectedQuantileCount: Int)
        -> String?
    {
        guard quantiles.count == populations.count, quantiles.count == values.count else {
            return "group dropped: quantiles, populations and values have different lengths"
        }
        var reasons: [String] = []
        var seen = [Int](repeating: 0, count: max(expectedQuantileCount, 0) + 1)
        var outside: [Int] = []
        for q in quantiles {
            if q >= 1 && q <= expectedQuantileCount { seen[q] += 1 } else { outside.append(q) }
        }
        let missing = (1...max(expectedQuantileCount, 1)).filter { $0 <= expectedQuantileCount && seen[$0] == 0 }
        let repeated = (1...max(expectedQuantileCount, 1)).filter { $0 <= expectedQuantileCount && seen[$0] > 1 }
        if !missing.isEmpty { reasons.append("no row for quantile \(listed(missing)) of \(expectedQuantileCount)") }
        if !repeated.isEmpty { reasons.append("quantile \(listed(repeated)) appears more than once") }
        if !outside.isEmpty { reasons.append("quantile \(listed(outside)) is outside 1–\(expectedQuantileCount)") }
        let noPopulation = quantiles.indices.filter { populations[$0].map { $0.isNaN } ?? true }.map { quantiles[$0] }
        let noValue = quantiles.indices.filter { values[$0].map { $0.isNaN } ?? true }.map { quantiles[$0] }
        if !noPopulation.isEmpty { reasons.append("missing population for quantile \(listed(noPopulation))") }
        if !noValue.isEmpty { reasons.append("missing value for quantile \(listed(noValue))") }
        return reasons.isEmpty ? nil : "group dropped from the SII: " + reasons.joined(separator: "; ")
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

    static func listed(_ numbers: [Int]) -> String {
        numbers.map(String.init).joined(separator: ", ")
    }
}

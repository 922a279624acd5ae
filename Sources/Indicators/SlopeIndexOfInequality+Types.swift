// The types of the SII's interface (METHODS.md §6): value types, simulation methods, options
// and results. The method is in `SlopeIndexOfInequality.swift`.

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

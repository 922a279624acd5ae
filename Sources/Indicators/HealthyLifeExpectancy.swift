// Healthy life expectancy by Sullivan's method (METHODS.md §9).
//
// Implementation goals, in priority order: the EHEMU guide's worked example to every printed
// digit, one set of formulas for every entry point (`compute` on rows, `compute` on a given
// `LifeTable` and `batch` all run `SullivanKernel`), then speed (`batch`: one pass over a
// struct-of-arrays layout, no allocation per group).
//
// Sources:
//   D. F. Sullivan (1971), "A single index of mortality and morbidity", HSMHA Health Reports
//   86:347–354.
//   C. Jagger, B. Cox, S. Le Roy et al. (2014), "Health expectancy calculation by the Sullivan
//   method: a practical guide", EHEMU technical report, 4th edition (examples 3–4, appendix 1).
//   C. D. Mathers (1991), "Health expectancies in Australia 1981 and 1988", AIHW, Canberra
//   (the mortality part of the variance).
//
// The variance is built backwards from the open band in one pass. The prevalence term with
// prevalence bands coarser than the life table is Σ_b (Σ_{i∈b, i≥x} Lᵢ)²·Var(π_b): moving x
// down by one band adds Lₓ to its prevalence band's partial sum S_b, which adds
// Var(π_b)·Lₓ·(2S_b + Lₓ) to the term, so every start age costs O(1).

/// Healthy life expectancy (HLE, or disability-free life expectancy) by Sullivan's method
/// (METHODS.md §9): the life table of §5 weighted by the prevalence πᵢ of the healthy state.
///
/// ```
/// HLEₓ = Σ_{i≥x} πᵢLᵢ / lₓ;  years in poorer health = eₓ − HLEₓ;  per cent healthy = 100·HLEₓ/eₓ
/// Var(HLEₓ) = (1/lₓ²)·Σ_b (Σ_{i∈b, i≥x} Lᵢ)²·Var(π_b)                          (prevalence)
///           + (1/lₓ²)·Σ_{x≤i<ω} lᵢ²·[(1 − aᵢ)nᵢπᵢ + HLEᵢ₊₁]²·qᵢ²(1 − qᵢ)/Dᵢ       (mortality)
/// Var(π_b) = π_b(1 − π_b)/N_b, or SE_b² when the survey gives its error;  limits HLE ± z·SE
/// ```
///
/// b runs over the prevalence bands: with one life-table band per prevalence band the
/// prevalence term is Σ Lᵢ²·Var(πᵢ); bands that share one estimate (0–15, 85+) share its
/// error. The mortality term is 0 for the open band and where Dᵢ = 0; `Variance.prevalence`
/// leaves it out.
///
/// Sources: Sullivan (1971); Jagger et al., EHEMU Sullivan guide (2014), appendix 1, after
/// Mathers (1991).
public enum HealthyLifeExpectancy {
    /// Which parts of Var(HLE) are reported.
    public enum Variance: String, CaseIterable, Sendable {
        /// Prevalence and mortality parts (the EHEMU guide's appendix 1, after Mathers 1991): the default.
        case mathers
        /// The prevalence part only (the life table taken as known).
        case prevalence
    }

    /// The survey's prevalence of the healthy state per life-table band, and its precision.
    ///
    /// One entry per life-table row (in the row order of the deaths and populations it goes
    /// with), NaN where missing. `bands` gives each row its prevalence band, for prevalence
    /// measured in coarser bands than the life table: rows with the same number share one
    /// estimate and its error, and each row of a prevalence band repeats that estimate (or is
    /// NaN). Numbers run from 0 to the number of life-table bands − 1 (the index of the band's
    /// first row is a natural choice); a negative number says the row is in no prevalence band,
    /// which is an error. nil: every row is its own prevalence band.
    public struct Prevalence: Sendable {
        /// How `values` and `precision` are to be read.
        public enum Measure: Sendable {
            /// `values` are proportions πᵢ (0–1), `precision` sample sizes Nᵢ: Var(π) = π(1 − π)/N.
            case sampleSize
            /// `values` are proportions πᵢ (0–1), `precision` their standard errors (survey
            /// designs): Var(π) = SE².
            case standardError
            /// `values` are numbers healthy, `precision` numbers surveyed: π = healthy/surveyed,
            /// N = surveyed.
            case counts
        }

        /// How to read `values` and `precision`.
        public let measure: Measure
        /// πᵢ, or the number healthy, per row; NaN where missing.
        public let values: [Double]
        /// Nᵢ, SE(πᵢ) or the number surveyed, per row; NaN where missing.
        public let precision: [Double]
        /// The prevalence band of each row, or nil for one band per row.
        public let bands: [Int]?

        /// Proportions healthy (0–1) with their survey sample sizes.
        /// - Precondition: the arrays (and `bands`, when given) have the same length.
        public init(proportions: [Double], sampleSizes: [Double], bands: [Int]? = nil) {
            self.init(measure: .sampleSize, values: proportions, precision: sampleSizes, bands: bands)
        }

        /// Proportions healthy (0–1) with their standard errors.
        /// - Precondition: the arrays (and `bands`, when given) have the same length.
        public init(proportions: [Double], standardErrors: [Double], bands: [Int]? = nil) {
            self.init(measure: .standardError, values: proportions, precision: standardErrors, bands: bands)
        }

        /// Numbers healthy and numbers surveyed.
        /// - Precondition: the arrays (and `bands`, when given) have the same length.
        public init(healthy: [Double], surveyed: [Double], bands: [Int]? = nil) {
            self.init(measure: .counts, values: healthy, precision: surveyed, bands: bands)
        }

        /// Any measure.
        /// - Precondition: the arrays (and `bands`, when given) have the same length.
        public init(measure: Measure, values: [Double], precision: [Double], bands: [Int]? = nil) {
            precondition(values.count == precision.count, "one precision per prevalence")
            precondition(bands.map { $0.count == values.count } ?? true, "one prevalence band per row")
            self.measure = measure
            self.values = values
            self.precision = precision
            self.bands = bands
        }

        /// The rows reordered: row `i` of the result is row `order[i]` of this one.
        func reordered(_ order: [Int]) -> Prevalence {
            Prevalence(
                measure: measure, values: order.map { values[$0] }, precision: order.map { precision[$0] },
                bands: bands.map { b in order.map { b[$0] } })
        }
    }

    /// HLE at each start age in `ages` for one group, from its deaths, populations and
    /// prevalence (METHODS.md §9 on the life table of §5).
    ///
    /// `startAges`, `deaths`, `populations` and the rows of `prevalence` are the group's rows
    /// in any order, one row per life-table band (the 20 bands of `LifeExpectancy`). Returns
    /// one result per entry of `ages`, in that order.
    ///
    /// Suppression:
    /// - the group rules of `LifeExpectancy.compute` (band set, missing values, D < 0, P ≤ 0,
    ///   D > P, ΣP ≤ 5,000): every result empty, with the same note;
    /// - the single-value rules of `LifeExpectancy.compute` at start age x apply to the whole
    ///   row: where eₓ is blanked (95% interval wider than 20 years) HLEₓ, the years in poorer
    ///   health and the per cent are blanked too and HLE's limits kept; where lₓ = 0 HLEₓ = eₓ
    ///   = 0 with empty limits; where e is not finite, everything is empty;
    /// - πᵢ missing in a band at or above x (or nobody surveyed there): HLEₓ and what follows
    ///   from it empty, "missing prevalence in band 85-89" ("no one surveyed in band …");
    /// - Nᵢ = 0, Nᵢ or SEᵢ missing in a band at or above x: HLEₓ kept, limits empty, "sample
    ///   size 0 in band …" ("missing sample size …", "missing prevalence SE …").
    ///
    /// - Throws: `IndicatorError` naming the band and value: π outside [0, 1]; N, SE or a count
    ///   negative or infinite; healthy > surveyed; two rows of one prevalence band that give
    ///   different values; a row in no prevalence band; an age in `ages` that no band starts at.
    /// - Precondition: one prevalence row per row; `ages` is not empty.
    /// - Complexity: O(b + ages · levels) for b rows.
    public static func compute(
        startAges: [Int], deaths: [Double?], populations: [Double?], prevalence: Prevalence,
        ages: [Int] = [0], variance: Variance = .mathers, levels: [ConfidenceLevel] = ConfidenceLevel.defaults
    ) throws(IndicatorError) -> [HealthyLifeExpectancyResult] {
        precondition(
            startAges.count == deaths.count && deaths.count == populations.count
                && prevalence.values.count == startAges.count,
            "startAges, deaths, populations and prevalence must have one entry per row")
        if let note = LifeExpectancy.bandSetNote(startAges: startAges) {
            _ = try slotIndices(ages: ages, startAges: LifeExpectancy.startAges)
            return ages.map { .suppressed(startAge: $0, levels: levels.count, note: note) }
        }
        // Exactly the 20 bands: order[b] is the row of band b.
        var order = [Int](repeating: 0, count: LifeExpectancy.bandCount)
        for (row, age) in startAges.enumerated() { order[LifeExpectancy.bandIndex(startAge: age)!] = row }
        do {
            return try batch(
                deaths: order.map { deaths[$0] ?? .nan }, populations: order.map { populations[$0] ?? .nan },
                groupCount: 1, prevalence: prevalence.reordered(order), ages: ages, variance: variance, levels: levels
            ).results(group: 0)
        } catch {
            throw error.error
        }
    }

    /// HLE at each start age in `ages` (default: every band) from a life table already built,
    /// e.g. with a published example's own q₀ and L₀ (METHODS.md §9, the EHEMU guide).
    ///
    /// `prevalence` has one row per band of `table`, in band order. The single-value rules of
    /// `compute` apply (from the table's e and SE); the group rules do not: check the group
    /// with `LifeExpectancy.suppressionNote` first. Bands are named by their labels (`0`,
    /// `1-4`, …, `85+`) in notes and errors.
    /// - Throws: as `compute`.
    /// - Precondition: one prevalence row per band; `ages`, when given, is not empty.
    /// - Complexity: O(bands + ages · levels).
    public static func compute(
        table: LifeTable, prevalence: Prevalence, ages: [Int]? = nil, variance: Variance = .mathers,
        levels: [ConfidenceLevel] = ConfidenceLevel.defaults
    ) throws(IndicatorError) -> [HealthyLifeExpectancyResult] {
        let count = table.startAges.count
        precondition(prevalence.values.count == count, "one prevalence row per band of the table")
        let ages = ages ?? table.startAges
        let slots = try slotIndices(ages: ages, startAges: table.startAges)
        let labels = LifeTableKernel.labels(startAges: table.startAges)
        // The table's columns in the kernel's scratch layout (`LifeTableKernel.Pointers`).
        var columns = table.kernelColumns
        var output = SullivanOutput(cells: ages.count, levels: levels.count)
        let failure = columns.withUnsafeMutableBufferPointer { columns in
            SullivanKernel.withPrevalence(prevalence) { rows in
                output.withPointers { out in
                    SullivanKernel.runTable(
                        table: LifeTableKernel.Pointers(scratch: columns.baseAddress!, count: count), count: count,
                        prevalence: rows, labels: labels, slots: slots, levels: levels, mathers: variance == .mathers,
                        out: out)
                }
            }
        }
        if let failure { throw failure }
        let batch = HealthyLifeExpectancyBatch(
            groupCount: 1, ages: ages, levels: levels, variance: variance, bandLabels: labels, output: output)
        return batch.results(group: 0)
    }

    /// The z statistic for the difference of two HLEs, (HLE₁ − HLE₂)/√(SE₁² + SE₂²), or with
    /// `conservative` the EHEMU guide's (HLE₁ − HLE₂)/(SE₁ + SE₂) (METHODS.md §9). nil when
    /// either value or SE is missing.
    /// - Complexity: O(1).
    public static func differenceZ(
        _ first: HealthyLifeExpectancyResult, _ second: HealthyLifeExpectancyResult, conservative: Bool = false
    ) -> Double? {
        guard let h1 = first.healthyLifeExpectancy.value, let h2 = second.healthyLifeExpectancy.value,
            let s1 = first.standardError, let s2 = second.standardError
        else { return nil }
        let z = (h1 - h2) / (conservative ? s1 + s2 : (s1 * s1 + s2 * s2).squareRoot())
        return z.isFinite ? z : nil
    }

    // MARK: - Helpers

    /// The band index of each requested age, or an error naming the first age no band starts at.
    static func slotIndices(ages: [Int], startAges: [Int]) throws(IndicatorError) -> [Int] {
        var slots: [Int] = []
        slots.reserveCapacity(ages.count)
        for age in ages {
            guard let band = startAges.firstIndex(of: age) else {
                throw IndicatorError(
                    "healthy life expectancy is reported at the start of a life-table band "
                        + "(\(startAges.map(String.init).joined(separator: ", ")))",
                    value: String(age))
            }
            slots.append(band)
        }
        return slots
    }
}

/// Healthy life expectancy at one start age of one group (METHODS.md §9).
public struct HealthyLifeExpectancyResult: Equatable, Sendable {
    /// The start age x.
    public var startAge: Int
    /// HLEₓ with its limits at each level asked for, and the note saying why a value or limit
    /// is empty (nil when there is nothing to say).
    public var healthyLifeExpectancy: Estimate
    /// eₓ from the same life table, or nil where blanked.
    public var lifeExpectancy: Double?
    /// eₓ − HLEₓ, or nil where either is empty.
    public var yearsInPoorerHealth: Double?
    /// 100·HLEₓ/eₓ, or nil where either is empty or eₓ = 0.
    public var percentInGoodHealth: Double?
    /// SE(HLEₓ) = √Var, or nil where the limits are empty.
    public var standardError: Double?
    /// The prevalence part of Var(HLEₓ), or nil where not computed.
    public var prevalenceVariance: Double?
    /// The mortality part of Var(HLEₓ), or nil where not computed or not asked for (`Variance.prevalence`).
    public var mortalityVariance: Double?

    /// Creates a result; non-finite numbers become nil.
    public init(
        startAge: Int, healthyLifeExpectancy: Estimate, lifeExpectancy: Double?, yearsInPoorerHealth: Double?,
        percentInGoodHealth: Double?, standardError: Double?, prevalenceVariance: Double?, mortalityVariance: Double?
    ) {
        func finite(_ x: Double?) -> Double? { x.flatMap { $0.isFinite ? $0 : nil } }
        self.startAge = startAge
        self.healthyLifeExpectancy = healthyLifeExpectancy
        self.lifeExpectancy = finite(lifeExpectancy)
        self.yearsInPoorerHealth = finite(yearsInPoorerHealth)
        self.percentInGoodHealth = finite(percentInGoodHealth)
        self.standardError = finite(standardError)
        self.prevalenceVariance = finite(prevalenceVariance)
        self.mortalityVariance = finite(mortalityVariance)
    }

    /// Why a value or limit is empty, or nil (the note of `healthyLifeExpectancy`).
    public var note: String? { healthyLifeExpectancy.note }

    /// An empty result with its note.
    static func suppressed(startAge: Int, levels: Int, note: String) -> HealthyLifeExpectancyResult {
        HealthyLifeExpectancyResult(
            startAge: startAge, healthyLifeExpectancy: .suppressed(levels: levels, note: note), lifeExpectancy: nil,
            yearsInPoorerHealth: nil, percentInGoodHealth: nil, standardError: nil, prevalenceVariance: nil,
            mortalityVariance: nil)
    }
}

// Decomposition of a life-expectancy gap by age and cause, Arriaga's method (METHODS.md §10).
//
// Implementation goals, in priority order: Preston, Heuveline & Guillot's box 4.3 to the
// published decimal, Σ contributions = gap to rounding, one set of formulas for every entry
// point (`arriaga` on two given tables, `compute` on rows and `batch` all run
// `ArriagaKernel`), then speed (`batch`: one pass, no allocation per pair).
//
// Sources:
//   E. E. Arriaga (1984), "Measuring and explaining the change in life expectancies",
//   Demography 21(1):83–96.
//   S. H. Preston, P. Heuveline, M. Guillot (2001), "Demography: Measuring and Modeling
//   Population Processes", Blackwell, §3.8 and box 4.3 (by cause).
//   OHID Segment Tool, technical guidance (the by-cause split as a share of the band's
//   death-rate difference).
//
// By cause, mᶜₓ = mₓ·Dᶜₓ/Dₓ is computed as Dᶜₓ/Pₓ (the same number, and 0 without a 0/0 where
// Dₓ = 0). The residual cause has the deaths the named causes leave, so the causes' rate
// differences add up to the band's and their contributions to Δₓ.

/// How many years of the gap in life expectancy at birth between a base population (1) and
/// a comparator (2) come from each age band, and within it from each cause of death, by
/// Arriaga's method (METHODS.md §10).
///
/// ```
/// direct_x = (l¹ₓ/l¹₀)·(L²ₓ/l²ₓ − L¹ₓ/l¹ₓ)
/// indirect_x + interaction_x = (T²ₓ₊ₙ/l¹₀)·(l¹ₓ/l²ₓ − l¹ₓ₊ₙ/l²ₓ₊ₙ)
/// indirect_x = (T¹ₓ₊ₙ/l¹₀)·(l¹ₓ·l²ₓ₊ₙ/(l²ₓ·l¹ₓ₊ₙ) − 1)
/// open band ω: Δ_ω = (l¹_ω/l¹₀)·(T²_ω/l²_ω − T¹_ω/l¹_ω)
/// Σₓ Δₓ = e²₀ − e¹₀;  by cause Δᶜₓ = Δₓ·(mᶜ²ₓ − mᶜ¹ₓ)/(m²ₓ − m¹ₓ) (0 where m²ₓ = m¹ₓ)
/// ```
///
/// The method is directional; `symmetric` reports (Arriaga(1→2) − Arriaga(2→1))/2, which
/// still sums to e²₀ − e¹₀. Causes are made exhaustive by a residual "other" cause holding
/// the deaths the named causes leave, so Σ_c Δᶜₓ = Δₓ.
///
/// Sources: Arriaga (1984), Demography 21:83–96; Preston, Heuveline & Guillot (2001), box 4.3.
public enum LifeExpectancyDecomposition {
    /// The default tolerance on causes that sum to more than all deaths: 1e-9 of the deaths
    /// (floating-point rounding of non-integer counts; integer counts must not exceed at all).
    public static let defaultCauseTolerance = 1e-9

    /// One population's rows for `compute`: the 20 life-table bands in any order.
    public struct Group: Sendable {
        /// The start age of each row.
        public var startAges: [Int]
        /// All-cause deaths per row.
        public var deaths: [Double?]
        /// Population per row.
        public var populations: [Double?]
        /// Deaths by cause: one array per cause, one entry per row; a missing entry counts as 0.
        public var causeDeaths: [[Double?]]

        /// Creates a group's rows.
        /// - Precondition: every array has one entry per row.
        public init(startAges: [Int], deaths: [Double?], populations: [Double?], causeDeaths: [[Double?]] = []) {
            precondition(
                deaths.count == startAges.count && populations.count == startAges.count
                    && causeDeaths.allSatisfy { $0.count == startAges.count },
                "one value per row")
            self.startAges = startAges
            self.deaths = deaths
            self.populations = populations
            self.causeDeaths = causeDeaths
        }
    }

    /// One side of a batch: `pairCount` groups of 20 bands, flat.
    public struct Groups: Sendable {
        /// All-cause deaths, group g's band b at g·20 + b; NaN where missing.
        public var deaths: [Double]
        /// Populations, at g·20 + b; NaN where missing.
        public var populations: [Double]
        /// Deaths by cause, cause c of group g's band b at (g·20 + b)·causeCount + c; NaN
        /// counts as 0. Empty when there are no causes.
        public var causeDeaths: [Double]

        /// Creates one side of a batch.
        public init(deaths: [Double], populations: [Double], causeDeaths: [Double] = []) {
            self.deaths = deaths
            self.populations = populations
            self.causeDeaths = causeDeaths
        }
    }

    /// Arriaga's decomposition between two life tables already built (e.g. from death rates,
    /// as in Preston et al.'s box 4.3), with no §5 rules applied.
    ///
    /// `baseCauseDeaths` and `comparatorCauseDeaths` hold one array per cause, one entry per
    /// band, in the units of the table's deaths (for a table built from rates, the cause's
    /// share of the rate: rate × share); both empty, or one array per cause each.
    /// - Throws: `IndicatorError` when the tables' bands differ, when a cause's deaths are
    ///   negative or not finite, or when the causes of a band sum to more than its deaths
    ///   (beyond `causeTolerance`, a fraction of the deaths), naming the band.
    /// - Complexity: O(bands · causes).
    public static func arriaga(
        base: LifeTable, comparator: LifeTable, baseCauseDeaths: [[Double]] = [], comparatorCauseDeaths: [[Double]] = [],
        causeNames: [String] = [], symmetric: Bool = false, causeTolerance: Double = defaultCauseTolerance
    ) throws(IndicatorError) -> LifeExpectancyDecompositionResult {
        guard base.startAges == comparator.startAges else {
            throw IndicatorError("the two life tables must have the same bands")
        }
        precondition(baseCauseDeaths.count == comparatorCauseDeaths.count, "the same causes for both populations")
        let count = base.startAges.count
        let causeCount = baseCauseDeaths.count
        precondition(
            (baseCauseDeaths + comparatorCauseDeaths).allSatisfy { $0.count == count }, "one cause death count per band")
        // Band-major cause deaths, as the kernel reads them.
        func flat(_ causes: [[Double]]) -> [Double] {
            (0..<(count * causeCount)).map { causes[$0 % causeCount][$0 / causeCount] }
        }
        var output = ArriagaOutput(pairs: 1, bands: count, causeCount: causeCount)
        var columns1 = base.kernelColumns, columns2 = comparator.kernelColumns
        let labels = LifeTableKernel.labels(startAges: base.startAges)
        let causes1 = flat(baseCauseDeaths), causes2 = flat(comparatorCauseDeaths)
        let failure: IndicatorError? = columns1.withUnsafeMutableBufferPointer { c1 in
            columns2.withUnsafeMutableBufferPointer { c2 in
                ArriagaKernel.Side.with(deaths: base.deaths, populations: base.populations, causes: causes1) { side1 in
                    ArriagaKernel.Side.with(
                        deaths: comparator.deaths, populations: comparator.populations, causes: causes2
                    ) { side2 in
                        output.withPointers { out in
                            ArriagaKernel.runTables(
                                t1: LifeTableKernel.Pointers(scratch: c1.baseAddress!, count: count),
                                t2: LifeTableKernel.Pointers(scratch: c2.baseAddress!, count: count), side1: side1,
                                side2: side2, count: count, causeCount: causeCount, labels: labels,
                                causeNames: causeNames, symmetric: symmetric, tolerance: causeTolerance, out: out)
                        }
                    }
                }
            }
        }
        if let failure { throw failure }
        return LifeExpectancyDecompositionBatch(
            pairCount: 1, startAges: base.startAges, causeNames: resolvedCauseNames(causeNames, count: causeCount),
            symmetric: symmetric, output: output
        ).result(pair: 0)
    }

    /// Arriaga's decomposition between two groups' rows (METHODS.md §10 on the life tables of
    /// §5), with the rules of `LifeExpectancy.compute`.
    ///
    /// Either group refused by §5, or with its life expectancy at birth blanked (95% interval
    /// wider than 20 years; zero deaths in 90+), leaves the result empty (NaN columns, nil life
    /// expectancies) with a note naming the side: "base: total population ≤ 5,000". A life
    /// table with no survivors to some age (q = 1 before the open band) leaves it empty too.
    /// - Throws: `IndicatorError` when the two groups have different numbers of causes, a
    ///   cause's deaths are negative or not finite, or a band's causes sum to more than its
    ///   deaths (beyond `causeTolerance` of them), naming the band and cause.
    /// - Complexity: O(b log b + 20 · causes) for b rows.
    public static func compute(
        base: Group, comparator: Group, causeNames: [String] = [], symmetric: Bool = false,
        causeTolerance: Double = defaultCauseTolerance
    ) throws(IndicatorError) -> LifeExpectancyDecompositionResult {
        guard base.causeDeaths.count == comparator.causeDeaths.count else {
            throw IndicatorError("the base and comparator must give deaths for the same causes")
        }
        let causeCount = base.causeDeaths.count
        let names = resolvedCauseNames(causeNames, count: causeCount)
        for (side, group) in [("base", base), ("comparator", comparator)] {
            if let note = LifeExpectancy.bandSetNote(startAges: group.startAges) {
                return .empty(
                    startAges: LifeExpectancy.startAges, causeNames: names, symmetric: symmetric, note: side + ": " + note)
            }
        }
        func flat(_ group: Group) -> Groups {
            var order = [Int](repeating: 0, count: LifeExpectancy.bandCount)
            for (row, age) in group.startAges.enumerated() { order[LifeExpectancy.bandIndex(startAge: age)!] = row }
            var causes: [Double] = []
            causes.reserveCapacity(LifeExpectancy.bandCount * causeCount)
            for row in order { for c in 0..<causeCount { causes.append(group.causeDeaths[c][row] ?? .nan) } }
            return Groups(
                deaths: order.map { group.deaths[$0] ?? .nan }, populations: order.map { group.populations[$0] ?? .nan },
                causeDeaths: causes)
        }
        do {
            return try batch(
                base: flat(base), comparator: flat(comparator), pairCount: 1, causeCount: causeCount, causeNames: names,
                symmetric: symmetric, causeTolerance: causeTolerance
            ).result(pair: 0)
        } catch {
            throw error.error
        }
    }

    /// "cause 1", "cause 2", … for causes without a name.
    static func resolvedCauseNames(_ names: [String], count: Int) -> [String] {
        (0..<count).map { $0 < names.count ? names[$0] : "cause \($0 + 1)" }
    }
}

/// Arriaga's decomposition of one gap: by age band, by cause within each band, and in total.
public struct LifeExpectancyDecompositionResult: Equatable, Sendable {
    /// The start age of each band.
    public var startAges: [Int]
    /// The names of the causes, in the order of `causes`.
    public var causeNames: [String]
    /// Whether the contributions are the mean of both directions.
    public var symmetric: Bool
    /// e₀ of the base population (1), or nil where empty.
    public var lifeExpectancyBase: Double?
    /// e₀ of the comparator (2), or nil where empty.
    public var lifeExpectancyComparator: Double?
    /// Per band: the direct effect (more years lived within the band). NaN where empty.
    public var direct: [Double]
    /// Per band: the indirect effect (more people alive at the band's end). NaN where empty.
    public var indirect: [Double]
    /// Per band: the interaction effect. NaN where empty.
    public var interaction: [Double]
    /// Per band: Δₓ = direct + indirect + interaction. NaN where empty.
    public var total: [Double]
    /// Per cause, per band: Δᶜₓ. Empty without causes.
    public var causes: [[Double]]
    /// Per band: the residual cause's Δ, or nil when the named causes account for every
    /// death of every band in both populations (or no causes were given).
    public var other: [Double]?
    /// Why the decomposition is empty, or nil.
    public var note: String?

    /// Σₓ Δₓ, the gap e²₀ − e¹₀ as the decomposition accounts for it; NaN where empty.
    public var gap: Double { total.reduce(0, +) }

    /// The rows a `decompose` table writes: for each band (then all ages, `startAge` nil) the
    /// total (`cause` nil), each cause and the residual "other", with years and per cent of
    /// the gap (100·Δ/ΣΔ; a contribution may have the opposite sign to the gap). Empty values
    /// are nil. Without causes, one row per band and one for all ages.
    /// - Complexity: O(bands · causes).
    public func rows() -> [LifeExpectancyDecompositionRow] {
        let gap = self.gap
        func row(_ startAge: Int?, _ cause: String?, _ years: Double) -> LifeExpectancyDecompositionRow {
            LifeExpectancyDecompositionRow(startAge: startAge, cause: cause, years: years, percentOfGap: 100 * years / gap)
        }
        var rows: [LifeExpectancyDecompositionRow] = []
        let bands = startAges.count
        rows.reserveCapacity((bands + 1) * (causes.count + 2))
        func add(_ startAge: Int?, _ pick: ([Double]) -> Double) {
            rows.append(row(startAge, nil, pick(total)))
            for (name, values) in zip(causeNames, causes) { rows.append(row(startAge, name, pick(values))) }
            if let other { rows.append(row(startAge, "other", pick(other))) }
        }
        for b in 0..<bands { add(startAges[b]) { $0[b] } }
        add(nil) { $0.reduce(0, +) }
        return rows
    }

    /// An empty result with a note.
    static func empty(startAges: [Int], causeNames: [String], symmetric: Bool, note: String) -> Self {
        let nan = [Double](repeating: .nan, count: startAges.count)
        return LifeExpectancyDecompositionResult(
            startAges: startAges, causeNames: causeNames, symmetric: symmetric, lifeExpectancyBase: nil,
            lifeExpectancyComparator: nil, direct: nan, indirect: nan, interaction: nan, total: nan,
            causes: causeNames.map { _ in nan }, other: nil, note: note)
    }

    /// Equal when every field is, NaN matching NaN (an empty result equals itself).
    public static func == (lhs: Self, rhs: Self) -> Bool {
        func same(_ a: [Double], _ b: [Double]) -> Bool {
            a.count == b.count && zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
        }
        return lhs.startAges == rhs.startAges && lhs.causeNames == rhs.causeNames && lhs.symmetric == rhs.symmetric
            && lhs.lifeExpectancyBase == rhs.lifeExpectancyBase
            && lhs.lifeExpectancyComparator == rhs.lifeExpectancyComparator && same(lhs.direct, rhs.direct)
            && same(lhs.indirect, rhs.indirect) && same(lhs.interaction, rhs.interaction) && same(lhs.total, rhs.total)
            && lhs.causes.count == rhs.causes.count && zip(lhs.causes, rhs.causes).allSatisfy { same($0, $1) }
            && (lhs.other == nil) == (rhs.other == nil) && same(lhs.other ?? [], rhs.other ?? []) && lhs.note == rhs.note
    }
}

/// One row of a decomposition table: a band (or all ages) and a cause (or all causes).
public struct LifeExpectancyDecompositionRow: Equatable, Sendable {
    /// The band's start age, or nil for all ages.
    public var startAge: Int?
    /// The cause's name (`other` for the residual), or nil for all causes.
    public var cause: String?
    /// Years of the gap; nil where empty.
    public var years: Double?
    /// 100·years/ΣΔ; nil where empty or the gap is 0.
    public var percentOfGap: Double?

    /// Creates a row; non-finite numbers become nil.
    public init(startAge: Int?, cause: String?, years: Double?, percentOfGap: Double?) {
        self.startAge = startAge
        self.cause = cause
        self.years = years.flatMap { $0.isFinite ? $0 : nil }
        self.percentOfGap = percentOfGap.flatMap { $0.isFinite ? $0 : nil }
    }
}

// Life expectancy from an abridged life table (METHODS.md §5).
//
// Implementation goals, in priority order: the reference numbers (PHE life expectancy
// calculator, to 4 decimal places), one set of formulas shared by every entry point (the
// single-group `compute`, the `LifeTable` columns and the batched kernel in
// `LifeExpectancy+Batch.swift` all call `LifeTableKernel.fill`, in `LifeTable.swift`), then speed.
//
// Sources:
//   C. L. Chiang (1984), "The Life Table and its Applications", Robert E. Krieger, Malabar FL
//   (abridged life table, method II).
//   K. Silcocks, D. A. Jenner, R. Reza (2001), "Life expectancy as a summary of mortality in a
//   population: statistical considerations and suitability for use by health authorities",
//   J Epidemiol Community Health 55:38–43 (variance of the life expectancy, open last band).

/// Life expectancy at every standard start age for one group (METHODS.md §5).
///
/// Chiang's abridged life table (method II) with Silcocks' variance, on the 20 bands
/// 0, 1–4, 5–9, …, 85–89, 90+:
///
/// ```
/// Mᵢ = Dᵢ/Pᵢ;  nᵢ = sᵢ₊₁ − sᵢ (last band n = 2/M);  a = 0.1 at age 0, else 0.5
/// qᵢ = nᵢMᵢ / (1 + nᵢMᵢ(1 − aᵢ)), or 1 when Dᵢ > Pᵢ/(nᵢaᵢ); last band q = 1
/// l₁ = 100,000;  lᵢ₊₁ = lᵢ(1 − qᵢ);  dᵢ = lᵢ − lᵢ₊₁ (last d = l)
/// Lᵢ = nᵢ(lᵢ₊₁ + aᵢdᵢ) (last L = l/M);  Tᵢ = Σⱼ≥ᵢ Lⱼ;  eᵢ = Tᵢ/lᵢ (0 where lᵢ = 0)
/// s²ᵢ = qᵢ²(1 − qᵢ)/Dᵢ (0 where dᵢ = 0; last s² = 4/(D·M²))
/// Wᵢ = s²ᵢ·lᵢ²·((1 − aᵢ)nᵢ + eᵢ₊₁)² (last W = (l/2)²·s²)
/// SE(eᵢ) = √(Σⱼ≥ᵢ Wⱼ)/lᵢ;  limits eᵢ ± z·SE
/// ```
///
/// Sources: Chiang (1984), "The Life Table and its Applications"; Silcocks, Jenner, Reza
/// (2001), J Epidemiol Community Health 55:38–43; the PHE life expectancy calculator.
public enum LifeExpectancy {
    /// The 20 start ages 0, 1, 5, 10, …, 85, 90.
    public static let startAges: [Int] = [0, 1] + Array(stride(from: 5, through: 90, by: 5))

    /// The canonical labels of the 20 bands: `0`, `1-4`, `5-9`, …, `85-89`, `90+`.
    public static let bandLabels: [String] = LifeTableKernel.labels(startAges: startAges)

    /// The number of bands in a life-table group (20).
    public static var bandCount: Int { startAges.count }

    /// Life expectancy and its limits at each of the 20 start ages for one group (METHODS.md §5).
    ///
    /// `startAges`, `deaths` and `populations` are the group's rows in any order (start ages
    /// already parsed from labels by the caller, e.g. with `AgeBand.resolve(labels:)`); the
    /// three arrays must have the same length. Returns one `Estimate` per standard start age,
    /// ascending (0, 1, 5, …, 90), each with one pair of limits per level in `levels`.
    ///
    /// Suppression (all 20 estimates empty, same note) when the group is not computable:
    /// - it does not have exactly the 20 bands: "group does not have exactly the 20
    ///   life-table bands (missing 85-89)" (also "repeated …", "unexpected start age …");
    /// - a value is missing or not finite: "missing deaths in band 5-9";
    /// - any Dᵢ < 0: "deaths < 0 in band 5-9";
    /// - any Pᵢ ≤ 0: "population ≤ 0 in band 5-9";
    /// - any Dᵢ > Pᵢ: "deaths > population in band 90+";
    /// - ΣPᵢ ≤ 5,000: "total population ≤ 5,000".
    ///
    /// Single values:
    /// - blanked, limits kept, where 1.959964·SE > 10: "95% interval wider than 20 years"
    ///   (the 95% width, whatever `levels` are);
    /// - 0 with empty limits where lᵢ = 0 (everyone died in an earlier band): "no survivors
    ///   to this age";
    /// - empty (value and limits) where not finite, which for a valid group happens only
    ///   with zero deaths in 90+ (M = 0): "zero deaths in band 90+: life expectancy is not
    ///   finite".
    /// Zero deaths in any other band are fine.
    ///
    /// - Complexity: O(b log b) for b rows (sorting), plus O(20 · levels).
    public static func compute(
        startAges: [Int], deaths: [Double?], populations: [Double?],
        levels: [ConfidenceLevel] = ConfidenceLevel.defaults
    ) -> [Estimate] {
        precondition(
            startAges.count == deaths.count && deaths.count == populations.count,
            "startAges, deaths and populations must have one entry per row")
        if let note = bandSetNote(startAges: startAges) {
            return Array(repeating: .suppressed(levels: levels.count, note: note), count: bandCount)
        }
        let (orderedDeaths, orderedPopulations) = ordered(startAges: startAges, deaths: deaths, populations: populations)
        if let reason = GroupCheck.check(deaths: orderedDeaths, populations: orderedPopulations) {
            return Array(repeating: .suppressed(levels: levels.count, note: reason.note), count: bandCount)
        }
        let table = LifeTable(deaths: orderedDeaths, populations: orderedPopulations)
        let z = levels.map(\.z)
        let z95 = ConfidenceLevel.ninetyFive.z
        return (0..<bandCount).map { i in
            let e = table.lifeExpectancy[i]
            let se = table.standardError[i]
            let cell = CellRule.classify(e: e, se: se, survivors: table.survivors[i], z95: z95)
            let limits = z.map { zk -> ConfidenceLimits in
                cell.limitsKept ? ConfidenceLimits(lower: e - zk * se, upper: e + zk * se) : .missing
            }
            let value: Double? = cell.valueKept ? e : nil
            return Estimate(value: value, limits: limits, note: cell.note)
        }
    }

    /// The note saying why a group's life expectancy is not computed, or nil when it is
    /// computable (the group-level rules of `compute`, METHODS.md §5).
    ///
    /// Use it before building a `LifeTable` for later methods (Sullivan, Arriaga).
    /// - Complexity: O(b log b) for b rows.
    public static func suppressionNote(startAges: [Int], deaths: [Double?], populations: [Double?]) -> String? {
        precondition(startAges.count == deaths.count && deaths.count == populations.count)
        if let note = bandSetNote(startAges: startAges) { return note }
        let (d, p) = ordered(startAges: startAges, deaths: deaths, populations: populations)
        return GroupCheck.check(deaths: d, populations: p)?.note
    }

    // MARK: - Helpers

    /// The rows reordered to the standard bands; a missing value becomes NaN.
    private static func ordered(
        startAges: [Int], deaths: [Double?], populations: [Double?]
    ) -> ([Double], [Double]) {
        var d = [Double](repeating: .nan, count: bandCount)
        var p = [Double](repeating: .nan, count: bandCount)
        for (row, age) in startAges.enumerated() {
            guard let band = bandIndex(startAge: age) else { continue }
            d[band] = deaths[row] ?? .nan
            p[band] = populations[row] ?? .nan
        }
        return (d, p)
    }

    /// The index of a standard start age, or nil.
    static func bandIndex(startAge: Int) -> Int? {
        switch startAge {
        case 0: return 0
        case 1: return 1
        case 5...90 where startAge % 5 == 0: return startAge / 5 + 1
        default: return nil
        }
    }

    /// Why the start ages are not exactly the 20 bands, or nil.
    static func bandSetNote(startAges: [Int]) -> String? {
        var seen = [Int](repeating: 0, count: bandCount)
        var unexpected: [Int] = []
        for age in startAges {
            if let band = bandIndex(startAge: age) { seen[band] += 1 } else { unexpected.append(age) }
        }
        let missing = (0..<bandCount).filter { seen[$0] == 0 }.map { bandLabels[$0] }
        let repeated = (0..<bandCount).filter { seen[$0] > 1 }.map { bandLabels[$0] }
        guard !missing.isEmpty || !repeated.isEmpty || !unexpected.isEmpty else { return nil }
        var parts: [String] = []
        if !missing.isEmpty { parts.append("missing " + missing.joined(separator: ", ")) }
        if !repeated.isEmpty { parts.append("repeated " + repeated.joined(separator: ", ")) }
        if !unexpected.isEmpty {
            parts.append("unexpected start age " + unexpected.sorted().map(String.init).joined(separator: ", "))
        }
        return "group does not have exactly the 20 life-table bands (" + parts.joined(separator: "; ") + ")"
    }
}

// MARK: - Group-level rules

/// Why a whole group is not computed (METHODS.md §5), checked in this order. Stored in the
/// batch result as a one-byte code plus the band index.
enum GroupCheck: UInt8 {
    case missingDeaths = 1
    case missingPopulation
    case negativeDeaths
    case nonPositivePopulation
    case deathsAbovePopulation
    case smallTotalPopulation

    /// A failed rule and the band it failed in (0 for the total-population rule).
    struct Failure: Equatable {
        var rule: GroupCheck
        var band: Int

        var note: String { rule.note(band: band) }
    }

    /// The note for this rule in band `band`.
    func note(band: Int) -> String {
        let label = LifeExpectancy.bandLabels[band]
        switch self {
        case .missingDeaths: return "missing deaths in band \(label)"
        case .missingPopulation: return "missing population in band \(label)"
        case .negativeDeaths: return "deaths < 0 in band \(label)"
        case .nonPositivePopulation: return "population ≤ 0 in band \(label)"
        case .deathsAbovePopulation: return "deaths > population in band \(label)"
        case .smallTotalPopulation: return "total population ≤ 5,000"
        }
    }

    /// The first rule that 20 ordered bands fail, or nil.
    static func check(deaths: [Double], populations: [Double]) -> Failure? {
        deaths.withUnsafeBufferPointer { d in
            populations.withUnsafeBufferPointer { p in
                check(deaths: d.baseAddress!, populations: p.baseAddress!, count: d.count)
            }
        }
    }

    /// The first rule that `count` ordered bands fail, or nil. A non-finite value is missing.
    @inline(__always)
    static func check(deaths d: UnsafePointer<Double>, populations p: UnsafePointer<Double>, count: Int) -> Failure? {
        // One cheap pass decides the common case; the ordered passes run only on failure,
        // so that the note names the first rule in METHODS.md order, then the first band.
        var ok = true
        var total = 0.0
        for i in 0..<count {
            let di = d[i], pi = p[i]
            ok = ok && di.isFinite && pi.isFinite && di >= 0 && pi > 0 && di <= pi
            total += pi
        }
        if ok { return total > 5_000 ? nil : Failure(rule: .smallTotalPopulation, band: 0) }
        for i in 0..<count where !d[i].isFinite { return Failure(rule: .missingDeaths, band: i) }
        for i in 0..<count where !p[i].isFinite { return Failure(rule: .missingPopulation, band: i) }
        for i in 0..<count where d[i] < 0 { return Failure(rule: .negativeDeaths, band: i) }
        for i in 0..<count where p[i] <= 0 { return Failure(rule: .nonPositivePopulation, band: i) }
        for i in 0..<count where d[i] > p[i] { return Failure(rule: .deathsAbovePopulation, band: i) }
        return nil  // unreachable: ok was false for one of the reasons above
    }
}

// MARK: - Rules for one value

/// What is reported for one start age of a computable group (METHODS.md §5).
enum CellRule: UInt8 {
    /// Value and limits as computed (non-finite limits become empty).
    case normal = 0
    /// 1.959964·SE > 10: value blanked, limits kept.
    case wideInterval
    /// lᵢ = 0: value 0, limits empty.
    case noSurvivors
    /// e not finite (zero deaths in 90+): value and limits empty.
    case notFinite

    @inline(__always)
    static func classify(e: Double, se: Double, survivors: Double, z95: Double) -> CellRule {
        if survivors == 0 { return .noSurvivors }
        if !e.isFinite { return .notFinite }
        if z95 * se > 10 { return .wideInterval }
        return .normal
    }

    var valueKept: Bool { self == .normal || self == .noSurvivors }
    var limitsKept: Bool { self == .normal || self == .wideInterval }

    var note: String? {
        switch self {
        case .normal: return nil
        case .wideInterval: return "95% interval wider than 20 years"
        case .noSurvivors: return "no survivors to this age"
        case .notFinite: return "zero deaths in band 90+: life expectancy is not finite"
        }
    }
}

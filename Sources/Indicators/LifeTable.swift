// The abridged life table (METHODS.md §5) as columns, and the one kernel that fills it.
//
// Every entry point that needs a life table runs `LifeTableKernel.fill`: `LifeTable`,
// `LifeExpectancy.compute` and `LifeExpectancy.batch`, and the batched kernels of
// `HealthyLifeExpectancy` (§9) and `LifeExpectancyDecomposition` (§10). The band rules
// (aᵢ, and the q and L a published example injects, such as the EHEMU guide's q₀ and L₀)
// are a generic parameter, so the standard Chiang II table pays nothing for them.
//
// Sources:
//   C. L. Chiang (1984), "The Life Table and its Applications", Robert E. Krieger, Malabar FL
//   (abridged life table, method II).
//   K. Silcocks, D. A. Jenner, R. Reza (2001), "Life expectancy as a summary of mortality in a
//   population: statistical considerations and suitability for use by health authorities",
//   J Epidemiol Community Health 55:38–43 (variance of the life expectancy, open last band).

/// The full abridged life table of one group (METHODS.md §5), column by column.
///
/// For later methods that need more than e and its SE: healthy life expectancy by
/// Sullivan's method (`HealthyLifeExpectancy`, Σⱼ≥ᵢ πⱼLⱼ/lᵢ) and Arriaga's decomposition
/// (`LifeExpectancyDecomposition`: lᵢ, Lᵢ, Tᵢ). Every column has one entry per band, in band
/// order. The formulas are those of `LifeExpectancy` (Chiang 1984, method II; Silcocks,
/// Jenner, Reza 2001).
///
/// `init` does not apply the suppression rules: check a group with
/// `LifeExpectancy.suppressionNote(startAges:deaths:populations:)` first. On input that
/// breaks them the columns follow IEEE arithmetic (e.g. zero deaths in the last band give
/// an infinite e).
///
/// ```swift
/// let table = LifeTable(deaths: deaths, populations: populations)  // 20 bands, ascending
/// let e0 = table.lifeExpectancy[0]
/// ```
public struct LifeTable: Sendable {
    /// The start age sᵢ of each band.
    public let startAges: [Int]
    /// Deaths Dᵢ, as given (the death rates, for a table built with `init(deathRates:…)`).
    public let deaths: [Double]
    /// Populations Pᵢ, as given (1 in every band, for a table built with `init(deathRates:…)`).
    public let populations: [Double]
    /// nᵢ: the band width sᵢ₊₁ − sᵢ; 2/M for the last, open band.
    public let intervalWidth: [Double]
    /// aᵢ: the fraction of the band lived by those who die in it (0.1 at age 0, else 0.5,
    /// unless given; 0.5 in the last band, where it is not used).
    public let fractionLivedByDying: [Double]
    /// Mᵢ = Dᵢ/Pᵢ: the age-specific death rate.
    public let deathRate: [Double]
    /// qᵢ: the probability of dying in the band, given alive at its start (1 in the last band).
    public let probabilityOfDying: [Double]
    /// lᵢ: the number alive at the start of the band, of 100,000 born.
    public let survivors: [Double]
    /// dᵢ = lᵢ − lᵢ₊₁: the life-table deaths in the band (d = l in the last band).
    public let lifeTableDeaths: [Double]
    /// Lᵢ: the person-years lived in the band.
    public let personYears: [Double]
    /// Tᵢ = Σⱼ≥ᵢ Lⱼ: the person-years lived from the start of the band on.
    public let personYearsRemaining: [Double]
    /// eᵢ = Tᵢ/lᵢ (0 where lᵢ = 0): life expectancy at the band's start age.
    public let lifeExpectancy: [Double]
    /// s²ᵢ: the variance of qᵢ, qᵢ²(1 − qᵢ)/Dᵢ (last band: 4/(D·M²), Silcocks). NaN for a
    /// table built from rates.
    public let varianceOfProbability: [Double]
    /// Wᵢ = s²ᵢ·lᵢ²·((1 − aᵢ)nᵢ + eᵢ₊₁)² (last band (l/2)²·s²): the band's variance term.
    /// NaN for a table built from rates.
    public let varianceTerm: [Double]
    /// SE(eᵢ) = √(Σⱼ≥ᵢ Wⱼ)/lᵢ (NaN where lᵢ = 0, and for a table built from rates).
    public let standardError: [Double]

    /// Builds the table for bands in ascending order of start age (default: the 20 standard bands).
    ///
    /// The first band's a is 0.1 when it starts at age 0; every other a is 0.5.
    /// - Precondition: the three arrays have the same, non-zero length, and start ages increase.
    /// - Complexity: O(bands).
    public init(deaths: [Double], populations: [Double], startAges: [Int] = LifeExpectancy.startAges) {
        let firstA = startAges.first == 0 ? 0.1 : 0.5
        self.init(deaths: deaths, populations: populations, startAges: startAges, rules: ChiangBands(firstA: firstA))
    }

    /// Builds the table with given aᵢ, and with qᵢ or Lᵢ of some bands given rather than
    /// computed, as published examples do (METHODS.md §9: the EHEMU guide's q₀ = 0.00360626
    /// and L₀ = 0.2·l₀ + 0.8·l₁).
    ///
    /// `fractionLivedByDying` has one aᵢ per closed band (every band but the last, whose L is
    /// l/M). An injected qᵢ replaces Chiang's q (and its cap) in lᵢ₊₁ and dᵢ, and in the
    /// variance s²ᵢ = qᵢ²(1 − qᵢ)/Dᵢ; an injected Lᵢ replaces nᵢ(lᵢ₊₁ + aᵢdᵢ) in Tᵢ and eᵢ, while
    /// aᵢ still enters the variance term Wᵢ. Injections are keyed by band index (0-based) and
    /// apply to closed bands only.
    /// - Precondition: as for `init(deaths:populations:startAges:)`, with
    ///   `fractionLivedByDying.count == startAges.count − 1` and injected indices below it.
    /// - Complexity: O(bands).
    public init(
        deaths: [Double], populations: [Double], startAges: [Int], fractionLivedByDying: [Double],
        injectedProbabilityOfDying: [Int: Double] = [:], injectedPersonYears: [Int: Double] = [:]
    ) {
        self = LifeTable.given(
            deaths: deaths, populations: populations, startAges: startAges, fractionLivedByDying: fractionLivedByDying,
            injectedProbabilityOfDying: injectedProbabilityOfDying, injectedPersonYears: injectedPersonYears,
            withVariance: true)
    }

    /// Builds the table from death rates mᵢ alone, as demographic textbooks do (METHODS.md §10:
    /// Preston, Heuveline & Guillot 2001, box 4.3, with aᵢ = 0.5).
    ///
    /// Columns as for deaths mᵢ in populations of 1; the variance columns and SE are NaN (a
    /// rate carries no count).
    /// - Precondition: as for `init(deaths:populations:startAges:fractionLivedByDying:…)`.
    /// - Complexity: O(bands).
    public init(deathRates: [Double], startAges: [Int], fractionLivedByDying: [Double]) {
        self = LifeTable.given(
            deaths: deathRates, populations: [Double](repeating: 1, count: deathRates.count), startAges: startAges,
            fractionLivedByDying: fractionLivedByDying, injectedProbabilityOfDying: [:], injectedPersonYears: [:],
            withVariance: false)
    }

    /// A table with given a and injected q and L (NaN variance columns unless `withVariance`).
    private static func given(
        deaths: [Double], populations: [Double], startAges: [Int], fractionLivedByDying: [Double],
        injectedProbabilityOfDying: [Int: Double], injectedPersonYears: [Int: Double], withVariance: Bool
    ) -> LifeTable {
        let closed = startAges.count - 1
        precondition(fractionLivedByDying.count == closed, "one a per band but the last")
        precondition(
            injectedProbabilityOfDying.keys.allSatisfy { (0..<closed).contains($0) }
                && injectedPersonYears.keys.allSatisfy { (0..<closed).contains($0) },
            "injected values are for closed bands")
        var q = [Double](repeating: .nan, count: max(closed, 0))
        var bigL = q
        for (band, value) in injectedProbabilityOfDying { q[band] = value }
        for (band, value) in injectedPersonYears { bigL[band] = value }
        return fractionLivedByDying.withUnsafeBufferPointer { a in
            q.withUnsafeBufferPointer { q in
                bigL.withUnsafeBufferPointer { bigL in
                    LifeTable(
                        deaths: deaths, populations: populations, startAges: startAges,
                        rules: GivenBands(
                            a: a.baseAddress, q: injectedProbabilityOfDying.isEmpty ? nil : q.baseAddress,
                            bigL: injectedPersonYears.isEmpty ? nil : bigL.baseAddress),
                        withVariance: withVariance)
                }
            }
        }
    }

    /// The shared body of the initialisers.
    private init<Rules: LifeTableBandRules>(
        deaths: [Double], populations: [Double], startAges: [Int], rules: Rules, withVariance: Bool = true
    ) {
        precondition(
            !deaths.isEmpty && deaths.count == populations.count && deaths.count == startAges.count,
            "a life table needs one death count and one population per start age")
        precondition(zip(startAges, startAges.dropFirst()).allSatisfy { $0 < $1 }, "start ages must increase")
        let count = deaths.count
        var columns = LifeTableKernel.Columns(count: count)
        let widths = LifeTableKernel.widths(startAges: startAges)
        deaths.withUnsafeBufferPointer { d in
            populations.withUnsafeBufferPointer { p in
                widths.withUnsafeBufferPointer { n in
                    columns.withPointers { out in
                        // With one band there is no closed width to read.
                        LifeTableKernel.fill(
                            deaths: d.baseAddress!, populations: p.baseAddress!, widths: n.baseAddress ?? d.baseAddress!,
                            count: count, bands: rules, out: out)
                    }
                }
            }
        }
        self.startAges = startAges
        self.deaths = deaths
        self.populations = populations
        self.intervalWidth = columns.n
        self.fractionLivedByDying = columns.a
        self.deathRate = columns.m
        self.probabilityOfDying = columns.q
        self.survivors = columns.l
        self.lifeTableDeaths = columns.d
        self.personYears = columns.bigL
        self.personYearsRemaining = columns.bigT
        self.lifeExpectancy = columns.e
        let unknown = [Double](repeating: .nan, count: count)
        self.varianceOfProbability = withVariance ? columns.s2 : unknown
        self.varianceTerm = withVariance ? columns.w : unknown
        self.standardError = withVariance ? columns.se : unknown
    }
}

extension LifeTable {
    /// Every column in the layout of `LifeTableKernel.Pointers.init(scratch:count:)`, for the
    /// kernels of later methods that run on a given table.
    var kernelColumns: [Double] {
        let columns: [[Double]] = [
            intervalWidth, fractionLivedByDying, deathRate, probabilityOfDying, survivors, lifeTableDeaths,
            personYears, personYearsRemaining, lifeExpectancy, varianceOfProbability, varianceTerm, standardError,
        ]
        return Array(columns.joined())
    }
}

// MARK: - Band rules

/// What differs between life tables of the same formulas: aᵢ of each closed band, and a q or
/// L that a published example gives rather than computes. `fill` is specialised per conformer.
protocol LifeTableBandRules {
    /// aᵢ of closed band `i`.
    func fractionLivedByDying(_ i: Int) -> Double
    /// The injected qᵢ of closed band `i`, or nil to compute it.
    func injectedProbability(_ i: Int) -> Double?
    /// The injected Lᵢ of closed band `i`, or nil to compute it.
    func injectedPersonYears(_ i: Int) -> Double?
}

/// Chiang II as METHODS.md §5 states it: a = `firstA` in the first band, 0.5 elsewhere.
struct ChiangBands: LifeTableBandRules {
    /// a of the first band: 0.1 when it starts at age 0.
    var firstA: Double

    @inline(__always) func fractionLivedByDying(_ i: Int) -> Double { i == 0 ? firstA : 0.5 }
    @inline(__always) func injectedProbability(_ i: Int) -> Double? { nil }
    @inline(__always) func injectedPersonYears(_ i: Int) -> Double? { nil }
}

/// aᵢ per closed band, and injected q and L (NaN: computed), over borrowed pointers.
struct GivenBands: LifeTableBandRules {
    var a: UnsafePointer<Double>?
    var q: UnsafePointer<Double>?
    var bigL: UnsafePointer<Double>?

    @inline(__always) func fractionLivedByDying(_ i: Int) -> Double { a![i] }
    @inline(__always) func injectedProbability(_ i: Int) -> Double? {
        guard let q, !q[i].isNaN else { return nil }
        return q[i]
    }
    @inline(__always) func injectedPersonYears(_ i: Int) -> Double? {
        guard let bigL, !bigL[i].isNaN else { return nil }
        return bigL[i]
    }
}

// MARK: - The kernel shared by every entry point

/// The life-table arithmetic over raw pointers, shared by `LifeTable`, `LifeExpectancy` and
/// the batched kernels of the methods built on the table.
enum LifeTableKernel {
    /// The radix of the life table, l₁.
    static let radix = 100_000.0

    /// nᵢ = sᵢ₊₁ − sᵢ for all but the last band (whose width is 2/M, set by `fill`).
    static func widths(startAges: [Int]) -> [Double] {
        zip(startAges, startAges.dropFirst()).map { Double($1 - $0) }
    }

    /// The standard widths 1, 4, 5, …, 5 (19 entries).
    static let standardWidths: [Double] = widths(startAges: LifeExpectancy.startAges)

    /// The labels of bands with these start ages (`0`, `1-4`, …, `85+`).
    static func labels(startAges: [Int]) -> [String] {
        startAges.indices.map { i in
            AgeBand(start: startAges[i], end: i + 1 < startAges.count ? startAges[i + 1] - 1 : nil).label
        }
    }

    /// Output pointers, each to `count` doubles. The columns the backward pass reads (l, q,
    /// d, L) and the results (e, SE) are always written; the optional ones only when asked for.
    struct Pointers {
        var n: UnsafeMutablePointer<Double>?
        var a: UnsafeMutablePointer<Double>?
        var m: UnsafeMutablePointer<Double>?
        var q: UnsafeMutablePointer<Double>
        var l: UnsafeMutablePointer<Double>
        var d: UnsafeMutablePointer<Double>
        var bigL: UnsafeMutablePointer<Double>
        var bigT: UnsafeMutablePointer<Double>?
        var e: UnsafeMutablePointer<Double>
        var s2: UnsafeMutablePointer<Double>?
        var w: UnsafeMutablePointer<Double>?
        var se: UnsafeMutablePointer<Double>

        /// Every column in one scratch block of `Pointers.columnCount × count` doubles.
        init(scratch base: UnsafeMutablePointer<Double>, count: Int) {
            (n, a, m, q, l, d) = (base, base + count, base + 2 * count, base + 3 * count, base + 4 * count, base + 5 * count)
            (bigL, bigT, e, s2, w, se) = (
                base + 6 * count, base + 7 * count, base + 8 * count, base + 9 * count, base + 10 * count, base + 11 * count
            )
        }

        /// The given pointers.
        init(
            n: UnsafeMutablePointer<Double>?, a: UnsafeMutablePointer<Double>?, m: UnsafeMutablePointer<Double>?,
            q: UnsafeMutablePointer<Double>, l: UnsafeMutablePointer<Double>, d: UnsafeMutablePointer<Double>,
            bigL: UnsafeMutablePointer<Double>, bigT: UnsafeMutablePointer<Double>?, e: UnsafeMutablePointer<Double>,
            s2: UnsafeMutablePointer<Double>?, w: UnsafeMutablePointer<Double>?, se: UnsafeMutablePointer<Double>
        ) {
            (self.n, self.a, self.m, self.q, self.l, self.d) = (n, a, m, q, l, d)
            (self.bigL, self.bigT, self.e, self.s2, self.w, self.se) = (bigL, bigT, e, s2, w, se)
        }

        /// The number of columns `init(scratch:count:)` lays out.
        static let columnCount = 12
    }

    /// Owned storage for every column (used by `LifeTable`).
    struct Columns {
        var storage: [Double]
        let count: Int

        init(count: Int) {
            self.count = count
            storage = [Double](repeating: 0, count: Pointers.columnCount * count)
        }

        /// Column `k` in the order of `Pointers.init(scratch:count:)`.
        private func column(_ k: Int) -> [Double] { Array(storage[(k * count)..<((k + 1) * count)]) }

        var n: [Double] { column(0) }
        var a: [Double] { column(1) }
        var m: [Double] { column(2) }
        var q: [Double] { column(3) }
        var l: [Double] { column(4) }
        var d: [Double] { column(5) }
        var bigL: [Double] { column(6) }
        var bigT: [Double] { column(7) }
        var e: [Double] { column(8) }
        var s2: [Double] { column(9) }
        var w: [Double] { column(10) }
        var se: [Double] { column(11) }

        mutating func withPointers(_ body: (Pointers) -> Void) {
            let count = self.count
            storage.withUnsafeMutableBufferPointer { body(Pointers(scratch: $0.baseAddress!, count: count)) }
        }
    }

    /// Fills the standard Chiang II table of one group (a = `firstA` in the first band, 0.5
    /// elsewhere): `count` bands in ascending order, `widths` has `count − 1` entries.
    @inline(__always)
    static func fill(
        deaths dIn: UnsafePointer<Double>, populations pIn: UnsafePointer<Double>,
        widths: UnsafePointer<Double>, count: Int, firstA: Double, out: Pointers
    ) {
        fill(deaths: dIn, populations: pIn, widths: widths, count: count, bands: ChiangBands(firstA: firstA), out: out)
    }

    /// Fills the life table of one group: `count` bands in ascending order, `widths` has
    /// `count − 1` entries, a and any injected q or L from `bands`. No validation; IEEE
    /// arithmetic throughout.
    @inline(__always)
    static func fill<Rules: LifeTableBandRules>(
        deaths dIn: UnsafePointer<Double>, populations pIn: UnsafePointer<Double>,
        widths: UnsafePointer<Double>, count: Int, bands: Rules, out: Pointers
    ) {
        let last = count - 1
        // Forward pass: M, q, l, d, L for the closed bands.
        var l = radix
        for i in 0..<last {
            let deaths = dIn[i], population = pIn[i]
            let n = widths[i]
            let a = bands.fractionLivedByDying(i)
            let m = deaths / population
            let nm = n * m
            // Chiang's q, capped at 1 where the deaths exceed what the band can hold
            // (Dᵢ > Pᵢ/(nᵢaᵢ) makes the formula exceed 1).
            let q = bands.injectedProbability(i) ?? (deaths > population / (n * a) ? 1.0 : nm / (1 + nm * (1 - a)))
            let lNext = l * (1 - q)
            let d = l - lNext
            out.l[i] = l
            out.q[i] = q
            out.d[i] = d
            out.bigL[i] = bands.injectedPersonYears(i) ?? n * (lNext + a * d)
            out.n?[i] = n
            out.a?[i] = a
            out.m?[i] = m
            l = lNext
        }
        // The open last band: q = 1, d = l, L = l/M, n = 2/M.
        let mLast = dIn[last] / pIn[last]
        out.l[last] = l
        out.q[last] = 1
        out.d[last] = l
        out.bigL[last] = l / mLast
        out.n?[last] = 2 / mLast
        out.a?[last] = 0.5
        out.m?[last] = mLast
        // Backward pass: T, e, s², W, SE.
        var t = out.bigL[last]
        let lastE = l > 0 ? t / l : 0
        let lastS2 = 4 / (dIn[last] * mLast * mLast)
        let lastW = (l / 2) * (l / 2) * lastS2
        var sumW = lastW
        out.bigT?[last] = t
        out.e[last] = lastE
        out.s2?[last] = lastS2
        out.w?[last] = lastW
        out.se[last] = l > 0 ? sumW.squareRoot() / l : .nan
        var eNext = lastE
        var i = last - 1
        while i >= 0 {
            let li = out.l[i]
            t += out.bigL[i]
            let e = li > 0 ? t / li : 0
            let q = out.q[i]
            let s2 = out.d[i] == 0 ? 0 : q * q * (1 - q) / dIn[i]
            let a = bands.fractionLivedByDying(i)
            let span = (1 - a) * widths[i] + eNext
            let w = s2 * li * li * span * span
            sumW += w
            out.bigT?[i] = t
            out.e[i] = e
            out.s2?[i] = s2
            out.w?[i] = w
            out.se[i] = li > 0 ? sumW.squareRoot() / li : .nan
            eNext = e
            i -= 1
        }
    }
}

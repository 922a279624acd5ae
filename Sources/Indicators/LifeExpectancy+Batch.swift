// The batched life-table kernel: many groups in one pass over flat arrays.
//
// Layout in: group g, band b (0 = age 0, 1 = 1–4, …, 19 = 90+) at index g·20 + b.
// Layout out (struct of arrays): start-age slot s of group g at g·A + s (A = 20, or 1 for
// life expectancy at birth only); level k of that slot at (g·A + s)·K + k. Empty is NaN.
// The life-table columns asked for (l, L, T) are at g·20 + b, written by the kernel in place.
// The loop allocates nothing: the scratch columns for one group live in one temporary
// allocation made before the loop, and every output array is allocated once, up front.

extension LifeExpectancy {
    /// Life expectancy for many groups at once (METHODS.md §5), the same numbers and notes as
    /// `compute` on each group.
    ///
    /// `deaths` and `populations` hold `groupCount` groups of 20 bands each, group g's band b
    /// (ascending start age: 0, 1, 5, …, 90) at index g·20 + b. A missing value is NaN. The
    /// group-level rules of `compute` apply (missing value, D < 0, P ≤ 0, D > P, ΣP ≤ 5,000),
    /// as do the single-value rules (95% interval wider than 20 years, no survivors, not
    /// finite). The band-set rule does not arise: the layout fixes the bands.
    ///
    /// With `allStartAges` false only life expectancy at birth is reported (one slot per group).
    /// `columns` asks for life-table columns besides e and its SE (lᵢ, Lᵢ, Tᵢ: what Sullivan's
    /// and Arriaga's methods build on), 20 per group at g·20 + b, NaN for a suppressed group.
    ///
    /// - Returns: a `LifeExpectancyBatch` (struct of arrays; `estimates(group:)` gives the
    ///   `[Estimate]` that `compute` returns).
    /// - Complexity: O(groupCount · 20 · levels) time; no allocation per group.
    public static func batch(
        deaths: [Double], populations: [Double], groupCount: Int,
        levels: [ConfidenceLevel] = ConfidenceLevel.defaults, allStartAges: Bool = true,
        columns: LifeTableColumns = []
    ) -> LifeExpectancyBatch {
        let bands = bandCount
        precondition(
            groupCount >= 0 && deaths.count == groupCount * bands && populations.count == groupCount * bands,
            "batch input must hold groupCount × 20 deaths and populations")
        let ages = allStartAges ? bands : 1
        let levelCount = levels.count
        let cells = groupCount * ages
        let z = levels.map(\.z)
        let z95 = ConfidenceLevel.ninetyFive.z

        var values = [Double](repeating: .nan, count: cells)
        var lowers = [Double](repeating: .nan, count: cells * levelCount)
        var uppers = [Double](repeating: .nan, count: cells * levelCount)
        var cellRules = [UInt8](repeating: 0, count: cells)
        var groupRules = [UInt8](repeating: 0, count: groupCount)
        var groupBands = [UInt8](repeating: 0, count: groupCount)
        func column(_ member: LifeTableColumns) -> [Double] {
            columns.contains(member) ? [Double](repeating: .nan, count: groupCount * bands) : []
        }
        var survivors = column(.survivors), personYears = column(.personYears)
        var personYearsRemaining = column(.personYearsRemaining)

        deaths.withUnsafeBufferPointer { d in
            populations.withUnsafeBufferPointer { p in
                z.withUnsafeBufferPointer { z in
                    values.withUnsafeMutableBufferPointer { values in
                        lowers.withUnsafeMutableBufferPointer { lowers in
                            uppers.withUnsafeMutableBufferPointer { uppers in
                                cellRules.withUnsafeMutableBufferPointer { cellRules in
                                    groupRules.withUnsafeMutableBufferPointer { groupRules in
                                        groupBands.withUnsafeMutableBufferPointer { groupBands in
                                            withMutableBuffers(&survivors, &personYears, &personYearsRemaining) {
                                                l, bigL, bigT in
                                                BatchKernel.run(
                                                    groupCount: groupCount, slots: ages, levelCount: levelCount,
                                                    deaths: d.baseAddress, populations: p.baseAddress, z: z.baseAddress,
                                                    z95: z95, values: values.baseAddress, lowers: lowers.baseAddress,
                                                    uppers: uppers.baseAddress,
                                                    cellRules: cellRules.baseAddress, groupRules: groupRules.baseAddress,
                                                    groupBands: groupBands.baseAddress,
                                                    columns: BatchKernel.ColumnPointers(
                                                        l: l.nonEmptyBase, bigL: bigL.nonEmptyBase, bigT: bigT.nonEmptyBase))
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return LifeExpectancyBatch(
            groupCount: groupCount, startAges: Array(startAges.prefix(ages)), levels: levels,
            values: values, lowers: lowers, uppers: uppers,
            survivors: survivors, personYears: personYears, personYearsRemaining: personYearsRemaining,
            cellRules: cellRules, groupRules: groupRules, groupBands: groupBands)
    }
}

/// Life-table columns that `LifeExpectancy.batch` can return besides e and its SE.
public struct LifeTableColumns: OptionSet, Sendable {
    /// The raw bit set.
    public let rawValue: Int

    /// Creates a set from its bits.
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// lᵢ, the survivors to each band's start age (`LifeTable.survivors`).
    public static let survivors = LifeTableColumns(rawValue: 1)
    /// Lᵢ, the person-years lived in each band (`LifeTable.personYears`).
    public static let personYears = LifeTableColumns(rawValue: 2)
    /// Tᵢ, the person-years lived from each band's start on (`LifeTable.personYearsRemaining`).
    public static let personYearsRemaining = LifeTableColumns(rawValue: 4)
    /// lᵢ, Lᵢ and Tᵢ.
    public static let all: LifeTableColumns = [.survivors, .personYears, .personYearsRemaining]
}

/// The loop of `LifeExpectancy.batch` over raw pointers.
enum BatchKernel {
    /// Where the life-table columns asked for go, 20 per group at g·20 + b (nil: not asked for).
    struct ColumnPointers {
        var l: UnsafeMutablePointer<Double>?
        var bigL: UnsafeMutablePointer<Double>?
        var bigT: UnsafeMutablePointer<Double>?
    }

    /// Fills the outputs (pre-set to NaN and 0) for `groupCount` groups of 20 bands.
    /// Pointers may be nil only where their count is 0.
    static func run(
        groupCount: Int, slots: Int, levelCount: Int,
        deaths: UnsafePointer<Double>?, populations: UnsafePointer<Double>?,
        z: UnsafePointer<Double>?, z95: Double,
        values: UnsafeMutablePointer<Double>?, lowers: UnsafeMutablePointer<Double>?,
        uppers: UnsafeMutablePointer<Double>?, cellRules: UnsafeMutablePointer<UInt8>?,
        groupRules: UnsafeMutablePointer<UInt8>?, groupBands: UnsafeMutablePointer<UInt8>?,
        columns: ColumnPointers = ColumnPointers()
    ) {
        guard groupCount > 0, let deaths, let populations, let values, let cellRules, let groupRules, let groupBands
        else { return }
        let bands = LifeExpectancy.bandCount
        // Scratch for one group's columns, reused by every group: l, L, e, SE, q, d.
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 6 * bands) { scratch in
            let base = scratch.baseAddress!
            let l = base, e = base + 2 * bands, se = base + 3 * bands
            var out = LifeTableKernel.Pointers(
                n: nil, a: nil, m: nil, q: base + 4 * bands, l: l, d: base + 5 * bands, bigL: base + bands,
                bigT: nil, e: e, s2: nil, w: nil, se: se)
            LifeTableKernel.standardWidths.withUnsafeBufferPointer { widths in
                let widths = widths.baseAddress!
                for g in 0..<groupCount {
                    let d = deaths + g * bands
                    let p = populations + g * bands
                    if let failure = GroupCheck.check(deaths: d, populations: p, count: bands) {
                        groupRules[g] = failure.rule.rawValue
                        groupBands[g] = UInt8(truncatingIfNeeded: failure.band)
                        continue  // outputs stay NaN
                    }
                    // Columns asked for are written straight into the output, the rest to scratch.
                    if let column = columns.l { out.l = column + g * bands }
                    if let column = columns.bigL { out.bigL = column + g * bands }
                    if let column = columns.bigT { out.bigT = column + g * bands }
                    LifeTableKernel.fill(
                        deaths: d, populations: p, widths: widths, count: bands, firstA: 0.1, out: out)
                    for s in 0..<slots {
                        let cell = g * slots + s
                        let ei = e[s], sei = se[s]
                        let rule = CellRule.classify(e: ei, se: sei, survivors: out.l[s], z95: z95)
                        cellRules[cell] = rule.rawValue
                        if rule.valueKept { values[cell] = ei }
                        if rule.limitsKept, let z, let lowers, let uppers {
                            let o = cell * levelCount
                            for k in 0..<levelCount {
                                let half = z[k] * sei
                                let lower = ei - half, upper = ei + half
                                lowers[o + k] = lower.isFinite ? lower : .nan
                                uppers[o + k] = upper.isFinite ? upper : .nan
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The result of `LifeExpectancy.batch`: life expectancy for many groups as flat arrays.
///
/// Slot s of group g (start age `startAges[s]`) is at `g * startAges.count + s` in `values`;
/// its limits at level k are at `(g * startAges.count + s) * levels.count + k` in `lowers`
/// and `uppers`. An empty value or limit is NaN; `note(group:slot:)` says why.
/// `estimates(group:)` converts one group to the `[Estimate]` that `compute` returns.
public struct LifeExpectancyBatch: Sendable {
    /// The number of groups.
    public let groupCount: Int
    /// The start ages reported per group: all 20, or `[0]`.
    public let startAges: [Int]
    /// The confidence levels, in the order of the limits.
    public let levels: [ConfidenceLevel]
    /// Life expectancy per group and start age; NaN where empty.
    public let values: [Double]
    /// Lower limits per group, start age and level; NaN where empty.
    public let lowers: [Double]
    /// Upper limits per group, start age and level; NaN where empty.
    public let uppers: [Double]
    /// lᵢ per group and band (g·20 + b) when asked for with `columns`, else empty; NaN for a
    /// suppressed group.
    public let survivors: [Double]
    /// Lᵢ per group and band (g·20 + b) when asked for, else empty; NaN for a suppressed group.
    public let personYears: [Double]
    /// Tᵢ per group and band (g·20 + b) when asked for, else empty; NaN for a suppressed group.
    public let personYearsRemaining: [Double]
    /// `CellRule` per group and start age (0 for a suppressed group).
    let cellRules: [UInt8]
    /// `GroupCheck` per group, 0 when the group is computed.
    let groupRules: [UInt8]
    /// The band a group rule failed in.
    let groupBands: [UInt8]

    /// Whether group `group` is computed (false: all its values are empty, with a note).
    /// - Complexity: O(1).
    public func isComputed(group: Int) -> Bool { groupRules[group] == 0 }

    /// Why slot `slot` of group `group` is empty or partly empty, or nil.
    /// - Complexity: O(1).
    public func note(group: Int, slot: Int) -> String? {
        if let rule = GroupCheck(rawValue: groupRules[group]) {
            return rule.note(band: Int(groupBands[group]))
        }
        return CellRule(rawValue: cellRules[group * startAges.count + slot])?.note
    }

    /// One slot as an `Estimate`, as `compute` would report it.
    /// - Complexity: O(levels).
    public func estimate(group: Int, slot: Int) -> Estimate {
        let cell = group * startAges.count + slot
        let k = levels.count
        let limits = (0..<k).map { ConfidenceLimits(lower: lowers[cell * k + $0], upper: uppers[cell * k + $0]) }
        return Estimate(value: values[cell], limits: limits, note: note(group: group, slot: slot))
    }

    /// All slots of one group as `Estimate`s, ascending start age.
    /// - Complexity: O(slots · levels).
    public func estimates(group: Int) -> [Estimate] {
        (0..<startAges.count).map { estimate(group: group, slot: $0) }
    }
}

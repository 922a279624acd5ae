// The batched Sullivan kernel: many groups in one pass over flat arrays (METHODS.md §9).
//
// Layout in: group g, band b (0 = age 0, 1 = 1–4, …, 19 = 90+) at index g·20 + b, for the
// deaths, the populations and every array of the prevalence.
// Layout out (struct of arrays): slot s (the s-th requested age) of group g at g·S + s; level
// k of its limits at (g·S + s)·K + k. Empty is NaN.
// Per group: the prevalence is checked and resolved to its prevalence bands (the only branch
// that can fail is a single predictable test per row; the error is built on a cold path),
// the §5 group rules are checked, the life table is filled by `LifeTableKernel.fill`, and one
// backward pass gives HLE and both variance parts at every band. Nothing is allocated per
// group: the scratch lives in one temporary allocation made before the loop.

extension HealthyLifeExpectancy {
    /// HLE for many groups at once (METHODS.md §9), the same numbers and notes as `compute`
    /// on each group.
    ///
    /// `deaths`, `populations` and every array of `prevalence` hold `groupCount` groups of 20
    /// bands each, group g's band b (ascending start age: 0, 1, 5, …, 90) at g·20 + b; a
    /// missing value is NaN. `prevalence.bands`, when given, numbers each row's prevalence
    /// band within its group (0–19). Reports HLE at each start age in `ages`, in that order.
    ///
    /// Errors: the batch stops at the first group (in group order) with invalid prevalence and
    /// throws an `IndicatorBatchError` with its index and the `IndicatorError` `compute` would
    /// throw; an age in `ages` that no band starts at is reported against group 0.
    /// Suppression is that of `compute`, group by group.
    /// - Precondition: every array holds `groupCount × 20` values; `ages` is not empty.
    /// - Complexity: O(groupCount · (20 + ages · levels)), one pass; no allocation per group.
    public static func batch(
        deaths: [Double], populations: [Double], groupCount: Int, prevalence: Prevalence, ages: [Int] = [0],
        variance: Variance = .mathers, levels: [ConfidenceLevel] = ConfidenceLevel.defaults
    ) throws(IndicatorBatchError) -> HealthyLifeExpectancyBatch {
        let bands = LifeExpectancy.bandCount
        precondition(!ages.isEmpty, "at least one start age to report")
        precondition(
            groupCount >= 0 && deaths.count == groupCount * bands && populations.count == groupCount * bands
                && prevalence.values.count == groupCount * bands,
            "batch input must hold groupCount × 20 deaths, populations and prevalences")
        let slots: [Int]
        do {
            slots = try slotIndices(ages: ages, startAges: LifeExpectancy.startAges)
        } catch {
            throw IndicatorBatchError(groupIndex: 0, error: error)
        }
        guard groupCount > 0 else {
            return HealthyLifeExpectancyBatch(
                groupCount: 0, ages: ages, levels: levels, variance: variance, bandLabels: LifeExpectancy.bandLabels,
                output: nil)
        }
        var output = SullivanOutput(cells: groupCount * ages.count, levels: levels.count, groups: groupCount)
        let failure = deaths.withUnsafeBufferPointer { d in
            populations.withUnsafeBufferPointer { p in
                SullivanKernel.withPrevalence(prevalence) { rows in
                    output.withPointers { out in
                        SullivanKernel.runBatch(
                            groupCount: groupCount, deaths: d.baseAddress, populations: p.baseAddress, prevalence: rows,
                            slots: slots, levels: levels, mathers: variance == .mathers, out: out)
                    }
                }
            }
        }
        if let failure { throw failure }
        return HealthyLifeExpectancyBatch(
            groupCount: groupCount, ages: ages, levels: levels, variance: variance,
            bandLabels: LifeExpectancy.bandLabels, output: output)
    }
}

/// The result of `HealthyLifeExpectancy.batch`: HLE for many groups as flat arrays.
///
/// Slot s of group g (start age `ages[s]`) is at `g * ages.count + s` in `values` and the other
/// per-slot arrays; its limits at level k at `(g * ages.count + s) * levels.count + k` in
/// `lowers` and `uppers`. Empty is NaN; `note(group:slot:)` says why. `results(group:)`
/// converts one group to what `compute` returns, with the years in poorer health (eₓ − HLEₓ)
/// and the per cent in good health (100·HLEₓ/eₓ).
public struct HealthyLifeExpectancyBatch: Sendable {
    /// The number of groups.
    public let groupCount: Int
    /// The start ages reported per group, in the order asked for.
    public let ages: [Int]
    /// The confidence levels, in the order of the limits.
    public let levels: [ConfidenceLevel]
    /// Which parts of the variance the limits use.
    public let variance: HealthyLifeExpectancy.Variance
    /// HLEₓ per group and slot.
    public let values: [Double]
    /// Lower limits of HLEₓ per group, slot and level.
    public let lowers: [Double]
    /// Upper limits of HLEₓ per group, slot and level.
    public let uppers: [Double]
    /// SE(HLEₓ) per group and slot.
    public let standardErrors: [Double]
    /// eₓ per group and slot.
    public let lifeExpectancies: [Double]
    /// The prevalence part of Var(HLEₓ) per group and slot.
    public let prevalenceVariances: [Double]
    /// The mortality part of Var(HLEₓ) per group and slot (NaN with `Variance.prevalence`).
    public let mortalityVariances: [Double]
    /// The labels of the life-table bands, for notes.
    let bandLabels: [String]
    /// Per slot: `CellRule`, π gap code and band, variance gap code and band (`SullivanKernel.Gap`).
    let codes: [UInt8]
    /// `GroupCheck` per group, 0 when the group is computed, and the band it failed in.
    let groupRules: [UInt8]
    let groupBands: [UInt8]

    init(
        groupCount: Int, ages: [Int], levels: [ConfidenceLevel], variance: HealthyLifeExpectancy.Variance,
        bandLabels: [String], output: SullivanOutput?
    ) {
        self.groupCount = groupCount
        self.ages = ages
        self.levels = levels
        self.variance = variance
        self.bandLabels = bandLabels
        // No groups: empty arrays.
        let output = output ?? SullivanOutput.empty
        values = output.values
        standardErrors = output.standardErrors
        lifeExpectancies = output.lifeExpectancies
        prevalenceVariances = output.prevalenceVariances
        mortalityVariances = output.mortalityVariances
        lowers = output.lowers
        uppers = output.uppers
        codes = output.codes
        groupRules = output.groupRules
        groupBands = output.groupBands
    }

    /// Whether group `group` is computed (false: all its values are empty, with the §5 note).
    /// - Complexity: O(1).
    public func isComputed(group: Int) -> Bool { groupRules[group] == 0 }

    /// Why slot `slot` of group `group` is empty or partly empty, or nil.
    /// - Complexity: O(1).
    public func note(group: Int, slot: Int) -> String? {
        if let rule = GroupCheck(rawValue: groupRules[group]) {
            return rule.note(band: Int(groupBands[group]))
        }
        let c = (group * ages.count + slot) * SullivanOutput.codeCount
        var parts: [String] = []
        let rule = CellRule(rawValue: codes[c]) ?? .normal
        if let note = rule.note { parts.append(note) }
        if rule == .normal || rule == .wideInterval {
            let prevalenceGap = SullivanKernel.Gap(rawValue: codes[c + 1]) ?? .none
            let varianceGap = SullivanKernel.Gap(rawValue: codes[c + 3]) ?? .none
            if let note = prevalenceGap.note(band: bandLabels[Int(codes[c + 2])]) {
                parts.append(note)
            } else if let note = varianceGap.note(band: bandLabels[Int(codes[c + 4])]) {
                parts.append(note)
            }
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    /// One slot as `compute` reports it.
    /// - Complexity: O(levels).
    public func result(group: Int, slot: Int) -> HealthyLifeExpectancyResult {
        let cell = group * ages.count + slot
        let k = levels.count
        let limits = (0..<k).map { ConfidenceLimits(lower: lowers[cell * k + $0], upper: uppers[cell * k + $0]) }
        return HealthyLifeExpectancyResult(
            startAge: ages[slot],
            healthyLifeExpectancy: Estimate(value: values[cell], limits: limits, note: note(group: group, slot: slot)),
            lifeExpectancy: lifeExpectancies[cell], yearsInPoorerHealth: lifeExpectancies[cell] - values[cell],
            percentInGoodHealth: 100 * (values[cell] / lifeExpectancies[cell]), standardError: standardErrors[cell],
            prevalenceVariance: prevalenceVariances[cell], mortalityVariance: mortalityVariances[cell])
    }

    /// All slots of one group, in the order of `ages`.
    /// - Complexity: O(ages · levels).
    public func results(group: Int) -> [HealthyLifeExpectancyResult] {
        (0..<ages.count).map { result(group: group, slot: $0) }
    }
}

// MARK: - Output storage

/// The batch's outputs while the kernel writes them, pre-set to NaN and 0: per-cell values,
/// limits, one-byte codes, and the group rules.
struct SullivanOutput {
    /// Codes per cell: cell rule, π gap, its band, variance gap, its band.
    static let codeCount = 5

    var values, standardErrors, lifeExpectancies, prevalenceVariances, mortalityVariances: [Double]
    var lowers, uppers: [Double]
    var codes, groupRules, groupBands: [UInt8]

    /// No storage at all (a batch of no groups).
    static var empty: SullivanOutput {
        var output = SullivanOutput(cells: 1, levels: 0)
        (output.values, output.standardErrors, output.lifeExpectancies) = ([], [], [])
        (output.prevalenceVariances, output.mortalityVariances, output.lowers, output.uppers) = ([], [], [], [])
        (output.codes, output.groupRules, output.groupBands) = ([], [], [])
        return output
    }

    /// Storage for `cells` ≥ 1 slots (of all groups) and `groups` ≥ 1 groups.
    init(cells: Int, levels: Int, groups: Int = 1) {
        precondition(cells > 0 && groups > 0)
        values = [Double](repeating: .nan, count: cells)
        (standardErrors, lifeExpectancies, prevalenceVariances, mortalityVariances) = (values, values, values, values)
        lowers = [Double](repeating: .nan, count: cells * levels)
        uppers = lowers
        codes = [UInt8](repeating: 0, count: Self.codeCount * cells)
        groupRules = [UInt8](repeating: 0, count: groups)
        groupBands = groupRules
    }

    /// Pointers to every output (limits nil without levels).
    struct Pointers {
        var value, standardError, lifeExpectancy, prevalenceVariance, mortalityVariance: UnsafeMutablePointer<Double>
        var lowers, uppers: UnsafeMutablePointer<Double>?
        var codes, groupRules, groupBands: UnsafeMutablePointer<UInt8>
    }

    mutating func withPointers<R>(_ body: (Pointers) -> R) -> R {
        withMutableBuffers(&values, &standardErrors, &lifeExpectancies) { value, standardError, lifeExpectancy in
            withMutableBuffers(&prevalenceVariances, &mortalityVariances, &lowers) { prevalence, mortality, lowers in
                withMutableBuffers(&uppers, &codes, &groupRules) { uppers, codes, groupRules in
                    groupBands.withUnsafeMutableBufferPointer { groupBands in
                        body(
                            Pointers(
                                value: value.baseAddress!, standardError: standardError.baseAddress!,
                                lifeExpectancy: lifeExpectancy.baseAddress!, prevalenceVariance: prevalence.baseAddress!,
                                mortalityVariance: mortality.baseAddress!, lowers: lowers.nonEmptyBase,
                                uppers: uppers.nonEmptyBase, codes: codes.baseAddress!, groupRules: groupRules.baseAddress!,
                                groupBands: groupBands.baseAddress!))
                    }
                }
            }
        }
    }
}

// MARK: - The kernel

/// Sullivan's arithmetic over raw pointers, shared by both `compute`s and `batch`.
enum SullivanKernel {
    /// Why a prevalence band's π or its variance is missing (a note code).
    enum Gap: UInt8 {
        case none = 0
        case missingPrevalence
        case nobodySurveyed
        case missingSampleSize
        case zeroSampleSize
        case missingStandardError

        /// The note for a gap in band `band`, or nil.
        func note(band: String) -> String? {
            switch self {
            case .none: return nil
            case .missingPrevalence: return "missing prevalence in band \(band)"
            case .nobodySurveyed: return "no one surveyed in band \(band)"
            case .missingSampleSize: return "missing sample size in band \(band)"
            case .zeroSampleSize: return "sample size 0 in band \(band)"
            case .missingStandardError: return "missing prevalence SE in band \(band)"
            }
        }
    }

    /// The prevalence input over raw pointers.
    struct Rows {
        var measure: HealthyLifeExpectancy.Prevalence.Measure
        var values: UnsafePointer<Double>?
        var precision: UnsafePointer<Double>?
        var bands: UnsafePointer<Int>?
    }

    /// Calls `body` with pointers to the prevalence arrays.
    static func withPrevalence<R>(_ prevalence: HealthyLifeExpectancy.Prevalence, _ body: (Rows) -> R) -> R {
        prevalence.values.withUnsafeBufferPointer { values in
            prevalence.precision.withUnsafeBufferPointer { precision in
                withOptionalPointer(prevalence.bands) { bands in
                    body(
                        Rows(
                            measure: prevalence.measure, values: values.baseAddress, precision: precision.baseAddress,
                            bands: bands))
                }
            }
        }
    }

    /// Scratch for one group of `count` bands.
    struct Scratch {
        /// π per life-table band.
        var pi: UnsafeMutablePointer<Double>
        /// Per prevalence band: the value, then π; the precision; Var(π); the partial sum S_b.
        var bandValue: UnsafeMutablePointer<Double>
        var bandPrecision: UnsafeMutablePointer<Double>
        var bandVariance: UnsafeMutablePointer<Double>
        var partial: UnsafeMutablePointer<Double>
        /// Per life-table band: HLE, prevalence and mortality parts of the variance.
        var hle: UnsafeMutablePointer<Double>
        var prevalenceVariance: UnsafeMutablePointer<Double>
        var mortalityVariance: UnsafeMutablePointer<Double>
        /// Per life-table band: its prevalence band; the lowest band at or above with a π gap,
        /// and with a variance gap (−1: none).
        var bandOf: UnsafeMutablePointer<Int>
        var prevalenceGapAbove: UnsafeMutablePointer<Int>
        var varianceGapAbove: UnsafeMutablePointer<Int>
        /// Per prevalence band: its `Gap` codes.
        var prevalenceGap: UnsafeMutablePointer<Int>
        var varianceGap: UnsafeMutablePointer<Int>

        static func doubles(count: Int) -> Int { 8 * count }
        static func ints(count: Int) -> Int { 5 * count }

        init(doubles d: UnsafeMutablePointer<Double>, ints n: UnsafeMutablePointer<Int>, count c: Int) {
            (pi, bandValue, bandPrecision, bandVariance) = (d, d + c, d + 2 * c, d + 3 * c)
            (partial, hle, prevalenceVariance, mortalityVariance) = (d + 4 * c, d + 5 * c, d + 6 * c, d + 7 * c)
            (bandOf, prevalenceGapAbove, varianceGapAbove) = (n, n + c, n + 2 * c)
            (prevalenceGap, varianceGap) = (n + 3 * c, n + 4 * c)
        }
    }

    /// Runs `body` with scratch for one group of `count` bands and a life-table scratch block.
    static func withScratch<R>(count: Int, _ body: (Scratch, LifeTableKernel.Pointers) -> R) -> R {
        let doubles = Scratch.doubles(count: count) + LifeTableKernel.Pointers.columnCount * count
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: doubles) { d in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: Scratch.ints(count: count)) { n in
                let base = d.baseAddress!
                return body(
                    Scratch(doubles: base, ints: n.baseAddress!, count: count),
                    LifeTableKernel.Pointers(scratch: base + Scratch.doubles(count: count), count: count))
            }
        }
    }

    /// Checks one group's prevalence rows (`count`, in band order, pointers already at the
    /// group) and resolves them to prevalence bands: π per band, Var(π_b) and the gap codes.
    /// Returns the error `compute` throws, or nil.
    @inline(__always)
    static func resolve(
        rows: Rows, offset: Int, count: Int, labels: [String], scratch w: Scratch
    ) -> IndicatorError? {
        let values = rows.values! + offset, precision = rows.precision! + offset
        let bands = rows.bands.map { $0 + offset }
        let proportion = rows.measure != .counts
        for id in 0..<count {
            w.bandValue[id] = .nan
            w.bandPrecision[id] = .nan
        }
        for i in 0..<count {
            let id = bands?[i] ?? i
            let v = values[i], n = precision[i]
            let valueOK = v.isNaN || (v >= 0 && (proportion ? v <= 1 : v.isFinite))
            let precisionOK = n.isNaN || (n >= 0 && n.isFinite)
            let orderOK = proportion || !(v > n)
            guard id >= 0, valueOK, precisionOK, orderOK else {
                return rowError(rows: rows, value: v, precision: n, id: id, label: labels[i])
            }
            precondition(id < count, "prevalence band numbers run from 0 to the number of bands − 1")
            w.bandOf[i] = id
            let bv = w.bandValue[id], bn = w.bandPrecision[id]
            if bv.isNaN {
                w.bandValue[id] = v
            } else if !v.isNaN && v != bv {
                return IndicatorError(
                    (proportion ? "prevalence" : "healthy count") + " differs within one prevalence band",
                    band: labels[i], value: valueText(v))
            }
            if bn.isNaN {
                w.bandPrecision[id] = n
            } else if !n.isNaN && n != bn {
                let what: String
                switch rows.measure {
                case .sampleSize: what = "sample size"
                case .standardError: what = "prevalence SE"
                case .counts: what = "surveyed count"
                }
                return IndicatorError(what + " differs within one prevalence band", band: labels[i], value: valueText(n))
            }
        }
        // π and Var(π) per prevalence band, with the reason where either is missing.
        for id in 0..<count {
            let v = w.bandValue[id], n = w.bandPrecision[id]
            var pi = v, variance: Double
            var prevalenceGap = Gap.none, varianceGap = Gap.none
            switch rows.measure {
            case .sampleSize:
                variance = n > 0 ? v * (1 - v) / n : .nan
                if n.isNaN { varianceGap = .missingSampleSize } else if n == 0 { varianceGap = .zeroSampleSize }
            case .standardError:
                variance = n * n
                if n.isNaN { varianceGap = .missingStandardError }
            case .counts:
                pi = n > 0 ? v / n : .nan
                variance = pi * (1 - pi) / n
                if !v.isNaN && n == 0 { prevalenceGap = .nobodySurveyed }
            }
            if pi.isNaN && prevalenceGap == .none { prevalenceGap = .missingPrevalence }
            w.bandValue[id] = pi
            w.bandVariance[id] = variance
            w.prevalenceGap[id] = Int(prevalenceGap.rawValue)
            w.varianceGap[id] = Int(varianceGap.rawValue)
        }
        for i in 0..<count { w.pi[i] = w.bandValue[w.bandOf[i]] }
        return nil
    }

    /// The error for an invalid row (the cold path of `resolve`).
    @inline(never)
    static func rowError(rows: Rows, value v: Double, precision n: Double, id: Int, label: String) -> IndicatorError {
        if id < 0 { return IndicatorError("the band is in no prevalence band", band: label) }
        switch rows.measure {
        case .sampleSize, .standardError:
            if !(v.isNaN || (v >= 0 && v <= 1)) {
                return IndicatorError("prevalence must be between 0 and 1", band: label, value: valueText(v))
            }
            let what = rows.measure == .sampleSize ? "sample size" : "prevalence SE"
            return IndicatorError(what + " must be a non-negative number", band: label, value: valueText(n))
        case .counts:
            if !(v.isNaN || (v >= 0 && v.isFinite)) {
                return IndicatorError("healthy count must be a non-negative number", band: label, value: valueText(v))
            }
            if !(n.isNaN || (n >= 0 && n.isFinite)) {
                return IndicatorError("surveyed count must be a non-negative number", band: label, value: valueText(n))
            }
            return IndicatorError(
                "healthy count must not exceed the number surveyed (\(valueText(n)))", band: label, value: valueText(v))
        }
    }

    /// One backward pass over a filled life table: HLE, and the prevalence and mortality
    /// parts of its variance, at every band (METHODS.md §9). Reads `table`'s l, L, n, a, s².
    @inline(__always)
    static func backward(table t: LifeTableKernel.Pointers, count: Int, mathers: Bool, scratch w: Scratch) {
        let last = count - 1
        let n = t.n!, a = t.a!, s2 = t.s2!
        for id in 0..<count { w.partial[id] = 0 }
        var healthyYears = 0.0, prevalencePart = 0.0, mortalityPart = 0.0, hleNext = 0.0
        var prevalenceGapAt = -1, varianceGapAt = -1
        var i = last
        while i >= 0 {
            let id = w.bandOf[i]
            let pi = w.pi[i], bigL = t.bigL[i], l = t.l[i]
            if w.prevalenceGap[id] != 0 { prevalenceGapAt = i }
            if w.varianceGap[id] != 0 { varianceGapAt = i }
            w.prevalenceGapAbove[i] = prevalenceGapAt
            w.varianceGapAbove[i] = varianceGapAt
            healthyYears += pi * bigL
            let hle = l > 0 ? healthyYears / l : 0
            // (S_b + L)² − S_b² = L·(2S_b + L): the band's shared error grows with its sum.
            let s = w.partial[id]
            prevalencePart += w.bandVariance[id] * (bigL * (2 * s + bigL))
            w.partial[id] = s + bigL
            if mathers && i < last {
                let span = (1 - a[i]) * n[i] * pi + hleNext
                mortalityPart += l * l * span * span * s2[i]
            }
            let scale = 1 / (l * l)
            w.hle[i] = hle
            w.prevalenceVariance[i] = prevalencePart * scale
            w.mortalityVariance[i] = mortalityPart * scale
            hleNext = hle
            i -= 1
        }
    }

    /// Writes the requested slots of group `group` from the backward pass's per-band results,
    /// applying the single-value rules of §5 to the whole row.
    @inline(__always)
    static func writeSlots(
        group: Int, slots: UnsafeBufferPointer<Int>, table t: LifeTableKernel.Pointers, scratch w: Scratch,
        z: UnsafeBufferPointer<Double>, z95: Double, mathers: Bool, out: SullivanOutput.Pointers
    ) {
        let value = out.value, standardError = out.standardError, lifeExpectancy = out.lifeExpectancy
        let prevalenceVariance = out.prevalenceVariance, mortalityVariance = out.mortalityVariance
        let levelCount = z.count
        for s in 0..<slots.count {
            let b = slots[s]
            let cell = group * slots.count + s
            let e = t.e[b], l = t.l[b]
            let rule = CellRule.classify(e: e, se: t.se[b], survivors: l, z95: z95)
            let c = cell * SullivanOutput.codeCount
            out.codes[c] = rule.rawValue
            var hle = w.hle[b]
            if rule == .normal || rule == .wideInterval {
                let gapAt = w.prevalenceGapAbove[b], varianceGapAt = w.varianceGapAbove[b]
                if gapAt >= 0 {
                    hle = .nan
                    out.codes[c + 1] = UInt8(truncatingIfNeeded: w.prevalenceGap[w.bandOf[gapAt]])
                    out.codes[c + 2] = UInt8(truncatingIfNeeded: gapAt)
                }
                if varianceGapAt >= 0 {
                    out.codes[c + 3] = UInt8(truncatingIfNeeded: w.varianceGap[w.bandOf[varianceGapAt]])
                    out.codes[c + 4] = UInt8(truncatingIfNeeded: varianceGapAt)
                }
            } else if rule == .noSurvivors {
                hle = 0
            }
            let le = rule.valueKept ? e : .nan
            let shown = rule.valueKept ? hle : .nan
            value[cell] = shown
            lifeExpectancy[cell] = le
            guard rule.limitsKept else { continue }
            let vp = w.prevalenceVariance[b]
            let vm = mathers ? w.mortalityVariance[b] : .nan
            let se = (mathers ? vp + vm : vp).squareRoot()
            prevalenceVariance[cell] = vp
            mortalityVariance[cell] = vm
            standardError[cell] = hle.isFinite ? se : .nan
            if let lowers = out.lowers, let uppers = out.uppers {
                let o = cell * levelCount
                for k in 0..<levelCount {
                    let half = z[k] * se
                    let lower = hle - half, upper = hle + half
                    lowers[o + k] = lower.isFinite ? lower : .nan
                    uppers[o + k] = upper.isFinite ? upper : .nan
                }
            }
        }
    }

    /// The loop of `HealthyLifeExpectancy.batch` over 20-band groups. Returns the first
    /// invalid group's error, or nil.
    static func runBatch(
        groupCount: Int, deaths: UnsafePointer<Double>?, populations: UnsafePointer<Double>?, prevalence: Rows,
        slots: [Int], levels: [ConfidenceLevel], mathers: Bool, out: SullivanOutput.Pointers
    ) -> IndicatorBatchError? {
        guard groupCount > 0, let deaths, let populations else { return nil }
        let bands = LifeExpectancy.bandCount
        let labels = LifeExpectancy.bandLabels
        let z = levels.map(\.z)
        let z95 = ConfidenceLevel.ninetyFive.z
        return slots.withUnsafeBufferPointer { slots in
            z.withUnsafeBufferPointer { z in
                LifeTableKernel.standardWidths.withUnsafeBufferPointer { widths in
                    withScratch(count: bands) { scratch, table in
                        for g in 0..<groupCount {
                            let offset = g * bands
                            if let error = resolve(
                                rows: prevalence, offset: offset, count: bands, labels: labels, scratch: scratch)
                            {
                                return IndicatorBatchError(groupIndex: g, error: error)
                            }
                            let d = deaths + offset, p = populations + offset
                            if let failure = GroupCheck.check(deaths: d, populations: p, count: bands) {
                                out.groupRules[g] = failure.rule.rawValue
                                out.groupBands[g] = UInt8(truncatingIfNeeded: failure.band)
                                continue  // outputs stay NaN
                            }
                            LifeTableKernel.fill(
                                deaths: d, populations: p, widths: widths.baseAddress!, count: bands, firstA: 0.1, out: table)
                            backward(table: table, count: bands, mathers: mathers, scratch: scratch)
                            writeSlots(
                                group: g, slots: slots, table: table, scratch: scratch, z: z, z95: z95, mathers: mathers,
                                out: out)
                        }
                        return nil
                    }
                }
            }
        }
    }

    /// Sullivan on one given life table (`HealthyLifeExpectancy.compute(table:…)`).
    static func runTable(
        table: LifeTableKernel.Pointers, count: Int, prevalence: Rows, labels: [String], slots: [Int],
        levels: [ConfidenceLevel], mathers: Bool, out: SullivanOutput.Pointers
    ) -> IndicatorError? {
        let z = levels.map(\.z)
        return slots.withUnsafeBufferPointer { slots in
            z.withUnsafeBufferPointer { z in
                withScratch(count: count) { scratch, _ in
                    if let error = resolve(rows: prevalence, offset: 0, count: count, labels: labels, scratch: scratch) {
                        return error
                    }
                    backward(table: table, count: count, mathers: mathers, scratch: scratch)
                    writeSlots(
                        group: 0, slots: slots, table: table, scratch: scratch, z: z, z95: ConfidenceLevel.ninetyFive.z,
                        mathers: mathers, out: out)
                    return nil
                }
            }
        }
    }
}

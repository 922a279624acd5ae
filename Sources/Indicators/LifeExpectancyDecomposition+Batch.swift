// The batched Arriaga kernel: many pairs of groups in one pass over flat arrays (METHODS.md §10).
//
// Layout in, for each side (base, comparator): pair p's band b at p·20 + b; cause c of that
// band at (p·20 + b)·C + c.
// Layout out (struct of arrays): pair p's band b at p·20 + b for direct, indirect,
// interaction and total; cause c of that band at (p·20 + b)·(C + 1) + c, the residual "other"
// at c = C. Empty is NaN.
// Per pair: both sides' causes are checked, the §5 group rules and the rule on e₀ are applied
// to both sides, both life tables are filled by `LifeTableKernel.fill` into scratch, and the
// decomposition and its cause split are written in one pass over the bands (two with
// `symmetric`). Nothing is allocated per pair.

extension LifeExpectancyDecomposition {
    /// Arriaga's decomposition for many pairs of groups at once (METHODS.md §10), the same
    /// numbers and notes as `compute` on each pair.
    ///
    /// `base` and `comparator` hold `pairCount` groups of 20 bands each (ascending start age:
    /// 0, 1, 5, …, 90), pair p's groups at the same index p; `causeCount` causes per band in
    /// `causeDeaths` (0: no cause split). `causeNames` name the causes in errors and results
    /// (default "cause 1", …).
    ///
    /// Errors: the batch stops at the first pair (in pair order) with invalid causes and
    /// throws an `IndicatorBatchError` with its index and the `IndicatorError` `compute`
    /// would throw. Suppression is that of `compute`, pair by pair.
    /// - Precondition: each side holds `pairCount × 20` deaths and populations and
    ///   `pairCount × 20 × causeCount` cause deaths.
    /// - Complexity: O(pairCount · 20 · causes), one pass; no allocation per pair.
    public static func batch(
        base: Groups, comparator: Groups, pairCount: Int, causeCount: Int = 0, causeNames: [String] = [],
        symmetric: Bool = false, causeTolerance: Double = defaultCauseTolerance
    ) throws(IndicatorBatchError) -> LifeExpectancyDecompositionBatch {
        let bands = LifeExpectancy.bandCount
        precondition(pairCount >= 0 && causeCount >= 0)
        for side in [base, comparator] {
            precondition(
                side.deaths.count == pairCount * bands && side.populations.count == pairCount * bands
                    && side.causeDeaths.count == pairCount * bands * causeCount,
                "each side must hold pairCount × 20 deaths and populations, and × causeCount cause deaths")
        }
        let names = resolvedCauseNames(causeNames, count: causeCount)
        var output = ArriagaOutput(pairs: pairCount, bands: bands, causeCount: causeCount)
        let failure = ArriagaKernel.Side.with(base) { side1 in
            ArriagaKernel.Side.with(comparator) { side2 in
                output.withPointers { out in
                    ArriagaKernel.runBatch(
                        pairCount: pairCount, side1: side1, side2: side2, causeCount: causeCount, causeNames: names,
                        symmetric: symmetric, tolerance: causeTolerance, out: out)
                }
            }
        }
        if let failure { throw failure }
        return LifeExpectancyDecompositionBatch(
            pairCount: pairCount, startAges: LifeExpectancy.startAges, causeNames: names, symmetric: symmetric,
            output: output)
    }
}

/// The result of `LifeExpectancyDecomposition.batch`: decompositions of many pairs as flat arrays.
///
/// Pair p's band b is at `p * startAges.count + b` in `direct`, `indirect`, `interaction` and
/// `total`; its cause c at `(p * startAges.count + b) * (causeNames.count + 1) + c` in
/// `causes`, the residual "other" at c = `causeNames.count`. Empty is NaN; `note(pair:)` says
/// why. `result(pair:)` gives what `compute` returns.
public struct LifeExpectancyDecompositionBatch: Sendable {
    /// The number of pairs.
    public let pairCount: Int
    /// The start ages of the bands.
    public let startAges: [Int]
    /// The names of the causes.
    public let causeNames: [String]
    /// Whether the contributions are the mean of both directions.
    public let symmetric: Bool
    /// e₀ of the base population per pair.
    public let lifeExpectancyBase: [Double]
    /// e₀ of the comparator per pair.
    public let lifeExpectancyComparator: [Double]
    /// Direct effect per pair and band.
    public let direct: [Double]
    /// Indirect effect per pair and band.
    public let indirect: [Double]
    /// Interaction effect per pair and band.
    public let interaction: [Double]
    /// Δₓ per pair and band.
    public let total: [Double]
    /// Δᶜₓ per pair, band and cause (the residual last).
    public let causes: [Double]
    /// Per pair: whether the named causes leave deaths to the residual cause anywhere.
    let residual: [UInt8]
    /// Per pair: side (1 base, 2 comparator), kind (`ArriagaKernel.Reason`), rule, band.
    let codes: [UInt8]

    init(pairCount: Int, startAges: [Int], causeNames: [String], symmetric: Bool, output: ArriagaOutput) {
        self.pairCount = pairCount
        self.startAges = startAges
        self.causeNames = causeNames
        self.symmetric = symmetric
        lifeExpectancyBase = output.lifeExpectancyBase
        lifeExpectancyComparator = output.lifeExpectancyComparator
        direct = output.direct
        indirect = output.indirect
        interaction = output.interaction
        total = output.total
        causes = output.causes
        residual = output.residual
        codes = output.codes
    }

    /// Why pair `pair` is empty, or nil.
    /// - Complexity: O(1).
    public func note(pair: Int) -> String? {
        let c = pair * ArriagaOutput.codeCount
        guard let reason = ArriagaKernel.Reason(rawValue: codes[c + 1]), reason != .none else { return nil }
        let side = codes[c] == 1 ? "base" : "comparator"
        let band = Int(codes[c + 3])
        let labels = LifeTableKernel.labels(startAges: startAges)
        switch reason {
        case .none: return nil
        case .group: return side + ": " + (GroupCheck(rawValue: codes[c + 2])?.note(band: band) ?? "")
        case .cell: return side + ": " + (CellRule(rawValue: codes[c + 2])?.note ?? "")
        case .noSurvivors:
            return side + ": no survivors to band \(labels[band]): the decomposition is not defined"
        }
    }

    /// Pair `pair` as `compute` reports it.
    /// - Complexity: O(bands · causes).
    public func result(pair: Int) -> LifeExpectancyDecompositionResult {
        let bands = startAges.count
        let range = (pair * bands)..<((pair + 1) * bands)
        let width = causeNames.count + 1
        func cause(_ c: Int) -> [Double] { range.map { causes[$0 * width + c] } }
        let hasResidual = residual[pair] != 0 && !causeNames.isEmpty
        func finite(_ x: Double) -> Double? { x.isFinite ? x : nil }
        return LifeExpectancyDecompositionResult(
            startAges: startAges, causeNames: causeNames, symmetric: symmetric,
            lifeExpectancyBase: finite(lifeExpectancyBase[pair]),
            lifeExpectancyComparator: finite(lifeExpectancyComparator[pair]), direct: Array(direct[range]),
            indirect: Array(indirect[range]), interaction: Array(interaction[range]), total: Array(total[range]),
            causes: causeNames.indices.map(cause), other: hasResidual ? cause(causeNames.count) : nil,
            note: note(pair: pair))
    }
}

// MARK: - Output storage

/// The batch's outputs while the kernel writes them. Pre-set to NaN and 0.
struct ArriagaOutput {
    /// Codes per pair: side, reason, rule, band.
    static let codeCount = 4

    var direct, indirect, interaction, total: [Double]
    var causes: [Double]
    var lifeExpectancyBase, lifeExpectancyComparator: [Double]
    var residual, codes: [UInt8]

    init(pairs: Int, bands: Int, causeCount: Int) {
        direct = [Double](repeating: .nan, count: pairs * bands)
        (indirect, interaction, total) = (direct, direct, direct)
        causes = [Double](repeating: .nan, count: pairs * bands * (causeCount + 1))
        lifeExpectancyBase = [Double](repeating: .nan, count: pairs)
        lifeExpectancyComparator = lifeExpectancyBase
        residual = [UInt8](repeating: 0, count: pairs)
        codes = [UInt8](repeating: 0, count: Self.codeCount * pairs)
    }

    /// Pointers to every output.
    struct Pointers {
        var direct, indirect, interaction, total, causes: UnsafeMutablePointer<Double>
        var lifeExpectancyBase, lifeExpectancyComparator: UnsafeMutablePointer<Double>
        var residual, codes: UnsafeMutablePointer<UInt8>
    }

    /// Calls `body` with pointers to every output, or returns nil without calling it when
    /// there are no pairs.
    mutating func withPointers<R>(_ body: (Pointers) -> R?) -> R? {
        guard !residual.isEmpty else { return nil }
        return withMutableBuffers(&direct, &indirect, &interaction) { direct, indirect, interaction in
            withMutableBuffers(&total, &causes, &lifeExpectancyBase) { total, causes, e1 in
                withMutableBuffers(&lifeExpectancyComparator, &residual, &codes) { e2, residual, codes in
                    body(
                        Pointers(
                            direct: direct.baseAddress!, indirect: indirect.baseAddress!,
                            interaction: interaction.baseAddress!, total: total.baseAddress!, causes: causes.baseAddress!,
                            lifeExpectancyBase: e1.baseAddress!, lifeExpectancyComparator: e2.baseAddress!,
                            residual: residual.baseAddress!, codes: codes.baseAddress!))
                }
            }
        }
    }
}

// MARK: - The kernel

/// Arriaga's arithmetic over raw pointers, shared by `arriaga`, `compute` and `batch`.
enum ArriagaKernel {
    /// Why a pair is empty.
    enum Reason: UInt8 {
        case none = 0
        /// A §5 group rule (`GroupCheck`).
        case group
        /// e₀ blanked by a §5 single-value rule (`CellRule`).
        case cell
        /// A life table with no survivors to some band.
        case noSurvivors
    }

    /// One side's inputs over raw pointers (deaths, populations, and band-major cause deaths).
    struct Side {
        var deaths: UnsafePointer<Double>?
        var populations: UnsafePointer<Double>?
        var causes: UnsafePointer<Double>?

        /// Calls `body` with pointers to `groups`' arrays.
        static func with<R>(_ groups: LifeExpectancyDecomposition.Groups, _ body: (Side) -> R) -> R {
            with(deaths: groups.deaths, populations: groups.populations, causes: groups.causeDeaths, body)
        }

        /// Calls `body` with pointers to the arrays.
        static func with<R>(deaths: [Double], populations: [Double], causes: [Double], _ body: (Side) -> R) -> R {
            deaths.withUnsafeBufferPointer { d in
                populations.withUnsafeBufferPointer { p in
                    causes.withUnsafeBufferPointer { c in
                        body(Side(deaths: d.baseAddress, populations: p.baseAddress, causes: c.baseAddress))
                    }
                }
            }
        }
    }

    /// Checks one side's cause deaths for `count` bands from `offset`: each is NaN (0) or a
    /// non-negative number, and their sum is at most the band's deaths × (1 + tolerance).
    @inline(__always)
    static func checkCauses(
        _ side: Side, offset: Int, count: Int, causeCount: Int, tolerance: Double
    ) -> Bool {
        guard causeCount > 0, let causes = side.causes, let deaths = side.deaths else { return true }
        // Branch-free (the loop is bound by reading the causes): NaN passes every comparison
        // below as "no deaths", −∞ and negatives fail `lowest`, +∞ fails `highest`.
        var lowest = 0.0, highest = 0.0
        var excess = false
        for b in 0..<count {
            let row = causes + (offset + b) * causeCount
            var sum = 0.0
            for c in 0..<causeCount {
                let x = row[c]
                lowest = x < lowest ? x : lowest
                highest = x > highest ? x : highest
                sum += x >= 0 ? x : 0
            }
            let d = deaths[offset + b]
            excess = excess || sum > d + tolerance * d
        }
        return lowest >= 0 && highest < .infinity && !excess
    }

    /// The error for a side whose causes `checkCauses` refused (the cold path).
    @inline(never)
    static func causeError(
        _ side: Side, sideName: String, offset: Int, count: Int, causeCount: Int, tolerance: Double, labels: [String],
        causeNames: [String]
    ) -> IndicatorError {
        let causes = side.causes!, deaths = side.deaths!
        for b in 0..<count {
            let row = causes + (offset + b) * causeCount
            for c in 0..<causeCount where !(row[c].isNaN || (row[c] >= 0 && row[c].isFinite)) {
                return IndicatorError(
                    "deaths from \(causeNames[c]) in the \(sideName) must be a non-negative number", band: labels[b],
                    value: valueText(row[c]))
            }
            var sum = 0.0
            for c in 0..<causeCount where !row[c].isNaN { sum += row[c] }
            let d = deaths[offset + b]
            if sum > d + tolerance * d {
                return IndicatorError(
                    "deaths by cause in the \(sideName) sum to more than all deaths (\(valueText(d)))", band: labels[b],
                    value: valueText(sum))
            }
        }
        return IndicatorError("invalid deaths by cause")  // not reached: the caller found an invalid band
    }

    /// Arriaga(1→2) by band into `direct`, `indirect`, `interaction` and `total` (`count` each).
    @inline(__always)
    static func decompose(
        _ t1: LifeTableKernel.Pointers, _ t2: LifeTableKernel.Pointers, count: Int,
        direct: UnsafeMutablePointer<Double>, indirect: UnsafeMutablePointer<Double>,
        interaction: UnsafeMutablePointer<Double>, total: UnsafeMutablePointer<Double>
    ) {
        let last = count - 1
        let l1 = t1.l, l2 = t2.l, bigL1 = t1.bigL, bigL2 = t2.bigL, bigT1 = t1.bigT!, bigT2 = t2.bigT!
        let radix = l1[0]
        for x in 0..<last {
            let share = l1[x] / radix
            let d = share * (bigL2[x] / l2[x] - bigL1[x] / l1[x])
            let both = (bigT2[x + 1] / radix) * (l1[x] / l2[x] - l1[x + 1] / l2[x + 1])
            let ind = (bigT1[x + 1] / radix) * ((l1[x] * l2[x + 1]) / (l2[x] * l1[x + 1]) - 1)
            direct[x] = d
            indirect[x] = ind
            interaction[x] = both - ind
            total[x] = d + both
        }
        let open = (l1[last] / radix) * (bigT2[last] / l2[last] - bigT1[last] / l1[last])
        direct[last] = open
        indirect[last] = 0
        interaction[last] = 0
        total[last] = open
    }

    /// The decomposition of one pair whose life tables are filled: by band (both directions
    /// with `symmetric`), then by cause. `reverse` is scratch for 4 × `count` doubles. Returns
    /// whether the named causes leave any deaths to the residual cause, or nil when a band's
    /// contribution is not finite (a table without survivors to some band).
    @inline(__always)
    static func decomposePair(
        t1: LifeTableKernel.Pointers, t2: LifeTableKernel.Pointers, side1: Side, side2: Side, offset: Int, count: Int,
        causeCount: Int, symmetric: Bool, reverse: UnsafeMutablePointer<Double>, out: ArriagaOutput.Pointers,
        cell: Int
    ) -> Bool? {
        let direct = out.direct + cell, indirect = out.indirect + cell
        let interaction = out.interaction + cell, total = out.total + cell
        decompose(t1, t2, count: count, direct: direct, indirect: indirect, interaction: interaction, total: total)
        if symmetric {
            let rd = reverse, ri = reverse + count, rx = reverse + 2 * count, rt = reverse + 3 * count
            decompose(t2, t1, count: count, direct: rd, indirect: ri, interaction: rx, total: rt)
            for b in 0..<count {
                direct[b] = (direct[b] - rd[b]) / 2
                indirect[b] = (indirect[b] - ri[b]) / 2
                interaction[b] = (interaction[b] - rx[b]) / 2
                total[b] = (total[b] - rt[b]) / 2
            }
        }
        var finite = true
        for b in 0..<count { finite = finite && total[b].isFinite }
        guard finite else { return nil }
        guard causeCount > 0, let c1 = side1.causes, let c2 = side2.causes else { return false }
        // Δᶜ = Δ·(mᶜ² − mᶜ¹)/(m² − m¹), mᶜ = Dᶜ/P; the residual has D − ΣDᶜ.
        let m1 = t1.m!, m2 = t2.m!
        let d1 = side1.deaths! + offset, d2 = side2.deaths! + offset
        let p1 = side1.populations! + offset, p2 = side2.populations! + offset
        let width = causeCount + 1
        var residual = false
        for b in 0..<count {
            let row1 = c1 + (offset + b) * causeCount, row2 = c2 + (offset + b) * causeCount
            let target = out.causes + (cell + b) * width
            let difference = m2[b] - m1[b]
            let scale = difference == 0 ? 0 : total[b] / difference
            let inverse1 = 1 / p1[b], inverse2 = 1 / p2[b]
            var named1 = 0.0, named2 = 0.0
            for c in 0..<causeCount {
                // Checked: NaN (no deaths) or non-negative.
                let x1 = row1[c] >= 0 ? row1[c] : 0, x2 = row2[c] >= 0 ? row2[c] : 0
                named1 += x1
                named2 += x2
                target[c] = scale * (x2 * inverse2 - x1 * inverse1)
            }
            let other1 = d1[b] - named1, other2 = d2[b] - named2
            residual = residual || other1 != 0 || other2 != 0
            target[causeCount] = scale * (other2 * inverse2 - other1 * inverse1)
        }
        return residual
    }

    /// Records why pair `pair` is empty.
    @inline(__always)
    static func record(_ out: ArriagaOutput.Pointers, pair: Int, side: UInt8, reason: Reason, rule: UInt8, band: Int) {
        let c = pair * ArriagaOutput.codeCount
        out.codes[c] = side
        out.codes[c + 1] = reason.rawValue
        out.codes[c + 2] = rule
        out.codes[c + 3] = UInt8(truncatingIfNeeded: band)
    }

    /// The first band with no survivors in either table (side 1 or 2), for the note.
    static func firstBandWithoutSurvivors(
        _ t1: LifeTableKernel.Pointers, _ t2: LifeTableKernel.Pointers, count: Int
    ) -> (side: UInt8, band: Int) {
        for b in 0..<count {
            if !(t1.l[b] > 0) { return (1, b) }
            if !(t2.l[b] > 0) { return (2, b) }
        }
        return (1, 0)
    }

    /// The loop of `LifeExpectancyDecomposition.batch` over pairs of 20-band groups. Returns
    /// the first invalid pair's error, or nil.
    static func runBatch(
        pairCount: Int, side1: Side, side2: Side, causeCount: Int, causeNames: [String], symmetric: Bool,
        tolerance: Double, out: ArriagaOutput.Pointers
    ) -> IndicatorBatchError? {
        guard pairCount > 0, let deaths1 = side1.deaths, let deaths2 = side2.deaths,
            let populations1 = side1.populations, let populations2 = side2.populations
        else { return nil }
        let bands = LifeExpectancy.bandCount
        let z95 = ConfidenceLevel.ninetyFive.z
        let columns = LifeTableKernel.Pointers.columnCount * bands
        return LifeTableKernel.standardWidths.withUnsafeBufferPointer { widths in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * columns + 4 * bands) { scratch in
                let base = scratch.baseAddress!
                let t1 = LifeTableKernel.Pointers(scratch: base, count: bands)
                let t2 = LifeTableKernel.Pointers(scratch: base + columns, count: bands)
                let reverse = base + 2 * columns
                for pair in 0..<pairCount {
                    let offset = pair * bands
                    if !checkCauses(side1, offset: offset, count: bands, causeCount: causeCount, tolerance: tolerance) {
                        return IndicatorBatchError(
                            groupIndex: pair,
                            error: causeError(
                                side1, sideName: "base", offset: offset, count: bands, causeCount: causeCount,
                                tolerance: tolerance, labels: LifeExpectancy.bandLabels, causeNames: causeNames))
                    }
                    if !checkCauses(side2, offset: offset, count: bands, causeCount: causeCount, tolerance: tolerance) {
                        return IndicatorBatchError(
                            groupIndex: pair,
                            error: causeError(
                                side2, sideName: "comparator", offset: offset, count: bands, causeCount: causeCount,
                                tolerance: tolerance, labels: LifeExpectancy.bandLabels, causeNames: causeNames))
                    }
                    let d1 = deaths1 + offset, p1 = populations1 + offset
                    let d2 = deaths2 + offset, p2 = populations2 + offset
                    if let failure = GroupCheck.check(deaths: d1, populations: p1, count: bands) {
                        record(out, pair: pair, side: 1, reason: .group, rule: failure.rule.rawValue, band: failure.band)
                        continue
                    }
                    if let failure = GroupCheck.check(deaths: d2, populations: p2, count: bands) {
                        record(out, pair: pair, side: 2, reason: .group, rule: failure.rule.rawValue, band: failure.band)
                        continue
                    }
                    LifeTableKernel.fill(
                        deaths: d1, populations: p1, widths: widths.baseAddress!, count: bands, firstA: 0.1, out: t1)
                    LifeTableKernel.fill(
                        deaths: d2, populations: p2, widths: widths.baseAddress!, count: bands, firstA: 0.1, out: t2)
                    let rule1 = CellRule.classify(e: t1.e[0], se: t1.se[0], survivors: t1.l[0], z95: z95)
                    let rule2 = CellRule.classify(e: t2.e[0], se: t2.se[0], survivors: t2.l[0], z95: z95)
                    if rule1 != .normal {
                        record(out, pair: pair, side: 1, reason: .cell, rule: rule1.rawValue, band: 0)
                        continue
                    }
                    if rule2 != .normal {
                        record(out, pair: pair, side: 2, reason: .cell, rule: rule2.rawValue, band: 0)
                        continue
                    }
                    let cell = pair * bands
                    guard
                        let residual = decomposePair(
                            t1: t1, t2: t2, side1: side1, side2: side2, offset: offset, count: bands,
                            causeCount: causeCount, symmetric: symmetric, reverse: reverse, out: out, cell: cell)
                    else {
                        clear(out, cell: cell, count: bands, causeCount: causeCount)
                        let (side, band) = firstBandWithoutSurvivors(t1, t2, count: bands)
                        record(out, pair: pair, side: side, reason: .noSurvivors, rule: 0, band: band)
                        continue
                    }
                    out.residual[pair] = residual ? 1 : 0
                    out.lifeExpectancyBase[pair] = t1.e[0]
                    out.lifeExpectancyComparator[pair] = t2.e[0]
                }
                return nil
            }
        }
    }

    /// Sets one pair's band fields back to NaN (its causes were never written).
    static func clear(_ out: ArriagaOutput.Pointers, cell: Int, count: Int, causeCount: Int) {
        for field in [out.direct, out.indirect, out.interaction, out.total] {
            (field + cell).update(repeating: .nan, count: count)
        }
    }

    /// Arriaga between two given tables (`LifeExpectancyDecomposition.arriaga`): causes checked,
    /// no §5 rules.
    static func runTables(
        t1: LifeTableKernel.Pointers, t2: LifeTableKernel.Pointers, side1: Side, side2: Side, count: Int,
        causeCount: Int, labels: [String], causeNames: [String], symmetric: Bool, tolerance: Double,
        out: ArriagaOutput.Pointers
    ) -> IndicatorError? {
        let names = LifeExpectancyDecomposition.resolvedCauseNames(causeNames, count: causeCount)
        for (side, name) in [(side1, "base"), (side2, "comparator")]
        where !checkCauses(side, offset: 0, count: count, causeCount: causeCount, tolerance: tolerance) {
            return causeError(
                side, sideName: name, offset: 0, count: count, causeCount: causeCount, tolerance: tolerance,
                labels: labels, causeNames: names)
        }
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 4 * count) { reverse in
            guard
                let residual = decomposePair(
                    t1: t1, t2: t2, side1: side1, side2: side2, offset: 0, count: count, causeCount: causeCount,
                    symmetric: symmetric, reverse: reverse.baseAddress!, out: out, cell: 0)
            else {
                clear(out, cell: 0, count: count, causeCount: causeCount)
                let (side, band) = firstBandWithoutSurvivors(t1, t2, count: count)
                record(out, pair: 0, side: side, reason: .noSurvivors, rule: 0, band: band)
                return
            }
            out.residual[0] = residual ? 1 : 0
            out.lifeExpectancyBase[0] = t1.e[0]
            out.lifeExpectancyComparator[0] = t2.e[0]
        }
        return nil
    }
}

// Exact order statistics of values that arrive in blocks and are never stored.
//
// The bracketing of Floyd and Rivest's SELECT (see `Selection`), turned into a one-pass
// streaming method: the first block of the stream (the pilot) is a random sample of it when
// the values are independent draws, so its order statistics bracket each wanted rank of the
// whole stream with high probability. Every later value, and the pilot itself, is then only
// compared with the brackets: values below a bracket are counted, values inside it are
// copied, and at the end each rank is read by `Selection.select` among its bracket's copies.
// Nothing of size n is stored, so a simulation of 100,000 repetitions touches a few
// kilobytes instead of two 800 KB arrays.
//
// The answer is exact or absent, never approximate: a rank is found only when the count
// below its bracket and the number of copies prove that it lies inside. When a bracket
// misses (about one run in 10^6 per rank with the margins below, or for a stream whose pilot
// is not representative), `result()` is nil and the caller recomputes the stream into an
// array and uses `Selection.orderStatistics`. A bracket that receives more copies than
// expected (ties, or a pilot unlike the rest) grows its storage; it never drops a value.
//   R. W. Floyd, R. L. Rivest (1975), "Expected time bounds for selection",
//   CACM 18(3), 165–172. https://doi.org/10.1145/360680.360691

/// Exact order statistics of a stream of `count` doubles seen once, in blocks.
///
/// Usage: create it from the ranks, the stream's length and its first block (the pilot),
/// `absorb` every block in order including the pilot, then read `result()`; when that is nil,
/// compute the stream again into an array and select there.
///
/// ```swift
/// var statistics = StreamingOrderStatistics(ranks: [2_499, 97_499], count: 100_000, pilot: first)
/// statistics.absorb(first)
/// // … absorb the remaining blocks …
/// let values = statistics.result()  // [2.5% point, 97.5% point], or nil: recompute
/// ```
/// Values must not be NaN.
public struct StreamingOrderStatistics: Sendable {
    /// The stream's length n.
    public let count: Int
    /// The ranks asked for, in the caller's order.
    let requested: [Int]
    /// Bracket b holds the values in [lows[b], highs[b]]; brackets are sorted and disjoint.
    var lows: [Double] = []
    var highs: [Double] = []
    /// The sorted distinct ranks whose value lies in bracket b (by the pilot's estimate).
    var bracketRanks: [[Int]] = []
    /// #{x < lows[b]} over the values absorbed so far.
    var below: [Int] = []
    /// #{x in bracket b} so far (never more than its capacity: storage grows first).
    var inside: [Int] = []
    var capacities: [Int] = []
    var offsets: [Int] = []
    /// The copies of the values inside each bracket, at offsets[b]..<offsets[b] + capacities[b].
    var store: [Double] = []
    /// The widest stretch between brackets, (gapLow, gapHigh) exclusive: most values fall in
    /// it and take one well-predicted test.
    var gapLow = -Double.infinity
    var gapHigh = Double.infinity
    /// The first bracket above the gap: values in the gap count as below it and every later one.
    var gapIndex = 0
    var inGap = 0
    var absorbed = 0
    /// Scratch for `absorb`'s values outside the gap (grown to the largest block).
    var gathered: [Double] = []

    /// Brackets for `ranks` (0-based ranks of a stream of `count` values) from the pilot, the
    /// stream's first values.
    ///
    /// Each rank r gets the pilot's order statistics at q·m ± (5·√(m·q(1 − q)) + 3) as its
    /// bracket (m the pilot's size, q = (r + 0.5)/count): about five binomial standard
    /// deviations of a sample quantile on each side. Overlapping brackets are merged.
    /// - Precondition: every rank is in `0..<count`; the pilot is not empty and not longer than `count`.
    /// - Complexity: O(m + b log m) for b ranks; memory for the copies about 2% of `count` per
    ///   bracket for a pilot of 8,192 (more when the values inside a bracket outnumber it).
    public init(ranks: [Int], count: Int, pilot: UnsafeBufferPointer<Double>) {
        precondition(!pilot.isEmpty && pilot.count <= count, "the pilot must hold 1…count values")
        for rank in ranks { precondition(rank >= 0 && rank < count, "rank \(rank) outside 0..<\(count)") }
        self.count = count
        self.requested = ranks
        if ranks.isEmpty { return }
        let distinct = Array(Set(ranks)).sorted()
        let m = pilot.count

        var positions: [(low: Int, high: Int)] = []
        for rank in distinct {
            let q = (Double(rank) + 0.5) / Double(count)
            let centre = q * Double(m)
            let margin = 5 * (Double(m) * q * (1 - q)).squareRoot() + 3
            positions.append((Int((centre - margin).rounded(.down)), Int((centre + margin).rounded(.up))))
        }
        let wanted = Array(Set(positions.flatMap { [$0.low, $0.high] }.filter { $0 >= 0 && $0 < m })).sorted()
        var pilotValues: [Int: Double] = [:]
        var sample = Array(pilot)
        sample.withUnsafeMutableBufferPointer { s in
            Selection.multiSelect(s.baseAddress!, lower: 0, upper: m, ranks: wanted[...], into: &pilotValues)
        }

        var spans: [(low: Int, high: Int)] = []
        for (rank, position) in zip(distinct, positions) {
            let low = position.low < 0 ? -Double.infinity : pilotValues[position.low]!
            let high = position.high >= m ? Double.infinity : pilotValues[position.high]!
            if let last = highs.last, low <= last {
                highs[highs.count - 1] = max(last, high)
                spans[spans.count - 1].high = max(spans[spans.count - 1].high, position.high)
                bracketRanks[bracketRanks.count - 1].append(rank)
            } else {
                lows.append(low)
                highs.append(high)
                spans.append(position)
                bracketRanks.append([rank])
            }
        }

        // Capacity: twice the expected number of values inside, plus slack (grown when full).
        let brackets = lows.count
        capacities = spans.map { span in
            let width = Double(min(span.high, m) - max(span.low, -1) + 1) / Double(m)
            return min(count, Int(2 * width * Double(count)) + 64)
        }
        offsets = [0]
        for c in capacities { offsets.append(offsets[offsets.count - 1] + c) }
        store = [Double](unsafeUninitializedCapacity: offsets[brackets]) { _, initialised in initialised = offsets[brackets] }
        below = [Int](repeating: 0, count: brackets)
        inside = [Int](repeating: 0, count: brackets)

        // The widest gap in pilot positions: below bracket 0, between b − 1 and b, or above the last.
        var gapSizes = [max(0, spans[0].low)]
        for b in 1..<brackets { gapSizes.append(spans[b].low - spans[b - 1].high) }
        gapSizes.append(max(0, m - 1 - spans[brackets - 1].high))
        var gap = 0
        for g in 1...brackets where gapSizes[g] > gapSizes[gap] { gap = g }
        gapIndex = gap
        gapLow = gap == 0 ? -Double.infinity : highs[gap - 1]
        gapHigh = gap == brackets ? Double.infinity : lows[gap]
    }

    /// Counts and copies one block of the stream.
    ///
    /// Two passes: a branch-free one that counts the values in the widest gap and gathers the
    /// others (about 5% for the SII's ranks), then the bracket comparisons for those only, so
    /// that no branch depends on a random value in the common case.
    /// - Complexity: O(block.count) amortised.
    public mutating func absorb(_ block: UnsafeBufferPointer<Double>) {
        absorbed += block.count
        guard !lows.isEmpty, let values = block.baseAddress, !block.isEmpty else { return }
        let n = block.count
        if gathered.count < n { gathered = [Double](repeating: 0, count: n) }
        var scratch = gathered
        gathered = []  // `scratch` is now the only reference: no copy on write below
        defer { gathered = scratch }
        scratch.withUnsafeMutableBufferPointer { buffer in
            let outside = buffer.baseAddress!
            let gapLow = self.gapLow
            let gapHigh = self.gapHigh
            var count = 0
            for i in 0..<n {
                let x = values[i]
                outside[count] = x
                count &+= (x <= gapLow ? 1 : 0) | (x >= gapHigh ? 1 : 0)
            }
            inGap += n - count
            var start = 0
            while true {
                start = place(outside, from: start, to: count)
                if start == count { return }
                grow()
            }
        }
    }

    /// Counts and copies values[start..<end], none of them in the gap; returns end, or the
    /// index of the first value whose bracket is full (not yet counted: a value lies in at
    /// most one bracket, and no bracket below it counts it).
    mutating func place(_ values: UnsafePointer<Double>, from start: Int, to end: Int) -> Int {
        let brackets = lows.count
        var stop = end
        lows.withUnsafeBufferPointer { lows in
            highs.withUnsafeBufferPointer { highs in
                capacities.withUnsafeBufferPointer { capacities in
                    offsets.withUnsafeBufferPointer { offsets in
                        below.withUnsafeMutableBufferPointer { below in
                            inside.withUnsafeMutableBufferPointer { inside in
                                store.withUnsafeMutableBufferPointer { store in
                                    scan: for i in start..<end {
                                        let x = values[i]
                                        for b in 0..<brackets {
                                            if x < lows[b] {
                                                below[b] &+= 1
                                            } else if x <= highs[b] {
                                                let c = inside[b]
                                                if c == capacities[b] {
                                                    stop = i
                                                    break scan
                                                }
                                                store[offsets[b] + c] = x
                                                inside[b] = c &+ 1
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
        return stop
    }

    /// Doubles the capacity of every full bracket, keeping the copies made so far.
    mutating func grow() {
        var newCapacities = capacities
        for b in capacities.indices where inside[b] == capacities[b] { newCapacities[b] = 2 * capacities[b] }
        var newOffsets = [0]
        for c in newCapacities { newOffsets.append(newOffsets[newOffsets.count - 1] + c) }
        let total = newOffsets[newOffsets.count - 1]
        let old = store
        store = [Double](unsafeUninitializedCapacity: total) { buffer, initialised in
            for b in capacities.indices {
                for i in 0..<inside[b] { buffer[newOffsets[b] + i] = old[offsets[b] + i] }
            }
            initialised = total
        }
        capacities = newCapacities
        offsets = newOffsets
    }

    /// The values of the requested ranks, in the order they were asked for, or nil when a
    /// bracket missed one of them (recompute the stream into an array and select there).
    ///
    /// - Precondition: exactly `count` values have been absorbed.
    /// - Complexity: O(c) expected for c copies in all (a selection within each bracket).
    public func result() -> [Double]? {
        precondition(absorbed == count, "absorbed \(absorbed) of \(count) values")
        if requested.isEmpty { return [] }
        var found: [Int: Double] = [:]
        var work = store
        for b in lows.indices {
            // Values in the gap lie below every bracket above it.
            let belowBracket = below[b] + (b >= gapIndex ? inGap : 0)
            var local: [Int] = []
            for rank in bracketRanks[b] {
                let position = rank - belowBracket
                guard position >= 0 && position < inside[b] else { return nil }
                local.append(position)
            }
            var localFound: [Int: Double] = [:]
            work.withUnsafeMutableBufferPointer { w in
                Selection.multiSelect(
                    w.baseAddress! + offsets[b], lower: 0, upper: inside[b], ranks: local[...], into: &localFound)
            }
            for (rank, position) in zip(bracketRanks[b], local) { found[rank] = localFound[position]! }
        }
        return requested.map { found[$0]! }
    }
}

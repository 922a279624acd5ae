// Order statistics without sorting.
//
// `select` is Hoare's FIND (quickselect) with a median-of-three pivot, Hoare partitioning
// and, after 2·log2(n) + 16 rounds without converging, a sort of the remaining range, so the
// worst case is O(n log n) (the idea of Musser's introselect).
//   C. A. R. Hoare (1961), "Algorithm 65: Find", CACM 4(7), 321–322.
//   D. R. Musser (1997), "Introspective Sorting and Selection Algorithms",
//   Software: Practice and Experience 27(8), 983–993.
//
// `orderStatistics` of a large array first brackets each wanted rank from a sorted sample,
// as Floyd and Rivest's SELECT does, then reads the array once: it counts the elements below
// each bracket and copies those inside it, and finishes with `select` on the small copies.
// Extreme ranks (the 2.5% and 97.5% points of 100,000 simulated slopes) cost one pass over
// the data plus selections among a few thousand candidates. When a bracket misses its rank
// (possible only for adversarial orderings, since the sample is a fixed stride), that rank
// falls back to `select` on the whole array, so the answer is always exact.
//   R. W. Floyd, R. L. Rivest (1975), "Expected time bounds for selection",
//   CACM 18(3), 165–172. https://doi.org/10.1145/360680.360691

/// Exact order statistics (k-th smallest values) of arrays of doubles.
///
/// Ranks are 0-based: rank 0 is the minimum, rank n − 1 the maximum. Values must not be
/// NaN (NaN has no place in the order; results are then unspecified but memory-safe).
public enum Selection {
    /// The value of rank `rank` (0-based) in `values`, reordering `values` so that every element
    /// before that position is ≤ it and every element after is ≥ it.
    ///
    /// - Precondition: `0 <= rank < values.count`.
    /// - Complexity: O(n) expected, O(n log n) worst case.
    public static func select(_ values: UnsafeMutableBufferPointer<Double>, rank: Int) -> Double {
        precondition(rank >= 0 && rank < values.count, "rank \(rank) outside 0..<\(values.count)")
        guard let base = values.baseAddress else { preconditionFailure("empty buffer") }
        return selectInRange(base, lower: 0, upper: values.count, rank: rank)
    }

    /// The values of the given 0-based ranks in `values`, in the order of `ranks`.
    ///
    /// Reads `values` once and may reorder it. Equal to sorting `values` and reading
    /// `sorted[rank]` for each rank, without the O(n log n) sort.
    /// - Precondition: each rank is in `0..<values.count`.
    /// - Complexity: O(n + m log m) expected for m ranks (one pass and small selections),
    ///   O(n log n) worst case.
    public static func orderStatistics(_ values: UnsafeMutableBufferPointer<Double>, ranks: [Int]) -> [Double] {
        let n = values.count
        for rank in ranks {
            precondition(rank >= 0 && rank < n, "rank \(rank) outside 0..<\(n)")
        }
        if ranks.isEmpty { return [] }
        guard let base = values.baseAddress else { preconditionFailure("empty buffer") }
        let distinct = Array(Set(ranks)).sorted()
        var found: [Int: Double] = [:]
        if n <= 4096 || distinct.count > 16 {
            multiSelect(base, lower: 0, upper: n, ranks: distinct[...], into: &found)
        } else {
            bracketedSelect(values, ranks: distinct, into: &found)
        }
        return ranks.map { found[$0]! }
    }

    /// The values of the given 0-based ranks of an array, in the order of `ranks` (the array is reordered).
    ///
    /// - Complexity: as `orderStatistics(_:ranks:)` on its buffer.
    public static func orderStatistics(of values: inout [Double], ranks: [Int]) -> [Double] {
        values.withUnsafeMutableBufferPointer { orderStatistics($0, ranks: ranks) }
    }

    // MARK: - Bracketing from a sample

    /// Finds `ranks` (sorted, distinct) by brackets from a stride sample and one pass over `values`.
    static func bracketedSelect(_ values: UnsafeMutableBufferPointer<Double>, ranks: [Int], into found: inout [Int: Double]) {
        let n = values.count
        let base = values.baseAddress!
        // Sample: about 4·√n elements at a fixed stride, at least 1,024.
        let sampleSize = min(n, max(1024, Int(4 * Double(n).squareRoot())))
        let stride = n / sampleSize
        var sample = [Double](unsafeUninitializedCapacity: sampleSize) { buffer, count in
            for i in 0..<sampleSize { buffer[i] = base[i * stride + stride / 2] }
            count = sampleSize
        }

        // For each rank, the sample positions that bracket it with a margin of about four
        // binomial standard deviations of a sample quantile.
        var positions: [(low: Int, high: Int)] = []
        for rank in ranks {
            let q = (Double(rank) + 0.5) / Double(n)
            let centre = q * Double(sampleSize)
            let margin = 4 * (Double(sampleSize) * q * (1 - q)).squareRoot() + 3
            positions.append((Int((centre - margin).rounded(.down)), Int((centre + margin).rounded(.up))))
        }
        let samplePositions = Array(Set(positions.flatMap { [$0.low, $0.high] }.filter { $0 >= 0 && $0 < sampleSize })).sorted()
        var sampleValues: [Int: Double] = [:]
        sample.withUnsafeMutableBufferPointer { s in
            multiSelect(s.baseAddress!, lower: 0, upper: sampleSize, ranks: samplePositions[...], into: &sampleValues)
        }

        // Brackets [low, high] in value, merged where they overlap, each with its ranks.
        var brackets: [Bracket] = []
        for (rank, position) in zip(ranks, positions) {
            let low = position.low < 0 ? -Double.infinity : sampleValues[position.low]!
            let high = position.high >= sampleSize ? Double.infinity : sampleValues[position.high]!
            if let last = brackets.last, low <= last.high {
                brackets[brackets.count - 1].high = max(last.high, high)
                brackets[brackets.count - 1].highPosition = max(last.highPosition, position.high)
                brackets[brackets.count - 1].ranks.append(rank)
            } else {
                brackets.append(
                    Bracket(low: low, high: high, lowPosition: position.low, highPosition: position.high, ranks: [rank]))
            }
        }

        // One pass: count the elements below each bracket, copy those inside it (up to a
        // capacity; a bracket that overflows is answered by the fallback).
        // Capacity: twice the expected count, (sample positions spanned + 2)·(n/sampleSize).
        let m = brackets.count
        let perPosition = n / sampleSize + 1
        let capacities = brackets.map { min(n, 2 * perPosition * ($0.highPosition - $0.lowPosition + 2)) }
        var offsets = [0]
        for c in capacities { offsets.append(offsets[offsets.count - 1] + c) }
        var below = [Int](repeating: 0, count: m)
        var counts = [Int](repeating: 0, count: m)
        var store = [Double](unsafeUninitializedCapacity: offsets[m]) { _, count in count = offsets[m] }
        let lows = brackets.map(\.low)
        let highs = brackets.map(\.high)
        // Sample positions spanned by each gap: below the first bracket, between brackets, above the last.
        var gapPositions = [max(0, brackets[0].lowPosition)]
        for b in 1..<m { gapPositions.append(brackets[b].lowPosition - brackets[b - 1].highPosition) }
        gapPositions.append(max(0, sampleSize - 1 - brackets[m - 1].highPosition))
        store.withUnsafeMutableBufferPointer { store in
            countAndCopy(
                base, count: n, lows: lows, highs: highs, gapPositions: gapPositions, capacities: capacities, offsets: offsets,
                below: &below, counts: &counts, store: store.baseAddress!)
        }

        var missed: [Int] = []
        for b in brackets.indices {
            var wanted: [Int] = []
            for rank in brackets[b].ranks {
                let local = rank - below[b]
                if counts[b] <= capacities[b] && local >= 0 && local < counts[b] {
                    wanted.append(local)
                } else {
                    missed.append(rank)
                }
            }
            if wanted.isEmpty { continue }
            var localFound: [Int: Double] = [:]
            store.withUnsafeMutableBufferPointer { c in
                multiSelect(c.baseAddress! + offsets[b], lower: 0, upper: counts[b], ranks: wanted[...], into: &localFound)
            }
            for local in wanted { found[local + below[b]] = localFound[local]! }
        }
        if !missed.isEmpty {
            multiSelect(base, lower: 0, upper: n, ranks: missed.sorted()[...], into: &found)
        }
    }

    /// The pass over the data: for each bracket b, below[b] = #{x < lows[b]}, and the elements
    /// in [lows[b], highs[b]] copied to store[offsets[b]...] (up to capacities[b]; counts[b]
    /// counts them all). Brackets are sorted and disjoint. Most elements lie in the widest gap
    /// between brackets (between the 2.5% and 97.5% brackets, say), and those take one
    /// well-predicted test; only the others are compared with every bracket.
    static func countAndCopy(
        _ base: UnsafeMutablePointer<Double>, count n: Int, lows: [Double], highs: [Double], gapPositions: [Int],
        capacities: [Int], offsets: [Int], below: inout [Int], counts: inout [Int], store: UnsafeMutablePointer<Double>
    ) {
        let m = lows.count
        // The widest gap in sample positions: below bracket 0, between b − 1 and b, or above m − 1.
        var gap = 0
        for g in 1...m where gapPositions[g] > gapPositions[gap] { gap = g }
        let gapLow = gap == 0 ? -Double.infinity : highs[gap - 1]
        let gapHigh = gap == m ? Double.infinity : lows[gap]
        var skipped = 0
        lows.withUnsafeBufferPointer { lows in
            highs.withUnsafeBufferPointer { highs in
                below.withUnsafeMutableBufferPointer { below in
                    counts.withUnsafeMutableBufferPointer { counts in
                        for i in 0..<n {
                            let x = base[i]
                            if x > gapLow && x < gapHigh {
                                skipped &+= 1
                                continue
                            }
                            for b in 0..<m {
                                if x < lows[b] {
                                    below[b] &+= 1
                                } else if x <= highs[b] {
                                    let c = counts[b]
                                    if c < capacities[b] { store[offsets[b] + c] = x }
                                    counts[b] = c &+ 1
                                }
                            }
                        }
                        // Elements in the gap are below every bracket above it.
                        for b in gap..<m { below[b] &+= skipped }
                    }
                }
            }
        }
    }

    struct Bracket {
        var low: Double
        var high: Double
        /// The sample positions of `low` and `high` (outside 0..<sampleSize for ±∞).
        var lowPosition: Int
        var highPosition: Int
        var ranks: [Int]
    }

    // MARK: - Quickselect

    /// Selects several sorted, distinct ranks within [lower, upper): the middle one first,
    /// then the ranks on each side within the part of the range that holds them.
    static func multiSelect(
        _ base: UnsafeMutablePointer<Double>, lower: Int, upper: Int, ranks: ArraySlice<Int>,
        into found: inout [Int: Double]
    ) {
        if ranks.isEmpty { return }
        let middle = ranks.startIndex + ranks.count / 2
        let rank = ranks[middle]
        found[rank] = selectInRange(base, lower: lower, upper: upper, rank: rank)
        multiSelect(base, lower: lower, upper: rank, ranks: ranks[ranks.startIndex..<middle], into: &found)
        multiSelect(base, lower: rank + 1, upper: upper, ranks: ranks[(middle + 1)...], into: &found)
    }

    /// Quickselect of `rank` within [lower, upper) (Hoare partition, median-of-three pivot).
    static func selectInRange(_ a: UnsafeMutablePointer<Double>, lower: Int, upper: Int, rank: Int) -> Double {
        var lo = lower
        var hi = upper  // exclusive
        var rounds = 0
        let roundLimit = 16 + 2 * (Int.bitWidth - (upper - lower).leadingZeroBitCount)
        while hi - lo > 16 {
            rounds += 1
            if rounds > roundLimit {
                var range = UnsafeMutableBufferPointer(start: a + lo, count: hi - lo)
                range.sort()
                return a[rank]
            }
            // Median of three moved to a[lo], the pivot of Hoare's scheme, which then splits
            // [lo, hi) into two non-empty parts [lo, j] ≤ pivot ≤ [j + 1, hi).
            let mid = lo + (hi - lo) / 2
            if a[mid] < a[lo] { a.swapAt(mid, lo) }
            if a[hi - 1] < a[lo] { a.swapAt(hi - 1, lo) }
            if a[hi - 1] < a[mid] { a.swapAt(hi - 1, mid) }
            a.swapAt(lo, mid)
            let pivot = a[lo]
            var i = lo - 1
            var j = hi
            while true {
                repeat { i += 1 } while a[i] < pivot
                repeat { j -= 1 } while a[j] > pivot
                if i >= j { break }
                a.swapAt(i, j)
            }
            if rank <= j { hi = j + 1 } else { lo = j + 1 }
        }
        // Insertion sort of the last few.
        if hi - lo > 1 {
            for i in (lo + 1)..<hi {
                let x = a[i]
                var j = i - 1
                while j >= lo && a[j] > x {
                    a[j + 1] = a[j]
                    j -= 1
                }
                a[j + 1] = x
            }
        }
        return a[rank]
    }
}

extension UnsafeMutablePointer where Pointee == Double {
    @inline(__always)
    fileprivate func swapAt(_ i: Int, _ j: Int) {
        let t = self[i]
        self[i] = self[j]
        self[j] = t
    }
}

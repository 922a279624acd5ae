import Testing

@testable import NumericCore

@Suite struct StreamingOrderStatisticsTests {
    /// Streams `values` in blocks (the first `pilot` long) and returns the result.
    static func stream(_ values: [Double], ranks: [Int], pilot: Int, block: Int) -> [Double]? {
        values.withUnsafeBufferPointer { all in
            let first = UnsafeBufferPointer(rebasing: all[0..<min(pilot, all.count)])
            var statistics = StreamingOrderStatistics(ranks: ranks, count: all.count, pilot: first)
            statistics.absorb(first)
            var done = first.count
            while done < all.count {
                let n = min(block, all.count - done)
                statistics.absorb(UnsafeBufferPointer(rebasing: all[done..<(done + n)]))
                done += n
            }
            return statistics.result()
        }
    }

    /// The SII's ranks for 95% and 99.8% at n repetitions, plus the median.
    static func siiRanks(_ n: Int) -> [Int] {
        [n / 40 - 1, n - n / 40 - 1, n / 1000 - 1, n - n / 1000 - 1, n / 2]
    }

    @Test(arguments: ["normal", "uniform", "fewDistinct", "constant"], [10_000, 100_000])
    func independentDrawsGiveTheExactOrderStatistics(arrangement: String, count: Int) {
        let values = SelectionTests.data(arrangement, count: count, seed: UInt64(count) + 1)
        let sorted = values.sorted()
        let ranks = Self.siiRanks(count)
        let found = Self.stream(values, ranks: ranks, pilot: 8_192, block: 2_048)
        #expect(found == ranks.map { sorted[$0] }, "\(arrangement), n = \(count)")
    }

    @Test func ranksComeBackInTheOrderAskedWithRepeats() {
        let values = SelectionTests.data("normal", count: 50_000, seed: 12)
        let sorted = values.sorted()
        let found = Self.stream(values, ranks: [48_749, 1_249, 1_249, 0, 49_999], pilot: 4_096, block: 1_000)
        #expect(found == [sorted[48_749], sorted[1_249], sorted[1_249], sorted[0], sorted[49_999]])
    }

    @Test func unrepresentativePilotIsReportedNotGuessed() {
        // An ascending stream: the pilot holds the smallest values, so the brackets sit far
        // below the upper ranks, which must come back as a miss (nil), never a wrong value.
        let values = (0..<100_000).map(Double.init)
        let ascending = Self.stream(values, ranks: Self.siiRanks(100_000), pilot: 8_192, block: 2_048)
        #expect(ascending == nil)
        // A descending one likewise.
        let descending = Self.stream(values.reversed(), ranks: Self.siiRanks(100_000), pilot: 8_192, block: 2_048)
        #expect(descending == nil)
    }

    @Test func aWholeStreamPilotIsExactForAnyArrangement() {
        // When the pilot is the whole stream, its brackets are certain.
        for arrangement in ["sorted", "reversed", "strideAligned", "fewDistinct"] {
            let values = SelectionTests.data(arrangement, count: 5_000, seed: 2)
            let sorted = values.sorted()
            let ranks = Self.siiRanks(5_000)
            let found = Self.stream(values, ranks: ranks, pilot: 5_000, block: 1)
            #expect(found == ranks.map { sorted[$0] }, "\(arrangement)")
        }
    }

    @Test func tiedValuesOverflowingABracketAreKept() {
        // Five distinct values: each bracket holds about a fifth of the stream, ten times its
        // expected share, so its storage must grow rather than drop values.
        let values = SelectionTests.data("fewDistinct", count: 60_000, seed: 4)
        let sorted = values.sorted()
        let ranks = Self.siiRanks(60_000)
        #expect(Self.stream(values, ranks: ranks, pilot: 8_192, block: 2_048) == ranks.map { sorted[$0] })
    }

    @Test func noRanksGiveNothing() {
        #expect(Self.stream([3, 1, 2], ranks: [], pilot: 2, block: 1) == [])
    }
}

import Testing

@testable import NumericCore

@Suite struct SelectionTests {
    /// Data of `count` values in a given arrangement, from a seeded stream.
    static func data(_ arrangement: String, count: Int, seed: UInt64) -> [Double] {
        var rng = Xoshiro256StarStar(seed: seed)
        switch arrangement {
        case "normal":
            return (0..<count).map { _ in ZigguratNormal.shared.next(using: &rng) }
        case "sorted":
            return (0..<count).map(Double.init)
        case "reversed":
            return (0..<count).reversed().map(Double.init)
        case "fewDistinct":
            return (0..<count).map { _ in Double(rng.next() % 5) }
        case "constant":
            return Array(repeating: 2.5, count: count)
        case "strideAligned":
            // Every element the fixed-stride sample reads is 0, the rest are large: the
            // brackets miss and the exact fallback must answer.
            let sampleSize = min(count, max(1024, Int(4 * Double(count).squareRoot())))
            let stride = max(1, count / sampleSize)
            return (0..<count).map { (i: Int) -> Double in
                i % stride == stride / 2 ? 0.0 : Double(count - i)
            }
        default:
            return (0..<count).map { _ in rng.nextUniform() }
        }
    }

    @Test(
        arguments: ["normal", "sorted", "reversed", "fewDistinct", "constant", "strideAligned", "uniform"],
        [1, 17, 1000, 4096, 4097, 100_000])
    func orderStatisticsEqualSorting(arrangement: String, count: Int) {
        let values = Self.data(arrangement, count: count, seed: UInt64(count))
        let sorted = values.sorted()
        let ranks = Set([0, count / 40, count / 200, count - 1 - count / 40, count / 2, count - 1, count - 1 - count / 200])
            .sorted()
        var work = values
        let found = Selection.orderStatistics(of: &work, ranks: ranks)
        #expect(found == ranks.map { sorted[$0] }, "\(arrangement), n = \(count)")
        #expect(work.sorted() == sorted, "the buffer keeps its elements")
    }

    @Test func ranksComeBackInTheOrderAskedWithRepeats() {
        var values = Self.data("normal", count: 10_000, seed: 3)
        let sorted = values.sorted()
        let found = Selection.orderStatistics(of: &values, ranks: [9_750, 249, 249, 0])
        #expect(found == [sorted[9_750], sorted[249], sorted[249], sorted[0]])
    }

    @Test(arguments: [0, 1, 500, 998, 999])
    func singleSelectPartitions(rank: Int) {
        var values = Self.data("uniform", count: 1000, seed: 9)
        let sorted = values.sorted()
        let x = values.withUnsafeMutableBufferPointer { Selection.select($0, rank: rank) }
        #expect(x == sorted[rank])
        #expect(values[rank] == x)
        #expect(values[..<rank].allSatisfy { $0 <= x })
        #expect(values[(rank + 1)...].allSatisfy { $0 >= x })
    }

    @Test func emptyRankListGivesNothing() {
        var values = [1.0, 2.0]
        #expect(Selection.orderStatistics(of: &values, ranks: []).isEmpty)
    }
}

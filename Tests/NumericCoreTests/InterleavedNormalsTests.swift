import Testing

@testable import NumericCore

@Suite struct InterleavedNormalsTests {
    /// `count` variates filled in blocks of `block`.
    static func draws(seed: UInt64, count: Int, block: Int) -> (values: [Double], lanes: InterleavedNormals) {
        var lanes = InterleavedNormals(Xoshiro256StarStar(seed: seed))
        var values = [Double](repeating: .nan, count: count)
        values.withUnsafeMutableBufferPointer { all in
            var done = 0
            while done < count {
                let n = min(block, count - done)
                lanes.fill(UnsafeMutableBufferPointer(rebasing: all[done..<(done + n)]))
                done += n
            }
        }
        return (values, lanes)
    }

    @Test func lanesAreTheStreamAndOneLongJumpOn() {
        let stream = Xoshiro256StarStar(seed: 11)
        let lanes = InterleavedNormals(stream)
        var jumped = stream
        jumped.longJump()
        #expect(lanes.primary == stream)
        #expect(lanes.lane1 == jumped)
    }

    @Test func momentsAndTailsMatchTheNormal() {
        let n = 400_000
        // An odd block size exercises the single-lane remainder of each block.
        let draws = Self.draws(seed: 2024, count: n, block: 1_023).values
        #expect(draws.allSatisfy { $0.isFinite })
        let mean = draws.reduce(0, +) / Double(n)
        let variance = draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        // sd of the mean 0.0016, of the variance about 0.0022: allow 5 sd.
        #expect(abs(mean) < 0.008)
        #expect(abs(variance - 1) < 0.012)
        for (cut, sd) in [(1.959963984540054, 0.00034), (3.090232306167813, 0.00007), (3.6541528853610088, 0.00003)] {
            let expected = 2 * NormalDistribution.survival(cut)
            let observed = Double(draws.filter { abs($0) > cut }.count) / Double(n)
            #expect(abs(observed - expected) < 5 * sd, "tail beyond \(cut): \(observed) vs \(expected)")
        }
        // Kolmogorov–Smirnov on each lane's variates apart (even and odd positions of a block
        // of even length), so a lane that went wrong cannot hide behind the other.
        let evenBlocks = Self.draws(seed: 77, count: 100_000, block: 2_048).values
        for lane in 0..<2 {
            let sample = stride(from: lane, to: evenBlocks.count, by: 2).map { evenBlocks[$0] }.sorted()
            var d = 0.0
            for (i, x) in sample.enumerated() {
                let f = NormalDistribution.cdf(x)
                d = max(d, abs(f - Double(i) / Double(sample.count)), abs(f - Double(i + 1) / Double(sample.count)))
            }
            #expect(d < 1.63 / Double(sample.count).squareRoot(), "lane \(lane): KS distance \(d)")
        }
    }

    @Test func theLanesAreNotCorrelated() {
        let draws = Self.draws(seed: 5, count: 200_000, block: 2_048).values
        // Correlation of lane 0's and lane 1's variates made side by side: sd 1/√100,000.
        var sum = 0.0
        for m in 0..<100_000 { sum += draws[2 * m] * draws[2 * m + 1] }
        #expect(abs(sum / 100_000) < 5 / Double(100_000).squareRoot())
    }

    @Test func sameLanesAndBlocksGiveTheSameVariates() {
        let a = Self.draws(seed: 3, count: 10_000, block: 1_000)
        let b = Self.draws(seed: 3, count: 10_000, block: 1_000)
        #expect(a.values == b.values)
        #expect(a.lanes.primary == b.lanes.primary)
        #expect(a.lanes.lane1 == b.lanes.lane1)
        let other = Self.draws(seed: 4, count: 10_000, block: 1_000)
        #expect(other.values != a.values)
    }

    @Test func emptyBufferDrawsNothing() {
        var lanes = InterleavedNormals(Xoshiro256StarStar(seed: 8))
        let before = lanes.primary
        lanes.fill(UnsafeMutableBufferPointer(start: nil, count: 0))
        #expect(lanes.primary == before)
    }
}

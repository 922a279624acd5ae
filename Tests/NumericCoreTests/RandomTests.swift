import Foundation
import Testing
import _TestSupport

@testable import NumericCore

@Suite struct Xoshiro256StarStarTests {
    // Reference outputs from the authors' C code (compiled here) for the state (1, 2, 3, 4).
    @Test func matchesReferenceSequenceAndJump() {
        var g = Xoshiro256StarStar(state: (1, 2, 3, 4))
        #expect(g.next() == 0x0000_0000_0000_2d00)
        #expect(g.next() == 0x0000_0000_0000_0000)
        #expect(g.next() == 0x0000_0000_5a00_7080)
        g.jump()
        #expect(g.next() == 0xa042_5028_ca8b_66a0)
        #expect(g.next() == 0x986a_928c_99a1_0251)
        #expect(g.next() == 0x02a7_9ef4_cc0c_7a67)
    }

    @Test func splitMixMatchesReference() {
        var s = SplitMix64(state: 0)
        #expect(s.next() == 0xe220_a839_7b1d_cdaf)
        #expect(s.next() == 0x6e78_9e6a_a1b9_65f4)
    }

    @Test func streamsAreSuccessiveJumps() {
        let streams = Xoshiro256StarStar.streams(seed: 42, count: 3)
        var g = Xoshiro256StarStar(seed: 42)
        #expect(streams[0] == g)
        g.jump()
        #expect(streams[1] == g)
        g.jump()
        #expect(streams[2] == g)
        #expect(streams[0] != streams[1])
    }

    @Test func uniformIsInUnitInterval() {
        var g = Xoshiro256StarStar(seed: 7)
        var sum = 0.0
        for _ in 0..<100_000 {
            let u = g.nextUniform()
            #expect(u >= 0 && u < 1)
            sum += u
        }
        // Mean of 1e5 uniforms: sd 0.0009; allow 5 sd.
        #expect(abs(sum / 100_000 - 0.5) < 0.0046)
    }
}

@Suite struct ZigguratNormalTests {
    @Test func tablesCloseAtZero() {
        let z = ZigguratNormal.shared
        #expect(z.x[1] == ZigguratNormal.r)
        // The recursion lands near zero at the top layer; the last computed width is small.
        #expect(z.x[255] < 0.3)
        #expect(z.x[256] == 0)
    }

    @Test func momentsAndTailsMatchTheNormal() {
        var g = Xoshiro256StarStar(seed: 2024)
        let n = 400_000
        var draws = [Double](repeating: 0, count: n)
        draws.withUnsafeMutableBufferPointer { ZigguratNormal.shared.fill($0, using: &g) }
        let mean = draws.reduce(0, +) / Double(n)
        let variance = draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        // sd of the mean 0.0016, of the variance about 0.0022: allow 5 sd.
        #expect(abs(mean) < 0.008)
        #expect(abs(variance - 1) < 0.012)
        // Tail frequencies beyond 1.96 and 3.09 (two-sided), and beyond r (the ziggurat's own tail).
        for (cut, sd) in [(1.959963984540054, 0.00034), (3.090232306167813, 0.00007), (3.6541528853610088, 0.00003)] {
            let expected = 2 * NormalDistribution.survival(cut)
            let observed = Double(draws.filter { abs($0) > cut }.count) / Double(n)
            #expect(abs(observed - expected) < 5 * sd, "tail beyond \(cut): \(observed) vs \(expected)")
        }
        // Kolmogorov–Smirnov distance on a sorted subsample; 1.63/√n is the 1% critical value.
        let sample = draws.prefix(50_000).sorted()
        var d = 0.0
        for (i, x) in sample.enumerated() {
            let f = NormalDistribution.cdf(x)
            d = max(d, abs(f - Double(i) / Double(sample.count)), abs(f - Double(i + 1) / Double(sample.count)))
        }
        #expect(d < 1.63 / Double(sample.count).squareRoot(), "KS distance \(d)")
    }
}

@Suite struct LinearAlgebraTests {
    @Test func multiplyMatchesHandComputation() {
        // [1 2 3; 4 5 6] × [7 8; 9 10; 11 12] = [58 64; 139 154]
        let c = LinearAlgebra.multiply([1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12], m: 2, k: 3, n: 2)
        #expect(c == [58, 64, 139, 154])
    }

    @Test func solvesSymmetricSystem() throws {
        // [4 2; 2 3] x = [2; 1] has x = [0.5, 0].
        let x = try LinearAlgebra.solveSymmetricPositiveDefinite([4, 2, 2, 3], [2, 1], n: 2)
        expectClose(x[0], 0.5, relative: 1e-15)
        expectClose(x[1], 0, absolute: 1e-15)
    }

    @Test func singularSystemIsATypedError() {
        #expect(throws: LAPACKError(routine: "dposv", info: 2)) {
            try LinearAlgebra.solveSymmetricPositiveDefinite([1, 1, 1, 1], [1, 1], n: 2)
        }
    }
}

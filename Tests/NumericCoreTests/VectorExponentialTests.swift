import Foundation
import Testing

@testable import NumericCore

@Suite struct VectorExponentialTests {
    /// Error in ulps of `reference`.
    static func ulps(_ value: Double, _ reference: Double) -> Double {
        if value == reference { return 0 }
        return abs(value - reference) / reference.ulp
    }

    @Test func expIsWithinTwoUlpsOverTheWholeRange() {
        var rng = Xoshiro256StarStar(seed: 11)
        var worst = 0.0
        var worstAt = 0.0
        for i in 0..<200_000 {
            // Half the points on the whole range, half where simulated rates live.
            let x = i % 2 == 0 ? -745 + 1454.78 * rng.nextUniform() : -10 + 20 * rng.nextUniform()
            let e = Self.ulps(VectorExponential.exp(x), Foundation.exp(x))
            if e > worst { (worst, worstAt) = (e, x) }
        }
        #expect(worst <= 2, "worst \(worst) ulps at x = \(worstAt)")
    }

    @Test(arguments: [0.0, -0.0, 1, -1, 0.5 * log(2.0), -0.5 * log(2.0), 1e-300, 700, -700, 709.78, -708.4, -740])
    func expAtChosenPoints(x: Double) {
        #expect(Self.ulps(VectorExponential.exp(x), Foundation.exp(x)) <= 2, "x = \(x)")
    }

    @Test func expOverflowUnderflowAndNaN() {
        #expect(VectorExponential.exp(710) == .infinity)
        #expect(VectorExponential.exp(1e308) == .infinity)
        #expect(VectorExponential.exp(.infinity) == .infinity)
        #expect(VectorExponential.exp(-746) == 0)
        #expect(VectorExponential.exp(-.infinity) == 0)
        #expect(VectorExponential.exp(.nan).isNaN)
        #expect(VectorExponential.exp(0) == 1)
    }

    @Test func logisticMatchesItsDefinition() {
        var rng = Xoshiro256StarStar(seed: 12)
        var worst = 0.0
        var worstAt = 0.0
        for _ in 0..<200_000 {
            let x = -40 + 80 * rng.nextUniform()
            let reference = x <= 0 ? Foundation.exp(x) / (1 + Foundation.exp(x)) : 1 / (1 + Foundation.exp(-x))
            let e = Self.ulps(VectorExponential.logistic(x), reference)
            if e > worst { (worst, worstAt) = (e, x) }
        }
        #expect(worst <= 4, "worst \(worst) ulps at x = \(worstAt)")
        #expect(VectorExponential.logistic(0) == 0.5)
        #expect(VectorExponential.logistic(800) == 1)
        #expect(VectorExponential.logistic(-800) == 0)
        #expect(VectorExponential.logistic(.infinity) == 1)
        #expect(VectorExponential.logistic(-.infinity) == 0)
    }

    @Test func bufferFormsMatchScalarForms() {
        var values: [Double] = (0..<1000).map { Double($0) / 50 - 10 }
        var logistic = values
        let expected = values.map(VectorExponential.exp)
        let expectedLogistic = values.map(VectorExponential.logistic)
        values.withUnsafeMutableBufferPointer { VectorExponential.exp($0) }
        logistic.withUnsafeMutableBufferPointer { VectorExponential.logistic($0) }
        #expect(values == expected)
        #expect(logistic == expectedLogistic)
    }
}

@Suite struct VectorExponentialInRangeTests {
    /// Arguments across ±708: a fine grid near 0 (where the SII's draws lie), a coarse one
    /// across the range, and the ends.
    static let arguments: [Double] = {
        var xs: [Double] = [0, -0.0, 708, -708, 707.999, -707.999, 1e-300, -1e-300]
        var rng = Xoshiro256StarStar(seed: 19)
        for _ in 0..<20_000 { xs.append((rng.nextUniform() - 0.5) * 20) }
        for _ in 0..<20_000 { xs.append((rng.nextUniform() - 0.5) * 2 * VectorExponential.inRangeLimit) }
        return xs
    }()

    @Test func inRangeExpEqualsTheGeneralOneBitForBit() {
        for x in Self.arguments {
            #expect(VectorExponential.expInRange(x).bitPattern == VectorExponential.exp(x).bitPattern, "x = \(x)")
        }
    }

    @Test func inRangeLogisticEqualsTheGeneralOneBitForBit() {
        for x in Self.arguments {
            #expect(VectorExponential.logisticInRange(x).bitPattern == VectorExponential.logistic(x).bitPattern, "x = \(x)")
        }
    }

    @Test func theZigguratBoundHolds() {
        // r + 53·ln 2/r, the largest tail variate from a 53-bit uniform.
        let r = ZigguratNormal.r
        #expect(r + 53 * log(2.0) / r < InterleavedNormals.largestVariate)
    }
}

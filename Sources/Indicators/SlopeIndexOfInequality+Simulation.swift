import Foundation
import NumericCore

// The simulation behind the SII's confidence limits (METHODS.md §6), in two methods that give
// the same distribution of simulated coefficients.
//
// Literal: the reference procedure. Per block of 4,096 repetitions, a k × block matrix Y of
// draws Yⱼᵣ ~ Normal(f(vⱼ), seⱼ), back-transformed with f⁻¹ when `transform = false`, then
// B = H·Y by BLAS `dgemm` (H = (XᵀX)⁻¹Xᵀdiag(√a), 2 × k), slopes Bᵣ₁ and ratios
// (Bᵣ₀ + Bᵣ₁)/Bᵣ₀. Blocks keep Y in cache (k × 4,096 doubles = 320 KB for deciles) instead
// of one k × R matrix (8 MB at R = 100,000).
//
// Direct, linear case (value type 0, or any `transform = true`): y is drawn on the scale it is
// fitted on, so β = H·y is an affine map of independent normals and is exactly bivariate
// normal with mean H·f(v) and covariance C = H·diag(se²)·Hᵀ. Drawing β from its Cholesky
// factor, β₁ = m₁ + √C₁₁·z₁ and β₀ = m₀ + (C₀₁/√C₁₁)·z₁ + √(C₀₀ − C₀₁²/C₁₁)·z₂, takes two
// normals per repetition instead of k (one when only slopes are needed: the RII is wanted
// only without transform, and with transform its limits come from the slopes).
//
// Direct, non-linear case (value types 1 and 2 without transform): β = H·f⁻¹(Y) is not
// normal, so it draws the k normals per repetition as the literal method does, but fuses the
// back-transform and the 2 × k product into one loop per quantile over a block of 1,024
// repetitions, accumulating into the output arrays with the vectorisable `VectorExponential`
// (about half the time of the C library's `exp` per element).
//
// Both methods then read the order statistics with one call of `Selection.orderStatistics`
// per array, an exact selection of all the levels' ranks at once without a sort.

extension SlopeIndexOfInequality {
    /// The fixed part of the fit: β = H·y with H = (XᵀX)⁻¹Xᵀdiag(√a), stored by rows.
    struct Design {
        /// Number of quantiles k.
        let k: Int
        /// Row 0 of H: β₀ = Σ h0ⱼ·yⱼ.
        let h0: [Double]
        /// Row 1 of H: β₁ = Σ h1ⱼ·yⱼ.
        let h1: [Double]

        /// H from the populations: weights aⱼ = popⱼ/Σpop and ridits bⱼ = Σ_{i<j} aᵢ + aⱼ/2.
        ///
        /// Written in the centred form of the same solution, which avoids the cancellation in
        /// det(XᵀX) = Σa·Σab² − (Σab)²: with b̄ = Σab/Σa and Sbb = Σa(b − b̄)²,
        /// h1ⱼ = aⱼ(bⱼ − b̄)/Sbb and h0ⱼ = aⱼ/Σa − b̄·h1ⱼ.
        init(populations: [Double]) {
            let total = populations.reduce(0, +)
            var a: [Double] = []
            var b: [Double] = []
            var cumulative = 0.0
            for p in populations {
                let w = p / total
                a.append(w)
                b.append(cumulative + w / 2)
                cumulative += w
            }
            let sumA = a.reduce(0, +)
            let meanB = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } / sumA
            let sbb = zip(a, b).reduce(0) { $0 + $1.0 * ($1.1 - meanB) * ($1.1 - meanB) }
            let h1 = zip(a, b).map { $0 * ($1 - meanB) / sbb }
            self.k = populations.count
            self.h1 = h1
            self.h0 = zip(a, h1).map { $0 / sumA - meanB * $1 }
        }

        /// (β₀, β₁) = H·y.
        func coefficients(_ y: [Double]) -> (Double, Double) {
            var beta0 = 0.0
            var beta1 = 0.0
            for j in 0..<k {
                beta0 += h0[j] * y[j]
                beta1 += h1[j] * y[j]
            }
            return (beta0, beta1)
        }
    }

    /// What one simulation set draws.
    struct SimulationPlan {
        let design: Design
        /// f(vⱼ): the means of the draws, on the transformed scale.
        let means: [Double]
        /// seⱼ on the transformed scale.
        let standardErrors: [Double]
        let valueType: SIIValueType
        /// Draws are back-transformed with f⁻¹ before the fit (types 1 and 2 without transform).
        let backTransform: Bool
        /// Simulated ratios (β₀ + β₁)/β₀ are needed (RII without transform).
        let needRatios: Bool
        let repetitions: Int
        let method: SIISimulation

        init(
            design: Design, means: [Double], standardErrors: [Double], valueType: SIIValueType, transform: Bool,
            needRatios: Bool, repetitions: Int, method: SIISimulation
        ) {
            self.design = design
            self.means = means
            self.standardErrors = standardErrors
            self.valueType = valueType
            self.backTransform = !transform && valueType != .untransformed
            self.needRatios = needRatios
            self.repetitions = repetitions
            self.method = method
        }
    }

    /// Buffers reused across the simulation sets of one call (no allocation per block).
    struct SimulationWorkspace {
        static let literalBlock = 4096
        static let directBlock = 1024

        var slopes: [Double]
        var ratios: [Double]
        /// Literal: Y (k × block) then the product (2 × block); direct non-linear: z (block).
        var scratch: [Double]
        /// Literal: H by rows (2 × k).
        var hMatrix: [Double]

        init(plan: SimulationPlan) {
            // Every element is written by the simulation before it is read, so the buffers
            // start uninitialised (zero-filling 800 KB per call showed up in profiles).
            let r = plan.repetitions
            slopes = Self.uninitialised(r)
            ratios = plan.needRatios ? Self.uninitialised(r) : []
            switch plan.method {
            case .literal:
                let block = min(Self.literalBlock, r)
                scratch = Self.uninitialised((plan.design.k + 2) * block)
                hMatrix = plan.design.h0 + plan.design.h1
            case .direct:
                scratch = plan.backTransform ? Self.uninitialised(min(Self.directBlock, r)) : []
                hMatrix = []
            }
        }

        static func uninitialised(_ count: Int) -> [Double] {
            [Double](unsafeUninitializedCapacity: count) { _, initialised in initialised = count }
        }

        /// Simulates one set of R repetitions and returns the slopes' (and ratios') values at
        /// the given 0-based ranks.
        mutating func run(_ plan: SimulationPlan, ranks: [Int], using rng: inout Xoshiro256StarStar) -> ([Double], [Double]?) {
            switch plan.method {
            case .literal: simulateLiteral(plan, using: &rng)
            case .direct where plan.backTransform: simulateDirectNonLinear(plan, using: &rng)
            case .direct: simulateDirectLinear(plan, using: &rng)
            }
            let slopeStatistics = Selection.orderStatistics(of: &slopes, ranks: ranks)
            let ratioStatistics = plan.needRatios ? Selection.orderStatistics(of: &ratios, ranks: ranks) : nil
            return (slopeStatistics, ratioStatistics)
        }

        // MARK: Literal

        mutating func simulateLiteral(_ plan: SimulationPlan, using rng: inout Xoshiro256StarStar) {
            let k = plan.design.k
            let r = plan.repetitions
            let block = min(Self.literalBlock, r)
            let normal = ZigguratNormal.shared
            let needRatios = plan.needRatios
            let rate = plan.valueType == .rate
            let backTransform = plan.backTransform
            hMatrix.withUnsafeBufferPointer { h in
                scratch.withUnsafeMutableBufferPointer { work in
                    slopes.withUnsafeMutableBufferPointer { slopes in
                        ratios.withUnsafeMutableBufferPointer { ratios in
                            let y = work.baseAddress!
                            let product = y + k * block
                            var done = 0
                            while done < r {
                                let count = min(block, r - done)
                                // Y: row j holds this block's draws for quantile j.
                                for j in 0..<k {
                                    let row = UnsafeMutableBufferPointer(start: y + j * block, count: count)
                                    normal.fill(row, using: &rng)
                                    let mean = plan.means[j]
                                    let se = plan.standardErrors[j]
                                    for i in 0..<count {
                                        let draw = mean + se * row[i]
                                        if backTransform {
                                            row[i] = rate ? Foundation.exp(draw) : 1 / (1 + Foundation.exp(-draw))
                                        } else {
                                            row[i] = draw
                                        }
                                    }
                                }
                                // B = H·Y (2 × k times k × count).
                                LinearAlgebra.multiply(
                                    h.baseAddress!, UnsafePointer(y), into: product, m: 2, k: k, n: count,
                                    ldb: block, ldc: block)
                                for i in 0..<count {
                                    let beta0 = product[i]
                                    let beta1 = product[block + i]
                                    slopes[done + i] = beta1
                                    if needRatios { ratios[done + i] = (beta0 + beta1) / beta0 }
                                }
                                done += count
                            }
                        }
                    }
                }
            }
        }

        // MARK: Direct, linear

        mutating func simulateDirectLinear(_ plan: SimulationPlan, using rng: inout Xoshiro256StarStar) {
            let design = plan.design
            let (mean0, mean1) = design.coefficients(plan.means)
            var c00 = 0.0
            var c01 = 0.0
            var c11 = 0.0
            for j in 0..<design.k {
                let variance = plan.standardErrors[j] * plan.standardErrors[j]
                c00 += design.h0[j] * design.h0[j] * variance
                c01 += design.h0[j] * design.h1[j] * variance
                c11 += design.h1[j] * design.h1[j] * variance
            }
            let sd1 = c11.squareRoot()
            let cross = sd1 > 0 ? c01 / sd1 : 0
            let rest = max(0, c00 - cross * cross).squareRoot()
            let r = plan.repetitions
            let block = Self.literalBlock
            let normal = ZigguratNormal.shared
            let needRatios = plan.needRatios
            slopes.withUnsafeMutableBufferPointer { slopes in
                ratios.withUnsafeMutableBufferPointer { ratios in
                    var done = 0
                    while done < r {
                        let count = min(block, r - done)
                        let s = slopes.baseAddress! + done
                        normal.fillBlock(UnsafeMutableBufferPointer(start: s, count: count), using: &rng)
                        if needRatios {
                            let q = ratios.baseAddress! + done
                            normal.fillBlock(UnsafeMutableBufferPointer(start: q, count: count), using: &rng)
                            for i in 0..<count {
                                let z1 = s[i]
                                let z2 = q[i]
                                let beta1 = mean1 + sd1 * z1
                                let beta0 = mean0 + cross * z1 + rest * z2
                                s[i] = beta1
                                q[i] = (beta0 + beta1) / beta0
                            }
                        } else {
                            for i in 0..<count { s[i] = mean1 + sd1 * s[i] }
                        }
                        done += count
                    }
                }
            }
        }

        // MARK: Direct, non-linear

        mutating func simulateDirectNonLinear(_ plan: SimulationPlan, using rng: inout Xoshiro256StarStar) {
            let design = plan.design
            let r = plan.repetitions
            let block = min(Self.directBlock, r)
            let normal = ZigguratNormal.shared
            let needRatios = plan.needRatios
            let rate = plan.valueType == .rate
            scratch.withUnsafeMutableBufferPointer { work in
                slopes.withUnsafeMutableBufferPointer { slopes in
                    ratios.withUnsafeMutableBufferPointer { ratios in
                        let z = work.baseAddress!
                        var done = 0
                        while done < r {
                            let count = min(block, r - done)
                            // The output arrays are the accumulators: β₁ into slopes, β₀ into ratios.
                            let acc1 = slopes.baseAddress! + done
                            let acc0 = needRatios ? ratios.baseAddress! + done : z
                            acc1.update(repeating: 0, count: count)
                            if needRatios { acc0.update(repeating: 0, count: count) }
                            for j in 0..<design.k {
                                normal.fillBlock(UnsafeMutableBufferPointer(start: z, count: count), using: &rng)
                                let mean = plan.means[j]
                                let se = plan.standardErrors[j]
                                let w0 = design.h0[j]
                                let w1 = design.h1[j]
                                switch (rate, needRatios) {
                                case (true, true):
                                    for i in 0..<count {
                                        let y = VectorExponential.exp(mean + se * z[i])
                                        acc0[i] += w0 * y
                                        acc1[i] += w1 * y
                                    }
                                case (true, false):
                                    for i in 0..<count { acc1[i] += w1 * VectorExponential.exp(mean + se * z[i]) }
                                case (false, true):
                                    for i in 0..<count {
                                        let y = VectorExponential.logistic(mean + se * z[i])
                                        acc0[i] += w0 * y
                                        acc1[i] += w1 * y
                                    }
                                case (false, false):
                                    for i in 0..<count { acc1[i] += w1 * VectorExponential.logistic(mean + se * z[i]) }
                                }
                            }
                            if needRatios {
                                for i in 0..<count { acc0[i] = (acc0[i] + acc1[i]) / acc0[i] }
                            }
                            done += count
                        }
                    }
                }
            }
        }
    }
}

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
// back-transform and the 2 × k product into one loop per quantile over a chunk of 1,024
// repetitions, accumulating into the output block with the vectorisable `VectorExponential`
// (about half the time of the C library's `exp` per element).
//
// The literal method reads the order statistics from its R-long arrays with one call of
// `Selection.orderStatistics` per array. The direct method never makes R-long arrays: its
// normals come from two interleaved generator lanes (`InterleavedNormals`), its slopes and
// ratios are made in blocks (a pilot of 8,192 repetitions, then 2,048 at a time), and each
// block is counted into a `StreamingOrderStatistics` whose brackets come from the pilot. The
// limits are exactly the order statistics of all R values; in the rare set where a bracket
// misses, the same draws are made again from the saved lanes into arrays and selected there.

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
        /// The bivariate normal of (β₀, β₁) in the linear case, by its Cholesky factor.
        let coefficientMoments: CoefficientMoments
        /// Every draw meanⱼ + seⱼ·z of the direct method is within `VectorExponential.inRangeLimit`
        /// (|z| < `InterleavedNormals.largestVariate`), so the back-transform can use the
        /// in-range exp/logistic, equal bit for bit and cheaper.
        let drawsInRange: Bool

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
            self.coefficientMoments = CoefficientMoments(design: design, means: means, standardErrors: standardErrors)
            self.drawsInRange = zip(means, standardErrors).allSatisfy { mean, se in
                mean.magnitude + se * InterleavedNormals.largestVariate <= VectorExponential.inRangeLimit
            }
        }
    }

    /// (β₀, β₁) = H·y with independent yⱼ ~ Normal(meanⱼ, seⱼ): mean H·mean, covariance
    /// C = H·diag(se²)·Hᵀ, drawn as β₁ = mean1 + sd1·z₁, β₀ = mean0 + cross·z₁ + rest·z₂.
    struct CoefficientMoments {
        let mean0: Double
        let mean1: Double
        /// √C₁₁.
        let sd1: Double
        /// C₀₁/√C₁₁ (0 when C₁₁ = 0).
        let cross: Double
        /// √(C₀₀ − C₀₁²/C₁₁).
        let rest: Double

        init(design: Design, means: [Double], standardErrors: [Double]) {
            (mean0, mean1) = design.coefficients(means)
            var c00 = 0.0
            var c01 = 0.0
            var c11 = 0.0
            for j in 0..<design.k {
                let variance = standardErrors[j] * standardErrors[j]
                c00 += design.h0[j] * design.h0[j] * variance
                c01 += design.h0[j] * design.h1[j] * variance
                c11 += design.h1[j] * design.h1[j] * variance
            }
            sd1 = c11.squareRoot()
            cross = sd1 > 0 ? c01 / sd1 : 0
            rest = max(0, c00 - cross * cross).squareRoot()
        }
    }

    /// Buffers reused across the simulation sets of one call (no allocation per block).
    struct SimulationWorkspace {
        static let literalBlock = 4096
        /// Direct: the first block of each set, whose values bracket the order statistics.
        static let pilotSize = 8192
        /// Direct: the blocks after the pilot.
        static let directBlock = 2048
        /// Direct, non-linear: repetitions per pass over the quantiles (z, and two
        /// accumulators of this length, stay in the first-level cache).
        static let chunk = 1024

        /// Literal: all R slopes; direct: one block of them.
        var slopes: [Double]
        /// Literal: all R ratios; direct: one block (also the β₀ accumulator when ratios are needed).
        var ratios: [Double]
        /// Literal: Y (k × block) then the product (2 × block); direct non-linear: z (chunk).
        var scratch: [Double]
        /// Literal: H by rows (2 × k).
        var hMatrix: [Double]
        /// Pilot size used by the direct method; tests lower it to reach the recompute path.
        var pilotSize: Int
        /// How many direct sets had to be recomputed into arrays because a bracket missed.
        private(set) var recomputedSets = 0
        /// Tests: treat every streaming result as a miss, to exercise the recompute path.
        var forceRecompute = false

        init(plan: SimulationPlan, pilotSize: Int = Self.pilotSize) {
            // Every element is written by the simulation before it is read, so the buffers
            // start uninitialised (zero-filling 800 KB per call showed up in profiles).
            let r = plan.repetitions
            self.pilotSize = pilotSize
            switch plan.method {
            case .literal:
                slopes = Self.uninitialised(r)
                ratios = plan.needRatios ? Self.uninitialised(r) : []
                let block = min(Self.literalBlock, r)
                scratch = Self.uninitialised((plan.design.k + 2) * block)
                hMatrix = plan.design.h0 + plan.design.h1
            case .direct:
                let block = min(max(pilotSize, Self.directBlock), r)
                slopes = Self.uninitialised(block)
                ratios = plan.needRatios ? Self.uninitialised(block) : []
                scratch = plan.backTransform ? Self.uninitialised(Self.chunk) : []
                hMatrix = []
            }
        }

        static func uninitialised(_ count: Int) -> [Double] {
            [Double](unsafeUninitializedCapacity: count) { _, initialised in initialised = count }
        }

        /// Simulates one set of R repetitions and returns the slopes' (and ratios') values at
        /// the given 0-based ranks; `rng` advances past the set's draws.
        mutating func run(_ plan: SimulationPlan, ranks: [Int], using rng: inout Xoshiro256StarStar) -> ([Double], [Double]?) {
            switch plan.method {
            case .literal:
                simulateLiteral(plan, using: &rng)
                let slopeStatistics = Selection.orderStatistics(of: &slopes, ranks: ranks)
                let ratioStatistics = plan.needRatios ? Selection.orderStatistics(of: &ratios, ranks: ranks) : nil
                return (slopeStatistics, ratioStatistics)
            case .direct:
                return runDirect(plan, ranks: ranks, using: &rng)
            }
        }

        // MARK: Direct: streaming order statistics

        /// The direct method's set: blocks of slopes (and ratios) from two interleaved lanes,
        /// counted into `StreamingOrderStatistics` as they are made; when a bracket misses,
        /// the same draws are made again from the saved lanes into arrays (exact either way).
        mutating func runDirect(
            _ plan: SimulationPlan, ranks: [Int], using rng: inout Xoshiro256StarStar
        ) -> ([Double], [Double]?) {
            let r = plan.repetitions
            let start = InterleavedNormals(rng)
            var lanes = start
            if r <= pilotSize {
                // The pilot is the whole set: select in (a copy of) it directly.
                let answer = simulateDirect(plan, lanes: &lanes, firstBlock: r) { slopes, ratios -> ([Double], [Double]?)? in
                    var s = Array(slopes)
                    var q = ratios.map { Array($0) }
                    let slopeStatistics = Selection.orderStatistics(of: &s, ranks: ranks)
                    let ratioStatistics = q == nil ? nil : Selection.orderStatistics(of: &q!, ranks: ranks)
                    return (slopeStatistics, ratioStatistics)
                }
                rng = lanes.primary
                return answer!
            }
            var slopeStatistics: StreamingOrderStatistics?
            var ratioStatistics: StreamingOrderStatistics?
            simulateDirect(plan, lanes: &lanes, firstBlock: pilotSize) { slopes, ratios -> ([Double], [Double]?)? in
                if slopeStatistics == nil {
                    slopeStatistics = StreamingOrderStatistics(ranks: ranks, count: r, pilot: slopes)
                    if let ratios { ratioStatistics = StreamingOrderStatistics(ranks: ranks, count: r, pilot: ratios) }
                }
                slopeStatistics!.absorb(slopes)
                if let ratios { ratioStatistics!.absorb(ratios) }
                return nil
            }
            if !forceRecompute, let s = slopeStatistics?.result() {
                let q = ratioStatistics.map { $0.result() }
                if q == nil || q! != nil {
                    rng = lanes.primary
                    return (s, q ?? nil)
                }
            }
            // A bracket missed: the same draws again, kept this time.
            recomputedSets += 1
            lanes = start
            var allSlopes = Self.uninitialised(r)
            var allRatios = plan.needRatios ? Self.uninitialised(r) : []
            var done = 0
            simulateDirect(plan, lanes: &lanes, firstBlock: pilotSize) { slopes, ratios -> ([Double], [Double]?)? in
                allSlopes.withUnsafeMutableBufferPointer { all in
                    _ = UnsafeMutableBufferPointer(rebasing: all[done..<(done + slopes.count)]).initialize(from: slopes)
                }
                if let ratios {
                    allRatios.withUnsafeMutableBufferPointer { all in
                        _ = UnsafeMutableBufferPointer(rebasing: all[done..<(done + ratios.count)]).initialize(from: ratios)
                    }
                }
                done += slopes.count
                return nil
            }
            rng = lanes.primary
            let s = Selection.orderStatistics(of: &allSlopes, ranks: ranks)
            let q = plan.needRatios ? Selection.orderStatistics(of: &allRatios, ranks: ranks) : nil
            return (s, q)
        }

        /// Makes the set's slopes (and ratios) block by block, the first block `firstBlock`
        /// long and the others `directBlock`, and hands each block to `consume`; stops early
        /// when `consume` returns a value, and returns it.
        @discardableResult
        mutating func simulateDirect<T>(
            _ plan: SimulationPlan, lanes: inout InterleavedNormals, firstBlock: Int,
            consume: (UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>?) -> T?
        ) -> T? {
            let r = plan.repetitions
            var done = 0
            while done < r {
                let count = min(done == 0 ? firstBlock : Self.directBlock, r - done)
                if plan.backTransform {
                    directNonLinearBlock(plan, count: count, lanes: &lanes)
                } else {
                    directLinearBlock(plan, count: count, lanes: &lanes)
                }
                let answer = slopes.withUnsafeBufferPointer { s in
                    ratios.withUnsafeBufferPointer { q in
                        consume(
                            UnsafeBufferPointer(rebasing: s[0..<count]),
                            plan.needRatios ? UnsafeBufferPointer(rebasing: q[0..<count]) : nil)
                    }
                }
                if let answer { return answer }
                done += count
            }
            return nil
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

        /// One block of the linear case: (β₀, β₁) drawn from their bivariate normal by its
        /// Cholesky factor, one normal per repetition for slopes only, two with ratios.
        mutating func directLinearBlock(_ plan: SimulationPlan, count: Int, lanes: inout InterleavedNormals) {
            let moments = plan.coefficientMoments
            let needRatios = plan.needRatios
            slopes.withUnsafeMutableBufferPointer { slopes in
                ratios.withUnsafeMutableBufferPointer { ratios in
                    let s = UnsafeMutableBufferPointer(rebasing: slopes[0..<count])
                    lanes.fill(s)
                    if needRatios {
                        let q = UnsafeMutableBufferPointer(rebasing: ratios[0..<count])
                        lanes.fill(q)
                        Self.linearSlopesAndRatios(s.baseAddress!, q.baseAddress!, count: count, moments)
                    } else {
                        let (mean1, sd1) = (moments.mean1, moments.sd1)
                        for i in 0..<count { s[i] = mean1 + sd1 * s[i] }
                    }
                }
            }
        }

        /// z₁ in `s` and z₂ in `q` become β₁ and (β₀ + β₁)/β₀ (a loop the optimiser vectorises).
        static func linearSlopesAndRatios(
            _ s: UnsafeMutablePointer<Double>, _ q: UnsafeMutablePointer<Double>, count: Int, _ m: CoefficientMoments
        ) {
            for i in 0..<count {
                let z1 = s[i]
                let z2 = q[i]
                let beta1 = m.mean1 + m.sd1 * z1
                let beta0 = m.mean0 + m.cross * z1 + m.rest * z2
                s[i] = beta1
                q[i] = (beta0 + beta1) / beta0
            }
        }

        // MARK: Direct, non-linear

        /// One block of the non-linear case: per chunk of repetitions, k passes that each draw
        /// one quantile's normals and add its back-transformed values, times H's columns, to
        /// the β₁ (and β₀) accumulators, which are the output blocks themselves (the first
        /// pass stores instead of adding).
        mutating func directNonLinearBlock(_ plan: SimulationPlan, count: Int, lanes: inout InterleavedNormals) {
            let design = plan.design
            let needRatios = plan.needRatios
            let rate = plan.valueType == .rate
            let inRange = plan.drawsInRange
            scratch.withUnsafeMutableBufferPointer { work in
                slopes.withUnsafeMutableBufferPointer { slopes in
                    ratios.withUnsafeMutableBufferPointer { ratios in
                        let z = work.baseAddress!
                        var done = 0
                        while done < count {
                            let n = min(Self.chunk, count - done)
                            let acc1 = slopes.baseAddress! + done
                            let acc0 = needRatios ? ratios.baseAddress! + done : nil
                            for j in 0..<design.k {
                                lanes.fill(UnsafeMutableBufferPointer(start: z, count: n))
                                let pass = QuantilePass(
                                    mean: plan.means[j], se: plan.standardErrors[j], w0: design.h0[j], w1: design.h1[j],
                                    first: j == 0)
                                switch (rate, inRange) {
                                case (true, true): pass.accumulate(z, n, acc0, acc1, VectorExponential.expInRange)
                                case (true, false): pass.accumulate(z, n, acc0, acc1, VectorExponential.exp)
                                case (false, true): pass.accumulate(z, n, acc0, acc1, VectorExponential.logisticInRange)
                                case (false, false): pass.accumulate(z, n, acc0, acc1, VectorExponential.logistic)
                                }
                            }
                            if let acc0 {
                                for i in 0..<n { acc0[i] = (acc0[i] + acc1[i]) / acc0[i] }
                            }
                            done += n
                        }
                    }
                }
            }
        }
    }

    /// One quantile's contribution to a chunk of the non-linear case: y = f⁻¹(mean + se·z),
    /// β₀ += w0·y and β₁ += w1·y (stored, not added, for the first quantile).
    struct QuantilePass {
        let mean: Double
        let se: Double
        let w0: Double
        let w1: Double
        let first: Bool

        /// The loops the optimiser vectorises, one per case so that each has no branch inside.
        @inline(__always)
        func accumulate(
            _ z: UnsafeMutablePointer<Double>, _ n: Int, _ acc0: UnsafeMutablePointer<Double>?,
            _ acc1: UnsafeMutablePointer<Double>, _ inverse: (Double) -> Double
        ) {
            switch (acc0, first) {
            case (let acc0?, true):
                for i in 0..<n {
                    let y = inverse(mean + se * z[i])
                    acc0[i] = w0 * y
                    acc1[i] = w1 * y
                }
            case (let acc0?, false):
                for i in 0..<n {
                    let y = inverse(mean + se * z[i])
                    acc0[i] += w0 * y
                    acc1[i] += w1 * y
                }
            case (nil, true):
                for i in 0..<n { acc1[i] = w1 * inverse(mean + se * z[i]) }
            case (nil, false):
                for i in 0..<n { acc1[i] += w1 * inverse(mean + se * z[i]) }
            }
        }
    }
}

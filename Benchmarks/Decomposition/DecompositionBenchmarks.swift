// Arriaga decomposition benchmarks (METHODS.md §10): the batched kernel over 10,000 pairs of
// 20-band groups with deaths by 8 causes (and a residual). Pairs/s = 10,000 × throughput.
// Run from Benchmarks/: `swift package benchmark --target Decomposition`.
import Benchmark
import BenchmarkSupport
import Foundation
import Indicators
import LifeTableInputs
import NumericCore

private let causeCount = 8

/// One side of `pairs` pairs: synthetic groups with each band's deaths shared among 8 causes
/// at random, leaving about 5% to the residual.
private func syntheticSide(pairs: Int, seed: UInt64) -> LifeExpectancyDecomposition.Groups {
    let groups = LifeTableInputs.syntheticGroups(count: pairs, seed: seed)
    var rng = SplitMix64(state: seed ^ 0xca05e)
    var causes: [Double] = []
    causes.reserveCapacity(groups.deaths.count * causeCount)
    for d in groups.deaths {
        var left = (d * 0.95).rounded(.down)
        for c in 0..<causeCount {
            let x = c == causeCount - 1 ? left : (left * Double.random(in: 0...0.4, using: &rng)).rounded(.down)
            causes.append(x)
            left -= x
        }
    }
    return .init(deaths: groups.deaths, populations: groups.populations, causeDeaths: causes)
}

/// Checks a batch against `compute` on pair 1 and Σ Δ = gap there (pair 0 is the reference
/// table on both sides), so that the benchmark cannot time wrong code.
private func check(_ batch: LifeExpectancyDecompositionBatch, expected: LifeExpectancyDecompositionResult, pairs: Int) {
    precondition(batch.pairCount == pairs && batch.total.count == pairs * 20)
    precondition(batch.causes.count == pairs * 20 * (causeCount + 1))
    precondition(batch.result(pair: 1) == expected, "the batch must agree with compute")
    let gap = batch.lifeExpectancyComparator[1] - batch.lifeExpectancyBase[1]
    precondition(abs(batch.total[20..<40].reduce(0, +) - gap) < 1e-9 * max(1, abs(gap)), "Σ Δ must be the gap")
}

let benchmarks: @Sendable () -> Void = {
    let pairs = 10_000
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, threadCPU, .cpuTotal, .throughput, .mallocCountTotal, .peakMemoryResident],
        maxDuration: .seconds(3), maxIterations: 1_000, thresholds: regressionTolerances)

    func register(_ name: String, causes: Int, symmetric: Bool) {
        Benchmark(name, configuration: configuration) { benchmark in
            var base = syntheticSide(pairs: pairs, seed: 20_240_611)
            var comparator = syntheticSide(pairs: pairs, seed: 1_990)
            if causes == 0 {
                base.causeDeaths = []
                comparator.causeDeaths = []
            }
            func group(_ side: LifeExpectancyDecomposition.Groups, _ p: Int) -> LifeExpectancyDecomposition.Group {
                let range = (p * 20)..<(p * 20 + 20)
                return .init(
                    startAges: LifeExpectancy.startAges, deaths: side.deaths[range].map { $0 },
                    populations: side.populations[range].map { $0 },
                    causeDeaths: (0..<causes).map { c in range.map { side.causeDeaths[$0 * causes + c] } })
            }
            let expected = try LifeExpectancyDecomposition.compute(
                base: group(base, 1), comparator: group(comparator, 1), symmetric: symmetric)
            benchmark.startMeasurement()
            let cpuStart = threadCPUNanoseconds()
            defer {
                benchmark.measurement(threadCPU, (threadCPUNanoseconds() - cpuStart) / benchmark.scaledIterations.count)
            }
            for _ in benchmark.scaledIterations {
                let batch = try LifeExpectancyDecomposition.batch(
                    base: base, comparator: comparator, pairCount: pairs, causeCount: causes, symmetric: symmetric)
                if causes > 0 { check(batch, expected: expected, pairs: pairs) }
                blackHole(batch)
            }
        }
    }

    register("batch_10k_pairs_8_causes", causes: causeCount, symmetric: false)
    register("batch_10k_pairs_8_causes_symmetric", causes: causeCount, symmetric: true)
    register("batch_10k_pairs_no_causes", causes: 0, symmetric: false)
}

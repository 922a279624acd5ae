// DSR benchmarks for ordo-one/package-benchmark (run from Benchmarks/: `swift package benchmark`).
// The Benchmarks package that builds this target is the lead's; this file only declares the suite.
import Benchmark
import BenchmarkSupport
import Foundation
import Indicators
import NumericCore

/// Synthetic groups with 19 ESP2013 bands: counts 0–59 (every total ≥ 10 in practice) and populations 1–5,000, from a fixed seed.
private func syntheticGroups(_ groupCount: Int, seed: UInt64) -> (counts: [Double], populations: [Double]) {
    var rng = SplitMix64(state: seed)
    func next() -> UInt64 { rng.next() }
    let values = groupCount * StandardPopulation.esp2013.bands.count
    var counts = [Double](), populations = [Double]()
    counts.reserveCapacity(values)
    populations.reserveCapacity(values)
    for _ in 0..<values {
        counts.append(Double(next() % 60))
        populations.append(Double(1 + next() % 5_000))
    }
    return (counts, populations)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark(
        "batch_10k_groups",
        configuration: .init(metrics: [.wallClock, threadCPU, .throughput, .mallocCountTotal], thresholds: regressionTolerances)
    ) { benchmark in
        let groupCount = 10_000
        let input = syntheticGroups(groupCount, seed: 2013)
        let weights = StandardPopulation.esp2013.weights
        let levels = ConfidenceLevel.defaults
        // The expected value of group 0, computed by the single-group path.
        let first = try? DirectlyStandardisedRate.compute(
            counts: input.counts[0..<19].map { $0 }, populations: input.populations[0..<19].map { $0 },
            weights: weights, bandLabels: [], levels: levels)
        benchmark.startMeasurement()
        let cpuStart = threadCPUNanoseconds()
        defer { benchmark.measurement(threadCPU, (threadCPUNanoseconds() - cpuStart) / benchmark.scaledIterations.count) }
        for _ in benchmark.scaledIterations {
            let results = try? DirectlyStandardisedRate.batch(
                counts: input.counts, populations: input.populations, groupCount: groupCount, weights: weights,
                levels: levels, multiplier: 100_000)
            precondition(results?.count == groupCount, "the batch must return one result per group")
            precondition(results?.first == first, "the batch must agree with compute")
            blackHole(results)
        }
    }

    Benchmark(
        "compute_10k_groups_one_at_a_time",
        configuration: .init(metrics: [.wallClock, threadCPU, .throughput, .mallocCountTotal], thresholds: regressionTolerances)
    ) { benchmark in
        let groupCount = 10_000
        let input = syntheticGroups(groupCount, seed: 2013)
        let counts: [[Double?]] = (0..<groupCount).map { g in input.counts[g * 19..<(g + 1) * 19].map { $0 } }
        let populations: [[Double?]] = (0..<groupCount).map { g in input.populations[g * 19..<(g + 1) * 19].map { $0 } }
        let weights = StandardPopulation.esp2013.weights
        let labels = StandardPopulation.esp2013.bands.map(\.label)
        let levels = ConfidenceLevel.defaults
        benchmark.startMeasurement()
        let cpuStart = threadCPUNanoseconds()
        defer { benchmark.measurement(threadCPU, (threadCPUNanoseconds() - cpuStart) / benchmark.scaledIterations.count) }
        for _ in benchmark.scaledIterations {
            var computed = 0
            for g in 0..<groupCount {
                let result = try? DirectlyStandardisedRate.compute(
                    counts: counts[g], populations: populations[g], weights: weights, bandLabels: labels,
                    levels: levels)
                if result != nil { computed += 1 }
                blackHole(result)
            }
            precondition(computed == groupCount, "every synthetic group is valid")
        }
    }
}

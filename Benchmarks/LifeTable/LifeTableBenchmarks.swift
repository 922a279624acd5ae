// Life-table benchmarks (METHODS.md §5): the batched kernel over 10,000 groups of 20 bands,
// all start ages, 95% and 99.8% limits. Groups/s = 10,000 × throughput (iterations/s).
// Run from Benchmarks/: `swift package benchmark --target LifeTableBenchmarks`.
import Benchmark
import BenchmarkSupport
import Foundation
import Indicators
import NumericCore

/// The reference table of `life_expectancy_chiang_silcocks.csv` (populations, deaths by band).
private let referencePopulations: [Double] = [
    7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601,
    50209, 56416, 46411, 39820, 37978, 37039, 33288, 23306, 11936, 11936,
]
private let referenceDeaths: [Double] = [
    17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390, 1605, 1936, 1937,
]
/// e₀ of the reference table, to 4 decimal places.
private let referenceLifeExpectancy = 80.1696

/// `count` groups laid out g·20 + band: group 0 is the reference table, the others scale its
/// populations by 10^U(−1, 0.5) (about 8,000 to 250,000 people) with ±20% noise per band and
/// its death rates by ±30%, as small areas by sex and deprivation decile look.
private func syntheticGroups(count: Int, seed: UInt64) -> (deaths: [Double], populations: [Double]) {
    var rng = SplitMix64(state: seed)
    var deaths = referenceDeaths, populations = referencePopulations
    deaths.reserveCapacity(count * 20)
    populations.reserveCapacity(count * 20)
    for _ in 1..<count {
        let scale = pow(10, Double.random(in: -1...0.5, using: &rng))
        for b in 0..<20 {
            let p = (referencePopulations[b] * scale * Double.random(in: 0.8...1.2, using: &rng)).rounded()
            let rate = referenceDeaths[b] / referencePopulations[b] * Double.random(in: 0.7...1.3, using: &rng)
            populations.append(p)
            deaths.append(min(p, (rate * p).rounded()))
        }
    }
    return (deaths, populations)
}

/// Checks a batch result so that the benchmark cannot time wrong code.
private func check(_ result: LifeExpectancyBatch, groups: Int, slots: Int) {
    precondition(result.groupCount == groups && result.values.count == groups * slots)
    precondition(result.lowers.count == groups * slots * 2)
    precondition(abs(result.values[0] - referenceLifeExpectancy) < 1e-4, "reference e₀ is wrong")
    precondition(result.values[slots] > 60 && result.values[slots] < 100, "synthetic e₀ out of range")
}

let benchmarks: @Sendable () -> Void = {
    let groups = 10_000
    let levels = ConfidenceLevel.defaults
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, threadCPU, .cpuTotal, .throughput, .mallocCountTotal, .peakMemoryResident],
        maxDuration: .seconds(3), maxIterations: 1_000, thresholds: regressionTolerances)

    Benchmark("batch_10k_groups_all_start_ages", configuration: configuration) { benchmark in
        let input = syntheticGroups(count: groups, seed: 20_240_611)
        benchmark.startMeasurement()
        let cpuStart = threadCPUNanoseconds()
        defer { benchmark.measurement(threadCPU, (threadCPUNanoseconds() - cpuStart) / benchmark.scaledIterations.count) }
        for _ in benchmark.scaledIterations {
            let result = LifeExpectancy.batch(
                deaths: input.deaths, populations: input.populations, groupCount: groups,
                levels: levels, allStartAges: true)
            check(result, groups: groups, slots: 20)
            blackHole(result)
        }
    }

    Benchmark("batch_10k_groups_at_birth_only", configuration: configuration) { benchmark in
        let input = syntheticGroups(count: groups, seed: 20_240_611)
        benchmark.startMeasurement()
        let cpuStart = threadCPUNanoseconds()
        defer { benchmark.measurement(threadCPU, (threadCPUNanoseconds() - cpuStart) / benchmark.scaledIterations.count) }
        for _ in benchmark.scaledIterations {
            let result = LifeExpectancy.batch(
                deaths: input.deaths, populations: input.populations, groupCount: groups,
                levels: levels, allStartAges: false)
            check(result, groups: groups, slots: 1)
            blackHole(result)
        }
    }

    Benchmark("compute_1k_groups_one_at_a_time", configuration: configuration) { benchmark in
        let count = 1_000
        let input = syntheticGroups(count: count, seed: 20_240_611)
        let slices = (0..<count).map { g in
            (
                deaths: input.deaths[(g * 20)..<(g * 20 + 20)].map { Double?($0) },
                populations: input.populations[(g * 20)..<(g * 20 + 20)].map { Double?($0) }
            )
        }
        benchmark.startMeasurement()
        let cpuStart = threadCPUNanoseconds()
        defer { benchmark.measurement(threadCPU, (threadCPUNanoseconds() - cpuStart) / benchmark.scaledIterations.count) }
        for _ in benchmark.scaledIterations {
            var total = 0.0
            for slice in slices {
                let estimates = LifeExpectancy.compute(
                    startAges: LifeExpectancy.startAges, deaths: slice.deaths, populations: slice.populations,
                    levels: levels)
                total += estimates[0].value ?? 0
            }
            precondition(total > 60 * Double(count), "compute gave too few values")
            blackHole(total)
        }
    }
}

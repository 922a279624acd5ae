// Life-table benchmarks (METHODS.md §5): the batched kernel over 10,000 groups of 20 bands,
// all start ages, 95% and 99.8% limits. Groups/s = 10,000 × throughput (iterations/s).
// Run from Benchmarks/: `swift package benchmark --target LifeTableBenchmarks`.
import Benchmark
import BenchmarkSupport
import Foundation
import Indicators
import LifeTableInputs
import NumericCore

/// Checks a batch result so that the benchmark cannot time wrong code.
private func check(_ result: LifeExpectancyBatch, groups: Int, slots: Int) {
    precondition(result.groupCount == groups && result.values.count == groups * slots)
    precondition(result.lowers.count == groups * slots * 2)
    precondition(abs(result.values[0] - LifeTableInputs.referenceLifeExpectancy) < 1e-4, "reference e₀ is wrong")
    precondition(result.values[slots] > 60 && result.values[slots] < 100, "synthetic e₀ out of range")
}

let benchmarks: @Sendable () -> Void = {
    let groups = 10_000
    let levels = ConfidenceLevel.defaults
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, threadCPU, .cpuTotal, .throughput, .mallocCountTotal, .peakMemoryResident],
        maxDuration: .seconds(3), maxIterations: 1_000, thresholds: regressionTolerances)

    Benchmark("batch_10k_groups_all_start_ages", configuration: configuration) { benchmark in
        let input = LifeTableInputs.syntheticGroups(count: groups, seed: 20_240_611)
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
        let input = LifeTableInputs.syntheticGroups(count: groups, seed: 20_240_611)
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
        let input = LifeTableInputs.syntheticGroups(count: count, seed: 20_240_611)
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

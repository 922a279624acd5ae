// Healthy life expectancy benchmarks (METHODS.md §9): the batched Sullivan kernel over 10,000
// groups of 20 bands, Mathers variance (prevalence and mortality parts), 95% and 99.8% limits.
// Groups/s = 10,000 × throughput (iterations/s).
// Run from Benchmarks/: `swift package benchmark --target HealthyLifeExpectancy`.
import Benchmark
import BenchmarkSupport
import Foundation
import Indicators
import LifeTableInputs
import NumericCore

/// Prevalence for `count` groups laid out g·20 + band: π falling with age from about 0.95 to
/// 0.45 with ±0.05 noise, survey sample sizes 100–500. With `coarse`, the survey's bands are
/// 0–14, 15–44, 45–64, 65–84 and 85+ (each band's rows repeat its estimate).
private func syntheticPrevalence(count: Int, seed: UInt64, coarse: Bool) -> HealthyLifeExpectancy.Prevalence {
    var rng = SplitMix64(state: seed)
    let coarseBands = [0, 0, 0, 0, 4, 4, 4, 4, 4, 4, 10, 10, 10, 10, 14, 14, 14, 14, 18, 18]
    let bandOf = coarse ? coarseBands : Array(0..<20)
    var proportions: [Double] = [], sampleSizes: [Double] = [], bands: [Int] = []
    proportions.reserveCapacity(count * 20)
    sampleSizes.reserveCapacity(count * 20)
    for _ in 0..<count {
        var pi = [Double](repeating: 0, count: 20), n = pi
        for b in 0..<20 {
            pi[b] = min(1, max(0, 0.95 - 0.025 * Double(b) + Double.random(in: -0.05...0.05, using: &rng)))
            n[b] = Double(Int.random(in: 100...500, using: &rng))
        }
        for b in 0..<20 {
            proportions.append(pi[bandOf[b]])
            sampleSizes.append(n[bandOf[b]])
        }
        bands += bandOf
    }
    return .init(proportions: proportions, sampleSizes: sampleSizes, bands: coarse ? bands : nil)
}

/// Checks a batch against `compute` on group 0 and for plausible values, so that the
/// benchmark cannot time wrong code.
private func check(
    _ batch: HealthyLifeExpectancyBatch, expected: [HealthyLifeExpectancyResult], groups: Int, ages: Int
) {
    precondition(batch.groupCount == groups && batch.values.count == groups * ages)
    precondition(batch.lowers.count == groups * ages * 2)
    precondition(batch.results(group: 0) == expected, "the batch must agree with compute")
    precondition(batch.values[ages] > 40 && batch.values[ages] < batch.lifeExpectancies[ages], "HLE out of range")
}

let benchmarks: @Sendable () -> Void = {
    let groups = 10_000
    let levels = ConfidenceLevel.defaults
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, threadCPU, .cpuTotal, .throughput, .mallocCountTotal, .peakMemoryResident],
        maxDuration: .seconds(3), maxIterations: 1_000, thresholds: regressionTolerances)

    func register(_ name: String, ages: [Int], coarse: Bool, variance: HealthyLifeExpectancy.Variance) {
        Benchmark(name, configuration: configuration) { benchmark in
            let input = LifeTableInputs.syntheticGroups(count: groups, seed: 20_240_611)
            let prevalence = syntheticPrevalence(count: groups, seed: 9, coarse: coarse)
            let expected = try HealthyLifeExpectancy.compute(
                startAges: LifeExpectancy.startAges, deaths: input.deaths[0..<20].map { $0 },
                populations: input.populations[0..<20].map { $0 },
                prevalence: .init(
                    proportions: Array(prevalence.values[0..<20]), sampleSizes: Array(prevalence.precision[0..<20]),
                    bands: prevalence.bands.map { Array($0[0..<20]) }),
                ages: ages, variance: variance, levels: levels)
            benchmark.startMeasurement()
            let cpuStart = threadCPUNanoseconds()
            defer {
                benchmark.measurement(threadCPU, (threadCPUNanoseconds() - cpuStart) / benchmark.scaledIterations.count)
            }
            for _ in benchmark.scaledIterations {
                let batch = try HealthyLifeExpectancy.batch(
                    deaths: input.deaths, populations: input.populations, groupCount: groups, prevalence: prevalence,
                    ages: ages, variance: variance, levels: levels)
                check(batch, expected: expected, groups: groups, ages: ages.count)
                blackHole(batch)
            }
        }
    }

    register("batch_10k_groups_ages_0_65_mathers", ages: [0, 65], coarse: false, variance: .mathers)
    register("batch_10k_groups_all_start_ages_mathers", ages: LifeExpectancy.startAges, coarse: false, variance: .mathers)
    register("batch_10k_groups_ages_0_65_prevalence_bands", ages: [0, 65], coarse: true, variance: .mathers)
    register("batch_10k_groups_ages_0_65_prevalence_variance", ages: [0, 65], coarse: false, variance: .prevalence)
}

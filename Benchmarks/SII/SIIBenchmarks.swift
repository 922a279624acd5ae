import Benchmark
import Indicators
import NumericCore

let benchmarks: @Sendable () -> Void = {
    Benchmark("placeholder") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(NormalDistribution.quantile(0.975)) }
    }
}

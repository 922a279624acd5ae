// swift-tools-version: 6.1
// healthgap's benchmarks: a separate package so that `swift test` in the main package never
// builds them or their malloc-statistics dependency. Run with `swift package benchmark` here,
// or `make bench` from the project root.
import PackageDescription

let package = Package(
    name: "healthgap-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "healthgap", path: "../"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        // Only to measure our reader against (issue 4); the product itself does not depend on it.
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    ],
    targets: [
        // The thread-CPU metric and regression tolerances every suite uses.
        .target(
            name: "BenchmarkSupport", dependencies: [.product(name: "Benchmark", package: "benchmark")],
            path: "BenchmarkSupport"),
        // The fixture inputs the SII suite and SIIProfile share.
        .target(name: "SIIInputs", path: "SIIInputs"),
        benchmark("SII", products: ["Indicators", "NumericCore"], extra: ["SIIInputs"]),
        // The life-table inputs the LifeTable, HealthyLifeExpectancy and Decomposition suites share.
        .target(name: "LifeTableInputs", dependencies: [.product(name: "NumericCore", package: "healthgap")], path: "LifeTableInputs"),
        benchmark("LifeTable", products: ["Indicators", "NumericCore"], extra: ["LifeTableInputs"]),
        benchmark("HealthyLifeExpectancy", products: ["Indicators", "NumericCore"], extra: ["LifeTableInputs"]),
        benchmark("Decomposition", products: ["Indicators", "NumericCore"], extra: ["LifeTableInputs"]),
        benchmark("DSR", products: ["Indicators", "NumericCore"]),
        benchmark("Ingest", products: ["Ingest", "Areas"]),
        benchmark("CSVReaders", products: ["CSVStream"], extra: [.product(name: "CSV", package: "CSV.swift")]),
        // Not a benchmark: builds a history of England-sized nightly runs and times insert and show
        // (scripts/history-benchmark.sh).
        .executableTarget(
            name: "HistoryStore",
            dependencies: [
                .product(name: "ResultsStore", package: "healthgap"), .product(name: "Results", package: "healthgap"),
                .product(name: "Indicators", package: "healthgap"),
            ],
            path: "HistoryStore"),
        // Not a benchmark: a bare driver for profilers (callgrind, perf).
        .executableTarget(
            name: "SIIProfile",
            dependencies: [
                .product(name: "Indicators", package: "healthgap"), .product(name: "NumericCore", package: "healthgap"),
                "SIIInputs",
            ],
            path: "SIIProfile"),
    ]
)

/// One benchmark suite: an executable target in the folder of the same name, run by the plugin.
func benchmark(_ name: String, products: [String], extra: [Target.Dependency] = []) -> Target {
    .executableTarget(
        name: name,
        dependencies: [.product(name: "Benchmark", package: "benchmark"), "BenchmarkSupport"]
            + products.map { .product(name: $0, package: "healthgap") } + extra,
        path: name,
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
}

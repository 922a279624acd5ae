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
    ],
    targets: [
        .executableTarget(
            name: "SII",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Indicators", package: "healthgap"),
                .product(name: "NumericCore", package: "healthgap"),
            ],
            path: "SII",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)

// swift-tools-version: 6.1
// healthgap: population health gap analysis from LSOA-level CSV files.
import PackageDescription

import class Foundation.FileManager
import class Foundation.ProcessInfo

/// Release builds of the numeric kernels use AVX2 and FMA (`-target-cpu haswell`) when the
/// building machine has them, as every machine of ours does: the SII simulation's exponentials
/// and products then run four doubles wide (BENCHMARKS.md). The binary is built where it runs
/// (`make`), like `-march=native`; elsewhere, or with `HEALTHGAP_PORTABLE=1`, the baseline.
let kernelSettings: [SwiftSetting] = {
    let environment = ProcessInfo.processInfo.environment
    guard environment["HEALTHGAP_PORTABLE"] == nil,
        let data = FileManager.default.contents(atPath: "/proc/cpuinfo"),
        let cpuinfo = String(data: data, encoding: .utf8),
        let flags = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
    else { return [] }
    let present = Set(flags.split(separator: " ").map(String.init))
    guard ["avx2", "fma", "bmi2", "movbe"].allSatisfy(present.contains) else { return [] }
    return [.unsafeFlags(["-target-cpu", "haswell"], .when(configuration: .release))]
}()

let package = Package(
    name: "healthgap",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "healthgap", targets: ["healthgap"]),
        .library(name: "Indicators", targets: ["Indicators"]),
        .library(name: "NumericCore", targets: ["NumericCore"]),
        .library(name: "CSVStream", targets: ["CSVStream"]),
        .library(name: "Runner", targets: ["Runner"]),
        .library(name: "MethodTables", targets: ["MethodTables"]),
        .library(name: "Ingest", targets: ["Ingest"]),
        .library(name: "Areas", targets: ["Areas"]),
        .library(name: "Results", targets: ["Results"]),
        .library(name: "Report", targets: ["Report"]),
        .library(name: "Experiments", targets: ["Experiments"]),
        .library(name: "ResultsStore", targets: ["ResultsStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // MARK: - Public API

        /// The command-line tool: parses arguments, builds a request for the runner or a method table, maps errors to exit codes.
        .executableTarget(
            name: "healthgap",
            dependencies: [
                "Runner", "MethodTables", "Ingest", "Areas", "Results", "Indicators", "CSVStream", "Report", "Experiments", "ResultsStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        /// The batch runner: plan, jobs, records, consumers, manifest and the atomic publish.
        .target(
            name: "Runner",
            dependencies: [
                "Ingest", "Areas", "Results", "CSVStream", "Indicators", "NumericCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        /// Method experiments: synthetic truths, replicates drawn in memory, bias and coverage of method variants.
        .target(
            name: "Experiments",
            dependencies: [
                "Runner", "Ingest", "Areas", "Indicators", "NumericCore", "CSVStream",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        /// The results history: every published run's records in SQLite (GRDB) or PostgreSQL (postgres-nio).
        .target(
            name: "ResultsStore",
            dependencies: [
                "Results", "Indicators", "CSVStream",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        /// The per-method commands' tables: one CSV in, one row per group out.
        .target(name: "MethodTables", dependencies: ["Areas", "CSVStream", "Indicators", "NumericCore"]),
        /// Reading counts into cells: ingest plans, the cell accumulator, aggregation, synthetic counts.
        .target(name: "Ingest", dependencies: ["Areas", "CSVStream", "Indicators", "NumericCore"]),
        /// Areas: the LSOA index, geography lookups, deprivation quantiles, the data directory.
        .target(name: "Areas", dependencies: ["CSVStream", "Indicators"]),
        /// Typed result records, their vocabulary and CSV form, and the consumer protocol of outputs.
        .target(name: "Results", dependencies: ["CSVStream", "Indicators"]),
        /// The report a Place board reads: static HTML pages with inline SVG charts, made from records.
        .target(
            name: "Report",
            dependencies: ["Results", "Indicators", .product(name: "Mustache", package: "swift-mustache")]
        ),
        /// Public-health statistics as pure functions over arrays (METHODS.md §1–§8).
        .target(name: "Indicators", dependencies: ["NumericCore"], swiftSettings: kernelSettings),
        /// Distributions, random streams and BLAS/LAPACK faces; knows nothing about CSV or health.
        .target(name: "NumericCore", dependencies: ["CBLAS"], swiftSettings: kernelSettings),
        /// A byte-level streaming CSV reader and writer; knows nothing about health.
        .target(name: "CSVStream", dependencies: ["CZlib"]),

        // MARK: - Implementation details

        /// OpenBLAS (CBLAS) and LAPACKE. Imported only by `NumericCore/Internals`.
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        /// zlib, for streaming `.csv.gz` input and output. Imported only by `CSVStream`.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),

        // MARK: - Tests

        /// Shared test helpers: fixture loader, `expectClose`, the built binary's location.
        .target(name: "_TestSupport", dependencies: ["CSVStream", "Areas"], path: "Sources/_TestSupport"),
        .testTarget(name: "NumericCoreTests", dependencies: ["NumericCore", "_TestSupport"]),
        .testTarget(name: "IndicatorsTests", dependencies: ["Indicators", "_TestSupport"]),
        .testTarget(name: "CSVStreamTests", dependencies: ["CSVStream", "NumericCore", "_TestSupport"]),
        .testTarget(name: "AreasTests", dependencies: ["Areas", "_TestSupport"]),
        .testTarget(name: "IngestTests", dependencies: ["Ingest", "Areas", "_TestSupport"], exclude: ["Malformed"]),
        .testTarget(name: "ResultsTests", dependencies: ["Results", "CSVStream", "Indicators", "_TestSupport"]),
        .testTarget(
            name: "RunnerTests",
            dependencies: [
                "Runner", "Ingest", "Areas", "Results", "Indicators", "NumericCore", "_TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "ReportTests", dependencies: ["Report", "Results", "Indicators", "CSVStream", "_TestSupport"],
            exclude: ["Snapshots"]),
        .testTarget(name: "HealthgapCLITests", dependencies: ["_TestSupport"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "Runner", "Ingest", "Areas", "_TestSupport"]),
        .testTarget(
            name: "ResultsStoreTests",
            dependencies: [
                "ResultsStore", "Results", "Indicators", "_TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ]
)

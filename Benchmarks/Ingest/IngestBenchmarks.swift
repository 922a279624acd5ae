import Areas
// Ingest benchmarks: `healthgap synth` output read, joined to IMD 2019 and summed to
// LA × decile × sex × age band × year, on one and two threads, plain and gzip. The inputs (one
// region, ten years, ≈1.8 million rows) are generated once before measurement; every result is
// checked (rows read, output written) so a benchmark cannot time wrong code. The full England
// figures against polars and data.table come from `Benchmarks/anchors/` (see BENCHMARKS.md).
import Benchmark
import Foundation
import Ingest

/// The generated inputs, made once per process.
private final class IngestInputs: @unchecked Sendable {
    let data: DataDirectory
    let directory: URL
    let plain: String
    let gzip: String
    let rows: Int

    static let shared: IngestInputs = {
        // Force unwraps: a benchmark run cannot proceed without its inputs.
        let data = try! DataDirectory.locate()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("healthgap-ingest-bench-\(getpid())")
        try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var request = SyntheticCounts.Request(output: directory.appendingPathComponent("north_west.csv").path, data: data)
        request.areas = "E12000002"  // North West
        request.threads = 2
        let summary = try! SyntheticCounts.generate(request)
        request.output = directory.appendingPathComponent("north_west.csv.gz").path
        _ = try! SyntheticCounts.generate(request)
        return IngestInputs(
            data: data, directory: directory, plain: directory.appendingPathComponent("north_west.csv").path,
            gzip: request.output, rows: summary.rows)
    }()

    private init(data: DataDirectory, directory: URL, plain: String, gzip: String, rows: Int) {
        self.data = data
        self.directory = directory
        self.plain = plain
        self.gzip = gzip
        self.rows = rows
    }

    func request(counts: String, threads: Int) -> AggregationRequest {
        var request = AggregationRequest(
            counts: counts, by: [.la, .decile, .sex, .ageBand, .year],
            output: directory.appendingPathComponent("out-\(threads).csv").path, data: data)
        request.threads = threads
        return request
    }
}

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .peakMemoryResident, .throughput], maxDuration: .seconds(20), maxIterations: 10)
    for (name, threads, gzip) in [
        ("aggregate la×decile×sex×age×year, North West 10 years, 1 thread", 1, false),
        ("aggregate la×decile×sex×age×year, North West 10 years, 2 threads", 2, false),
        ("aggregate la×decile×sex×age×year, North West 10 years, gzip", 1, true),
    ] {
        Benchmark(name, configuration: configuration) { benchmark in
            let inputs = IngestInputs.shared
            let request = inputs.request(counts: gzip ? inputs.gzip : inputs.plain, threads: threads)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                do {
                    let summary = try CountsAggregation.run(request)
                    precondition(summary.rowsRead == inputs.rows && summary.outputRows > 0, "wrong aggregation")
                    blackHole(summary)
                } catch {
                    benchmark.error("\(error)")
                }
            }
        }
    }
    Benchmark("synth North West 10 years", configuration: configuration) { benchmark in
        let inputs = IngestInputs.shared
        var request = SyntheticCounts.Request(
            output: inputs.directory.appendingPathComponent("synth.csv").path, data: inputs.data)
        request.areas = "E12000002"
        request.threads = 2
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            do {
                let summary = try SyntheticCounts.generate(request)
                precondition(summary.rows == inputs.rows, "wrong row count")
                blackHole(summary)
            } catch {
                benchmark.error("\(error)")
            }
        }
    }
}

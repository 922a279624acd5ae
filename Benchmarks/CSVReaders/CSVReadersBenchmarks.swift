// Issue 4 asks whether the project's own CSV reader must be ours: the same file read by
// CSVStream and by yaslab/CSV.swift (2.5.2, the CSV package on this machine), every row, with
// the two count columns parsed as numbers. Inputs are written before measurement; each
// benchmark checks its sums so that it cannot time wrong code.
import Benchmark
import BenchmarkSupport
import CSV
import CSVStream
import Foundation

/// A `healthgap synth`-shaped file of 200,000 rows (about 6.3 MB), made once per process.
private let input: (path: String, bytes: Int, populationSum: Double, deathSum: Double) = {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("csv-readers-\(getpid()).csv").path
    var text = "lsoa_code,year,sex,age_band,population,deaths\n"
    var populationSum = 0.0, deathSum = 0.0
    let bands = ["0", "1-4", "5-9", "10-14", "15-19", "85-89", "90+"]
    for i in 0..<200_000 {
        let population = 50 + i % 400, deaths = i % 7
        populationSum += Double(population)
        deathSum += Double(deaths)
        text += "E01\(String(format: "%06d", i % 32_844)),\(2013 + i % 10),\(i % 2 == 0 ? "Male" : "Female"),"
        text += "\(bands[i % bands.count]),\(population),\(deaths)\n"
    }
    _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    return (path, text.utf8.count, populationSum, deathSum)
}()

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, threadCPU, .throughput, .mallocCountTotal, .peakMemoryResident],
        maxDuration: .seconds(5), maxIterations: 100)

    Benchmark("CSVStream_200k_rows", configuration: configuration) { benchmark in
        _ = input
        benchmark.startMeasurement()
        let start = threadCPUNanoseconds()
        for _ in benchmark.scaledIterations {
            var population = 0.0, deaths = 0.0
            let reader = try CSVStream.CSVReader(path: input.path)
            try reader.forEachRow { row in
                population += try row.double(4) ?? 0
                deaths += try row.double(5) ?? 0
            }
            precondition(population == input.populationSum && deaths == input.deathSum, "CSVStream sums")
            blackHole(population)
        }
        benchmark.measurement(threadCPU, (threadCPUNanoseconds() - start) / benchmark.scaledIterations.count)
    }

    Benchmark("CSVswift_200k_rows", configuration: configuration) { benchmark in
        _ = input
        benchmark.startMeasurement()
        let start = threadCPUNanoseconds()
        for _ in benchmark.scaledIterations {
            var population = 0.0, deaths = 0.0
            // `CSV` is CSV.swift's own alias of its reader (the name `CSVReader` is ours here too).
            let reader = try CSV(stream: InputStream(fileAtPath: input.path)!, hasHeaderRow: true)
            while let row = reader.next() {
                population += Double(row[4]) ?? 0
                deaths += Double(row[5]) ?? 0
            }
            precondition(population == input.populationSum && deaths == input.deathSum, "CSV.swift sums")
            blackHole(population)
        }
        benchmark.measurement(threadCPU, (threadCPUNanoseconds() - start) / benchmark.scaledIterations.count)
    }
}

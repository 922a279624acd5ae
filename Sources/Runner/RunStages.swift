import Areas
import CSVStream
import Dispatch
import Foundation
import Indicators
import Ingest
import Logging
import NumericCore
import Results

// The stages of a run, each usable on its own: `PreparedRun` (parse, resolve, fingerprint),
// `AggregatedRun` (read each input once into a cube; `compute(jobs:into:)` over any range of the
// job list) and `RunOutputs` (the consumers, the manifest and the atomic publish). `BatchRunner.run`
// chains them; a shard of a plan is `compute` over a contiguous range of jobs, and a merge feeds the
// shards' records to `RunOutputs` without computing anything.

/// Stage 1: the plan parsed and resolved against the lookups and the inputs' headers, the seed and
/// repetitions settled, and the fingerprint of everything that decides the outputs.
public struct PreparedRun: Sendable {
    /// The request.
    public let request: RunRequest
    /// The plan as parsed.
    public let plan: Plan
    /// The plan file's bytes (copied into the run folder).
    public let planBytes: Data
    /// The geography lookups.
    public let geography: Geography
    /// The plan expanded into jobs.
    public let resolved: ResolvedPlan
    /// The SII streams' seed.
    public let seed: UInt64
    /// SII simulation repetitions.
    public let repetitions: Int
    /// Plan, inputs, lookups, seed, repetitions and tool version, hashed.
    let fingerprint: Fingerprint

    /// Parses, resolves and fingerprints the plan.
    ///
    /// - Throws: `RunnerError.plan` with every mistake, `.unreadableInput`, `.pipeline` for lookups.
    init(_ request: RunRequest, logger: Logger, clock: StageClock) throws(RunnerError) {
        self.request = request
        let (parsed, parseIssues, planBytes) = try PlanParser.parse(file: request.plan, inputFiles: request.inputFiles)
        guard let parsed else { throw .plan(parseIssues) }
        let geography = try parsed.loadGeography(data: request.data)
        let resolved = try ResolvedPlan.resolve(parsed, issues: parseIssues, geography: geography)
        let seed = request.seed ?? parsed.seed
        let repetitions = request.repetitions ?? parsed.repetitions
        guard repetitions >= 1_000 else { throw .pipeline(.usage("--repetitions must be at least 1000 (METHODS.md §6)")) }
        clock.lap("plan")
        logger.info(
            "plan \(request.plan): \(resolved.jobs.count) jobs (\(resolved.indicators.count) indicators, \(resolved.areas.count) areas, \(parsed.periods.count) periods, by sex), \(resolved.streamCount) SIIs at \(repetitions) repetitions"
        )
        (request.progress ?? { _ in })(RunProgress(stage: "hash", done: 0, total: resolved.sources.count))
        fingerprint = try Fingerprint.compute(
            planBytes: planBytes, resolved: resolved, data: request.data, geography: geography, seed: seed,
            repetitions: repetitions, toolVersion: request.toolVersion)
        clock.lap("hash")
        self.plan = parsed
        self.planBytes = planBytes
        self.geography = geography
        self.resolved = resolved
        self.seed = seed
        self.repetitions = repetitions
    }

    /// The fingerprint's hex digest (what decides whether a run would change the outputs).
    public var fingerprintValue: String { fingerprint.value }
}

/// Stage 2: the lookups read and each input summed once into a cube; the jobs' shared context.
public final class AggregatedRun: @unchecked Sendable {
    /// The run this aggregates.
    public let prepared: PreparedRun
    let cubes: [CountCube]
    let context: RunContext
    /// Warnings for the manifest (rejected rows, areas too small for local deciles).
    public let warnings: [String]

    /// Reads the IMD edition and every input of the plan; rejects go into `staging`.
    ///
    /// - Throws: `RunnerError.pipeline` for unreadable or bad input, or an input lacking a year of a period.
    init(_ prepared: PreparedRun, staging: String, logger: Logger, clock: StageClock) throws(RunnerError) {
        self.prepared = prepared
        let request = prepared.request, resolved = prepared.resolved, geography = prepared.geography
        let report = request.progress ?? { _ in }
        let deprivation: Deprivation
        do {
            deprivation = try Deprivation.load(resolved.imd, data: request.data, geography: geography)
        } catch {
            throw .pipeline(error)
        }
        clock.lap("lookups")

        var cubes: [CountCube] = []
        var warnings: [String] = []
        for note in resolved.skipped { logger.info("not computed: \(note)") }
        for (s, source) in resolved.sources.enumerated() {
            report(RunProgress(stage: "aggregate", done: s, total: resolved.sources.count))
            let rejects = staging + "/rejects-\(source.input.name).csv"
            let cube: CountCube
            do {
                var columns = CountColumns(
                    lsoa: source.input.lsoa, year: source.input.year, sex: source.input.sex, age: source.input.age,
                    population: source.denominator, deaths: source.numerator)
                columns.extra = source.extraColumns
                let settings = CountCube.Settings(
                    file: source.input.resolvedPath, columns: columns, bands: source.bands,
                    rejects: source.input.onError == .reject ? rejects : nil)
                cube = try CountCube(
                    settings: settings, geography: geography, deprivation: deprivation, threads: request.threads)
            } catch {
                throw .pipeline(error)
            }
            logger.info(
                "read \(source.input.resolvedPath): \(cube.rowsRead) rows, \(cube.accepted) accepted, \(cube.rejected) rejected\(cube.parallel ? " (\(request.threads) threads)" : "")"
            )
            if cube.rejected > 0 {
                warnings.append("\(source.input.name): \(cube.rejected) rows rejected (see rejects-\(source.input.name).csv)")
            }
            for period in prepared.plan.periods {
                let absent = (period.first...period.last).filter { !cube.hasYear($0) }
                if !absent.isEmpty {
                    let have = cube.years.map(String.init).joined(separator: ", ")
                    throw .pipeline(
                        .coverage(
                            file: source.input.resolvedPath,
                            message:
                                "the plan's period \(period.label) needs \(absent.map(String.init).joined(separator: ", ")), which the input lacks (its years: \(have.isEmpty ? "none" : have))"
                        ))
                }
            }
            cubes.append(cube)
        }
        let smallAreas = cubes.first?.ingest.localDeciles
        for area in resolved.areas where area.takesLocalDeciles {
            for la in area.authorities where smallAreas?.smallAreas.contains(la) ?? false {
                if let i = smallAreas?.smallAreas.firstIndex(of: la), let note = smallAreas?.notes[i] { warnings.append(note) }
            }
        }
        try Self.checkBenchmarkCoverage(prepared, cubes: cubes)
        clock.lap("aggregate")
        self.cubes = cubes
        self.warnings = warnings
        context = try BatchRunner.makeContext(
            resolved: resolved, cubes: cubes, geography: geography, deprivation: deprivation, seed: prepared.seed,
            repetitions: prepared.repetitions)
    }

    /// Input rows read, accepted and rejected, over all inputs.
    public var rows: (read: Int, accepted: Int, rejected: Int) {
        // An input read in two passes (a healthy life expectancy's second pair of columns) counts once: its first pass.
        var seen = Set<String>()
        let firstPasses = zip(prepared.resolved.sources, cubes).filter { seen.insert($0.0.input.name).inserted }.map(\.1)
        return (
            firstPasses.reduce(0) { $0 + $1.rowsRead }, firstPasses.reduce(0) { $0 + $1.accepted },
            firstPasses.reduce(0) { $0 + $1.rejected }
        )
    }

    /// Stage 3: computes the jobs in `jobs` (positions in the job list) in windows across the request's
    /// threads and hands their records, in job order, to `outputs`' consumers.
    ///
    /// The records do not depend on the range's bounds or the thread count: job i's SII streams are
    /// fixed by the job list.
    public func compute(jobs range: Range<Int>, into outputs: RunOutputs, clock: StageClock) throws(RunnerError) {
        let request = prepared.request
        let report = request.progress ?? { _ in }
        let jobs = prepared.resolved.jobs
        let window = max(64, request.threads * 64)
        var start = range.lowerBound
        let context = self.context
        let started = DispatchTime.now().uptimeNanoseconds
        // The benchmark areas' jobs first: every comparison needs their records. Kept, so each job
        // still runs once (its SII streams are fixed by its index, so the records are the same).
        var early: [Int: [ResultRecord]] = [:]
        let benchmarkJobs = outputs.benchmarkJobs
        if !benchmarkJobs.isEmpty {
            let computed = try parallelMap(count: benchmarkJobs.count, threads: request.threads) { i throws(RunnerError) in
                try JobComputation.run(jobs[benchmarkJobs[i]], context: context)
            }
            for (job, records) in zip(benchmarkJobs, computed) where range.contains(job) { early[job] = records }
            outputs.primeBenchmarks(Array(computed.joined()))
        }
        let kept = early
        let pipe = ConsumerPipe(outputs)
        do throws(RunnerError) {
            while start < range.upperBound {
                report(RunProgress(stage: "compute", done: start - range.lowerBound, total: range.count))
                let end = min(start + window, range.upperBound)
                let slice = Array(jobs[start..<end])
                let computed = try parallelMap(count: slice.count, threads: request.threads) { i throws(RunnerError) in
                    if let records = kept[slice[i].index] { return records }
                    return try JobComputation.run(slice[i], context: context)
                }
                try pipe.send(Array(computed.joined()))
                start = end
            }
            try pipe.finish()
        } catch {
            pipe.drain()
            throw error
        }
        report(RunProgress(stage: "compute", done: range.count, total: range.count))
        // The records are written while the next window computes: the stage's wall time includes
        // the writing, whose own share is `pipe.seconds` (logged, not a separate stage).
        outputs.computeSeconds += Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        outputs.overlappedWriteSeconds += pipe.seconds
    }

    /// The manifest's entry of each input.
    func manifestInputs() -> [ManifestInput] {
        let fingerprint = prepared.fingerprint
        return zip(prepared.resolved.sources, cubes).map { source, cube in
            ManifestInput(
                name: source.input.name, path: source.input.resolvedPath,
                sha256: fingerprint.inputs[source.input.name]?.hex ?? "",
                bytes: fingerprint.inputs[source.input.name]?.bytes ?? 0,
                numerator: source.numerator, denominator: source.denominator,
                extra: source.extraColumns.isEmpty ? nil : source.extraColumns, rowsRead: cube.rowsRead,
                rowsAccepted: cube.accepted, rowsRejected: cube.rejected, parallel: cube.parallel)
        }
    }
}

/// Stage 4: the run's outputs — every consumer of records staged in one folder — then the manifest
/// and the atomic publish.
///
/// Consumers: `results.csv`, the area tables (unless the plan turns them off) and whatever the
/// request adds (`RunRequest.consumers`: a report, a history store). This is the one place a new
/// output is plugged in.
public final class RunOutputs: @unchecked Sendable {
    private let prepared: PreparedRun
    private let staging: String
    private let longTable = LongTableConsumer()
    private let consumers: [any ResultConsumer]
    /// The judgements (comparisons, trends, gap changes, goals) between the jobs and the consumers;
    /// nil when no indicator is judged, and for a shard (a merge judges its shards' records).
    let judgement: JudgementStage?
    private var files: [WrittenFile] = []
    /// Records handed to the consumers.
    public private(set) var records = 0
    var computeSeconds = 0.0
    var writeSeconds = 0.0
    /// Seconds the consumers spent during the compute stage, overlapping it.
    var overlappedWriteSeconds = 0.0
    /// Rows of `results.csv` with a note.
    var rowsWithNotes: Int { longTable.rowsWithNotes }
    /// The files the consumers wrote, relative to the staging folder (once published).
    var writtenFiles: [String] { files.map(\.name) }

    /// The consumers of a run staged in `staging`.
    public init(_ prepared: PreparedRun, staging: String) {
        self.prepared = prepared
        self.staging = staging
        var consumers: [any ResultConsumer] = [longTable]
        if prepared.plan.areaTables { consumers.append(AreaTablesConsumer()) }
        consumers += prepared.request.consumers(prepared.plan)
        self.consumers = consumers
        judgement = JudgementStage(prepared.resolved)
    }

    /// Only `consumers`, none of the run's own outputs (a shard writes its shard file and nothing else).
    init(_ prepared: PreparedRun, staging: String, only consumers: [any ResultConsumer]) {
        self.prepared = prepared
        self.staging = staging
        self.consumers = consumers
        judgement = nil
    }

    /// Opens every consumer.
    public func begin() throws(RunnerError) {
        var description = RunDescription(levels: prepared.resolved.levels, planName: prepared.plan.name)
        for indicator in prepared.resolved.indicators where MethodDescription.of(indicator.spec.method).comparesGaps {
            let spec = indicator.spec
            if spec.compare.contains(.mostVsLeast) {
                description.causeTables.formUnion(spec.schemes.filter { $0.quantiles > 0 })
            }
            if spec.compare.contains(.areaVsBenchmark) { description.causeTables.insert(.none) }
        }
        description.identity = RunIdentity(
            toolVersion: prepared.request.toolVersion, fingerprint: prepared.fingerprint.value,
            planSHA256: prepared.fingerprint.plan, inputSHA256: prepared.fingerprint.inputs.mapValues(\.hex),
            seed: prepared.seed, startedAt: Date().timeIntervalSince1970)
        do {
            for consumer in consumers { try consumer.begin(staging: staging, run: description) }
        } catch {
            throw .output(path: error.path, reason: error.reason)
        }
    }

    /// Hands records, in job order, to every consumer (through the judgements, when the plan has any).
    public func consume(_ batch: [ResultRecord]) throws(RunnerError) {
        try emit(judgement?.take(batch) ?? batch)
    }

    /// The benchmark areas' jobs (ascending) whose records `primeBenchmarks` needs before any
    /// other record; empty when nothing is compared or they have been given.
    public var benchmarkJobs: [Int] {
        guard let judgement, !judgement.primed else { return [] }
        return judgement.benchmarkJobs
    }

    /// Gives the judgements the benchmark areas' records (others among `records` are ignored).
    public func primeBenchmarks(_ records: [ResultRecord]) { judgement?.prime(records) }

    private func emit(_ batch: [ResultRecord]) throws(RunnerError) {
        guard !batch.isEmpty else { return }
        records += batch.count
        do {
            for consumer in consumers { try consumer.consume(batch) }
        } catch {
            throw .output(path: error.path, reason: error.reason)
        }
    }

    /// Undoes what consumers would commit outside the staging folder (the run failed).
    public func rollback() {
        for consumer in consumers { consumer.rollback() }
    }

    /// Completes the consumers, writes the plan copy and the manifest, commits the consumers and
    /// publishes the staging folder in one step; returns the run directory.
    public func publish(_ aggregated: AggregatedRun, publisher: OutputPublisher, clock: StageClock) throws(RunnerError)
        -> String
    {
        let rejects = zip(prepared.resolved.sources, aggregated.cubes).filter { $0.0.input.onError == .reject }
            .map { (name: "rejects-\($0.0.input.name).csv", rows: $0.1.rejected) }
        return try publish(
            inputs: aggregated.manifestInputs(), warnings: aggregated.warnings, rejects: rejects, publisher: publisher,
            clock: clock)
    }

    /// `publish` with the manifest's input entries, warnings and rejects files (names and rows, in
    /// the staging folder when present) given: from an `AggregatedRun`, or from shard files (a merge).
    func publish(
        inputs: [ManifestInput], warnings: [String], rejects: [(name: String, rows: Int)], publisher: OutputPublisher,
        clock: StageClock
    ) throws(RunnerError) -> String {
        let request = prepared.request, resolved = prepared.resolved
        let report = request.progress ?? { _ in }
        let t0 = DispatchTime.now().uptimeNanoseconds
        if let judgement { try emit(judgement.finish()) }
        do {
            for consumer in consumers { files += try consumer.finish() }
        } catch {
            throw .output(path: error.path, reason: error.reason)
        }
        writeSeconds += Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        clock.record("compute", seconds: computeSeconds)
        clock.record("write", seconds: writeSeconds)
        clock.mark()

        report(RunProgress(stage: "publish", done: 0, total: 1))
        var outputs: [ManifestFile] = []
        for file in files {
            let digest: (hex: String, bytes: Int)
            do {
                digest = try FileDigest.sha256(file: staging + "/" + file.name)
            } catch {
                throw .output(path: request.output, reason: error.description)
            }
            outputs.append(ManifestFile(name: file.name, rows: file.rows, bytes: digest.bytes, sha256: digest.hex))
        }
        for (name, rows) in rejects {
            if let digest = try? FileDigest.sha256(file: staging + "/" + name) {
                outputs.append(ManifestFile(name: name, rows: rows, bytes: digest.bytes, sha256: digest.hex))
            }
        }
        do {
            try Data(prepared.planBytes).write(to: URL(fileURLWithPath: staging + "/plan.yaml"))
        } catch {
            throw .output(path: staging, reason: "cannot copy the plan: \(error.localizedDescription)")
        }
        clock.lap("manifest")
        let fingerprint = prepared.fingerprint
        let runName = "run-\(BatchRunner.timestamp(Date(), compact: true))-\(fingerprint.value.prefix(8))"
        let manifest = RunManifest(
            toolVersion: request.toolVersion, planPath: request.plan, planName: prepared.plan.name,
            fingerprint: fingerprint, seed: prepared.seed, repetitions: prepared.repetitions, threads: request.threads,
            run: runName, inputs: inputs, jobs: resolved.jobs.count,
            siiComputations: resolved.streamCount, resultRows: records, rowsWithNotes: longTable.rowsWithNotes,
            outputs: outputs, timings: clock.laps, warnings: warnings, startedAt: clock.started)
        do {
            try Data(manifest.json().utf8).write(to: URL(fileURLWithPath: staging + "/manifest.json"))
        } catch {
            throw .output(path: staging, reason: "cannot write manifest.json: \(error.localizedDescription)")
        }
        do {
            for consumer in consumers { try consumer.commit() }
        } catch {
            throw .output(path: error.path, reason: error.reason)
        }
        let runDirectory = try publisher.publish(staging: staging, name: runName)
        clock.lap("publish")
        report(RunProgress(stage: "publish", done: 1, total: 1))
        return runDirectory
    }

    /// What the run did.
    func summary(_ aggregated: AggregatedRun, runDirectory: String, clock: StageClock) -> RunSummary {
        let rows = aggregated.rows
        return RunSummary(
            upToDate: false, output: prepared.request.output, runDirectory: runDirectory,
            jobs: prepared.resolved.jobs.count, siiComputations: prepared.resolved.streamCount, rowsRead: rows.read,
            rowsAccepted: rows.accepted, rowsRejected: rows.rejected, resultRows: records,
            rowsWithNotes: longTable.rowsWithNotes,
            files: files.map(\.name) + aggregated.rejectFiles(staging: staging) + ["plan.yaml", "manifest.json"],
            timings: clock.laps, warnings: aggregated.warnings)
    }
}

extension AggregatedRun {
    /// Stops the run when an input of a judged indicator has no rows for some local authority of a
    /// benchmark area: the benchmark's value would be that of the part the input covers, and every
    /// comparison with it wrong. A plan error at the benchmark's entry (exit 78), as the plan asks
    /// for what the input cannot give.
    ///
    /// - Complexity: O(local authorities of the benchmarks × their cells × the plan's years), once per input.
    static func checkBenchmarkCoverage(_ prepared: PreparedRun, cubes: [CountCube]) throws(RunnerError) {
        let resolved = prepared.resolved, plan = prepared.plan
        guard !resolved.benchmarks.isEmpty, let first = plan.periods.map(\.first).min(),
            let last = plan.periods.map(\.last).max()
        else { return }
        var issues: [PlanIssue] = []
        let sources = Set(resolved.indicators.filter { $0.spec.polarity != nil }.map(\.source)).sorted()
        for s in sources {
            let cube = cubes[s], input = resolved.sources[s].input
            let columns = cube.columns(years: first...last)
            var population = [Double](repeating: 0, count: cube.bandCount), events = population
            func hasRows(_ la: Int) -> Bool {
                var rows = 0.0
                population.withUnsafeMutableBufferPointer { p in
                    events.withUnsafeMutableBufferPointer { e in
                        for g in cube.groupsOfAuthority[la] where rows == 0 {
                            cube.add(
                                group: Int(g), columns: columns, sexes: [0, 1], population: p.baseAddress!,
                                events: e.baseAddress!, rows: &rows)
                        }
                    }
                }
                return rows > 0
            }
            var checked: Set<Int> = []
            for list in resolved.benchmarks {
                for benchmark in list where checked.insert(benchmark.area).inserted {
                    let area = resolved.areas[benchmark.area]
                    let missing = area.authorities.filter { !hasRows($0) }
                    guard let example = missing.first else { continue }
                    let la = prepared.geography.localAuthorities[example]
                    let at = plan.benchmarks.first { $0.kind == benchmark.kind }?.location ?? .file
                    issues.append(
                        PlanIssue(
                            file: plan.path, line: at.line, column: at.column,
                            message:
                                "benchmarks: \(benchmark.kind.rawValue): input \(input.name) (\(input.file)) has no rows for \(missing.count) of the \(area.authorities.count) local authorities of \(area.name) (\(area.code)), e.g. \(la.name) (\(la.code)); the benchmark cannot be computed from it, so nothing is compared with it. Remove \(benchmark.kind.rawValue) from benchmarks, or give an input that covers \(area.name)"
                        ))
                }
            }
        }
        if !issues.isEmpty { throw .plan(issues) }
    }

    /// The rejects files written into `staging`.
    func rejectFiles(staging: String) -> [String] {
        prepared.resolved.sources.filter { $0.input.onError == .reject }.map { "rejects-\($0.input.name).csv" }
            .filter { FileManager.default.fileExists(atPath: staging + "/" + $0) }
    }
}

/// Hands windows of records to a run's consumers on one background thread, in the order sent, so
/// that writing one window overlaps computing the next; at most one window waits to be written.
///
/// The consumers see exactly the calls an in-line loop would make (same batches, same order), so
/// the outputs do not change; only the wall time does.
final class ConsumerPipe: @unchecked Sendable {
    private let outputs: RunOutputs
    private let queue = DispatchQueue(label: "healthgap.consumers")
    private let group = DispatchGroup()
    // Written on `queue` only, read after `group.wait()`.
    private var failure: RunnerError?
    /// Seconds spent in the consumers (overlapping the compute).
    private(set) var seconds = 0.0

    /// A pipe into `outputs`.
    init(_ outputs: RunOutputs) { self.outputs = outputs }

    /// Waits for the window before, rethrows its failure, then hands `records` over.
    func send(_ records: [ResultRecord]) throws(RunnerError) {
        try finish()
        group.enter()
        queue.async { [self] in
            defer { group.leave() }
            let t0 = DispatchTime.now().uptimeNanoseconds
            do throws(RunnerError) {
                try outputs.consume(records)
            } catch {
                failure = error
            }
            seconds += Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        }
    }

    /// Waits until every window sent is written; rethrows the first failure.
    func finish() throws(RunnerError) {
        group.wait()
        if let failure { throw failure }
    }

    /// Waits until the consumers are idle, ignoring their failure (the run has failed already).
    func drain() { group.wait() }
}

import CSVStream
import Dispatch
import Foundation
import Indicators
import Logging
import NumericCore
import Areas
import Ingest
import Results

/// Everything `healthgap run` needs to know.
public struct RunRequest: Sendable {
    /// The plan file.
    public var plan: String
    /// The published output link (`--output`, default `healthgap-output`).
    public var output: String = "healthgap-output"
    /// Worker threads for reading and for the jobs.
    public var threads: Int = 1
    /// Overrides the plan's seed.
    public var seed: UInt64?
    /// Overrides the plan's SII repetitions (tests use fewer).
    public var repetitions: Int?
    /// Recompute even when inputs, plan and seed are unchanged.
    public var force = false
    /// Overrides of input files by input name.
    public var inputFiles: [String: String] = [:]
    /// Where the IMD and lookup files are.
    public var data: DataDirectory
    /// The tool's version, recorded in the manifest and part of the fingerprint.
    public var toolVersion: String
    /// Called from the calling thread as stages advance (for a progress bar).
    public var progress: (@Sendable (RunProgress) -> Void)?
    /// Makes the outputs beyond `results.csv` and the area tables (a report, a history store, …):
    /// fresh consumers for each run, staged and published with the rest.
    public var consumers: @Sendable () -> [any ResultConsumer] = { [] }

    /// Creates a request with the defaults above.
    public init(plan: String, data: DataDirectory, toolVersion: String) {
        self.plan = plan
        self.data = data
        self.toolVersion = toolVersion
    }
}

/// How far a run has got: `done` of `total` units of `stage`.
public struct RunProgress: Sendable {
    /// `hash`, `aggregate`, `compute`, `publish`.
    public var stage: String
    /// Units done.
    public var done: Int
    /// Units in the stage.
    public var total: Int
}

/// What a run did.
public struct RunSummary: Sendable {
    /// True when the published outputs already matched the plan, inputs and seed (nothing was done).
    public var upToDate: Bool
    /// The output link.
    public var output: String
    /// The run directory the link points at.
    public var runDirectory: String
    /// Jobs computed.
    public var jobs: Int
    /// Simulated SII computations.
    public var siiComputations: Int
    /// Input rows read, accepted and rejected (all inputs).
    public var rowsRead: Int, rowsAccepted: Int, rowsRejected: Int
    /// Rows of the long table, and how many carry a note.
    public var resultRows: Int, rowsWithNotes: Int
    /// Files written, relative to the run directory.
    public var files: [String]
    /// Seconds per stage, in stage order.
    public var timings: [(stage: String, seconds: Double)]
    /// Warnings (areas too small for local deciles, breakdowns that do not apply).
    public var warnings: [String]
}

/// `healthgap run`: ingest once, aggregate once, fan the jobs out, publish atomically.
///
/// Stages: resolve the plan (every mistake at once, exit 78); hash the plan, inputs and lookups
/// (an unchanged fingerprint means nothing to do); read the lookups; one pass over each input
/// (`CountCube`); the jobs (indicator × area × sex × period) in windows across `threads`,
/// each window's outputs written in job order (so the bytes do not depend on `threads`, and
/// memory is bounded by the window); the manifest; the atomic publish (`OutputPublisher`).
///
/// Reproducibility: SII computation i (in job order) draws from stream i of the seed
/// (`Xoshiro256StarStar.streams`), whatever thread runs it.
public enum BatchRunner {
    /// Runs a plan.
    ///
    /// - Throws: `RunnerError`; the published outputs are then unchanged.
    public static func run(_ request: RunRequest, logger: Logger) throws(RunnerError) -> RunSummary {
        let clock = StageClock()
        let report = request.progress ?? { _ in }

        // Plan.
        let (parsed, parseIssues, planBytes) = try PlanParser.parse(file: request.plan, inputFiles: request.inputFiles)
        guard let parsed else { throw .plan(parseIssues) }
        let geography: Geography
        do {
            geography = try Geography.load(try parsed.geographySources(data: request.data))
        } catch let error as RunnerError {
            throw error
        } catch let error as InputError {
            throw .pipeline(error)
        } catch {
            throw .pipeline(.internalError("\(error)"))
        }
        let resolved = try ResolvedPlan.resolve(parsed, issues: parseIssues, geography: geography)
        let seed = request.seed ?? parsed.seed
        let repetitions = request.repetitions ?? parsed.repetitions
        guard repetitions >= 1_000 else { throw .pipeline(.usage("--repetitions must be at least 1000 (METHODS.md §6)")) }
        clock.lap("plan")
        logger.info(
            "plan \(request.plan): \(resolved.jobs.count) jobs (\(resolved.indicators.count) indicators, \(resolved.areas.count) areas, \(parsed.periods.count) periods, by sex), \(resolved.streamCount) SIIs at \(repetitions) repetitions"
        )

        // Lock the output, hash everything, and stop here when nothing changed.
        let publisher = try OutputPublisher(output: request.output)
        defer { publisher.release() }
        for name in publisher.removeStaleStaging() {
            logger.notice("removed \(name), left by an interrupted run")
        }
        report(RunProgress(stage: "hash", done: 0, total: resolved.sources.count))
        let fingerprint = try Fingerprint.compute(
            planBytes: planBytes, resolved: resolved, data: request.data, geography: geography, seed: seed,
            repetitions: repetitions, toolVersion: request.toolVersion)
        clock.lap("hash")
        if !request.force, let current = publisher.currentManifest(), Fingerprint.published(in: current) == fingerprint.value {
            let run = publisher.currentRun() ?? ""
            logger.notice(
                "\(request.output) is up to date: the plan, inputs, lookups and seed are unchanged since run \(run); nothing to do (--force recomputes)"
            )
            return RunSummary(
                upToDate: true, output: request.output, runDirectory: publisher.runsDirectory + "/" + run, jobs: 0,
                siiComputations: 0, rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, resultRows: 0, rowsWithNotes: 0, files: [],
                timings: clock.laps, warnings: [])
        }
        let staging = try publisher.makeStaging()
        var keepStaging = false
        defer { if !keepStaging { try? FileManager.default.removeItem(atPath: staging) } }

        // Lookups.
        let deprivation: Deprivation
        do {
            deprivation = try Deprivation.load(resolved.imd, data: request.data, geography: geography)
        } catch {
            throw .pipeline(error)
        }
        clock.lap("lookups")

        // One pass per input.
        var cubes: [CountCube] = []
        var warnings: [String] = []
        for note in resolved.skipped { logger.info("not computed: \(note)") }
        for (s, source) in resolved.sources.enumerated() {
            report(RunProgress(stage: "aggregate", done: s, total: resolved.sources.count))
            let rejects = staging + "/rejects-\(source.input.name).csv"
            let cube: CountCube
            do {
                let columns = CountColumns(
                    lsoa: source.input.lsoa, year: source.input.year, sex: source.input.sex, age: source.input.age,
                    population: source.denominator, deaths: source.numerator)
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
            for period in parsed.periods {
                let absent = (period.first...period.last).filter { !cube.hasYear($0) }
                if !absent.isEmpty {
                    let have = cube.years.map(String.init).joined(separator: ", ")
                    throw .pipeline(
                        .data(
                            file: source.input.resolvedPath, line: nil,
                            error: IndicatorError(
                                "the plan's period \(period.label) needs \(absent.map(String.init).joined(separator: ", ")), which the input lacks (its years: \(have.isEmpty ? "none" : have))"
                            )))
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
        clock.lap("aggregate")

        // Jobs.
        let context = makeContext(
            resolved: resolved, cubes: cubes, geography: geography, deprivation: deprivation, seed: seed,
            repetitions: repetitions)
        let longTable = LongTableConsumer()
        var consumers: [any ResultConsumer] = [longTable]
        if resolved.plan.areaTables { consumers.append(AreaTablesConsumer()) }
        consumers += request.consumers()
        let description = RunDescription(levels: resolved.levels, planName: parsed.name)
        do {
            for consumer in consumers { try consumer.begin(staging: staging, run: description) }
        } catch {
            throw .output(path: error.path, reason: error.reason)
        }
        let jobs = resolved.jobs
        let window = max(64, request.threads * 64)
        var start = 0
        var computeSeconds = 0.0, writeSeconds = 0.0
        var resultRows = 0
        while start < jobs.count {
            report(RunProgress(stage: "compute", done: start, total: jobs.count))
            let end = min(start + window, jobs.count)
            let slice = Array(jobs[start..<end])
            let t0 = DispatchTime.now().uptimeNanoseconds
            let outputs = parallelMap(count: slice.count, threads: request.threads) { i in
                JobComputation.run(slice[i], context: context)
            }
            let t1 = DispatchTime.now().uptimeNanoseconds
            let records = Array(outputs.joined())
            resultRows += records.count
            do {
                for consumer in consumers { try consumer.consume(records) }
            } catch {
                throw .output(path: error.path, reason: error.reason)
            }
            writeSeconds += Double(DispatchTime.now().uptimeNanoseconds - t1) / 1e9
            computeSeconds += Double(t1 - t0) / 1e9
            start = end
        }
        report(RunProgress(stage: "compute", done: jobs.count, total: jobs.count))
        let t2 = DispatchTime.now().uptimeNanoseconds
        var files: [WrittenFile] = []
        do {
            for consumer in consumers { files += try consumer.finish() }
        } catch {
            throw .output(path: error.path, reason: error.reason)
        }
        let notes = longTable.rowsWithNotes
        writeSeconds += Double(DispatchTime.now().uptimeNanoseconds - t2) / 1e9
        clock.record("compute", seconds: computeSeconds)
        clock.record("write", seconds: writeSeconds)
        clock.mark()

        // Manifest, then publish.
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
        var rejectFiles: [ManifestFile] = []
        for source in resolved.sources where source.input.onError == .reject {
            let name = "rejects-\(source.input.name).csv"
            if let digest = try? FileDigest.sha256(file: staging + "/" + name) {
                let rows = cubes[resolved.sources.firstIndex { $0.input.name == source.input.name }!].rejected
                rejectFiles.append(ManifestFile(name: name, rows: rows, bytes: digest.bytes, sha256: digest.hex))
            }
        }
        do {
            try Data(planBytes).write(to: URL(fileURLWithPath: staging + "/plan.yaml"))
        } catch {
            throw .output(path: staging, reason: "cannot copy the plan: \(error.localizedDescription)")
        }
        clock.lap("manifest")
        let runName = "run-\(Self.timestamp(Date(), compact: true))-\(fingerprint.value.prefix(8))"
        let manifest = RunManifest(
            toolVersion: request.toolVersion, planPath: request.plan, planName: parsed.name, fingerprint: fingerprint,
            seed: seed, repetitions: repetitions, threads: request.threads, run: runName,
            inputs: zip(resolved.sources, cubes).map { source, cube in
                ManifestInput(
                    name: source.input.name, path: source.input.resolvedPath,
                    sha256: fingerprint.inputs[source.input.name]?.hex ?? "",
                    bytes: fingerprint.inputs[source.input.name]?.bytes ?? 0,
                    numerator: source.numerator, denominator: source.denominator, rowsRead: cube.rowsRead,
                    rowsAccepted: cube.accepted, rowsRejected: cube.rejected, parallel: cube.parallel)
            },
            jobs: jobs.count, siiComputations: resolved.streamCount, resultRows: resultRows, rowsWithNotes: notes,
            outputs: outputs + rejectFiles, timings: clock.laps, warnings: warnings, startedAt: clock.started)
        do {
            try Data(manifest.json().utf8).write(to: URL(fileURLWithPath: staging + "/manifest.json"))
        } catch {
            throw .output(path: staging, reason: "cannot write manifest.json: \(error.localizedDescription)")
        }
        let runDirectory = try publisher.publish(staging: staging, name: runName)
        keepStaging = true
        clock.lap("publish")
        report(RunProgress(stage: "publish", done: 1, total: 1))
        let read = cubes.reduce(0) { $0 + $1.rowsRead }
        let accepted = cubes.reduce(0) { $0 + $1.accepted }
        let rejected = cubes.reduce(0) { $0 + $1.rejected }
        return RunSummary(
            upToDate: false, output: request.output, runDirectory: runDirectory, jobs: jobs.count,
            siiComputations: resolved.streamCount, rowsRead: read, rowsAccepted: accepted, rowsRejected: rejected,
            resultRows: resultRows, rowsWithNotes: notes,
            files: (outputs + rejectFiles).map(\.name) + ["plan.yaml", "manifest.json"],
            timings: clock.laps, warnings: warnings)
    }

    /// The shared, immutable state of the jobs.
    static func makeContext(
        resolved: ResolvedPlan, cubes: [CountCube], geography: Geography, deprivation: Deprivation, seed: UInt64,
        repetitions: Int
    ) -> RunContext {
        let periods = resolved.plan.periods
        let columns = cubes.map { cube in periods.map { cube.columns(years: $0.first...$0.last) } }
        var lsoas = [Int](repeating: 0, count: geography.localAuthorities.count)
        for la in geography.authorityOfLSOA { lsoas[Int(la)] += 1 }
        var references: [ReferenceKey: (events: [Double], population: [Double])] = [:]
        for (i, indicator) in resolved.indicators.enumerated() where indicator.spec.method == .isr {
            let cube = cubes[indicator.source]
            let code = indicator.spec.reference ?? "all"
            let authorities: [Int]
            if code.lowercased() == "all" {
                authorities = Array(geography.localAuthorities.indices)
            } else if let area = resolved.areas.first(where: { $0.code == code }) {
                authorities = area.authorities
            } else if let r = geography.regions.firstIndex(where: { $0.code == code }) {
                authorities = geography.localAuthorities.indices.filter { geography.localAuthorities[$0].region == r }
            } else if let b = geography.icbs.firstIndex(where: { $0.code == code }) {
                authorities = geography.localAuthorities.indices.filter { geography.localAuthorities[$0].icb == b }
            } else if let la = geography.authorityIndex(code: code) {
                authorities = [la]
            } else {
                authorities = Array(geography.localAuthorities.indices)  // England (E92000001)
            }
            for sex in indicator.spec.sexes {
                for (p, _) in periods.enumerated() {
                    var pop = [Double](repeating: 0, count: cube.bandCount), ev = pop
                    var rows = 0.0
                    pop.withUnsafeMutableBufferPointer { pb in
                        ev.withUnsafeMutableBufferPointer { eb in
                            for la in authorities {
                                for g in cube.groupsOfAuthority[la] {
                                    cube.add(
                                        group: Int(g), columns: columns[indicator.source][p], sexes: sex.sexIndices,
                                        population: pb.baseAddress!, events: eb.baseAddress!, rows: &rows)
                                }
                            }
                        }
                    }
                    var e = [Double](repeating: 0, count: indicator.methodBands.count), n = e
                    for b in 0..<cube.bandCount where indicator.bandMap[b] >= 0 {
                        e[indicator.bandMap[b]] += ev[b]
                        n[indicator.bandMap[b]] += pop[b]
                    }
                    references[ReferenceKey(indicator: i, sex: sex, period: p)] = (e, n)
                }
            }
        }
        return RunContext(
            resolved: resolved, cubes: cubes, geography: geography, edition: deprivation.edition,
            streams: Xoshiro256StarStar.streams(seed: seed, count: resolved.streamCount), repetitions: repetitions,
            columns: columns, periodIndex: Dictionary(uniqueKeysWithValues: periods.enumerated().map { ($1, $0) }),
            lsoasOfAuthority: lsoas, references: references)
    }

    /// `2024-05-01T02:03:04Z`, or `20240501T020304Z` when `compact`.
    static func timestamp(_ date: Date, compact: Bool) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = compact ? "yyyyMMdd'T'HHmmss'Z'" : "yyyy-MM-dd'T'HH:mm:ss'Z'"
        return formatter.string(from: date)
    }
}

/// Wall-clock time per stage.
final class StageClock: @unchecked Sendable {
    let started = Date()
    private var last = DispatchTime.now().uptimeNanoseconds
    private(set) var laps: [(stage: String, seconds: Double)] = []

    /// Records the time since the previous lap as `stage`.
    func lap(_ stage: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        laps.append((stage, Double(now - last) / 1e9))
        last = now
    }

    /// Records a stage measured elsewhere.
    func record(_ stage: String, seconds: Double) { laps.append((stage, seconds)) }

    /// Restarts the lap timer without recording.
    func mark() { last = DispatchTime.now().uptimeNanoseconds }
}

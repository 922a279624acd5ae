import Areas
import CSVStream
import Dispatch
import Foundation
import Indicators
import Ingest
import Logging
import NumericCore
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
    /// Makes the outputs beyond `results.csv` and the area tables (a report, a history store, …)
    /// for the parsed plan: fresh consumers for each run, staged and published with the rest.
    public var consumers: @Sendable (Plan) -> [any ResultConsumer] = { _ in [] }

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
    /// Runs a plan: `prepare`, then (unless up to date) `aggregate`, `compute` every job, `publish`.
    ///
    /// - Throws: `RunnerError`; the published outputs are then unchanged.
    public static func run(_ request: RunRequest, logger: Logger) throws(RunnerError) -> RunSummary {
        let clock = StageClock()
        let prepared = try PreparedRun(request, logger: logger, clock: clock)
        let publisher = try OutputPublisher(output: request.output)
        defer { publisher.release() }
        for name in publisher.removeStaleStaging() {
            logger.notice("removed \(name), left by an interrupted run")
        }
        if !request.force, let current = publisher.currentManifest(),
            Fingerprint.published(in: current) == prepared.fingerprint.value
        {
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

        let aggregated = try AggregatedRun(prepared, staging: staging, logger: logger, clock: clock)
        let outputs = RunOutputs(prepared, staging: staging)
        try outputs.begin()
        var committed = false
        defer { if !committed { outputs.rollback() } }
        try aggregated.compute(jobs: 0..<prepared.resolved.jobs.count, into: outputs, clock: clock)
        logger.info(
            "compute: the consumers took \(String(format: "%.2f", outputs.overlappedWriteSeconds)) s of it, writing while the next jobs computed"
        )
        let runDirectory = try outputs.publish(aggregated, publisher: publisher, clock: clock)
        committed = true
        keepStaging = true
        return outputs.summary(aggregated, runDirectory: runDirectory, clock: clock)
    }

    /// The shared, immutable state of the jobs.
    static func makeContext(
        resolved: ResolvedPlan, cubes: [CountCube], geography: Geography, deprivation: Deprivation, seed: UInt64,
        repetitions: Int
    ) throws(RunnerError) -> RunContext {
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
            } else if let area = AreaResolver(geography: geography).area(code: code) {
                authorities = area.authorities
            } else {
                // `plan check` refuses such a reference; reaching here is a bug, not a reason to use England.
                throw .jobFailed(
                    job: "ISR reference of \(indicator.spec.id)", message: "the reference area \(code) is not in the lookups")
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
public final class StageClock: @unchecked Sendable {
    /// Starts the clock.
    public init() {}

    /// When the run started.
    public let started = Date()
    private var last = DispatchTime.now().uptimeNanoseconds
    /// Stages and their seconds, in order.
    public private(set) var laps: [(stage: String, seconds: Double)] = []

    /// Records the time since the previous lap as `stage`.
    public func lap(_ stage: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        laps.append((stage, Double(now - last) / 1e9))
        last = now
    }

    /// Records a stage measured elsewhere.
    public func record(_ stage: String, seconds: Double) { laps.append((stage, seconds)) }

    /// Restarts the lap timer without recording.
    public func mark() { last = DispatchTime.now().uptimeNanoseconds }
}

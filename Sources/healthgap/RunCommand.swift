import Areas
import ArgumentParser
import Foundation
import Ingest
import Logging
import MethodTables
import Report
import Results
import ResultsStore
import Runner
import Synchronization

/// `healthgap run PLAN`: every indicator of a plan, for every area, breakdown, sex and period, published atomically.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a plan: read the inputs once, compute every job in parallel, publish the tables atomically.",
        discussion: """
            Reads each input of the plan once, sums it by local authority, local and national IMD decile, \
            sex, age band and year, then computes every job (indicator × area × sex × period) on --threads \
            workers. Everything is written to a staging directory and published only when every job has \
            succeeded: --output is a link, swapped in one step to the new run directory, so a run that fails \
            or is killed leaves the previous tables as they were. With unchanged plan, inputs, lookups, seed \
            and repetitions a run does nothing (--force recomputes). The outputs: results.csv (every value \
            and measure, one row each), tables/<area type>_<area>_<table>.csv (one per area and breakdown), \
            manifest.json (version, plan and input SHA-256, seed, rows, timings). With --shard K/M it computes \
            only the K-th of M contiguous parts of the job list and writes a shard file into the --output \
            folder; 'healthgap merge' publishes the shards as one run. Exit codes: 0 ok (or up to \
            date), 64 usage, 65 bad input data, 66 unreadable input, 70 failed job, 73 output not writable, \
            75 another run holds the output, 78 bad plan.
            """)

    @Argument(help: ArgumentHelp("The plan file (YAML).", valueName: "plan"))
    var plan: String

    @Option(help: ArgumentHelp("The output link, pointing at the newest complete run.", valueName: "dir"))
    var output: String = "healthgap-output"

    @Option(help: ArgumentHelp("Worker threads (default: the number of cores); the outputs do not depend on it.", valueName: "n"))
    var threads: Int?

    @Option(help: ArgumentHelp("The seed of the simulated SII limits (default: the plan's, else 1).", valueName: "n"))
    var seed: UInt64?

    @Flag(help: "Recompute even when the plan, inputs and seed are unchanged.")
    var force = false

    @Option(help: ArgumentHelp("SII simulation repetitions (default: the plan's, else 100000; at least 1000).", valueName: "n"))
    var repetitions: Int?

    @Option(
        name: .customLong("input"),
        help: ArgumentHelp("Read input NAME from FILE instead of the plan's file (repeatable).", valueName: "name=file"))
    var inputs: [String] = []

    @Option(
        name: .customLong("data-dir"),
        help: ArgumentHelp(
            "The folder holding imd2019/ and lookups/ (default: found beside the binary, or $HEALTHGAP_DATA).", valueName: "dir"))
    var dataDir: String?

    @Option(
        help: ArgumentHelp(
            "Compute only the K-th of M contiguous parts of the job list and write it as a shard file into --output (a folder), for 'healthgap merge'; 'slurm' takes K and M from the Slurm array task's variables.",
            valueName: "K/M|slurm"))
    var shard: String?

    @Flag(help: "Only warnings and errors on standard error.")
    var quiet = false

    func validate() throws {
        if let shard, shard != "slurm" {
            do {
                _ = try ShardSpec(parsing: shard)
            } catch {
                throw ValidationError(error.description)
            }
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let repetitions, repetitions < 1_000 { throw ValidationError("--repetitions must be at least 1000 (METHODS.md §6)") }
        _ = try inputOverrides(inputs)
    }

    func run() throws {
        let terminal = Terminal.standardError
        bootstrapLogging(terminal: terminal, level: quiet ? .warning : .info)
        let logger = Logger(label: "healthgap")
        // nil after a shard, which prints its own lines.
        let outcome: RunSummary? = try reportingFailures(cleanup: terminal.clearProgress) {
            var request = RunRequest(plan: plan, data: try locateData(dataDir), toolVersion: HealthgapVersion.current)
            request.output = output
            request.threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
            request.seed = seed
            request.repetitions = repetitions
            request.force = force
            request.inputFiles = try inputOverrides(inputs)
            request.consumers = { plan in extraConsumers(plan, output: output) }
            if terminal.isInteractive && !quiet {
                request.progress = { progress in terminal.progress(progress) }
            }
            if let shard {
                let spec: ShardSpec
                do {
                    spec =
                        shard == "slurm"
                        ? try ShardSpec(slurmEnvironment: ProcessInfo.processInfo.environment) : try ShardSpec(parsing: shard)
                } catch {
                    printToStandardError("healthgap: error: \(String(describing: error))")
                    throw ExitCode(64)
                }
                let written = try BatchRunner.runShard(request, shard: spec, logger: logger)
                terminal.clearProgress()
                for warning in written.warnings { logger.warning("\(warning)") }
                let total = written.timings.reduce(0) { $0 + $1.seconds }
                logger.info(
                    "shard \(written.shard): jobs \(written.jobs.lowerBound + 1)-\(written.jobs.upperBound) of \(written.totalJobs), \(written.records) records in \(String(format: "%.2f", total)) s"
                )
                logger.info("wrote \(written.path)")
                return nil
            }
            let summary = try BatchRunner.run(request, logger: logger)
            terminal.clearProgress()
            return summary
        }
        guard let summary = outcome, !summary.upToDate else { return }
        for warning in summary.warnings { logger.warning("\(warning)") }
        let stages = summary.timings.map { "\($0.stage) \(String(format: "%.2f", $0.seconds)) s" }.joined(separator: ", ")
        let total = summary.timings.reduce(0) { $0 + $1.seconds }
        logger.info(
            "done: \(summary.jobs) jobs (\(summary.siiComputations) SIIs); \(summary.rowsRead) input rows read, \(summary.rowsRejected) rejected; \(summary.resultRows) result rows (\(summary.rowsWithNotes) with a note)"
        )
        logger.info("time: \(stages); total \(String(format: "%.2f", total)) s")
        logger.info("published \(summary.output) -> \(summary.runDirectory) (\(summary.files.count) files)")
    }
}

/// `--input NAME=FILE` options as a dictionary.
func inputOverrides(_ options: [String]) throws -> [String: String] {
    var out: [String: String] = [:]
    for option in options {
        guard let eq = option.firstIndex(of: "="), eq != option.startIndex, option.index(after: eq) != option.endIndex else {
            throw ValidationError("--input: '\(option)' is not NAME=FILE (e.g. counts=demo/counts.csv)")
        }
        out[String(option[..<eq])] = String(option[option.index(after: eq)...])
    }
    return out
}

// MARK: - Output on standard error

/// Standard error, shared by log lines and the progress bar (which only a terminal gets).
final class Terminal: Sendable {
    /// Standard error.
    static let standardError = Terminal()

    /// Whether standard error is a terminal.
    let isInteractive = isatty(STDERR_FILENO) == 1
    private let state = Mutex<(shown: Bool, stage: String)>((false, ""))

    /// Writes a line, clearing the progress bar first.
    func line(_ text: String) {
        state.withLock { s in
            var out = s.shown ? "\r\u{1B}[K" : ""
            out += text + "\n"
            FileHandle.standardError.write(Data(out.utf8))
            s.shown = false
        }
    }

    /// Draws the progress bar: `compute [########------] 1234/15216`.
    func progress(_ p: RunProgress) {
        state.withLock { s in
            let width = 30
            let filled = p.total > 0 ? min(width, width * p.done / p.total) : 0
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            let text = "\r\u{1B}[K\(p.stage.padding(toLength: 9, withPad: " ", startingAt: 0)) [\(bar)] \(p.done)/\(p.total)"
            FileHandle.standardError.write(Data(text.utf8))
            s.shown = true
            s.stage = p.stage
        }
    }

    /// Removes the progress bar.
    func clearProgress() {
        state.withLock { s in
            if s.shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            s.shown = false
        }
    }
}

/// A swift-log handler writing `healthgap: message` (warnings and errors say so) to standard error.
struct HealthgapLogHandler: LogHandler {
    let terminal: Terminal
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let prefix: String
        switch event.level {
        case .warning: prefix = "healthgap: warning: "
        case .error, .critical: prefix = "healthgap: error: "
        default: prefix = "healthgap: "
        }
        terminal.line(prefix + "\(event.message)")
    }
}

/// Sends every logger of the process to standard error (once per process).
func bootstrapLogging(terminal: Terminal, level: Logger.Level) {
    LoggingSystem.bootstrap { _ in HealthgapLogHandler(terminal: terminal, logLevel: level) }
}

import Areas
import ArgumentParser
import Foundation
import Logging
import Runner

/// `healthgap merge SHARD_DIR… --output DIR`: shard files of one plan published as one run.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Publish the shard files of a plan (healthgap run --shard K/M) as one run.",
        discussion: """
            Reads every shard file (*.hgshard) in the folders given, checks that each is complete (its record \
            count and SHA-256), that all come from the same plan, inputs, lookups, seed and repetitions (by \
            their hashes), and that together they hold every job of the plan exactly once; then reads the plan \
            again, checks that it and its inputs still have the shards' fingerprint, and writes results.csv, \
            the area tables, plan.yaml and manifest.json from the shards' records in job order, published \
            atomically as 'healthgap run' does. The outputs are byte for byte those of an unsharded run (the \
            manifest's timings, threads and paths aside). Exit codes: 0 ok, 65 shards that do not make one run \
            (a different plan, inputs or seed; a missing, doubled or half-written shard), 66 no shard or an \
            unreadable plan or input, 73 output not writable, 75 another run holds the output, 78 bad plan; \
            nothing is published unless it exits 0.
            """)

    @Argument(help: ArgumentHelp("Shard files, or folders holding them.", valueName: "shard-dir"))
    var shards: [String]

    @Option(help: ArgumentHelp("The output link, pointing at the newest complete run.", valueName: "dir"))
    var output: String = "healthgap-output"

    @Option(
        name: .customLong("data-dir"),
        help: ArgumentHelp(
            "The folder holding imd2019/ and lookups/ (default: found beside the binary, or $HEALTHGAP_DATA).", valueName: "dir"))
    var dataDir: String?

    @Flag(help: "Only warnings and errors on standard error.")
    var quiet = false

    func run() throws {
        let terminal = Terminal.standardError
        bootstrapLogging(terminal: terminal, level: quiet ? .warning : .info)
        let logger = Logger(label: "healthgap")
        let summary = try reportingFailures {
            var request = MergeRequest(
                shards: shards, output: output, data: try locateData(dataDir), toolVersion: HealthgapVersion.current)
            request.consumers = { plan in extraConsumers(plan, output: output) }
            return try ShardMerger.merge(request, logger: logger)
        }
        for warning in summary.warnings { logger.warning("\(warning)") }
        logger.info(
            "done: \(summary.jobs) jobs (\(summary.siiComputations) SIIs) merged; \(summary.resultRows) result rows (\(summary.rowsWithNotes) with a note)"
        )
        logger.info("published \(summary.output) -> \(summary.runDirectory) (\(summary.files.count) files)")
    }
}

import Areas
import ArgumentParser
import Experiments
import Foundation

/// `healthgap experiment EXPERIMENT.yaml`: bias and interval coverage of method variants on synthetic truths.
struct ExperimentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "Run a method experiment: replicates drawn from a synthetic truth, bias and coverage of each variant.",
        discussion: """
            An experiment (YAML, schema in Data/experiments/README.md) names a synthetic truth (areas, years, \
            population scale, the synth schedule and its deprivation gradient), a number of replicates, a seed \
            and the method variants to compare. Each replicate draws Poisson deaths in memory from stream r of \
            the seed, so the outputs do not depend on --threads or --shard. Publishes experiment.csv (bias, \
            RMSE and coverage per variant and target), experiment.html (the coverage chart) and replicates.csv \
            atomically at --output, as 'run' does. Exit codes: 0 ok, 64 usage, 65 shards that cannot be merged, \
            66 unreadable file, 73 output not writable, 75 output busy, 78 bad experiment.
            """,
        subcommands: [Run.self, Check.self, Merge.self],
        defaultSubcommand: Run.self)

    /// `healthgap experiment [run] EXPERIMENT.yaml`.
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run", abstract: "Run an experiment, or one shard of its replicates.")

        @Argument(help: ArgumentHelp("The experiment file (YAML).", valueName: "experiment"))
        var experiment: String

        @Option(
            help: ArgumentHelp(
                "The output link (a run), or the folder for the shard file (with --shard).", valueName: "dir"))
        var output: String = "experiment-output"

        @Option(
            help: ArgumentHelp("Worker threads (default: the number of cores); the outputs do not depend on it.", valueName: "n"))
        var threads: Int?

        @Option(
            help: ArgumentHelp(
                "Compute only the K-th of M contiguous ranges of replicates and write shard-K-of-M.csv into --output ('slurm': K and M from the array task's SLURM_ARRAY_TASK_ID, _MIN, _STEP and _COUNT).",
                valueName: "K/M"))
        var shard: String?

        @Option(
            name: .customLong("data-dir"),
            help: ArgumentHelp(
                "The folder holding imd2019/ and lookups/ (default: found beside the binary, or $HEALTHGAP_DATA).",
                valueName: "dir"))
        var dataDir: String?

        /// `K/M` as numbers; `slurm` reads them from the array task's environment.
        func shardIndex() throws -> (index: Int, count: Int)? {
            guard let shard else { return nil }
            if shard == "slurm" {
                // K from the task id relative to the array's first, honouring a step; M = the task count.
                let environment = ProcessInfo.processInfo.environment
                guard let id = environment["SLURM_ARRAY_TASK_ID"].flatMap(Int.init),
                    let count = environment["SLURM_ARRAY_TASK_COUNT"].flatMap(Int.init), count >= 1
                else {
                    throw ValidationError(
                        "--shard slurm: SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT are not set (not a Slurm array task)")
                }
                let first = environment["SLURM_ARRAY_TASK_MIN"].flatMap(Int.init) ?? 0
                let step = max(1, environment["SLURM_ARRAY_TASK_STEP"].flatMap(Int.init) ?? 1)
                let k = (id - first) / step + 1
                guard (id - first) % step == 0, (1...count).contains(k) else {
                    throw ValidationError(
                        "--shard slurm: task \(id) is not one of the array's \(count) tasks from \(first) by \(step)")
                }
                return (k, count)
            }
            let parts = shard.split(separator: "/")
            guard parts.count == 2, let k = Int(parts[0]), let m = Int(parts[1]), m >= 1, (1...m).contains(k) else {
                throw ValidationError("--shard: '\(shard)' is not K/M with 1 ≤ K ≤ M (e.g. 2/8)")
            }
            return (k, m)
        }

        func validate() throws {
            if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
            _ = try shardIndex()
        }

        func run() throws {
            try reportingFailures {
                var request = ExperimentRequest(experiment: experiment, data: try locateData(dataDir), output: output)
                request.threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
                request.shard = try shardIndex()
                let outcome = try ExperimentRunner.run(request)
                let what = request.shard.map { "shard \($0.index) of \($0.count): " } ?? ""
                printToStandardError(
                    "healthgap: \(what)\(outcome.replicates) replicates, \(outcome.targets) targets in \(String(format: "%.2f", outcome.computeSeconds)) s; wrote \(outcome.path)"
                )
            }
        }
    }

    /// `healthgap experiment check EXPERIMENT.yaml`.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Check an experiment against the lookups; report every mistake with its line and column.",
            discussion:
                "Prints one line per mistake (file:line:column: error: …) and exits 78, or a one-line summary and exits 0.")

        @Argument(help: ArgumentHelp("The experiment file (YAML).", valueName: "experiment"))
        var experiment: String

        @Option(
            name: .customLong("data-dir"),
            help: ArgumentHelp(
                "The folder holding imd2019/ and lookups/ (default: found beside the binary, or $HEALTHGAP_DATA).",
                valueName: "dir"))
        var dataDir: String?

        func run() throws {
            try reportingFailures {
                let (design, _) = try ExperimentRunner.load(experiment, data: try locateData(dataDir))
                print(ExperimentRunner.describe(design))
            }
        }
    }

    /// `healthgap experiment merge SHARD_DIR… --output DIR`.
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge",
            abstract: "Merge the shard files of one experiment and publish its outputs, byte-identical to an unsharded run.",
            discussion:
                "Refuses shards of different experiment files, seeds or replicate counts, a missing or doubled shard, and a half-written shard file; then nothing is published (exit 65)."
        )

        @Argument(help: ArgumentHelp("Folders holding shard-K-of-M.csv files, or the files.", valueName: "shard-dir"))
        var shards: [String]

        @Option(help: ArgumentHelp("The output link, pointing at the newest complete run.", valueName: "dir"))
        var output: String = "experiment-output"

        func run() throws {
            try reportingFailures {
                let outcome = try ExperimentRunner.merge(shards, output: output)
                printToStandardError(
                    "healthgap: merged \(outcome.replicates) replicates, \(outcome.targets) targets; wrote \(outcome.path)")
            }
        }
    }
}

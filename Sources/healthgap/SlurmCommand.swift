import ArgumentParser
import Foundation
import Runner

/// `healthgap slurm PLAN --shards M --output DIR [--submit]`, `slurm status`, `slurm resubmit`.
struct SlurmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slurm",
        abstract: "Run a plan as a Slurm array job of shards and a merge job after it.",
        discussion: """
            'healthgap slurm PLAN --shards M --output DIR' writes, in the work folder (default DIR.slurm), \
            array.sbatch (--array=1-M: task K runs 'healthgap run PLAN --shard K/M' into shards/ and writes its \
            exit code to status/K.exit) and merge.sbatch ('healthgap merge' of shards/ into DIR); with --submit \
            it submits both, the merge with --dependency=afterok on the array, and prints the two job ids. A \
            task that fails means the merge never runs and DIR stays as it was. 'healthgap slurm status \
            JOBID|WORK' says which tasks succeeded, failed, are queued or were lost; 'healthgap slurm resubmit \
            JOBID|WORK' submits only the failed and lost tasks and a new merge after them.
            """,
        subcommands: [Generate.self, Status.self, Resubmit.self],
        defaultSubcommand: Generate.self)

    /// Writes (and with `--submit` submits) the array and merge scripts.
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate",
            abstract: "Write the array and merge job scripts of a plan (the default: 'healthgap slurm PLAN …').",
            discussion: """
                Exit codes: 0 ok, 64 usage, 69 sbatch failed, 73 the work folder cannot be written.
                """)

        @Argument(help: ArgumentHelp("The plan file (YAML).", valueName: "plan"))
        var plan: String

        @Option(help: ArgumentHelp("Array tasks: the plan's job list cut into this many shards.", valueName: "m"))
        var shards: Int

        @Option(help: ArgumentHelp("The output link the merge publishes.", valueName: "dir"))
        var output: String = "healthgap-output"

        @Option(
            name: .customLong("work-dir"),
            help: ArgumentHelp("Scripts, shards, status files and logs (default: DIR.slurm beside the output).", valueName: "dir")
        )
        var workDir: String?

        @Option(help: ArgumentHelp("The partition (sbatch --partition).", valueName: "p"))
        var partition: String?

        @Option(help: ArgumentHelp("Each job's time limit (sbatch --time, e.g. 1:00:00).", valueName: "t"))
        var time: String?

        @Option(help: ArgumentHelp("Each job's memory (sbatch --mem, e.g. 8G).", valueName: "m"))
        var mem: String?

        @Option(help: ArgumentHelp("Worker threads (and --cpus-per-task) of each array task.", valueName: "n"))
        var threads: Int = 1

        @Option(help: ArgumentHelp("The seed of the simulated SII limits (default: the plan's).", valueName: "n"))
        var seed: UInt64?

        @Option(help: ArgumentHelp("SII simulation repetitions (default: the plan's).", valueName: "n"))
        var repetitions: Int?

        @Option(
            name: .customLong("input"),
            help: ArgumentHelp("Read input NAME from FILE instead of the plan's file (repeatable).", valueName: "name=file"))
        var inputs: [String] = []

        @Option(
            name: .customLong("data-dir"),
            help: ArgumentHelp("The folder holding imd2019/ and lookups/, passed to every job.", valueName: "dir"))
        var dataDir: String?

        @Option(
            name: .customLong("healthgap"),
            help: ArgumentHelp("The healthgap binary the jobs run (default: this one).", valueName: "path"))
        var binary: String?

        @Flag(help: "Submit both jobs with sbatch and print their ids.")
        var submit = false

        func validate() throws {
            if shards < 1 { throw ValidationError("--shards must be at least 1") }
            if threads < 1 { throw ValidationError("--threads must be at least 1") }
            if let repetitions, repetitions < 1_000 {
                throw ValidationError("--repetitions must be at least 1000 (METHODS.md §6)")
            }
            _ = try inputOverrides(inputs)
        }

        func run() throws {
            let outputPath = absolute(output)
            let work = absolute(workDir ?? outputPath + ".slurm")
            let executable = absolute(binary ?? Bundle.main.executablePath ?? CommandLine.arguments[0])
            var shared: [String] = []
            for (name, file) in try inputOverrides(inputs).sorted(by: { $0.key < $1.key }) {
                shared += ["--input", "\(name)=\(absolute(file))"]
            }
            if let dataDir { shared += ["--data-dir", absolute(dataDir)] }
            var task = [executable, "run", absolute(plan), "--shard", "\(SlurmArrayJob.taskToken)/\(shards)"]
            task += ["--output", work + "/shards", "--threads", "\(threads)", "--quiet"]
            if let seed { task += ["--seed", "\(seed)"] }
            if let repetitions { task += ["--repetitions", "\(repetitions)"] }
            task += shared
            var merge = [executable, "merge", work + "/shards", "--output", outputPath]
            if let dataDir { merge += ["--data-dir", absolute(dataDir)] }
            let stem = URL(fileURLWithPath: plan).deletingPathExtension().lastPathComponent
            let job = SlurmArrayJob(
                name: "healthgap-" + stem, tasks: shards, workDirectory: work,
                submitDirectory: FileManager.default.currentDirectoryPath, taskCommand: task, mergeCommand: merge,
                partition: partition, time: time, memory: mem, cpusPerTask: threads)
            try reportingFailures {
                try job.write()
                print("wrote \(job.arrayScriptPath) (\(shards) tasks) and \(job.mergeScriptPath)")
                guard submit else {
                    print("submit: healthgap slurm \(plan) --shards \(shards) --output \(output) --submit")
                    print(
                        "   or: id=$(sbatch --parsable \(SlurmArrayJob.quote(job.arrayScriptPath))) && sbatch --dependency=afterok:$id \(SlurmArrayJob.quote(job.mergeScriptPath))"
                    )
                    return
                }
                let ids = try SlurmQueue.submit(workDirectory: work)
                print("array job \(ids.array) (\(shards) tasks), merge job \(ids.merge) after it")
                print("status: healthgap slurm status \(ids.array)")
            }
        }
    }

    /// Which tasks of an array succeeded, failed, are queued or were lost.
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Say which tasks of a healthgap slurm array failed, and how to rerun them.",
            discussion: """
                Reads each task's status file (status/K.exit: its exit code) and, for tasks without one, \
                squeue (pending or running); a task with neither was killed or lost. Exit codes: 0 every task \
                succeeded, 1 some failed or were lost, 3 some are still queued, 66 unknown job or folder.
                """)

        @Argument(help: ArgumentHelp("The array job's id, or the work folder.", valueName: "jobid|work-dir"))
        var job: String

        func run() throws {
            try reportingFailures {
                let work = try SlurmQueue.workDirectory(of: job)
                let state = try SlurmQueue.status(workDirectory: work)
                var failed = 0, queued = 0
                for (i, task) in state.tasks.enumerated() {
                    let text: String
                    switch task {
                    case .succeeded: text = "succeeded"
                    case .failed(let code):
                        text = "FAILED (exit \(code); log: \(work)/logs/task-\(i + 1)-job-*.out)"
                        failed += 1
                    case .queued(let code):
                        text = "queued (\(code))"
                        queued += 1
                    case .lost:
                        text = "LOST (no exit code and not queued: killed, timed out or never started)"
                        failed += 1
                    }
                    print("shard \(i + 1)/\(state.tasks.count): \(text)")
                }
                if let merge = state.merge { print("merge job \(merge.id): \(merge.state)") }
                if failed > 0 {
                    print("rerun the failed shards and merge: healthgap slurm resubmit \(SlurmArrayJob.quote(work))")
                    print(
                        "   or: id=$(sbatch --parsable --array=\(SlurmQueue.compress(state.rerun)) \(SlurmArrayJob.quote(work + "/array.sbatch"))) && sbatch --dependency=afterok:$id \(SlurmArrayJob.quote(work + "/merge.sbatch"))"
                    )
                    throw ExitCode(1)
                }
                if queued > 0 { throw ExitCode(3) }
            }
        }
    }

    /// Submits the failed and lost tasks again, and a merge after them.
    struct Resubmit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resubmit",
            abstract: "Submit again only the failed or lost tasks of a healthgap slurm array, and a new merge after them.",
            discussion: """
                Exit codes: 0 submitted, 66 unknown job or folder, 69 sbatch failed, 75 nothing to resubmit or \
                tasks still queued.
                """)

        @Argument(help: ArgumentHelp("The array job's id, or the work folder.", valueName: "jobid|work-dir"))
        var job: String

        func run() throws {
            try reportingFailures {
                let work = try SlurmQueue.workDirectory(of: job)
                let ids = try SlurmQueue.resubmit(workDirectory: work)
                print(
                    "array job \(ids.array) (shards \(SlurmQueue.compress(ids.tasks))), merge job \(ids.merge) after it")
            }
        }
    }
}

/// `path` made absolute against the current directory.
private func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }

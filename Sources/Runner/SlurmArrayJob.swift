import Foundation

/// A Slurm array job of M tasks and the merge job that depends on it, as two sbatch scripts.
///
/// The work folder holds `array.sbatch`, `merge.sbatch`, `jobs` (the ids submitted, one
/// `array ID TASKS` or `merge ID` line each), `shards/`, `status/` (each task writes its exit code to
/// `status/K.exit` as its last step, so which tasks failed is known without accounting and after
/// `MinJobAge`) and `logs/`. The commands are given, not built here: a plan's shards
/// (`healthgap run PLAN --shard {task}/M …`) and an experiment's replicates use the same scripts.
public struct SlurmArrayJob: Sendable, Equatable {
    /// The token in a task command's words replaced by the task's id (`$SLURM_ARRAY_TASK_ID`).
    public static let taskToken = "{task}"

    /// The job name (`healthgap-cheshire-and-merseyside`); the merge job adds `-merge`.
    public var name: String
    /// Array tasks, numbered 1…`tasks`.
    public var tasks: Int
    /// The work folder (absolute).
    public var workDirectory: String
    /// The folder each job starts in (absolute): relative paths in the commands are relative to it.
    public var submitDirectory: String
    /// The command of each task, word by word; `{task}` inside a word is the task's id.
    public var taskCommand: [String]
    /// The command of the merge job, word by word.
    public var mergeCommand: [String]
    /// `--partition`, when given.
    public var partition: String?
    /// `--time` (`1:00:00`), when given.
    public var time: String?
    /// `--mem` (`4G`), when given.
    public var memory: String?
    /// `--cpus-per-task` of each array task.
    public var cpusPerTask: Int

    /// A job description; everything but the options is required.
    public init(
        name: String, tasks: Int, workDirectory: String, submitDirectory: String, taskCommand: [String],
        mergeCommand: [String], partition: String? = nil, time: String? = nil, memory: String? = nil, cpusPerTask: Int = 1
    ) {
        self.name = name
        self.tasks = tasks
        self.workDirectory = workDirectory
        self.submitDirectory = submitDirectory
        self.taskCommand = taskCommand
        self.mergeCommand = mergeCommand
        self.partition = partition
        self.time = time
        self.memory = memory
        self.cpusPerTask = cpusPerTask
    }

    /// `WORK/array.sbatch`.
    public var arrayScriptPath: String { workDirectory + "/array.sbatch" }
    /// `WORK/merge.sbatch`.
    public var mergeScriptPath: String { workDirectory + "/merge.sbatch" }
    /// `WORK/shards`.
    public var shardsDirectory: String { workDirectory + "/shards" }
    /// `WORK/status`.
    public var statusDirectory: String { workDirectory + "/status" }
    /// `WORK/logs`.
    public var logsDirectory: String { workDirectory + "/logs" }
    /// `WORK/jobs`.
    public var jobsFile: String { workDirectory + "/jobs" }

    /// The array job's script: `--array=1-M`, one task per shard, each recording its exit code.
    public func arrayScript() -> String {
        var lines = ["#!/bin/bash", "#SBATCH --job-name=\(name)", "#SBATCH --array=1-\(tasks)"]
        lines.append("#SBATCH --output=\(logsDirectory)/task-%a-job-%A.out")
        lines.append("#SBATCH --cpus-per-task=\(cpusPerTask)")
        lines += options()
        lines += [
            "# Written by healthgap slurm. Task K computes shard K of \(tasks) and, as its last step, writes",
            "# its exit code to status/K.exit (no file: the task was killed, or has not ended).",
            "# Rerun some tasks: sbatch --parsable --array=3,5 \(Self.quote(arrayScriptPath))",
            "# then the merge:   sbatch --dependency=afterok:ID \(Self.quote(mergeScriptPath))",
            "cd \(Self.quote(submitDirectory)) || exit 1",
            "status=\(Self.quote(statusDirectory))",
            "mkdir -p \"$status\"",
            "rm -f \"$status/$SLURM_ARRAY_TASK_ID.exit\"",
            taskCommand.map(Self.quoteTask).joined(separator: " "),
            "code=$?",
            "echo \"$code\" >\"$status/$SLURM_ARRAY_TASK_ID.exit.$$\" && mv -f \"$status/$SLURM_ARRAY_TASK_ID.exit.$$\" \"$status/$SLURM_ARRAY_TASK_ID.exit\"",
            "exit \"$code\"",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The merge job's script (submitted with `--dependency=afterok:ARRAY`).
    public func mergeScript() -> String {
        var lines = ["#!/bin/bash", "#SBATCH --job-name=\(name)-merge"]
        lines.append("#SBATCH --output=\(logsDirectory)/merge-job-%j.out")
        lines.append("#SBATCH --cpus-per-task=1")
        lines += options()
        lines += [
            "# Written by healthgap slurm. Runs only when every array task succeeded (afterok); a failed task",
            "# cancels it (DependencyNeverSatisfied), and nothing is published.",
            "cd \(Self.quote(submitDirectory)) || exit 1",
            "exec " + mergeCommand.map(Self.quote).joined(separator: " "),
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes both scripts and creates the work folder's subfolders.
    ///
    /// - Throws: `SlurmError.cannotWrite`.
    public func write() throws(SlurmError) {
        do {
            for folder in [shardsDirectory, statusDirectory, logsDirectory] {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
            try Data(arrayScript().utf8).write(to: URL(fileURLWithPath: arrayScriptPath))
            try Data(mergeScript().utf8).write(to: URL(fileURLWithPath: mergeScriptPath))
            try Data(Self.settings(self).utf8).write(to: URL(fileURLWithPath: workDirectory + "/tasks"))
        } catch {
            throw .cannotWrite(path: workDirectory, reason: error.localizedDescription)
        }
    }

    /// `tasks`: the task count, for `status` and `resubmit`.
    static func settings(_ job: SlurmArrayJob) -> String { "\(job.tasks)\n" }

    private func options() -> [String] {
        var lines: [String] = []
        if let partition { lines.append("#SBATCH --partition=\(partition)") }
        if let time { lines.append("#SBATCH --time=\(time)") }
        if let memory { lines.append("#SBATCH --mem=\(memory)") }
        return lines
    }

    /// A word for the shell, in single quotes unless it is plainly safe.
    public static func quote(_ word: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%")
        if !word.isEmpty && word.allSatisfy({ safe.contains($0) }) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// A task command's word: quoted, with `{task}` as `"$SLURM_ARRAY_TASK_ID"`.
    static func quoteTask(_ word: String) -> String {
        let parts = word.components(separatedBy: taskToken)
        guard parts.count > 1 else { return quote(word) }
        return parts.map { $0.isEmpty ? "" : quote($0) }.joined(separator: "\"$SLURM_ARRAY_TASK_ID\"")
    }
}

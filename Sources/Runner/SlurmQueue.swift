import Foundation

/// A Slurm step that failed: exit 69 when Slurm's commands fail, 73 when the work folder cannot be
/// written, 66 when it cannot be found.
public enum SlurmError: Error, Sendable, CustomStringConvertible {
    /// The work folder or a script cannot be written.
    case cannotWrite(path: String, reason: String)
    /// `sbatch`, `squeue` or `scontrol` failed or is missing.
    case command(String, reason: String)
    /// The job or work folder is unknown.
    case unknown(String)
    /// Nothing to resubmit, or the merge is still waiting.
    case nothingToDo(String)

    /// The sysexits code.
    public var exitCode: Int32 {
        switch self {
        case .cannotWrite: return 73
        case .command: return 69
        case .unknown: return 66
        case .nothingToDo: return 75
        }
    }

    /// The message.
    public var description: String {
        switch self {
        case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
        case .command(let command, let reason): return "\(command) failed: \(reason)"
        case .unknown(let what): return what
        case .nothingToDo(let what): return what
        }
    }
}

/// What became of one array task.
public enum SlurmTaskState: Sendable, Equatable {
    /// Exited 0 (its status file says so).
    case succeeded
    /// Exited with this code.
    case failed(Int)
    /// Pending or running (`squeue`), with Slurm's state code (`PD`, `R`).
    case queued(String)
    /// No status file and not in the queue: killed (time limit, `scancel`, node failure) or never started.
    case lost

    /// Whether resubmitting the task is what to do.
    public var needsRerun: Bool {
        switch self {
        case .failed, .lost: return true
        case .succeeded, .queued: return false
        }
    }
}

/// The array and merge jobs of a work folder, as Slurm and the tasks' status files see them.
public struct SlurmStatus: Sendable {
    /// The work folder.
    public var workDirectory: String
    /// Each task's state, tasks 1…M.
    public var tasks: [SlurmTaskState]
    /// Array job ids submitted, oldest first.
    public var arrayJobs: [String]
    /// The newest merge job's id and its state (`PD`, `R`, `COMPLETED`, `CANCELLED`, or `gone` when Slurm forgot it).
    public var merge: (id: String, state: String)?

    /// Tasks to run again (failed or lost), ascending.
    public var rerun: [Int] { tasks.indices.filter { tasks[$0].needsRerun }.map { $0 + 1 } }
}

/// `sbatch`, `squeue` and `scontrol` for `healthgap slurm`: submitting an array and its merge, the
/// state of each task (status files first, the queue for what has not ended), and resubmitting.
public enum SlurmQueue {
    /// Submits the array job, then the merge job after it (`afterok`); records both in `jobs`.
    ///
    /// - Parameter tasks: the tasks to run (nil: the script's `1-M`).
    /// - Returns: the array job's id and the merge job's id.
    /// - Throws: `SlurmError.command` when sbatch fails.
    public static func submit(workDirectory: String, tasks: [Int]? = nil) throws(SlurmError) -> (array: String, merge: String) {
        let array = workDirectory + "/array.sbatch", merge = workDirectory + "/merge.sbatch"
        let list = tasks.map { compress($0) }
        var arguments = ["--parsable"]
        if let list { arguments.append("--array=\(list)") }
        let arrayID = try jobID(sbatch: arguments + [array])
        let mergeID: String
        do {
            mergeID = try jobID(sbatch: ["--parsable", "--dependency=afterok:\(arrayID)", "--kill-on-invalid-dep=yes", merge])
        } catch {
            _ = try? run("scancel", [arrayID])
            throw error
        }
        let line = "array \(arrayID) \(list ?? "all")\nmerge \(mergeID)\n"
        let handle = FileHandle(forWritingAtPath: workDirectory + "/jobs")
        if let handle {
            handle.seekToEndOfFile()
            handle.write(Data(line.utf8))
            try? handle.close()
        } else {
            guard FileManager.default.createFile(atPath: workDirectory + "/jobs", contents: Data(line.utf8)) else {
                throw .cannotWrite(path: workDirectory + "/jobs", reason: "cannot create the file")
            }
        }
        return (arrayID, mergeID)
    }

    /// The work folder of a job id (`scontrol show job`: the script's folder), or `argument` itself when
    /// it is a work folder.
    ///
    /// - Throws: `SlurmError.unknown` when it is neither.
    public static func workDirectory(of argument: String) throws(SlurmError) -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory), isDirectory.boolValue {
            guard FileManager.default.fileExists(atPath: argument + "/array.sbatch") else {
                throw .unknown("\(argument) is not a work folder of healthgap slurm (it has no array.sbatch)")
            }
            return URL(fileURLWithPath: argument).standardizedFileURL.path
        }
        guard argument.allSatisfy(\.isNumber), !argument.isEmpty else {
            throw .unknown("\(argument) is neither a job id nor a work folder of healthgap slurm")
        }
        guard let (status, text) = try? run("scontrol", ["-o", "show", "job", argument]), status == 0,
            let command = field("Command", in: text)
        else {
            throw .unknown(
                "Slurm does not know job \(argument) (ended more than MinJobAge ago?); give the work folder instead (OUTPUT.slurm)"
            )
        }
        return URL(fileURLWithPath: command).deletingLastPathComponent().path
    }

    /// Each task's state: its status file if it has one, else the queue.
    ///
    /// - Throws: `SlurmError.unknown` for a folder without its `tasks` file.
    public static func status(workDirectory: String) throws(SlurmError) -> SlurmStatus {
        guard let text = try? String(contentsOfFile: workDirectory + "/tasks", encoding: .utf8),
            let count = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else { throw .unknown("\(workDirectory) has no tasks file: not a work folder of healthgap slurm") }
        let jobs = (try? String(contentsOfFile: workDirectory + "/jobs", encoding: .utf8)) ?? ""
        var arrays: [String] = []
        var merge: String?
        for line in jobs.split(separator: "\n") {
            let words = line.split(separator: " ").map(String.init)
            if words.count >= 2 && words[0] == "array" { arrays.append(words[1]) }
            if words.count >= 2 && words[0] == "merge" { merge = words[1] }
        }
        var queued: [Int: String] = [:]
        if !arrays.isEmpty, let (code, out) = try? run("squeue", ["-h", "-j", arrays.joined(separator: ","), "-o", "%K %t"]),
            code == 0
        {
            for line in out.split(separator: "\n") {
                let words = line.split(separator: " ").map(String.init)
                guard words.count == 2 else { continue }
                for task in expand(words[0]) where task >= 1 && task <= count { queued[task] = words[1] }
            }
        }
        var tasks: [SlurmTaskState] = []
        for task in 1...max(count, 1) {
            let file = workDirectory + "/status/\(task).exit"
            if let text = try? String(contentsOfFile: file, encoding: .utf8),
                let code = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                tasks.append(code == 0 ? .succeeded : .failed(code))
            } else if let state = queued[task] {
                tasks.append(.queued(state))
            } else {
                tasks.append(.lost)
            }
        }
        var mergeState: (id: String, state: String)?
        if let merge {
            if let (code, out) = try? run("scontrol", ["-o", "show", "job", merge]), code == 0,
                let state = field("JobState", in: out)
            {
                mergeState = (merge, state)
            } else {
                mergeState = (merge, "gone")
            }
        }
        return SlurmStatus(workDirectory: workDirectory, tasks: tasks, arrayJobs: arrays, merge: mergeState)
    }

    /// Resubmits the failed and lost tasks and a new merge after them.
    ///
    /// - Throws: `SlurmError.nothingToDo` when no task failed or some are still queued.
    public static func resubmit(workDirectory: String) throws(SlurmError) -> (tasks: [Int], array: String, merge: String) {
        let state = try status(workDirectory: workDirectory)
        if state.tasks.contains(where: { if case .queued = $0 { return true } else { return false } }) {
            throw .nothingToDo("some tasks are still pending or running; resubmit once they have ended")
        }
        let rerun = state.rerun
        guard !rerun.isEmpty else {
            throw .nothingToDo(
                "every task succeeded: nothing to resubmit (merge: healthgap merge \(workDirectory)/shards --output …)")
        }
        let ids = try submit(workDirectory: workDirectory, tasks: rerun)
        return (rerun, ids.array, ids.merge)
    }

    /// `1-3,5,7-8`.
    public static func compress(_ tasks: [Int]) -> String {
        var parts: [String] = []
        var i = 0
        let sorted = tasks.sorted()
        while i < sorted.count {
            var j = i
            while j + 1 < sorted.count && sorted[j + 1] == sorted[j] + 1 { j += 1 }
            parts.append(i == j ? "\(sorted[i])" : "\(sorted[i])-\(sorted[j])")
            i = j + 1
        }
        return parts.joined(separator: ",")
    }

    /// Task ids of squeue's `%K`: `3`, `1-4`, `[5-8%2]`, `2,4-6`, `1-7:2`.
    static func expand(_ text: String) -> [Int] {
        var out: [Int] = []
        let body = text.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let list = body.split(separator: "%").first.map(String.init) ?? body
        for part in list.split(separator: ",") {
            let stepParts = part.split(separator: ":")
            let step = stepParts.count == 2 ? max(1, Int(stepParts[1]) ?? 1) : 1
            let bounds = stepParts[0].split(separator: "-").compactMap { Int($0) }
            if bounds.count == 1 {
                out.append(bounds[0])
            } else if bounds.count == 2, bounds[0] <= bounds[1] {
                out += stride(from: bounds[0], through: bounds[1], by: step)
            }
        }
        return out
    }

    /// `KEY=value` from `scontrol -o` output (the first occurrence).
    static func field(_ key: String, in text: String) -> String? {
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) where word.hasPrefix(key + "=") {
            return String(word.dropFirst(key.count + 1))
        }
        return nil
    }

    /// `sbatch ARGUMENTS`'s job id (`--parsable`: `ID` or `ID;CLUSTER`).
    private static func jobID(sbatch arguments: [String]) throws(SlurmError) -> String {
        let result: (Int32, String)
        do {
            result = try run("sbatch", arguments)
        } catch {
            throw .command("sbatch", reason: "\(error)")
        }
        let (code, out) = result
        let ids = out.split(separator: "\n").compactMap { $0.split(separator: ";").first.map(String.init) }
        let id = ids.last { !$0.isEmpty && $0.allSatisfy(\.isNumber) } ?? ""
        guard code == 0, !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw .command("sbatch \(arguments.joined(separator: " "))", reason: "exit \(code): \(out.prefix(300))")
        }
        return id
    }

    /// Runs a Slurm command found on `PATH`; its exit status and standard output (with standard error).
    private static func run(_ tool: String, _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

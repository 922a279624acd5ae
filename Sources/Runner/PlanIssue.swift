/// One mistake in a plan file, with where it is: the plan's line and column (from 1).
///
/// `healthgap plan check` and `healthgap run` report every issue of a plan at once, each as
/// `plan.yaml:12:5: error: …`, the form editors and terminals link to.
import Areas
import Ingest
import Results

public struct PlanIssue: Sendable, Equatable, CustomStringConvertible {
    /// The plan file, as the user named it.
    public var file: String
    /// Line in the plan file (1-based); 0 when the problem is the file as a whole.
    public var line: Int
    /// Column in the plan file (1-based); 0 when unknown.
    public var column: Int
    /// What is wrong and what would be right.
    public var message: String

    /// Creates an issue.
    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: error: message`.
    public var description: String {
        let place = line > 0 ? (column > 0 ? "\(file):\(line):\(column)" : "\(file):\(line)") : file
        return "\(place): error: \(message)"
    }
}

/// A failed `healthgap run` or `healthgap plan`, with the exit code the command-line tool reports.
///
/// Exit codes (sysexits): 64 usage, 65 bad input data, 66 unreadable input, 70 a job failed
/// (or an internal error), 66 an input the plan names cannot be read, 73 an output that cannot be written, 75 another run holds the output's
/// lock, 78 a bad plan.
public enum RunnerError: Error, Sendable, CustomStringConvertible {
    /// The plan has mistakes (all of them, in plan order): exit 78.
    case plan([PlanIssue])
    /// Reading or aggregating an input failed (bad data 65, unreadable 66, usage 64).
    case pipeline(InputError)
    /// A compute job threw: exit 70. Names the job.
    case jobFailed(job: String, message: String)
    /// The output directory cannot be staged or published: exit 73.
    case output(path: String, reason: String)
    /// Another run is publishing to the same output: exit 75.
    case busy(lock: String)
    /// An input named in the plan cannot be read (each with its plan line): exit 66.
    case unreadableInput([PlanIssue])

    /// The sysexits code.
    public var exitCode: Int32 {
        switch self {
        case .plan: return 78
        case .pipeline(let error): return error.exitCode
        case .jobFailed: return 70
        case .output: return 73
        case .busy: return 75
        case .unreadableInput: return 66
        }
    }

    /// The message a user sees (one line per plan issue).
    public var description: String {
        switch self {
        case .plan(let issues), .unreadableInput(let issues):
            return issues.map(\.description).joined(separator: "\n")
        case .pipeline(let error):
            return error.description
        case .jobFailed(let job, let message):
            return "job \(job) failed: \(message)"
        case .output(let path, let reason):
            return "cannot write the outputs at \(path): \(reason)"
        case .busy(let lock):
            return "another healthgap run is writing these outputs (it holds \(lock)); try again when it has finished"
        }
    }
}

import Areas

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
    /// The plan file itself cannot be read: exit 66.
    case unreadablePlan(path: String, reason: String)

    /// The sysexits code.
    public var exitCode: Int32 {
        switch self {
        case .plan: return 78
        case .pipeline(let error): return error.exitCode
        case .jobFailed: return 70
        case .output: return 73
        case .busy: return 75
        case .unreadableInput, .unreadablePlan: return 66
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
        case .unreadablePlan(let path, let reason):
            return "cannot read the plan \(path): \(reason); check the path (relative paths start at the current folder)"
        case .busy(let lock):
            return "another healthgap run is writing these outputs (it holds \(lock)); try again when it has finished"
        }
    }
}

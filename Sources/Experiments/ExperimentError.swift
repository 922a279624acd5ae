import Areas
import Runner

/// A failed `healthgap experiment`, with the exit code the command-line tool reports for it.
public enum ExperimentError: Error, Sendable, CustomStringConvertible {
    /// The experiment file has mistakes (all of them, in file order): exit 78.
    case experiment([PlanIssue])
    /// The experiment file or a shard file cannot be read: exit 66.
    case unreadable(path: String, reason: String)
    /// The lookups or population files failed to load: their own code.
    case input(InputError)
    /// Shards that cannot be merged (different experiments, missing, doubled or half-written): exit 65.
    case shards(String)
    /// Staging or publishing the outputs failed, or another run holds them: the runner's code (73, 75).
    case output(RunnerError)

    /// The sysexits code.
    public var exitCode: Int32 {
        switch self {
        case .experiment: return 78
        case .unreadable: return 66
        case .input(let error): return error.exitCode
        case .shards: return 65
        case .output(let error): return error.exitCode
        }
    }

    /// The message a user sees (one line per issue of the file).
    public var description: String {
        switch self {
        case .experiment(let issues): return issues.map(\.description).joined(separator: "\n")
        case .unreadable(let path, let reason): return "cannot read \(path): \(reason)"
        case .input(let error): return error.description
        case .shards(let message): return "cannot merge the shards: \(message)"
        case .output(let error): return error.description
        }
    }
}

/// Why `healthgap merge` refused its shards; nothing is published. Exit 65 for shards that do not
/// make one run (a different plan, inputs or seed; a missing, doubled or half-written shard), 66
/// when no shard file can be read.
public enum MergeError: Error, Sendable, CustomStringConvertible {
    /// No shard file in the folders given: exit 66.
    case noShards([String])
    /// A shard file cannot be read: exit 66.
    case unreadable(path: String, reason: String)
    /// A shard file is cut short, damaged or not a shard file: exit 65.
    case incomplete(path: String, reason: String)
    /// Two shards come from different plans, inputs, seeds or settings: exit 65.
    case mismatch(what: String, first: String, other: String, detail: String)
    /// Jobs no shard holds: exit 65.
    case missing(jobs: Range<Int>, total: Int, hint: String)
    /// Jobs two shards hold: exit 65.
    case doubled(first: String, other: String, jobs: Range<Int>)
    /// The plan, inputs or lookups changed since the shards were computed: exit 65.
    case changed(detail: String)
    /// Preparing the run or publishing failed (the plan cannot be read, the output is busy, …): its own exit code.
    case run(RunnerError)

    /// The sysexits code.
    public var exitCode: Int32 {
        switch self {
        case .noShards, .unreadable: return 66
        case .run(let error): return error.exitCode
        default: return 65
        }
    }

    /// The message a user sees.
    public var description: String {
        switch self {
        case .noShards(let folders):
            return "no shard files (*.\(ShardFile.fileExtension)) in \(folders.joined(separator: ", "))"
        case .unreadable(let path, let reason):
            return "cannot read the shard file \(path): \(reason)"
        case .incomplete(let path, let reason):
            return "the shard file \(path) is incomplete: \(reason); compute that shard again"
        case .mismatch(let what, let first, let other, let detail):
            return "the shards are not of one run: \(first) and \(other) differ in their \(what) (\(detail))"
        case .missing(let jobs, let total, let hint):
            let which = jobs.count == 1 ? "job \(jobs.lowerBound + 1)" : "jobs \(jobs.lowerBound + 1)-\(jobs.upperBound)"
            return "\(which) of \(total) are in no shard\(hint.isEmpty ? "" : " (\(hint))")"
        case .doubled(let first, let other, let jobs):
            let which = jobs.count == 1 ? "job \(jobs.lowerBound + 1)" : "jobs \(jobs.lowerBound + 1)-\(jobs.upperBound)"
            return "\(which) are in two shards: \(first) and \(other); give each shard once"
        case .changed(let detail):
            return "the shards do not match the plan and inputs as they are now: \(detail); compute the shards again"
        case .run(let error):
            return error.description
        }
    }
}

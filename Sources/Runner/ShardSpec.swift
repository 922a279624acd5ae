/// Which part of a plan's job list one shard computes: the K-th of M contiguous ranges.
///
/// Shard K of M over n jobs is `(K−1)·n/M ..< K·n/M` (integer division): the ranges tile the job
/// list in order, differ in length by at most one, and depend only on n, K and M. Jobs draw from
/// fixed SII streams, so a shard's records are those of the same jobs in an unsharded run.
public struct ShardSpec: Sendable, Equatable, CustomStringConvertible {
    /// The shard's number, 1…`count`.
    public let index: Int
    /// How many shards the job list is split into.
    public let count: Int

    /// A shard; nil unless 1 ≤ `index` ≤ `count`.
    public init?(index: Int, count: Int) {
        guard count >= 1, index >= 1, index <= count else { return nil }
        self.index = index
        self.count = count
    }

    /// Reads `K/M` (`3/8`).
    ///
    /// - Throws: `ShardSpecError.malformed` for anything else, or K outside 1…M.
    public init(parsing text: String) throws(ShardSpecError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let m = Int(parts[1]), let spec = ShardSpec(index: k, count: m)
        else { throw .malformed(text) }
        self = spec
    }

    /// The shard of a Slurm array task: `SLURM_ARRAY_TASK_ID` counted from `SLURM_ARRAY_TASK_MIN` in
    /// steps of `SLURM_ARRAY_TASK_STEP` (default 1), of `SLURM_ARRAY_TASK_COUNT` tasks.
    ///
    /// An array `--array=0-14:2` has tasks 0, 2, …, 14: task 6 is shard 4 of 8. A resubmitted subset
    /// (`--array=3`) has a count of 1, so its tasks must be given `--shard ID/M` explicitly.
    ///
    /// - Throws: `ShardSpecError.slurm` naming the variable that is missing or inconsistent.
    public init(slurmEnvironment environment: [String: String]) throws(ShardSpecError) {
        func number(_ name: String, default value: Int? = nil) throws(ShardSpecError) -> Int {
            guard let text = environment[name], !text.isEmpty else {
                if let value { return value }
                throw .slurm("\(name) is not set (not inside a Slurm array task?)")
            }
            guard let n = Int(text) else { throw .slurm("\(name)=\(text) is not a whole number") }
            return n
        }
        let id = try number("SLURM_ARRAY_TASK_ID")
        let count = try number("SLURM_ARRAY_TASK_COUNT")
        let minimum = try number("SLURM_ARRAY_TASK_MIN", default: id)
        let step = try number("SLURM_ARRAY_TASK_STEP", default: 1)
        guard step >= 1, id >= minimum, (id - minimum) % step == 0 else {
            throw .slurm(
                "SLURM_ARRAY_TASK_ID=\(id) is not SLURM_ARRAY_TASK_MIN=\(minimum) plus a multiple of SLURM_ARRAY_TASK_STEP=\(step)"
            )
        }
        guard let spec = ShardSpec(index: (id - minimum) / step + 1, count: count) else {
            throw .slurm(
                "task \(id) is shard \((id - minimum) / step + 1) but SLURM_ARRAY_TASK_COUNT=\(count); an array with gaps or a resubmitted subset needs --shard ID/M"
            )
        }
        self = spec
    }

    /// The positions in a job list of `jobs` jobs this shard computes.
    public func range(jobs: Int) -> Range<Int> { (index - 1) * jobs / count..<index * jobs / count }

    /// `3/8`.
    public var description: String { "\(index)/\(count)" }

    /// The shard file's name: `shard-0003-of-0008.hgshard` (so names sort in shard order).
    public var fileName: String {
        let width = max(4, String(count).count)
        func padded(_ n: Int) -> String {
            let text = String(n)
            return String(repeating: "0", count: width - text.count) + text
        }
        return "shard-\(padded(index))-of-\(padded(count)).\(ShardFile.fileExtension)"
    }
}

/// A `--shard` value that cannot be used: exit 64.
public enum ShardSpecError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not `K/M` with 1 ≤ K ≤ M.
    case malformed(String)
    /// The Slurm array variables are missing or inconsistent.
    case slurm(String)

    /// The message.
    public var description: String {
        switch self {
        case .malformed(let text):
            return "--shard: '\(text)' is not K/M with 1 ≤ K ≤ M (e.g. 3/8), nor 'slurm' (inside an array task)"
        case .slurm(let reason): return "--shard slurm: \(reason)"
        }
    }
}

import Indicators

/// An output of a run made from its records: `results.csv`, the area tables, and any later one
/// (report, history store, shard file). The runner hands every consumer the same records in job
/// order, then asks each for the files it wrote into the staging folder; all of them are published
/// together in one atomic step, and the manifest lists every file with its rows and SHA-256.
///
/// To add an output: write a type conforming to this protocol, and add it where the runner builds
/// its consumers (`Runner/Consumers.swift`).
public protocol ResultConsumer: AnyObject {
    /// Prepares the consumer's files inside the staging folder, before any record.
    func begin(staging: String, run: RunDescription) throws(ConsumerError)
    /// Takes the next records, in job order (a job's records are never split between calls).
    func consume(_ records: [ResultRecord]) throws(ConsumerError)
    /// Completes every file; returns their paths relative to the staging folder and their data rows.
    func finish() throws(ConsumerError) -> [WrittenFile]
    /// Makes what the consumer wrote outside the staging folder (a history store's transaction) final.
    /// Called once every consumer has finished, right before the staging folder is published: a
    /// consumer that throws here stops the publish.
    func commit() throws(ConsumerError)
    /// Undoes what `commit` would have made final: the run failed before publishing.
    func rollback()
}

extension ResultConsumer {
    /// Nothing outside the staging folder to commit.
    public func commit() throws(ConsumerError) {}
    /// Nothing outside the staging folder to undo.
    public func rollback() {}
}

/// What a consumer needs to know about the run as a whole.
public struct RunDescription: Sendable {
    /// The confidence levels of the run's limit columns, ascending as the plan lists them.
    public var levels: [ConfidenceLevel]
    /// The plan's name.
    public var planName: String
    /// The run's identity, for stores that keep every run (empty where the caller has none).
    public var identity = RunIdentity()
    /// The area tables a gap decomposition (an `le_gap_decomposition` indicator) writes into, by
    /// breakdown: the breakdowns its most-against-least comparisons use, and `none` (the
    /// `…_whole-area.csv` tables) for a comparison with a benchmark. These tables, and the long
    /// table of such a run, have the `cause` column (`ResultsCSV`); every other table is as before.
    public var causeTables: Set<DeprivationScheme> = []

    /// Whether the run's long table has the `cause` column (the run decomposes a gap).
    public var causes: Bool { !causeTables.isEmpty }

    /// Creates a description.
    public init(levels: [ConfidenceLevel], planName: String) {
        self.levels = levels
        self.planName = planName
    }
}

/// What identifies a run in a history: version, hashes, seed and start time (as in `manifest.json`).
public struct RunIdentity: Sendable, Equatable {
    /// The tool's version.
    public var toolVersion = ""
    /// The run's fingerprint (plan, inputs, lookups, seed, repetitions and version, hashed).
    public var fingerprint = ""
    /// The plan file's SHA-256.
    public var planSHA256 = ""
    /// Each input's SHA-256, by input name.
    public var inputSHA256: [String: String] = [:]
    /// The SII streams' seed.
    public var seed: UInt64 = 0
    /// When the run started, in seconds since 1970-01-01 UTC (0: unknown).
    public var startedAt = 0.0

    /// Creates an identity; every field defaults to empty.
    public init(
        toolVersion: String = "", fingerprint: String = "", planSHA256: String = "",
        inputSHA256: [String: String] = [:], seed: UInt64 = 0, startedAt: Double = 0
    ) {
        self.toolVersion = toolVersion
        self.fingerprint = fingerprint
        self.planSHA256 = planSHA256
        self.inputSHA256 = inputSHA256
        self.seed = seed
        self.startedAt = startedAt
    }
}

/// A file a consumer wrote: its path relative to the staging folder, and its data rows.
public struct WrittenFile: Sendable, Equatable {
    /// `results.csv`, `tables/place_liverpool_by-local-decile.csv`, …
    public var name: String
    /// Data rows (or records) in the file.
    public var rows: Int

    /// Creates an entry.
    public init(name: String, rows: Int) {
        self.name = name
        self.rows = rows
    }
}

/// A consumer could not write its output: the path and the reason (exit 73).
public struct ConsumerError: Error, Sendable, CustomStringConvertible {
    /// The file or folder.
    public var path: String
    /// What went wrong.
    public var reason: String

    /// Creates the error.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// `cannot write PATH: REASON`.
    public var description: String { "cannot write \(path): \(reason)" }
}

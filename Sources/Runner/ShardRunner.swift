import Foundation
import Logging
import Results

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a shard run wrote.
public struct ShardSummary: Sendable {
    /// The shard file.
    public var path: String
    /// Which shard.
    public var shard: ShardSpec
    /// The jobs it computed (0-based positions in the job list).
    public var jobs: Range<Int>
    /// Jobs in the whole plan.
    public var totalJobs: Int
    /// Records written.
    public var records: Int
    /// Seconds per stage, in stage order.
    public var timings: [(stage: String, seconds: Double)]
    /// Warnings (the run's: rejected rows, areas too small for local deciles).
    public var warnings: [String]
}

extension BatchRunner {
    /// Computes one shard of a plan (`healthgap run PLAN --shard K/M`): prepares and aggregates the
    /// run as `run` does, computes the shard's range of the job list, and writes the records with the
    /// run's fingerprint, manifest entries and warnings to `request.output/shard-K-of-M.hgshard`.
    ///
    /// The file appears under its name only once complete (temporary name, `fsync`, rename). Shard 1
    /// also keeps the run's rejects files beside it, for the merge to publish.
    ///
    /// - Throws: `RunnerError` as `run` does; the shard file is then absent.
    public static func runShard(_ request: RunRequest, shard: ShardSpec, logger: Logger) throws(RunnerError)
        -> ShardSummary
    {
        let clock = StageClock()
        let prepared = try PreparedRun(request, logger: logger, clock: clock)
        let directory = request.output
        if (try? FileManager.default.destinationOfSymbolicLink(atPath: directory)) != nil {
            throw .output(
                path: directory,
                reason:
                    "\(directory) is the link to a published run; give --output a folder for shard files (e.g. \(directory).shards)"
            )
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .output(path: directory, reason: "cannot create the shard folder: \(error.localizedDescription)")
        }
        let total = prepared.resolved.jobs.count
        let range = shard.range(jobs: total)
        logger.info("shard \(shard) of \(request.plan): jobs \(range.lowerBound + 1)-\(range.upperBound) of \(total)")
        let staging = directory + "/.staging-\(shard.index)-of-\(shard.count)-\(getpid())"
        do {
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        } catch {
            throw .output(path: directory, reason: "cannot create \(staging): \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(atPath: staging) }

        let aggregated = try AggregatedRun(prepared, staging: staging, logger: logger, clock: clock)
        let rejects = try keepRejects(aggregated, shard: shard, staging: staging, directory: directory)
        let fingerprint = prepared.fingerprint
        let header = ShardHeader(
            format: ShardHeader.currentFormat, toolVersion: request.toolVersion, planPath: absolute(request.plan),
            planName: prepared.plan.name, planSHA256: fingerprint.plan, fingerprint: fingerprint.value,
            inputHashes: fingerprint.inputs.mapValues(\.hex),
            lookupHashes: Dictionary(fingerprint.lookups.map { ($0.name, $0.hex) }, uniquingKeysWith: { a, _ in a }),
            inputFiles: request.inputFiles.mapValues(absolute), seed: prepared.seed, repetitions: prepared.repetitions,
            shard: shard.index, shardCount: shard.count, firstJob: range.lowerBound, endJob: range.upperBound,
            totalJobs: total, threads: request.threads, inputs: aggregated.manifestInputs(), warnings: aggregated.warnings,
            rejects: rejects)
        let writer = ShardFileWriter(header: header, directory: directory, name: shard.fileName)
        let outputs = RunOutputs(prepared, staging: staging, only: [writer])
        try outputs.begin()
        var written = false
        defer { if !written { writer.rollback() } }
        try aggregated.compute(jobs: range, into: outputs, clock: clock)
        clock.record("compute", seconds: outputs.computeSeconds)
        clock.mark()
        do {
            _ = try writer.finish()
        } catch {
            throw .output(path: error.path, reason: error.reason)
        }
        written = true
        clock.lap("write")
        return ShardSummary(
            path: directory + "/" + shard.fileName, shard: shard, jobs: range, totalJobs: total, records: outputs.records,
            timings: clock.laps, warnings: aggregated.warnings)
    }

    /// Shard 1 moves the run's rejects files beside its shard file (others drop theirs: the same rows).
    private static func keepRejects(_ aggregated: AggregatedRun, shard: ShardSpec, staging: String, directory: String)
        throws(RunnerError) -> [ShardRejects]
    {
        guard shard.index == 1 else { return [] }
        var kept: [ShardRejects] = []
        let stem = String(shard.fileName.dropLast(ShardFile.fileExtension.count + 1))
        for (source, cube) in zip(aggregated.prepared.resolved.sources, aggregated.cubes)
        where source.input.onError == .reject {
            let name = "rejects-\(source.input.name).csv"
            let from = staging + "/" + name
            guard FileManager.default.fileExists(atPath: from), !kept.contains(where: { $0.name == name }) else { continue }
            let file = stem + "." + name
            guard rename(from, directory + "/" + file) == 0 else {
                throw .output(path: directory + "/" + file, reason: String(cString: strerror(errno)))
            }
            let digest: (hex: String, bytes: Int)
            do {
                digest = try FileDigest.sha256(file: directory + "/" + file)
            } catch {
                throw .output(path: directory + "/" + file, reason: error.description)
            }
            kept.append(ShardRejects(name: name, rows: cube.rejected, file: file, sha256: digest.hex))
        }
        return kept
    }

    /// `path` made absolute against the current directory.
    static func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }
}

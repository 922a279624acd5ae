import Areas
import Foundation
import Logging
import Results

/// What `healthgap merge` needs besides the shards: where to publish, the lookups, the tool's version
/// and the extra consumers of a run (the same as `RunRequest`'s).
public struct MergeRequest: Sendable {
    /// Shard files, or folders holding them (`*.hgshard`).
    public var shards: [String]
    /// The published output link.
    public var output: String
    /// Where the IMD and lookup files are.
    public var data: DataDirectory
    /// The tool's version (must be the shards').
    public var toolVersion: String
    /// The outputs beyond `results.csv` and the area tables, as for `run`.
    public var consumers: @Sendable (Plan) -> [any ResultConsumer] = { _ in [] }

    /// Creates a request.
    public init(shards: [String], output: String, data: DataDirectory, toolVersion: String) {
        self.shards = shards
        self.output = output
        self.data = data
        self.toolVersion = toolVersion
    }
}

/// `healthgap merge`: shard files checked to make exactly one run, their records fed in job order to the
/// run's consumers, the manifest written and everything published atomically, as `run` does.
///
/// Checks, before anything is staged: every file is complete (its trailer's record count and
/// SHA-256); every shard has the fingerprint of the first (the same tool version, plan, inputs,
/// lookups, seed and repetitions, each named when it differs); the shards cover the job list exactly
/// once; and the plan and inputs as they are now still have that fingerprint. The outputs are then
/// byte-identical to an unsharded `run` (the manifest's timings, threads and paths aside).
public enum ShardMerger {
    /// Merges and publishes; returns what was published.
    ///
    /// - Throws: `MergeError`; nothing is published then.
    public static func merge(_ request: MergeRequest, logger: Logger) throws(MergeError) -> RunSummary {
        let clock = StageClock()
        let files = try shardFiles(request.shards)
        var headers: [(path: String, header: ShardHeader, records: Int)] = []
        for file in files {
            let contents = try ShardFile.read(file)
            headers.append((file, contents.header, contents.records))
        }
        headers.sort { ($0.header.firstJob, $0.header.endJob, $0.path) < ($1.header.firstJob, $1.header.endJob, $1.path) }
        try checkSameRun(headers.map { ($0.path, $0.header) })
        try checkCoverage(headers.map { ($0.path, $0.header) })
        guard let first = headers.first?.header else { throw .noShards(request.shards) }
        clock.lap("check")
        logger.info(
            "merging \(headers.count) shard\(headers.count == 1 ? "" : "s") of \(first.planPath): \(first.totalJobs) jobs, \(headers.reduce(0) { $0 + $1.records }) records"
        )

        var run = RunRequest(plan: first.planPath, data: request.data, toolVersion: request.toolVersion)
        run.output = request.output
        run.threads = first.threads
        run.seed = first.seed
        run.repetitions = first.repetitions
        run.inputFiles = first.inputFiles
        run.consumers = request.consumers
        let prepared: PreparedRun
        do {
            prepared = try PreparedRun(run, logger: logger, clock: clock)
        } catch {
            throw .run(error)
        }
        guard prepared.fingerprint.value == first.fingerprint else {
            throw .changed(detail: changes(first, prepared.fingerprint))
        }
        guard prepared.resolved.jobs.count == first.totalJobs else {
            throw .changed(detail: "the plan has \(prepared.resolved.jobs.count) jobs, the shards \(first.totalJobs)")
        }

        do throws(RunnerError) {
            let publisher = try OutputPublisher(output: request.output)
            defer { publisher.release() }
            for name in publisher.removeStaleStaging() { logger.notice("removed \(name), left by an interrupted run") }
            let staging = try publisher.makeStaging()
            var keepStaging = false
            defer { if !keepStaging { try? FileManager.default.removeItem(atPath: staging) } }
            let outputs = RunOutputs(prepared, staging: staging)
            try outputs.begin()
            var committed = false
            defer { if !committed { outputs.rollback() } }
            let t0 = Date()
            // The benchmark areas' records first, as `run` computes them first: the judgements need them.
            let benchmarkJobs = outputs.benchmarkJobs
            for (path, header, _) in headers where benchmarkJobs.contains(where: header.jobs.contains) {
                let contents: ShardFile.Contents
                do {
                    contents = try ShardFile.read(path)
                    for i in 0..<contents.batchCount { outputs.primeBenchmarks(try contents.batch(i)) }
                } catch {
                    throw .output(path: path, reason: error.description)
                }
            }
            for (path, header, records) in headers {
                let contents: ShardFile.Contents
                do {
                    contents = try ShardFile.read(path)
                } catch {
                    throw .output(path: path, reason: error.description)
                }
                guard contents.header == header, contents.records == records else {
                    throw .output(path: path, reason: "the shard file changed while it was being merged")
                }
                for i in 0..<contents.batchCount {
                    let batch: [ResultRecord]
                    do {
                        batch = try contents.batch(i)
                    } catch {
                        throw .output(path: path, reason: error.description)
                    }
                    try outputs.consume(batch)
                }
            }
            outputs.writeSeconds += Date().timeIntervalSince(t0)
            try copyRejects(headers.first { $0.header.firstJob == 0 } ?? headers[0], staging: staging)
            let runDirectory = try outputs.publish(
                inputs: first.inputs, warnings: first.warnings, rejects: first.rejects.map { ($0.name, $0.rows) },
                publisher: publisher, clock: clock)
            committed = true
            keepStaging = true
            let rows = first.inputs.reduce((0, 0, 0)) { ($0.0 + $1.rowsRead, $0.1 + $1.rowsAccepted, $0.2 + $1.rowsRejected) }
            return RunSummary(
                upToDate: false, output: request.output, runDirectory: runDirectory, jobs: first.totalJobs,
                siiComputations: prepared.resolved.streamCount, rowsRead: rows.0, rowsAccepted: rows.1, rowsRejected: rows.2,
                resultRows: outputs.records, rowsWithNotes: outputs.rowsWithNotes,
                files: outputs.writtenFiles + first.rejects.map(\.name) + ["plan.yaml", "manifest.json"],
                timings: clock.laps, warnings: first.warnings)
        } catch {
            throw .run(error)
        }
    }

    /// The shard files named, or found in the folders named (sorted by name).
    static func shardFiles(_ paths: [String]) throws(MergeError) -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw .unreadable(path: path, reason: "no such file or folder")
            }
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                files += names.filter { $0.hasSuffix("." + ShardFile.fileExtension) && !$0.hasPrefix(".") }.sorted()
                    .map { path + "/" + $0 }
            } else {
                files.append(path)
            }
        }
        guard !files.isEmpty else { throw .noShards(paths) }
        return files
    }

    /// Every shard made by the same tool from the same plan, inputs, lookups, seed and repetitions.
    static func checkSameRun(_ shards: [(path: String, header: ShardHeader)]) throws(MergeError) {
        guard let (firstPath, a) = shards.first else { return }
        for (path, b) in shards.dropFirst() {
            func differ(_ what: String, _ detail: String) -> MergeError {
                .mismatch(what: what, first: firstPath, other: path, detail: detail)
            }
            if a.planSHA256 != b.planSHA256 {
                throw differ("plan", "plan SHA-256 \(a.planSHA256.prefix(12))… vs \(b.planSHA256.prefix(12))…")
            }
            if a.inputHashes != b.inputHashes {
                let names = Set(a.inputHashes.keys).union(b.inputHashes.keys).sorted().filter {
                    a.inputHashes[$0] != b.inputHashes[$0]
                }
                throw differ("inputs", "input \(names.joined(separator: ", ")) differs")
            }
            if a.seed != b.seed { throw differ("seed", "seed \(a.seed) vs \(b.seed)") }
            if a.repetitions != b.repetitions {
                throw differ("number of repetitions", "repetitions \(a.repetitions) vs \(b.repetitions)")
            }
            if a.lookupHashes != b.lookupHashes {
                let names = Set(a.lookupHashes.keys).union(b.lookupHashes.keys).sorted().filter {
                    a.lookupHashes[$0] != b.lookupHashes[$0]
                }
                throw differ("lookups", "lookup \(names.joined(separator: ", ")) differs")
            }
            if a.toolVersion != b.toolVersion { throw differ("tool version", "healthgap \(a.toolVersion) vs \(b.toolVersion)") }
            if a.fingerprint != b.fingerprint || a.totalJobs != b.totalJobs {
                throw differ("fingerprint", "\(a.fingerprint.prefix(12))… vs \(b.fingerprint.prefix(12))…")
            }
        }
    }

    /// The shards' job ranges tile the job list exactly once (shards sorted by their first job).
    static func checkCoverage(_ shards: [(path: String, header: ShardHeader)]) throws(MergeError) {
        guard let total = shards.first?.header.totalJobs else { return }
        var seen: [String: String] = [:]
        for (path, header) in shards {
            let key = "\(header.shard)/\(header.shardCount)"
            if let other = seen[key] { throw .doubled(first: other, other: path, jobs: header.jobs) }
            seen[key] = path
        }
        var cursor = 0
        var previous = ""
        for (path, header) in shards where !header.jobs.isEmpty {
            if header.firstJob > cursor {
                throw .missing(jobs: cursor..<header.firstJob, total: total, hint: absentShards(shards))
            }
            if header.firstJob < cursor {
                throw .doubled(first: previous, other: path, jobs: header.firstJob..<min(cursor, header.endJob))
            }
            cursor = header.endJob
            previous = path
        }
        if cursor < total { throw .missing(jobs: cursor..<total, total: total, hint: absentShards(shards)) }
    }

    /// `shard 2/3 is absent` when every shard was cut into the same number of shards.
    private static func absentShards(_ shards: [(path: String, header: ShardHeader)]) -> String {
        let counts = Set(shards.map(\.header.shardCount))
        guard counts.count == 1, let m = counts.first else { return "" }
        let present = Set(shards.map(\.header.shard))
        let absent = (1...m).filter { !present.contains($0) }.map { "\($0)/\(m)" }
        guard !absent.isEmpty else { return "" }
        return "shard\(absent.count == 1 ? "" : "s") \(absent.joined(separator: ", ")) \(absent.count == 1 ? "is" : "are") absent"
    }

    /// What differs between the shards' fingerprint and the plan and inputs as they are now.
    private static func changes(_ header: ShardHeader, _ now: Fingerprint) -> String {
        var parts: [String] = []
        if header.planSHA256 != now.plan { parts.append("the plan \(header.planPath) changed") }
        let inputs = now.inputs.mapValues(\.hex)
        for name in Set(inputs.keys).union(header.inputHashes.keys).sorted() where inputs[name] != header.inputHashes[name] {
            parts.append("input \(name) changed")
        }
        let lookups = Dictionary(now.lookups.map { ($0.name, $0.hex) }, uniquingKeysWith: { a, _ in a })
        for name in lookups.keys.sorted() where lookups[name] != header.lookupHashes[name] {
            parts.append("lookup \(name) changed")
        }
        return parts.isEmpty ? "the fingerprint differs (tool version \(header.toolVersion)?)" : parts.joined(separator: ", ")
    }

    /// Copies shard 1's rejects files into the staging folder, checking their SHA-256.
    private static func copyRejects(_ shard: (path: String, header: ShardHeader, records: Int), staging: String)
        throws(RunnerError)
    {
        let folder = URL(fileURLWithPath: shard.path).deletingLastPathComponent().path
        for rejects in shard.header.rejects {
            let from = folder + "/" + rejects.file
            guard let digest = try? FileDigest.sha256(file: from), digest.hex == rejects.sha256 else {
                throw .output(path: from, reason: "the rejects file kept with shard 1 is missing or damaged")
            }
            do {
                try FileManager.default.copyItem(atPath: from, toPath: staging + "/" + rejects.name)
            } catch {
                throw .output(path: staging, reason: "cannot copy \(from): \(error.localizedDescription)")
            }
        }
    }
}

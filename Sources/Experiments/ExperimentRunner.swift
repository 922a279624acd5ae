import Areas
import Crypto
import Foundation
import NumericCore
import Runner

/// What `healthgap experiment` is asked to do.
public struct ExperimentRequest: Sendable {
    /// The experiment file.
    public var experiment: String
    /// Where the IMD and lookup files are.
    public var data: DataDirectory
    /// The output link (a full run), or the folder that receives the shard file (`shard`).
    public var output: String
    /// Worker threads; the outputs do not depend on them.
    public var threads: Int = 1
    /// Run only the K-th of M contiguous ranges of replicates (1-based K) and write a shard file.
    public var shard: (index: Int, count: Int)?

    /// A request with one thread and no shard.
    public init(experiment: String, data: DataDirectory, output: String) {
        self.experiment = experiment
        self.data = data
        self.output = output
    }
}

/// What a run, shard or merge produced.
public struct ExperimentOutcome: Sendable {
    /// The published run directory, or the shard file.
    public var path: String
    /// Replicates computed (a merge: replicates merged).
    public var replicates: Int
    /// Targets (rows of `experiment.csv`).
    public var targets: Int
    /// Seconds spent computing replicates (0 for a merge).
    public var computeSeconds: Double
}

/// Runs experiments: every replicate in memory on `threads` workers, then the summary, the page
/// and the replicates' records published in one step as `healthgap run` publishes (`OutputPublisher`).
public enum ExperimentRunner {
    /// Parses and resolves an experiment file.
    ///
    /// - Throws: `ExperimentError.experiment` with every mistake (line and column); `.unreadable`; `.input`.
    public static func load(_ path: String, data: DataDirectory) throws(ExperimentError) -> (ExperimentDesign, String) {
        let (parsed, issues, bytes) = try ExperimentParser.parse(file: path)
        guard let experiment = parsed, issues.isEmpty else { throw .experiment(issues) }
        let design = try ExperimentDesign.resolve(experiment, data: data)
        return (design, sha256(bytes))
    }

    /// The one-paragraph summary `experiment check` prints for a valid experiment.
    public static func describe(_ design: ExperimentDesign) -> String {
        let e = design.experiment
        let sii = design.plans.filter { $0.spec.method == .sii }.reduce(0) { $0 + $1.spec.sexes.count }
        return
            "\(e.path): ok: \(e.name): \(design.lsoaCount) LSOAs, years \(e.truth.years.lowerBound)-\(e.truth.years.upperBound), "
            + "\(e.replicates) replicates (seed \(e.seed)), \(e.variants.count) variants, \(design.targets.count) targets "
            + "(\(sii) SIIs per replicate), levels \(e.levels.map(\.description).joined(separator: ", "))"
    }

    /// Computes replicates `range` of a design on `threads` workers.
    ///
    /// Replicate r uses stream r of the seed whatever the range, threads or order.
    /// - Complexity: O(|range| × the cost of one replicate / threads).
    public static func compute(_ design: ExperimentDesign, sha256: String, range: Range<Int>, threads: Int)
        -> ExperimentResults
    {
        let e = design.experiment
        var base = Xoshiro256StarStar(seed: e.seed)
        for _ in 0..<range.lowerBound { base.jump() }
        var streams: [Xoshiro256StarStar] = []
        streams.reserveCapacity(range.count)
        for _ in range {
            streams.append(base)
            base.jump()
        }
        let starts = streams
        let chunks = parallelMap(count: range.count, threads: threads) { i in design.replicate(stream: starts[i]) }
        return ExperimentResults(
            name: e.name, description: e.description, experimentSHA256: sha256, seed: e.seed, replicates: e.replicates,
            levels: e.levels, targets: design.targets, first: range.lowerBound, records: Array(chunks.joined()))
    }

    /// The K-th (1-based) of M contiguous ranges of `replicates` replicates.
    public static func shardRange(_ k: Int, of m: Int, replicates: Int) -> Range<Int> {
        (replicates * (k - 1) / m)..<(replicates * k / m)
    }

    /// Runs an experiment (or one shard of it) and publishes the outputs (or writes the shard file).
    ///
    /// - Throws: `ExperimentError` (nothing is published when it throws).
    public static func run(_ request: ExperimentRequest) throws(ExperimentError) -> ExperimentOutcome {
        let (design, sha) = try load(request.experiment, data: request.data)
        let n = design.experiment.replicates
        let range = request.shard.map { shardRange($0.index, of: $0.count, replicates: n) } ?? 0..<n
        let clock = ContinuousClock()
        let start = clock.now
        let results = compute(design, sha256: sha, range: range, threads: request.threads)
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let path: String
        if let shard = request.shard {
            path = try writeShard(results, shard: shard.index, of: shard.count, folder: request.output)
        } else {
            path = try publish(results, output: request.output)
        }
        return ExperimentOutcome(path: path, replicates: range.count, targets: design.targets.count, computeSeconds: seconds)
    }

    /// Merges shard files (or folders of them) and publishes the outputs as a full run would.
    ///
    /// Refuses shards of different experiments (SHA-256), seeds or replicate counts, a missing or
    /// doubled shard, and a half-written shard file, and then publishes nothing.
    /// - Throws: `ExperimentError.shards`, `.unreadable`, `.output`.
    public static func merge(_ paths: [String], output: String) throws(ExperimentError) -> ExperimentOutcome {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw .unreadable(path: path, reason: "no such file or folder")
            }
            if isDirectory.boolValue {
                let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter {
                    $0.hasPrefix("shard-") && $0.hasSuffix(".csv")
                }
                if names.isEmpty { throw .shards("\(path) holds no shard-K-of-M.csv file") }
                files += names.sorted().map { path + "/" + $0 }
            } else {
                files.append(path)
            }
        }
        var shards: [(path: String, header: ShardHeader, results: ExperimentResults)] = []
        for file in files {
            let (header, results) = try ShardFile.read(file)
            shards.append((file, header, results))
        }
        guard let reference = shards.first else { throw .shards("no shard files given") }
        let h = reference.header
        for s in shards.dropFirst() {
            if s.header.experimentSHA256 != h.experimentSHA256 {
                throw .shards(
                    "\(s.path) is from another experiment file (SHA-256 \(s.header.experimentSHA256.prefix(12))… against \(h.experimentSHA256.prefix(12))… in \(reference.path))"
                )
            }
            if s.header.seed != h.seed {
                throw .shards("\(s.path) has seed \(s.header.seed), \(reference.path) seed \(h.seed)")
            }
            if s.header.replicates != h.replicates || s.header.shards != h.shards || s.header.levels != h.levels
                || s.header.targets != h.targets
            {
                throw .shards(
                    "\(s.path) does not match \(reference.path) (replicates \(s.header.replicates) vs \(h.replicates), shards \(s.header.shards) vs \(h.shards), or its targets)"
                )
            }
        }
        var byIndex: [Int: [String]] = [:]
        for s in shards { byIndex[s.header.shard, default: []].append(s.path) }
        for (k, paths) in byIndex.sorted(by: { $0.key < $1.key }) where paths.count > 1 {
            throw .shards("shard \(k) of \(h.shards) is given more than once: \(paths.joined(separator: ", "))")
        }
        let missing = (1...max(h.shards, 1)).filter { byIndex[$0] == nil }
        if !missing.isEmpty {
            throw .shards(
                "shard\(missing.count > 1 ? "s" : "") \(missing.map(String.init).joined(separator: ", ")) of \(h.shards) \(missing.count > 1 ? "are" : "is") missing"
            )
        }
        shards.sort { $0.header.shard < $1.header.shard }
        var merged = reference.results
        merged.first = 0
        merged.records = []
        for s in shards {
            let expected = shardRange(s.header.shard, of: h.shards, replicates: h.replicates)
            guard s.header.first == expected.lowerBound, s.header.count == expected.count else {
                throw .shards(
                    "\(s.path) holds replicates \(s.header.first + 1)-\(s.header.first + s.header.count), not shard \(s.header.shard)'s"
                )
            }
            merged.records += s.results.records
        }
        let path = try publish(merged, output: output)
        return ExperimentOutcome(path: path, replicates: merged.count, targets: merged.targets.count, computeSeconds: 0)
    }

    /// The output files of a complete set of replicates, by name.
    public static func files(_ results: ExperimentResults) -> [(name: String, bytes: [UInt8])] {
        let rows = results.summarise()
        return [
            ("experiment.csv", results.experimentCSV(rows)), ("experiment.html", results.page(rows)),
            ("replicates.csv", results.replicatesCSV()),
        ]
    }

    /// Stages the outputs and publishes them atomically (`OutputPublisher`).
    static func publish(_ results: ExperimentResults, output: String) throws(ExperimentError) -> String {
        do {
            let publisher = try OutputPublisher(output: output)
            defer { publisher.release() }
            _ = publisher.removeStaleStaging()
            let staging = try publisher.makeStaging()
            try? FileManager.default.removeItem(atPath: staging + "/tables")
            for (name, bytes) in files(results) {
                let path = staging + "/" + name
                guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
                    throw RunnerError.output(path: output, reason: "cannot write \(path)")
                }
            }
            let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
            return try publisher.publish(staging: staging, name: "experiment-\(stamp)")
        } catch let error as RunnerError {
            throw .output(error)
        } catch {
            throw .output(.output(path: output, reason: "\(error)"))
        }
    }

    /// Writes a shard file into `folder` (created if needed) under a temporary name, then renames it.
    static func writeShard(_ results: ExperimentResults, shard: Int, of shards: Int, folder: String) throws(ExperimentError)
        -> String
    {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .output(.output(path: folder, reason: "cannot create the folder: \(error.localizedDescription)"))
        }
        let final = folder + "/" + ShardFile.name(shard: shard, of: shards)
        let temporary = folder + "/." + ShardFile.name(shard: shard, of: shards) + ".\(getpid()).tmp"
        guard
            FileManager.default.createFile(atPath: temporary, contents: Data(ShardFile.bytes(results, shard: shard, of: shards)))
        else {
            throw .output(.output(path: folder, reason: "cannot write \(temporary)"))
        }
        guard rename(temporary, final) == 0 else {
            unlink(temporary)
            throw .output(.output(path: folder, reason: "cannot rename \(temporary) to \(final)"))
        }
        return final
    }

    /// Lowercase hex SHA-256.
    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}

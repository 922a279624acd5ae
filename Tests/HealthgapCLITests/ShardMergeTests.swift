import Foundation
import Testing
import _TestSupport

// `healthgap run --shard K/M` and `healthgap merge`: merged shards publish the bytes of an unsharded
// run, whatever the number of shards and threads; shards that do not make one run are refused with
// a message and exit 65, and nothing is published.

/// Shard runs and comparisons for the merge tests.
enum ShardFixture {
    /// A fresh folder under the run fixture's.
    static func folder(_ name: String) -> String {
        let path = RunFixture.folder.appendingPathComponent("shards-\(name)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Runs shard `k`/`m` of `plan` into `directory`; fails the test unless it exits 0.
    static func shard(
        _ k: Int, _ m: Int, plan: String = RunFixture.plan, into directory: String, threads: Int = 1, extra: [String] = []
    ) throws {
        let result = try Healthgap.run(
            ["run", plan, "--shard", "\(k)/\(m)", "--output", directory, "--threads", "\(threads)", "--quiet"] + extra)
        #expect(result.status == 0, "shard \(k)/\(m): \(result.stderr)")
    }

    /// Runs the binary with extra environment variables (standard error only; no output expected).
    static func run(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = Healthgap.url
        process.arguments = arguments
        process.currentDirectoryURL = Fixtures.projectRoot
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SLURM_ARRAY") }
            .merging(environment) { _, new in new }
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The published files of an output, the manifest normalised as the golden tests do.
    static func published(_ output: String) throws -> [String: Data] {
        var files = try RunFixture.files(output)
        if let manifest = files["manifest.json"] {
            files["manifest.json"] = Data(GoldenFixture.normalisedManifest(manifest).utf8)
        }
        return files
    }

    /// Expects two outputs to hold the same files with the same bytes.
    static func expectSame(_ merged: String, _ reference: String, _ what: String) throws {
        let a = try published(merged), b = try published(reference)
        #expect(a.count > 3, "\(what): \(a.keys.sorted())")
        #expect(Set(a.keys) == Set(b.keys), "\(what): \(a.keys.sorted()) vs \(b.keys.sorted())")
        for (name, bytes) in b { #expect(a[name] == bytes, "\(what): \(name) differs from the unsharded run") }
    }
}

@Suite(.serialized) struct ShardMergeTests {
    @Test func oneAndThreeShardsMergeIntoTheBytesOfAnUnshardedRun() throws {
        let root = ShardFixture.folder("identical")
        let reference = root + "/reference"
        let run = try Healthgap.run(["run", RunFixture.plan, "--output", reference, "--threads", "2"])
        #expect(run.status == 0, "\(run.stderr)")
        for threads in [1, 2] {
            for m in [1, 3] {
                let shards = root + "/shards-\(m)-threads-\(threads)"
                for k in 1...m { try ShardFixture.shard(k, m, into: shards, threads: threads) }
                let names = try FileManager.default.contentsOfDirectory(atPath: shards).sorted()
                #expect(names == (1...m).map { "shard-000\($0)-of-000\(m).hgshard" }, "\(names)")
                let output = root + "/merged-\(m)-threads-\(threads)"
                let merge = try Healthgap.run(["merge", shards, "--output", output])
                #expect(merge.status == 0, "\(merge.stderr)")
                #expect(merge.stderr.contains("done: 45 jobs"), "\(merge.stderr)")
                try ShardFixture.expectSame(output, reference, "\(m) shards, \(threads) threads")
            }
        }
    }

    @Test func theEnglandShapedGoldenPlanMergesIntoItsRecordedBytes() throws {
        let root = ShardFixture.folder("golden")
        let shards = root + "/shards"
        for k in 1...3 { try ShardFixture.shard(k, 3, plan: GoldenFixture.englandPlan, into: shards, threads: 2) }
        let output = root + "/merged"
        let merge = try Healthgap.run(["merge", shards + "/", "--output", output, "--quiet"])
        #expect(merge.status == 0, "\(merge.stderr)")
        let recorded = try String(contentsOf: GoldenFixture.hashesFile, encoding: .utf8)
        let want = Set(recorded.split(separator: "\n").filter { $0.hasPrefix("england ") }.map(String.init))
        let got = Set(try GoldenFixture.digests(of: output).map { "england \($0.key) \($0.value)" })
        #expect(!want.isEmpty)
        #expect(want == got, "differs from the recorded unsharded run: \(want.symmetricDifference(got).sorted())")
    }

    @Test func aJudgedPlanWhoseBenchmarkComesLastMergesIntoTheBytesOfAnUnshardedRun() throws {
        // The Places are compared with the ICB, whose jobs come after theirs (it is not among the
        // geographies): the merge must read its records from the last shard before judging the first.
        let root = ShardFixture.folder("judged")
        let plan = RunFixture.folder.appendingPathComponent("judged-plan.yaml").path
        let text = RunFixture.planText.replacingOccurrences(of: "  - icb: E54000008\n", with: "")
            .replacingOccurrences(of: "seed: 7\n", with: "seed: 7\nbenchmarks: [icb]\ncomparison: ci95_99_8\n")
            .replacingOccurrences(
                of: "    inequality: [sii, rii, absolute_range]\n",
                with: "    inequality: [sii, rii, absolute_range]\n    polarity: high_is_good\n")
        #expect(text.contains("polarity: high_is_good") && text.contains("benchmarks: [icb]") && !text.contains("icb: E54"))
        _ = FileManager.default.createFile(atPath: plan, contents: Data(text.utf8))
        let reference = root + "/reference"
        let run = try Healthgap.run(["run", plan, "--output", reference, "--threads", "2"])
        #expect(run.status == 0, "\(run.stderr)")
        let results = try String(contentsOfFile: reference + "/results.csv", encoding: .utf8)
        #expect(results.contains(",E54000008,") && results.contains(",ci95_99_8,"))
        let shards = root + "/shards"
        for k in 1...3 { try ShardFixture.shard(k, 3, plan: plan, into: shards, threads: 2) }
        let output = root + "/merged"
        let merge = try Healthgap.run(["merge", shards, "--output", output])
        #expect(merge.status == 0, "\(merge.stderr)")
        try ShardFixture.expectSame(output, reference, "3 shards of a judged plan")
    }

    /// Shards 1/3 and 3/3 of the plan as it is, for the refusal tests.
    static let goodShards: String = {
        let dir = ShardFixture.folder("good")
        for k in 1...3 { try? ShardFixture.shard(k, 3, into: dir) }
        return dir
    }()

    /// Merges `paths`; expects exit `status`, `message` on standard error and nothing published.
    func expectRefused(_ paths: [String], status: Int32 = 65, _ message: String) throws {
        let output = ShardFixture.folder("refused") + "/\(UUID().uuidString)"
        let result = try Healthgap.run(["merge"] + paths + ["--output", output])
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stderr.contains("nothing was published"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
        let runs =
            URL(fileURLWithPath: output).deletingLastPathComponent().path + "/." + URL(fileURLWithPath: output).lastPathComponent
            + ".runs"
        #expect(!FileManager.default.fileExists(atPath: runs))
    }

    func good(_ k: Int) -> String { Self.goodShards + "/shard-000\(k)-of-0003.hgshard" }

    @Test func shardsOfAnotherSeedPlanOrInputAreRefused() throws {
        let seed = ShardFixture.folder("seed")
        try ShardFixture.shard(2, 3, into: seed, extra: ["--seed", "8"])
        try expectRefused([good(1), seed, good(3)], "differ in their seed (seed 7 vs 8)")

        let plan = RunFixture.folder.appendingPathComponent("plan-edited.yaml").path
        _ = FileManager.default.createFile(atPath: plan, contents: Data((RunFixture.planText + "# edited\n").utf8))
        let edited = ShardFixture.folder("plan")
        try ShardFixture.shard(2, 3, plan: plan, into: edited)
        try expectRefused([good(1), edited, good(3)], "differ in their plan (plan SHA-256")

        let counts = RunFixture.folder.appendingPathComponent("counts-copy.csv").path
        // The same rows, two of them swapped: the same numbers, another file.
        var lines = try String(contentsOfFile: RunFixture.counts, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        lines.swapAt(1, 2)
        _ = FileManager.default.createFile(atPath: counts, contents: Data(lines.joined(separator: "\n").utf8))
        let input = ShardFixture.folder("input")
        try ShardFixture.shard(2, 3, into: input, extra: ["--input", "counts=\(counts)"])
        try expectRefused([good(1), input, good(3)], "differ in their inputs (input counts differs)")
    }

    @Test func aMissingOrDoubledShardIsRefused() throws {
        try expectRefused([good(1), good(3)], "of 45 are in no shard (shard 2/3 is absent)")
        try expectRefused([good(1), good(2)], "of 45 are in no shard (shard 3/3 is absent)")
        let copy = ShardFixture.folder("copy")
        try? FileManager.default.copyItem(atPath: good(2), toPath: copy + "/shard-0002-of-0003.hgshard")
        try expectRefused([Self.goodShards, copy], "are in two shards")
        // A shard of another cut that overlaps.
        let halves = ShardFixture.folder("halves")
        try ShardFixture.shard(1, 2, into: halves)
        try expectRefused([good(1), good(2), good(3), halves], "are in two shards")
        try expectRefused([ShardFixture.folder("empty")], status: 66, "no shard files")
    }

    @Test func aHalfWrittenOrDamagedShardFileIsRefused() throws {
        let bytes = try #require(FileManager.default.contents(atPath: good(2)))
        for (name, cut) in [
            ("half", bytes.prefix(bytes.count / 2)), ("no-end-line", bytes.prefix(bytes.count - 1)),
            ("last-line-lost", bytes.prefix(upTo: bytes.dropLast().lastIndex(of: 0x0A)! + 1)),
            ("edited", Data(bytes.map { $0 == 0x37 ? 0x38 : $0 })),
        ] {
            let dir = ShardFixture.folder("damaged-\(name)")
            _ = FileManager.default.createFile(atPath: dir + "/shard-0002-of-0003.hgshard", contents: Data(cut))
            try expectRefused([good(1), dir, good(3)], "is incomplete")
        }
    }

    @Test func theShardCanComeFromTheSlurmArrayVariables() throws {
        let dir = ShardFixture.folder("slurm-variables")
        let result = try ShardFixture.run(
            ["run", RunFixture.plan, "--shard", "slurm", "--output", dir, "--quiet"],
            environment: [
                "SLURM_ARRAY_TASK_ID": "14", "SLURM_ARRAY_TASK_MIN": "10", "SLURM_ARRAY_TASK_STEP": "2",
                "SLURM_ARRAY_TASK_COUNT": "4",
            ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir + "/shard-0003-of-0004.hgshard"))
        let bad = try ShardFixture.run(
            ["run", RunFixture.plan, "--shard", "slurm", "--output", dir], environment: ["SLURM_ARRAY_TASK_ID": "3"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("SLURM_ARRAY_TASK_COUNT is not set"), "\(bad.stderr)")
        // A published output's link is not a shard folder.
        let published = ShardFixture.folder("published") + "/output"
        #expect(try Healthgap.run(["run", RunFixture.plan, "--output", published, "--quiet"]).status == 0)
        let intoLink = try Healthgap.run(["run", RunFixture.plan, "--shard", "1/2", "--output", published])
        #expect(intoLink.status == 73)
        #expect(intoLink.stderr.contains("is the link to a published run"), "\(intoLink.stderr)")
        let malformed = try Healthgap.run(["run", RunFixture.plan, "--shard", "4/3", "--output", dir])
        #expect(malformed.status == 64)
        #expect(malformed.stderr.contains("'4/3' is not K/M"), "\(malformed.stderr)")
    }
}

import Foundation
import Testing
import _TestSupport

// `healthgap slurm` on a real one-node cluster (scripts/slurm-cluster.sh): the demo plan as an
// 8-task array and a merge publishes the bytes of `healthgap run`; a failed task cancels the merge
// and leaves the published output alone; resubmitting that task and a merge completes the run.
// Skipped, with the reason printed, when no cluster is running.

@Suite(.serialized, .enabled(if: Services.slurmAvailable, Comment(rawValue: Services.slurmReason)))
struct SlurmClusterTests {
    /// The demo plan on the golden test's synthetic counts, at 1,000 repetitions.
    static var demo: [String] {
        [
            "Data/plans/cheshire-and-merseyside.yaml", "--input", "counts=\(GoldenFixture.demoCounts)", "--repetitions",
            "1000",
        ]
    }

    /// The job ids in `array job N (…), merge job M after it`.
    func ids(_ text: String) throws -> (array: String, merge: String) {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        let array = try #require(words.firstIndex(of: "array").map { words[$0 + 2] }, "\(text)")
        let merge = try #require(words.firstIndex(of: "merge").map { words[$0 + 2] }, "\(text)")
        return (array, merge)
    }

    /// Polls `condition` every half second for up to `seconds`; whether it became true.
    func wait(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(500_000)
        }
        return condition()
    }

    /// `JobState` of a job, from `scontrol -o show job`, or nil when Slurm does not know it.
    func state(_ job: String) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["scontrol", "-o", "show", "job", job]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.split(separator: " ").first { $0.hasPrefix("JobState=") }.map { String($0.dropFirst(9)) }
    }

    /// The target of the output link, or nil.
    func target(_ output: String) -> String? { try? FileManager.default.destinationOfSymbolicLink(atPath: output) }

    @Test func theDemoPlanAsAnEightTaskArrayAndAMergeGivesTheBytesOfRun() throws {
        let root = ShardFixture.folder("slurm-demo")
        let reference = root + "/reference", output = root + "/output"
        let run = try Healthgap.run(["run"] + Self.demo + ["--output", reference, "--threads", "2", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let submit = try Healthgap.run(["slurm"] + Self.demo + ["--shards", "8", "--output", output, "--submit"])
        #expect(submit.status == 0, "\(submit.stderr)")
        let jobs = try ids(submit.stdout)
        let script = try String(contentsOfFile: output + ".slurm/array.sbatch", encoding: .utf8)
        #expect(script.contains("#SBATCH --array=1-8"))
        #expect(script.contains("--shard \"$SLURM_ARRAY_TASK_ID\"/8"), "\(script)")
        let merged = wait(600) { FileManager.default.fileExists(atPath: output + "/manifest.json") }
        #expect(merged, "no merged output after 10 minutes; merge job \(jobs.merge): \(state(jobs.merge) ?? "unknown")")
        try ShardFixture.expectSame(output, reference, "8 Slurm tasks")
        let status = try Healthgap.run(["slurm", "status", jobs.array])
        #expect(status.status == 0, "\(status.stdout)\(status.stderr)")
        #expect(status.stdout.components(separatedBy: ": succeeded").count == 9, "\(status.stdout)")
    }

    @Test func aFailedTaskCancelsTheMergeAndResubmittingItCompletes() throws {
        let root = ShardFixture.folder("slurm-fail")
        let output = root + "/output"
        // Last night's output.
        let previous = try Healthgap.run(["run"] + Self.demo + ["--output", output, "--seed", "2", "--quiet"])
        #expect(previous.status == 0, "\(previous.stderr)")
        let before = target(output)
        let beforeFiles = try RunFixture.files(output)

        // Task 3 cannot write its shard: a folder stands where its file goes (exit 73).
        let blocker = output + ".slurm/shards/shard-0003-of-0008.hgshard"
        try FileManager.default.createDirectory(atPath: blocker + "/in-the-way", withIntermediateDirectories: true)
        let submit = try Healthgap.run(["slurm"] + Self.demo + ["--shards", "8", "--output", output, "--submit"])
        #expect(submit.status == 0, "\(submit.stderr)")
        let jobs = try ids(submit.stdout)
        let ended = wait(600) {
            (1...8).allSatisfy { FileManager.default.fileExists(atPath: output + ".slurm/status/\($0).exit") }
        }
        #expect(ended, "the array's tasks did not all end within 10 minutes")
        let cancelled = wait(60) { state(jobs.merge) == "CANCELLED" }
        #expect(cancelled, "merge job \(jobs.merge): \(state(jobs.merge) ?? "unknown")")
        #expect(target(output) == before)
        #expect(try RunFixture.files(output) == beforeFiles)

        let status = try Healthgap.run(["slurm", "status", jobs.array])
        #expect(status.status == 1, "\(status.stdout)\(status.stderr)")
        #expect(status.stdout.contains("shard 3/8: FAILED (exit 73"), "\(status.stdout)")
        #expect(status.stdout.contains("shard 2/8: succeeded"), "\(status.stdout)")
        #expect(status.stdout.contains("healthgap slurm resubmit"), "\(status.stdout)")
        #expect(status.stdout.contains("--array=3 "), "\(status.stdout)")

        try FileManager.default.removeItem(atPath: blocker)
        let resubmit = try Healthgap.run(["slurm", "resubmit", jobs.array])
        #expect(resubmit.status == 0, "\(resubmit.stdout)\(resubmit.stderr)")
        #expect(resubmit.stdout.contains("(shards 3)"), "\(resubmit.stdout)")
        let again = try ids(resubmit.stdout)
        let published = wait(600) { target(output) != before }
        #expect(published, "no new output after 10 minutes; merge job \(again.merge): \(state(again.merge) ?? "unknown")")
        let reference = root + "/reference"
        let run = try Healthgap.run(["run"] + Self.demo + ["--output", reference, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        try ShardFixture.expectSame(output, reference, "8 Slurm tasks, one resubmitted")
        let done = try Healthgap.run(["slurm", "status", output + ".slurm"])
        #expect(done.status == 0, "\(done.stdout)\(done.stderr)")
    }
}

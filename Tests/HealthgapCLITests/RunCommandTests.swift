import Foundation
import Testing
import _TestSupport

#if canImport(Glibc)
    import Glibc
#endif

// `healthgap run` and `healthgap plan` as a user meets them: exit codes, messages, the published
// link, byte-identical outputs for any --threads, and a run killed part-way.

@Suite(.serialized) struct RunCommandTests {
    func output(_ name: String) -> String { RunFixture.folder.appendingPathComponent(name).path }

    @Test func threadsDoNotChangeABit() throws {
        let one = output("threads-1"), two = output("threads-2")
        let a = try Healthgap.run(["run", RunFixture.plan, "--output", one, "--threads", "1"])
        #expect(a.status == 0, "\(a.stderr)")
        let b = try Healthgap.run(["run", RunFixture.plan, "--output", two, "--threads", "2"])
        #expect(b.status == 0, "\(b.stderr)")
        let first = try RunFixture.tables(one), second = try RunFixture.tables(two)
        #expect(first.count > 5)
        #expect(Set(first.keys) == Set(second.keys))
        for (name, bytes) in first { #expect(second[name] == bytes, "\(name) differs between --threads 1 and 2") }
        // No byte-order mark, LF line ends, the documented header.
        let results = try #require(first["results.csv"])
        #expect(results.prefix(3) != Data([0xEF, 0xBB, 0xBF]))
        #expect(!results.contains(0x0D))
        let header = String(decoding: results.prefix { $0 != 0x0A }, as: UTF8.self)
        #expect(
            header
                == "indicator_id,indicator,method,area_code,area_name,area_type,sex,age,period,imd_edition,deprivation_scheme,quantile,measure,value,lower95_0cl,upper95_0cl,lower99_8cl,upper99_8cl,count,denominator,note,benchmark_code,benchmark_value,comparison,comparison_method,trend,gap_change,goal_status"
        )
        #expect(first["tables/place_knowsley_by-local-decile.csv"] != nil)
        #expect(first["tables/icb_nhs-cheshire-and-merseyside_by-national-quintile.csv"] != nil)
        #expect(a.stderr.contains("healthgap: done: 45 jobs"), "\(a.stderr)")
    }

    @Test func anUnchangedRunDoesNothingAndForceRecomputes() throws {
        let dir = output("unchanged")
        #expect(try Healthgap.run(["run", RunFixture.plan, "--output", dir]).status == 0)
        let target = try FileManager.default.destinationOfSymbolicLink(atPath: dir)
        let again = try Healthgap.run(["run", RunFixture.plan, "--output", dir])
        #expect(again.status == 0)
        #expect(again.stderr.contains("is up to date"), "\(again.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir) == target)
        let seed = try Healthgap.run(["run", RunFixture.plan, "--output", dir, "--seed", "8"])
        #expect(seed.status == 0)
        #expect(!seed.stderr.contains("is up to date"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir) != target)
        let forced = try Healthgap.run(["run", RunFixture.plan, "--output", dir, "--seed", "8", "--force"])
        #expect(forced.status == 0)
        #expect(forced.stderr.contains("published"), "\(forced.stderr)")
        // Two run directories kept: the published one and the one before it.
        let runs = try FileManager.default.contentsOfDirectory(
            atPath: RunFixture.folder.appendingPathComponent(".unchanged.runs").path)
        #expect(runs.count == 2, "\(runs)")
    }

    @Test func aRunKilledPartWayLeavesThePreviousOutputsAndTheNextRunCompletes() throws {
        let dir = output("killed")
        // The previous night's outputs.
        #expect(try Healthgap.run(["run", RunFixture.plan, "--output", dir, "--seed", "1"]).status == 0)
        let previousTarget = try FileManager.default.destinationOfSymbolicLink(atPath: dir)
        let previous = try RunFixture.files(dir)

        // Tonight's run, killed once it has staged its first output file (the jobs have started).
        let arguments = ["run", RunFixture.plan, "--output", dir, "--seed", "2", "--repetitions", "100000"]
        let process = Process()
        process.executableURL = Healthgap.url
        process.arguments = arguments + ["--threads", "1"]
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let runs = RunFixture.folder.appendingPathComponent(".killed.runs").path
        let deadline = Date().addingTimeInterval(120)
        var staged = false
        while Date() < deadline && process.isRunning {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: runs)) ?? []
            if let staging = names.first(where: { $0.hasPrefix("staging-") }),
                FileManager.default.fileExists(atPath: runs + "/" + staging + "/results.csv")
            {
                staged = true
                break
            }
            usleep(1_000)
        }
        let killedRunning = process.isRunning
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(staged)
        #expect(killedRunning, "the run finished before it could be killed")
        #expect(process.terminationReason == .uncaughtSignal)

        // The previous outputs are intact and complete.
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir) == previousTarget)
        #expect(try RunFixture.files(dir) == previous)

        // The next run cleans up and completes, with the bytes of an uninterrupted run.
        let next = try Healthgap.run(arguments)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stderr.contains("left by an interrupted run"), "\(next.stderr)")
        let reference = output("uninterrupted")
        #expect(
            try Healthgap.run(["run", RunFixture.plan, "--output", reference, "--seed", "2", "--repetitions", "100000"]).status
                == 0)
        #expect(try RunFixture.tables(dir) == RunFixture.tables(reference))
        let left = try FileManager.default.contentsOfDirectory(atPath: runs)
        #expect(!left.contains { $0.hasPrefix("staging-") })
    }

    /// A plan with one line changed.
    func badPlan(_ name: String, replace old: String, with new: String) throws -> String {
        let path = RunFixture.folder.appendingPathComponent(name).path
        let text = RunFixture.planText.replacingOccurrences(of: old, with: new)
        #expect(text != RunFixture.planText)
        _ = RunFixture.counts
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    @Test(arguments: [
        (
            "unknown-column.yaml",
            "    numerator: deaths\n    denominator: population\n    deprivation: [local_deciles, national_deciles",
            "    numerator: dead\n    denominator: population\n    deprivation: [local_deciles, national_deciles", 16,
            "indicator 'le_birth': numerator 'dead' is not a column of counts.csv"
        ),
        ("unknown-area.yaml", "E08000012]", "E08000099]", 8, "geographies.place: 'E08000099' is not a Place code"),
        (
            "no-inputs.yaml", "    numerator: deaths\n    denominator: population\n    ages", "    ages", 20,
            "indicator 'u75': dsr needs numerator: the count column, e.g. deaths"
        ),
        (
            "bad-period.yaml", "{rolling: 3, from: 2017, to: 2021}", "2021-2017", 10,
            "periods: '2021-2017' is not a year (2019) or a range of years"
        ),
    ])
    func planMistakesExit78WithTheirLineAndWriteNothing(file: String, old: String, new: String, line: Int, message: String) throws
    {
        let plan = try badPlan(file, replace: old, with: new)
        let dir = output("never-\(file)")
        let result = try Healthgap.run(["run", plan, "--output", dir])
        #expect(result.status == 78)
        #expect(result.stderr.contains("\(plan):\(line):"), "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stderr.contains("nothing was run or written"))
        #expect(!FileManager.default.fileExists(atPath: dir))
        let names = try FileManager.default.contentsOfDirectory(atPath: RunFixture.folder.path)
        #expect(!names.contains { $0.contains("never-\(file)") })
        let check = try Healthgap.run(["plan", "check", plan])
        #expect(check.status == 78)
        #expect(check.stderr.contains("\(plan):\(line):"))
    }

    @Test func planCheckAndExplain() throws {
        let check = try Healthgap.run(["plan", "check", RunFixture.plan])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(
            check.stdout.contains(": ok: 2 indicators, 3 areas, 3 periods: 45 jobs, 75 SIIs at 1000 repetitions"),
            "\(check.stdout)")
        let explain = try Healthgap.run(["plan", "explain", RunFixture.plan])
        #expect(explain.status == 0)
        let lines = explain.stdout.split(separator: "\n")
        let jobs = lines.drop { !$0.hasPrefix("job ") }
        #expect(jobs.count == 1 + 45)
        #expect(
            jobs.dropFirst().first?.hasPrefix("1    icb        E54000008  NHS Cheshire and Merseyside  le_birth   Male") == true,
            "\(jobs.dropFirst().first ?? "")")
        #expect(explain.stdout.contains("not computed: le_birth: no local deciles for icb NHS Cheshire and Merseyside"))
        let missing = try Healthgap.run(["plan", "check", RunFixture.plan, "--input", "counts=/nonexistent.csv"])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("cannot open /nonexistent.csv"))
        let unknown = try Healthgap.run(["run", RunFixture.plan, "--input", "deaths=/x.csv", "--output", output("unknown-input")])
        #expect(unknown.status == 78)
        #expect(unknown.stderr.contains("the plan has no input named 'deaths'"))
        // A plan file that is not there is the plan's problem (66), named as a plan, not as a CSV.
        for command in [
            ["plan", "check", "/nonexistent/plan.yaml"], ["run", "/nonexistent/plan.yaml", "--output", output("absent")],
        ] {
            let absent = try Healthgap.run(command)
            #expect(absent.status == 66, "\(command): \(absent.stderr)")
            #expect(absent.stderr.contains("cannot read the plan /nonexistent/plan.yaml"), "\(absent.stderr)")
        }
    }

    @Test func badInputDataExits65AndPublishesNothing() throws {
        let bad = RunFixture.folder.appendingPathComponent("bad-counts.csv").path
        let text = "lsoa_code,year,sex,age_band,population,deaths\nE01006412,2017,Male,0,9,-1\n"
        _ = FileManager.default.createFile(atPath: bad, contents: Data(text.utf8))
        let dir = output("bad-data")
        let result = try Healthgap.run(["run", RunFixture.plan, "--input", "counts=\(bad)", "--output", dir])
        #expect(result.status == 65)
        #expect(result.stderr.contains("bad-counts.csv:2"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir))
        let runs =
            (try? FileManager.default.contentsOfDirectory(atPath: RunFixture.folder.appendingPathComponent(".bad-data.runs").path))
            ?? []
        #expect(runs.isEmpty, "\(runs)")
    }

    @Test func rejectModeWritesTheBadRowsAndCountsThem() throws {
        let path = RunFixture.folder.appendingPathComponent("with-bad-row.csv").path
        var bytes = try #require(FileManager.default.contents(atPath: RunFixture.counts))
        // synth's columns: …, deaths, healthy, surveyed, then five causes of death.
        bytes.append(Data("E01006412,2018,Male,0,9,nine,9,9,0,0,0,0,0\n".utf8))
        _ = FileManager.default.createFile(atPath: path, contents: bytes)
        let plan = try badPlan(
            "reject.yaml", replace: "    file: counts.csv", with: "    file: with-bad-row.csv\n    on_error: reject")
        let dir = output("rejects")
        let result = try Healthgap.run(["run", plan, "--output", dir])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("1 rejected"), "\(result.stderr)")
        let rejects = try parseCSV(String(contentsOfFile: dir + "/rejects-counts.csv", encoding: .utf8))
        #expect(rejects.count == 1)
        #expect(rejects.first?["value"] == "nine")
        let manifest = try String(contentsOfFile: dir + "/manifest.json", encoding: .utf8)
        #expect(manifest.contains("\"rows_rejected\": 1"))
    }

    @Test func aSecondRunOnTheSameOutputExits75WhileTheFirstHoldsTheLock() throws {
        let dir = output("locked")
        let lock = RunFixture.folder.appendingPathComponent(".locked.lock").path
        let fd = open(lock, O_RDWR | O_CREAT, 0o644)
        #expect(fd >= 0)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        let result = try Healthgap.run(["run", RunFixture.plan, "--output", dir])
        #expect(result.status == 75)
        #expect(result.stderr.contains("another healthgap run is writing these outputs"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir))
        flock(fd, LOCK_UN)
        #expect(try Healthgap.run(["run", RunFixture.plan, "--output", dir]).status == 0)
    }
}

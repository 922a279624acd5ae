import Foundation
import Testing
import _TestSupport

@testable import ResultsStore

/// `healthgap run` appends to the history; `healthgap history list|show|diff` read it (the built binary).
@Suite(.serialized) struct HistoryCommandTests {
    /// Synthetic counts for two Places, 2017–2021, made once per test process.
    static let counts: URL = {
        let folder = HistoryFixtures.folder()
        let path = folder.appendingPathComponent("counts.csv")
        let result = try? Healthgap.run([
            "synth", "--areas", "E08000011,E08000012", "--years", "2017-2021", "--seed", "3", "--output", path.path,
        ])
        precondition(result?.status == 0, "synth failed: \(result?.stderr ?? "")")
        return path
    }()

    /// A plan on the counts: life expectancy for one Place, rolling periods up to `to`.
    static func plan(
        in folder: URL, to last: Int, history: String?, deprivation: String = "core20",
        inequality: String = "absolute_range"
    ) throws -> String {
        let text = """
            name: history test plan
            inputs:
              counts:
                file: \(counts.path)
            geographies:
              - place: [E08000012]
            periods:
              - {rolling: 3, from: 2017, to: \(last)}
            seed: 7
            repetitions: 1000
            \(history.map { "history: \($0)" } ?? "")
            indicators:
              - id: le_birth
                method: life_expectancy
                numerator: deaths
                denominator: population
                deprivation: [\(deprivation)]
                inequality: [\(inequality)]

            """
        let path = folder.appendingPathComponent("plan.yaml")
        try Data(text.utf8).write(to: path)
        return path.path
    }

    @Test func twoRunsThenShowAndDiff() throws {
        let folder = HistoryFixtures.folder()
        let output = folder.appendingPathComponent("out").path
        let store = folder.appendingPathComponent("history.sqlite").path
        var plan = try Self.plan(in: folder, to: 2020, history: "history.sqlite")
        var result = try Healthgap.run(["run", plan, "--output", output, "--threads", "1", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        plan = try Self.plan(in: folder, to: 2021, history: "history.sqlite")
        result = try Healthgap.run(["run", plan, "--output", output, "--threads", "1", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        result = try Healthgap.run(["run", plan, "--output", output, "--threads", "1"])  // nothing to do
        #expect(result.status == 0 && result.stderr.contains("up to date"), "\(result.stderr)")

        let list = try Healthgap.run(["history", "list", "--store", store])
        #expect(list.status == 0, "\(list.stderr)")
        let runs = list.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[0] }
        #expect(runs == ["2", "1"])  // newest first; the up-to-date run wrote nothing

        let published = try String(contentsOfFile: output + "/results.csv", encoding: .utf8)
        let liverpool = published.split(separator: "\n").filter { $0.contains(",E08000012,") }
        let sqlite = try SQLiteResultsStore(path: store)
        #expect(try sqlite.runs().first?.records == published.split(separator: "\n").count - 1)
        sqlite.close()

        let show = try Healthgap.run([
            "history", "show", "--indicator", "le_birth", "--area", "E08000012", "--sex", "Male", "--measure", "value",
            "--store", store,
        ])
        #expect(show.status == 0, "\(show.stderr)")
        let rows = show.stdout.split(separator: "\n").dropFirst().map {
            $0.split(separator: ",", omittingEmptySubsequences: false)
        }
        let series = rows.filter { $0[0] == "periods" && $0[14] == "" }.map { String($0[11]) }
        #expect(series == ["2017-2019", "2018-2020", "2019-2021"])
        #expect(rows.filter { $0[0] == "revisions" }.allSatisfy { $0[1] == "2" && $0[11] == "2019-2021" })
        // The latest run's values are results.csv's, field for field.
        let expected = liverpool.filter { $0.contains(",Male,") && $0.contains(",value,") }
        let shown = show.stdout.split(separator: "\n").filter { $0.hasPrefix("periods,") }
            .map { $0.split(separator: ",", maxSplits: 3, omittingEmptySubsequences: false)[3] }
        #expect(shown == expected.map { $0[...] })

        let diff = try Healthgap.run(["history", "diff", "--store", store])
        #expect(diff.status == 0, "\(diff.stderr)")
        let changes = diff.stdout.split(separator: "\n").dropFirst()
        let newPeriod = liverpool.filter { $0.contains(",2019-2021,") }.count
        #expect(changes.count == newPeriod && changes.allSatisfy { $0.hasPrefix("new_period,") && $0.contains(",2019-2021,") })
        #expect(diff.stderr == "healthgap: run 1 -> run 2: \(newPeriod) new_period\n")

        result = try Healthgap.run(["run", plan, "--output", output, "--threads", "1", "--quiet", "--force"])
        #expect(result.status == 0, "\(result.stderr)")
        let same = try Healthgap.run(["history", "diff", "2", "3", "--store", store])
        #expect(same.stdout.split(separator: "\n").count == 1 && same.stderr.contains("no changes"))
        let revisions = try Healthgap.run([
            "history", "show", "--indicator", "le_birth", "--area", "E08000012", "--sex", "Male", "--measure", "value",
            "--store", store,
        ])
        let byRun = revisions.stdout.split(separator: "\n").filter { $0.hasPrefix("revisions,") && $0.contains(",,value,") }
            .map { $0.split(separator: ",")[1] }
        #expect(byRun == ["2", "3"])
    }

    @Test func withoutTheKeyTheStoreIsBesideTheOutput() throws {
        let folder = HistoryFixtures.folder()
        let plan = try Self.plan(in: folder, to: 2019, history: nil)
        let result = try Healthgap.run(["run", plan, "--threads", "1", "--quiet"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        let list = try Healthgap.run(["history", "list"], in: folder)
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.split(separator: "\n").count == 2)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("healthgap-history.sqlite").path))
    }

    @Test func aHistoryThatCannotBeWrittenPublishesNothing() throws {
        let folder = HistoryFixtures.folder()
        let output = folder.appendingPathComponent("out").path
        let plan = try Self.plan(in: folder, to: 2019, history: "no-such-folder/history.sqlite")
        let result = try Healthgap.run(["run", plan, "--output", output, "--threads", "1", "--quiet"])
        #expect(result.status == 73)
        #expect(result.stderr.contains("results history: the folder"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func aKilledRunLeavesTheStoreAsItWas() throws {
        let folder = HistoryFixtures.folder()
        let output = folder.appendingPathComponent("out").path
        let store = folder.appendingPathComponent("history.sqlite").path
        var plan = try Self.plan(in: folder, to: 2020, history: "history.sqlite")
        #expect(try Healthgap.run(["run", plan, "--output", output, "--threads", "1", "--quiet"]).status == 0)
        let before = try Healthgap.run(["history", "list", "--store", store]).stdout

        // Killed while its transaction is open: after `begin` (the store holds the write lock).
        plan = try Self.plan(
            in: folder, to: 2021, history: "history.sqlite", deprivation: "national_quintiles", inequality: "sii")
        let process = Process()
        process.executableURL = Healthgap.url
        process.arguments = ["run", plan, "--output", output, "--threads", "1", "--quiet", "--repetitions", "200000"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        let probe = try SQLiteResultsStore(path: store, busyTimeout: 0)
        var locked = false
        for _ in 0..<600 where !locked && process.isRunning {
            do {
                _ = try probe.beginRun(HistoryFixtures.run(time: 0))
                probe.rollbackRun()
                Thread.sleep(forTimeInterval: 0.01)
            } catch {
                locked = true  // the run's transaction is open
            }
        }
        probe.close()
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(locked, "the run finished before it could be killed")
        #expect(try Healthgap.run(["history", "list", "--store", store]).stdout == before)
        let next = try Healthgap.run(["run", plan, "--output", output, "--threads", "1", "--quiet"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(try Healthgap.run(["history", "list", "--store", store]).stdout.split(separator: "\n").count == 3)
    }
}

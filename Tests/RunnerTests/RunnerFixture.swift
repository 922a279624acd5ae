import Areas
import Foundation
import Ingest
import Logging
import Results
import Runner
import _TestSupport

/// Synthetic Cheshire and Merseyside counts (2013–2022, `healthgap synth`'s generator), made once
/// per test process, and the demo plan run on them once at a reduced number of repetitions.
enum RunnerFixture {
    /// The nine Cheshire and Merseyside local authorities.
    static let areas = "E06000049,E06000050,E06000006,E08000011,E08000012,E08000014,E08000013,E06000007,E08000015"
    /// The demo plan in `Data/plans/`.
    static let demoPlan = Fixtures.projectRoot.appendingPathComponent("Data/plans/cheshire-and-merseyside.yaml").path
    /// Repetitions of the simulated SII limits in tests.
    static let repetitions = 2_000

    static let data: DataDirectory = {
        do { return try DataDirectory.locate() } catch { fatalError("no data directory: \(error)") }
    }()

    /// The geography lookups, loaded once.
    static let geography: Geography = {
        do { return try Geography.load(data: data) } catch { fatalError("\(error)") }
    }()

    /// Every issue of a plan's text, parsed as `plan.yaml` and resolved against the lookups (no
    /// inputs are read); none for a good plan.
    static func planIssues(_ text: String) -> [PlanIssue] {
        let (plan, issues) = PlanParser.parse(text: text, path: "plan.yaml")
        guard let plan else { return issues }
        do {
            _ = try ResolvedPlan.resolve(plan, issues: issues, geography: geography)
            return []
        } catch {
            if case .plan(let found) = error { return found }
            return []
        }
    }

    /// The folder holding the generated files.
    static let folder: URL = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("healthgap-runner-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: RunnerFixture.folder) }  // generated files go with the process
        return dir
    }()

    /// The counts file and the truth file (life expectancy at birth by sex and national decile).
    static let counts: (counts: String, truth: String) = {
        let counts = folder.appendingPathComponent("cm-counts.csv").path
        let truth = folder.appendingPathComponent("cm-truth.csv").path
        var request = SyntheticCounts.Request(output: counts, data: data)
        request.areas = areas
        request.years = 2013...2022
        request.seed = 1
        request.truth = truth
        request.threads = 2
        do { _ = try SyntheticCounts.generate(request) } catch { fatalError("synth failed: \(error)") }
        return (counts, truth)
    }()

    /// The demo plan, run once on the synthetic counts: its summary and output link.
    static let demoRun: (summary: RunSummary, output: String) = {
        let output = folder.appendingPathComponent("demo-output").path
        var request = RunRequest(plan: demoPlan, data: data, toolVersion: "test")
        request.output = output
        request.threads = 2
        request.repetitions = repetitions
        request.inputFiles = ["counts": counts.counts]
        do {
            return (try BatchRunner.run(request, logger: Logger(label: "test")), output)
        } catch {
            fatalError("demo run failed: \(error)")
        }
    }()

    /// The long table of the demo run, as rows keyed by column name.
    static let results: [[String: String]] = {
        do {
            return try Fixtures.table(URL(fileURLWithPath: demoRun.output + "/results.csv"))
        } catch {
            fatalError("cannot read results.csv: \(error)")
        }
    }()
}

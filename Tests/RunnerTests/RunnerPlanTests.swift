import Areas
import Foundation
import Ingest
import Results
import Runner
import Testing
import _TestSupport

// Plans: the shape of the YAML (PlanParser) and its meaning against the lookups and the input's
// header (ResolvedPlan), every mistake reported at once with its line.

@Suite struct RunnerPlanTests {
    /// A valid plan; `replacing` swaps whole lines (1-based) to make it wrong in one place.
    static func plan(counts: String, replacing: [Int: String] = [:]) -> String {
        var lines = [
            "name: test plan",  // 1
            "inputs:",  // 2
            "  counts:",  // 3
            "    file: \(counts)",  // 4
            "geographies:",  // 5
            "  - icb: E54000008",  // 6
            "  - place: [E08000011, E08000012]",  // 7
            "periods:",  // 8
            "  - 2018-2020",  // 9
            "  - {rolling: 3, from: 2019, to: 2022}",  // 10
            "indicators:",  // 11
            "  - id: le",  // 12
            "    method: life_expectancy",  // 13
            "    numerator: deaths",  // 14
            "    denominator: population",  // 15
            "    deprivation: [local_deciles, national_deciles]",  // 16
            "    inequality: [sii, rii, absolute_range]",  // 17
            "  - id: u75",  // 18
            "    method: dsr",  // 19
            "    numerator: deaths",  // 20
            "    denominator: population",  // 21
            "    ages: 0-74",  // 22
            "    sexes: [Persons]",  // 23
            "    deprivation: [core20]",  // 24
            "    inequality: [absolute_range, relative_range]",  // 25
        ]
        for (line, text) in replacing { lines[line - 1] = text }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A counts file with the synth header and no rows (the plan check reads only its header).
    static let header: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("healthgap-plan-\(UUID().uuidString).csv").path
        _ = FileManager.default.createFile(atPath: path, contents: Data("lsoa_code,year,sex,age_band,population,deaths\n".utf8))
        return path
    }()

    static let geography: Geography = {
        do { return try Geography.load(data: RunnerFixture.data) } catch { fatalError("\(error)") }
    }()

    func resolve(_ text: String) -> Result<ResolvedPlan, RunnerError> {
        let (plan, issues) = PlanParser.parse(text: text, path: "plan.yaml")
        guard let plan else { return .failure(.plan(issues)) }
        do {
            return .success(try ResolvedPlan.resolve(plan, issues: issues, geography: Self.geography))
        } catch {
            return .failure(error)
        }
    }

    func issues(_ text: String) -> [PlanIssue] {
        if case .failure(.plan(let issues)) = resolve(text) { return issues }
        return []
    }

    @Test func aValidPlanExpandsIntoJobsInOrder() throws {
        let resolved = try resolve(Self.plan(counts: Self.header)).get()
        #expect(resolved.areas.map(\.code) == ["E54000008", "E08000011", "E08000012"])
        #expect(resolved.areas.map(\.type.rawValue) == ["icb", "place", "place"])
        #expect(resolved.areas[0].authorities.count == 9)
        #expect(resolved.plan.periods.map(\.label) == ["2018-2020", "2019-2021", "2020-2022"])
        // 3 areas × (le: 2 sexes + u75: 1 sex) × 3 periods.
        #expect(resolved.jobs.count == 3 * 3 * 3)
        #expect(resolved.jobs.map(\.index) == Array(0..<27))
        // The ICB takes no local deciles: one SII stream per job (national deciles); a Place two.
        let icb = resolved.jobs[0]
        #expect(icb.schemes == [.none, .nationalDeciles])
        #expect(icb.streamCount == 1)
        let place = try #require(resolved.jobs.first { $0.area == 1 })
        #expect(place.schemes == [.none, .nationalDeciles, .localDeciles])
        #expect(place.streamCount == 2)
        #expect(resolved.streamCount == resolved.jobs.reduce(0) { $0 + $1.streamCount })
        #expect(zip(resolved.jobs, resolved.jobs.dropFirst()).allSatisfy { $0.firstStream + $0.streamCount == $1.firstStream })
        // The under-75 DSR uses the 15 ESP2013 bands up to 70-74, weights summing to 91,000.
        let u75 = resolved.indicators[1]
        #expect(u75.methodBands.last == "70-74")
        #expect(u75.weights.reduce(0, +) == 91_000)
        #expect(resolved.skipped.count == 1)
    }

    @Test func anUnknownColumnIsReportedAtItsLine() {
        let found = issues(Self.plan(counts: Self.header, replacing: [14: "    numerator: dead"]))
        #expect(found.count == 1)
        #expect(found.first?.line == 14)
        #expect(found.first?.message.contains("numerator 'dead' is not a column") == true)
        #expect(found.first?.description.hasPrefix("plan.yaml:14:16: error:") == true)
    }

    @Test func anUnknownAreaCodeIsReportedAtItsLine() {
        let found = issues(Self.plan(counts: Self.header, replacing: [7: "  - place: [E08000011, E08000099]"]))
        #expect(found.map(\.line) == [7])
        #expect(found.first?.message.contains("'E08000099' is not a Place code") == true)
        let icb = issues(Self.plan(counts: Self.header, replacing: [6: "  - icb: E54000027"]))
        #expect(icb.map(\.line) == [6])
        #expect(icb.first?.message.contains("ICB lookup only for Cheshire and Merseyside") == true)
    }

    @Test func aMethodWithoutItsInputsIsReportedAtItsIndicator() {
        let found = issues(Self.plan(counts: Self.header, replacing: [20: "    name: no numerator"]))
        #expect(found.map(\.line) == [18])
        #expect(found.first?.message == "indicator 'u75': dsr needs numerator: the count column, e.g. deaths")
        let isr = issues(Self.plan(counts: Self.header, replacing: [19: "    method: isr"]))
        #expect(isr.contains { $0.line == 18 && $0.message.contains("isr needs reference") })
    }

    @Test(arguments: [
        ("  - 2020-2018", 9), ("  - 20x9", 9), ("  - {rolling: 3, from: 2019, to: 2020}", 10),
        ("  - {rolling: 0, from: 2019, to: 2022}", 10),
    ])
    func aBadPeriodIsReportedAtItsLine(text: String, line: Int) {
        let found = issues(Self.plan(counts: Self.header, replacing: [line: text]))
        #expect(found.map(\.line) == [line], "\(found)")
        #expect(found.first?.message.hasPrefix("period") == true)
    }

    @Test func everyMistakeIsReportedAtOnceInLineOrder() {
        let found = issues(
            Self.plan(
                counts: Self.header,
                replacing: [
                    7: "  - la: E0800001X", 9: "  - 2019-2018", 14: "    numerator: dead", 16: "    deprivation: [local_decile]",
                ]))
        #expect(found.map(\.line) == [7, 9, 14, 16])
        #expect(found.last?.message.contains("did you mean 'local_deciles'?") == true)
    }

    @Test func unknownKeysAndBrokenYAMLAreReported() {
        let typo = issues(Self.plan(counts: Self.header, replacing: [17: "    inequalty: [sii]"]))
        #expect(typo.map(\.line) == [17])
        #expect(typo.first?.message.contains("did you mean 'inequality'?") == true)
        let broken = issues(Self.plan(counts: Self.header, replacing: [13: "    method: [life_expectancy"]))
        #expect(broken.count == 1)
        #expect(broken.first?.message.hasPrefix("not valid YAML") == true)
        #expect((broken.first?.line ?? 0) >= 13)
    }

    @Test func anAgeRangeMustFollowTheStandardsBands() {
        let found = issues(Self.plan(counts: Self.header, replacing: [22: "    ages: 0-76"]))
        #expect(found.map(\.line) == [22])
        #expect(found.first?.message.contains("straddles") == true)
    }

    @Test func aMissingInputIsUnreadableNotABadPlan() {
        guard case .failure(let error) = resolve(Self.plan(counts: "/nonexistent/counts.csv")) else {
            Issue.record("resolved a plan whose input does not exist")
            return
        }
        #expect(error.exitCode == 66)
        #expect(error.description.hasPrefix("plan.yaml:4:11: error: inputs.counts: cannot open /nonexistent/counts.csv"))
    }

    @Test func theDemoPlansAreValid() throws {
        for name in ["cheshire-and-merseyside.yaml", "england-benchmark.yaml"] {
            let path = Fixtures.projectRoot.appendingPathComponent("Data/plans/\(name)").path
            let resolved = try PlanReport.resolve(plan: path, data: RunnerFixture.data, requireInputs: false)
            #expect(!resolved.jobs.isEmpty)
            if name.hasPrefix("england") {
                // 317 local authorities × 3 indicators × 2 sexes × 8 periods, one SII each.
                #expect(resolved.jobs.count == 15_216)
                #expect(resolved.streamCount == 15_216)
            }
        }
    }

    @Test func lookupFilesComeFromThePlanWhenGiven() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("healthgap-plan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let places = RunnerFixture.data.file("lookups/cheshire_and_merseyside_places.csv")
        // Only Knowsley is a Place in this lookup (and its ICB has no other).
        let text =
            try String(contentsOfFile: places, encoding: .utf8).split(separator: "\n")
            .filter { $0.hasPrefix("lad19_code") || $0.hasPrefix("E08000011") }.joined(separator: "\n") + "\n"
        _ = FileManager.default.createFile(atPath: folder.appendingPathComponent("places.csv").path, contents: Data(text.utf8))
        let lines = Self.plan(counts: Self.header).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let withLookup = (lines[0..<4] + ["lookups:", "  places: places.csv"] + lines[4...]).joined(separator: "\n")
        let plan = folder.appendingPathComponent("plan.yaml").path
        _ = FileManager.default.createFile(atPath: plan, contents: Data(withLookup.utf8))
        do {
            _ = try PlanReport.resolve(plan: plan, data: RunnerFixture.data, requireInputs: true)
            Issue.record("Liverpool is not a Place in this lookup")
        } catch {
            #expect(error.exitCode == 78)
            #expect(error.description.contains(":9:") && error.description.contains("'E08000012'"), "\(error)")
        }
        let missing = withLookup.replacingOccurrences(of: "places: places.csv", with: "places: nowhere.csv")
        _ = FileManager.default.createFile(atPath: plan, contents: Data(missing.utf8))
        do {
            _ = try PlanReport.resolve(plan: plan, data: RunnerFixture.data, requireInputs: true)
            Issue.record("resolved a plan whose lookup does not exist")
        } catch {
            #expect(error.exitCode == 66)
            #expect(error.description.contains("plan.yaml:6:11: error: lookups.places: cannot open"), "\(error)")
        }
    }
}

import Foundation
import Testing
import _TestSupport

// `method: le_gap_decomposition` through the built binary: a plan's mistakes exit 78 with their
// line and column, and a good plan's run writes gap_contribution rows with the cause column.

@Suite struct GapDecompositionPlanTests {
    static func planText(compare: String = "[most_vs_least]", cause: String = "circulatory") -> String {
        """
        name: CLI gap decomposition
        inputs:
          counts:
            file: counts.csv
        geographies:
          - place: [E08000011, E08000012]
        periods: [2019-2021]
        repetitions: 1000
        indicators:
          - id: le_gap
            method: le_gap_decomposition
            numerator: deaths
            denominator: population
            compare: \(compare)
            causes: {circulatory: \(cause), cancer: cancer}
            deprivation: [local_quintiles]

        """
    }

    /// A plan file beside the run fixture's counts (its input path is relative).
    static func plan(_ name: String, _ text: String) -> String {
        _ = RunFixture.counts
        let path = RunFixture.folder.appendingPathComponent(name).path
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    @Test func planMistakesExit78WithTheirLineAndColumn() throws {
        let bad = Self.plan("gap-bad.yaml", Self.planText(compare: "[most_vs_least, area_vs_benchmrk]", cause: "circ"))
        let check = try Healthgap.run(["plan", "check", bad])
        #expect(check.status == 78, "\(check.stderr)")
        #expect(
            check.stderr.contains(
                "\(bad):14:30: error: indicator 'le_gap': compare 'area_vs_benchmrk' is not one of most_vs_least, area_vs_benchmark; did you mean 'area_vs_benchmark'?"
            ), "\(check.stderr)")
        #expect(
            check.stderr.contains(
                "\(bad):15:27: error: indicator 'le_gap': cause 'circulatory': 'circ' is not a column of counts.csv"),
            "\(check.stderr)")
        let run = try Healthgap.run(["run", bad, "--output", RunFixture.folder.appendingPathComponent("gap-bad-out").path])
        #expect(run.status == 78)
    }

    @Test func aRunWritesTheContributionsWithTheirCause() throws {
        let good = Self.plan("gap-good.yaml", Self.planText())
        let output = RunFixture.folder.appendingPathComponent("gap-good-out").path
        let run = try Healthgap.run(["run", good, "--output", output])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = try Fixtures.table(URL(fileURLWithPath: output + "/results.csv"))
        // Two Places × two sexes × 21 ages × (all, circulatory, cancer, other).
        #expect(rows.count == 2 * 2 * 21 * 4, "\(rows.count) rows")
        #expect(rows.allSatisfy { $0["measure"] == "gap_contribution" && $0["deprivation_scheme"] == "local_quintiles" })
        #expect(rows.prefix(4).map { $0["cause"]! } == ["all", "circulatory", "cancer", "other"])
        #expect(rows.last?["age"] == "all" && rows.last?["cause"] == "other")
        let explain = try Healthgap.run(["plan", "explain", good])
        #expect(explain.stdout.contains("compare most_vs_least (local quintile 1 against 5)"), "\(explain.stdout)")
    }
}

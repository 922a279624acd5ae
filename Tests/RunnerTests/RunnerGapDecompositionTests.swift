import Areas
import Foundation
import Indicators
import Ingest
import Logging
import Results
import Runner
import Testing
import _TestSupport

// `method: le_gap_decomposition` in a plan, on the synthetic Cheshire and Merseyside counts (whose
// deaths by cause `synth` writes): the contributions add up to the life-expectancy gap of the same
// cells, as a `life_expectancy` indicator of the same plan computes them, and the causes of every
// band to the band; and what `plan check` says about its keys.

@Suite struct RunnerGapDecompositionTests {
    static let causes = ["circulatory", "cancer", "respiratory", "digestive", "external"]

    static let planText = """
        name: gap decomposition
        inputs:
          counts: {file: COUNTS}
        geographies:
          - place: E08000012
          - icb: E54000008
          - place: E08000011
        periods: [2019-2021]
        repetitions: 1000
        indicators:
          - id: le
            method: life_expectancy
            numerator: deaths
            denominator: population
            sexes: [Male, Persons]
            deprivation: [local_quintiles, national_deciles]
          - id: gap
            method: le_gap_decomposition
            numerator: deaths
            denominator: population
            compare: [most_vs_least, area_vs_benchmark]
            causes: {circulatory: circulatory, cancer: cancer, respiratory: respiratory, digestive: digestive, external: external}
            sexes: [Male, Persons]
            deprivation: [local_quintiles, national_deciles]
          - id: gap_ages
            method: le_gap_decomposition
            numerator: deaths
            denominator: population
            compare: [area_vs_benchmark]
            benchmark: E08000011
            sexes: [Female]

        """

    static let planPath: String = {
        let folder = RunnerFixture.folder.appendingPathComponent("gap")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let plan = folder.appendingPathComponent("gap.yaml").path
        let text = planText.replacingOccurrences(of: "COUNTS", with: RunnerFixture.counts.counts)
        _ = FileManager.default.createFile(atPath: plan, contents: Data(text.utf8))
        return plan
    }()

    static let output = RunnerFixture.folder.appendingPathComponent("gap/out").path

    static let run: [[String: String]] = {
        var request = RunRequest(plan: planPath, data: RunnerFixture.data, toolVersion: "test")
        request.output = output
        request.threads = 2
        do {
            _ = try BatchRunner.run(request, logger: Logger(label: "test"))
            return try Fixtures.table(URL(fileURLWithPath: output + "/results.csv"))
        } catch {
            fatalError("gap decomposition plan failed: \(error)")
        }
    }()

    func row(_ values: [String: String]) throws -> [String: String] {
        try #require(Self.run.first { row in values.allSatisfy { row[$0.key] == $0.value } }, "\(values)")
    }

    func value(_ values: [String: String]) throws -> Double {
        try #require(Double(try row(values)["value"]!), "\(values)")
    }

    /// The gap_contribution rows of one comparison.
    func contributions(indicator: String, area: String, sex: String, scheme: String) -> [[String: String]] {
        Self.run.filter {
            $0["indicator_id"] == indicator && $0["area_code"] == area && $0["sex"] == sex
                && $0["deprivation_scheme"] == scheme && $0["measure"] == "gap_contribution"
        }
    }

    /// Checks that the bands add up to the whole gap and the causes of each band to the band (1e-9).
    func expectAddsUp(_ rows: [[String: String]], causes: [String], _ what: String) throws {
        let ages = LifeExpectancy.startAges.map(String.init) + ["all"]
        #expect(rows.count == ages.count * (1 + causes.count), "\(what)")
        func years(_ age: String, _ cause: String) throws -> Double {
            let found = try #require(rows.first { $0["age"] == age && $0["cause"] == cause }, "\(what) \(age) \(cause)")
            return try #require(Double(found["value"]!))
        }
        let gap = try years("all", "all")
        let bands = try LifeExpectancy.startAges.map { try years(String($0), "all") }
        expectClose(bands.reduce(0, +), gap, absolute: 1e-9, "\(what): the bands add up to the gap")
        for age in ages where !causes.isEmpty {
            let parts = try causes.map { try years(age, $0) }
            expectClose(parts.reduce(0, +), try years(age, "all"), absolute: 1e-9, "\(what): the causes of band \(age)")
        }
        // Rows in order: each band's total then its causes, then all ages.
        #expect(rows.map { $0["age"]! } == ages.flatMap { Array(repeating: $0, count: 1 + causes.count) }, "\(what)")
        #expect(Array(rows.prefix(1 + causes.count).map { $0["cause"]! }) == ["all"] + causes, "\(what)")
        #expect(rows.allSatisfy { $0["method"] == "le_gap_decomposition" && $0["quantile"] == "" }, "\(what)")
        #expect(rows.allSatisfy { $0["lower95_0cl"] == "" && $0["count"] == "" && $0["note"] == "" }, "\(what)")
    }

    @Test(arguments: [
        ("E08000012", "local_quintiles", 5), ("E08000011", "local_quintiles", 5), ("E54000008", "national_deciles", 10),
    ])
    func mostAgainstLeastDeprivedAddsUpToTheGapOfTheSameCells(area: String, scheme: String, quantiles: Int) throws {
        for sex in ["Male", "Persons"] {
            let rows = contributions(indicator: "gap", area: area, sex: sex, scheme: scheme)
            try expectAddsUp(rows, causes: Self.causes + ["other"], "\(area) \(sex) \(scheme)")
            let key = ["indicator_id": "le", "area_code": area, "sex": sex, "deprivation_scheme": scheme]
            let most = try value(key.merging(["quantile": "1"]) { $1 })
            let least = try value(key.merging(["quantile": "\(quantiles)"]) { $1 })
            let gap = try #require(Double(rows.last { $0["age"] == "all" && $0["cause"] == "all" }!["value"]!))
            expectClose(gap, least - most, absolute: 1e-9, "\(area) \(sex) \(scheme): the gap of the life expectancies")
            #expect(gap > 2, "a deprivation gap in the synthetic counts: \(gap) years")
        }
    }

    @Test func aSideTheLifeTableRefusesLeavesOneRowWithItsReason() throws {
        // Liverpool has few LSOAs in national decile 10: its life table is refused (or blanked) by §5,
        // and so is the comparison, as one row naming the side.
        let key = ["indicator_id": "le", "area_code": "E08000012", "sex": "Male", "deprivation_scheme": "national_deciles"]
        let least = try row(key.merging(["quantile": "10"]) { $1 })
        try #require(least["value"] == "", "Liverpool's national decile 10 has a life expectancy: \(least)")
        let rows = contributions(indicator: "gap", area: "E08000012", sex: "Male", scheme: "national_deciles")
        #expect(rows.count == 1)
        #expect(rows.first?["age"] == "all" && rows.first?["cause"] == "all" && rows.first?["value"] == "")
        #expect(rows.first?["note"]?.hasPrefix("not computed: national decile 10: ") == true, "\(rows)")
    }

    @Test func theAreaAgainstTheBenchmarkIsTheGapToThePlansWidestArea() throws {
        // No benchmark named: the ICB, the widest of the plan's areas (listed after the Place).
        for area in ["E08000012", "E08000011"] {
            let rows = contributions(indicator: "gap", area: area, sex: "Male", scheme: "none")
            try expectAddsUp(rows, causes: Self.causes + ["other"], "\(area) against the ICB")
            let mine = try value(["indicator_id": "le", "area_code": area, "sex": "Male", "deprivation_scheme": "none"])
            let icb = try value(["indicator_id": "le", "area_code": "E54000008", "sex": "Male", "deprivation_scheme": "none"])
            let gap = try #require(Double(rows.last { $0["age"] == "all" && $0["cause"] == "all" }!["value"]!))
            expectClose(gap, icb - mine, absolute: 1e-9, "\(area) against the ICB")
        }
        // The ICB is not compared with itself, and has no local quintiles: national deciles only.
        let icb = Self.run.filter { $0["indicator_id"] == "gap" && $0["area_code"] == "E54000008" }
        #expect(Set(icb.map { $0["deprivation_scheme"]! }) == ["national_deciles"])
    }

    @Test func withoutCausesTheGapIsSplitByAgeOnly() throws {
        // Liverpool and the ICB against Knowsley, women; Knowsley itself has no job.
        for area in ["E08000012", "E54000008"] {
            let rows = contributions(indicator: "gap_ages", area: area, sex: "Female", scheme: "none")
            try expectAddsUp(rows, causes: [], "\(area) against Knowsley")
        }
        #expect(!Self.run.contains { $0["indicator_id"] == "gap_ages" && $0["area_code"] == "E08000011" })
        let resolved = try PlanReport.resolve(plan: Self.planPath, data: RunnerFixture.data, requireInputs: false)
        #expect(resolved.skipped.contains("gap_ages: the benchmark Knowsley (E08000011) is not compared with itself"))
        #expect(resolved.skipped.contains { $0.hasPrefix("gap: no local quintiles for icb") })
    }

    @Test func otherRecordsHaveNoCauseAndTheTablesWithGapsHaveTheColumn() throws {
        #expect(Self.run.allSatisfy { ($0["measure"] == "gap_contribution") == ($0["cause"] != "") })
        let header = try String(contentsOfFile: Self.output + "/results.csv", encoding: .utf8).prefix { $0 != "\n" }
        #expect(header.hasPrefix("indicator_id,indicator,method,area_code,area_name,area_type,sex,age,cause,period,"))
        // The breakdown compared, and the whole-area table of the benchmark comparison, have the cause column.
        func tableHeader(_ name: String) throws -> Substring {
            try String(contentsOfFile: Self.output + "/tables/" + name, encoding: .utf8).prefix { $0 != "\n" }
        }
        #expect(
            try tableHeader("place_liverpool_by-local-quintile.csv").hasPrefix("indicator_id,indicator,sex,age,cause,period,"))
        #expect(try tableHeader("place_liverpool_whole-area.csv").hasPrefix("indicator_id,indicator,sex,age,cause,period,"))
        let whole = try Fixtures.table(URL(fileURLWithPath: Self.output + "/tables/place_liverpool_whole-area.csv"))
        #expect(!whole.isEmpty && whole.allSatisfy { $0["measure"] == "gap_contribution" })
        let quintiles = try Fixtures.table(URL(fileURLWithPath: Self.output + "/tables/place_liverpool_by-local-quintile.csv"))
        #expect(quintiles.contains { $0["indicator_id"] == "le" && $0["cause"] == "" && $0["quantile"] == "all" })
        #expect(quintiles.contains { $0["indicator_id"] == "gap" && $0["cause"] == "circulatory" })
    }

    @Test func explainDescribesTheComparisonsAndTheCauses() throws {
        let resolved = try PlanReport.resolve(plan: Self.planPath, data: RunnerFixture.data, requireInputs: false)
        // One pass: deaths and population, with the causes as more columns of it.
        #expect(resolved.sources.count == 1 && resolved.sources[0].extraColumns == Self.causes)
        #expect(resolved.indicators[1].causeSlots == [0, 1, 2, 3, 4])
        #expect(resolved.indicators[1].benchmark?.code == "E54000008")
        #expect(resolved.indicators[2].benchmark?.code == "E08000011")
        let text = PlanReport.explain(resolved)
        #expect(
            text.contains(
                "read once: population and deaths (and circulatory, cancer, respiratory, digestive, external: deaths by cause)"))
        #expect(
            text.contains(
                "le_gap_decomposition of deaths per population; the gap in life expectancy at birth by life-table age band"))
        #expect(
            text.contains(
                "compare most_vs_least (national decile 1 against 10; local quintile 1 against 5), area_vs_benchmark (each area against icb E54000008 NHS Cheshire and Merseyside, the plan's widest area)"
            ), "\(text)")
        #expect(text.contains("causes circulatory, cancer, respiratory, digestive, external, and other"))
        #expect(text.contains("area_vs_benchmark (each area against place E08000011 Knowsley)"))
    }

    @Test func causesSummingToMoreThanTheDeathsStopTheRunNamingTheCell() throws {
        let text = Self.planText.replacingOccurrences(of: "COUNTS", with: RunnerFixture.counts.counts)
            .replacingOccurrences(
                of:
                    "causes: {circulatory: circulatory, cancer: cancer, respiratory: respiratory, digestive: digestive, external: external}",
                with: "causes: {circulatory: circulatory, everyone: population}")
        let folder = RunnerFixture.folder.appendingPathComponent("gap-bad")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let plan = folder.appendingPathComponent("bad.yaml").path
        _ = FileManager.default.createFile(atPath: plan, contents: Data(text.utf8))
        var request = RunRequest(plan: plan, data: RunnerFixture.data, toolVersion: "test")
        request.output = folder.appendingPathComponent("out").path
        do {
            _ = try BatchRunner.run(request, logger: Logger(label: "test"))
            Issue.record("a run with causes summing to more than the deaths succeeded")
        } catch {
            #expect(error.exitCode == 65)
            let message = error.description
            #expect(message.hasPrefix(RunnerFixture.counts.counts + ": "), "\(message)")
            // The first cell of a failing job: its first comparison's base (national decile 1), band 0.
            #expect(message.contains(": group indicator gap, "), "\(message)")
            #expect(
                message.contains(
                    ", 2019-2021, national decile 1, band 0: deaths by cause (circulatory, everyone) sum to more than all deaths ("
                ), "\(message)")
        }
        #expect(!FileManager.default.fileExists(atPath: request.output), "nothing published")
    }
}

/// What `plan check` says about a gap decomposition's keys and columns.
@Suite struct RunnerGapDecompositionPlanTests {
    /// A plan with one gap decomposition; `replacing` swaps whole lines (1-based).
    static func plan(replacing: [Int: String] = [:]) -> String {
        var lines = [
            "inputs:",  // 1
            "  counts: {file: \(header)}",  // 2
            "geographies: [{icb: E54000008}, {place: E08000012}]",  // 3
            "periods: [2019-2021]",  // 4
            "indicators:",  // 5
            "  - id: gap",  // 6
            "    method: le_gap_decomposition",  // 7
            "    numerator: deaths",  // 8
            "    denominator: population",  // 9
            "    compare: [most_vs_least, area_vs_benchmark]",  // 10
            "    causes: {circulatory: circulatory, cancer: cancer}",  // 11
            "    deprivation: [local_quintiles]",  // 12
            "    sexes: [Male, Female]",  // 13
        ]
        for (line, text) in replacing { lines[line - 1] = text }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A counts file with the synth header and no rows.
    static let header: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("healthgap-gap-\(UUID().uuidString).csv").path
        _ = FileManager.default.createFile(
            atPath: path,
            contents: Data(
                "lsoa_code,year,sex,age_band,population,deaths,healthy,surveyed,circulatory,cancer,respiratory,digestive,external\n"
                    .utf8))
        return path
    }()

    func issues(_ text: String) -> [PlanIssue] { RunnerFixture.planIssues(text) }

    @Test func aValidPlanHasNoIssuesAndItsParts() throws {
        #expect(issues(Self.plan()).isEmpty)
        let (plan, _) = PlanParser.parse(text: Self.plan(), path: "plan.yaml")
        let spec = try #require(plan?.indicators.first)
        #expect(spec.method == .leGapDecomposition && spec.compare == [.mostVsLeast, .areaVsBenchmark])
        #expect(spec.causes.map(\.name) == ["circulatory", "cancer"] && spec.causes.map(\.column) == ["circulatory", "cancer"])
        #expect(spec.causes.map(\.location.line) == [11, 11] && spec.benchmark == nil)
        let named = try #require(
            PlanParser.parse(text: Self.plan(replacing: [13: "    benchmark: E92000001"]), path: "p.yaml").0?.indicators.first)
        #expect(named.benchmark == "E92000001")
        #expect(issues(Self.plan(replacing: [13: "    benchmark: E92000001"])).isEmpty)
    }

    @Test func anUnknownComparisonIsReportedAtItsItem() {
        let found = issues(Self.plan(replacing: [10: "    compare: [most_v_least]"]))
        #expect(
            found.map(\.description).contains {
                $0.hasPrefix(
                    "plan.yaml:10:15: error: indicator 'gap': compare 'most_v_least' is not one of most_vs_least, area_vs_benchmark; did you mean 'most_vs_least'?"
                )
            }, "\(found)")
        let missing = issues(Self.plan(replacing: [10: "    name: gap"]))
        #expect(missing.map(\.line) == [6], "\(missing)")
        #expect(missing.first?.message.contains("le_gap_decomposition needs compare: most_vs_least") == true)
    }

    @Test func aCauseColumnMissingFromTheInputIsReportedAtItsValue() {
        let found = issues(Self.plan(replacing: [11: "    causes: {circulatory: circulatory, cancer: deaths_cancer}"]))
        #expect(found.count == 1, "\(found)")
        #expect(
            found.first?.description.hasPrefix(
                "plan.yaml:11:48: error: indicator 'gap': cause 'cancer': 'deaths_cancer' is not a column of") == true, "\(found)"
        )
    }

    @Test func compareBenchmarkAndCausesAreOnlyForTheDecomposition() {
        let found = issues(Self.plan(replacing: [7: "    method: life_expectancy", 12: "    benchmark: E92000001"]))
        #expect(found.map(\.line) == [10, 11, 12], "\(found)")
        #expect(
            found.map(\.message).contains("indicator 'gap': causes is for le_gap_decomposition indicators, not life expectancy"))
        #expect(
            found.map(\.message).contains("indicator 'gap': compare is for le_gap_decomposition indicators, not life expectancy"))
    }

    @Test func causeNamesAndColumnsAreChecked() {
        let reserved = issues(Self.plan(replacing: [11: "    causes: {other: circulatory}"]))
        #expect(reserved.map(\.line) == [11] && reserved.first?.message.contains("a name the decomposition keeps") == true)
        let twice = issues(Self.plan(replacing: [11: "    causes: {a: circulatory, b: circulatory}"]))
        #expect(twice.map(\.line) == [11] && twice.first?.message.contains("already the column of cause 'a'") == true)
        let deaths = issues(Self.plan(replacing: [11: "    causes: {all_deaths: deaths}"]))
        #expect(deaths.first?.message.contains("is the numerator") == true, "\(deaths)")
        let list = issues(Self.plan(replacing: [11: "    causes: [circulatory, cancer]"]))
        #expect(list.map(\.line) == [11] && list.first?.message.contains("must be a mapping") == true)
    }

    @Test func theBreakdownsAndBenchmarkAreChecked() {
        let none = issues(Self.plan(replacing: [12: "    sexes: [Male]", 13: "    name: x"]))
        #expect(
            none.map(\.line) == [10] && none.first?.message.contains("most_vs_least compares the most and least") == true,
            "\(none)")
        let core20 = issues(Self.plan(replacing: [12: "    deprivation: [core20]"]))
        #expect(core20.map(\.line) == [12] && core20.first?.message.contains("core20 is not one") == true, "\(core20)")
        let unknown = issues(Self.plan(replacing: [13: "    benchmark: E99999999"]))
        #expect(unknown.map(\.line) == [13] && unknown.first?.message.contains("benchmark 'E99999999' is not England") == true)
        let unused = issues(Self.plan(replacing: [10: "    compare: [most_vs_least]", 13: "    benchmark: E92000001"]))
        #expect(
            unused.map(\.line) == [13] && unused.first?.message.contains("benchmark is for compare: area_vs_benchmark") == true)
        let alone = issues(Self.plan(replacing: [3: "geographies: [{place: E08000012}]"]))
        #expect(
            alone.map(\.line) == [10] && alone.first?.message.contains("area_vs_benchmark needs a benchmark") == true, "\(alone)")
    }

    @Test func keysOfOtherMethodsDoNotApply() {
        let inequality = issues(Self.plan(replacing: [13: "    inequality: [sii]"]))
        #expect(inequality.map(\.line) == [13] && inequality.first?.message.contains("not for a gap decomposition") == true)
        let atAge = issues(Self.plan(replacing: [13: "    at_age: 65"]))
        #expect(atAge.map(\.line) == [13] && atAge.first?.message.contains("at_age does not apply") == true)
        let ages = issues(Self.plan(replacing: [13: "    ages: 0-74"]))
        #expect(ages.map(\.line) == [13] && ages.first?.message.contains("ages does not apply") == true)
    }
}

import Areas
import CSVStream
import Foundation
import Indicators
import Logging
import Results
import Testing
import _TestSupport

@testable import Runner

// The judgements of a run (METHODS.md §11, §12, issue 11): the plan keys that ask for them and their
// mistakes, the judgement stage on hand-built series (every word and every reason for none), and
// the runner end to end on synthetic counts.

@Suite struct RunnerJudgementPlanTests {
    /// A valid judged plan; `replacing` swaps whole lines (1-based), `adding` appends lines.
    static func plan(replacing: [Int: String] = [:], adding: [String] = []) -> String {
        var lines = [
            "name: judged plan",  // 1
            "inputs:",  // 2
            "  counts:",  // 3
            "    file: \(RunnerPlanTests.header)",  // 4
            "geographies:",  // 5
            "  - place: [E08000011, E08000012]",  // 6
            "periods:",  // 7
            "  - {rolling: 1, from: 2014, to: 2018}",  // 8
            "benchmarks: [icb, region]",  // 9
            "comparison: ci95",  // 10
            "indicators:",  // 11
            "  - id: le",  // 12
            "    method: life_expectancy",  // 13
            "    numerator: deaths",  // 14
            "    denominator: population",  // 15
            "    deprivation: [local_deciles]",  // 16
            "    inequality: [sii, absolute_range]",  // 17
            "    polarity: high_is_good",  // 18
            "    goal: {baseline: 2015, target: {reduce_gap_by: 20%}, by: 2018}",  // 19
            "  - id: u75",  // 20
            "    method: dsr",  // 21
            "    numerator: deaths",  // 22
            "    denominator: population",  // 23
            "    ages: 0-74",  // 24
            "    sexes: [Persons]",  // 25
            "    polarity: low_is_good",  // 26
            "    comparison: control_limits",  // 27
        ]
        for (line, text) in replacing { lines[line - 1] = text }
        return (lines + adding).joined(separator: "\n") + "\n"
    }

    func issues(_ text: String) -> [PlanIssue] { RunnerFixture.planIssues(text) }

    @Test func aJudgedPlanResolvesWithItsBenchmarksAfterItsOwnAreas() throws {
        let (parsed, parseIssues) = PlanParser.parse(text: Self.plan(), path: "plan.yaml")
        let plan = try #require(parsed)
        #expect(parseIssues.isEmpty, "\(parseIssues)")
        #expect(plan.benchmarks.map(\.kind) == [.icb, .region])
        #expect(plan.indicators.map(\.polarity) == [.highIsGood, .lowIsGood])
        #expect(plan.indicators[1].comparison == .controlLimits)
        #expect(plan.indicators[0].goal == GoalSpec(baseline: 2015, target: .reduceGapBy(0.2), by: 2018))
        let resolved = try ResolvedPlan.resolve(plan, issues: [], geography: RunnerPlanTests.geography)
        // The two Places, then the ICB and the North West (the ICB's own region) added for the comparisons.
        #expect(resolved.areas.map(\.code) == ["E08000011", "E08000012", "E54000008", "E12000002"])
        #expect(resolved.benchmarks[0] == [AreaBenchmark(kind: .icb, area: 2), AreaBenchmark(kind: .region, area: 3)])
        #expect(resolved.benchmarks[2] == [AreaBenchmark(kind: .region, area: 3)])
        #expect(resolved.benchmarks[3].isEmpty)
        // The plan's own areas keep their jobs: the added ones come after.
        #expect(resolved.jobs.prefix(2 * 3 * 5).allSatisfy { $0.area < 2 })
        #expect(resolved.benchmarkJobs == Array(30..<60))
    }

    @Test func aPlanWithoutPolarityComputesNoBenchmarkArea() throws {
        let text = Self.plan(replacing: [18: "    name: le", 26: "    name: u75", 27: "    multiplier: 100000"])
        let (parsed, _) = PlanParser.parse(text: text, path: "plan.yaml")
        let resolved = try ResolvedPlan.resolve(#require(parsed), issues: [], geography: RunnerPlanTests.geography)
        #expect(resolved.areas.map(\.code) == ["E08000011", "E08000012"])
        #expect(resolved.benchmarks.isEmpty)
    }

    @Test(arguments: [
        (18, "    polarity: high_is_better", "polarity 'high_is_better' is not one of", "high_is_good, low_is_good"),
        (27, "    comparison: ci99", "comparison: 'ci99' is not one of", "ci95, ci95_99_8, overlap, control_limits"),
        (10, "comparison: overlap_95", "comparison: 'overlap_95' is not one of", "did you mean 'overlap'?"),
        (9, "benchmarks: [england, ccg]", "benchmarks: 'ccg' is not one of england, region, icb", ""),
        (9, "benchmarks: [{file: england.csv}]", "published benchmark values", ""),
    ])
    func aBadJudgementKeyIsReportedAtItsLine(line: Int, text: String, message: String, hint: String) {
        let found = issues(Self.plan(replacing: [line: text]))
        #expect(found.map(\.line) == [line], "\(found)")
        #expect(found.first?.message.contains(message) == true, "\(found)")
        #expect(hint.isEmpty || found.first?.message.contains(hint) == true, "\(found)")
        #expect(found.first?.column ?? 0 > 0)
    }

    @Test func aGoalOnAnIndicatorWithoutAGapIsAPlanError() {
        let found = issues(Self.plan(replacing: [17: "    name: no gap", 16: "    sexes: [Female]"]))
        #expect(found.map(\.line) == [19], "\(found)")
        #expect(found.first?.message.contains("a goal is set on the indicator's gap, and it has none") == true)
        #expect(found.first?.description.hasPrefix("plan.yaml:19:11: error:") == true, "\(found)")
    }

    @Test(arguments: [
        ("    goal: {baseline: 2018, target: {reduce_gap_by: 20%}, by: 2015}", "must come after its baseline"),
        ("    goal: {baseline: 2015, target: {reduce_gap_by: 120%}, by: 2018}", "is not a percentage"),
        ("    goal: {baseline: 2015, target: {value: 7, reduce_gap_by: 20%}, by: 2018}", "takes one of value or reduce_gap_by"),
        ("    goal: {baseline: 2015, by: 2018}", "goal needs target"),
        ("    goal: {baseline: 2015, target: {share: 3}, by: 2018}", "unknown key 'share'"),
    ])
    func aMalformedGoalIsReportedAtItsLine(text: String, message: String) {
        let found = issues(Self.plan(replacing: [19: text]))
        #expect(found.map(\.line) == [19], "\(found)")
        #expect(found.first?.message.contains(message) == true, "\(found)")
    }

    @Test func aComparisonRuleMustSuitTheIndicator() {
        // Control limits are for DSRs and proportions; ci95_99_8 needs the 99.8% limits.
        let control = issues(Self.plan(replacing: [18: "    polarity: high_is_good\n    comparison: control_limits"]))
        #expect(control.map(\.line) == [19], "\(control)")
        #expect(control.first?.message.contains("control_limits are for DSRs and proportions") == true, "\(control)")
        let twoLevels = issues(Self.plan(replacing: [27: "    comparison: ci95_99_8", 25: "    confidence: [95]"]))
        #expect(twoLevels.map(\.line) == [27], "\(twoLevels)")
        #expect(twoLevels.first?.message.contains("confidence needs [95, 99.8]") == true)
        // A comparison without a polarity would never be used.
        let unused = issues(Self.plan(replacing: [26: "    name: u75 rate"]))
        #expect(unused.map(\.line) == [27], "\(unused)")
        #expect(unused.first?.message.contains("comparison applies to an indicator with a polarity") == true)
    }
}

/// The judgement stage on hand-built records: every word, and every reason for none.
@Suite struct JudgementStageTests {
    static let levels = [ConfidenceLevel(95)!, ConfidenceLevel(99.8)!]

    /// The judged plan resolved, with `periods` replacing its annual 2014–2018.
    static func resolved(periods: String = "  - {rolling: 1, from: 2014, to: 2018}") throws -> ResolvedPlan {
        let text = RunnerJudgementPlanTests.plan(replacing: [8: periods])
        let (parsed, _) = PlanParser.parse(text: text, path: "plan.yaml")
        return try ResolvedPlan.resolve(#require(parsed), issues: [], geography: RunnerPlanTests.geography)
    }

    /// A record of `area` with 95% limits value ± half (99.8%: ± 1.6 half); nil half: no limits.
    static func record(
        _ area: PlanArea, _ indicator: String, _ sex: SexSelection, _ period: Period, value: Double?, half: Double?,
        scheme: DeprivationScheme = .none, quantile: String = "", measure: Measure = .value, denominator: Double? = nil
    ) -> ResultRecord {
        let limits = levels.enumerated().map { k, level in
            LevelLimits(
                level: level, lower: half.flatMap { h in value.map { $0 - h * (k == 0 ? 1 : 1.6) } },
                upper: half.flatMap { h in value.map { $0 + h * (k == 0 ? 1 : 1.6) } })
        }
        return ResultRecord(
            indicator: IndicatorLabel(id: indicator, name: indicator),
            method: indicator == "le" ? .lifeExpectancy : .dsr, area: area.label, sex: sex,
            age: indicator == "le" ? "at birth" : "0-74", period: period, imdEdition: "IMD 2019", scheme: scheme,
            quantile: quantile, measure: measure, value: value, limits: limits, count: denominator.map { _ in 400 },
            denominator: denominator, note: value == nil ? "suppressed: fewer than 5,000 people" : nil)
    }

    static func year(_ y: Int) -> Period { Period(first: y, last: y) }

    @Test func annualSeriesGetEveryWordAndEveryReason() throws {
        let resolved = try Self.resolved()
        let place = resolved.areas[0], icb = resolved.areas[2], region = resolved.areas[3]
        let stage = try #require(JudgementStage(resolved))
        #expect(stage.benchmarkJobs == resolved.benchmarkJobs)
        // The ICB has no 2015 value; the region is far above.
        stage.prime(
            [2014, 2016, 2017, 2018].map { Self.record(icb, "le", .male, Self.year($0), value: 72, half: 0.1) }
                + (2014...2018).map { Self.record(region, "le", .male, Self.year($0), value: 80, half: 0.1) }
                + (2014...2018).flatMap { y in
                    [icb, region].map { Self.record($0, "le", .female, Self.year(y), value: 72, half: 0.1) }
                }
                + [Self.record(icb, "u75", .persons, Self.year(2018), value: 350, half: 5, denominator: 100_000)])
        var male: [ResultRecord] = []
        let values: [Double?] = [70, 71, 72, 73, nil]
        let sii = [10, 10.5, 11, 9, 12]
        for (k, y) in (2014...2018).enumerated() {
            male.append(Self.record(place, "le", .male, Self.year(y), value: values[k] ?? 74, half: y == 2017 ? nil : 0.2))
            male.append(
                Self.record(place, "le", .male, Self.year(y), value: 65, half: 0.5, scheme: .localDeciles, quantile: "1"))
            male.append(
                Self.record(place, "le", .male, Self.year(y), value: sii[k], half: 0.3, scheme: .localDeciles, measure: .sii))
        }
        let female = (2014...2018).map { Self.record(place, "le", .female, Self.year($0), value: Double($0 - 1944), half: 0.2) }
        let u75 = [Self.record(place, "u75", .persons, Self.year(2018), value: 400, half: 10, denominator: 100_000)]

        // A block is handed on once the next one starts, whole and in order.
        #expect(stage.take(Array(male.prefix(7))).isEmpty)
        #expect(stage.take(Array(male.dropFirst(7))).isEmpty)
        let judgedMale = stage.take(female)
        #expect(judgedMale.map(\.period) == male.map(\.period))
        #expect(judgedMale.map(\.value) == male.map(\.value))
        let judgedFemale = stage.take(u75)
        let judgedU75 = stage.finish()
        #expect(judgedFemale.count == 5 && judgedU75.count == 1)

        // Whole-area values against the ICB (first) and the region, by ci95 under high_is_good.
        let whole = judgedMale.filter { $0.scheme == .none }
        #expect(whole.map { $0.comparisons?.map(\.benchmarkCode) ?? [] }.allSatisfy { $0 == [icb.code, region.code] })
        #expect(whole.map { $0.comparison?.outcome } == [.worse, .notCompared, .similar, .notCompared, .better])
        #expect(whole.map { $0.comparisons?.last?.outcome } == [.worse, .worse, .worse, .notCompared, .worse])
        #expect(whole.map { $0.comparison?.benchmarkValue } == [72, nil, 72, 72, 72])
        #expect(whole.allSatisfy { $0.comparison?.method == .ci95 })
        #expect(whole[1].note == "not compared with \(icb.name): \(icb.name) has no value for 2015")
        #expect(
            whole[3].note
                == "not compared with \(icb.name): 95% limits missing; not compared with \(region.name): 95% limits missing")
        // A quantile is compared with its area as a whole.
        let decile = judgedMale.filter { $0.quantile == "1" }
        #expect(decile.map { $0.comparisons?.count } == Array(repeating: 1, count: 5))
        #expect(decile.allSatisfy { $0.comparison?.benchmarkCode == place.code && $0.comparison?.outcome == .worse })
        #expect(decile.map(\.trend).allSatisfy { $0 == nil })

        // Trends: fewer than 5 points, then a missing interval: no verdict, and the latest says why.
        #expect(whole.map(\.trend) == Array(repeating: .cannotBeCalculated, count: 5))
        #expect(whole[4].note?.contains("no recent trend: 95% limits missing in 2017") == true, "\(whole[4].note ?? "")")
        #expect(
            judgedFemale.map(\.trend) == [
                .cannotBeCalculated, .cannotBeCalculated, .cannotBeCalculated, .cannotBeCalculated, .increasingAndGettingBetter,
            ])
        #expect(judgedFemale.allSatisfy { $0.note == nil })
        #expect(judgedFemale.allSatisfy { $0.comparisons?.map(\.benchmarkCode) == [icb.code, region.code] })

        // The SII: z tests between consecutive years, then the weighted trend over five, whose slope
        // changes sign when 2018 is left out.
        let gaps = judgedMale.filter { $0.measure == .sii }
        #expect(gaps.map(\.gapChange) == [nil, .widening, .widening, .narrowing, .noSignificantChange])
        #expect(gaps.map(\.comparisons).allSatisfy { $0 == nil })
        #expect(gaps[4].note == "gap change: weighted trend over the 5 periods sharing no year from 2014 to 2018")
        // The goal: 20% off 2015's SII of 10.5 by 2018 (8.4), on a straight line (9.8 in 2016, 9.1 in 2017).
        #expect(gaps.map { $0.goalStatus?.text } == [nil, nil, "worse, off track", "worse, on track", "worse, off track"])

        // Control limits around the ICB's DSR for the Place's population: 400 is above them.
        #expect(
            judgedU75[0].comparisons == [
                RecordComparison(benchmarkCode: icb.code, benchmarkValue: 350, outcome: .worse, method: .controlLimits),
                RecordComparison(benchmarkCode: region.code, benchmarkValue: nil, outcome: .notCompared, method: .controlLimits),
            ])
    }

    @Test func rollingPeriodsNeverGetATrend() throws {
        let resolved = try Self.resolved(periods: "  - {rolling: 3, from: 2012, to: 2018}")
        let place = resolved.areas[1]
        let stage = try #require(JudgementStage(resolved))
        let periods = resolved.plan.periods
        #expect(periods.count == 5)
        var block: [ResultRecord] = []
        for (k, p) in periods.enumerated() {
            block.append(Self.record(place, "le", .female, p, value: 70 + 2 * Double(k), half: 0.1))
            block.append(
                Self.record(
                    place, "le", .female, p, value: 5 + 2 * Double(k), half: 0.1, scheme: .localDeciles, measure: .absoluteRange))
        }
        #expect(stage.take(block).isEmpty)
        let judged = stage.finish()
        let whole = judged.filter { $0.measure == .value }, gaps = judged.filter { $0.measure == .absoluteRange }
        #expect(whole.map(\.trend) == Array(repeating: .cannotBeCalculated, count: 5))
        #expect(whole.dropLast().allSatisfy { $0.note?.contains("no recent trend") != true })
        #expect(
            whole[4].note?.contains(
                "no recent trend: 2012-2014 and 2013-2015 share years (rolling or overlapping periods): the recent trend needs non-overlapping annual points"
            ) == true, "\(whole[4].note ?? "")")
        // The gap's change is tested only between periods that share no year: 2013-2015 against 2016-2018.
        #expect(gaps.map(\.gapChange) == [nil, nil, nil, .widening, .widening])
        #expect(gaps[4].note == "gap change: 2013-2015 to 2016-2018, z test")
        // No benchmark has a value (none was primed): not compared, with the reason.
        #expect(whole.allSatisfy { $0.comparison?.outcome == .notCompared })
        #expect(whole[0].note?.hasPrefix("not compared with \(resolved.areas[2].name): ") == true, "\(whole[0].note ?? "")")
    }

    @Test func anIndicatorWithoutPolarityPassesUntouched() throws {
        let resolved = try Self.resolved()
        let stage = try #require(JudgementStage(resolved))
        var plain = Self.record(resolved.areas[0], "le", .male, Self.year(2018), value: 70, half: 0.2)
        plain.indicator = IndicatorLabel(id: "other", name: "other")
        #expect(stage.take([plain]).isEmpty)
        #expect(stage.finish() == [plain])
    }
}

/// The runner end to end: a judged plan on synthetic Cheshire and Merseyside counts, 2013–2022.
@Suite struct RunnerJudgementRunTests {
    /// The Places, each compared with the ICB (not among the geographies: computed after them),
    /// annual and rolling 3-year periods, the under-75 DSR by local decile and Core20 with a goal.
    static func planText(benchmarks: String = "[icb]") -> String {
        """
        name: judged run
        inputs:
          counts: {file: \(RunnerFixture.counts.counts)}
        geographies:
          - places: E54000008
        periods:
          - {rolling: 1, from: 2013, to: 2022}
          - {rolling: 3, from: 2016, to: 2022}
        seed: 3
        repetitions: 1000
        benchmarks: \(benchmarks)
        indicators:
          - id: u75
            method: dsr
            numerator: deaths
            denominator: population
            ages: 0-74
            sexes: [Persons]
            deprivation: [local_deciles, core20]
            inequality: [sii, rii, absolute_range]
            polarity: low_is_good
            comparison: ci95_99_8
            goal: {baseline: 2019, target: {reduce_gap_by: 10%}, by: 2025}

        """
    }

    static func run(_ text: String, name: String) throws(RunnerError) -> String {
        let plan = RunnerFixture.folder.appendingPathComponent("\(name).yaml").path
        _ = FileManager.default.createFile(atPath: plan, contents: Data(text.utf8))
        var request = RunRequest(plan: plan, data: RunnerFixture.data, toolVersion: "test")
        request.output = RunnerFixture.folder.appendingPathComponent("\(name)-output").path
        request.threads = 2
        _ = try BatchRunner.run(request, logger: Logger(label: "test"))
        return request.output
    }

    static let judged: (output: String, rows: [[String: String]]) = {
        do {
            let output = try run(planText(), name: "judged")
            return (output, try Fixtures.table(URL(fileURLWithPath: output + "/results.csv")))
        } catch {
            fatalError("judged run failed: \(error)")
        }
    }()

    @Test func placesAreComparedWithTheICBAndQuantilesWithTheirPlace() throws {
        let rows = Self.judged.rows
        let words = Set(ComparisonOutcome.allCases.map(\.rawValue))
        let places = rows.filter { $0["area_type"] == "place" && $0["measure"] == "value" }
        #expect(places.count > 100)
        for row in places where row["deprivation_scheme"] == "none" {
            #expect(row["benchmark_code"] == "E54000008", "\(row)")
            #expect(row["comparison_method"] == "ci95_99_8")
            #expect(words.contains(row["comparison"] ?? ""), "\(row)")
            #expect(Double(row["benchmark_value"] ?? "") != nil, "\(row)")
        }
        for row in places where row["deprivation_scheme"] != "none" {
            #expect(row["benchmark_code"] == row["area_code"], "\(row)")
            #expect(words.contains(row["comparison"] ?? ""), "\(row)")
        }
        // The words are not all one: the most deprived tenth of a Place does worse than the Place.
        let decile1 = places.filter { $0["deprivation_scheme"] == "local_deciles" && $0["quantile"] == "1" }
        #expect(decile1.contains { ["worse", "worst"].contains($0["comparison"]) })
        // The ICB, added as the benchmark, follows the Places; as a whole it is compared with nothing
        // (the plan names no wider benchmark), its Core20 and the rest with itself.
        let icb = rows.filter { $0["area_type"] == "icb" && $0["measure"] == "value" }
        #expect(!icb.isEmpty)
        #expect(rows.lastIndex { $0["area_type"] == "place" }! < rows.firstIndex { $0["area_type"] == "icb" }!)
        #expect(
            icb.filter { $0["deprivation_scheme"] == "none" }.allSatisfy { $0["benchmark_code"] == "" && $0["comparison"] == "" })
        #expect(icb.filter { $0["deprivation_scheme"] == "core20" }.allSatisfy { $0["benchmark_code"] == "E54000008" })
        // Gap measures carry no comparison.
        #expect(rows.filter { $0["measure"] != "value" }.allSatisfy { $0["comparison"] == "" })
    }

    @Test func rollingPeriodsNeverGetATrendAndAnnualOnesDo() throws {
        let whole = Self.judged.rows.filter { $0["deprivation_scheme"] == "none" && $0["measure"] == "value" }
        let rolling = whole.filter { $0["period"]?.contains("-") == true }
        let annual = whole.filter { $0["period"]?.contains("-") == false }
        #expect(rolling.count == 10 * 5 && annual.count == 10 * 10)
        #expect(rolling.allSatisfy { $0["trend"] == "cannot be calculated" })
        let latest = rolling.filter { $0["period"] == "2020-2022" }
        #expect(
            latest.allSatisfy { $0["note"]?.contains("no recent trend: ") == true && $0["note"]?.contains("share years") == true }
        )
        // From the fifth year on, annual values have a verdict (the synthetic counts are never suppressed at this size).
        let verdicts = Set(TrendMarker.allCases.filter { $0 != .cannotBeCalculated }.map(\.rawValue))
        for row in annual {
            let year = Int(row["period"] ?? "") ?? 0
            #expect((year >= 2017) == verdicts.contains(row["trend"] ?? ""), "\(row)")
        }
        // Only whole-area values have a trend.
        #expect(Self.judged.rows.filter { $0["trend"] != "" }.count == whole.count)
    }

    @Test func everyGapHasItsChangeAndTheGoalsGapItsStatus() throws {
        let rows = Self.judged.rows
        let gapWords = Set(GapChangeVerdict.allCases.map(\.rawValue))
        let sii = rows.filter { $0["measure"] == "sii" && $0["area_type"] == "place" }
        #expect(sii.count == 9 * 15)
        for row in sii where !(row["period"] ?? "").contains("-") && row["period"] != "2013" {
            #expect(gapWords.contains(row["gap_change"] ?? ""), "\(row)")
        }
        // Rolling 3-year periods are tested only against a period sharing no year: 2016-2018 has none.
        #expect(sii.filter { $0["period"] == "2016-2018" }.allSatisfy { $0["gap_change"] == "" })
        #expect(sii.filter { $0["period"] == "2019-2021" }.allSatisfy { gapWords.contains($0["gap_change"] ?? "") })
        // The goal is on the first measure (the SII), for periods after the one ending in 2019.
        for row in rows where row["goal_status"] != "" {
            #expect(row["measure"] == "sii", "\(row)")
            let status = try #require(RecordGoalStatus(text: row["goal_status"] ?? ""))
            #expect(status.trajectory != nil)
        }
        let after = sii.filter { ["2020", "2021", "2022", "2018-2020", "2019-2021", "2020-2022"].contains($0["period"]) }
        #expect(after.allSatisfy { $0["goal_status"] != "" }, "\(after.filter { $0["goal_status"] == "" })")
        #expect(sii.filter { ["2019", "2013", "2017-2019"].contains($0["period"]) }.allSatisfy { $0["goal_status"] == "" })
    }

    @Test func theJudgedLongTableReadsBackIntoTheSameBytes() throws {
        let path = Self.judged.output + "/results.csv"
        let original = try #require(FileManager.default.contents(atPath: path))
        let reader = try CSVReader(path: path)
        let levels = ResultsCSV.levels(header: reader.header.names)
        var bytes = CSVWriter.encodeRow(ResultsCSV.longHeader(levels: levels))
        var judged = 0
        try reader.forEachRow { row in
            let record = try ResultsCSV.record(fields: row.fields, levels: levels).get()
            if record.comparison != nil || record.trend != nil || record.gapChange != nil { judged += 1 }
            ResultsCSV.appendLongRow(record, levels: levels, to: &bytes)
        }
        #expect(judged > 500)
        #expect(Data(bytes) == original)
    }

    @Test func aBenchmarkTheInputDoesNotCoverIsAPlanError() throws {
        do {
            _ = try Self.run(Self.planText(benchmarks: "[icb, england]"), name: "uncovered")
            Issue.record("a run compared with an England the input does not cover")
        } catch {
            guard case .plan(let issues) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(issues.count == 1)
            #expect(issues.first?.line == 11 && issues.first?.column == 19, "\(issues)")
            #expect(issues.first?.message.contains("benchmarks: england: input counts") == true)
            #expect(issues.first?.message.contains("local authorities of England (E92000001)") == true, "\(issues)")
            #expect(error.exitCode == 78)
        }
        #expect(!FileManager.default.fileExists(atPath: RunnerFixture.folder.appendingPathComponent("uncovered-output").path))
    }
}

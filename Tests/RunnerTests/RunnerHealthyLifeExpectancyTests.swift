import Areas
import Foundation
import Indicators
import Ingest
import Logging
import Results
import Runner
import Testing
import _TestSupport

// `method: healthy_life_expectancy` in a plan, on the synthetic Cheshire and Merseyside counts
// (whose healthy and surveyed columns `synth` writes), against `HealthyLifeExpectancy.compute` on
// cell sums made independently by the ingest engine; and what `plan check` says about its keys.

@Suite struct RunnerHealthyLifeExpectancyTests {
    static let planText = """
        name: healthy life expectancy
        inputs:
          counts: {file: COUNTS}
        geographies:
          - icb: E54000008
          - place: E08000012
        periods: [2019-2021]
        repetitions: 1000
        indicators:
          - id: le
            method: life_expectancy
            numerator: deaths
            denominator: population
            sexes: [Female, Persons]
          - id: hle
            method: healthy_life_expectancy
            numerator: deaths
            denominator: population
            healthy: healthy
            surveyed: surveyed
            sexes: [Female, Persons]
            deprivation: [national_quintiles, core20]
            inequality: [sii, rii, absolute_range]
          - id: hle_65
            method: healthy_life_expectancy
            numerator: deaths
            denominator: population
            healthy: healthy
            surveyed: surveyed
            at_age: 65
            sexes: [Male]
          - id: hle_all_healthy
            method: healthy_life_expectancy
            numerator: deaths
            denominator: population
            healthy: population
            surveyed: population
            sexes: [Female, Persons]

        """

    static let planPath: String = {
        let folder = RunnerFixture.folder.appendingPathComponent("hle")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let plan = folder.appendingPathComponent("hle.yaml").path
        let text = planText.replacingOccurrences(of: "COUNTS", with: RunnerFixture.counts.counts)
        _ = FileManager.default.createFile(atPath: plan, contents: Data(text.utf8))
        return plan
    }()

    static let run: [[String: String]] = {
        var request = RunRequest(plan: planPath, data: RunnerFixture.data, toolVersion: "test")
        request.output = RunnerFixture.folder.appendingPathComponent("hle/out").path
        request.threads = 2
        do {
            _ = try BatchRunner.run(request, logger: Logger(label: "test"))
            return try Fixtures.table(URL(fileURLWithPath: request.output + "/results.csv"))
        } catch {
            fatalError("healthy life expectancy plan failed: \(error)")
        }
    }()

    /// Sums by (la, national quintile, sex, life-table band) for 2019-2021 of two count columns.
    static func aggregate(numerator: String, denominator: String) -> [[String: String]] {
        let out = RunnerFixture.folder.appendingPathComponent("hle-\(numerator)-\(denominator).csv").path
        var request = AggregationRequest(
            counts: RunnerFixture.counts.counts, by: [.la, .quintile, .sex, .ageBand, .period], output: out,
            data: RunnerFixture.data)
        request.bands = .le
        request.periodLength = 3
        request.columns.deaths = numerator
        request.columns.population = denominator
        do {
            _ = try CountsAggregation.run(request)
            return try Fixtures.table(URL(fileURLWithPath: out)).filter { $0["period"] == "2019-2021" }
        } catch {
            fatalError("aggregate failed: \(error)")
        }
    }

    static let mortality = aggregate(numerator: "deaths", denominator: "population")
    static let health = aggregate(numerator: "healthy", denominator: "surveyed")

    /// Band sums (in life-table band order) of the aggregate rows that `keep` selects.
    static func bands(_ rows: [[String: String]], _ keep: ([String: String]) -> Bool) -> (
        numerator: [Double], denominator: [Double]
    ) {
        var n = [Double](repeating: 0, count: 20), d = n
        for row in rows where keep(row) {
            let start = Int(row["age_band"]!.split(separator: "-").first!.replacingOccurrences(of: "+", with: ""))!
            let b = LifeExpectancy.startAges.firstIndex(of: start)!
            n[b] += Double(row["deaths"]!)!
            d[b] += Double(row["population"]!)!
        }
        return (n, d)
    }

    func row(_ values: [String: String]) throws -> [String: String] {
        try #require(Self.run.first { row in values.allSatisfy { row[$0.key] == $0.value } }, "\(values)")
    }

    /// Checks a record's value and limits against an estimate, to 1e-9 relative.
    func expectRow(_ got: [String: String], _ expected: Estimate, _ what: String) {
        expectClose(Double(got["value"]!), expected.value, relative: 1e-9, what)
        expectClose(Double(got["lower95_0cl"]!), expected.limits[0].lower, relative: 1e-9, "\(what) lower 95")
        expectClose(Double(got["upper95_0cl"]!), expected.limits[0].upper, relative: 1e-9, "\(what) upper 95")
        expectClose(Double(got["lower99_8cl"]!), expected.limits[1].lower, relative: 1e-9, "\(what) lower 99.8")
        expectClose(Double(got["upper99_8cl"]!), expected.limits[1].upper, relative: 1e-9, "\(what) upper 99.8")
    }

    @Test(arguments: ["1", "3", "5"])
    func aQuintilesValueIsSullivanOnItsCellSums(quintile: String) throws {
        let keep = { (r: [String: String]) in r["la"] == "E08000012" && r["quintile"] == quintile && r["sex"] == "Female" }
        let (deaths, population) = Self.bands(Self.mortality, keep)
        let (healthy, surveyed) = Self.bands(Self.health, keep)
        let expected = try HealthyLifeExpectancy.compute(
            startAges: LifeExpectancy.startAges, deaths: deaths, populations: population,
            prevalence: .init(healthy: healthy, surveyed: surveyed), ages: [0], levels: ConfidenceLevel.defaults)[0]
        let key = [
            "indicator_id": "hle", "area_code": "E08000012", "sex": "Female", "deprivation_scheme": "national_quintiles",
            "quantile": quintile,
        ]
        let value = try row(key.merging(["measure": "value"]) { $1 })
        expectRow(value, expected.healthyLifeExpectancy, "HLE, quintile \(quintile)")
        #expect(Double(value["count"]!) == deaths.reduce(0, +))
        #expect(Double(value["denominator"]!) == population.reduce(0, +))
        #expect(value["method"] == "healthy_life_expectancy" && value["age"] == "at birth")
        // The life expectancy of the same table, with its own limits, and the years in poorer health.
        let le = LifeExpectancy.compute(
            startAges: LifeExpectancy.startAges, deaths: deaths, populations: population, levels: ConfidenceLevel.defaults)
        expectRow(try row(key.merging(["measure": "le"]) { $1 }), le[0], "LE, quintile \(quintile)")
        let poorer = try row(key.merging(["measure": "years_in_poorer_health"]) { $1 })
        expectClose(Double(poorer["value"]!), expected.yearsInPoorerHealth, relative: 1e-9)
        #expect(poorer["lower95_0cl"] == "" && poorer["upper95_0cl"] == "")
    }

    @Test func theICBsPersonsAndAStartAgeOf65AreSullivanOnTheirSums() throws {
        let icb = { (r: [String: String]) in true }
        let (deaths, population) = Self.bands(Self.mortality, icb)
        let (healthy, surveyed) = Self.bands(Self.health, icb)
        let persons = try HealthyLifeExpectancy.compute(
            startAges: LifeExpectancy.startAges, deaths: deaths, populations: population,
            prevalence: .init(healthy: healthy, surveyed: surveyed), ages: [0])[0]
        expectRow(
            try row(["indicator_id": "hle", "area_code": "E54000008", "sex": "Persons", "quantile": "", "measure": "value"]),
            persons.healthyLifeExpectancy, "ICB, Persons")
        let male = { (r: [String: String]) in r["la"] == "E08000012" && r["sex"] == "Male" }
        let (d, p) = Self.bands(Self.mortality, male)
        let (h, s) = Self.bands(Self.health, male)
        let at65 = try HealthyLifeExpectancy.compute(
            startAges: LifeExpectancy.startAges, deaths: d, populations: p, prevalence: .init(healthy: h, surveyed: s),
            ages: [65])[0]
        let got = try row(["indicator_id": "hle_65", "area_code": "E08000012", "sex": "Male", "measure": "value"])
        #expect(got["age"] == "at 65")
        expectRow(got, at65.healthyLifeExpectancy, "Liverpool, Male, at 65")
    }

    @Test func everyoneHealthyGivesTheLifeExpectancy() throws {
        let cells = Self.run.filter { $0["indicator_id"] == "hle_all_healthy" && $0["measure"] == "value" }
        #expect(cells.count == 4)  // two areas × two sexes, the whole area only
        for cell in cells {
            let le = try row(["indicator_id": "le", "area_code": cell["area_code"]!, "sex": cell["sex"]!])
            expectClose(Double(cell["value"]!), Double(le["value"]!), relative: 1e-9, "\(cell["area_code"]!) \(cell["sex"]!)")
            let own = try row([
                "indicator_id": "hle_all_healthy", "area_code": cell["area_code"]!, "sex": cell["sex"]!, "measure": "le",
            ])
            #expect(own["value"] == le["value"] && own["lower95_0cl"] == le["lower95_0cl"])
            let poorer = try row([
                "indicator_id": "hle_all_healthy", "area_code": cell["area_code"]!, "sex": cell["sex"]!,
                "measure": "years_in_poorer_health",
            ])
            expectClose(Double(poorer["value"]!), 0, absolute: 1e-9)
        }
    }

    @Test func theSlopeIndexAndRangesAreWrittenForEachBreakdown() throws {
        let rows = Self.run.filter {
            $0["indicator_id"] == "hle" && $0["area_code"] == "E08000012" && $0["sex"] == "Female"
                && $0["deprivation_scheme"] == "national_quintiles"
        }
        #expect(
            rows.map { $0["measure"]! }
                == Array(repeating: "value", count: 5) + Array(repeating: "le", count: 5)
                + Array(repeating: "years_in_poorer_health", count: 5) + ["sii", "rii", "absolute_range"])
        let sii = try #require(rows.first { $0["measure"] == "sii" })
        let value = try #require(Double(sii["value"]!))
        #expect(value > 2 && value < 40, "SII of HLE across quintiles: \(value) years")
        #expect(Double(sii["lower95_0cl"]!)! < value && value < Double(sii["upper95_0cl"]!)!)
        let range = try #require(rows.first { $0["measure"] == "absolute_range" })
        let q1 = try row(["indicator_id": "hle", "area_code": "E08000012", "sex": "Female", "quantile": "1", "measure": "value"])
        let q5 = try row(["indicator_id": "hle", "area_code": "E08000012", "sex": "Female", "quantile": "5", "measure": "value"])
        expectClose(Double(range["value"]!), Double(q5["value"]!)! - Double(q1["value"]!)!, relative: 1e-12)
        // Core20 against the rest: three rows per cell, and the gap.
        let core20 = Self.run.filter {
            $0["indicator_id"] == "hle" && $0["area_code"] == "E54000008" && $0["sex"] == "Persons"
                && $0["deprivation_scheme"] == "core20"
        }
        #expect(
            core20.map { $0["measure"]! } == [
                "value", "value", "le", "le", "years_in_poorer_health", "years_in_poorer_health", "absolute_range",
            ])
    }

    @Test func theSyntheticHealthGradientIsRecovered() throws {
        // The truth's healthy life expectancy at birth for all the areas, against the ICB's estimate.
        let truth = try Fixtures.table(URL(fileURLWithPath: RunnerFixture.counts.truth))
        let female = try #require(truth.first { $0["sex"] == "Female" && $0["decile"] == "all" })
        let icb = try row(["indicator_id": "hle", "area_code": "E54000008", "sex": "Female", "quantile": "", "measure": "value"])
        expectClose(Double(icb["value"]!), Double(female["hle_at_birth"]!), absolute: 0.75)
        // Fewer healthy years where more deprived, and a gap wider than in life expectancy.
        let q1 = try row(["indicator_id": "hle", "area_code": "E54000008", "sex": "Female", "quantile": "1", "measure": "value"])
        let q5 = try row(["indicator_id": "hle", "area_code": "E54000008", "sex": "Female", "quantile": "5", "measure": "value"])
        let le1 = try row(["indicator_id": "hle", "area_code": "E54000008", "sex": "Female", "quantile": "1", "measure": "le"])
        let le5 = try row(["indicator_id": "hle", "area_code": "E54000008", "sex": "Female", "quantile": "5", "measure": "le"])
        #expect(Double(q5["value"]!)! - Double(q1["value"]!)! > Double(le5["value"]!)! - Double(le1["value"]!)!)
    }

    @Test func explainDescribesBothPassesAndThePrevalence() throws {
        let resolved = try PlanReport.resolve(plan: Self.planPath, data: RunnerFixture.data, requireInputs: false)
        // deaths/population, healthy/surveyed and population/population: three passes, all in life-table bands.
        #expect(
            resolved.sources.map { "\($0.numerator)/\($0.denominator)" } == [
                "deaths/population", "healthy/surveyed", "population/population",
            ])
        #expect(resolved.sources.allSatisfy { $0.bands == .le })
        #expect(resolved.indicators[1].secondarySource == 1 && resolved.indicators[3].secondarySource == 2)
        #expect(resolved.indicators[0].secondarySource == nil)
        let text = PlanReport.explain(resolved)
        #expect(text.contains("read once: surveyed and healthy by LSOA, year, sex and life-table age band"))
        #expect(
            text.contains(
                "indicator hle \"hle\": healthy_life_expectancy of deaths per population; age at birth; prevalence healthy of surveyed per life-table band (Sullivan, METHODS.md §9), also le and years_in_poorer_health rows"
            ))
        #expect(text.contains("measures sii, rii, absolute_range (SII value type 0)"))
    }
}

/// What `plan check` says about a healthy life expectancy's keys and columns.
@Suite struct RunnerHealthyLifeExpectancyPlanTests {
    /// A plan with one healthy life expectancy; `replacing` swaps whole lines (1-based).
    static func plan(replacing: [Int: String] = [:]) -> String {
        var lines = [
            "inputs:",  // 1
            "  counts: {file: \(header)}",  // 2
            "geographies: [{place: E08000012}]",  // 3
            "periods: [2019-2021]",  // 4
            "indicators:",  // 5
            "  - id: hle",  // 6
            "    method: healthy_life_expectancy",  // 7
            "    numerator: deaths",  // 8
            "    denominator: population",  // 9
            "    healthy: healthy",  // 10
            "    surveyed: surveyed",  // 11
            "    deprivation: [local_deciles]",  // 12
            "    inequality: [sii, absolute_range]",  // 13
        ]
        for (line, text) in replacing { lines[line - 1] = text }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A counts file with the synth header and no rows.
    static let header: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("healthgap-hle-\(UUID().uuidString).csv").path
        _ = FileManager.default.createFile(
            atPath: path, contents: Data("lsoa_code,year,sex,age_band,population,deaths,healthy,surveyed\n".utf8))
        return path
    }()

    func issues(_ text: String) -> [PlanIssue] { RunnerFixture.planIssues(text) }

    @Test func aValidPlanHasNoIssues() {
        #expect(issues(Self.plan()).isEmpty)
    }

    @Test func missingHealthyAndSurveyedAreReportedAtTheIndicator() {
        let found = issues(Self.plan(replacing: [10: "    name: HLE", 11: "    sexes: [Female]"]))
        #expect(found.map(\.line) == [6, 6], "\(found)")
        #expect(
            found.map(\.message).contains {
                $0.contains("healthy_life_expectancy needs healthy: the column of people in good health")
            })
        #expect(
            found.map(\.message).contains { $0.contains("healthy_life_expectancy needs surveyed: the column of people asked") })
    }

    @Test func aColumnMissingFromTheInputIsReportedAtItsValue() {
        let found = issues(Self.plan(replacing: [10: "    healthy: good_health"]))
        #expect(found.count == 1)
        #expect(found.first?.description.hasPrefix("plan.yaml:10:14: error:") == true, "\(found)")
        #expect(found.first?.message.contains("healthy 'good_health' is not a column") == true)
        let surveyed = issues(Self.plan(replacing: [11: "    surveyed: residents"]))
        #expect(surveyed.map(\.line) == [11] && surveyed.first?.column == 15)
    }

    @Test func healthyIsOnlyForHealthyLifeExpectancy() {
        let found = issues(Self.plan(replacing: [7: "    method: life_expectancy"]))
        #expect(found.map(\.line) == [10, 11], "\(found)")
        #expect(found.first?.message.contains("healthy is for healthy_life_expectancy indicators, not life expectancy") == true)
    }

    @Test func itHasNoRelativeRangeAndNoTransform() {
        let range = issues(Self.plan(replacing: [13: "    inequality: [sii, relative_range]"]))
        #expect(range.map(\.line) == [13] && range.first?.message.contains("relative_range is for rates") == true)
        let transform = issues(Self.plan(replacing: [12: "    sii_transform: true"]))
        #expect(transform.contains { $0.line == 12 && $0.message.contains("fitted untransformed") })
        let ages = issues(Self.plan(replacing: [12: "    ages: 0-74"]))
        #expect(ages.contains { $0.line == 12 && $0.message.contains("use at_age") })
    }
}

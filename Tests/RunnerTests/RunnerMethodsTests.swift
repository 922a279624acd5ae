import Areas
import Foundation
import Indicators
import Ingest
import Logging
import Results
import Runner
import Testing
import _TestSupport

// The methods the demo plan does not use (crude rate, proportion, ISR), national quintiles and
// Persons, on the synthetic Cheshire and Merseyside counts, against the core functions.

@Suite struct RunnerMethodsTests {
    static let planText = """
        name: methods
        inputs:
          counts: {file: COUNTS}
        geographies:
          - icb: E54000008
          - place: E08000012
        periods: [2019-2021]
        repetitions: 1000
        indicators:
          - id: rate_75plus
            method: crude_rate
            numerator: deaths
            denominator: population
            ages: 75+
            sexes: [Persons]
            deprivation: [national_quintiles]
            inequality: [sii, relative_range]
          - id: dying_u75_percent
            method: proportion
            numerator: deaths
            denominator: population
            ages: 0-74
            multiplier: 100
            sexes: [Female]
            deprivation: [core20]
            inequality: [absolute_range, relative_range]
          - id: smr
            method: isr
            numerator: deaths
            denominator: population
            reference: E54000008
            sexes: [Male]
            deprivation: [national_quintiles]
            inequality: [sii, rii]

        """

    static let run: [[String: String]] = {
        let folder = RunnerFixture.folder.appendingPathComponent("methods")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let plan = folder.appendingPathComponent("methods.yaml").path
        let text = planText.replacingOccurrences(of: "COUNTS", with: RunnerFixture.counts.counts)
        _ = FileManager.default.createFile(atPath: plan, contents: Data(text.utf8))
        var request = RunRequest(plan: plan, data: RunnerFixture.data, toolVersion: "test")
        request.output = folder.appendingPathComponent("out").path
        request.threads = 2
        do {
            _ = try BatchRunner.run(request, logger: Logger(label: "test"))
            return try Fixtures.table(URL(fileURLWithPath: request.output + "/results.csv"))
        } catch {
            fatalError("methods plan failed: \(error)")
        }
    }()

    /// Deaths and population by (la, quintile, sex, band) for 2019-2021, from the ingest engine.
    static let aggregate: [[String: String]] = {
        let out = RunnerFixture.folder.appendingPathComponent("aggregate-quintiles.csv").path
        var request = AggregationRequest(
            counts: RunnerFixture.counts.counts, by: [.la, .quintile, .sex, .ageBand, .period], output: out,
            data: RunnerFixture.data)
        request.bands = .le
        request.periodLength = 3
        do {
            _ = try CountsAggregation.run(request)
            return try Fixtures.table(URL(fileURLWithPath: out)).filter { $0["period"] == "2019-2021" }
        } catch {
            fatalError("aggregate failed: \(error)")
        }
    }()

    func row(_ values: [String: String]) throws -> [String: String] {
        try #require(Self.run.first { row in values.allSatisfy { row[$0.key] == $0.value } }, "\(values)")
    }

    func startAge(_ band: String) -> Int { Int(band.split(separator: "-").first!.replacingOccurrences(of: "+", with: ""))! }

    @Test func crudeRateOfAQuintileForPersonsAged75AndOver() throws {
        let cells = Self.aggregate.filter { $0["la"] == "E08000012" && $0["quintile"] == "1" && startAge($0["age_band"]!) >= 75 }
        #expect(cells.count == 2 * 4)  // both sexes, bands 75-79 … 90+
        let deaths = cells.reduce(0) { $0 + Double($1["deaths"]!)! },
            population = cells.reduce(0) { $0 + Double($1["population"]!)! }
        let expected = try CrudeRate.estimate(count: deaths, population: population, levels: ConfidenceLevel.defaults)
        let got = try row([
            "indicator_id": "rate_75plus", "area_code": "E08000012", "quantile": "1", "measure": "value", "age": "75+",
            "sex": "Persons",
        ])
        expectClose(Double(got["value"]!), expected.value, relative: 1e-12)
        expectClose(Double(got["upper99_8cl"]!), expected.limits[1].upper, relative: 1e-12)
        #expect(Double(got["count"]!) == deaths)
        let quintiles = Self.run.filter {
            $0["indicator_id"] == "rate_75plus" && $0["area_code"] == "E08000012"
                && $0["deprivation_scheme"] == "national_quintiles"
        }
        #expect(quintiles.map { $0["measure"]! } == ["value", "value", "value", "value", "value", "sii", "relative_range"])
    }

    @Test func proportionPerCentWithCore20Gaps() throws {
        let key = ["indicator_id": "dying_u75_percent", "area_code": "E54000008", "deprivation_scheme": "core20"]
        let core20 = try row(key.merging(["quantile": "core20"]) { $1 })
        let rest = try row(key.merging(["quantile": "rest"]) { $1 })
        let x = Double(core20["count"]!)!, n = Double(core20["denominator"]!)!
        let expected = try Proportion.estimate(numerator: x, denominator: n, levels: ConfidenceLevel.defaults, multiplier: 100)
        expectClose(Double(core20["value"]!), expected.value, relative: 1e-12)
        let gap = try row(key.merging(["measure": "absolute_range"]) { $1 })
        expectClose(Double(gap["value"]!), Double(rest["value"]!)! - Double(core20["value"]!)!, relative: 1e-12)
        let ratio = try row(key.merging(["measure": "relative_range"]) { $1 })
        expectClose(Double(ratio["value"]!), Double(core20["value"]!)! / Double(rest["value"]!)!, relative: 1e-12)
    }

    @Test func indirectlyStandardisedRatioOfTheReferenceAreaIsOne() throws {
        let icb = try row(["indicator_id": "smr", "area_code": "E54000008", "deprivation_scheme": "none"])
        expectClose(Double(icb["value"]!), 1, relative: 1e-12)
        #expect(icb["count"] == icb["denominator"])  // observed = expected
        // Liverpool's SMR: observed over the ICB's band rates applied to Liverpool's population,
        // in ESP2013 bands (the plan has no life expectancy, so its input is summed into those: 0-4).
        let male = Self.aggregate.filter { $0["sex"] == "Male" }
        var refDeaths: [String: Double] = [:], refPopulation: [String: Double] = [:]
        var deaths: [String: Double] = [:], population: [String: Double] = [:]
        for cell in male {
            let band = ["0", "1-4"].contains(cell["age_band"]!) ? "0-4" : cell["age_band"]!
            refDeaths[band, default: 0] += Double(cell["deaths"]!)!
            refPopulation[band, default: 0] += Double(cell["population"]!)!
            if cell["la"] == "E08000012" {
                deaths[band, default: 0] += Double(cell["deaths"]!)!
                population[band, default: 0] += Double(cell["population"]!)!
            }
        }
        let expected = deaths.keys.reduce(0) { $0 + refDeaths[$1]! / refPopulation[$1]! * population[$1]! }
        let liverpool = try row(["indicator_id": "smr", "area_code": "E08000012", "deprivation_scheme": "none"])
        expectClose(Double(liverpool["denominator"]!), expected, relative: 1e-9)
        expectClose(Double(liverpool["value"]!), deaths.values.reduce(0, +) / expected, relative: 1e-9)
        let sii = try row(["indicator_id": "smr", "area_code": "E08000012", "measure": "sii"])
        #expect(Double(sii["value"]!)! < 0)
    }
}

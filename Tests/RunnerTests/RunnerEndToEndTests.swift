import Areas
import Foundation
import Indicators
import Ingest
import NumericCore
import Results
import Runner
import Testing
import _TestSupport

// The demo plan on synthetic Cheshire and Merseyside counts: its tables against values computed
// here from the ingest engine's own aggregate with the core functions, and against the truth the
// generator used.

@Suite(.serialized) struct RunnerEndToEndTests {
    /// The rows of the long table matching every given column value.
    func rows(_ where: [String: String]) -> [[String: String]] {
        RunnerFixture.results.filter { row in `where`.allSatisfy { row[$0.key] == $0.value } }
    }

    @Test func demoPlanRunsAndPublishesEveryFile() throws {
        let (summary, output) = RunnerFixture.demoRun
        #expect(!summary.upToDate)
        // 10 areas × (life expectancy 2 + DSRs 3 + 3 + healthy life expectancy 2 sexes) × 8 periods, and the
        // gap decomposition by local quintile: 9 Places (the ICB has none) × 2 sexes × 8 periods.
        #expect(summary.jobs == 800 + 144)
        #expect(summary.rowsRead == summary.rowsAccepted)
        #expect(summary.rowsRejected == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: output + "/tables")
        // The ICB by national decile and Core20, and its whole area (healthy life expectancy, whose only
        // breakdown, local deciles, does not apply to it); each Place by local decile, national decile and Core20,
        // and by local quintile (the gap decomposition's, with the cause column).
        #expect(files.count == 3 + 9 * 4)
        #expect(files.contains("place_liverpool_by-local-quintile.csv"))
        #expect(files.contains("icb_nhs-cheshire-and-merseyside_whole-area.csv"))
        #expect(files.contains("place_liverpool_by-local-decile.csv"))
        #expect(files.contains("icb_nhs-cheshire-and-merseyside_by-national-decile.csv"))
        let manifest = try #require(FileManager.default.contents(atPath: output + "/manifest.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: manifest) as? [String: Any])
        #expect(json["repetitions"] as? Int == RunnerFixture.repetitions)
        #expect((json["fingerprint"] as? String)?.count == 64)
        let inputs = try #require(json["inputs"] as? [[String: Any]])
        #expect(inputs.first?["rows_read"] as? Int == summary.rowsRead)
        #expect((inputs.first?["sha256"] as? String)?.count == 64)
        // Every row of every table opens as a rectangle with the header's width.
        for file in files {
            let (header, body) = try Fixtures.rawTable(URL(fileURLWithPath: output + "/tables/" + file))
            #expect(body.allSatisfy { $0.count == header.count }, "\(file) is ragged")
        }
    }

    @Test func lifeExpectancyOfADecileMatchesTheCoreFunctionOnTheIngestAggregate() throws {
        // Independent path: `healthgap aggregate`'s engine, then LifeExpectancy.compute per decile.
        let out = RunnerFixture.folder.appendingPathComponent("aggregate-liverpool.csv").path
        var request = AggregationRequest(
            counts: RunnerFixture.counts.counts, by: [.la, .localDecile, .sex, .ageBand, .period], output: out,
            data: RunnerFixture.data)
        request.bands = .le
        request.periodLength = 3
        _ = try CountsAggregation.run(request)
        let aggregate = try Fixtures.table(URL(fileURLWithPath: out))
        let cells = aggregate.filter { $0["la"] == "E08000012" && $0["sex"] == "Female" && $0["period"] == "2018-2020" }
        var estimates: [Estimate] = []
        var populations: [Double] = []
        for decile in 1...10 {
            let bands = cells.filter { $0["local_decile"] == "\(decile)" }
            #expect(bands.count == 20)
            let labels = bands.map { $0["age_band"]! }
            let starts = labels.map { Int($0.split(separator: "-").first!.replacingOccurrences(of: "+", with: ""))! }
            let deaths = bands.map { Double($0["deaths"]!) }
            let pops = bands.map { Double($0["population"]!) }
            let e = LifeExpectancy.compute(startAges: starts, deaths: deaths, populations: pops)[0]
            estimates.append(e)
            populations.append(pops.reduce(0) { $0 + $1! })
            let row = try #require(
                rows([
                    "indicator_id": "le_birth", "area_code": "E08000012", "sex": "Female", "period": "2018-2020",
                    "deprivation_scheme": "local_deciles", "quantile": "\(decile)", "measure": "value",
                ]).first)
            expectClose(Double(row["value"]!), e.value, relative: 1e-12, "decile \(decile)")
            expectClose(Double(row["lower95_0cl"]!), e.limits[0].lower, relative: 1e-12)
            expectClose(Double(row["upper99_8cl"]!), e.limits[1].upper, relative: 1e-12)
            #expect(Double(row["denominator"]!) == populations.last)
        }

        // The SII of those deciles, on the stream the plan gives that job.
        let resolved = try PlanReport.resolve(
            plan: RunnerFixture.demoPlan, data: RunnerFixture.data, inputFiles: ["counts": RunnerFixture.counts.counts],
            requireInputs: true)
        let job = try #require(
            resolved.jobs.first { j in
                resolved.areas[j.area].code == "E08000012" && resolved.indicators[j.indicator].spec.id == "le_birth"
                    && j.sex == .female && j.period.label == "2018-2020"
            })
        // Breakdowns in output order: national deciles (stream firstStream), then local deciles.
        #expect(job.schemes == [.none, .nationalDeciles, .localDeciles, .core20])
        var rng = Xoshiro256StarStar.streams(seed: resolved.plan.seed, count: job.firstStream + 2)[job.firstStream + 1]
        let se = try SlopeIndexOfInequality.standardErrors(
            lower: estimates.map { $0.limits[0].lower }, upper: estimates.map { $0.limits[0].upper }, valueType: .untransformed)
        var options = SIIOptions()
        options.repetitions = RunnerFixture.repetitions
        options.computeRII = true
        let sii = try SlopeIndexOfInequality.compute(
            populations: populations, values: estimates.map { $0.value! }, standardErrors: se, options: options, using: &rng)
        let key = [
            "indicator_id": "le_birth", "area_code": "E08000012", "sex": "Female", "period": "2018-2020",
            "deprivation_scheme": "local_deciles",
        ]
        let siiRow = try #require(rows(key.merging(["measure": "sii"]) { $1 }).first)
        expectClose(Double(siiRow["value"]!), sii.sii.value, relative: 1e-9)
        expectClose(Double(siiRow["lower95_0cl"]!), sii.sii.limits[0].lower, relative: 1e-9)
        expectClose(Double(siiRow["upper95_0cl"]!), sii.sii.limits[0].upper, relative: 1e-9)
        expectClose(Double(siiRow["lower99_8cl"]!), sii.sii.limits[1].lower, relative: 1e-9)
        let riiRow = try #require(rows(key.merging(["measure": "rii"]) { $1 }).first)
        expectClose(Double(riiRow["value"]!), sii.rii?.value, relative: 1e-9)
        expectClose(Double(riiRow["upper95_0cl"]!), sii.rii?.limits[0].upper, relative: 1e-9)
        // The gap: decile 10 − decile 1 (METHODS.md §8), positive for life expectancy.
        let gap = try #require(rows(key.merging(["measure": "absolute_range"]) { $1 }).first)
        expectClose(Double(gap["value"]!), estimates[9].value! - estimates[0].value!, relative: 1e-12)
        #expect(Double(gap["value"]!)! > 0)
    }

    @Test func lifeExpectancyByNationalDecileCoversTheGeneratingValue() throws {
        let truth = try Fixtures.table(URL(fileURLWithPath: RunnerFixture.counts.truth))
        var cells = 0, covered = 0
        for row in rows([
            "indicator_id": "le_birth", "area_type": "icb", "deprivation_scheme": "national_deciles", "measure": "value",
        ]) {
            let generating = try #require(
                truth.first { $0["sex"] == row["sex"] && $0["decile"] == row["quantile"] }.flatMap { Double($0["le_at_birth"]!) })
            guard let lower = Double(row["lower95_0cl"] ?? ""), let upper = Double(row["upper95_0cl"] ?? "") else {
                Issue.record("no limits for \(row)")
                continue
            }
            cells += 1
            if lower <= generating && generating <= upper { covered += 1 }
        }
        #expect(cells == 2 * 10 * 8)
        #expect(Double(covered) >= 0.9 * Double(cells), "\(covered) of \(cells) cells cover the generating value")
    }

    @Test func smallNationalDecilesOfAPlaceAreRowsWithNotes() throws {
        // Knowsley has no LSOA in national deciles 9–10: rows with notes, and no SII by national decile.
        let key = [
            "indicator_id": "le_birth", "area_code": "E08000011", "sex": "Male", "period": "2018-2020",
            "deprivation_scheme": "national_deciles",
        ]
        let decile10 = try #require(rows(key.merging(["quantile": "10"]) { $1 }).first)
        #expect(decile10["value"] == "")
        #expect(decile10["note"] == "no LSOAs in this national decile")
        let sii = try #require(rows(key.merging(["measure": "sii"]) { $1 }).first)
        #expect(sii["value"] == "")
        #expect(sii["note"]?.hasPrefix("not computed: no value for national decile") == true)
        // By local decile Knowsley has its SII.
        let local = try #require(
            rows(key.merging(["deprivation_scheme": "local_deciles", "measure": "sii"]) { $1 }).first)
        #expect(Double(local["value"]!) != nil)
    }

    @Test func ratesHaveTheirSIIOnTheLogScaleAndCore20Gaps() throws {
        let key = [
            "indicator_id": "mortality_u75", "area_code": "E54000008", "sex": "Persons", "period": "2020-2022",
        ]
        let deciles = rows(key.merging(["deprivation_scheme": "national_deciles", "measure": "value"]) { $1 })
        #expect(deciles.count == 10)
        let first = try #require(Double(deciles[0]["value"]!)), last = try #require(Double(deciles[9]["value"]!))
        #expect(first > last)
        let relative = try #require(
            rows(key.merging(["deprivation_scheme": "national_deciles", "measure": "relative_range"]) { $1 }).first)
        expectClose(Double(relative["value"]!), first / last, relative: 1e-12)
        let sii = try #require(rows(key.merging(["deprivation_scheme": "national_deciles", "measure": "sii"]) { $1 }).first)
        #expect(Double(sii["value"]!)! < 0)  // mortality falls with less deprivation
        let core20 = rows(key.merging(["deprivation_scheme": "core20", "measure": "value"]) { $1 })
        #expect(core20.map { $0["quantile"]! } == ["core20", "rest"])
        let gap = try #require(rows(key.merging(["deprivation_scheme": "core20", "measure": "absolute_range"]) { $1 }).first)
        expectClose(Double(gap["value"]!), Double(core20[1]["value"]!)! - Double(core20[0]["value"]!)!, relative: 1e-12)
        // The whole-area DSR is the sum of the deciles' counts.
        let whole = try #require(rows(key.merging(["deprivation_scheme": "none"]) { $1 }).first)
        #expect(Double(whole["count"]!) == deciles.reduce(0) { $0 + Double($1["count"]!)! })
    }

    @Test func aSecondRunWithUnchangedInputsDoesNothing() throws {
        let (_, output) = RunnerFixture.demoRun
        var request = RunRequest(plan: RunnerFixture.demoPlan, data: RunnerFixture.data, toolVersion: "test")
        request.output = output
        request.threads = 2
        request.repetitions = RunnerFixture.repetitions
        request.inputFiles = ["counts": RunnerFixture.counts.counts]
        let target = try FileManager.default.destinationOfSymbolicLink(atPath: output)
        let summary = try BatchRunner.run(request, logger: .init(label: "test"))
        #expect(summary.upToDate)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: output) == target)
    }
}

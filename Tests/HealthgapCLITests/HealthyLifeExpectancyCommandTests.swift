import Foundation
import Indicators
import Testing
import _TestSupport

// `healthgap hle` end to end: the built binary on the 20-band example table with a prevalence
// added, against `HealthyLifeExpectancy.compute` called here on the same rows, byte for byte.
//
// The EHEMU worked example (`sullivan_ehemu_input.csv`, METHODS §9) cannot be run through the
// command: it has 19 bands (0, 1-4, 5-9, …, 85+), a = 0.5 in the first band and the guide's own
// q₀ and L₀, none of which the Chiang II table of `le` can express. The library reproduces it
// (IndicatorsTests); here the command is held to the library on Chiang II tables, and to `le`
// where everyone is healthy.

@Suite struct HealthyLifeExpectancyCommandTests {
    typealias Fixture = LifeTableCommandFixture

    /// π falling with age, lower in the South; N rising with age.
    static func withPrevalence(_ f: Fixture) -> Fixture {
        f.adding("good_health") { row in
            let south = f.field(row, "area") == "Example South" ? 0.05 : 0
            return "\(0.97 - 0.03 * Double(f.band(row)) - south)"
        }.adding("sample") { row in "\(200 + 10 * f.band(row))" }
    }

    static let byArea = ["--by", "area,sex", "--start-age", "age_band", "--deaths", "deaths", "--population", "population"]

    /// The command's CSV for these results, as the library gives them.
    static func expectedCSV(_ groups: [(key: [String], results: [HealthyLifeExpectancyResult])], levels: Int = 2) -> String {
        let limits = ["lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"].prefix(2 * levels)
        var lines = [
            (["area", "sex", "start_age", "value"] + limits + ["le", "years_in_poorer_health", "percent_in_good_health", "note"])
                .joined(separator: ",")
        ]
        for (key, results) in groups {
            for r in results {
                let hle = r.healthyLifeExpectancy
                var fields = key + ["\(r.startAge)", written(hle.value)]
                for l in hle.limits { fields += [written(l.lower), written(l.upper)] }
                fields += [r.lifeExpectancy, r.yearsInPoorerHealth, r.percentInGoodHealth].map(written)
                fields.append(hle.note ?? "")
                lines.append(fields.joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The library's results for every group of `f`, with the prevalence `prevalence` builds from a group's rows.
    static func expected(
        _ f: Fixture, ages: [Int] = LifeExpectancy.startAges, variance: HealthyLifeExpectancy.Variance = .mathers,
        levels: [ConfidenceLevel] = ConfidenceLevel.defaults,
        prevalence: ([[String]]) -> HealthyLifeExpectancy.Prevalence
    ) throws -> [(key: [String], results: [HealthyLifeExpectancyResult])] {
        var out: [(key: [String], results: [HealthyLifeExpectancyResult])] = []
        for area in Fixture.areas {
            for sex in Fixture.sexes {
                let rows = f.group(area: area, sex: sex)
                out.append(
                    (
                        [area, sex],
                        try HealthyLifeExpectancy.compute(
                            startAges: f.startAges(rows), deaths: f.numbers(rows, "deaths"),
                            populations: f.numbers(rows, "population"), prevalence: prevalence(rows), ages: ages,
                            variance: variance, levels: levels)
                    ))
            }
        }
        return out
    }

    /// `values` and `precision` columns of the rows as arrays (NaN where empty).
    static func columns(_ f: Fixture, _ rows: [[String]], _ a: String, _ b: String) -> ([Double], [Double]) {
        (f.numbers(rows, a).map { $0 ?? .nan }, f.numbers(rows, b).map { $0 ?? .nan })
    }

    @Test func everyStartAgeMatchesTheMethodOnChiangTables() throws {
        let f = Self.withPrevalence(try Fixture.example())
        let result = try Healthgap.run(
            ["hle", "--input", try f.write()] + Self.byArea
                + ["--prevalence", "good_health", "--sample-size", "sample", "--le-age", "all"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "")
        let expected = try Self.expected(f) { rows in
            let (pi, n) = Self.columns(f, rows, "good_health", "sample")
            return .init(proportions: pi, sampleSizes: n)
        }
        #expect(result.stdout == Self.expectedCSV(expected))
        // The rows are real numbers: HLE below e, both parts of the variance in the limits.
        let rows = try parseCSV(result.stdout)
        #expect(rows.count == 80)
        for row in rows {
            let hle = try #require(fixtureNumber(row["value"])), e = try #require(fixtureNumber(row["le"]))
            #expect(hle > 0 && hle < e)
            #expect(fixtureNumber(row["lower95_0cl"])! < hle && hle < fixtureNumber(row["upper95_0cl"])!)
        }
    }

    @Test func fullHealthGivesTheLifeExpectancyOfLe() throws {
        let f = try Fixture.example().adding("good_health") { _ in "1" }.adding("sample") { _ in "100" }
        let input = try f.write()
        let hle = try Healthgap.run(
            ["hle", "--input", input] + Self.byArea
                + ["--prevalence", "good_health", "--sample-size", "sample", "--le-age", "0,65", "--confidence", "95"])
        let le = try Healthgap.run(["le", "--input", input] + Self.byArea + ["--le-age", "0,65", "--confidence", "95"])
        #expect(hle.status == 0 && le.status == 0, "\(hle.stderr)\(le.stderr)")
        let healthy = try parseCSV(hle.stdout), life = try parseCSV(le.stdout)
        #expect(healthy.count == 8 && life.count == 8)
        for (h, l) in zip(healthy, life) {
            #expect(h["start_age"] == l["start_age"] && h["area"] == l["area"] && h["sex"] == l["sex"])
            #expect(h["value"] == l["value"], "HLE = e at \(h)")
            #expect(h["le"] == l["value"])
            #expect(h["years_in_poorer_health"] == "0")
            #expect(h["percent_in_good_health"] == "100")
            #expect(h["note"] == "")
        }
    }

    @Test func startAgesAreReadAsLeReadsThem() throws {
        let labelled = Self.withPrevalence(try Fixture.example())
        var bare = labelled
        for i in bare.rows.indices { bare.rows[i][2] = "\(LifeExpectancy.startAges[labelled.band(labelled.rows[i])])" }
        #expect(bare.rows.contains { $0[2] == "90" } && !bare.rows.contains { $0[2] == "90+" })
        let hle = ["--prevalence", "good_health", "--sample-size", "sample", "--le-age", "all"]
        let decompose = ["--by", "sex", "--compare", "area=Example North:Example South"]
        for (command, arguments) in [("hle", Self.byArea + hle), ("decompose", Array(Self.byArea[2...]) + decompose)] {
            let fromLabels = try Healthgap.run([command, "--input", try labelled.write()] + arguments)
            let fromStarts = try Healthgap.run([command, "--input", try bare.write()] + arguments)
            #expect(fromLabels.status == 0 && fromStarts.status == 0, "\(fromLabels.stderr)\(fromStarts.stderr)")
            #expect(fromStarts.stdout == fromLabels.stdout, "\(command)")
            #expect(try parseCSV(fromStarts.stdout).allSatisfy { $0["note"] == "" }, "\(command)")
        }
    }

    /// Prevalence measured in 0-14, 15-44, 45-64, 65-84 and 85+.
    static func surveyBand(_ band: Int) -> String {
        switch band {
        case 0..<4: return "0-14"
        case 4..<10: return "15-44"
        case 10..<14: return "45-64"
        case 14..<18: return "65-84"
        default: return "85+"
        }
    }

    static let surveyPi = ["0-14": 0.95, "15-44": 0.88, "45-64": 0.74, "65-84": 0.6, "85+": 0.45]
    static let surveyN = ["0-14": 400.0, "15-44": 1_200, "45-64": 800, "65-84": 600, "85+": 150]

    @Test func prevalenceBandsShareOneEstimateAndItsError() throws {
        let base = try Fixture.example()
        let f = base.adding("survey_band") { Self.surveyBand(base.band($0)) }
            .adding("good_health") { "\(Self.surveyPi[Self.surveyBand(base.band($0))]!)" }
            .adding("sample") { "\(Self.surveyN[Self.surveyBand(base.band($0))]!)" }
        let arguments =
            Self.byArea + ["--prevalence", "good_health", "--sample-size", "sample", "--le-age", "all"]
        let shared = try Healthgap.run(["hle", "--input", try f.write(), "--prevalence-band", "survey_band"] + arguments)
        #expect(shared.status == 0, "\(shared.stderr)")
        let expected = try Self.expected(f) { rows in
            let (pi, n) = Self.columns(f, rows, "good_health", "sample")
            let labels = rows.map { f.field($0, "survey_band") }
            return .init(proportions: pi, sampleSizes: n, bands: labels.map { labels.firstIndex(of: $0)! })
        }
        #expect(shared.stdout == Self.expectedCSV(expected))

        // Without the bands every row is its own estimate: the same HLE, narrower limits below 90.
        let separate = try Healthgap.run(["hle", "--input", try f.write()] + arguments)
        for (a, b) in zip(try parseCSV(shared.stdout), try parseCSV(separate.stdout)) {
            #expect(a["value"] == b["value"])
            let wide = fixtureNumber(a["upper95_0cl"])! - fixtureNumber(a["lower95_0cl"])!
            let narrow = fixtureNumber(b["upper95_0cl"])! - fixtureNumber(b["lower95_0cl"])!
            #expect(a["start_age"] == "90" ? abs(wide - narrow) < 1e-12 : wide > narrow, "\(a)")
        }

        // Only the first row of each prevalence band need carry the estimate.
        var sparse = f
        for (i, row) in f.rows.enumerated() where i > 0 && f.rows[i - 1][f.header.count - 3] == row[f.header.count - 3] {
            sparse.rows[i][f.header.count - 2] = ""
            sparse.rows[i][f.header.count - 1] = "NA"
        }
        let once = try Healthgap.run(["hle", "--input", try sparse.write(), "--prevalence-band", "survey_band"] + arguments)
        #expect(once.status == 0, "\(once.stderr)")
        #expect(once.stdout == shared.stdout)
    }

    @Test func countsAndStandardErrorsAndThePrevalenceVariance() throws {
        let base = try Fixture.example()
        let f = Self.withPrevalence(base)
            .adding("healthy") { "\(((0.97 - 0.03 * Double(base.band($0))) * 300).rounded())" }
            .adding("surveyed") { _ in "300" }
            .adding("se") { "\(0.01 + 0.001 * Double(base.band($0)))" }
        let input = try f.write()

        let counts = try Healthgap.run(
            ["hle", "--input", input] + Self.byArea + ["--healthy", "healthy", "--surveyed", "surveyed", "--le-age", "0,65"])
        #expect(counts.status == 0, "\(counts.stderr)")
        let fromCounts = try Self.expected(f, ages: [0, 65]) { rows in
            let (h, n) = Self.columns(f, rows, "healthy", "surveyed")
            return .init(healthy: h, surveyed: n)
        }
        #expect(counts.stdout == Self.expectedCSV(fromCounts))

        let errors = try Healthgap.run(
            ["hle", "--input", input] + Self.byArea
                + ["--prevalence", "good_health", "--prevalence-se", "se", "--variance", "prevalence", "--confidence", "95"])
        #expect(errors.status == 0, "\(errors.stderr)")
        let fromErrors = try Self.expected(f, ages: [0], variance: .prevalence, levels: [.ninetyFive]) { rows in
            let (pi, se) = Self.columns(f, rows, "good_health", "se")
            return .init(proportions: pi, standardErrors: se)
        }
        #expect(errors.stdout == Self.expectedCSV(fromErrors, levels: 1))
    }

    @Test func aMissingBandOrPrevalenceIsANoteNotAFailure() throws {
        let f = Self.withPrevalence(try Fixture.example())
            .removing { $0[0] == "Example South" && $0[1] == "Male" && $0[2] == "85-89" }
            .setting("good_health", to: "NA") { $0[0] == "Example North" && $0[1] == "Male" && $0[2] == "70-74" }
        let result = try Healthgap.run(
            ["hle", "--input", try f.write()] + Self.byArea
                + ["--prevalence", "good_health", "--sample-size", "sample", "--le-age", "0,75"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try parseCSV(result.stdout)
        #expect(rows.count == 8)
        let northMale = rows.filter { $0["area"] == "Example North" && $0["sex"] == "Male" }
        #expect(northMale[0]["value"] == "" && northMale[0]["note"] == "missing prevalence in band 70-74")
        #expect(northMale[0]["le"] != "")
        #expect(northMale[1]["value"] != "" && northMale[1]["note"] == "")
        for row in rows where row["area"] == "Example South" && row["sex"] == "Male" {
            #expect(row["value"] == "" && row["le"] == "")
            #expect(row["note"]!.contains("85-89"), "\(row)")
        }
        #expect(result.stderr.contains("warning") && result.stderr.contains("area=Example South, sex=Male"))
    }

    /// A refusal: which row's column is spoilt and how, the extra arguments, and the error
    /// (the band it names, its message and the value it shows).
    struct Refusal: Sendable, CustomTestStringConvertible {
        var name: String
        var column: String
        var value: String
        var row: String
        var arguments: [String]
        var band: String
        var message: String
        var shown: String?
        var testDescription: String { name }
    }

    static let proportions = ["--prevalence", "good_health", "--sample-size", "sample"]
    static let counts = ["--healthy", "healthy", "--surveyed", "surveyed"]
    static let bands = proportions + ["--prevalence-band", "survey_band"]

    static let refusals = [
        Refusal(
            name: "prevalence above 1", column: "good_health", value: "1.2", row: "5-9", arguments: proportions,
            band: "5-9", message: "prevalence must be between 0 and 1", shown: "1.2"),
        Refusal(
            name: "negative prevalence", column: "good_health", value: "-0.1", row: "0", arguments: proportions,
            band: "0", message: "prevalence must be between 0 and 1", shown: "-0.1"),
        Refusal(
            name: "negative sample size", column: "sample", value: "-5", row: "60-64", arguments: proportions,
            band: "60-64", message: "sample size must be a non-negative number", shown: "-5"),
        Refusal(
            name: "more healthy than surveyed", column: "healthy", value: "350", row: "90+", arguments: counts,
            band: "90+", message: "healthy count must not exceed the number surveyed (300)", shown: "350"),
        Refusal(
            name: "two values in one prevalence band", column: "good_health", value: "0.5", row: "1-4", arguments: bands,
            band: "1-4", message: "prevalence differs within one prevalence band", shown: "0.5"),
        Refusal(
            name: "a row in no prevalence band", column: "survey_band", value: "", row: "50-54", arguments: bands,
            band: "50-54", message: "the band is in no prevalence band"),
        Refusal(
            name: "an age that is no life-table band", column: "age_band", value: "5-10", row: "5-9",
            arguments: proportions, band: "5-10",
            message: "is not a life-table band (expected 0, 1-4, 5-9, …, 85-89, 90+)"),
    ]

    @Test(arguments: refusals)
    func refusalStopsWithExit65OrBecomesTheGroupsNote(r: Refusal) throws {
        let base = try Fixture.example()
        let f = base.adding("good_health") { _ in "0.8" }.adding("sample") { _ in "300" }
            .adding("healthy") { _ in "240" }.adding("surveyed") { _ in "300" }
            .adding("survey_band") { Self.surveyBand(base.band($0)) }
        let spoilt: ([String]) -> Bool = { $0[0] == "Example South" && $0[1] == "Female" && $0[2] == r.row }
        let input = try f.setting(r.column, to: r.value, where: spoilt).write()
        let line = f.line(where: spoilt)
        let arguments = ["hle", "--input", input] + Self.byArea + r.arguments

        let failed = try Healthgap.run(arguments)
        #expect(failed.status == 65)
        #expect(failed.stdout == "")
        let shown = r.shown.map { " (value \($0))" } ?? ""
        #expect(
            failed.stderr
                == "healthgap: error: \(input):\(line): group area=Example South, sex=Female, band \(r.band): "
                + "\(r.message)\(shown)\n")

        let suppressed = try Healthgap.run(arguments + ["--on-error", "suppress", "--le-age", "0,65"])
        #expect(suppressed.status == 0, "\(suppressed.stderr)")
        #expect(suppressed.stderr.contains("warning: suppressed: \(input):\(line): group area=Example South"))
        let rows = try parseCSV(suppressed.stdout)
        #expect(rows.count == 8)
        for row in rows {
            let spoiltGroup = row["area"] == "Example South" && row["sex"] == "Female"
            #expect((row["value"] == "") == spoiltGroup, "\(row)")
            if spoiltGroup {
                #expect(row["le"] == "" && row["lower95_0cl"] == "")
                #expect(row["note"] == "\(r.message) (band \(r.band))")
            }
        }
    }

    @Test(arguments: [
        (["--prevalence", "p"], "--prevalence needs --sample-size COL or --prevalence-se COL"),
        (["--prevalence", "p", "--sample-size", "n", "--prevalence-se", "se"], "not both"),
        (["--healthy", "h"], "--healthy needs --surveyed COL"),
        (["--prevalence", "p", "--sample-size", "n", "--healthy", "h", "--surveyed", "s"], "not both"),
        ([], "give the prevalence"),
        (["--prevalence", "p", "--sample-size", "n", "--le-age", "3"], "'3' is not a life-table start age"),
    ])
    func prevalenceFlagsThatDoNotFitAreUsageErrors(arguments: [String], message: String) throws {
        let result = try Healthgap.run(["hle", "--input", "x.csv"] + Self.byArea + arguments)
        #expect(result.status == 64)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}

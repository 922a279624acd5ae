import Foundation
import Indicators
import Testing
import _TestSupport

// `healthgap decompose` end to end: the built binary on the 20-band example table (North, the
// shorter-lived, as the base; South as the comparator; by sex) with deaths by cause added, against
// `LifeExpectancyDecomposition.compute` called here on the same rows, byte for byte.
//
// Preston, Heuveline & Guillot's box 4.3 (`arriaga_phg_input.csv`, METHODS §10) cannot be run
// through the command: it gives death rates, not deaths and populations, in 7 bands (0, 5, 15,
// 30, 45, 60, 70+) with a = n/2, which the Chiang II table of `le` cannot express. The library
// reproduces it (IndicatorsTests); here the command is held to the library.

@Suite struct DecomposeCommandTests {
    typealias Fixture = LifeTableCommandFixture

    /// Circulatory and cancer deaths, about 40% and 30% of all deaths; the rest is the residual.
    static func withCauses(_ f: Fixture) -> Fixture {
        f.adding("circulatory") { "\((Double(f.field($0, "deaths"))! * 0.4).rounded(.down))" }
            .adding("cancer") { "\((Double(f.field($0, "deaths"))! * 0.3).rounded(.down))" }
    }

    static let compare = [
        "--by", "sex", "--compare", "area=Example North:Example South", "--start-age", "age_band", "--deaths", "deaths",
        "--population", "population",
    ]

    /// The library's decomposition of North (base) against South (comparator) for each sex.
    static func expected(_ f: Fixture, causes: [String], symmetric: Bool = false) throws -> [(
        sex: String, result: LifeExpectancyDecompositionResult
    )] {
        func group(_ area: String, _ sex: String) -> LifeExpectancyDecomposition.Group {
            let rows = f.group(area: area, sex: sex)
            return LifeExpectancyDecomposition.Group(
                startAges: f.startAges(rows), deaths: f.numbers(rows, "deaths"),
                populations: f.numbers(rows, "population"), causeDeaths: causes.map { f.numbers(rows, $0) })
        }
        return try Fixture.sexes.map { sex in
            (
                sex,
                try LifeExpectancyDecomposition.compute(
                    base: group("Example North", sex), comparator: group("Example South", sex), causeNames: causes,
                    symmetric: symmetric)
            )
        }
    }

    /// The command's CSV for these decompositions.
    static func expectedCSV(_ groups: [(sex: String, result: LifeExpectancyDecompositionResult)]) -> String {
        var lines = ["sex,start_age,cause,years,percent_of_gap,le_base,le_comparator,note"]
        for (sex, result) in groups {
            for row in result.rows() {
                lines.append(
                    [
                        sex, row.startAge.map { "\($0)" } ?? "all", row.cause ?? "all", written(row.years),
                        written(row.percentOfGap), written(result.lifeExpectancyBase),
                        written(result.lifeExpectancyComparator), result.note ?? "",
                    ].joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test(arguments: [false, true])
    func bandsAndCausesMatchTheMethod(symmetric: Bool) throws {
        let f = Self.withCauses(try Fixture.example())
        let result = try Healthgap.run(
            ["decompose", "--input", try f.write()] + Self.compare + ["--causes", "circulatory,cancer"]
                + (symmetric ? ["--symmetric"] : []))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "")
        let expected = try Self.expected(f, causes: ["circulatory", "cancer"], symmetric: symmetric)
        #expect(result.stdout == Self.expectedCSV(expected))

        let rows = try parseCSV(result.stdout)
        // 21 rows of ages (20 bands and all) × all causes, 2 causes and the residual, per sex.
        #expect(rows.count == 2 * 21 * 4)
        for sex in Fixture.sexes {
            let mine = rows.filter { $0["sex"] == sex }
            let whole = try #require(mine.first { $0["start_age"] == "all" && $0["cause"] == "all" })
            let gap = fixtureNumber(whole["le_comparator"])! - fixtureNumber(whole["le_base"])!
            #expect(gap > 0, "South lives longer than North")
            expectClose(fixtureNumber(whole["years"]), gap, absolute: 1e-9, "the whole gap, \(sex)")
            #expect(whole["percent_of_gap"] == "100")
            #expect(Set(mine.map { $0["cause"]! }) == ["all", "circulatory", "cancer", "other"])
            // Bands add up to the gap, causes to their band.
            let bands = mine.filter { $0["start_age"] != "all" && $0["cause"] == "all" }
            expectClose(bands.map { fixtureNumber($0["years"])! }.reduce(0, +), gap, absolute: 1e-9, sex)
            for band in bands {
                let parts = mine.filter { $0["start_age"] == band["start_age"] && $0["cause"] != "all" }
                expectClose(
                    parts.map { fixtureNumber($0["years"])! }.reduce(0, +), fixtureNumber(band["years"]),
                    absolute: 1e-9, "band \(band["start_age"]!), \(sex)")
            }
        }
    }

    @Test func symmetricIsTheMeanOfBothDirections() throws {
        let f = Self.withCauses(try Fixture.example())
        let input = try f.write()
        func years(_ arguments: [String]) throws -> [String: Double] {
            let result = try Healthgap.run(["decompose", "--input", input] + arguments)
            #expect(result.status == 0, "\(result.stderr)")
            var out: [String: Double] = [:]
            for row in try parseCSV(result.stdout) {
                out[row["sex"]! + "/" + row["start_age"]! + "/" + row["cause"]!] = fixtureNumber(row["years"])
            }
            return out
        }
        let forward = try years(Self.compare + ["--causes", "circulatory,cancer"])
        var reversedCompare = Self.compare
        reversedCompare[3] = "area=Example South:Example North"
        let backward = try years(reversedCompare + ["--causes", "circulatory,cancer"])
        let symmetric = try years(Self.compare + ["--causes", "circulatory,cancer", "--symmetric"])
        #expect(symmetric.count == forward.count)
        for (key, value) in symmetric {
            expectClose(value, (forward[key]! - backward[key]!) / 2, absolute: 1e-12, key)
        }
    }

    @Test func withoutCausesOrWithExhaustiveCausesThereIsNoResidual() throws {
        let f = Self.withCauses(try Fixture.example())
            .adding("rest") { "\(Double($0[3])! - (Double($0[3])! * 0.4).rounded(.down))" }
        let input = try f.write()
        let bare = try Healthgap.run(["decompose", "--input", input] + Self.compare)
        #expect(bare.status == 0, "\(bare.stderr)")
        #expect(bare.stdout == Self.expectedCSV(try Self.expected(f, causes: [])))
        #expect(try parseCSV(bare.stdout).count == 2 * 21)

        let exhaustive = try Healthgap.run(["decompose", "--input", input] + Self.compare + ["--causes", "circulatory,rest"])
        #expect(exhaustive.status == 0, "\(exhaustive.stderr)")
        #expect(exhaustive.stdout == Self.expectedCSV(try Self.expected(f, causes: ["circulatory", "rest"])))
        #expect(!exhaustive.stdout.contains("other"))
    }

    @Test func aMissingPopulationOrBandIsANoteNotAFailure() throws {
        let f = Self.withCauses(try Fixture.example())
            .removing { $0[0] == "Example North" && $0[1] == "Female" }
            .removing { $0[0] == "Example South" && $0[1] == "Male" && $0[2] == "85-89" }
        let result = try Healthgap.run(
            ["decompose", "--input", try f.write()] + Self.compare + ["--causes", "circulatory,cancer"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try parseCSV(result.stdout)
        // The method's empty result: 21 ages × all causes and the 2 named ones.
        #expect(rows.count == 2 * 21 * 3)
        for row in rows {
            #expect(row["years"] == "" && row["percent_of_gap"] == "" && row["le_base"] == "", "\(row)")
            if row["sex"] == "Female" {
                #expect(row["note"] == "base: no rows with area=Example North")
            } else {
                #expect(
                    row["note"] == "comparator: group does not have exactly the 20 life-table bands (missing 85-89)")
            }
        }
        #expect(result.stderr.contains("warning") && result.stderr.contains("group sex=Female"))
        #expect(result.stderr.contains("group sex=Male"))
    }

    /// A refusal: which row's column is spoilt and how, and the error (group, band, message, value).
    struct Refusal: Sendable, CustomTestStringConvertible {
        var name: String
        var area: String
        var row: String
        var column: String
        var value: String
        var band: String
        var message: String
        var shown: String?
        var testDescription: String { name }
    }

    static let refusals = [
        Refusal(
            name: "causes above all deaths in the base", area: "Example North", row: "60-64", column: "cancer",
            value: "10000", band: "60-64", message: "deaths by cause in the base sum to more than all deaths",
            shown: nil),
        Refusal(
            name: "negative deaths from a cause in the comparator", area: "Example South", row: "0",
            column: "circulatory", value: "-1", band: "0",
            message: "deaths from circulatory in the comparator must be a non-negative number", shown: "-1"),
        Refusal(
            name: "an age that is no life-table band", area: "Example South", row: "90+", column: "age_band",
            value: "90-94", band: "90-94", message: "is not a life-table band (expected 0, 1-4, 5-9, …, 85-89, 90+)",
            shown: nil),
    ]

    @Test(arguments: refusals)
    func refusalStopsWithExit65OrBecomesTheGroupsNote(r: Refusal) throws {
        let f = Self.withCauses(try Fixture.example())
        let spoilt: ([String]) -> Bool = { $0[0] == r.area && $0[1] == "Female" && $0[2] == r.row }
        let input = try f.setting(r.column, to: r.value, where: spoilt).write()
        let line = f.line(where: spoilt)
        let arguments = ["decompose", "--input", input] + Self.compare + ["--causes", "circulatory,cancer"]
        let failed = try Healthgap.run(arguments)
        #expect(failed.status == 65)
        #expect(failed.stdout == "")
        // Causes above the deaths show the deaths in the message and their sum as the value.
        var message = r.message
        if r.column == "cancer" {
            let row = f.rows.first(where: spoilt)!
            let deaths = f.field(row, "deaths"), circulatory = Double(f.field(row, "circulatory"))!
            message += " (\(deaths)) (value \(written(circulatory + 10000)))"
        } else if let shown = r.shown {
            message += " (value \(shown))"
        }
        #expect(
            failed.stderr
                == "healthgap: error: \(input):\(line): group sex=Female, area=\(r.area), band \(r.band): \(message)\n")

        let suppressed = try Healthgap.run(arguments + ["--on-error", "suppress"])
        #expect(suppressed.status == 0, "\(suppressed.stderr)")
        #expect(suppressed.stderr.contains("warning: suppressed: \(input):\(line): group sex=Female"))
        let rows = try parseCSV(suppressed.stdout)
        #expect(rows.count == 21 * 3 + 21 * 4)
        for row in rows where row["sex"] == "Female" {
            #expect(row["years"] == "" && row["le_base"] == "")
            #expect(row["note"]!.contains(r.message) && row["note"]!.contains("band \(r.band)"), "\(row)")
        }
        #expect(rows.filter { $0["sex"] == "Male" }.allSatisfy { $0["years"] != "" })
    }

    @Test(arguments: [
        (["--compare", "area=Example East:Example North"], 64, "no row has area=Example East"),
        (["--compare", "area"], 64, "is not COL=BASE:COMPARATOR"),
        (["--compare", "area=Example North"], 64, "is not COL=BASE:COMPARATOR"),
        (["--compare", "area=a:a"], 64, "name two values"),
        (["--compare", "sex=Female:Male"], 64, "also a --by column"),
        (["--compare", "area=Example North:Example South", "--causes", "cancer,other"], 64, "'other' is the residual"),
        (["--compare", "area=Example North:Example South", "--causes", "cancer,cancer"], 64, "named twice"),
    ])
    func comparisonsAndCausesThatDoNotFitAreUsageErrors(arguments: [String], status: Int32, message: String) throws {
        let input = try Self.withCauses(try Fixture.example()).write()
        let result = try Healthgap.run(
            [
                "decompose", "--input", input, "--by", "sex", "--start-age", "age_band", "--deaths", "deaths",
                "--population", "population",
            ] + arguments)
        #expect(result.status == status)
        #expect(result.stdout == "")
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}

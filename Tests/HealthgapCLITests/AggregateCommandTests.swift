import Foundation
import Testing
import _TestSupport

// `healthgap aggregate` and `healthgap synth` end to end: the malformed corpus (exact message,
// exit 65, nothing written), reject mode (exact rejects file and counts), exit codes for usage and
// unreadable input, and the binary finding its Data/ from another working directory.

private let corpus = "Tests/IngestTests/Malformed/"

@Suite struct AggregateCommandTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var file: String
        var arguments: [String] = []
        var message: String
        var testDescription: String { file }
    }

    static let countExpected = "is not allowed: expected a count of 0 or more"
    static let cases: [Case] = [
        Case(file: "unterminated_quote.csv", message: ":3: column 3 (sex): quoted field is never closed"),
        Case(file: "wrong_field_count.csv", message: ":3: expected 6 fields (as in the header) but found 5"),
        Case(file: "non_numeric_count.csv", message: ":3: column 5 (population): \"33x\" \(countExpected)"),
        Case(file: "negative_count.csv", message: ":3: column 6 (deaths): \"-1\" \(countExpected)"),
        Case(
            file: "unknown_lsoa.csv",
            message:
                ":3: column 1 (lsoa_code): \"E01999999\" is not allowed: expected an LSOA code of the IMD 2019 geography (32844 LSOAs, e.g. E01000001)"
        ),
        Case(
            file: "duplicate_key.csv",
            message:
                ":4: column 1 (lsoa_code): \"E01006512, 2018, Male, 0\" is not allowed: expected one row per lsoa × year × sex × age band (this key is on an earlier line)"
        ),
        Case(
            file: "unmappable_age.csv", arguments: ["--bands", "le"],
            message:
                ":3: column 4 (age_band): \"85+\" is not allowed: expected an age band inside one life-table band (0, 1-4, 5-9, …, 90+); it spans 85-89 and 90+"
        ),
        Case(
            file: "unparseable_age.csv",
            message:
                ":3: column 4 (age_band): \"old\" is not allowed: expected an age or age band such as 0, 1-4, 5-9 or 90+ (ages 0 to 150)"
        ),
        Case(
            file: "unknown_sex.csv",
            message: ":3: column 3 (sex): \"Persons\" is not allowed: expected Male or Female (or M/F, 1/2; any case)"),
    ]

    @Test(arguments: cases)
    func eachMalformedFileFailsWithItsPositionAndExit65(_ c: Case) throws {
        let dir = try Healthgap.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = dir.appendingPathComponent("out.csv").path
        let result = try Healthgap.run(
            ["aggregate", "--counts", corpus + c.file, "--by", "sex,age_band", "--output", output] + c.arguments)
        #expect(result.status == 65)
        #expect(result.stderr == "healthgap: error: \(corpus)\(c.file)\(c.message)\n")
        #expect(!FileManager.default.fileExists(atPath: output), "nothing is written on failure")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty, "no temporary file is left")
    }

    @Test func rejectModeWritesEveryBadRowWithItsReasonAndCountsThem() throws {
        let dir = try Healthgap.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = dir.appendingPathComponent("out.csv").path
        let rejects = dir.appendingPathComponent("rejects.csv").path
        let file = corpus + "mixed.csv"
        let result = try Healthgap.run([
            "aggregate", "--counts", file, "--by", "sex,age_band", "--bands", "le", "--output", output, "--on-error",
            "reject", "--rejects", rejects,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "healthgap: read 11 rows: 2 accepted, 9 rejected (written to \(rejects))\n")
        // Deaths above population in one LSOA cell (line 11: 4 deaths among 3 people aged 90+) is accepted.
        #expect(
            try String(contentsOfFile: output, encoding: .utf8) == "sex,age_band,population,deaths\nMale,0,8,0\nFemale,90+,3,4\n")

        func invalid(_ line: Int, _ column: Int, _ name: String, _ text: String, _ expected: String) -> String {
            "\(file):\(line): column \(column) (\(name)): \"\(text)\" is not allowed: expected \(expected)"
        }
        let count = "a count of 0 or more"
        let want: [[String]] = [
            ["3", "5", "population", "33x", invalid(3, 5, "population", "33x", count), "E01006512,2018,Male,1-4,33x,1"],
            ["4", "6", "deaths", "-1", invalid(4, 6, "deaths", "-1", count), "E01006512,2018,Male,5-9,40,-1"],
            [
                "5", "1", "lsoa_code", "E01999999",
                invalid(5, 1, "lsoa_code", "E01999999", "an LSOA code of the IMD 2019 geography (32844 LSOAs, e.g. E01000001)"),
                "E01999999,2018,Male,0,8,0",
            ],
            [
                "6", "3", "sex", "Persons", invalid(6, 3, "sex", "Persons", "Male or Female (or M/F, 1/2; any case)"),
                "E01006512,2018,Persons,0,8,0",
            ],
            [
                "7", "1", "lsoa_code", "E01006512, 2018, Male, 0",
                invalid(
                    7, 1, "lsoa_code", "E01006512, 2018, Male, 0",
                    "one row per lsoa × year × sex × age band (this key is on an earlier line)"),
                "E01006512,2018,Male,0,9,1",
            ],
            [
                "8", "4", "age_band", "85+",
                invalid(
                    8, 4, "age_band", "85+",
                    "an age band inside one life-table band (0, 1-4, 5-9, …, 90+); it spans 85-89 and 90+"),
                "E01006512,2018,Male,85+,3,4",
            ],
            [
                "9", "4", "age_band", "old",
                invalid(9, 4, "age_band", "old", "an age or age band such as 0, 1-4, 5-9 or 90+ (ages 0 to 150)"),
                "E01006512,2018,Male,old,3,1",
            ],
            ["10", "", "", "", "\(file):10: expected 6 fields (as in the header) but found 5", ""],
            ["12", "4", "age_band", "", "\(file):12: column 4 (age_band): quoted field is never closed", ""],
        ]
        let rows = try Fixtures.rawTable(URL(fileURLWithPath: rejects))
        #expect(rows.header == ["line", "column", "column_name", "value", "reason", "record"])
        #expect(rows.rows.count == want.count)
        for (got, expected) in zip(rows.rows, want) { #expect(got == expected) }
    }

    @Test func aCleanFileInRejectModeGivesAnEmptyRejectsFile() throws {
        let dir = try Healthgap.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let counts = dir.appendingPathComponent("counts.csv").path
        let rejects = dir.appendingPathComponent("rejects.csv").path
        #expect(try Healthgap.run(["synth", "--areas", "E06000006", "--years", "2020", "--output", counts]).status == 0)
        let result = try Healthgap.run([
            "aggregate", "--counts", counts, "--by", "decile", "--output", dir.appendingPathComponent("o.csv").path,
            "--on-error", "reject", "--rejects", rejects,
        ])
        #expect(result.status == 0)
        #expect(result.stderr == "healthgap: read 3160 rows: 3160 accepted, 0 rejected (written to \(rejects))\n")
        #expect(try String(contentsOfFile: rejects, encoding: .utf8) == "line,column,column_name,value,reason,record\n")
    }

    @Test func synthAndAggregateWorkFromAnotherDirectoryAndAgree() throws {
        let dir = try Healthgap.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let synth = try Healthgap.run(
            ["synth", "--areas", "E08000011", "--years", "2019-2020", "--seed", "5", "--output", "k.csv.gz", "--truth", "t.csv"],
            in: dir)
        #expect(synth.status == 0, "\(synth.stderr)")
        for name in ["k.csv.gz", "k.params.json", "t.csv"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path), "\(name)")
        }
        let result = try Healthgap.run(
            [
                "aggregate", "--counts", "k.csv.gz", "--by", "place,local_decile,sex", "--local-within", "place", "--bands", "le",
                "--output", "-",
            ],
            in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try parseCSV(result.stdout)
        #expect(result.stdout.hasPrefix("place,place_name,local_decile,sex,population,deaths\n"))
        #expect(rows.count == 20 && rows.allSatisfy { $0["place"] == "E08000011" && $0["place_name"] == "Knowsley" })
    }

    @Test func usageProblemsExit64AndUnreadableInputExits66() throws {
        let bad = try Healthgap.run(["aggregate", "--counts", corpus + "mixed.csv", "--by", "la,colour", "--output", "-"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("'colour' is not a key"))
        let period = try Healthgap.run(["aggregate", "--counts", corpus + "mixed.csv", "--by", "period", "--output", "-"])
        #expect(period.status == 64 && period.stderr.contains("--period-length"))
        let missing = try Healthgap.run(["aggregate", "--counts", "no/such/file.csv", "--by", "la", "--output", "-"])
        #expect(missing.status == 66)
        #expect(missing.stderr.hasPrefix("healthgap: error: no/such/file.csv: cannot open"))
        let noRejects = try Healthgap.run([
            "aggregate", "--counts", corpus + "mixed.csv", "--by", "la", "--output", "-", "--on-error", "reject",
        ])
        #expect(noRejects.status == 64)
        let areas = try Healthgap.run(["synth", "--areas", "E99999999", "--output", "/tmp/never.csv"])
        #expect(areas.status == 64 && areas.stderr.contains("'E99999999' is not a local authority"))
    }

    @Test func helpNamesEveryFlag() throws {
        let help = try Healthgap.run(["aggregate", "--help"])
        for flag in [
            "--counts", "--deprivation", "--by", "--output", "--on-error", "--rejects", "--threads", "--bands",
            "--period-length", "--local-within", "--lsoa-column", "--year-column", "--sex-column", "--age-column",
            "--population-column", "--deaths-column",
        ] {
            #expect(help.stdout.contains(flag), "\(flag)")
        }
        let synth = try Healthgap.run(["synth", "--help"])
        for flag in ["--areas", "--years", "--seed", "--output", "--truth"] { #expect(synth.stdout.contains(flag)) }
    }
}

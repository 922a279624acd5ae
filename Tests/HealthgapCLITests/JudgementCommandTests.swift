import Foundation
import Testing
import _TestSupport

// End-to-end: `compare`, `trend` and `gap-change` run as built, on the worked examples in
// ../shared/reference/methods/ (outcomes exactly, numbers to 1e-9 relative) and on small
// hand-built series, with the exit code and message of each kind of bad input.

/// A worked example in `../shared/reference/methods/`: its header and rows of fields.
private func workedExample(_ name: String) throws -> (header: [String], rows: [[String]]) {
    try Fixtures.rawTable(Fixtures.shared.appendingPathComponent("reference/methods").appendingPathComponent(name))
}

/// Writes `lines` as a CSV file in a fresh temporary directory and returns its path.
private func csvFile(_ lines: [String], name: String = "input.csv") throws -> String {
    let url = try Healthgap.temporaryDirectory().appendingPathComponent(name)
    try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
    return url.path
}

/// The normal quantile of 97.5%, as METHODS.md §0 asks (never 1.96).
private let z95 = 1.959963984540054

@Suite struct CompareCommandTests {
    /// comparisons_fingertips: control limits for proportions and DSRs, one run per method and level; every outcome.
    @Test func controlLimitsMatchTheFingertipsComparatorTests() throws {
        let (header, rows) = try workedExample("comparisons_fingertips.csv")
        let column = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
        let subsets = Dictionary(grouping: rows) { "\($0[column["method"]!]) \($0[column["level"]!])" }
        #expect(subsets.count == 4)
        for (_, subset) in subsets.sorted(by: { $0.key < $1.key }) {
            let first = subset[0]
            let isProportion = first[column["method"]!].hasSuffix("proportion")
            let input = try csvFile([header.joined(separator: ",")] + subset.map { $0.joined(separator: ",") })
            let result = try Healthgap.run([
                "compare", "--input", input, "--value", "value", "--benchmark", "benchmark", "--polarity",
                first[column["polarity"]!], "--method", "control_limits", "--denominator", "denominator", "--unit",
                first[column["unit"]!], "--value-type", isProportion ? "proportion" : "dsr", "--confidence",
                first[column["level"]!],
            ])
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first == header.joined(separator: ",") + ",comparison,note")
            for (line, row) in zip(lines.dropFirst(), subset) {
                // Every input column is written back as read, then the outcome and an empty note.
                #expect(line == row.joined(separator: ",") + ",\(row[column["outcome"]!]),", "\(input)")
            }
            #expect(lines.count == subset.count + 1)
        }
    }

    /// comparisons_two_levels: similar inside 95%, better/worse inside 99.8%, best/worst beyond; one run per polarity.
    @Test(arguments: ["low_is_good", "high_is_good"])
    func twoLevelsMatchTheFingertipsComparatorTests(polarity: String) throws {
        let (header, rows) = try workedExample("comparisons_two_levels.csv")
        let p = header.firstIndex(of: "polarity")!, outcome = header.firstIndex(of: "outcome")!
        let subset = rows.filter { $0[p] == polarity }
        #expect(subset.count == 3)
        let input = try csvFile([header.joined(separator: ",")] + subset.map { $0.joined(separator: ",") })
        let result = try Healthgap.run([
            "compare", "--input", input, "--value", "value", "--lower95", "lower95_0cl", "--upper95", "upper95_0cl",
            "--lower99-8", "lower99_8cl", "--upper99-8", "upper99_8cl", "--benchmark", "benchmark", "--polarity",
            polarity, "--method", "ci95_99_8",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let out = try parseCSV(result.stdout)
        #expect(out.map { $0["comparison"] } == subset.map { $0[outcome] })
        #expect(out.allSatisfy { $0["note"] == "" })
    }

    /// A number as the benchmark (a goal, England typed in) is used for every row; neutral polarity says higher or lower.
    @Test func aNumberBenchmarkAndNeutralPolarity() throws {
        let input = try csvFile([
            "area,value,lo,hi", "A,2.6,2.5,2.7", "B,3.4,3.1,3.9", "C,3.1,2.9,3.3", "D,,,",
        ])
        let result = try Healthgap.run([
            "compare", "--input", input, "--by", "area", "--value", "value", "--lower95", "lo", "--upper95", "hi",
            "--benchmark", "3", "--polarity", "neutral",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout == """
                area,value,lo,hi,comparison,note
                A,2.6,2.5,2.7,lower,
                B,3.4,3.1,3.9,higher,
                C,3.1,2.9,3.3,similar,
                D,,,,not compared,value missing

                """)
    }

    /// overlap: similar when the two 95% intervals overlap, from a benchmark's limit columns.
    @Test func overlappingIntervalsAreSimilar() throws {
        let input = try csvFile([
            "area,v,l,u,b,bl,bu", "A,10,9,11,12,10.5,13.5", "B,10,9,11,13,12,14", "C,14,13,15,12,11,12.9",
        ])
        let result = try Healthgap.run([
            "compare", "--input", input, "--value", "v", "--lower95", "l", "--upper95", "u", "--benchmark", "b",
            "--benchmark-lower95", "bl", "--benchmark-upper95", "bu", "--polarity", "high_is_good", "--method", "overlap",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try parseCSV(result.stdout).map { $0["comparison"] } == ["similar", "worse", "better"])
    }

    /// The output of a method command (with its own `note`) can be compared: the input's note is kept as input_note.
    @Test func anInputNoteColumnIsKeptAsInputNote() throws {
        let input = try csvFile([
            "area,value,lower95_0cl,upper95_0cl,note", "A,,,,total count < 10", "B,50,45,55,",
        ])
        let result = try Healthgap.run([
            "compare", "--input", input, "--value", "value", "--lower95", "lower95_0cl", "--upper95", "upper95_0cl",
            "--benchmark", "40", "--polarity", "low_is_good",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout == """
                area,value,lower95_0cl,upper95_0cl,input_note,comparison,note
                A,,,,total count < 10,not compared,value missing
                B,50,45,55,,worse,

                """)
    }

    @Test func notApplicableIsNeverCompared() throws {
        let input = try csvFile(["v,l,u", "1,0.5,1.5"])
        let result = try Healthgap.run([
            "compare", "--input", input, "--value", "v", "--lower95", "l", "--upper95", "u", "--benchmark", "9",
            "--polarity", "not_applicable",
        ])
        #expect(result.status == 0)
        let row = try parseCSV(result.stdout)[0]
        #expect(row["comparison"] == "not compared")
        #expect(row["note"] == "polarity is not_applicable: this indicator is never compared")
    }

    /// A row the method rejects stops the run at its line, naming the group and value, or is suppressed with a warning.
    @Test func aProportionBenchmarkAboveTheUnitFailsOrIsSuppressed() throws {
        let input = try csvFile(["area,value,n,england", "A,7.7,5930,8.96", "B,9.9,2273,896"])
        let args = [
            "compare", "--input", input, "--by", "area", "--value", "value", "--benchmark", "england", "--polarity",
            "low_is_good", "--method", "control_limits", "--denominator", "n", "--unit", "100", "--value-type",
            "proportion", "--confidence", "95",
        ]
        let failed = try Healthgap.run(args)
        #expect(failed.status == 65)
        #expect(failed.stdout == "")
        #expect(
            failed.stderr
                == "healthgap: error: \(input):3: group area=B: a proportion benchmark must not exceed the unit 100; check --unit (value 896)\n"
        )
        let suppressed = try Healthgap.run(args + ["--on-error", "suppress"])
        #expect(suppressed.status == 0)
        let rows = try parseCSV(suppressed.stdout)
        #expect(rows.map { $0["comparison"] } == ["better", "not compared"])
        #expect(rows[1]["note"] == "a proportion benchmark must not exceed the unit 100; check --unit")
        #expect(suppressed.stderr.contains("warning: suppressed: \(input):3: group area=B"))
    }

    @Test func anUnparseableValueStopsWithExit65AtItsLine() throws {
        let input = try csvFile(["v,l,u", "1,0.5,1.5", "1.2x,1,2"])
        let result = try Healthgap.run([
            "compare", "--input", input, "--value", "v", "--lower95", "l", "--upper95", "u", "--benchmark", "1",
            "--polarity", "neutral",
        ])
        #expect(result.status == 65)
        #expect(result.stderr == "healthgap: error: \(input):3: column 1 (v): \"1.2x\" is not a number\n")
    }

    @Test func aMissingInputStopsWithExit66() throws {
        let result = try Healthgap.run([
            "compare", "--input", "no-such-file.csv", "--value", "v", "--lower95", "l", "--upper95", "u", "--benchmark",
            "1", "--polarity", "neutral",
        ])
        #expect(result.status == 66)
        #expect(result.stderr.hasPrefix("healthgap: error: no-such-file.csv: cannot open"), "\(result.stderr)")
    }

    /// Flags that do not fit the method are usage errors (exit 64) that say what to add or leave out.
    @Test(arguments: [
        (["--method", "ci95"], "--method ci95 needs --lower95 COL and --upper95 COL: the value's 95% limits"),
        (
            ["--lower95", "l", "--upper95", "u", "--method", "ci95_99_8"],
            "--method ci95_99_8 needs --lower99-8 COL and --upper99-8 COL: the value's 99.8% limits"
        ),
        (
            ["--lower95", "l", "--upper95", "u", "--lower99-8", "l", "--upper99-8", "u"],
            "--lower99-8 COL and --upper99-8 COL are read by --method ci95_99_8 only"
        ),
        (["--lower95", "l"], "give both --lower95 COL and --upper95 COL"),
        (["--method", "control_limits", "--denominator", "n"], "--method control_limits needs --denominator COL, --unit N"),
        (["--lower95", "l", "--upper95", "u", "--unit", "100"], "read by --method control_limits only"),
        (
            ["--method", "control_limits", "--denominator", "n", "--unit", "0", "--value-type", "dsr"],
            "--unit must be a positive number"
        ),
    ])
    func flagsThatDoNotFitTheMethodAreUsageErrors(flags: [String], message: String) throws {
        let input = try csvFile(["v,l,u,n", "1,0.5,1.5,100"])
        let result = try Healthgap.run(
            ["compare", "--input", input, "--value", "v", "--benchmark", "1", "--polarity", "neutral"] + flags)
        #expect(result.status == 64)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}

@Suite struct TrendCommandTests {
    static let input = "../shared/reference/methods/trend_fingertips_input.csv"

    /// trend_fingertips: slope and χ² to 1e-9 relative and the marker, for both tests.
    @Test(arguments: [false, true])
    func matchesTheFingertipsTrendTests(proportion: Bool) throws {
        let result = try Healthgap.run(
            [
                "trend", "--input", Self.input, "--by", "set", "--period", "year", "--value", "value", "--lower95",
                "lower95_0cl", "--upper95", "upper95_0cl",
            ] + (proportion ? ["--count", "count", "--denominator", "denominator", "--proportion"] : []))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("set,latest_period,trend,slope,chi_squared,note\n"))
        let rows = try parseCSV(result.stdout)
        let method = proportion ? "proportion_chi_squared" : "weighted_regression"
        let expected = try Fixtures.table(
            Fixtures.shared.appendingPathComponent("reference/methods/trend_fingertips_expected.csv")
        ).filter { $0["method"] == method }
        #expect(rows.count == 2)
        #expect(expected.count == 2)
        for (row, want) in zip(rows, expected) {
            #expect(row["set"] == want["set"])
            #expect(row["latest_period"] == "2018")
            #expect(row["trend"] == want["marker"], "\(want)")
            expectClose(fixtureNumber(row["slope"]), fixtureNumber(want["slope"]), relative: 1e-9, "slope \(want)")
            expectClose(
                fixtureNumber(row["chi_squared"]), fixtureNumber(want["chi_squared"]), relative: 1e-9, "χ² \(want)")
            #expect(row["note"] == "")
        }
    }

    @Test func polarityNamesTheDirectionBetterOrWorse() throws {
        let args = [
            "trend", "--input", Self.input, "--by", "set", "--period", "year", "--value", "value", "--lower95",
            "lower95_0cl", "--upper95", "upper95_0cl", "--polarity",
        ]
        let good = try parseCSV(try Healthgap.run(args + ["high_is_good"]).stdout)
        #expect(good.map { $0["trend"] } == ["increasing and getting better", "no significant change"])
        let bad = try parseCSV(try Healthgap.run(args + ["low_is_good"]).stdout)
        #expect(bad.map { $0["trend"] } == ["increasing and getting worse", "no significant change"])
    }

    /// Rolling periods and short series cannot be calculated: a note, never a failed run.
    @Test func rollingPeriodsAndShortSeriesHaveANote() throws {
        var lines = ["area,period,v,l,u"]
        for (i, first) in (2012...2016).enumerated() {
            lines.append("Rolling,\(first) - \((first + 2) % 100),\(10 + i),\(9 + i),\(11 + i)")
        }
        lines += ["Short,2017,5,4,6", "Short,2018,6,5,7"]
        let result = try Healthgap.run([
            "trend", "--input", try csvFile(lines), "--by", "area", "--period", "period", "--value", "v", "--lower95",
            "l", "--upper95", "u",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout == """
                area,latest_period,trend,slope,chi_squared,note
                Rolling,2016 - 18,cannot be calculated,,,2012 - 14 and 2013 - 15 share years (rolling or overlapping periods): the recent trend needs non-overlapping annual points
                Short,2018,cannot be calculated,,,only 2 points: the recent trend needs 5

                """)
    }

    @Test func anUnparseablePeriodStopsWithExit65AtItsLine() throws {
        let input = try csvFile(["period,v,l,u", "2019,1,0,2", "2020-19,1,0,2"])
        let result = try Healthgap.run([
            "trend", "--input", input, "--period", "period", "--value", "v", "--lower95", "l", "--upper95", "u",
        ])
        #expect(result.status == 65)
        #expect(result.stdout == "")
        #expect(
            result.stderr
                == "healthgap: error: \(input):3: column 1 (period): \"2020-19\" is not allowed: expected a time period "
                + "such as 2021, 2020 - 22, 2021/22, 2019/20 - 21/22 or 2022 Q1 (the last year must come after the first)\n")
    }

    /// A period given twice (however spaced) stops at the second line, or the group is suppressed with the message.
    @Test func aRepeatedPeriodFailsOrIsSuppressed() throws {
        let input = try csvFile([
            "area,period,v,l,u", "A,2018 - 20,1,0,2", "B,2019,1,0,2", "A,2018-20,1,0,2",
        ])
        let args = [
            "trend", "--input", input, "--by", "area", "--period", "period", "--value", "v", "--lower95", "l",
            "--upper95", "u",
        ]
        let failed = try Healthgap.run(args)
        #expect(failed.status == 65)
        #expect(
            failed.stderr
                == "healthgap: error: \(input):4: group area=A: period \"2018-20\" is given again (first on line 2); "
                + "give each group one row per period\n")
        let suppressed = try Healthgap.run(args + ["--on-error", "suppress"])
        #expect(suppressed.status == 0)
        let rows = try parseCSV(suppressed.stdout)
        #expect(rows[0]["area"] == "A" && rows[0]["trend"] == "cannot be calculated")
        #expect(rows[0]["note"] == "period \"2018-20\" is given again (first on line 2); give each group one row per period")
        #expect(rows[1]["area"] == "B" && rows[1]["note"] == "only 1 point: the recent trend needs 5")
        #expect(suppressed.stderr.contains("warning: suppressed"))
    }

    @Test(arguments: [
        (["--count", "count"], "--count and --denominator are read by the proportion test only"),
        (["--proportion", "--count", "count"], "--proportion needs --count COL and --denominator COL"),
    ])
    func proportionFlagsGoTogether(flags: [String], message: String) throws {
        let result = try Healthgap.run(
            [
                "trend", "--input", Self.input, "--period", "year", "--value", "value", "--lower95", "lower95_0cl",
                "--upper95", "upper95_0cl",
            ] + flags)
        #expect(result.status == 64)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}

@Suite struct GapChangeCommandTests {
    static let header = "area,period,sii,lower,upper"

    static func run(_ lines: [String], _ extra: [String] = []) throws -> CommandResult {
        try Healthgap.run(
            [
                "gap-change", "--input", try csvFile(lines), "--by", "area", "--period", "period", "--value", "sii",
                "--lower95", "lower", "--upper95", "upper",
            ] + extra)
    }

    /// z = (b − a)/√(se_a² + se_b²), se = (U − L)/(2·1.959964), on the scale.
    static func z(_ a: (Double, Double, Double), _ b: (Double, Double, Double)) -> Double {
        let seA = (a.2 - a.1) / (2 * z95), seB = (b.2 - b.1) / (2 * z95)
        return (b.0 - a.0) / (seA * seA + seB * seB).squareRoot()
    }

    @Test func wideningNarrowingAndNoSignificantChange() throws {
        let result = try Self.run([
            Self.header,
            "Widening,2015,5,4,6", "Widening,2020,9,8,10",
            "Narrowing,2020,5,4,6", "Narrowing,2015,9,8,10",
            "Steady,2015,5,3,7", "Steady,2020,6,4,8",
            "Reversed,2015,-3,-4,-2", "Reversed,2020,3,2,4",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("area,from_period,to_period,difference,z,gap_change,ci_overlap,note\n"))
        let rows = try parseCSV(result.stdout)
        #expect(rows.map { $0["gap_change"] } == ["widening", "narrowing", "no significant change", "narrowing"])
        #expect(rows.map { $0["ci_overlap"] } == ["no", "no", "yes", "no"])
        #expect(rows.allSatisfy { $0["from_period"] == "2015" && $0["to_period"] == "2020" })
        let expected = [
            (4.0, Self.z((5, 4, 6), (9, 8, 10))), (-4, Self.z((9, 8, 10), (5, 4, 6))),
            (1, Self.z((5, 3, 7), (6, 4, 8))), (6, Self.z((-3, -4, -2), (3, 2, 4))),
        ]
        for (row, (difference, z)) in zip(rows, expected) {
            expectClose(fixtureNumber(row["difference"]), difference, relative: 1e-12, row["area"]!)
            expectClose(fixtureNumber(row["z"]), z, relative: 1e-12, row["area"]!)
        }
        #expect(rows[0]["note"] == "" && rows[2]["note"] == "")
        #expect(rows[3]["note"] == "the gap reversed direction, from -3 to 3")
    }

    /// An RII on the log scale: the difference is the log of the ratio, and no gap is 1.
    @Test func logScale() throws {
        let lines = [Self.header, "North,2015,1.5,1.4,1.6", "North,2020,2,1.9,2.1"]
        let identity = try parseCSV(try Self.run(lines).stdout)[0]
        let result = try Self.run(lines, ["--scale", "log"])
        #expect(result.status == 0, "\(result.stderr)")
        let row = try parseCSV(result.stdout)[0]
        #expect(row["gap_change"] == "widening")
        expectClose(fixtureNumber(row["difference"]), log(2 / 1.5), relative: 1e-12)
        let z = Self.z((log(1.5), log(1.4), log(1.6)), (log(2), log(1.9), log(2.1)))
        expectClose(fixtureNumber(row["z"]), z, relative: 1e-12)
        #expect(row["z"] != identity["z"])
        let negative = try Self.run([Self.header, "South,2015,1.5,1.4,1.6", "South,2020,-0.1,-0.2,0.1"], ["--scale", "log"])
        #expect(negative.status == 0)
        let cannot = try parseCSV(negative.stdout)[0]
        #expect(cannot["gap_change"] == "" && cannot["z"] == "")
        #expect(cannot["note"] == "the log scale needs a positive value and limits (2020: -0.1, -0.2)")
    }

    /// Rolling periods get no verdict, with the note; an earlier period sharing no year is used when there is one.
    @Test func rollingPeriodsGetNoVerdict() throws {
        let result = try Self.run([
            Self.header,
            "Rolling,2016 - 18,5,4,6", "Rolling,2017 - 19,6,5,7", "Rolling,2018 - 20,9,8,10",
            "Longer,2015 - 17,5,4,6", "Longer,2016 - 18,6,5,7", "Longer,2017 - 19,7,6,8", "Longer,2018 - 20,9,8,10",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(
            lines.prefix(2) == [
                "area,from_period,to_period,difference,z,gap_change,ci_overlap,note",
                "Rolling,,2018 - 20,,,,,every earlier period shares a year with 2018 - 20 (rolling periods): "
                    + "periods that share years are not tested",
            ])
        let longer = try parseCSV(result.stdout)[1]
        #expect(longer["from_period"] == "2015 - 17" && longer["to_period"] == "2018 - 20")
        #expect(longer["gap_change"] == "widening" && longer["ci_overlap"] == "no")
        expectClose(fixtureNumber(longer["z"]), Self.z((5, 4, 6), (9, 8, 10)), relative: 1e-12)
        #expect(
            longer["note"]
                == "compared with 2015 - 17, the latest period sharing no year with 2018 - 20 "
                + "(2016 - 18, 2017 - 19 share years with it)")
    }

    @Test func theFirstConfidenceLevelDecides() throws {
        // z ≈ 2.77: significant at 95%, not at 99.8%.
        let lines = [Self.header, "A,2015,5,4,6", "A,2020,7,6,8"]
        #expect(try parseCSV(try Self.run(lines).stdout)[0]["gap_change"] == "widening")
        let strict = try parseCSV(try Self.run(lines, ["--confidence", "99.8"]).stdout)[0]
        #expect(strict["gap_change"] == "no significant change")
    }

    @Test func anUnparseablePeriodOrValueStopsWithExit65() throws {
        let period = try Self.run([Self.header, "A,2015,5,4,6", "A,20x0,7,6,8"])
        #expect(period.status == 65)
        #expect(period.stderr.contains(":3: column 2 (period): \"20x0\" is not allowed: expected a time period"))
        let value = try Self.run([Self.header, "A,2015,5,4,6", "A,2020,7,six,8"])
        #expect(value.status == 65)
        #expect(value.stderr.contains(":3: column 4 (lower): \"six\" is not a number"))
    }
}

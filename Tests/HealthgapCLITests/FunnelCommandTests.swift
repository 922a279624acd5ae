import Foundation
import Testing
import _TestSupport

// `healthgap funnel` end to end (METHODS.md §13): the built binary on PHEindicatormethods'
// funnel fixtures in ../shared/reference/phe/, labels exact and limits to 1e-6 relative (the
// curves' upper limits at O = 1 to 1e-4, as the fixtures' README says), and every refusal's
// message and exit code.

private let phe = "../shared/reference/phe/"

/// A reference file's rows keyed by header names with surrounding whitespace removed
/// (`testdata_funnel_ratio_outputs.csv` has a newline inside its first header).
private func referenceRows(_ file: String) throws -> [[String: String]] {
    let (header, rows) = try Fixtures.rawTable(Fixtures.reference(file))
    let names = header.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    return rows.map { Dictionary(uniqueKeysWithValues: zip(names, $0)) }
}

/// Writes `rows` (with `header`) as CSV to a fresh temporary file and returns its path.
private func writeInput(_ header: [String], _ rows: [[String]], name: String = "input.csv") throws -> String {
    let url = try Healthgap.temporaryDirectory().appendingPathComponent(name)
    let quote = { (field: String) in
        field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
            ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }
    let text = ([header] + rows).map { $0.map(quote).joined(separator: ",") }.joined(separator: "\n") + "\n"
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
}

/// The output header of one assessed point after the row's own columns.
private let pointColumns = [
    "value", "lower95_0limit", "upper95_0limit", "lower99_8limit", "upper99_8limit", "significance", "note",
]

@Suite struct FunnelCommandTests {
    // MARK: - Labels of every input row

    /// testdata_funnel_prop_inputs: all 303 labels exact; the input's own `significance` column
    /// is written back as `input_significance`; limits from METHODS.md §13's formula (1e-9).
    @Test func proportionLabelsAndLimitsMatchTheReference() throws {
        let result = try Healthgap.run([
            "funnel", "--type", "proportion", "--input", phe + "testdata_funnel_prop_inputs.csv", "--numerator",
            "numerator", "--denominator", "denominator",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "")
        let header = result.stdout.prefix { $0 != "\n" }
        #expect(header == (["Area", "numerator", "denominator", "input_significance"] + pointColumns).joined(separator: ","))
        let rows = try parseCSV(result.stdout)
        let inputs = try referenceRows("testdata_funnel_prop_inputs.csv")
        try #require(rows.count == 303)
        let x = inputs.map { fixtureNumber($0["numerator"]) ?? .nan }, n = inputs.map { fixtureNumber($0["denominator"]) ?? .nan }
        let p = x.reduce(0, +) / n.reduce(0, +)
        for (i, (row, input)) in zip(rows, inputs).enumerated() {
            #expect(row["Area"] == input["Area"])
            #expect(row["significance"] == input["significance"], "\(input)")
            #expect(row["note"] == "")
            expectClose(fixtureNumber(row["value"]), 100 * x[i] / n[i], relative: 1e-12, "\(input)")
            for (z, suffix) in [(1.959963984540054, "95_0"), (3.090232306167813, "99_8")] {
                let z2 = z * z
                let a = p * (n[i] / z2 + 1), b = 1 / z2 + 1 / n[i]
                let c = p * (n[i] * (p * (n[i] / z2 + 2) - 1) + z2 * (p - 1))
                let root = (a * a - b * c).squareRoot()
                let lower = max(0, (a - root) / (b * n[i])) * 100, upper = min(1, (a + root) / (b * n[i])) * 100
                expectClose(fixtureNumber(row["lower\(suffix)limit"]), lower, relative: 1e-9, "\(input)")
                expectClose(fixtureNumber(row["upper\(suffix)limit"]), upper, relative: 1e-9, "\(input)")
            }
        }
    }

    /// testdata_funnel_ratio_inputs: all 300 labels exact, as ISRs (× 100) by default.
    @Test func ratioLabelsMatchTheReference() throws {
        let result = try Healthgap.run([
            "funnel", "--type", "ratio", "--input", phe + "testdata_funnel_ratio_inputs.csv", "--numerator", "obs",
            "--denominator", "expected",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try parseCSV(result.stdout)
        let inputs = try referenceRows("testdata_funnel_ratio_inputs.csv")
        try #require(rows.count == 300)
        for (row, input) in zip(rows, inputs) {
            #expect(row["significance"] == input["significance"], "\(input)")
            let ratio = (fixtureNumber(input["obs"]) ?? .nan) / (fixtureNumber(input["expected"]) ?? .nan)
            expectClose(fixtureNumber(row["value"]), 100 * ratio, relative: 1e-12, "\(input)")
            // The label follows from the limits beside it, except at 0 events, where there is no
            // upper limit and the point is Low when even the count's upper limit is below E.
            if input["obs"] == "0" {
                #expect(row["upper95_0limit"] == "" && row["note"] == "0 events: the upper limits are not defined")
                continue
            }
            let value = fixtureNumber(row["value"]) ?? .nan
            let upper = fixtureNumber(row["upper95_0limit"]) ?? .infinity, lower = fixtureNumber(row["lower95_0limit"]) ?? 0
            #expect((value > upper || value < lower) == (row["significance"] != "Not significant"), "\(input)")
        }
    }

    /// One expected-label column of testdata_funnel_rate_dsr_inputs.
    struct RateCase: Sendable, CustomTestStringConvertible {
        let column: String
        let type: String
        let rateColumn: String
        let multiplier: String
        let keepZero: Bool
        var testDescription: String { column }
    }

    static let rateCases: [RateCase] = [
        RateCase(column: "dsr_per_100000_with_0", type: "dsr", rateColumn: "rate_dsr", multiplier: "100000", keepZero: true),
        RateCase(column: "dsr_per_100_with_0", type: "dsr", rateColumn: "rate_dsr", multiplier: "100", keepZero: true),
        RateCase(
            column: "dsr_per_100000_without_0", type: "dsr", rateColumn: "rate_dsr", multiplier: "100000", keepZero: false),
        RateCase(column: "dsr_per_100_without_0", type: "dsr", rateColumn: "rate_dsr", multiplier: "100", keepZero: false),
        RateCase(
            column: "crude_per_100000_with_0", type: "crude", rateColumn: "rate_crude_per_100000", multiplier: "100000",
            keepZero: true),
        RateCase(
            column: "crude_per_100_with_0", type: "crude", rateColumn: "rate_crude_per_100", multiplier: "100", keepZero: true),
        RateCase(
            column: "crude_per_100000_without_0", type: "crude", rateColumn: "rate_crude_per_100000",
            multiplier: "100000", keepZero: false),
        RateCase(
            column: "crude_per_100_without_0", type: "crude", rateColumn: "rate_crude_per_100", multiplier: "100",
            keepZero: false),
    ]

    /// testdata_funnel_rate_dsr_inputs: each of the 8 expected label columns, exactly; the DSR
    /// from 0 events is "not applicable" with a note, the crude rate from 0 events has no upper limit.
    @Test(arguments: rateCases)
    func rateLabelsMatchTheReference(rateCase: RateCase) throws {
        let (header, all) = try Fixtures.rawTable(Fixtures.reference("testdata_funnel_rate_dsr_inputs.csv"))
        let countIndex = try #require(header.firstIndex(of: "count"))
        let kept = all.filter { rateCase.keepZero || $0[countIndex] != "0" }
        #expect(kept.count == (rateCase.keepZero ? 40 : 39))
        let input = try writeInput(header, kept)
        let result = try Healthgap.run([
            "funnel", "--type", "rate", "--rate-type", rateCase.type, "--input", input, "--numerator", "count",
            "--denominator", "pop", "--value", rateCase.rateColumn, "--multiplier", rateCase.multiplier,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try parseCSV(result.stdout)
        try #require(rows.count == kept.count)
        for row in rows {
            #expect(row["significance"] == row[rateCase.column], "\(rateCase.column), \(row)")
            #expect(fixtureNumber(row["value"]) == fixtureNumber(row[rateCase.rateColumn]), "\(row)")
            if row["count"] == "0" {
                #expect(row["upper95_0limit"] == "" && row["upper99_8limit"] == "")
                #expect(
                    row["note"]
                        == (rateCase.type == "dsr"
                            ? "fewer than 10 events: a DSR is not tested against the funnel, so it has no limits"
                            : "0 events: the upper limits are not defined"))
            }
        }
    }

    // MARK: - The curves (--limits-only)

    /// testdata_funnel_prop_outputs and _with_axis_variation (denominators under 31,000 only):
    /// the 100-point curves, with their axis exact and limits to 1e-6.
    @Test(arguments: [false, true])
    func proportionCurvesMatchTheReference(axisVariation: Bool) throws {
        let (header, all) = try Fixtures.rawTable(Fixtures.reference("testdata_funnel_prop_inputs.csv"))
        let kept = all.filter { !axisVariation || (Double($0[2]) ?? 0) < 31000 }
        let input = try writeInput(header.map { $0.replacingOccurrences(of: "\u{FEFF}", with: "") }, kept)
        let result = try Healthgap.run([
            "funnel", "--type", "proportion", "--input", input, "--numerator", "numerator", "--denominator",
            "denominator", "--limits-only",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout.prefix { $0 != "\n" }
                == "Population,lower95_0limit,upper95_0limit,lower99_8limit,upper99_8limit,baseline,statistic,method,note")
        let expected = try referenceRows(
            axisVariation ? "testdata_funnel_prop_outputs_with_axis_variation.csv" : "testdata_funnel_prop_outputs.csv")
        try expectProportionCurves(try parseCSV(result.stdout), expected)
    }

    func expectProportionCurves(_ rows: [[String: String]], _ expected: [[String: String]]) throws {
        try #require(rows.count == expected.count)
        for (row, want) in zip(rows, expected) {
            #expect(fixtureNumber(row["Population"]) == fixtureNumber(want["Population"]), "\(want)")
            let columns = [
                ("lower95_0limit", "Lower2s0025limit"), ("upper95_0limit", "Upper2s0025limit"),
                ("lower99_8limit", "Lower3s0001limit"), ("upper99_8limit", "Upper3s0001limit"), ("baseline", "Baseline"),
            ]
            for (ours, theirs) in columns {
                expectClose(
                    fixtureNumber(row[ours]), fixtureNumber(want[theirs]), relative: 1e-6, absolute: 1e-9, "\(ours), \(want)")
            }
            #expect(row["statistic"] == "proportion" && row["method"] == "Wilson" && row["note"] == "")
        }
    }

    /// testdata_funnel_ratio_outputs: the curves as counts and as ISRs, with the expected counts on each.
    @Test(arguments: ["count", "isr"])
    func ratioCurvesMatchTheReference(ratioType: String) throws {
        let result = try Healthgap.run([
            "funnel", "--type", "ratio", "--ratio-type", ratioType, "--input", phe + "testdata_funnel_ratio_inputs.csv",
            "--numerator", "obs", "--denominator", "expected", "--limits-only", "--points", "100",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout.prefix { $0 != "\n" }
                == "Observed_events,lower95_0limit,upper95_0limit,lower99_8limit,upper99_8limit,lower95_0expected,upper95_0expected,lower99_8expected,upper99_8expected,statistic,method,note"
        )
        let rows = try parseCSV(result.stdout)
        let expected = try referenceRows("testdata_funnel_ratio_outputs.csv")
        try #require(rows.count == expected.count)
        // A count is the ratio − 1: its tolerance is relative to the ratio, as for the ISR.
        let ratio = { (x: Double?) in ratioType == "count" ? x.map { $0 + 1 } : x }
        for (row, want) in zip(rows, expected) {
            #expect(fixtureNumber(row["Observed_events"]) == fixtureNumber(want["Observed_events"]), "\(want)")
            let upperTolerance = row["Observed_events"] == "1" ? 1e-4 : 1e-6
            for (suffix, tag) in [("95_0", "2s"), ("99_8", "3s")] {
                expectClose(
                    ratio(fixtureNumber(row["lower\(suffix)limit"])), ratio(fixtureNumber(want["lower_\(tag)_\(ratioType)"])),
                    relative: 1e-6, "\(want)")
                expectClose(
                    ratio(fixtureNumber(row["upper\(suffix)limit"])), ratio(fixtureNumber(want["upper_\(tag)_\(ratioType)"])),
                    relative: upperTolerance, "\(want)")
                expectClose(
                    fixtureNumber(row["lower\(suffix)expected"]), fixtureNumber(want["lower_\(tag)_exp_events"]),
                    relative: 1e-6, "\(want)")
                expectClose(
                    fixtureNumber(row["upper\(suffix)expected"]), fixtureNumber(want["upper_\(tag)_exp_events"]),
                    relative: upperTolerance, "\(want)")
            }
            #expect(row["statistic"] == "ratio (\(ratioType))" && row["method"] == "Poisson")
        }
    }

    /// testdata_funnel_rate_input_funnels → testdata_funnel_rate_outputs (DSR per 100,000 over 3
    /// years), _2 (crude, the largest count replaced by 5) and _3 (crude with denominators
    /// 100,000·ev/rate, the largest count and its rate set to 0, areas above half the largest
    /// denominator only).
    @Test(arguments: [1, 2, 3])
    func rateCurvesMatchTheReference(variant: Int) throws {
        let inputs = try referenceRows("testdata_funnel_rate_input_funnels.csv")
        let largest = inputs.compactMap { fixtureNumber($0["ev"]) }.max()
        var rows: [[String]] = []
        for input in inputs {
            let count = try #require(fixtureNumber(input["ev"])), rate = try #require(fixtureNumber(input["rate"]))
            let population = 1e5 * count / rate
            switch variant {
            case 1: rows.append([format(count), format(rate), ""])
            case 2: rows.append([format(count == largest ? 5 : count), format(rate), ""])
            default:
                rows.append(count == largest ? ["0", "0", "\(population)"] : [format(count), format(rate), "\(population)"])
            }
        }
        if variant == 3 {
            let cut = (rows.compactMap { Double($0[2]) }.max() ?? 0) / 2
            rows = rows.filter { (Double($0[2]) ?? 0) > cut }
        }
        let input = try writeInput(["ev", "rate", "pop"], rows)
        var arguments = [
            "funnel", "--type", "rate", "--rate-type", variant == 1 ? "dsr" : "crude", "--input", input, "--numerator", "ev",
            "--value", "rate", "--years", "3", "--limits-only",
        ]
        if variant == 3 { arguments += ["--denominator", "pop"] }
        let result = try Healthgap.run(arguments)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout.prefix { $0 != "\n" }
                == "Events,lower95_0limit,upper95_0limit,lower99_8limit,upper99_8limit,lower95_0population_per_year,upper95_0population_per_year,lower99_8population_per_year,upper99_8population_per_year,baseline,statistic,method,note"
        )
        let ours = try parseCSV(result.stdout)
        let file = [
            "testdata_funnel_rate_outputs.csv", "testdata_funnel_rate_outputs_2.csv", "testdata_funnel_rate_outputs_3.csv",
        ]
        let expected = try referenceRows(file[variant - 1])
        try #require(ours.count == expected.count)
        for (row, want) in zip(ours, expected) {
            #expect(fixtureNumber(row["Events"]) == fixtureNumber(want["Events"]), "\(want)")
            #expect(row["statistic"] == want["statistic"] && row["method"] == want["method"], "\(want)")
            let upperTolerance = row["Events"] == "1" ? 1e-4 : 1e-6
            for (suffix, tag) in [("95_0", "2s"), ("99_8", "3s")] {
                expectClose(
                    fixtureNumber(row["lower\(suffix)limit"]), fixtureNumber(want["lower_\(tag)_limit"]), relative: 1e-6,
                    "\(want)")
                expectClose(
                    fixtureNumber(row["upper\(suffix)limit"]), fixtureNumber(want["upper_\(tag)_limit"]),
                    relative: upperTolerance, "\(want)")
                expectClose(
                    fixtureNumber(row["lower\(suffix)population_per_year"]),
                    fixtureNumber(want["lower_\(tag)_population_1_year"]), relative: 1e-6, "\(want)")
                expectClose(
                    fixtureNumber(row["upper\(suffix)population_per_year"]),
                    fixtureNumber(want["upper_\(tag)_population_1_year"]), relative: upperTolerance, "\(want)")
            }
            expectClose(fixtureNumber(row["baseline"]), fixtureNumber(want["baseline"]), relative: 1e-6, "\(want)")
        }
    }

    // MARK: - Groups

    /// Each --by group is its own funnel: the 303 areas as `north` and the 97 under 31,000 as
    /// `south`, interleaved, give each group the reference's curves, and each row its own group's
    /// label, in input order.
    @Test func eachGroupIsItsOwnFunnel() throws {
        let (header, all) = try Fixtures.rawTable(Fixtures.reference("testdata_funnel_prop_inputs.csv"))
        let small = all.filter { (Double($0[2]) ?? 0) < 31000 }
        var rows: [[String]] = []
        for (i, row) in all.enumerated() {
            rows.append(["north"] + row)
            if i < small.count { rows.append(["south"] + small[i]) }
        }
        let input = try writeInput(["region"] + header.map { $0.replacingOccurrences(of: "\u{FEFF}", with: "") }, rows)
        let base = [
            "funnel", "--type", "proportion", "--input", input, "--by", "region", "--numerator", "numerator",
            "--denominator", "denominator",
        ]
        let curves = try Healthgap.run(base + ["--limits-only"])
        #expect(curves.status == 0, "\(curves.stderr)")
        let byRegion = Dictionary(grouping: try parseCSV(curves.stdout)) { $0["region"] ?? "" }
        try expectProportionCurves(byRegion["north"] ?? [], try referenceRows("testdata_funnel_prop_outputs.csv"))
        try expectProportionCurves(
            byRegion["south"] ?? [], try referenceRows("testdata_funnel_prop_outputs_with_axis_variation.csv"))

        let points = try Healthgap.run(base)
        #expect(points.status == 0, "\(points.stderr)")
        let out = try parseCSV(points.stdout)
        #expect(points.stdout.hasPrefix("region,Area,numerator,denominator,input_significance,value,"))
        try #require(out.count == rows.count)
        for (row, input) in zip(out, rows) {
            #expect(row["region"] == input[0] && row["Area"] == input[1], "input order kept")
            if input[0] == "north" { #expect(row["significance"] == input[4], "\(input)") }
        }
        // A south area is judged against the south baseline: the same area's limits differ.
        let northFirst = try #require(out.first { $0["region"] == "north" && $0["Area"] == small[0][0] })
        let southFirst = try #require(out.first { $0["region"] == "south" && $0["Area"] == small[0][0] })
        #expect(northFirst["value"] == southFirst["value"])
        #expect(northFirst["lower95_0limit"] != southFirst["lower95_0limit"])
    }

    // MARK: - Refusals and usage

    @Test func aNegativeCountStopsWithExit65OrIsSuppressedForItsGroup() throws {
        let input = try writeInput(
            ["area", "region", "x", "n"],
            [["A", "r1", "65", "100"], ["B", "r1", "-80", "100"], ["C", "r1", "30", "200"], ["D", "r2", "30", "200"]])
        let args = [
            "funnel", "--type", "proportion", "--input", input, "--by", "region", "--numerator", "x", "--denominator", "n",
        ]
        let failed = try Healthgap.run(args)
        #expect(failed.status == 65)
        #expect(failed.stdout == "")
        #expect(
            failed.stderr == "healthgap: error: \(input):3: group region=r1: numerator must be zero or more (value -80)\n")

        let suppressed = try Healthgap.run(args + ["--on-error", "suppress"])
        #expect(suppressed.status == 0)
        #expect(
            suppressed.stderr
                == "healthgap: warning: suppressed: \(input):3: group region=r1: numerator must be zero or more (value -80)\n")
        let lines = suppressed.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0] == "region,area,x,n,value,lower95_0limit,upper95_0limit,lower99_8limit,upper99_8limit,significance,note")
        #expect(lines[1] == "r1,A,65,100,,,,,,,numerator must be zero or more (value -80)")
        #expect(lines[2] == "r1,B,-80,100,,,,,,,numerator must be zero or more (value -80)")
        #expect(lines[4].hasPrefix("r2,D,30,200,15,"))
        #expect(lines[4].hasSuffix(",Not significant,"))
    }

    @Test func aNumeratorAboveItsDenominatorNamesTheLineAndValue() throws {
        let input = try writeInput(["x", "n"], [["65", "100"], ["30", "20"]])
        let result = try Healthgap.run([
            "funnel", "--type", "proportion", "--input", input, "--numerator", "x", "--denominator", "n", "--limits-only",
        ])
        #expect(result.status == 65)
        #expect(
            result.stderr
                == "healthgap: error: \(input):3: group (all rows): numerator must not exceed its denominator (20) for a proportion (value 30)\n"
        )
    }

    @Test func aRateFromEventsWithoutItsRateIsRefused() throws {
        let input = try writeInput(["ev", "rate"], [["12", "50"], ["20", ""]])
        let result = try Healthgap.run([
            "funnel", "--type", "rate", "--rate-type", "crude", "--input", input, "--numerator", "ev", "--value", "rate",
        ])
        #expect(result.status == 65)
        #expect(
            result.stderr
                == "healthgap: error: \(input):3: group (all rows): rate is missing; every point with events needs its rate (only a DSR from 0 events may lack one)\n"
        )
    }

    @Test func textInANumberColumnIsBadInput() throws {
        let input = try writeInput(["x", "n"], [["65", "100"], ["3O", "200"]])
        let result = try Healthgap.run([
            "funnel", "--type", "proportion", "--input", input, "--numerator", "x", "--denominator", "n",
            "--on-error", "suppress",
        ])
        #expect(result.status == 65)
        #expect(result.stderr == "healthgap: error: \(input):3: column 1 (x): \"3O\" is not a number\n")
    }

    @Test(arguments: [
        (["--type", "rate", "--rate-type", "dsr", "--numerator", "x"], "a rate funnel needs --value COL"),
        (["--type", "rate", "--numerator", "x", "--value", "n"], "a rate funnel needs its rate type: dsr or crude"),
        (["--type", "ratio", "--numerator", "x", "--denominator", "n", "--multiplier", "100"], "a ratio funnel takes only"),
        (["--type", "proportion", "--numerator", "x"], "a proportion funnel needs --denominator COL"),
        (
            ["--type", "proportion", "--numerator", "x", "--denominator", "n", "--points", "50"],
            "--points goes with --limits-only"
        ),
        (
            ["--type", "proportion", "--numerator", "x", "--denominator", "n", "--value", "x"],
            "--value is the rate column of a rate funnel"
        ),
        (["--type", "mean", "--numerator", "x", "--denominator", "n"], "--type"),
    ])
    func inconsistentOptionsAreUsageErrors(arguments: [String], message: String) throws {
        let input = try writeInput(["x", "n"], [["65", "100"]])
        let result = try Healthgap.run(["funnel", "--input", input] + arguments)
        #expect(result.status == 64)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func confidenceIsAcceptedButTheLimitsStayAt95And998() throws {
        let args = [
            "funnel", "--type", "ratio", "--input", phe + "testdata_funnel_ratio_inputs.csv", "--numerator", "obs",
            "--denominator", "expected",
        ]
        let usual = try Healthgap.run(args)
        let other = try Healthgap.run(args + ["--confidence", "90"])
        #expect(other.status == 0)
        #expect(other.stdout == usual.stdout)
        #expect(other.stderr == "healthgap: warning: funnel limits are always at 95.0% and 99.8%; --confidence is ignored\n")
    }

    @Test func outputGoesToTheFileAsked() throws {
        let output = try Healthgap.temporaryDirectory().appendingPathComponent("funnel.csv")
        let args = [
            "funnel", "--type", "ratio", "--ratio-type", "count", "--input", phe + "testdata_funnel_ratio_inputs.csv",
            "--numerator", "obs", "--denominator", "expected", "--threads", "2",
        ]
        let written = try Healthgap.run(args + ["--output", output.path])
        #expect(written.status == 0 && written.stdout == "")
        #expect(try String(contentsOf: output, encoding: .utf8) == (try Healthgap.run(args)).stdout)
    }
}

/// A number as the command writes it (shortest round trip, integers without a point).
private func format(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
}

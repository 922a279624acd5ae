import Foundation
import Testing
import _TestSupport

// `healthgap inequality` end to end (METHODS.md §14): the built binary on healthequal's test
// values in ../shared/reference/methods/heat_*.csv, and every refusal's message and exit code.

private let methods = "../shared/reference/methods/"

/// A file in ../shared/reference/methods/ as rows keyed by header name.
private func methodsRows(_ file: String) throws -> [[String: String]] {
    try Fixtures.table(Fixtures.shared.appendingPathComponent("reference/methods").appendingPathComponent(file))
}

/// Writes CSV text to a fresh temporary file and returns its path.
private func writeInput(_ text: String) throws -> String {
    let url = try Healthgap.temporaryDirectory().appendingPathComponent("subgroups.csv")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
}

/// HEAT reports the PAF in per cent and TI, MLD × 1000 with fraction-scale SEs; ours are on the value's scale.
private func reportedScale(_ measure: String?) -> Double {
    switch measure {
    case "paf": return 100
    case "ti_x1000", "mld_x1000": return 1000
    default: return 1
    }
}

private let header = "measure,value,lower95_0cl,upper95_0cl,lower99_8cl,upper99_8cl,se,note"

@Suite struct InequalityCommandTests {
    /// heat_ordered: RCI, ACI, PAR, PAF (favourable, scale 100) to 1e-9 relative, limits value ∓ z·se.
    @Test func orderedMeasuresMatchTheReference() throws {
        let result = try Healthgap.run([
            "inequality", "--input", methods + "heat_ordered_input.csv", "--group", "order", "--order", "order",
            "--population", "population", "--value", "value", "--measures", "rci,aci,par,paf", "--favourable",
            "--scale", "100",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "")
        #expect(result.stdout.hasPrefix(header + "\n"))
        let rows = try parseCSV(result.stdout)
        let expected = try methodsRows("heat_ordered_expected.csv")
        try #require(rows.count == expected.count)
        for (row, want) in zip(rows, expected) {
            #expect(row["measure"] == want["measure"])
            expectClose(fixtureNumber(row["value"]), fixtureNumber(want["value"]), relative: 1e-9, "value, \(want)")
            let se = try #require(fixtureNumber(row["se"]), "\(want)")
            expectClose(se / reportedScale(row["measure"]), fixtureNumber(want["se_unscaled"]), relative: 1e-9, "se, \(want)")
            let value = try #require(fixtureNumber(row["value"]))
            expectClose(fixtureNumber(row["lower95_0cl"]), value - 1.959963984540054 * se, relative: 1e-12, "\(want)")
            expectClose(fixtureNumber(row["upper99_8cl"]), value + 3.090232306167813 * se, relative: 1e-12, "\(want)")
            #expect(row["note"] == "")
        }
    }

    /// heat_unordered: by default every measure for an unordered dimension, in HEAT's order; the
    /// six in the expected file to its tolerance column, SEs from --se; PAR and PAF without
    /// --scale have no limits and say so.
    @Test func unorderedMeasuresMatchTheReference() throws {
        let result = try Healthgap.run([
            "inequality", "--input", methods + "heat_unordered_input.csv", "--group", "group", "--population",
            "population", "--value", "value", "--se", "se",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try parseCSV(result.stdout)
        #expect(
            rows.map { $0["measure"] ?? "" } == ["par", "paf", "bgv", "bgsd", "ti_x1000", "mld_x1000", "mdmw", "idisw"])
        for want in try methodsRows("heat_unordered_expected.csv") {
            let row = try #require(rows.first { $0["measure"] == want["measure"] }, "\(want)")
            let tolerance = try #require(fixtureNumber(want["tolerance"]))
            expectClose(fixtureNumber(row["value"]), fixtureNumber(want["value"]), relative: tolerance, "value, \(want)")
            let se = fixtureNumber(row["se"]).map { $0 / reportedScale(row["measure"]) }
            expectClose(se, fixtureNumber(want["se_unscaled"]), relative: tolerance, "se, \(want)")
            #expect((se == nil) == (row["note"] != ""), "\(row)")
            #expect((row["lower95_0cl"] == "") == (se == nil), "\(row)")
        }
        let par = try #require(rows.first)
        #expect(par["value"] != "" && par["se"] == "" && par["lower95_0cl"] == "")
        #expect(par["note"] == "no indicator scale given; limits not computed (give the scale, e.g. 100 for a percentage)")
    }

    /// Each --by group is its own dimension: the same subgroups under two areas give the same rows.
    @Test func eachGroupIsItsOwnDimension() throws {
        let lines = try String(
            contentsOfFile: Fixtures.shared.path + "/reference/methods/heat_unordered_input.csv", encoding: .utf8
        )
        .split(separator: "\n")
        let body = lines.dropFirst().flatMap { ["north,\($0)", "south,\($0)"] }
        let input = try writeInput((["area," + lines[0]] + body).joined(separator: "\n") + "\n")
        let result = try Healthgap.run([
            "inequality", "--input", input, "--by", "area", "--group", "group", "--population", "population", "--value",
            "value", "--se", "se", "--measures", "bgv,ti", "--confidence", "95",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let out = result.stdout.split(separator: "\n").map(String.init)
        #expect(out[0] == "area,measure,value,lower95_0cl,upper95_0cl,se,note")
        #expect(out.count == 5)
        #expect(out[1].hasPrefix("north,bgv,") && out[2].hasPrefix("north,ti_x1000,"))
        #expect(out[3] == "south" + out[1].dropFirst(5))
        #expect(out[4] == "south" + out[2].dropFirst(5))
    }

    // MARK: - Refusals

    /// RCI without --order: exit 65 under --on-error fail; under suppress a note on its row
    /// while the other measures are computed.
    @Test func concentrationIndicesNeedAnOrder() throws {
        let path = methods + "heat_unordered_input.csv"
        let args = [
            "inequality", "--input", path, "--group", "group", "--population", "population", "--value", "value",
            "--measures", "bgsd,rci",
        ]
        let message =
            "rci: needs an ordered dimension: give --order COL with each subgroup's rank (1 = most disadvantaged), or leave rci and aci out of --measures"
        let failed = try Healthgap.run(args)
        #expect(failed.status == 65)
        #expect(failed.stdout == "")
        #expect(failed.stderr == "healthgap: error: \(path):2: group (all rows): \(message)\n")

        let suppressed = try Healthgap.run(args + ["--on-error", "suppress"])
        #expect(suppressed.status == 0)
        #expect(suppressed.stderr == "healthgap: warning: suppressed: \(path):2: group (all rows): \(message)\n")
        let lines = suppressed.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix("bgsd,6.79693501070"))
        #expect(
            lines[2]
                == "rci,,,,,,,\"needs an ordered dimension: give --order COL with each subgroup's rank (1 = most disadvantaged), or leave rci and aci out of --measures\""
        )
    }

    /// A dimension of two subgroups refuses every measure of its group, and only that group.
    @Test func tooFewSubgroupsRefuseTheGroup() throws {
        let input = try writeInput(
            "area,g,pop,y\nA,a1,100,10\nA,a2,100,20\nB,b1,100,10\nB,b2,100,20\nB,b3,100,30\n")
        let args = [
            "inequality", "--input", input, "--by", "area", "--group", "g", "--population", "pop", "--value", "y",
            "--measures", "bgv,mdmw", "--confidence", "95",
        ]
        let failed = try Healthgap.run(args)
        #expect(failed.status == 65)
        #expect(
            failed.stderr
                == "healthgap: error: \(input):2: group area=A: the summary measures need values for more than two subgroups; this dimension has 2\n"
        )
        let suppressed = try Healthgap.run(args + ["--on-error", "suppress"])
        #expect(suppressed.status == 0)
        #expect(suppressed.stderr.split(separator: "\n").count == 1, "one warning per group and message")
        let lines = suppressed.stdout.split(separator: "\n").map(String.init)
        let note = "the summary measures need values for more than two subgroups; this dimension has 2"
        #expect(lines[1] == "A,bgv,,,,,\(note)")
        #expect(lines[2] == "A,mdmw,,,,,\(note)")
        #expect(lines[3].hasPrefix("B,bgv,66.66666666666"))
    }

    @Test func aMissingValueNamesItsLineAndSubgroup() throws {
        let input = try writeInput("g,pop,y\na,100,10\nb,100,\nc,100,30\n")
        let result = try Healthgap.run([
            "inequality", "--input", input, "--group", "g", "--population", "pop", "--value", "y",
        ])
        #expect(result.status == 65)
        #expect(
            result.stderr
                == "healthgap: error: \(input):3: group (all rows): subgroup b: value (column y) is missing; every subgroup needs one (fill it or drop the row)\n"
        )
    }

    @Test func aNegativePopulationNamesItsLineSubgroupAndValue() throws {
        let input = try writeInput("g,pop,y\na,100,10\nb,100,20\nc,-5,30\n")
        let result = try Healthgap.run([
            "inequality", "--input", input, "--group", "g", "--population", "pop", "--value", "y", "--measures", "bgv",
        ])
        #expect(result.status == 65)
        #expect(
            result.stderr
                == "healthgap: error: \(input):4: group (all rows): subgroup c: population must be zero or more (value -5)\n")
    }

    @Test func aSubgroupTwiceAndABrokenOrderAreRefused() throws {
        let twice = try writeInput("g,pop,y\na,100,10\nb,100,20\na,100,30\n")
        let repeated = try Healthgap.run([
            "inequality", "--input", twice, "--group", "g", "--population", "pop", "--value", "y",
        ])
        #expect(repeated.status == 65)
        #expect(
            repeated.stderr
                == "healthgap: error: \(twice):4: group (all rows): subgroup a: appears on lines 2 and 4; give one row per subgroup (or add the column that tells them apart to --by)\n"
        )
        let gap = try writeInput("q,pop,y\n1,100,10\n2,100,20\n4,100,30\n")
        let ordered = try Healthgap.run([
            "inequality", "--input", gap, "--group", "q", "--order", "q", "--population", "pop", "--value", "y",
            "--measures", "rci",
        ])
        #expect(ordered.status == 65)
        #expect(
            ordered.stderr
                == "healthgap: error: \(gap):4: group (all rows): subgroup 4: orders must be consecutive whole numbers (1, 2, 3, …) and 2 is followed by 4 (value 4)\n"
        )
        let fraction = try writeInput("q,pop,y\n1,100,10\n2.5,100,20\n3,100,30\n")
        let notWhole = try Healthgap.run([
            "inequality", "--input", fraction, "--group", "q", "--order", "q", "--population", "pop", "--value", "y",
        ])
        #expect(notWhole.status == 65)
        #expect(
            notWhole.stderr
                == "healthgap: error: \(fraction):3: group (all rows): subgroup 2.5: order (column q) must be a whole number (1 = most disadvantaged) (value 2.5)\n"
        )
    }

    @Test func textInANumberColumnIsBadInput() throws {
        let input = try writeInput("g,pop,y\na,100,10\nb,1OO,20\nc,100,30\n")
        let result = try Healthgap.run([
            "inequality", "--input", input, "--group", "g", "--population", "pop", "--value", "y", "--on-error", "suppress",
        ])
        #expect(result.status == 65)
        #expect(result.stderr == "healthgap: error: \(input):3: column 2 (pop): \"1OO\" is not a number\n")
    }

    @Test(arguments: [
        (
            ["--measures", "sii"],
            "--measures: 'sii' is not a measure; choose from rci, aci, par, paf, bgv, bgsd, ti, mld, mdmw, idisw"
        ),
        (["--scale", "0"], "--scale must be positive"),
        (["--favourable", "--adverse"], "--favourable"),
    ])
    func badOptionsAreUsageErrors(arguments: [String], message: String) throws {
        let result = try Healthgap.run(
            [
                "inequality", "--input", methods + "heat_unordered_input.csv", "--group", "group", "--population",
                "population", "--value", "value",
            ] + arguments)
        #expect(result.status == 64)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    /// --adverse: PAR compares with the lowest value (55), and measures may be named as they are written (ti_x1000).
    @Test func adverseIndicatorsCompareWithTheLowestValue() throws {
        let result = try Healthgap.run([
            "inequality", "--input", methods + "heat_unordered_input.csv", "--group", "group", "--population",
            "population", "--value", "value", "--measures", "par,TI_x1000", "--adverse", "--scale", "100",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try parseCSV(result.stdout)
        let inputs = try methodsRows("heat_unordered_input.csv")
        let total = inputs.reduce(0) { $0 + (fixtureNumber($1["population"]) ?? 0) }
        let mean =
            inputs.reduce(0) { $0 + (fixtureNumber($1["population"]) ?? 0) * (fixtureNumber($1["value"]) ?? 0) } / total
        expectClose(fixtureNumber(rows[0]["value"]), 55 - mean, relative: 1e-12)
        #expect(rows[0]["se"] != "")
        #expect(rows.map { $0["measure"] } == ["par", "ti_x1000"])
    }
}

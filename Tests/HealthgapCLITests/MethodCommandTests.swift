import Foundation
import Testing
import _TestSupport

// End-to-end: the built binary on the reference fixtures, checked by value (at each fixture's
// tolerance), by bytes where the output is exact (headers, suppressed rows), and by exit code.

private let phe = "../shared/reference/phe/"

@Suite struct LifeExpectancyCommandTests {
    @Test func everyStartAgeMatchesTheReferenceTable() throws {
        let result = try Healthgap.run([
            "le", "--input", phe + "life_expectancy_chiang_silcocks.csv", "--start-age", "start_age",
            "--deaths", "deaths", "--population", "population", "--le-age", "all", "--confidence", "95",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("start_age,value,lower95_0cl,upper95_0cl,note\n"))
        let rows = try parseCSV(result.stdout)
        let expected = try Fixtures.table(Fixtures.reference("life_expectancy_chiang_silcocks.csv"))
        #expect(rows.count == 20)
        for (row, want) in zip(rows, expected) {
            #expect(row["start_age"] == want["start_age"])
            expectClose(
                fixtureNumber(row["value"]), fixtureNumber(want["expected_le"]), absolute: 1e-4, "age \(row["start_age"]!)")
            expectClose(fixtureNumber(row["lower95_0cl"]), fixtureNumber(want["expected_lower95"]), absolute: 1e-4)
            expectClose(fixtureNumber(row["upper95_0cl"]), fixtureNumber(want["expected_upper95"]), absolute: 1e-4)
        }
    }

    @Test func aGroupMissingABandKeepsItsRowWithANoteAndWarns() throws {
        let dir = try Healthgap.temporaryDirectory()
        let input = dir.appendingPathComponent("le.csv")
        let lines = try String(contentsOfFile: Fixtures.projectRoot.path + "/Data/examples/le_example.csv", encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("Example South,Male,85-89") }
        try (lines.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
        let result = try Healthgap.run([
            "le", "--input", input.path, "--by", "area,sex", "--start-age", "age_band", "--deaths", "deaths",
            "--population", "population",
        ])
        #expect(result.status == 0)
        let rows = try parseCSV(result.stdout)
        #expect(rows.count == 4)
        let south = rows.first { $0["area"] == "Example South" && $0["sex"] == "Male" }!
        #expect(south["value"] == "")
        #expect(south["note"]!.contains("85-89"))
        #expect(result.stderr.contains("warning"))
    }
}

@Suite struct DirectlyStandardisedRateCommandTests {
    @Test func multiareaMatchesTheReferenceAndSuppressesTheTinyArea() throws {
        let result = try Healthgap.run([
            "dsr", "--input", phe + "testdata_DSR_ISR__testdata_multiarea.csv", "--by", "area", "--age-band", "ageband",
            "--count", "count", "--population", "pop", "--multiplier", "10000",
        ])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "area,value,lower95_0cl,upper95_0cl,lower99_8cl,upper99_8cl,total_count,total_pop,note")
        #expect(lines[3] == "testdata_tiny,,,,,,9,8970,total count < 10")
        #expect(result.stderr.contains("testdata_tiny"))
        let rows = try parseCSV(result.stdout)
        let expected = try Fixtures.table(Fixtures.reference("testdata_DSR_ISR__testresults_DSR.csv"))
            .filter { $0["statistic"] == "dsr per 10000" && $0["area"] != "testdata_1976" }
        for (row, want) in zip(rows, expected) {
            for column in ["value", "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"] {
                expectClose(fixtureNumber(row[column]), fixtureNumber(want[column]), relative: 1e-4, "\(want["area"]!) \(column)")
            }
        }
    }

    @Test func esp1976FromAColumnJoinedByBand() throws {
        let result = try Healthgap.run([
            "dsr", "--input", phe + "testdata_DSR_ISR__testdata_1976.csv", "--age-band", "Age Band", "--count", "count",
            "--population", "pop", "--standard", "column:esp1976", "--confidence", "95",
        ])
        #expect(result.status == 0)
        let row = try parseCSV(result.stdout)[0]
        expectClose(fixtureNumber(row["value"]), 8592.097585022366, relative: 1e-4)
        expectClose(fixtureNumber(row["lower95_0cl"]), 7991.160931442103, relative: 1e-4)
        expectClose(fixtureNumber(row["upper95_0cl"]), 9225.253880318318, relative: 1e-4)
    }

    @Test(arguments: [
        ("err1", "Age Band", "stdpop", 7, "band 25-29: count must be a non-negative number (value -26)"),
        ("err3", "Age Band", "stdpop", 3, "band 5-9: population must be positive for a DSR (value -558)"),
        (
            "err4", "Age Band", "stdpop", 7,
            "band 25-29: standard population column stdpop: weight must be a non-negative number (value -6000)"
        ),
    ])
    func invalidInputStopsWithExit65NamingFileRowBandAndValue(
        file: String, band: String, weights: String, line: Int, message: String
    ) throws {
        let path = phe + "testdata_DSR_ISR__testdata_\(file).csv"
        let result = try Healthgap.run([
            "dsr", "--input", path, "--age-band", band, "--count", "count", "--population", "pop",
            "--standard", "column:\(weights)",
        ])
        #expect(result.status == 65)
        #expect(result.stdout == "")
        #expect(result.stderr == "healthgap: error: \(path):\(line): group (all rows), \(message)\n")
    }

    @Test func zeroPopulationFailsOrIsSuppressedWithItsMessage() throws {
        let path = phe + "testdata_DSR_ISR__testdata_err2.csv"
        let args = ["dsr", "--input", path, "--by", "area", "--age-band", "ageband", "--count", "count", "--population", "pop"]
        let failed = try Healthgap.run(args)
        #expect(failed.status == 65)
        #expect(
            failed.stderr
                == "healthgap: error: \(path):3: group area=Area1, band 5-9: population must be positive for a DSR (value 0)\n")
        let suppressed = try Healthgap.run(args + ["--on-error", "suppress"])
        #expect(suppressed.status == 0)
        let rows = try parseCSV(suppressed.stdout)
        #expect(rows[0]["area"] == "Area1" && rows[0]["value"] == "")
        #expect(rows[0]["note"] == "population must be positive for a DSR (band 5-9)")
        #expect(rows[1]["area"] == "Area2" && rows[1]["value"] != "")
    }

    @Test func underSeventyFiveUsesOnlyTheBandsInRange() throws {
        let result = try Healthgap.run([
            "dsr", "--input", phe + "testdata_DSR_ISR__testdata_multiarea.csv", "--by", "area", "--age-band", "ageband",
            "--count", "count", "--population", "pop", "--ages", "0-74", "--confidence", "95",
        ])
        #expect(result.status == 0)
        let rows = try parseCSV(result.stdout)
        // Σ over 0–74 of w·x/n with the ESP2013 weights, / 91,000 × 100,000 (testdata_big).
        let data = try Fixtures.table(Fixtures.reference("testdata_DSR_ISR__testdata_multiarea.csv"))
            .filter { $0["area"] == "testdata_big" }
        let weights: [Double] = [5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000, 7000, 6500, 6000, 5500, 5000]
        var sum = 0.0
        for (w, row) in zip(weights, data) { sum += w * Double(row["count"]!)! / Double(row["pop"]!)! }
        expectClose(fixtureNumber(rows[0]["value"]), sum / 91_000 * 100_000, relative: 1e-12)
    }
}

@Suite struct IndirectlyStandardisedRatioCommandTests {
    @Test func rateFromPerRowReferenceColumns() throws {
        let result = try Healthgap.run([
            "isr", "--input", phe + "testdata_DSR_ISR__testdata_multiarea_isr.csv", "--by", "area", "--age-band", "ageband",
            "--count", "count", "--population", "pop", "--ref-count", "refcount", "--ref-population", "refpop", "--rate",
        ])
        #expect(result.status == 0)
        #expect(
            result.stdout.hasPrefix(
                "area,value,lower95_0cl,upper95_0cl,lower99_8cl,upper99_8cl,observed,expected,ref_rate,note\n"))
        let rows = try parseCSV(result.stdout)
        let expected = try Fixtures.table(Fixtures.reference("testdata_DSR_ISR__testresults_ISR.csv"))
            .filter { $0["statistic"] == "indirectly standardised rate per 100000" && $0["area"]!.hasPrefix("testdata") }
        for (row, want) in zip(rows, expected) {
            for column in ["value", "lower95_0cl", "upper99_8cl", "observed", "expected", "ref_rate"] {
                expectClose(fixtureNumber(row[column]), fixtureNumber(want[column]), relative: 1e-4, "\(want["area"]!) \(column)")
            }
        }
    }

    @Test func ratioFromAReferenceTableWithAZeroPopulationBand() throws {
        let result = try Healthgap.run([
            "isr", "--input", phe + "testdata_DSR_ISR__testdata_err2.csv", "--by", "area", "--age-band", "ageband",
            "--count", "count", "--population", "pop", "--reference", phe + "testdata_DSR_ISR__refdata.csv",
            "--reference-age-band", "Age Band", "--reference-count", "refcount", "--reference-population", "refpop",
            "--ref-value", "100", "--confidence", "95",
        ])
        #expect(result.status == 0)
        let rows = try parseCSV(result.stdout)
        expectClose(fixtureNumber(rows[0]["value"]), 110.72323749430866, relative: 1e-4)
        expectClose(fixtureNumber(rows[0]["expected"]), 808.3217400918253, relative: 1e-4)
        expectClose(fixtureNumber(rows[1]["upper95_0cl"]), 13.366576328418912, relative: 1e-4)
    }

    @Test func observedTotalsJoinedByGroup() throws {
        let result = try Healthgap.run([
            "isr", "--input", phe + "testdata_DSR_ISR__testdata_multiarea_isr.csv", "--by", "area", "--age-band", "ageband",
            "--count", "count", "--population", "pop", "--reference", phe + "testdata_DSR_ISR__refdata.csv",
            "--reference-age-band", "Age Band", "--reference-count", "refcount", "--reference-population", "refpop",
            "--observed-totals", phe + "testdata_DSR_ISR__testdata_multiarea_lookup.csv", "--observed-column", "total_count",
        ])
        #expect(result.status == 0)
        let rows = try parseCSV(result.stdout)
        expectClose(fixtureNumber(rows[2]["value"]), 0.010767049882813684, relative: 1e-4)
        expectClose(fixtureNumber(rows[2]["lower99_8cl"]), 0.0029339306550682617, relative: 1e-4)
    }
}

@Suite struct SimpleMethodCommandTests {
    /// The fixture's first `count` data rows (one block of one multiplier) as a temporary input.
    func firstRows(_ file: String, count: Int) throws -> String {
        let dir = try Healthgap.temporaryDirectory()
        let lines = try String(contentsOfFile: Fixtures.projectRoot.path + "/" + phe + file, encoding: .utf8)
            .split(separator: "\n")
        let input = dir.appendingPathComponent(file)
        try (lines.prefix(count + 1).joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
        return input.path
    }

    @Test func ratesMatchTheReference() throws {
        let result = try Healthgap.run([
            "rate", "--input", try firstRows("testdata_Rate__testdata_Rate.csv", count: 8), "--by", "Area", "--count",
            "Numerator", "--population", "Denominator", "--multiplier", "100",
        ])
        #expect(result.status == 0)
        let expected = Array(try Fixtures.table(Fixtures.reference("testdata_Rate__testdata_Rate.csv")).prefix(8))
        let rows = try parseCSV(result.stdout)
        #expect(rows.count == expected.count)
        for (row, want) in zip(rows, expected) {
            for column in ["value", "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"] {
                expectClose(fixtureNumber(row[column]), fixtureNumber(want[column]), relative: 1e-6, "\(want["Area"]!) \(column)")
            }
        }
    }

    @Test func proportionsMatchTheReference() throws {
        let result = try Healthgap.run([
            "proportion", "--input", try firstRows("testdata_Proportion__testdata_Prop.csv", count: 8), "--by", "Area",
            "--numerator", "Numerator", "--denominator", "Denominator",
        ])
        #expect(result.status == 0)
        let expected = Array(try Fixtures.table(Fixtures.reference("testdata_Proportion__testdata_Prop.csv")).prefix(8))
        #expect(try parseCSV(result.stdout).count == 8)
        for (row, want) in zip(try parseCSV(result.stdout), expected) {
            for column in ["value", "lower95_0cl", "upper99_8cl"] {
                expectClose(fixtureNumber(row[column]), fixtureNumber(want[column]), relative: 1e-6, "\(want["Area"]!) \(column)")
            }
        }
    }

    @Test func meansByAreaAndOverall() throws {
        let path = phe + "testdata_Mean__testdata_Mean.csv"
        let expected = try Fixtures.table(Fixtures.reference("testdata_Mean__testdata_Mean_results.csv"))
        let byArea = try parseCSV(try Healthgap.run(["mean", "--input", path, "--by", "area", "--value", "values"]).stdout)
        let overall = try parseCSV(try Healthgap.run(["mean", "--input", path, "--value", "values"]).stdout)
        for (row, want) in zip(byArea + overall, expected) {
            for column in ["value", "lower95_0cl", "upper95_0cl", "lower99_8cl", "upper99_8cl"] {
                expectClose(fixtureNumber(row[column]), fixtureNumber(want[column]), relative: 1e-6, "\(want["area"]!) \(column)")
            }
        }
    }

    @Test func quantilesWithinParentsMatchTheFingertipsAssignment() throws {
        let dir = try Healthgap.temporaryDirectory()
        let (header, rows) = try Fixtures.rawTable(Fixtures.reference("testdata_Quantiles__testdata_Quantiles.csv"))
        let set = header.firstIndex(of: "GroupSet")!, name = header.firstIndex(of: "QuantileNm")!
        let polarity = header.firstIndex(of: "Polarity")!, test = header.firstIndex(of: "Test")!
        let deciles = rows.filter {
            $0[set] == "IndSexReg" && $0[name] == "Decile" && $0[polarity] == "RAG - Low is good" && $0[test] == "Gooddata"
        }
        #expect(deciles.count > 20)
        let input = dir.appendingPathComponent("q.csv")
        try ([header.joined(separator: ",")] + deciles.map { $0.map { "\"\($0)\"" }.joined(separator: ",") })
            .joined(separator: "\n").write(to: input, atomically: true, encoding: .utf8)
        let result = try Healthgap.run([
            "quantiles", "--input", input.path, "--by", "IndSexRef,ParentCode", "--value", "Value", "--quantiles", "10",
        ])
        #expect(result.status == 0)
        for row in try parseCSV(result.stdout) {
            #expect(Double(row["quantile"]!) == Double(row["QuantileInGrp"]!), "\(row["AreaCode"]!)")
        }
    }
}

@Suite struct InputErrorTests {
    @Test func unreadableInputExits66() throws {
        let result = try Healthgap.run(["rate", "--input", "no/such/file.csv", "--count", "a", "--population", "b"])
        #expect(result.status == 66)
        #expect(result.stderr.hasPrefix("healthgap: error: no/such/file.csv: cannot open: "))
    }

    @Test func missingColumnExits65AndListsTheColumns() throws {
        let result = try Healthgap.run([
            "rate", "--input", phe + "testdata_Rate__testdata_Rate.csv", "--count", "deaths", "--population", "Denominator",
        ])
        #expect(result.status == 65)
        #expect(result.stderr.contains("no column named \"deaths\""))
    }

    @Test func unparseableNumberNamesLineAndColumn() throws {
        let dir = try Healthgap.temporaryDirectory()
        let input = dir.appendingPathComponent("bad.csv")
        try "area,count,pop\nA,10,100\nB,1O,100\n".write(to: input, atomically: true, encoding: .utf8)
        let result = try Healthgap.run(["rate", "--input", input.path, "--by", "area", "--count", "count", "--population", "pop"])
        #expect(result.status == 65)
        #expect(result.stderr == "healthgap: error: \(input.path):3: column 2 (count): \"1O\" is not a number\n")
    }

    @Test func usageErrorsExit64() throws {
        let result = try Healthgap.run(["rate", "--input", "x.csv", "--count", "a", "--population", "b", "--confidence", "150"])
        #expect(result.status == 64)
    }

    @Test func aFailedRunLeavesAnExistingOutputUntouched() throws {
        let dir = try Healthgap.temporaryDirectory()
        let output = dir.appendingPathComponent("out.csv")
        try "previous results\n".write(to: output, atomically: true, encoding: .utf8)
        let result = try Healthgap.run([
            "dsr", "--input", phe + "testdata_DSR_ISR__testdata_err1.csv", "--age-band", "Age Band", "--count", "count",
            "--population", "pop", "--standard", "column:stdpop", "--output", output.path,
        ])
        #expect(result.status == 65)
        #expect(try String(contentsOf: output, encoding: .utf8) == "previous results\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.csv"])
    }
}

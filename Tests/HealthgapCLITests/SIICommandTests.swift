import Foundation
import Testing
import _TestSupport

private let phe = "../shared/reference/phe/"

@Suite struct SIICommandTests {
    /// The fixture rows of one scenario as a temporary CSV input.
    func scenario(_ description: String) throws -> (path: String, rows: [[String: String]]) {
        let (header, rows) = try Fixtures.rawTable(Fixtures.reference("testdata_SII__testdata_SII.csv"))
        let column = header.firstIndex(of: "TestDescription")!
        let picked = rows.filter { $0[column] == description }
        let dir = try Healthgap.temporaryDirectory()
        let url = dir.appendingPathComponent("sii.csv")
        let quote = { (s: String) in "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        try ([header.map(quote).joined(separator: ",")] + picked.map { $0.map(quote).joined(separator: ",") })
            .joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        return (url.path, picked.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) })
    }

    @Test func lifeExpectancyScenarioMatchesTheReferenceWithinMonteCarloError() throws {
        let (path, fixture) = try scenario("default (e.g. life expectancy) - default parameters")
        let result = try Healthgap.run([
            "sii", "--input", path, "--by", "Area", "--quantile", "Quantile", "--population", "Population",
            "--value", "Value", "--se", "StandardError", "--confidence", "95", "--rii", "--intercept",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout.hasPrefix(
                "Area,sii,sii_lower95_0cl,sii_upper95_0cl,rii,rii_lower95_0cl,rii_upper95_0cl,intercept,note\n"))
        let rows = try parseCSV(result.stdout)
        let expected = fixture.filter { $0["sii"] != "" }
        #expect(rows.count == 2 && expected.count == 2)
        for (row, want) in zip(rows, expected) {
            expectClose(fixtureNumber(row["sii"]), fixtureNumber(want["sii"]), relative: 1e-9)
            expectClose(fixtureNumber(row["rii"]), fixtureNumber(want["rii"]), relative: 1e-9)
            for (name, lower, upper) in [("sii", "sii_lowercl_1", "sii_uppercl_1"), ("rii", "rii_lowercl_1", "rii_uppercl_1")] {
                let lo = fixtureNumber(want[lower])!, hi = fixtureNumber(want[upper])!
                let allowed = 0.05 * (hi - lo) / 2
                expectClose(fixtureNumber(row["\(name)_lower95_0cl"]), lo, absolute: allowed, "\(name) lower")
                expectClose(fixtureNumber(row["\(name)_upper95_0cl"]), hi, absolute: allowed, "\(name) upper")
            }
        }
    }

    @Test func sameSeedGivesIdenticalBytesOnOneAndTwoThreads() throws {
        // 724 groups (sex × area; 722 with 10 local deciles, Isles of Scilly with one): each on its own stream.
        let args = [
            "sii", "--input", phe + "LE_testdata.csv", "--by", "Sex,GeoCode", "--quantile", "Decile", "--population", "Pop",
            "--value", "LifeExp", "--se", "SE", "--rii", "--repetitions", "10000", "--seed", "42",
        ]
        let one = try Healthgap.run(args + ["--threads", "1"])
        let two = try Healthgap.run(args + ["--threads", "2"])
        #expect(one.status == 0 && two.status == 0)
        #expect(one.stdout.split(separator: "\n").count == 725)
        #expect(one.stdout == two.stdout)
        let other = try Healthgap.run(args.dropLast(2) + ["--seed", "43", "--threads", "2"])
        #expect(other.stdout != one.stdout)
    }

    @Test func literalAndDirectSimulationAgreeWithinMonteCarloError() throws {
        let (path, _) = try scenario("rate (e.g. infant mortality) - default parameters")
        let base = [
            "sii", "--input", path, "--by", "Area", "--quantile", "Quantile", "--population", "Population", "--value",
            "Value", "--lower-cl", "LowerCL", "--upper-cl", "UpperCL", "--value-type", "1", "--confidence", "95",
        ]
        let direct = try parseCSV(try Healthgap.run(base).stdout)
        let literal = try parseCSV(try Healthgap.run(base + ["--simulation", "literal", "--seed", "9"]).stdout)
        for (d, l) in zip(direct, literal) {
            let halfWidth = (Double(l["sii_upper95_0cl"]!)! - Double(l["sii_lower95_0cl"]!)!) / 2
            expectClose(fixtureNumber(d["sii_lower95_0cl"]), fixtureNumber(l["sii_lower95_0cl"]), absolute: 0.1 * halfWidth)
            expectClose(fixtureNumber(d["sii_upper95_0cl"]), fixtureNumber(l["sii_upper95_0cl"]), absolute: 0.1 * halfWidth)
        }
    }

    @Test func aGroupMissingAQuantileIsDroppedWithAWarningAndKeepsItsRow() throws {
        let (path, _) = try scenario("warning handling - missing populations, counts or values")
        let result = try Healthgap.run([
            "sii", "--input", path, "--by", "Area", "--quantile", "Quantile", "--population", "Population", "--value",
            "Value", "--se", "StandardError",
        ])
        #expect(result.status == 0)
        #expect(result.stderr.contains("warning"))
        let rows = try parseCSV(result.stdout)
        #expect(!rows.isEmpty)
        #expect(rows.contains { $0["sii"] == "" && $0["note"]!.hasPrefix("group dropped") })
    }

    @Test func negativePopulationStopsWithExit65() throws {
        let (path, _) = try scenario("error handling - negative populations")
        let result = try Healthgap.run([
            "sii", "--input", path, "--by", "Area", "--quantile", "Quantile", "--population", "Population", "--value",
            "Value", "--se", "StandardError",
        ])
        #expect(result.status == 65)
        #expect(result.stderr.contains("population"))
    }

    @Test func tooFewRepetitionsIsAUsageError() throws {
        let result = try Healthgap.run([
            "sii", "--input", "x.csv", "--quantile", "q", "--population", "p", "--value", "v", "--se", "s",
            "--repetitions", "500",
        ])
        #expect(result.status == 64)
    }
}

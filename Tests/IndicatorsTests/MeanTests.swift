import Testing
import _TestSupport

@testable import Indicators

@Suite struct MeanTests {
    static let values = fixtureRows("testdata_Mean__testdata_Mean.csv")
    static let results = fixtureRows("testdata_Mean__testdata_Mean_results.csv")

    @Test func fixturesAreComplete() {
        #expect(Self.values.count == 26)
        #expect(Self.results.count == 3)
    }

    /// testdata_Mean_results: per area, and "No grouping" over both areas' values (1e-6 relative).
    @Test(arguments: results)
    func meansMatchTheReference(row: FixtureRow) throws {
        let area = row["area"]
        let selected = area == "No grouping" ? Self.values : Self.values.filter { $0["area"] == area }
        let values = selected.map { $0.number("values") }
        try #require(!values.isEmpty, "no values for \(row)")
        let summary = Mean.summary(values: values)
        expectClose(summary.sum, row.number("value_sum"), relative: 1e-6, "sum, \(row)")
        expectClose(Double(summary.count), row.number("value_count"), relative: 0, "count, \(row)")
        expectClose(summary.standardDeviation, row.number("stdev"), relative: 1e-6, "sd, \(row)")
        let estimate = Mean.estimate(values: values, levels: ConfidenceLevel.defaults)
        expectClose(estimate.value, row.number("value"), relative: 1e-6, "value, \(row)")
        try #require(estimate.limits.count == 2)
        expectClose(estimate.limits[0].lower, row.number("lower95_0cl"), relative: 1e-6, "lower 95, \(row)")
        expectClose(estimate.limits[0].upper, row.number("upper95_0cl"), relative: 1e-6, "upper 95, \(row)")
        expectClose(estimate.limits[1].lower, row.number("lower99_8cl"), relative: 1e-6, "lower 99.8, \(row)")
        expectClose(estimate.limits[1].upper, row.number("upper99_8cl"), relative: 1e-6, "upper 99.8, \(row)")
    }

    @Test func missingValuesAreSkipped() {
        let withGaps = Mean.estimate(values: [1, nil, 2, .nan, 3], levels: [level95])
        let without = Mean.estimate(values: [1, 2, 3], levels: [level95])
        #expect(withGaps == without)
        #expect(without.value == 2)
    }

    @Test(arguments: [[Double?](), [nil], [5], [5, nil]])
    func fewerThanTwoValuesAreSuppressed(values: [Double?]) {
        #expect(
            Mean.estimate(values: values, levels: ConfidenceLevel.defaults)
                == .suppressed(levels: 2, note: "fewer than 2 values"))
    }

    @Test func equalValuesHaveZeroWidthLimits() {
        let estimate = Mean.estimate(values: [4, 4, 4], levels: [level95])
        #expect(estimate.value == 4)
        #expect(estimate.limits == [ConfidenceLimits(lower: 4, upper: 4)])
    }
}

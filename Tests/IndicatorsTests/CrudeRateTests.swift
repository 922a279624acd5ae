import Testing
import _TestSupport

@testable import Indicators

@Suite struct CrudeRateTests {
    static let rateRows = fixtureRows("testdata_Rate__testdata_Rate.csv")
    static let groupedRateRows = fixtureRows("testdata_Rate__testdata_Rate_g.csv")

    @Test func fixturesAreComplete() {
        #expect(Self.rateRows.count == 20)
        #expect(Self.groupedRateRows.count == 12)
    }

    /// testdata_Rate: rates per 100 and per 100,000 at 95% and 99.8% (1e-6 relative), missing inputs kept as empty rows.
    @Test(arguments: rateRows)
    func ratesMatchTheReference(row: FixtureRow) throws {
        let multiplier = try #require(row.number("multiplier"), "\(row)")
        let estimate = try CrudeRate.estimate(
            count: row.number("Numerator"), population: row.number("Denominator"),
            levels: ConfidenceLevel.defaults, multiplier: multiplier)
        expectClose(estimate.value, row.number("value"), relative: 1e-6, "value, \(row)")
        try #require(estimate.limits.count == 2)
        expectClose(estimate.limits[0].lower, row.number("lower95_0cl"), relative: 1e-6, "lower 95, \(row)")
        expectClose(estimate.limits[0].upper, row.number("upper95_0cl"), relative: 1e-6, "upper 95, \(row)")
        expectClose(estimate.limits[1].lower, row.number("lower99_8cl"), relative: 1e-6, "lower 99.8, \(row)")
        expectClose(estimate.limits[1].upper, row.number("upper99_8cl"), relative: 1e-6, "upper 99.8, \(row)")
        if let count = row.number("Numerator") {
            #expect(PoissonLimits.method(forCount: count) == row["method"], "\(row)")
        }
        #expect((estimate.value == nil) == (estimate.note != nil), "a missing value needs a note: \(row)")
    }

    /// testdata_Rate_g: the grouped variant, one level per row (1e-6 relative).
    @Test(arguments: groupedRateRows)
    func groupedRatesMatchTheReference(row: FixtureRow) throws {
        let level = try #require(fixtureLevel(row["confidence"]), "\(row)")
        let multiplier = try #require(row.number("multiplier"), "\(row)")
        let estimate = try CrudeRate.estimate(
            count: row.number("Numerator"), population: row.number("Denominator"), levels: [level],
            multiplier: multiplier)
        expectClose(estimate.value, row.number("value"), relative: 1e-6, "value, \(row)")
        try #require(estimate.limits.count == 1)
        expectClose(estimate.limits[0].lower, row.number("lowercl"), relative: 1e-6, "lower, \(row)")
        expectClose(estimate.limits[0].upper, row.number("uppercl"), relative: 1e-6, "upper, \(row)")
    }

    @Test func missingInputsGiveAnEmptyValueWithANote() throws {
        let levels = ConfidenceLevel.defaults
        #expect(
            try CrudeRate.estimate(count: nil, population: 100, levels: levels)
                == .suppressed(levels: 2, note: "count missing"))
        #expect(
            try CrudeRate.estimate(count: 10, population: nil, levels: levels)
                == .suppressed(levels: 2, note: "population missing"))
        #expect(
            try CrudeRate.estimate(count: .nan, population: .nan, levels: levels)
                == .suppressed(levels: 2, note: "count and population missing"))
        // A population of 0 without a count is just a missing rate.
        #expect(try CrudeRate.estimate(count: nil, population: 0, levels: levels).value == nil)
    }

    @Test func zeroCountIsARateOfZeroWithExactLimits() throws {
        let estimate = try CrudeRate.estimate(count: 0, population: 1000, levels: [level95], multiplier: 1000)
        #expect(estimate.value == 0)
        #expect(estimate.limits[0].lower == 0)
        expectClose(estimate.limits[0].upper, 3.688879454113936, relative: 1e-9)
    }

    @Test func invalidInputsThrow() {
        #expect(throws: IndicatorError("count must be a non-negative number", value: "-1")) {
            try CrudeRate.estimate(count: -1, population: 100, levels: [level95])
        }
        #expect(throws: IndicatorError("population must be a non-negative number", value: "-5")) {
            try CrudeRate.estimate(count: 1, population: -5, levels: [level95])
        }
        #expect(throws: IndicatorError("population must be positive where there is a count", value: "0")) {
            try CrudeRate.estimate(count: 3, population: 0, levels: [level95])
        }
    }
}

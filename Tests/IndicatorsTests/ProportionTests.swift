import Testing
import _TestSupport

@testable import Indicators

@Suite struct ProportionTests {
    static let proportionRows = fixtureRows("testdata_Proportion__testdata_Prop.csv")
    static let groupedProportionRows = fixtureRows("testdata_Proportion__testdata_Prop_g.csv")

    @Test func fixturesAreComplete() {
        #expect(Self.proportionRows.count == 19)
        #expect(Self.groupedProportionRows.count == 11)
    }

    /// testdata_Prop: proportions of 1 and percentages with Wilson limits at 95% and 99.8% (1e-6 relative).
    @Test(arguments: proportionRows)
    func proportionsMatchTheReference(row: FixtureRow) throws {
        let multiplier = try #require(row.number("multiplier"), "\(row)")
        let estimate = try Proportion.estimate(
            numerator: row.number("Numerator"), denominator: row.number("Denominator"),
            levels: ConfidenceLevel.defaults, multiplier: multiplier)
        expectClose(estimate.value, row.number("value"), relative: 1e-6, "value, \(row)")
        try #require(estimate.limits.count == 2)
        expectClose(estimate.limits[0].lower, row.number("lower95_0cl"), relative: 1e-6, "lower 95, \(row)")
        expectClose(estimate.limits[0].upper, row.number("upper95_0cl"), relative: 1e-6, "upper 95, \(row)")
        expectClose(estimate.limits[1].lower, row.number("lower99_8cl"), relative: 1e-6, "lower 99.8, \(row)")
        expectClose(estimate.limits[1].upper, row.number("upper99_8cl"), relative: 1e-6, "upper 99.8, \(row)")
        #expect((estimate.value == nil) == (estimate.note != nil), "a missing value needs a note: \(row)")
    }

    /// testdata_Prop_g: the grouped variant, one level per row (1e-6 relative).
    @Test(arguments: groupedProportionRows)
    func groupedProportionsMatchTheReference(row: FixtureRow) throws {
        let level = try #require(fixtureLevel(row["confidence"]), "\(row)")
        let multiplier = try #require(row.number("multiplier"), "\(row)")
        let estimate = try Proportion.estimate(
            numerator: row.number("Numerator"), denominator: row.number("Denominator"), levels: [level],
            multiplier: multiplier)
        expectClose(estimate.value, row.number("value"), relative: 1e-6, "value, \(row)")
        try #require(estimate.limits.count == 1)
        expectClose(estimate.limits[0].lower, row.number("lowercl"), relative: 1e-6, "lower, \(row)")
        expectClose(estimate.limits[0].upper, row.number("uppercl"), relative: 1e-6, "upper, \(row)")
    }

    @Test func missingInputsGiveAnEmptyValueWithANote() throws {
        #expect(
            try Proportion.estimate(numerator: nil, denominator: 100, levels: [level95])
                == .suppressed(levels: 1, note: "numerator missing"))
        #expect(
            try Proportion.estimate(numerator: 10, denominator: nil, levels: [level95])
                == .suppressed(levels: 1, note: "denominator missing"))
        #expect(
            try Proportion.estimate(numerator: nil, denominator: nil, levels: [level95])
                == .suppressed(levels: 1, note: "numerator and denominator missing"))
    }

    @Test func invalidInputsThrow() {
        #expect(throws: IndicatorError("numerator must not exceed the denominator (10)", value: "11")) {
            try Proportion.estimate(numerator: 11, denominator: 10, levels: [level95])
        }
        #expect(throws: IndicatorError("numerator must be a non-negative number", value: "-1")) {
            try Proportion.estimate(numerator: -1, denominator: 10, levels: [level95])
        }
        #expect(throws: IndicatorError("denominator must be a non-negative number", value: "-10")) {
            try Proportion.estimate(numerator: 1, denominator: -10, levels: [level95])
        }
        #expect(throws: IndicatorError("denominator must be positive where there is a numerator", value: "0")) {
            try Proportion.estimate(numerator: 0, denominator: 0, levels: [level95])
        }
    }
}

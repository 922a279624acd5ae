import Foundation
import Testing
import _TestSupport

@testable import Indicators

/// A fixture row keyed by header names with surrounding whitespace removed
/// (`testdata_funnel_ratio_outputs.csv` has a newline inside its first header).
private func trimmedRows(_ file: String) -> [FixtureRow] {
    guard let table = try? Fixtures.table(Fixtures.reference(file)) else { return [] }
    return table.enumerated().map { index, fields in
        var trimmed: [String: String] = [:]
        for (key, value) in fields { trimmed[key.trimmingCharacters(in: .whitespacesAndNewlines)] = value }
        return FixtureRow(file: file, line: index + 2, fields: trimmed)
    }
}

/// The limits of the reference's curve columns `lower_2s…`, `upper_3s…` in `FunnelPlot.levels` order.
private let curveLevels = [(level: 0, tag: "2s"), (level: 1, tag: "3s")]

@Suite struct FunnelPlotTests {
    static let proportionInputs = trimmedRows("testdata_funnel_prop_inputs.csv")
    static let proportionCurves = trimmedRows("testdata_funnel_prop_outputs.csv")
    static let proportionCurvesAxisVariation = trimmedRows("testdata_funnel_prop_outputs_with_axis_variation.csv")
    static let ratioInputs = trimmedRows("testdata_funnel_ratio_inputs.csv")
    static let ratioCurves = trimmedRows("testdata_funnel_ratio_outputs.csv")
    static let rateInputs = trimmedRows("testdata_funnel_rate_dsr_inputs.csv")
    static let rateCurveInputs = trimmedRows("testdata_funnel_rate_input_funnels.csv")
    static let rateCurves = trimmedRows("testdata_funnel_rate_outputs.csv")
    static let rateCurves2 = trimmedRows("testdata_funnel_rate_outputs_2.csv")
    static let rateCurves3 = trimmedRows("testdata_funnel_rate_outputs_3.csv")

    @Test func fixturesAreComplete() {
        #expect(Self.proportionInputs.count == 303)
        #expect(Self.proportionCurves.count == 100)
        #expect(Self.proportionCurvesAxisVariation.count == 100)
        #expect(Self.ratioInputs.count == 300)
        #expect(Self.ratioCurves.count == 100)
        #expect(Self.rateInputs.count == 40)
        #expect(Self.rateCurveInputs.count == 50)
        #expect(Self.rateCurves.count == 100)
        #expect(Self.rateCurves2.count == 100)
        #expect(Self.rateCurves3.count == 100)
    }

    // MARK: - Proportions

    static let proportionStatistic = FunnelStatistic.proportion(multiplier: 100)

    static let proportionAssessment: FunnelAssessment? = try? FunnelPlot.assess(
        proportionStatistic, numerators: proportionInputs.map { $0.number("numerator") },
        denominators: proportionInputs.map { $0.number("denominator") })

    /// testdata_funnel_prop_inputs: every area's significance label, exactly.
    @Test(arguments: proportionInputs.indices)
    func proportionSignificanceMatchesTheReference(index: Int) throws {
        let row = Self.proportionInputs[index]
        let assessment = try #require(Self.proportionAssessment)
        let point = assessment.points[index]
        #expect(point.significance.rawValue == row["significance"], "\(row)")
        // The label follows from the limits shown beside it.
        let value = try #require(point.value)
        let outside95 = value < (point.limits[0].lower ?? 0) || value > (point.limits[0].upper ?? 100)
        #expect(outside95 == (point.significance != .notSignificant), "\(row)")
    }

    /// testdata_funnel_prop_outputs: the 100-point curves over all 303 areas (1e-6 relative).
    @Test func proportionCurvesMatchTheReference() throws {
        let curves = try FunnelPlot.limits(
            Self.proportionStatistic, numerators: Self.proportionInputs.map { $0.number("numerator") },
            denominators: Self.proportionInputs.map { $0.number("denominator") })
        try expectProportionCurves(curves, Self.proportionCurves)
    }

    /// testdata_funnel_prop_outputs_with_axis_variation: denominators under 31,000 only, so the
    /// axis starts at a rounded minimum instead of 1 (1e-6 relative).
    @Test func proportionCurvesWithAxisVariationMatchTheReference() throws {
        let rows = Self.proportionInputs.filter { ($0.number("denominator") ?? 0) < 31000 }
        #expect(rows.count == 97)
        let curves = try FunnelPlot.limits(
            Self.proportionStatistic, numerators: rows.map { $0.number("numerator") },
            denominators: rows.map { $0.number("denominator") })
        try expectProportionCurves(curves, Self.proportionCurvesAxisVariation)
    }

    func expectProportionCurves(_ curves: [FunnelCurvePoint], _ expected: [FixtureRow]) throws {
        try #require(curves.count == expected.count)
        for (curve, row) in zip(curves, expected) {
            #expect(curve.axis == row.number("Population"), "\(row)")
            let columns = [("Lower2s0025limit", "Upper2s0025limit"), ("Lower3s0001limit", "Upper3s0001limit")]
            for (level, (lower, upper)) in columns.enumerated() {
                expectClose(curve.limits[level].lower, row.number(lower), relative: 1e-6, absolute: 1e-9, "\(lower), \(row)")
                expectClose(curve.limits[level].upper, row.number(upper), relative: 1e-6, "\(upper), \(row)")
            }
            expectClose(curve.baseline, row.number("Baseline"), relative: 1e-6, "baseline, \(row)")
            #expect(curve.denominators == nil)
        }
    }

    // MARK: - Ratios

    static let ratioAssessment: FunnelAssessment? = try? FunnelPlot.assess(
        .ratio(.isr), numerators: ratioInputs.map { $0.number("obs") },
        denominators: ratioInputs.map { $0.number("expected") })

    /// testdata_funnel_ratio_inputs: every ratio's significance label, exactly.
    @Test(arguments: ratioInputs.indices)
    func ratioSignificanceMatchesTheReference(index: Int) throws {
        let row = Self.ratioInputs[index]
        let point = try #require(Self.ratioAssessment).points[index]
        #expect(point.significance.rawValue == row["significance"], "\(row)")
        let value = try #require(point.value)
        let above = point.limits[0].upper.map { value > $0 } ?? false
        let below = point.limits[0].lower.map { value < $0 } ?? false
        if point.significance == .notSignificant { #expect(!above && !below, "\(row)") }
        if point.significance == .highP001 || point.significance == .highP025 { #expect(above, "\(row)") }
    }

    /// testdata_funnel_ratio_outputs: the curves as counts (ratio − 1) and as ISRs (× 100),
    /// with the expected counts on each curve (1e-6 relative to the ratio; the upper curves at
    /// O = 1 to 1e-4, where the reference's bisection stops short of the exact value).
    @Test(arguments: [FunnelRatioType.count, .isr])
    func ratioCurvesMatchTheReference(type: FunnelRatioType) throws {
        let curves = try FunnelPlot.limits(
            .ratio(type), numerators: Self.ratioInputs.map { $0.number("obs") },
            denominators: Self.ratioInputs.map { $0.number("expected") })
        try #require(curves.count == Self.ratioCurves.count)
        for (curve, row) in zip(curves, Self.ratioCurves) {
            #expect(curve.axis == row.number("Observed_events"), "\(row)")
            let upperTolerance = curve.axis == 1 ? 1e-4 : 1e-6
            let denominators = try #require(curve.denominators)
            // A count is the ratio − 1: its tolerance is relative to the ratio, as for the ISR.
            let ratio = { (x: Double?) in type == .count ? x.map { $0 + 1 } : x }
            for (level, tag) in curveLevels {
                let limit = type.rawValue
                expectClose(
                    ratio(curve.limits[level].lower), ratio(row.number("lower_\(tag)_\(limit)")), relative: 1e-6, "\(row)")
                expectClose(
                    ratio(curve.limits[level].upper), ratio(row.number("upper_\(tag)_\(limit)")), relative: upperTolerance,
                    "\(row)")
                expectClose(denominators[level].lower, row.number("lower_\(tag)_exp_events"), relative: 1e-6, "\(row)")
                expectClose(
                    denominators[level].upper, row.number("upper_\(tag)_exp_events"), relative: upperTolerance, "\(row)")
            }
            #expect(curve.baseline == nil)
        }
    }

    // MARK: - Rates

    /// One column of expected labels in testdata_funnel_rate_dsr_inputs: which rate, multiplier,
    /// and whether the area with no events is kept.
    struct RateCase: Sendable, CustomTestStringConvertible {
        let column: String
        let type: FunnelRateType
        let rateColumn: String
        let multiplier: Double
        let keepZero: Bool
        var testDescription: String { column }
    }

    static let rateCases: [RateCase] = [
        RateCase(column: "dsr_per_100000_with_0", type: .dsr, rateColumn: "rate_dsr", multiplier: 1e5, keepZero: true),
        RateCase(column: "dsr_per_100_with_0", type: .dsr, rateColumn: "rate_dsr", multiplier: 100, keepZero: true),
        RateCase(column: "dsr_per_100000_without_0", type: .dsr, rateColumn: "rate_dsr", multiplier: 1e5, keepZero: false),
        RateCase(column: "dsr_per_100_without_0", type: .dsr, rateColumn: "rate_dsr", multiplier: 100, keepZero: false),
        RateCase(
            column: "crude_per_100000_with_0", type: .crude, rateColumn: "rate_crude_per_100000", multiplier: 1e5,
            keepZero: true),
        RateCase(
            column: "crude_per_100_with_0", type: .crude, rateColumn: "rate_crude_per_100", multiplier: 100, keepZero: true),
        RateCase(
            column: "crude_per_100000_without_0", type: .crude, rateColumn: "rate_crude_per_100000", multiplier: 1e5,
            keepZero: false),
        RateCase(
            column: "crude_per_100_without_0", type: .crude, rateColumn: "rate_crude_per_100", multiplier: 100,
            keepZero: false),
    ]

    /// testdata_funnel_rate_dsr_inputs: every row's label in each of the 8 expected columns, exactly.
    @Test(arguments: rateCases)
    func rateSignificanceMatchesTheReference(rateCase: RateCase) throws {
        let rows = Self.rateInputs.filter { rateCase.keepZero || $0.number("count") != 0 }
        #expect(rows.count == (rateCase.keepZero ? 40 : 39))
        let assessment = try FunnelPlot.assess(
            .rate(rateCase.type, multiplier: rateCase.multiplier, years: 1), numerators: rows.map { $0.number("count") },
            denominators: rows.map { $0.number("pop") }, rates: rows.map { $0.number(rateCase.rateColumn) })
        for (point, row) in zip(assessment.points, rows) {
            #expect(point.significance.rawValue == row[rateCase.column], "\(rateCase.column), \(row)")
        }
    }

    /// testdata_funnel_rate_input_funnels → testdata_funnel_rate_outputs: DSR per 100,000 over 3 years.
    @Test func dsrCurvesMatchTheReference() throws {
        let rows = Self.rateCurveInputs
        let curves = try FunnelPlot.limits(
            .rate(.dsr, multiplier: 1e5, years: 3), numerators: rows.map { $0.number("ev") },
            rates: rows.map { $0.number("rate") })
        try expectRateCurves(curves, Self.rateCurves, label: "rate (dsr per 100,000)")
    }

    /// → testdata_funnel_rate_outputs_2: crude rates, the largest count replaced by 5.
    @Test func crudeCurvesWithFewEventsMatchTheReference() throws {
        let rows = Self.rateCurveInputs
        let largest = rows.compactMap { $0.number("ev") }.max()
        let curves = try FunnelPlot.limits(
            .rate(.crude, multiplier: 1e5, years: 3), numerators: rows.map { $0.number("ev") == largest ? 5 : $0.number("ev") },
            rates: rows.map { $0.number("rate") })
        try expectRateCurves(curves, Self.rateCurves2, label: "rate (crude per 100,000)")
    }

    /// → testdata_funnel_rate_outputs_3: crude rates with denominators 100,000·ev/rate, the
    /// largest count (and its rate) set to 0, areas above half the largest denominator only.
    @Test func crudeCurvesWithZeroEventsMatchTheReference() throws {
        var points: [(count: Double, rate: Double, population: Double)] = []
        let largest = Self.rateCurveInputs.compactMap { $0.number("ev") }.max()
        for row in Self.rateCurveInputs {
            let count = try #require(row.number("ev")), rate = try #require(row.number("rate"))
            let population = 1e5 * count / rate
            points.append(count == largest ? (0, 0, population) : (count, rate, population))
        }
        let cut = (points.map(\.population).max() ?? 0) / 2
        points = points.filter { $0.population > cut }
        let curves = try FunnelPlot.limits(
            .rate(.crude, multiplier: 1e5, years: 3), numerators: points.map(\.count),
            denominators: points.map(\.population), rates: points.map(\.rate))
        try expectRateCurves(curves, Self.rateCurves3, label: "rate (crude per 100,000)")
    }

    func expectRateCurves(_ curves: [FunnelCurvePoint], _ expected: [FixtureRow], label: String) throws {
        try #require(curves.count == expected.count)
        for (curve, row) in zip(curves, expected) {
            #expect(curve.axis == row.number("Events"), "\(row)")
            #expect(row["statistic"] == label)
            #expect(row["method"] == "Poisson")
            let upperTolerance = curve.axis == 1 ? 1e-4 : 1e-6
            let denominators = try #require(curve.denominators)
            for (level, tag) in curveLevels {
                expectClose(curve.limits[level].lower, row.number("lower_\(tag)_limit"), relative: 1e-6, "\(row)")
                expectClose(curve.limits[level].upper, row.number("upper_\(tag)_limit"), relative: upperTolerance, "\(row)")
                expectClose(denominators[level].lower, row.number("lower_\(tag)_population_1_year"), relative: 1e-6, "\(row)")
                expectClose(
                    denominators[level].upper, row.number("upper_\(tag)_population_1_year"), relative: upperTolerance,
                    "\(row)")
            }
            expectClose(curve.baseline, row.number("baseline"), relative: 1e-6, "\(row)")
        }
    }

    /// testdata_funnel_rate_input_funnels: each point's place on the chart (the reference's
    /// `calculate_funnel_points`): derived population per year, and no point for a DSR from
    /// fewer than 10 events (1e-6 relative).
    @Test func chartPointsMatchTheReference() throws {
        let rows = Self.rateCurveInputs
        let largest = rows.compactMap { $0.number("ev") }.max()
        let counts = rows.map { $0.number("ev") }
        let dsr = try FunnelPlot.assess(
            .rate(.dsr, multiplier: 1e5, years: 3), numerators: counts.map { $0 == largest ? 5 : $0 },
            rates: rows.map { $0.number("rate") })
        let crude = try FunnelPlot.assess(
            .rate(.crude, multiplier: 1e5, years: 3), numerators: counts, rates: rows.map { $0.number("rate") })
        let withDenominators = try FunnelPlot.assess(
            .rate(.crude, multiplier: 1e5, years: 5), numerators: counts.map { $0 == largest ? 0 : $0 },
            denominators: rows.map { $0.number("pop") }, rates: rows.map { $0.number("rate") })
        for (i, row) in rows.enumerated() {
            expectClose(dsr.points[i].chartDenominator, row.number("denominator_derived"), relative: 1e-6, "dsr, \(row)")
            #expect((dsr.points[i].chartDenominator == nil) == (row.number("rate_chart") == nil), "\(row)")
            expectClose(crude.points[i].chartDenominator, row.number("denominator_derived_crude"), relative: 1e-6, "\(row)")
            expectClose(crude.points[i].value, row.number("rate_chart_crude"), relative: 1e-12, "\(row)")
            expectClose(
                withDenominators.points[i].chartDenominator, row.number("denominator_derived_crude_with_denom"),
                relative: 1e-6, "\(row)")
        }
    }

    // MARK: - Rules and refusals

    @Test func limitsAndLabelsAgreeForRatesAndRatios() throws {
        // O = 30 against E = 15: the 99.8% lower limit of the count (Byar's) is above 15.
        let ratio = try FunnelPlot.assess(.ratio(.count), numerators: [30, 10], denominators: [15, 10])
        #expect(ratio.points[0].significance == .highP001)
        #expect(ratio.baseline == 0)
        let value = try #require(ratio.points[0].value)
        #expect(value > (ratio.points[0].limits[1].upper ?? .infinity))
        #expect(ratio.points[1].significance == .notSignificant)
        // A DSR from fewer than 10 events is not tested and not drawn.
        let rate = try FunnelPlot.assess(.rate(.dsr, multiplier: 1e5, years: 1), numerators: [9, 100], rates: [50, 60])
        #expect(rate.points[0].significance == .notApplicable)
        #expect(rate.points[0].limits == [.missing, .missing])
        #expect(rate.points[0].chartDenominator == nil)
        #expect(rate.points[0].value == 50)
    }

    @Test func labelsAndNamesAreTheReferences() {
        #expect(
            FunnelSignificance.allCases.map(\.rawValue) == [
                "High (0.001)", "High (0.025)", "Low (0.001)", "Low (0.025)", "Not significant",
                "Not applicable for events less than 10 for dsrs",
            ])
        #expect(FunnelStatistic.rate(.dsr, multiplier: 1e5, years: 3).label == "rate (dsr per 100,000)")
        #expect(FunnelStatistic.ratio(.isr).label == "ratio (isr)")
        #expect(FunnelStatistic.proportion(multiplier: 100).axisName == "Population")
        #expect(
            FunnelPlot.pointColumns == [
                "value", "lower95_0limit", "upper95_0limit", "lower99_8limit", "upper99_8limit", "significance",
            ])
    }

    @Test func statisticsAreBuiltFromTheCommandsWords() throws {
        #expect(try FunnelStatistic(type: "proportion") == .proportion(multiplier: 100))
        #expect(try FunnelStatistic(type: "ratio", ratioType: "count") == .ratio(.count))
        #expect(try FunnelStatistic(type: "ratio") == .ratio(.isr))
        #expect(
            try FunnelStatistic(type: "rate", rateType: "dsr", multiplier: 100, years: 3)
                == .rate(.dsr, multiplier: 100, years: 3))
        #expect(throws: FunnelError("a rate funnel needs its rate type: dsr or crude")) {
            try FunnelStatistic(type: "rate")
        }
        #expect(throws: FunnelError("the funnel type must be proportion, ratio or rate", value: "mean")) {
            try FunnelStatistic(type: "mean")
        }
        #expect(throws: FunnelError.self) { try FunnelStatistic(type: "rate", rateType: "isr") }
        #expect(throws: FunnelError.self) { try FunnelStatistic(type: "proportion", years: 3) }
    }

    @Test func tableColumnsMatchTheirCells() throws {
        let x: [Double?] = [10, 20, 30], n: [Double?] = [100, 150, 400]
        for statistic in [FunnelStatistic.proportion(multiplier: 100), .ratio(.isr), .rate(.crude, multiplier: 1e5, years: 2)] {
            let curves = try FunnelPlot.limits(statistic, numerators: x, denominators: n, rates: [10, 20, 30], points: 5)
            let columns = FunnelPlot.curveColumns(statistic)
            #expect(curves.allSatisfy { $0.cells.count == columns.count }, "\(statistic)")
            #expect(columns[1] == "lower95_0limit" && columns[4] == "upper99_8limit")
        }
        #expect(FunnelPlot.curveColumns(.rate(.dsr, multiplier: 1e5, years: 1)).last == "baseline")
        let point = try FunnelPlot.assess(.ratio(.isr), numerators: [30], denominators: [15]).points[0]
        #expect(point.cells.count == FunnelPlot.pointColumns.count - 1)
        #expect(point.cells[0] == 200)
    }

    @Test func pointCountIsHonoured() throws {
        let curves = try FunnelPlot.limits(
            .proportion(multiplier: 1), numerators: [10, 20, 30], denominators: [100, 150, 400], points: 7)
        #expect(curves.count == 7)
        #expect(curves.first?.axis == 1)
        #expect(curves.last?.axis == 420)
        #expect(curves.allSatisfy { ($0.limits[0].upper ?? 2) <= 1 && ($0.limits[1].lower ?? -1) >= 0 })
    }

    @Test func invalidInputsAreRefusedWithTheRow() {
        #expect(throws: FunnelError("numerator must be zero or more", row: 2, value: "-80")) {
            try FunnelPlot.assess(.proportion(multiplier: 100), numerators: [65, -80, 30], denominators: [100, 100, 200])
        }
        #expect(throws: FunnelError("denominator must be greater than zero", row: 3, value: "0")) {
            try FunnelPlot.assess(.proportion(multiplier: 100), numerators: [65, 80, 30], denominators: [100, 100, 0])
        }
        #expect(
            throws: FunnelError(
                "numerator must not exceed its denominator (20) for a proportion", row: 3, value: "30")
        ) {
            try FunnelPlot.assess(.proportion(multiplier: 100), numerators: [65, 80, 30], denominators: [100, 100, 20])
        }
        #expect(
            throws: FunnelError(
                "a crude rate with 0 events needs its denominator to place it; give the denominator column", row: 1)
        ) {
            try FunnelPlot.assess(.rate(.crude, multiplier: 1e5, years: 1), numerators: [0, 12], rates: [0, 50])
        }
        #expect(throws: FunnelError.self) {
            try FunnelPlot.assess(.ratio(.isr), numerators: [1, 2], denominators: [1])
        }
        #expect(throws: FunnelError.self) {
            try FunnelPlot.limits(.ratio(.isr), numerators: [1, 2], denominators: [1, 2], points: 1)
        }
        #expect(throws: FunnelError.self) {
            try FunnelPlot.assess(.rate(.crude, multiplier: 1e5, years: 0), numerators: [5], rates: [10])
        }
        let error = FunnelError("numerator must be zero or more", row: 2, value: "-80")
        #expect(error.description == "row 2: numerator must be zero or more (value -80)")
    }
}

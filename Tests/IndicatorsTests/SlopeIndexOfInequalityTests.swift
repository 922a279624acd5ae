import Foundation
import NumericCore
import Testing
import _TestSupport

@testable import Indicators

// SII/RII against `testdata_SII__testdata_SII.csv` (29 scenarios, 2 areas each), read as
// METHODS.md §7's last paragraph says: levels, multiplier and transform from TestDescription
// (its Confidence column says 95 for the 98% scenarios), value type from ValueType except
// "error handling - invalid proportion in CLs" (type 2 with limits), repetitions from
// Repetitions; "negative counts/standard error" with the SE column; the empty Value column of
// "missing value field" stands for no value column. Tolerances (reference/phe/README.md):
// point estimates 1e-9 relative; simulated limits within factor × the half-width of the
// expected interval, factor 0.05 at 95–99%, 0.10 at 99.8% (0.30 for the RII at 99.8%).

/// How one fixture scenario is run.
struct SIIScenario: CustomTestStringConvertible, Sendable {
    var description: String
    /// Levels in percent, in the order of the fixture's `_1`, `_2` columns.
    var levels: [Double] = [95]
    var multiplier: Double = 1
    var transform = false
    var computeRII = true

    var testDescription: String { description }
}

enum SIIFixture {
    static let file = "testdata_SII__testdata_SII.csv"

    /// The 22 scenarios with expected values.
    static let computed: [SIIScenario] = [
        SIIScenario(description: "default (e.g. life expectancy) - default parameters"),
        SIIScenario(description: "default - testing 99% confidence", levels: [99]),
        SIIScenario(description: "default - testing 10,000 repetitions"),
        SIIScenario(description: "default - testing quintiles"),
        SIIScenario(description: "rate (e.g. infant mortality) - default parameters"),
        SIIScenario(description: "proportion (e.g. child obesity) - default parameters"),
        SIIScenario(description: "proportion - testing multiplier (x 100)", multiplier: 100),
        SIIScenario(description: "proportion - testing multiplier (x -100)", multiplier: -100),
        SIIScenario(description: "default (e.g. life expectancy) - multiple CIs", levels: [95, 99]),
        SIIScenario(description: "default (e.g. life expectancy) - intercept"),
        SIIScenario(description: "rate (e.g. infant mortality) - intercept"),
        SIIScenario(description: "proportion (e.g. child obesity) - intercept"),
        SIIScenario(description: "rate (e.g. infant mortality) - log transform with intercept", transform: true),
        SIIScenario(description: "proportion (e.g. child obesity) - logit transform with intercept", transform: true),
        SIIScenario(
            description: "proportion (e.g. child obesity) - logit transform with negative multiplier", multiplier: -1,
            transform: true),
        SIIScenario(
            description: "rate (e.g. infant mortality) - log transform with multiple Cis (95 and 98)", levels: [95, 98],
            transform: true),
        SIIScenario(
            description: "rate (e.g. infant mortality) - log transform with negative multiplier", multiplier: -1, transform: true),
        SIIScenario(description: "rate (e.g. infant mortality) - log transform with 98% CI", levels: [98], transform: true),
        SIIScenario(description: "rate (e.g. infant mortality) - log transform without rii", transform: true, computeRII: false),
        SIIScenario(
            description: "proportion (e.g. child obesity) - logit transform without rii", transform: true, computeRII: false),
        SIIScenario(description: "proportion (e.g. child obesity) - logit transform with 98% cis", levels: [98], transform: true),
        SIIScenario(
            description: "proportion (e.g. child obesity) - logit transform with 95% and 98% cis", levels: [95, 98],
            transform: true),
    ]

    /// The 7 scenarios that must error or warn.
    static let errorsAndWarnings = [
        "error handling - negative populations",
        "error handling - negative counts/standard error",
        "error handling - invalid proportion in CLs",
        "error handling - missing value field",
        "error handling - missing confidence limits and se",
        "warning handling - missing populations, counts or values",
        "warning handling - large number of quantiles (>10)",
    ]

    static let rows: [[String: String]] = (try? Fixtures.table(Fixtures.reference(file))) ?? []

    /// The areas of one scenario in file order, each with its rows in quantile order.
    static func areas(_ description: String) -> [(area: String, rows: [[String: String]])] {
        var order: [String] = []
        var byArea: [String: [[String: String]]] = [:]
        for row in rows where row["TestDescription"] == description {
            let area = row["Area"] ?? ""
            if byArea[area] == nil { order.append(area) }
            byArea[area, default: []].append(row)
        }
        return order.map { area in
            (area, byArea[area]!.sorted { Int($0["Quantile"] ?? "") ?? 0 < Int($1["Quantile"] ?? "") ?? 0 })
        }
    }

    static func column(_ rows: [[String: String]], _ name: String) -> [Double?] {
        rows.map { fixtureNumber($0[name]) }
    }

    static func options(_ scenario: SIIScenario, first: [String: String], method: SIISimulation) -> SIIOptions {
        SIIOptions(
            valueType: SIIValueType(rawValue: Int(first["ValueType"] ?? "") ?? -1)!,
            transform: scenario.transform, multiplier: scenario.multiplier,
            repetitions: Int(first["Repetitions"] ?? "") ?? 0,
            levels: scenario.levels.map { ConfidenceLevel($0)! }, computeRII: scenario.computeRII, simulation: method)
    }
}

/// The README's Monte Carlo tolerance: factor × the half-width of the expected interval.
func siiAllowedError(expectedLower: Double, expectedUpper: Double, level: Double, isRII: Bool) -> Double {
    let factor: Double
    if level >= 99.8 || (level < 1 && level >= 0.998) {
        factor = isRII ? 0.30 : 0.10
    } else {
        factor = 0.05
    }
    return factor * abs(expectedUpper - expectedLower) / 2
}

@Suite struct SlopeIndexOfInequalityTests {
    static let seed: UInt64 = 20_040_626

    /// One result per (scenario, area, method), each area on its own stream.
    static func run(_ scenario: SIIScenario, method: SIISimulation, repetitions: Int? = nil) throws -> [(
        area: String, rows: [[String: String]], result: SIIResult
    )] {
        let areas = SIIFixture.areas(scenario.description)
        var streams = Xoshiro256StarStar.streams(seed: seed, count: areas.count)
        return try areas.enumerated().map { index, area in
            var options = SIIFixture.options(scenario, first: area.rows[0], method: method)
            if let repetitions { options.repetitions = repetitions }
            let result = try SlopeIndexOfInequality.compute(
                populations: SIIFixture.column(area.rows, "Population").map { $0! },
                values: SIIFixture.column(area.rows, "Value").map { $0! },
                standardErrors: SIIFixture.column(area.rows, "StandardError").map { $0! },
                options: options, using: &streams[index])
            return (area.area, area.rows, result)
        }
    }

    @Test func fixtureHasEveryScenarioMapped() {
        var seen: [String] = []
        for row in SIIFixture.rows where !seen.contains(row["TestDescription"] ?? "") {
            seen.append(row["TestDescription"] ?? "")
        }
        #expect(seen.count == 29)
        let mapped = SIIFixture.computed.map(\.description) + SIIFixture.errorsAndWarnings
        #expect(Set(seen) == Set(mapped))
        for description in SIIFixture.computed.map(\.description) {
            #expect(SIIFixture.areas(description).count == 2, "\(description)")
        }
    }

    /// Point estimates (1e-9) and simulated limits (README half-width rule) for one method.
    func checkAgainstFixture(_ scenario: SIIScenario, method: SIISimulation) throws {
        for (area, rows, result) in try Self.run(scenario, method: method) {
            let expected = rows[0]
            let context = "\(scenario.description), \(area), \(method)"
            expectClose(result.sii.value, fixtureNumber(expected["sii"]), relative: 1e-9, "SII \(context)")
            if scenario.computeRII {
                expectClose(result.rii?.value, fixtureNumber(expected["rii"]), relative: 1e-9, "RII \(context)")
            } else {
                #expect(result.rii == nil, "\(context)")
                #expect(fixtureNumber(expected["rii"]) == nil)
            }
            if let intercept = fixtureNumber(expected["Intercept"]) {
                expectClose(result.intercept, intercept, relative: 1e-9, "intercept \(context)")
            }
            #expect(result.sii.limits.count == scenario.levels.count)
            for (l, level) in scenario.levels.enumerated() {
                let limits = result.sii.limits[l]
                #expect((limits.lower ?? .nan) <= (limits.upper ?? .nan), "ordered \(context)")
                guard let lower = fixtureNumber(expected["sii_lowercl_\(l + 1)"]),
                    let upper = fixtureNumber(expected["sii_uppercl_\(l + 1)"])
                else {
                    // Only the quintile scenario has no expected limits.
                    #expect(scenario.description == "default - testing quintiles", "\(context)")
                    continue
                }
                let allowed = siiAllowedError(expectedLower: lower, expectedUpper: upper, level: level, isRII: false)
                expectClose(limits.lower, lower, absolute: allowed, "SII lower \(level)% \(context)")
                expectClose(limits.upper, upper, absolute: allowed, "SII upper \(level)% \(context)")
                if scenario.computeRII, let rLower = fixtureNumber(expected["rii_lowercl_\(l + 1)"]),
                    let rUpper = fixtureNumber(expected["rii_uppercl_\(l + 1)"])
                {
                    let rAllowed = siiAllowedError(expectedLower: rLower, expectedUpper: rUpper, level: level, isRII: true)
                    expectClose(result.rii?.limits[l].lower, rLower, absolute: rAllowed, "RII lower \(level)% \(context)")
                    expectClose(result.rii?.limits[l].upper, rUpper, absolute: rAllowed, "RII upper \(level)% \(context)")
                }
            }
        }
    }

    @Test(arguments: SIIFixture.computed)
    func directMatchesFixture(scenario: SIIScenario) throws {
        try checkAgainstFixture(scenario, method: .direct)
    }

    @Test(arguments: SIIFixture.computed)
    func literalMatchesFixture(scenario: SIIScenario) throws {
        try checkAgainstFixture(scenario, method: .literal)
    }

    /// `.direct` against `.literal` with the same tolerance, on every scenario (the quintile
    /// scenario has no expected limits: the literal interval's half-width stands in).
    @Test(arguments: SIIFixture.computed)
    func directMatchesLiteral(scenario: SIIScenario) throws {
        let direct = try Self.run(scenario, method: .direct)
        let literal = try Self.run(scenario, method: .literal)
        for (d, l) in zip(direct, literal) {
            let context = "\(scenario.description), \(d.area)"
            #expect(d.result.sii.value == l.result.sii.value)
            #expect(d.result.rii?.value == l.result.rii?.value)
            #expect(d.result.intercept == l.result.intercept)
            for (index, level) in scenario.levels.enumerated() {
                let reference = l.result.sii.limits[index]
                let allowed = siiAllowedError(
                    expectedLower: reference.lower!, expectedUpper: reference.upper!, level: level, isRII: false)
                expectClose(d.result.sii.limits[index].lower, reference.lower, absolute: allowed, "SII lower \(context)")
                expectClose(d.result.sii.limits[index].upper, reference.upper, absolute: allowed, "SII upper \(context)")
                if let riiReference = l.result.rii?.limits[index] {
                    let rAllowed = siiAllowedError(
                        expectedLower: riiReference.lower!, expectedUpper: riiReference.upper!, level: level, isRII: true)
                    expectClose(d.result.rii?.limits[index].lower, riiReference.lower, absolute: rAllowed, "RII lower \(context)")
                    expectClose(d.result.rii?.limits[index].upper, riiReference.upper, absolute: rAllowed, "RII upper \(context)")
                }
            }
        }
    }
}

// MARK: - The fixture's error and warning scenarios

@Suite struct SlopeIndexOfInequalityErrorTests {
    static func rows(_ description: String) -> [[String: String]] {
        SIIFixture.areas(description)[0].rows
    }

    static let options95 = SIIOptions(levels: [.ninetyFive], computeRII: true)

    @Test func negativePopulationIsAnError() {
        let rows = Self.rows("error handling - negative populations")
        var rng = Xoshiro256StarStar(seed: 1)
        #expect(throws: IndicatorError("population must be positive (SII)", band: "quantile 2", value: "-200.0")) {
            try SlopeIndexOfInequality.compute(
                populations: SIIFixture.column(rows, "Population").map { $0! },
                values: SIIFixture.column(rows, "Value").map { $0! },
                standardErrors: SIIFixture.column(rows, "StandardError").map { $0! },
                options: Self.options95, using: &rng)
        }
    }

    @Test func negativeStandardErrorIsAnError() {
        let rows = Self.rows("error handling - negative counts/standard error")
        let expected = IndicatorError("standard error must be a non-negative number (SII)", band: "quantile 3", value: "-5.0")
        #expect(throws: expected) {
            try SlopeIndexOfInequality.resolveStandardErrors(
                standardErrors: SIIFixture.column(rows, "StandardError"), lower: SIIFixture.column(rows, "LowerCL"),
                upper: SIIFixture.column(rows, "UpperCL"), valueType: .untransformed)
        }
        var rng = Xoshiro256StarStar(seed: 1)
        #expect(throws: expected) {
            try SlopeIndexOfInequality.compute(
                populations: SIIFixture.column(rows, "Population").map { $0! },
                values: SIIFixture.column(rows, "Value").map { $0! },
                standardErrors: SIIFixture.column(rows, "StandardError").map { $0! },
                options: Self.options95, using: &rng)
        }
    }

    @Test func proportionLimitOutsideUnitIntervalIsAnError() {
        let rows = Self.rows("error handling - invalid proportion in CLs")
        #expect(
            throws: IndicatorError(
                "a proportion's confidence limit must lie in (0, 1) (SII value type 2)", band: "quantile 4", value: "11.0")
        ) {
            try SlopeIndexOfInequality.resolveStandardErrors(
                standardErrors: nil, lower: SIIFixture.column(rows, "LowerCL"), upper: SIIFixture.column(rows, "UpperCL"),
                valueType: .proportion)
        }
    }

    @Test func missingValueColumnIsAnError() {
        let rows = Self.rows("error handling - missing value field")
        // The empty Value column stands for no value column.
        #expect(SIIFixture.column(rows, "Value").allSatisfy { $0 == nil })
        #expect(throws: IndicatorError("the SII needs a value column and the input has none")) {
            try SlopeIndexOfInequality.validateValueColumn(nil)
        }
        #expect(throws: IndicatorError("the SII value column has no non-missing value")) {
            try SlopeIndexOfInequality.validateValueColumn(SIIFixture.column(rows, "Value"))
        }
        #expect(throws: Never.self) { try SlopeIndexOfInequality.validateValueColumn([nil, 1.5]) }
    }

    @Test func missingLimitsAndStandardErrorsAreErrors() {
        let rows = Self.rows("error handling - missing confidence limits and se")
        #expect(throws: IndicatorError("standard error is missing (SII)", band: "quantile 1")) {
            try SlopeIndexOfInequality.resolveStandardErrors(
                standardErrors: SIIFixture.column(rows, "StandardError"), lower: SIIFixture.column(rows, "LowerCL"),
                upper: SIIFixture.column(rows, "UpperCL"), valueType: .untransformed)
        }
        #expect(
            throws: IndicatorError(
                "a confidence limit is missing; the standard error cannot be derived (SII)", band: "quantile 1")
        ) {
            try SlopeIndexOfInequality.resolveStandardErrors(
                standardErrors: nil, lower: SIIFixture.column(rows, "LowerCL"), upper: SIIFixture.column(rows, "UpperCL"),
                valueType: .untransformed)
        }
        #expect(
            throws: IndicatorError("the SII needs a standard error column or both 95% confidence-limit columns, and has neither")
        ) {
            try SlopeIndexOfInequality.resolveStandardErrors(
                standardErrors: nil, lower: SIIFixture.column(rows, "LowerCL"), upper: nil, valueType: .untransformed)
        }
        var rng = Xoshiro256StarStar(seed: 1)
        #expect(throws: IndicatorError("standard error is missing (SII)", band: "quantile 1")) {
            try SlopeIndexOfInequality.compute(
                populations: SIIFixture.column(rows, "Population").map { $0! },
                values: SIIFixture.column(rows, "Value").map { $0! },
                standardErrors: SIIFixture.column(rows, "StandardError").map { $0 ?? .nan },
                options: Self.options95, using: &rng)
        }
    }

    @Test func groupWithMissingPopulationOrValueIsDroppedWithAWarning() {
        let rows = Self.rows("warning handling - missing populations, counts or values")
        let note = SlopeIndexOfInequality.validateGroup(
            quantiles: rows.map { Int($0["Quantile"]!)! }, populations: SIIFixture.column(rows, "Population"),
            values: SIIFixture.column(rows, "Value"), expectedQuantileCount: 10)
        // The missing count (quantile 2) does not matter: values are given.
        #expect(note == "group dropped from the SII: missing population for quantile 5; missing value for quantile 8")
    }

    @Test func moreThanTenQuantilesIsAWarning() throws {
        let rows = Self.rows("warning handling - large number of quantiles (>10)")
        #expect(rows.count == 15)
        #expect(
            SlopeIndexOfInequality.validateGroup(
                quantiles: rows.map { Int($0["Quantile"]!)! }, populations: SIIFixture.column(rows, "Population"),
                values: SIIFixture.column(rows, "Value"), expectedQuantileCount: 15) == nil)
        var rng = Xoshiro256StarStar(seed: 1)
        let result = try SlopeIndexOfInequality.compute(
            populations: SIIFixture.column(rows, "Population").map { $0! },
            values: SIIFixture.column(rows, "Value").map { $0! },
            standardErrors: SIIFixture.column(rows, "StandardError").map { $0! },
            options: SIIOptions(levels: [.ninetyFive], computeRII: true, simulation: .direct), using: &rng)
        #expect(result.warnings == ["15 quantiles: the SII is meant for a few ordered groups (10 or fewer, e.g. deciles)"])
        #expect(result.sii.value != nil)
    }
}

// MARK: - Inputs, options and reproducibility

@Suite struct SlopeIndexOfInequalityBehaviourTests {
    static let area = SIIFixture.areas("default (e.g. life expectancy) - default parameters")[0].rows
    static let populations = SIIFixture.column(area, "Population").map { $0! }
    static let values = SIIFixture.column(area, "Value").map { $0! }
    static let errors = SIIFixture.column(area, "StandardError").map { $0! }

    static func compute(_ options: SIIOptions, seed: UInt64 = 7) throws -> SIIResult {
        var rng = Xoshiro256StarStar(seed: seed)
        return try SlopeIndexOfInequality.compute(
            populations: populations, values: values, standardErrors: errors, options: options, using: &rng)
    }

    @Test(arguments: SIISimulation.allCases)
    func sameStreamGivesIdenticalResults(method: SIISimulation) throws {
        for (type, transform) in [(SIIValueType.untransformed, false), (.rate, false), (.rate, true), (.proportion, false)] {
            let v = type == .untransformed ? Self.values : Self.values.map { type == .rate ? $0 / 10 : $0 / 100 }
            let options = SIIOptions(
                valueType: type, transform: transform, repetitions: 5_000, computeRII: true, reliability: true, simulation: method
            )
            var a = Xoshiro256StarStar(seed: 99)
            var b = Xoshiro256StarStar(seed: 99)
            let first = try SlopeIndexOfInequality.compute(
                populations: Self.populations, values: v, standardErrors: Self.errors.map { $0 / 80 }, options: options, using: &a
            )
            let second = try SlopeIndexOfInequality.compute(
                populations: Self.populations, values: v, standardErrors: Self.errors.map { $0 / 80 }, options: options, using: &b
            )
            #expect(first == second, "\(type), transform \(transform)")
            #expect(a == b, "the stream advances by the same draws")
        }
    }

    @Test(arguments: SIISimulation.allCases)
    func differentStreamsGiveDifferentDraws(method: SIISimulation) throws {
        let streams = Xoshiro256StarStar.streams(seed: 5, count: 2)
        var first = streams[0]
        var second = streams[1]
        let options = SIIOptions(repetitions: 2_000, computeRII: true, simulation: method)
        let a = try SlopeIndexOfInequality.compute(
            populations: Self.populations, values: Self.values, standardErrors: Self.errors, options: options, using: &first)
        let b = try SlopeIndexOfInequality.compute(
            populations: Self.populations, values: Self.values, standardErrors: Self.errors, options: options, using: &second)
        #expect(a.sii.value == b.sii.value)
        #expect(a.sii.limits != b.sii.limits)
        #expect(a.rii?.limits != b.rii?.limits)
    }

    @Test func repetitionsBelowOneThousandAreRejected() throws {
        #expect(throws: IndicatorError("SII repetitions must be at least 1,000", value: "999")) {
            try Self.compute(SIIOptions(repetitions: 999))
        }
        let result = try Self.compute(SIIOptions(repetitions: 1_000))
        #expect(result.sii.limits.count == 2)
    }

    @Test func quantileCountMustBeFiveToOneHundred() {
        var rng = Xoshiro256StarStar(seed: 1)
        #expect(throws: IndicatorError("the SII needs between 5 and 100 quantiles", value: "4")) {
            try SlopeIndexOfInequality.compute(
                populations: [1, 2, 3, 4], values: [1, 2, 3, 4], standardErrors: [1, 1, 1, 1], options: SIIOptions(), using: &rng)
        }
        let many = [Double](repeating: 1, count: 101)
        #expect(throws: IndicatorError("the SII needs between 5 and 100 quantiles", value: "101")) {
            try SlopeIndexOfInequality.compute(
                populations: many, values: many, standardErrors: many, options: SIIOptions(), using: &rng)
        }
    }

    @Test func invalidValuesAndOptionsAreErrors() {
        var rng = Xoshiro256StarStar(seed: 1)
        let p = Self.populations
        let se = Self.errors
        var v = Self.values
        v[3] = .nan
        #expect(throws: IndicatorError("value must be a finite number (SII)", band: "quantile 4", value: "nan")) {
            try SlopeIndexOfInequality.compute(populations: p, values: v, standardErrors: se, options: SIIOptions(), using: &rng)
        }
        #expect(
            throws: IndicatorError(
                "a proportion must lie in (0, 1) (SII value type 2)", band: "quantile 1", value: "75.9334590103081")
        ) {
            try SlopeIndexOfInequality.compute(
                populations: p, values: Self.values, standardErrors: se, options: SIIOptions(valueType: .proportion), using: &rng)
        }
        var rates = Self.values
        rates[0] = 0
        #expect(
            throws: IndicatorError(
                "a rate must be positive to take its logarithm (SII value type 1)", band: "quantile 1", value: "0.0")
        ) {
            try SlopeIndexOfInequality.compute(
                populations: p, values: rates, standardErrors: se, options: SIIOptions(valueType: .rate), using: &rng)
        }
        #expect(throws: IndicatorError.self) {
            try SlopeIndexOfInequality.compute(
                populations: p, values: Self.values, standardErrors: se, options: SIIOptions(transform: true), using: &rng)
        }
        #expect(throws: IndicatorError.self) {
            try SlopeIndexOfInequality.compute(
                populations: p, values: Self.values, standardErrors: Array(se.dropLast()), options: SIIOptions(), using: &rng)
        }
    }

    @Test func orderStatisticPositionsFollowTheReference() {
        func ranks(_ level: Double, _ r: Int) -> (Int, Int) {
            let pair = SlopeIndexOfInequality.orderStatisticRanks(level: ConfidenceLevel(level)!, repetitions: r)
            return (pair.low, pair.high)
        }
        // 1-based positions round(R(1 − c′)) and round(R·c′), c′ = c + (1 − c)/2.
        #expect(ranks(95, 100_000) == (2_499, 97_499))
        #expect(ranks(98, 100_000) == (999, 98_999))
        #expect(ranks(99.8, 100_000) == (99, 99_899))
        #expect(ranks(99.8, 1_000) == (0, 998))
        #expect(ranks(95, 10_000) == (249, 9_749))
    }

    @Test func limitsFromConfidenceLimitsMatchTheStandardErrorColumn() throws {
        // The fixture's SE column was made with z = 1.96; §6 uses the exact 1.959964. Its
        // limits have 15 significant digits, which the logit of a narrow interval turns into
        // about 1e-8 relative in the SE.
        for description in [
            "default (e.g. life expectancy) - default parameters", "rate (e.g. infant mortality) - default parameters",
            "proportion (e.g. child obesity) - default parameters",
        ] {
            for (_, rows) in SIIFixture.areas(description) {
                let type = SIIValueType(rawValue: Int(rows[0]["ValueType"]!)!)!
                let derived = try SlopeIndexOfInequality.standardErrors(
                    lower: SIIFixture.column(rows, "LowerCL"), upper: SIIFixture.column(rows, "UpperCL"), valueType: type)
                for (d, e) in zip(derived, SIIFixture.column(rows, "StandardError")) {
                    expectClose(d, e! * 1.96 / 1.959963984540054, relative: 1e-7, description)
                }
            }
        }
        #expect(
            throws: IndicatorError(
                "upper confidence limit is below the lower limit, giving a negative standard error (SII)", band: "quantile 2",
                value: "2.0, 1.0")
        ) {
            try SlopeIndexOfInequality.standardErrors(lower: [1, 2], upper: [2, 1], valueType: .untransformed)
        }
    }

    @Test func proportionsFromCountsUseWilsonLimits() throws {
        let rows = SIIFixture.areas("proportion (e.g. child obesity) - default parameters")[0].rows
        let (values, errors) = try SlopeIndexOfInequality.proportions(
            counts: SIIFixture.column(rows, "Count").map { $0! }, populations: SIIFixture.column(rows, "Population").map { $0! })
        for (j, row) in rows.enumerated() {
            expectClose(values[j], fixtureNumber(row["Value"]), relative: 1e-14, "value q\(j + 1)")
            // The fixture's SE used z = 1.96 on the Wilson limits.
            expectClose(
                errors[j], fixtureNumber(row["StandardError"])! * 1.96 / 1.959963984540054, relative: 1e-6, "se q\(j + 1)")
        }
        #expect(throws: IndicatorError.self) { try SlopeIndexOfInequality.proportions(counts: [0], populations: [10]) }
        #expect(throws: IndicatorError.self) { try SlopeIndexOfInequality.proportions(counts: [11], populations: [10]) }
    }

    @Test func groupValidationNamesMissingAndRepeatedQuantiles() {
        #expect(
            SlopeIndexOfInequality.validateGroup(
                quantiles: [1, 2, 4, 4, 5], populations: [1, 1, 1, 1, 1], values: [1, 1, 1, 1, 1], expectedQuantileCount: 5)
                == "group dropped from the SII: no row for quantile 3 of 5; quantile 4 appears more than once")
        #expect(
            SlopeIndexOfInequality.validateGroup(
                quantiles: [1, 2, 3, 4, 5], populations: [1, 1, 1, 1, 1], values: [1, 1, 1, 1, 1], expectedQuantileCount: 5)
                == nil)
    }

    @Test func reliabilityIsTheMeanDifferenceOfNineFurtherSets() throws {
        let options = SIIOptions(repetitions: 10_000, levels: [.ninetyFive], computeRII: true, reliability: true)
        let result = try Self.compute(options)
        let detail = try #require(result.reliabilityDetail?.first)
        let reliability = try #require(result.reliability?.first)
        #expect(reliability == (detail.siiLower + detail.siiUpper) / 2)
        // Monte Carlo noise of a 2.5% point of 10,000 draws: about 0.6% of the half-width of 3.8.
        #expect(reliability > 0 && reliability < 0.1)
        #expect((detail.riiLower ?? 0) > 0)
        // Set 1 is the reported set: the same as a run without reliability.
        let plain = try Self.compute(SIIOptions(repetitions: 10_000, levels: [.ninetyFive], computeRII: true))
        #expect(plain.sii == result.sii)
        #expect(plain.rii == result.rii)
    }

    @Test func noLevelsMeansNoSimulation() throws {
        var rng = Xoshiro256StarStar(seed: 3)
        let before = rng
        let result = try SlopeIndexOfInequality.compute(
            populations: Self.populations, values: Self.values, standardErrors: Self.errors,
            options: SIIOptions(levels: [], computeRII: true), using: &rng)
        #expect(result.sii.limits.isEmpty)
        #expect(rng == before)
        expectClose(result.sii.value, 6.934616473668819, relative: 1e-9)
    }
}

// MARK: - The direct method's streaming order statistics

@Suite struct SlopeIndexOfInequalityStreamingTests {
    /// Every case of the direct method: value type, transform, RII.
    static let cases: [(SIIValueType, Bool, Bool)] = [
        (.untransformed, false, true), (.untransformed, false, false), (.rate, false, true), (.rate, false, false),
        (.proportion, false, true), (.rate, true, false), (.proportion, true, false),
    ]

    /// The fixture's area 1 inputs for a value type.
    static func inputs(_ type: SIIValueType) -> (populations: [Double], values: [Double], errors: [Double]) {
        let description: String
        switch type {
        case .untransformed: description = "default (e.g. life expectancy) - default parameters"
        case .rate: description = "rate (e.g. infant mortality) - default parameters"
        case .proportion: description = "proportion (e.g. child obesity) - default parameters"
        }
        let rows = SIIFixture.areas(description)[0].rows
        return (
            SIIFixture.column(rows, "Population").map { $0! }, SIIFixture.column(rows, "Value").map { $0! },
            SIIFixture.column(rows, "StandardError").map { $0! }
        )
    }

    /// One simulation set of the direct method, streamed or recomputed into arrays.
    static func simulate(
        _ type: SIIValueType, transform: Bool, rii: Bool, repetitions: Int, forceRecompute: Bool, seed: UInt64
    ) -> (slopes: [Double], ratios: [Double]?, rng: Xoshiro256StarStar, recomputed: Int) {
        let input = inputs(type)
        let plan = SlopeIndexOfInequality.SimulationPlan(
            design: SlopeIndexOfInequality.Design(populations: input.populations),
            means: input.values.map { SlopeIndexOfInequality.forward($0, type) }, standardErrors: input.errors,
            valueType: type, transform: transform, needRatios: rii && !transform, repetitions: repetitions, method: .direct)
        var workspace = SlopeIndexOfInequality.SimulationWorkspace(plan: plan)
        workspace.forceRecompute = forceRecompute
        let ranks = ConfidenceLevel.defaults.flatMap { level in
            let pair = SlopeIndexOfInequality.orderStatisticRanks(level: level, repetitions: repetitions)
            return [pair.low, pair.high]
        }
        var rng = Xoshiro256StarStar(seed: seed)
        let (slopes, ratios) = workspace.run(plan, ranks: ranks, using: &rng)
        return (slopes, ratios, rng, workspace.recomputedSets)
    }

    /// The streamed order statistics are exactly those of all R values: the recompute path
    /// keeps every value in arrays and selects there (`Selection.orderStatistics`), from the
    /// same draws, and must agree to the bit, and leave the stream in the same state.
    @Test(arguments: [10_000, 100_000])
    func streamingEqualsSelectionOverAllValues(repetitions: Int) {
        for (type, transform, rii) in Self.cases {
            let context = "\(type), transform \(transform), RII \(rii), R = \(repetitions)"
            let streamed = Self.simulate(
                type, transform: transform, rii: rii, repetitions: repetitions, forceRecompute: false, seed: 31)
            let arrays = Self.simulate(
                type, transform: transform, rii: rii, repetitions: repetitions, forceRecompute: true, seed: 31)
            #expect(streamed.recomputed == 0, "\(context)")
            #expect(arrays.recomputed == 1, "\(context)")
            #expect(streamed.slopes == arrays.slopes, "\(context)")
            #expect(streamed.ratios == arrays.ratios, "\(context)")
            #expect((streamed.ratios != nil) == (rii && !transform), "\(context)")
            #expect(streamed.rng == arrays.rng, "\(context)")
        }
    }

    /// A set no longer than the pilot is selected directly, and R not a multiple of the
    /// block sizes is covered.
    @Test(arguments: [1_000, 8_192, 8_193, 12_345])
    func setsOfAnyLengthAreExact(repetitions: Int) {
        for (type, transform, rii) in [(SIIValueType.untransformed, false, true), (.rate, false, true)] {
            let streamed = Self.simulate(
                type, transform: transform, rii: rii, repetitions: repetitions, forceRecompute: false, seed: 8)
            let arrays = Self.simulate(
                type, transform: transform, rii: rii, repetitions: repetitions, forceRecompute: true, seed: 8)
            #expect(streamed.slopes == arrays.slopes, "\(type), R = \(repetitions)")
            #expect(streamed.ratios == arrays.ratios, "\(type), R = \(repetitions)")
        }
    }
}

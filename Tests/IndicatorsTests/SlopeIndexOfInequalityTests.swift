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
        SIIScenario(description: "rate (e.g. infant mortality) - log transform with negative multiplier", multiplier: -1, transform: true),
        SIIScenario(description: "rate (e.g. infant mortality) - log transform with 98% CI", levels: [98], transform: true),
        SIIScenario(description: "rate (e.g. infant mortality) - log transform without rii", transform: true, computeRII: false),
        SIIScenario(description: "proportion (e.g. child obesity) - logit transform without rii", transform: true, computeRII: false),
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
    static func run(_ scenario: SIIScenario, method: SIISimulation, repetitions: Int? = nil) throws -> [(area: String, rows: [[String: String]], result: SIIResult)] {
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
        for row in SIIFixture.rows where !seen.contains(row["TestDescription"] ?? "") { seen.append(row["TestDescription"] ?? "") }
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

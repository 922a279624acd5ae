import Foundation
import Testing
import _TestSupport

@testable import Indicators

/// The rows of a worked example in `../shared/reference/methods/` (empty when it cannot be read;
/// each suite checks the row count, so a missing file fails).
func workedExampleRows(_ file: String) -> [FixtureRow] {
    let url = Fixtures.shared.appendingPathComponent("reference/methods").appendingPathComponent(file)
    guard let table = try? Fixtures.table(url) else { return [] }
    return table.enumerated().map { FixtureRow(file: file, line: $0.offset + 2, fields: $0.element) }
}

@Suite struct BenchmarkComparisonTests {
    static let controlRows = workedExampleRows("comparisons_fingertips.csv")
    static let twoLevelRows = workedExampleRows("comparisons_two_levels.csv")

    @Test func fixturesAreComplete() {
        #expect(Self.controlRows.count == 10)
        #expect(Self.twoLevelRows.count == 6)
    }

    /// comparisons_fingertips: control limits for proportions (1e-9 relative) and DSRs (1e-6
    /// relative: Fingertips finds the Poisson means by a search that stops at a tolerance, about
    /// 2.5e-7 relative here; we take the exact gamma quantile), and every outcome exactly.
    @Test(arguments: controlRows)
    func controlLimitsMatchTheFingertipsTests(row: FixtureRow) throws {
        let valueType: ControlLimitValueType = row["method"].hasSuffix("proportion") ? .proportion : .dsr
        let level = try #require(row.number("level").flatMap { ConfidenceLevel($0) }, "\(row)")
        let polarity = try #require(Polarity(rawValue: row["polarity"]), "\(row)")
        let basis = ControlLimitsBasis(
            denominator: row.number("denominator"), unit: try #require(row.number("unit")), valueType: valueType)
        let result = try BenchmarkComparison.compare(
            value: row.number("value"), lower95: nil, upper95: nil, benchmark: row.number("benchmark"),
            polarity: polarity, method: .controlLimits, controlBasis: basis, controlLevels: [level])
        #expect(result.outcome.rawValue == row["outcome"], "\(row)")
        #expect(result.reason == nil)
        try #require(result.controlLimits.count == 1)
        let tolerance = valueType == .proportion ? 1e-9 : 1e-6
        expectClose(result.controlLimits[0].lower, row.number("lower_limit"), relative: tolerance, "lower, \(row)")
        expectClose(result.controlLimits[0].upper, row.number("upper_limit"), relative: tolerance, "upper, \(row)")
    }

    /// comparisons_two_levels: similar inside 95%, better/worse inside 99.8%, best/worst beyond.
    @Test(arguments: twoLevelRows)
    func twoLevelOutcomesMatchTheFingertipsTests(row: FixtureRow) throws {
        let polarity = try #require(Polarity(rawValue: row["polarity"]), "\(row)")
        let result = try BenchmarkComparison.compare(
            value: row.number("value"), lower95: row.number("lower95_0cl"), upper95: row.number("upper95_0cl"),
            lower99_8: row.number("lower99_8cl"), upper99_8: row.number("upper99_8cl"),
            benchmark: row.number("benchmark"), polarity: polarity, method: .ci95And99_8)
        #expect(result.outcome.rawValue == row["outcome"], "\(row)")
    }

    @Test func oneLevelAndPolarity() throws {
        func outcome(_ benchmark: Double, _ polarity: Polarity) throws -> ComparisonOutcome {
            try BenchmarkComparison.compare(
                value: 2.6, lower95: 2.5, upper95: 2.7, benchmark: benchmark, polarity: polarity
            ).outcome
        }
        #expect(try outcome(3, .lowIsGood) == .better)
        #expect(try outcome(3, .highIsGood) == .worse)
        #expect(try outcome(3, .neutral) == .lower)
        #expect(try outcome(2, .neutral) == .higher)
        #expect(try outcome(2, .highIsGood) == .better)
        // Bounds are inclusive.
        #expect(try outcome(2.7, .highIsGood) == .similar)
        #expect(try outcome(2.5, .lowIsGood) == .similar)
        // The neutral words ignore the second level.
        let neutral = try BenchmarkComparison.compare(
            value: 2.6, lower95: 2.5, upper95: 2.7, lower99_8: 2.3, upper99_8: 2.9, benchmark: 3, polarity: .neutral,
            method: .ci95And99_8)
        #expect(neutral.outcome == .lower)
    }

    @Test func overlappingIntervals() throws {
        func outcome(_ bl: Double, _ b: Double, _ bu: Double) throws -> ComparisonOutcome {
            try BenchmarkComparison.compare(
                value: 10, lower95: 9, upper95: 11, benchmark: b, benchmarkLower95: bl, benchmarkUpper95: bu,
                polarity: .highIsGood, method: .overlap
            ).outcome
        }
        #expect(try outcome(11.5, 12, 13) == .worse)  // the lower item's U95 11 < 11.5
        #expect(try outcome(10.5, 12, 13) == .similar)
        #expect(try outcome(11, 12, 13) == .similar)  // touching counts as overlapping
        #expect(try outcome(6, 7, 8.9) == .better)
        #expect(try outcome(6, 7, 9) == .similar)
        // The ci95 method would call the last case better: B = 7 is outside [9, 11].
        #expect(
            try BenchmarkComparison.compare(value: 10, lower95: 9, upper95: 11, benchmark: 7, polarity: .highIsGood).outcome
                == .better)
    }

    @Test func notComparedSaysWhy() throws {
        func reason(
            value: Double? = 10, lower95: Double? = 9, upper95: Double? = 11, lower99_8: Double? = nil,
            upper99_8: Double? = nil, benchmark: Double? = 12, polarity: Polarity = .highIsGood,
            method: ComparisonMethod = .ci95, basis: ControlLimitsBasis? = nil
        ) throws -> String? {
            let result = try BenchmarkComparison.compare(
                value: value, lower95: lower95, upper95: upper95, lower99_8: lower99_8, upper99_8: upper99_8,
                benchmark: benchmark, polarity: polarity, method: method, controlBasis: basis)
            #expect((result.outcome == .notCompared) == (result.reason != nil))
            return result.outcome == .notCompared ? result.reason : nil
        }
        #expect(try reason(polarity: .notApplicable) == "polarity is not_applicable: this indicator is never compared")
        #expect(try reason(value: nil) == "value missing")
        #expect(try reason(value: .nan) == "value missing")
        #expect(try reason(benchmark: nil) == "benchmark value missing")
        #expect(try reason(lower95: nil) == "lower 95% limit missing")
        #expect(try reason(upper95: nil) == "upper 95% limit missing")
        #expect(try reason(lower95: nil, upper95: nil) == "95% limits missing")
        #expect(try reason(lower95: 11, upper95: 9) == "the lower 95% limit 11 is above the upper 9")
        #expect(
            try reason(upper99_8: 13, method: .ci95And99_8)
                == "lower 99.8% limit missing (ci95_99_8 needs them)")
        // Inside the 95% interval the 99.8% limits are not needed.
        #expect(try reason(benchmark: 10, method: .ci95And99_8) == nil)
        #expect(
            try reason(method: .overlap) == "benchmark 95% limits missing (the overlap method needs them)")
        let missingDenominator = ControlLimitsBasis(denominator: nil, unit: 100, valueType: .proportion)
        #expect(try reason(method: .controlLimits, basis: missingDenominator) == "denominator missing")
        let zeroDenominator = ControlLimitsBasis(denominator: 0, unit: 100, valueType: .dsr)
        #expect(try reason(method: .controlLimits, basis: zeroDenominator) == "denominator 0 is not positive")
        #expect(ComparisonOutcome.notCompared.fingertipsLabel == "Not compared")
        #expect(ComparisonOutcome.better.fingertipsLabel == "Better")
    }

    @Test func controlLimitRequestsThatCannotBeCarriedOutThrow() {
        #expect(
            throws: IndicatorError(
                "the control_limits method needs a denominator, unit and value type (proportion or dsr)")
        ) {
            try BenchmarkComparison.compare(
                value: 1, lower95: nil, upper95: nil, benchmark: 2, polarity: .lowIsGood, method: .controlLimits)
        }
        #expect(throws: IndicatorError.self) {
            try BenchmarkComparison.compare(
                value: 1, lower95: nil, upper95: nil, benchmark: 2, polarity: .lowIsGood, method: .controlLimits,
                controlBasis: ControlLimitsBasis(denominator: 100, unit: 0, valueType: .dsr))
        }
        #expect(throws: IndicatorError.self) {
            try BenchmarkComparison.controlLimits(
                benchmark: 120, basis: ControlLimitsBasis(denominator: 100, unit: 100, valueType: .proportion),
                level: .ninetyFive)
        }
    }

    /// Two control-limit levels give the two-level words: better inside 99.8%, best beyond it.
    @Test func twoControlLevels() throws {
        let basis = ControlLimitsBasis(denominator: 5930, unit: 100, valueType: .proportion)
        func outcome(_ value: Double) throws -> ComparisonOutcome {
            try BenchmarkComparison.compare(
                value: value, lower95: nil, upper95: nil, benchmark: 8.96110868762793, polarity: .lowIsGood,
                method: .controlLimits, controlBasis: basis, controlLevels: [level95, level998]
            ).outcome
        }
        // Limits from comparisons_fingertips.csv: 95% 8.2605–9.7149, 99.8% 7.8799–10.1743.
        #expect(try outcome(8.0) == .better)
        #expect(try outcome(7.7) == .best)
        #expect(try outcome(9.0) == .similar)
        #expect(try outcome(10.0) == .worse)
        #expect(try outcome(10.5) == .worst)
    }

    @Test func enumWordsAreTheMethodsWords() {
        #expect(
            ComparisonOutcome.allCases.map(\.rawValue) == [
                "better", "similar", "worse", "best", "worst", "higher", "lower", "not compared",
            ])
        #expect(Polarity.allCases.map(\.rawValue) == ["high_is_good", "low_is_good", "neutral", "not_applicable"])
        #expect(ComparisonMethod.allCases.map(\.rawValue) == ["ci95", "ci95_99_8", "overlap", "control_limits"])
        #expect(ControlLimitValueType.allCases.map(\.rawValue) == ["proportion", "dsr"])
    }
}

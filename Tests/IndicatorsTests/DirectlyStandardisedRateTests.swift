import Foundation
import Testing
import _TestSupport

@testable import Indicators

/// A group's rows joined to a standard by band label: the aligned columns.
func alignedColumns(
    _ rows: [FixtureRow], band bandColumn: String, columns: [String], to standard: StandardPopulation
) throws -> [[Double?]] {
    let bands = try AgeBand.resolve(labels: rows.map { $0[bandColumn] })
    return try standard.align(bands: bands, columns: columns.map { c in rows.map { $0.number(c) } })
}

/// The multiplier written in a statistic such as `dsr per 10000`; 100,000 when none is written.
func statisticMultiplier(_ statistic: String) -> Double {
    guard let range = statistic.range(of: #"per (\d+)"#, options: .regularExpression) else { return 100_000 }
    return Double(statistic[range].dropFirst(4)) ?? 100_000
}

/// Compares a result with a `testresults_DSR` row at 1e-4 relative; `levels` limit columns are checked.
func expectMatches(
    _ result: DirectlyStandardisedRateResult, _ row: FixtureRow, checking levels: Int = 2,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let tolerance = 1e-4
    expectClose(
        result.totalCount, row.number("total_count"), relative: tolerance, "total_count, \(row)",
        sourceLocation: sourceLocation)
    expectClose(
        result.totalPopulation, row.number("total_pop"), relative: tolerance, "total_pop, \(row)",
        sourceLocation: sourceLocation)
    expectClose(
        result.estimate.value, row.number("value"), relative: tolerance, "value, \(row)",
        sourceLocation: sourceLocation)
    let columns = [("lower95_0cl", "upper95_0cl"), ("lower99_8cl", "upper99_8cl")]
    for (k, (lower, upper)) in columns.prefix(levels).enumerated() {
        guard k < result.estimate.limits.count else {
            Issue.record("no limits at level \(k), \(row)", sourceLocation: sourceLocation)
            return
        }
        expectClose(
            result.estimate.limits[k].lower, row.number(lower), relative: tolerance, "\(lower), \(row)",
            sourceLocation: sourceLocation)
        expectClose(
            result.estimate.limits[k].upper, row.number(upper), relative: tolerance, "\(upper), \(row)",
            sourceLocation: sourceLocation)
    }
    if row["statistic"].contains("total count < 10") {
        #expect(
            result.estimate.note == DirectlyStandardisedRate.smallCountNote, "\(row)",
            sourceLocation: sourceLocation)
    } else {
        #expect(result.estimate.note == nil, "\(row)", sourceLocation: sourceLocation)
    }
}

@Suite struct DirectlyStandardisedRateTests {
    static let results = fixtureRows("testdata_DSR_ISR__testresults_DSR.csv")
    static let multiarea = fixtureRows("testdata_DSR_ISR__testdata_multiarea.csv")
    static let esp1976Rows = fixtureRows("testdata_DSR_ISR__testdata_1976.csv")
    static let nonIndependent = fixtureRows("testdata_DSR_ISR__testdata_nonindepe.csv")

    static let esp2013 = StandardPopulation.esp2013
    static let labels2013 = StandardPopulation.esp2013.bands.map(\.label)

    static let multiareaResults = results.filter { ["testdata_big", "testdata_small", "testdata_tiny"].contains($0["area"]) }
    static let nonIndependentResults = results.filter { $0["area"].hasPrefix("testdata_nonind_") }

    @Test func fixturesAreComplete() {
        #expect(Self.results.count == 12)
        #expect(Self.multiareaResults.count == 6)
        #expect(Self.nonIndependentResults.count == 4)
        #expect(Self.multiarea.count == 57)
        #expect(Self.esp1976Rows.count == 18)
        #expect(Self.nonIndependent.count == 76)
    }

    /// Computes one multiarea group, joined to ESP2013 by band label.
    static func multiareaResult(area: String, multiplier: Double) throws -> DirectlyStandardisedRateResult {
        let rows = multiarea.filter { $0["area"] == area }
        let aligned = try alignedColumns(rows, band: "ageband", columns: ["count", "pop"], to: esp2013)
        return try DirectlyStandardisedRate.compute(
            counts: aligned[0], populations: aligned[1], weights: esp2013.weights, bandLabels: labels2013,
            levels: ConfidenceLevel.defaults, multiplier: multiplier)
    }

    /// testdata_multiarea → testresults_DSR (big, small, tiny; per 10,000 and 100,000; 1e-4 relative).
    @Test(arguments: multiareaResults)
    func multiareaMatchesTheReference(row: FixtureRow) throws {
        let result = try Self.multiareaResult(area: row["area"], multiplier: statisticMultiplier(row["statistic"]))
        expectMatches(result, row)
    }

    /// testdata_1976 with the weights of its `esp1976` column joined by band (95% only: the
    /// reference's 99.8% columns are known to be wrong; 1e-4 relative).
    @Test(arguments: results.filter { $0["area"] == "testdata_1976" })
    func esp1976MatchesTheReferenceAt95(row: FixtureRow) throws {
        let rows = Self.esp1976Rows
        let bands = try AgeBand.resolve(labels: rows.map { $0["Age Band"] })
        let weights = rows.map { $0.number("esp1976") ?? .nan }
        let standard = try StandardPopulation(name: "esp1976 column", bands: bands, weights: weights)
        #expect(standard.weights == StandardPopulation.esp1976.weights)
        #expect(standard.bands == StandardPopulation.esp1976.bands)
        let aligned = try alignedColumns(rows, band: "Age Band", columns: ["count", "pop"], to: standard)
        let result = try DirectlyStandardisedRate.compute(
            counts: aligned[0], populations: aligned[1], weights: standard.weights,
            bandLabels: standard.bands.map(\.label), levels: [level95],
            multiplier: statisticMultiplier(row["statistic"]))
        expectMatches(result, row, checking: 1)
    }

    /// testdata_nonindepe (people by number of events, f1…f4, blank = 0) → the testdata_nonind_* rows (1e-4 relative).
    @Test(arguments: nonIndependentResults)
    func nonIndependentEventsMatchTheReference(row: FixtureRow) throws {
        let rows = Self.nonIndependent.filter { $0["area"] == row["area"] }
        try #require(rows.count == 19, "\(row)")
        let frequencyColumns = ["f1", "f2", "f3", "f4"]
        let aligned = try alignedColumns(
            rows, band: "ageband", columns: ["count", "pop"] + frequencyColumns, to: Self.esp2013)
        let frequencies = Self.esp2013.bands.indices.map { j in frequencyColumns.indices.map { aligned[2 + $0][j] } }
        // The fixture's count column is Σ f·x_f; check that we read the frequencies as it does.
        for j in frequencies.indices {
            let events = frequencies[j].enumerated().reduce(0.0) { $0 + Double($1.offset + 1) * ($1.element ?? 0) }
            #expect(events == aligned[0][j], "band \(Self.labels2013[j]), \(row)")
        }
        let result = try DirectlyStandardisedRate.computeNonIndependent(
            frequencies: frequencies, populations: aligned[1], weights: Self.esp2013.weights,
            bandLabels: Self.labels2013, levels: ConfidenceLevel.defaults,
            multiplier: statisticMultiplier(row["statistic"]))
        expectMatches(result, row)
    }

    @Test func oneEventPerPersonIsTheOrdinaryDSR() throws {
        let counts: [Double?] = [30, 20, nil, 45]
        let populations: [Double?] = [1000, 900, 800, 700]
        let weights: [Double] = [1, 2, 3, 4]
        let ordinary = try DirectlyStandardisedRate.compute(
            counts: counts, populations: populations, weights: weights, bandLabels: [], levels: [level95])
        let nonIndependent = try DirectlyStandardisedRate.computeNonIndependent(
            frequencies: counts.map { [$0] }, populations: populations, weights: weights, bandLabels: [],
            levels: [level95])
        expectClose(nonIndependent.estimate.value, ordinary.estimate.value, relative: 1e-14)
        expectClose(nonIndependent.estimate.limits[0].lower, ordinary.estimate.limits[0].lower, relative: 1e-14)
        expectClose(nonIndependent.estimate.limits[0].upper, ordinary.estimate.limits[0].upper, relative: 1e-14)
    }

    // MARK: - Inputs the reference rejects (testdata_err1…4)

    /// Reads an error fixture with its own `stdpop` weights, joined to ESP2013's bands by label.
    static func errorFixtureResult(_ file: String) throws -> DirectlyStandardisedRateResult {
        let rows = fixtureRows(file)
        try #require(rows.count == 19, "\(file)")
        let aligned = try alignedColumns(rows, band: "Age Band", columns: ["count", "pop", "stdpop"], to: esp2013)
        return try DirectlyStandardisedRate.compute(
            counts: aligned[0], populations: aligned[1], weights: aligned[2].map { $0 ?? .nan },
            bandLabels: labels2013, levels: ConfidenceLevel.defaults)
    }

    @Test func negativeCountIsAnError() {
        #expect(throws: IndicatorError("count must be a non-negative number", band: "25-29", value: "-26")) {
            try Self.errorFixtureResult("testdata_DSR_ISR__testdata_err1.csv")
        }
    }

    @Test func zeroPopulationIsAnErrorForADSR() throws {
        let rows = fixtureRows("testdata_DSR_ISR__testdata_err2.csv")
        let area1 = rows.filter { $0["area"] == "Area1" }
        #expect(throws: IndicatorError("population must be positive for a DSR", band: "5-9", value: "0")) {
            let aligned = try alignedColumns(area1, band: "ageband", columns: ["count", "pop"], to: Self.esp2013)
            return try DirectlyStandardisedRate.compute(
                counts: aligned[0], populations: aligned[1], weights: Self.esp2013.weights,
                bandLabels: Self.labels2013, levels: ConfidenceLevel.defaults)
        }
        // Area2 of the same file is valid: its counts are testdata_small's.
        let area2 = rows.filter { $0["area"] == "Area2" }
        let aligned = try alignedColumns(area2, band: "ageband", columns: ["count", "pop"], to: Self.esp2013)
        let result = try DirectlyStandardisedRate.compute(
            counts: aligned[0], populations: aligned[1], weights: Self.esp2013.weights,
            bandLabels: Self.labels2013, levels: ConfidenceLevel.defaults)
        let small = try #require(Self.results.first { $0["area"] == "testdata_small" && $0["statistic"] == "dsr per 100000" })
        expectMatches(result, small)
    }

    @Test func negativePopulationIsAnError() {
        #expect(throws: IndicatorError("population must be positive for a DSR", band: "5-9", value: "-558")) {
            try Self.errorFixtureResult("testdata_DSR_ISR__testdata_err3.csv")
        }
    }

    @Test func negativeWeightIsAnError() {
        #expect(throws: IndicatorError("standard weight must be a non-negative number", band: "25-29", value: "-6000")) {
            try Self.errorFixtureResult("testdata_DSR_ISR__testdata_err4.csv")
        }
    }

    @Test func missingPopulationOrWeightIsAnError() {
        #expect(throws: IndicatorError("population is missing (a DSR needs every band's population)", band: "b")) {
            try DirectlyStandardisedRate.compute(
                counts: [20, 20], populations: [100, nil], weights: [1, 1], bandLabels: ["a", "b"], levels: [level95])
        }
        #expect(throws: IndicatorError("standard weight is missing", band: "2")) {
            try DirectlyStandardisedRate.compute(
                counts: [20, 20], populations: [100, 100], weights: [1, .nan], bandLabels: [], levels: [level95])
        }
        #expect(throws: IndicatorError.self) {
            try DirectlyStandardisedRate.compute(
                counts: [20], populations: [100, 100], weights: [1, 1], bandLabels: [], levels: [level95])
        }
    }

    @Test func missingCountCountsAsZeroAndSmallTotalsAreSuppressed() throws {
        let result = try DirectlyStandardisedRate.compute(
            counts: [nil, 4, 5], populations: [100, 200, 300], weights: [1, 1, 1], bandLabels: [],
            levels: ConfidenceLevel.defaults)
        #expect(result.totalCount == 9)
        #expect(result.totalPopulation == 600)
        #expect(result.estimate == .suppressed(levels: 2, note: "total count < 10"))
        let ten = try DirectlyStandardisedRate.compute(
            counts: [nil, 5, 5], populations: [100, 200, 300], weights: [1, 1, 1], bandLabels: [],
            levels: ConfidenceLevel.defaults, multiplier: 1)
        expectClose(ten.estimate.value, (5.0 / 200 + 5.0 / 300) / 3, relative: 1e-15)
    }

    @Test func under75UsesOnlyTheBandsUpTo74() throws {
        let under75 = try Self.esp2013.restricted(to: 0...74)
        let rows = Self.multiarea.filter { $0["area"] == "testdata_big" }
        let aligned = try alignedColumns(rows, band: "ageband", columns: ["count", "pop"], to: under75)
        let result = try DirectlyStandardisedRate.compute(
            counts: aligned[0], populations: aligned[1], weights: under75.weights,
            bandLabels: under75.bands.map(\.label), levels: [level95])
        #expect(result.totalCount == 895 - 68 - 74 - 82 - 91)
        // Σ(w x/n) over the 15 bands, divided by 91,000: computed independently here.
        var sum = 0.0
        for row in rows.prefix(15) {
            let j = try #require(under75.bands.firstIndex { $0.label == row["ageband"] })
            sum += under75.weights[j] * (row.number("count") ?? 0) / (row.number("pop") ?? .nan)
        }
        expectClose(result.estimate.value, sum / 91_000 * 100_000, relative: 1e-12)
    }
}

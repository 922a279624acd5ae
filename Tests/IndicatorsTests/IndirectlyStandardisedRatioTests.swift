import Testing
import _TestSupport

@testable import Indicators

@Suite struct IndirectlyStandardisedRatioTests {
    static let results = fixtureRows("testdata_DSR_ISR__testresults_ISR.csv")
    static let perRow = fixtureRows("testdata_DSR_ISR__testdata_multiarea_isr.csv")
    static let multiarea = fixtureRows("testdata_DSR_ISR__testdata_multiarea.csv")
    static let refdata = fixtureRows("testdata_DSR_ISR__refdata.csv")
    static let lookup = fixtureRows("testdata_DSR_ISR__testdata_multiarea_lookup.csv")
    static let err2 = fixtureRows("testdata_DSR_ISR__testdata_err2.csv")

    static let testdataResults = results.filter { $0["area"].hasPrefix("testdata_") }
    static let errTwoResults = results.filter { $0["area"] == "Area1" || $0["area"] == "Area2" }

    @Test func fixturesAreComplete() {
        #expect(Self.results.count == 16)
        #expect(Self.testdataResults.count == 12)
        #expect(Self.errTwoResults.count == 4)
        #expect(Self.perRow.count == 57)
        #expect(Self.refdata.count == 19)
        #expect(Self.lookup.count == 3)
    }

    /// How a `testresults_ISR` statistic is computed: as a rate per multiplier, or a ratio × reference value.
    struct Statistic {
        var asRate: Bool
        var multiplier: Double
        var referenceValue: Double

        init(_ text: String) {
            asRate = text.contains("rate per")
            let number = text.split(separator: " ").last.flatMap { Double($0) } ?? 1
            multiplier = asRate ? number : 100_000
            referenceValue = asRate ? 1 : number
        }
    }

    /// Ways of giving the same input (METHODS.md §4): reference columns per row or a shared
    /// table joined by band, with or without the observed totals of the lookup file.
    enum InputForm: String, CaseIterable, CustomTestStringConvertible {
        case referenceColumnsPerRow, sharedReferenceTable, referenceColumnsWithObservedTotals,
            sharedReferenceWithObservedTotals
        var testDescription: String { rawValue }
        var shared: Bool { self == .sharedReferenceTable || self == .sharedReferenceWithObservedTotals }
        var totals: Bool { self == .referenceColumnsWithObservedTotals || self == .sharedReferenceWithObservedTotals }
    }

    /// The refdata table as a "standard" of bands, so that groups are joined to it by label.
    static func referenceTable() throws -> (bands: StandardPopulation, counts: [Double?], populations: [Double?]) {
        let bands = try AgeBand.resolve(labels: refdata.map { $0["Age Band"] })
        let table = try StandardPopulation(name: "refdata", bands: bands, weights: bands.map { _ in 1 })
        let columns = try table.align(
            bands: bands, columns: [refdata.map { $0.number("refcount") }, refdata.map { $0.number("refpop") }])
        return (table, columns[0], columns[1])
    }

    /// One group joined to refdata by band.
    static func sharedReferenceResult(
        rows: [FixtureRow], statistic: Statistic, levels: [ConfidenceLevel], observedTotal: Double? = nil
    ) throws -> IndirectlyStandardisedResult {
        let reference = try referenceTable()
        let aligned = try alignedColumns(rows, band: "ageband", columns: ["count", "pop"], to: reference.bands)
        let totals = (
            count: reference.counts.reduce(0) { $0 + ($1 ?? 0) },
            population: reference.populations.reduce(0) { $0 + ($1 ?? 0) }
        )
        return try IndirectlyStandardisedRatio.compute(
            counts: aligned[0], populations: aligned[1], referenceCounts: reference.counts,
            referencePopulations: reference.populations, bandLabels: reference.bands.bands.map(\.label),
            observedTotal: observedTotal, referenceTotals: totals, levels: levels, asRate: statistic.asRate,
            multiplier: statistic.multiplier, referenceValue: statistic.referenceValue)
    }

    static func expectMatches(_ result: IndirectlyStandardisedResult, _ row: FixtureRow, levels: Int, _ context: String) {
        let tolerance = 1e-4
        expectClose(result.observed, row.number("observed"), relative: tolerance, "observed, \(context), \(row)")
        expectClose(result.expected, row.number("expected"), relative: tolerance, "expected, \(context), \(row)")
        expectClose(result.referenceRate, row.number("ref_rate"), relative: tolerance, "ref_rate, \(context), \(row)")
        expectClose(result.estimate.value, row.number("value"), relative: tolerance, "value, \(context), \(row)")
        #expect(result.estimate.note == nil, "\(context), \(row)")
        let columns = [("lower95_0cl", "upper95_0cl"), ("lower99_8cl", "upper99_8cl")]
        #expect(result.estimate.limits.count == levels, "\(context), \(row)")
        for (k, (lower, upper)) in columns.prefix(levels).enumerated() where k < result.estimate.limits.count {
            let limits = result.estimate.limits[k]
            expectClose(limits.lower, row.number(lower), relative: tolerance, "\(lower), \(context), \(row)")
            expectClose(limits.upper, row.number(upper), relative: tolerance, "\(upper), \(context), \(row)")
        }
        #expect(PoissonLimits.method(forCount: result.observed) == row["method"], "\(context), \(row)")
    }

    /// testresults_ISR, testdata_* rows: ratio ×1 and ×100, rate per 100,000 and per 1,000,
    /// from each input form (1e-4 relative).
    @Test(arguments: testdataResults, InputForm.allCases)
    func multiareaMatchesTheReference(row: FixtureRow, form: InputForm) throws {
        let area = row["area"]
        let statistic = Statistic(row["statistic"])
        let observedTotal = form.totals ? Self.lookup.first { $0["area"] == area }?.number("total_count") : nil
        if form.totals { try #require(observedTotal != nil, "no lookup total for \(area)") }
        let result: IndirectlyStandardisedResult
        if form.shared {
            let rows = Self.multiarea.filter { $0["area"] == area }
            result = try Self.sharedReferenceResult(
                rows: rows, statistic: statistic, levels: ConfidenceLevel.defaults, observedTotal: observedTotal)
        } else {
            let rows = Self.perRow.filter { $0["area"] == area }
            let aligned = try alignedColumns(
                rows, band: "ageband", columns: ["count", "pop", "refcount", "refpop"], to: .esp2013)
            result = try IndirectlyStandardisedRatio.compute(
                counts: aligned[0], populations: aligned[1], referenceCounts: aligned[2],
                referencePopulations: aligned[3], bandLabels: StandardPopulation.esp2013.bands.map(\.label),
                observedTotal: observedTotal, levels: ConfidenceLevel.defaults, asRate: statistic.asRate,
                multiplier: statistic.multiplier, referenceValue: statistic.referenceValue)
        }
        Self.expectMatches(result, row, levels: 2, form.rawValue)
    }

    /// testresults_ISR, Area1/Area2: testdata_err2 joined to refdata by band; Area1 has a
    /// population of 0 in 5-9, which is valid for an ISR. 95% only (the 99.8% columns are empty).
    @Test(arguments: errTwoResults)
    func zeroPopulationIsValidForAnISR(row: FixtureRow) throws {
        #expect(row.number("lower99_8cl") == nil && row.number("upper99_8cl") == nil)
        let rows = Self.err2.filter { $0["area"] == row["area"] }
        try #require(rows.count == 19)
        let result = try Self.sharedReferenceResult(rows: rows, statistic: Statistic(row["statistic"]), levels: [level95])
        Self.expectMatches(result, row, levels: 1, "err2 joined to refdata")
    }

    // MARK: - Errors and edge cases

    static func errorFixture(_ file: String) throws -> IndirectlyStandardisedResult {
        let rows = fixtureRows(file)
        try #require(rows.count == 19)
        let reference = try referenceTable()
        let aligned = try alignedColumns(rows, band: "Age Band", columns: ["count", "pop"], to: reference.bands)
        return try IndirectlyStandardisedRatio.compute(
            counts: aligned[0], populations: aligned[1], referenceCounts: reference.counts,
            referencePopulations: reference.populations, bandLabels: reference.bands.bands.map(\.label),
            levels: ConfidenceLevel.defaults)
    }

    @Test func negativeCountIsAnError() {
        #expect(throws: IndicatorError("count must be a non-negative number", band: "25-29", value: "-26")) {
            try Self.errorFixture("testdata_DSR_ISR__testdata_err1.csv")
        }
    }

    @Test func negativePopulationIsAnError() {
        #expect(throws: IndicatorError("population must be a non-negative number", band: "5-9", value: "-558")) {
            try Self.errorFixture("testdata_DSR_ISR__testdata_err3.csv")
        }
    }

    @Test func missingOrNonPositiveReferencePopulationIsAnError() {
        #expect(throws: IndicatorError("reference population is missing", band: "b")) {
            try IndirectlyStandardisedRatio.compute(
                counts: [1, 2], populations: [10, 20], referenceCounts: [1, 1], referencePopulations: [10, nil],
                bandLabels: ["a", "b"], levels: [level95])
        }
        #expect(throws: IndicatorError("reference population must be positive", band: "a", value: "0")) {
            try IndirectlyStandardisedRatio.compute(
                counts: [1, 2], populations: [10, 20], referenceCounts: [1, 1], referencePopulations: [0, 10],
                bandLabels: ["a", "b"], levels: [level95])
        }
    }

    @Test func zeroExpectedIsSuppressedWithANote() throws {
        let result = try IndirectlyStandardisedRatio.compute(
            counts: [3], populations: [10], referenceCounts: [0], referencePopulations: [100], bandLabels: [],
            levels: ConfidenceLevel.defaults)
        #expect(result.estimate == .suppressed(levels: 2, note: "expected count is 0"))
        #expect(result.observed == 3)
    }

    @Test func zeroObservedHasExactLimitsFromZero() throws {
        let result = try IndirectlyStandardisedRatio.compute(
            counts: [0, nil], populations: [100, 100], referenceCounts: [5, 5], referencePopulations: [100, 100],
            bandLabels: [], levels: [level95])
        #expect(result.estimate.value == 0)
        #expect(result.estimate.limits[0].lower == 0)
        expectClose(result.expected, 10, relative: 1e-15)
        expectClose(result.estimate.limits[0].upper, 0.3688879454113936, relative: 1e-9)
    }
}

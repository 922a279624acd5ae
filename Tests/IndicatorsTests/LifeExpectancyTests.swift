import Foundation
import Testing
import _TestSupport

@testable import Indicators

/// The one 20-band life table of `life_expectancy_chiang_silcocks.csv`.
struct LifeTableFixture {
    var startAges: [Int]
    var deaths: [Double]
    var populations: [Double]
    var expectedValue: [Double]
    var expectedLower95: [Double]
    var expectedUpper95: [Double]

    static func load() throws -> LifeTableFixture {
        let rows = try Fixtures.table(Fixtures.reference("life_expectancy_chiang_silcocks.csv"))
        func column(_ name: String) throws -> [Double] {
            try rows.map { try #require(fixtureNumber($0[name]), "column \(name)") }
        }
        return LifeTableFixture(
            startAges: try column("start_age").map { Int($0) },
            deaths: try column("deaths"),
            populations: try column("population"),
            expectedValue: try column("expected_le"),
            expectedLower95: try column("expected_lower95"),
            expectedUpper95: try column("expected_upper95"))
    }

    /// The fixture's inputs as optionals, with `change` applied to band `band` (by start age).
    func inputs(
        changingBand band: Int? = nil, deaths newDeaths: Double?? = .none, population newPopulation: Double?? = .none
    ) -> (startAges: [Int], deaths: [Double?], populations: [Double?]) {
        var d: [Double?] = deaths
        var p: [Double?] = populations
        if let band, let i = startAges.firstIndex(of: band) {
            if case .some(let v) = newDeaths { d[i] = v }
            if case .some(let v) = newPopulation { p[i] = v }
        }
        return (startAges, d, p)
    }
}

@Suite struct LifeExpectancyTests {
    // README: "4 decimal places"; the fixture used z = 1.96, we use the exact quantile
    // (the difference is under 6e-6).
    static let tolerance = 1e-4

    @Test func startAgesAreTheTwentyStandardBands() {
        #expect(LifeExpectancy.startAges == [0, 1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90])
        #expect(LifeExpectancy.bandLabels.first == "0")
        #expect(LifeExpectancy.bandLabels[1] == "1-4")
        #expect(LifeExpectancy.bandLabels[2] == "5-9")
        #expect(LifeExpectancy.bandLabels.last == "90+")
    }

    @Test func referenceTableAtEveryStartAge() throws {
        let f = try LifeTableFixture.load()
        let result = LifeExpectancy.compute(
            startAges: f.startAges, deaths: f.deaths, populations: f.populations, levels: ConfidenceLevel.defaults)
        try #require(result.count == 20)
        #expect(f.startAges == LifeExpectancy.startAges)
        for i in 0..<20 {
            let age = "start age \(f.startAges[i])"
            #expect(result[i].note == nil, "\(age)")
            expectClose(result[i].value, f.expectedValue[i], absolute: Self.tolerance, "e, \(age)")
            expectClose(result[i].limits[0].lower, f.expectedLower95[i], absolute: Self.tolerance, "lower 95%, \(age)")
            expectClose(result[i].limits[0].upper, f.expectedUpper95[i], absolute: Self.tolerance, "upper 95%, \(age)")
        }
    }

    /// 99.8% limits: the fixture's SE is (upper − lower)/(2 × 1.96) (it used z = 1.96), so the
    /// expected 99.8% limits are e ± 3.090232·SE.
    @Test func ninetyNinePointEightLimitsFollowTheStandardError() throws {
        let f = try LifeTableFixture.load()
        let result = LifeExpectancy.compute(
            startAges: f.startAges, deaths: f.deaths, populations: f.populations, levels: ConfidenceLevel.defaults)
        let z998 = ConfidenceLevel(0.998)!.z
        #expect(abs(z998 - 3.090232) < 1e-6)
        for i in 0..<20 {
            let se = (f.expectedUpper95[i] - f.expectedLower95[i]) / (2 * 1.96)
            let age = "start age \(f.startAges[i])"
            expectClose(
                result[i].limits[1].lower, f.expectedValue[i] - z998 * se, absolute: Self.tolerance, "lower 99.8%, \(age)")
            expectClose(
                result[i].limits[1].upper, f.expectedValue[i] + z998 * se, absolute: Self.tolerance, "upper 99.8%, \(age)")
            // Both levels come from one SE: the half-widths are in the ratio of the z values.
            let half95 = try #require(result[i].limits[0].upper) - (result[i].value ?? .nan)
            let half998 = try #require(result[i].limits[1].upper) - (result[i].value ?? .nan)
            expectClose(half998 / half95, z998 / ConfidenceLevel.ninetyFive.z, relative: 1e-12, age)
        }
    }

    @Test func rowOrderDoesNotMatter() throws {
        let f = try LifeTableFixture.load()
        let order = Array((0..<20).reversed())
        let shuffled = LifeExpectancy.compute(
            startAges: order.map { f.startAges[$0] }, deaths: order.map { f.deaths[$0] },
            populations: order.map { f.populations[$0] }, levels: ConfidenceLevel.defaults)
        let sorted = LifeExpectancy.compute(
            startAges: f.startAges, deaths: f.deaths, populations: f.populations, levels: ConfidenceLevel.defaults)
        #expect(shuffled == sorted)
    }

    @Test func levelsGiveOnePairOfLimitsEach() throws {
        let f = try LifeTableFixture.load()
        let one = LifeExpectancy.compute(
            startAges: f.startAges, deaths: f.deaths, populations: f.populations, levels: [ConfidenceLevel(90)!])
        #expect(one.allSatisfy { $0.limits.count == 1 })
        let none = LifeExpectancy.compute(startAges: f.startAges, deaths: f.deaths, populations: f.populations, levels: [])
        #expect(none.allSatisfy { $0.limits.isEmpty && $0.value != nil })
    }

    // MARK: - The life table's columns

    @Test func lifeTableColumnsHoldTogether() throws {
        let f = try LifeTableFixture.load()
        let t = LifeTable(deaths: f.deaths, populations: f.populations)
        #expect(t.survivors[0] == 100_000)
        #expect(t.fractionLivedByDying[0] == 0.1 && t.fractionLivedByDying[1] == 0.5)
        #expect(Array(t.intervalWidth.prefix(3)) == [1, 4, 5])
        #expect(t.probabilityOfDying[19] == 1)
        expectClose(t.lifeTableDeaths.reduce(0, +), 100_000, relative: 1e-12, "Σd = l₁")
        expectClose(t.personYearsRemaining[0], t.personYears.reduce(0, +), relative: 1e-12, "T₁ = ΣL")
        for i in 0..<19 {
            expectClose(t.survivors[i + 1], t.survivors[i] - t.lifeTableDeaths[i], relative: 1e-12, "l, band \(i)")
            expectClose(t.lifeExpectancy[i], t.personYearsRemaining[i] / t.survivors[i], relative: 1e-12, "e, band \(i)")
            // Band 1 by hand: M = 17/7060, q = M/(1 + 0.9M).
            if i == 0 {
                let m = 17.0 / 7060
                expectClose(t.probabilityOfDying[0], m / (1 + 0.9 * m), relative: 1e-14, "q₀")
            }
        }
        // Open band by hand: M = 1937/11936, e = 1/M, SE = 1/(√D·M).
        let m = 1937.0 / 11936
        expectClose(t.lifeExpectancy[19], 1 / m, relative: 1e-14, "e₉₀")
        expectClose(t.standardError[19], 1 / (1937.0.squareRoot() * m), relative: 1e-12, "SE₉₀")
        expectClose(t.intervalWidth[19], 2 / m, relative: 1e-14, "n₉₀")
    }

    // MARK: - Suppression of the whole group

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var band: Int?
        var deaths: Double??
        var population: Double??
        var note: String
        var testDescription: String { name }
    }

    static let groupCases: [Case] = [
        Case(name: "P = 0", band: 5, population: .some(0), note: "population ≤ 0 in band 5-9"),
        Case(name: "P < 0", band: 45, population: .some(-10), note: "population ≤ 0 in band 45-49"),
        Case(name: "D < 0", band: 1, deaths: .some(-1), note: "deaths < 0 in band 1-4"),
        Case(name: "D > P", band: 90, deaths: .some(11_937), note: "deaths > population in band 90+"),
        Case(name: "missing D", band: 0, deaths: .some(nil), note: "missing deaths in band 0"),
        Case(name: "missing P", band: 85, population: .some(nil), note: "missing population in band 85-89"),
        Case(name: "NaN D", band: 20, deaths: .some(.nan), note: "missing deaths in band 20-24"),
    ]

    @Test(arguments: groupCases)
    func groupRuleGivesItsNote(c: Case) throws {
        let f = try LifeTableFixture.load()
        let input = f.inputs(changingBand: c.band, deaths: c.deaths, population: c.population)
        let result = LifeExpectancy.compute(
            startAges: input.startAges, deaths: input.deaths, populations: input.populations,
            levels: ConfidenceLevel.defaults)
        #expect(result.count == 20)
        #expect(result.allSatisfy { $0 == .suppressed(levels: 2, note: c.note) }, "\(result.first?.note ?? "no note")")
        #expect(
            LifeExpectancy.suppressionNote(
                startAges: input.startAges, deaths: input.deaths, populations: input.populations) == c.note)
    }

    @Test func totalPopulationAtMostFiveThousand() throws {
        let f = try LifeTableFixture.load()
        // 20 bands of 250 people: total exactly 5,000 is suppressed, 5,020 is not.
        let deaths = [Double](repeating: 1, count: 20)
        let small = LifeExpectancy.compute(
            startAges: f.startAges, deaths: deaths, populations: [Double](repeating: 250, count: 20),
            levels: ConfidenceLevel.defaults)
        #expect(small.allSatisfy { $0 == .suppressed(levels: 2, note: "total population ≤ 5,000") })
        let enough = LifeExpectancy.compute(
            startAges: f.startAges, deaths: deaths, populations: [Double](repeating: 251, count: 20),
            levels: ConfidenceLevel.defaults)
        // Computed (the interval is wide with so few people, but the limits are there).
        #expect(enough[0].note != "total population ≤ 5,000")
        #expect(enough[0].limits[0].lower != nil)
    }

    @Test(arguments: [
        (
            [0, 1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 90],
            "group does not have exactly the 20 life-table bands (missing 85-89)"
        ),
        (
            [0, 1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 90],
            "group does not have exactly the 20 life-table bands (repeated 90+)"
        ),
        (
            [0, 1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 3],
            "group does not have exactly the 20 life-table bands (missing 90+; unexpected start age 3)"
        ),
        (
            [Int](),
            "group does not have exactly the 20 life-table bands (missing 0, 1-4, 5-9, 10-14, 15-19, 20-24, 25-29, 30-34, 35-39, 40-44, 45-49, 50-54, 55-59, 60-64, 65-69, 70-74, 75-79, 80-84, 85-89, 90+)"
        ),
    ])
    func bandSetRule(startAges: [Int], note: String) {
        let rows = startAges.count
        let result = LifeExpectancy.compute(
            startAges: startAges, deaths: [Double?](repeating: 10, count: rows),
            populations: [Double?](repeating: 10_000, count: rows), levels: ConfidenceLevel.defaults)
        #expect(result.count == 20)
        #expect(result.allSatisfy { $0 == .suppressed(levels: 2, note: note) }, "\(result.first?.note ?? "no note")")
    }

    @Test func firstRuleInMethodOrderIsReported() throws {
        let f = try LifeTableFixture.load()
        var input = f.inputs(changingBand: 90, deaths: .some(20_000))  // D > P in 90+
        input.populations[3] = 0  // and P = 0 in 10-14: population rule comes first
        let result = LifeExpectancy.compute(
            startAges: input.startAges, deaths: input.deaths, populations: input.populations, levels: [.ninetyFive])
        #expect(result[0].note == "population ≤ 0 in band 10-14")
    }

    // MARK: - Single values

    @Test func zeroDeathsInABandAreFine() throws {
        let f = try LifeTableFixture.load()
        let input = f.inputs(changingBand: 5, deaths: .some(0))
        let result = LifeExpectancy.compute(
            startAges: input.startAges, deaths: input.deaths, populations: input.populations,
            levels: ConfidenceLevel.defaults)
        #expect(result.allSatisfy { $0.value != nil && $0.note == nil && $0.limits.allSatisfy { $0.lower != nil } })
        // Fewer deaths at 5–9 means a slightly higher e at birth than the reference.
        #expect(try #require(result[0].value) > f.expectedValue[0])
        // Above the band, the table is unchanged (e at 10 does not depend on deaths at 5–9).
        expectClose(result[3].value, f.expectedValue[3], absolute: Self.tolerance, "e at 10")
    }

    @Test func zeroDeathsInTheOpenBandBlankEveryValue() throws {
        let f = try LifeTableFixture.load()
        let input = f.inputs(changingBand: 90, deaths: .some(0))
        let result = LifeExpectancy.compute(
            startAges: input.startAges, deaths: input.deaths, populations: input.populations,
            levels: ConfidenceLevel.defaults)
        for estimate in result {
            #expect(estimate.value == nil)
            #expect(estimate.limits == [.missing, .missing])
            #expect(estimate.note == "zero deaths in band 90+: life expectancy is not finite")
        }
    }

    @Test func wideIntervalBlanksOnlyTheValue() throws {
        let f = try LifeTableFixture.load()
        // 90+: D = 1, P = 20 gives M = 0.05, e = 20, SE = 1/(√D·M) = 20: 1.96·SE > 10.
        let input = f.inputs(changingBand: 90, deaths: .some(1), population: .some(20))
        let result = LifeExpectancy.compute(
            startAges: input.startAges, deaths: input.deaths, populations: input.populations,
            levels: ConfidenceLevel.defaults)
        let last = result[19]
        #expect(last.value == nil)
        #expect(last.note == "95% interval wider than 20 years")
        let z95 = ConfidenceLevel.ninetyFive.z
        expectClose(last.limits[0].lower, 20 - z95 * 20, relative: 1e-12, "lower 95% at 90")
        expectClose(last.limits[0].upper, 20 + z95 * 20, relative: 1e-12, "upper 95% at 90")
        expectClose(last.limits[1].upper, 20 + ConfidenceLevel(99.8)!.z * 20, relative: 1e-12, "upper 99.8% at 90")
        // At birth few reach 90, so the SE there is small and the value is kept.
        #expect(result[0].value != nil && result[0].note == nil)
    }

    @Test func wideIntervalRuleUsesNinetyFiveWhateverTheLevels() throws {
        let f = try LifeTableFixture.load()
        let input = f.inputs(changingBand: 90, deaths: .some(1), population: .some(20))
        let result = LifeExpectancy.compute(
            startAges: input.startAges, deaths: input.deaths, populations: input.populations,
            levels: [ConfidenceLevel(0.5)!])
        #expect(result[19].value == nil && result[19].limits[0].lower != nil)
    }

    @Test func noSurvivorsGiveZeroWithEmptyLimits() throws {
        let f = try LifeTableFixture.load()
        // 1–4: D > P/(n·a) = P/2 makes q = 1, so nobody reaches age 5.
        let input = f.inputs(changingBand: 1, deaths: .some(600), population: .some(1_000))
        let result = LifeExpectancy.compute(
            startAges: input.startAges, deaths: input.deaths, populations: input.populations,
            levels: ConfidenceLevel.defaults)
        for i in 2..<20 {
            #expect(
                result[i] == Estimate(value: 0, limits: [.missing, .missing], note: "no survivors to this age"),
                "start age \(LifeExpectancy.startAges[i])")
        }
        // At age 1 everyone alive dies within the band, halfway through: e = n·a = 2.
        expectClose(result[1].value, 2, relative: 1e-14, "e at 1")
        #expect(result[0].value != nil && result[0].note == nil)
    }
}

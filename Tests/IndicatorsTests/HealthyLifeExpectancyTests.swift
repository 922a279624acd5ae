import Foundation
import NumericCore
import Testing
import _TestSupport

@testable import Indicators

/// The EHEMU guide's worked example (`sullivan_ehemu_*.csv`): Belgian females 2004, 19 bands
/// 0, 1–4, 5–9, …, 85+, a = 0.5, with the guide's own q₀ and L₀ = 0.2·l₀ + 0.8·l₁.
struct SullivanFixture {
    var startAges: [Int]
    var deaths: [Double]
    var populations: [Double]
    var healthy: [Double]
    var sampleSizes: [Double]
    var expected: [[String: String]]

    static let q0 = 0.00360626

    static func load() throws -> SullivanFixture {
        let input = try Fixtures.table(Fixtures.methodsReference("sullivan_ehemu_input.csv"))
        let expected = try Fixtures.table(Fixtures.methodsReference("sullivan_ehemu_expected.csv"))
        func column(_ name: String) throws -> [Double] {
            try input.map { try #require(fixtureNumber($0[name]), "column \(name)") }
        }
        return SullivanFixture(
            startAges: try column("age_start").map { Int($0) }, deaths: try column("deaths"),
            populations: try column("population"), healthy: try column("prevalence_healthy"),
            sampleSizes: try column("sample_size"), expected: expected)
    }

    /// The guide's life table: Chiang's q with a = 0.5, except the injected q₀ and L₀.
    var table: LifeTable {
        let l1 = LifeTableKernel.radix * (1 - Self.q0)
        return LifeTable(
            deaths: deaths, populations: populations, startAges: startAges,
            fractionLivedByDying: [Double](repeating: 0.5, count: startAges.count - 1),
            injectedProbabilityOfDying: [0: Self.q0], injectedPersonYears: [0: 0.2 * LifeTableKernel.radix + 0.8 * l1])
    }

    var prevalence: HealthyLifeExpectancy.Prevalence {
        HealthyLifeExpectancy.Prevalence(proportions: healthy, sampleSizes: sampleSizes)
    }
}

/// HLE computed the long way from a `LifeTable` (METHODS.md §9 written out), for comparison.
struct HandSullivan {
    var hle: Double
    var prevalenceVariance: Double
    var mortalityVariance: Double

    /// `pi` per band; `bandOf` numbers each band's prevalence band; `variance` Var(π_b) per prevalence band.
    init(table t: LifeTable, at x: Int, pi: [Double], bandOf: [Int], variance: [Int: Double]) {
        let count = t.startAges.count
        var years = 0.0
        for i in x..<count { years += pi[i] * t.personYears[i] }
        let lx = t.survivors[x]
        hle = years / lx
        var sums: [Int: Double] = [:]
        for i in x..<count { sums[bandOf[i], default: 0] += t.personYears[i] }
        prevalenceVariance = sums.reduce(0) { $0 + $1.value * $1.value * variance[$1.key]! } / (lx * lx)
        func hleAt(_ i: Int) -> Double {
            i < count ? (i..<count).reduce(0) { $0 + pi[$1] * t.personYears[$1] } / t.survivors[i] : 0
        }
        var mortality = 0.0
        for i in x..<(count - 1) {
            let span = (1 - t.fractionLivedByDying[i]) * t.intervalWidth[i] * pi[i] + hleAt(i + 1)
            let q = t.probabilityOfDying[i]
            let varP = t.deaths[i] == 0 ? 0 : q * q * (1 - q) / t.deaths[i]
            mortality += t.survivors[i] * t.survivors[i] * span * span * varP
        }
        mortalityVariance = mortality / (lx * lx)
    }
}

@Suite struct HealthyLifeExpectancyTests {
    // MARK: - The EHEMU worked example

    @Test func ehemuLifeTableAndHealthyLifeExpectancy() throws {
        let f = try SullivanFixture.load()
        let table = f.table
        let results = try HealthyLifeExpectancy.compute(table: table, prevalence: f.prevalence)
        try #require(results.count == 19 && f.expected.count == 19)
        #expect(results.map(\.startAge) == f.startAges)
        for (i, row) in f.expected.enumerated() {
            let age = "age \(f.startAges[i])"
            func expected(_ name: String) throws -> Double { try #require(fixtureNumber(row[name]), "\(name), \(age)") }
            let r = results[i]
            // Every column to 1e-9 relative (the README's rule for digits not printed).
            expectClose(table.probabilityOfDying[i], try expected("q"), relative: 1e-9, "q, \(age)")
            expectClose(table.survivors[i], try expected("l"), relative: 1e-9, "l, \(age)")
            expectClose(table.personYears[i], try expected("L"), relative: 1e-9, "L, \(age)")
            expectClose(r.lifeExpectancy, try expected("e"), relative: 1e-9, "e, \(age)")
            expectClose(r.healthyLifeExpectancy.value, try expected("dfle"), relative: 1e-9, "DFLE, \(age)")
            expectClose(r.percentInGoodHealth, try expected("percent_dfle"), relative: 1e-9, "%, \(age)")
            expectClose(r.prevalenceVariance, try expected("var_prevalence"), relative: 1e-9, "var prevalence, \(age)")
            expectClose(
                r.mortalityVariance, try expected("var_mortality"), relative: 1e-9, absolute: 1e-15, "var mortality, \(age)")
            expectClose(r.standardError.map { $0 * $0 }, try expected("var_total"), relative: 1e-9, "var total, \(age)")
            expectClose(
                r.yearsInPoorerHealth, try expected("e") - expected("dfle"), relative: 1e-9, "poorer health, \(age)")
            #expect(r.note == nil, "\(age)")
            // The printed rows, to half a unit in the printed place.
            if row["published"] == "yes" {
                func printed(_ actual: Double?, _ name: String, places: Int) throws {
                    let value = try #require(actual, "\(name), \(age)")
                    let unit = pow(10, Double(-places))
                    let shown = (try expected(name) / unit).rounded() * unit
                    #expect(abs(value - shown) <= unit / 2, "\(name) \(value) prints as \(shown), \(age)")
                }
                try printed(r.lifeExpectancy, "e", places: 2)
                try printed(r.healthyLifeExpectancy.value, "dfle", places: 2)
                try printed(r.percentInGoodHealth, "percent_dfle", places: 1)
                try printed(r.prevalenceVariance, "var_prevalence", places: 5)
                try printed(r.mortalityVariance, "var_mortality", places: 5)
                try printed(r.standardError.map { $0 * $0 }, "var_total", places: 5)
            }
        }
    }

    @Test func ehemuLimitsFollowTheStandardError() throws {
        let f = try SullivanFixture.load()
        let levels = [ConfidenceLevel.ninetyFive, ConfidenceLevel(99.8)!]
        let results = try HealthyLifeExpectancy.compute(
            table: f.table, prevalence: f.prevalence, ages: [0, 65], levels: levels)
        #expect(results.map(\.startAge) == [0, 65])
        for r in results {
            let hle = try #require(r.healthyLifeExpectancy.value), se = try #require(r.standardError)
            for (k, level) in levels.enumerated() {
                expectClose(r.healthyLifeExpectancy.limits[k].lower, hle - level.z * se, relative: 1e-14)
                expectClose(r.healthyLifeExpectancy.limits[k].upper, hle + level.z * se, relative: 1e-14)
            }
        }
    }

    @Test func prevalenceOnlyVarianceLeavesOutMortality() throws {
        let f = try SullivanFixture.load()
        let both = try HealthyLifeExpectancy.compute(table: f.table, prevalence: f.prevalence)
        let prevalenceOnly = try HealthyLifeExpectancy.compute(
            table: f.table, prevalence: f.prevalence, variance: .prevalence)
        for (b, p) in zip(both, prevalenceOnly) {
            #expect(p.mortalityVariance == nil)
            #expect(p.prevalenceVariance == b.prevalenceVariance)
            expectClose(p.standardError.map { $0 * $0 }, b.prevalenceVariance, relative: 1e-14, "age \(p.startAge)")
            #expect(p.healthyLifeExpectancy.value == b.healthyLifeExpectancy.value)
        }
    }

    // MARK: - Chiang II end to end

    /// The 20-band reference table with a made-up prevalence falling with age.
    static func referencePrevalence() -> (pi: [Double], n: [Double]) {
        let pi = (0..<20).map { 0.97 - 0.03 * Double($0) }
        let n = (0..<20).map { 200 + 10 * Double($0) }
        return (pi, n)
    }

    @Test func chiangTablesEndToEnd() throws {
        let f = try LifeTableFixture.load()
        let (pi, n) = Self.referencePrevalence()
        let results = try HealthyLifeExpectancy.compute(
            startAges: f.startAges, deaths: f.deaths, populations: f.populations,
            prevalence: .init(proportions: pi, sampleSizes: n), ages: LifeExpectancy.startAges)
        let le = LifeExpectancy.compute(startAges: f.startAges, deaths: f.deaths, populations: f.populations)
        let table = LifeTable(deaths: f.deaths, populations: f.populations)
        let variance = Dictionary(uniqueKeysWithValues: (0..<20).map { ($0, pi[$0] * (1 - pi[$0]) / n[$0]) })
        for (i, r) in results.enumerated() {
            let age = "age \(r.startAge)"
            let hand = HandSullivan(table: table, at: i, pi: pi, bandOf: Array(0..<20), variance: variance)
            #expect(r.lifeExpectancy == le[i].value, "\(age)")
            expectClose(r.lifeExpectancy, f.expectedValue[i], absolute: 1e-4, "e against the PHE reference, \(age)")
            expectClose(r.healthyLifeExpectancy.value, hand.hle, relative: 1e-12, "HLE, \(age)")
            expectClose(r.prevalenceVariance, hand.prevalenceVariance, relative: 1e-10, "var prevalence, \(age)")
            expectClose(r.mortalityVariance, hand.mortalityVariance, relative: 1e-10, "var mortality, \(age)")
            let hle = try #require(r.healthyLifeExpectancy.value), e = try #require(r.lifeExpectancy)
            expectClose(r.yearsInPoorerHealth, e - hle, relative: 1e-14, age)
            expectClose(r.percentInGoodHealth, 100 * hle / e, relative: 1e-14, age)
            #expect(hle < e)
        }
    }

    @Test func fullHealthGivesLifeExpectancy() throws {
        let f = try LifeTableFixture.load()
        let ones = [Double](repeating: 1, count: 20)
        let results = try HealthyLifeExpectancy.compute(
            startAges: f.startAges, deaths: f.deaths, populations: f.populations,
            prevalence: .init(proportions: ones, sampleSizes: [Double](repeating: 100, count: 20)),
            ages: LifeExpectancy.startAges)
        let table = LifeTable(deaths: f.deaths, populations: f.populations)
        for (i, r) in results.enumerated() {
            #expect(r.healthyLifeExpectancy.value == table.lifeExpectancy[i], "age \(r.startAge)")
            #expect(r.lifeExpectancy == table.lifeExpectancy[i])
            #expect(r.yearsInPoorerHealth == 0)
            #expect(r.percentInGoodHealth == 100)
            #expect(r.prevalenceVariance == 0)
            // With π = 1 the mortality part is Silcocks' variance of e without the open band's term.
            let l = table.survivors[i]
            let closed = table.varianceTerm[i..<19].reduce(0, +) / (l * l)
            expectClose(r.mortalityVariance, closed, relative: 1e-10, "age \(r.startAge)")
        }
    }

    @Test func rowOrderDoesNotMatter() throws {
        let f = try LifeTableFixture.load()
        let (pi, n) = Self.referencePrevalence()
        let order = Array((0..<20).reversed())
        let shuffled = try HealthyLifeExpectancy.compute(
            startAges: order.map { f.startAges[$0] }, deaths: order.map { f.deaths[$0] },
            populations: order.map { f.populations[$0] },
            prevalence: .init(proportions: order.map { pi[$0] }, sampleSizes: order.map { n[$0] }), ages: [0, 65])
        let sorted = try HealthyLifeExpectancy.compute(
            startAges: f.startAges, deaths: f.deaths, populations: f.populations,
            prevalence: .init(proportions: pi, sampleSizes: n), ages: [0, 65])
        #expect(shuffled == sorted)
    }

    @Test func countsAndStandardErrorsMatchProportions() throws {
        let f = try LifeTableFixture.load()
        let (pi, n) = Self.referencePrevalence()
        let surveyed = n
        let healthy = zip(pi, n).map { ($0 * $1).rounded() }
        let fromCounts = try HealthyLifeExpectancy.compute(
            startAges: f.startAges, deaths: f.deaths, populations: f.populations,
            prevalence: .init(healthy: healthy, surveyed: surveyed), ages: [0, 50])
        let p = zip(healthy, surveyed).map { $0 / $1 }
        let fromProportions = try HealthyLifeExpectancy.compute(
            startAges: f.startAges, deaths: f.deaths, populations: f.populations,
            prevalence: .init(proportions: p, sampleSizes: surveyed), ages: [0, 50])
        #expect(fromCounts == fromProportions)
        let se = zip(p, surveyed).map { ($0 * (1 - $0) / $1).squareRoot() }
        let fromErrors = try HealthyLifeExpectancy.compute(
            startAges: f.startAges, deaths: f.deaths, populations: f.populations,
            prevalence: .init(proportions: p, standardErrors: se), ages: [0, 50])
        for (a, b) in zip(fromErrors, fromProportions) {
            #expect(a.healthyLifeExpectancy.value == b.healthyLifeExpectancy.value)
            expectClose(a.prevalenceVariance, b.prevalenceVariance, relative: 1e-12, "age \(a.startAge)")
            expectClose(a.standardError, b.standardError, relative: 1e-12, "age \(a.startAge)")
        }
    }

    // MARK: - Prevalence bands

    /// Prevalence measured in 0–14, 15–44, 45–64, 65–84 and 85+ (bands 0–3, 4–9, 10–13, 14–17, 18–19).
    static let coarseBands = [0, 0, 0, 0, 4, 4, 4, 4, 4, 4, 10, 10, 10, 10, 14, 14, 14, 14, 18, 18]
    static let coarsePi: [Int: Double] = [0: 0.95, 4: 0.88, 10: 0.74, 14: 0.6, 18: 0.45]
    static let coarseN: [Int: Double] = [0: 400, 4: 1_200, 10: 800, 14: 600, 18: 150]

    @Test func coarsePrevalenceBandsShareTheirError() throws {
        let f = try LifeTableFixture.load()
        let pi = Self.coarseBands.map { Self.coarsePi[$0]! }
        let n = Self.coarseBands.map { Self.coarseN[$0]! }
        let results = try HealthyLifeExpectancy.compute(
            startAges: f.startAges, deaths: f.deaths, populations: f.populations,
            prevalence: .init(proportions: pi, sampleSizes: n, bands: Self.coarseBands), ages: LifeExpectancy.startAges)
        let table = LifeTable(deaths: f.deaths, populations: f.populations)
        let variance = Self.coarsePi.mapValues { $0 * (1 - $0) }.merging(Self.coarseN) { $0 / $1 }
        // Without the rule: every band its own estimate with the same π and N.
        let independent = try HealthyLifeExpectancy.compute(
            startAges: f.startAges, deaths: f.deaths, populations: f.populations,
            prevalence: .init(proportions: pi, sampleSizes: n), ages: LifeExpectancy.startAges)
        for (i, r) in results.enumerated() {
            let age = "age \(r.startAge)"
            let hand = HandSullivan(table: table, at: i, pi: pi, bandOf: Self.coarseBands, variance: variance)
            expectClose(r.healthyLifeExpectancy.value, hand.hle, relative: 1e-12, age)
            expectClose(r.prevalenceVariance, hand.prevalenceVariance, relative: 1e-10, "var prevalence, \(age)")
            expectClose(r.mortalityVariance, hand.mortalityVariance, relative: 1e-10, "var mortality, \(age)")
            // Sharing one estimate changes only the prevalence part, and only upwards.
            #expect(r.healthyLifeExpectancy.value == independent[i].healthyLifeExpectancy.value)
            #expect(r.mortalityVariance == independent[i].mortalityVariance)
            let shared = try #require(r.prevalenceVariance), separate = try #require(independent[i].prevalenceVariance)
            // Equal only at 90, where 90+ is all of 85+ that lies above x.
            #expect(r.startAge == 90 ? shared == separate : shared > separate, "\(age)")
        }
        // By hand at age 85 (inside 85+, both of its bands above x): (L₈₅ + L₉₀)²·Var/l₈₅².
        let l85 = table.survivors[18], bigL = table.personYears[18] + table.personYears[19]
        expectClose(results[18].prevalenceVariance, bigL * bigL * variance[18]! / (l85 * l85), relative: 1e-12, "85")
        // At 90 only 90+ is above x: L₉₀²·Var/l₉₀².
        let l90 = table.survivors[19], l90Years = table.personYears[19]
        expectClose(
            results[19].prevalenceVariance, l90Years * l90Years * variance[18]! / (l90 * l90), relative: 1e-12, "90")
    }

    @Test func oneRowOfAPrevalenceBandMayCarryItsEstimate() throws {
        let f = try LifeTableFixture.load()
        let full = Self.coarseBands.map { Self.coarsePi[$0]! }
        let n = Self.coarseBands.map { Self.coarseN[$0]! }
        // Only the first row of each prevalence band gives π and N; the others are missing.
        let sparsePi = Self.coarseBands.enumerated().map { $0.offset == $0.element ? full[$0.offset] : .nan }
        let sparseN = Self.coarseBands.enumerated().map { $0.offset == $0.element ? n[$0.offset] : .nan }
        let sparse = try HealthyLifeExpectancy.compute(
            startAges: f.startAges, deaths: f.deaths, populations: f.populations,
            prevalence: .init(proportions: sparsePi, sampleSizes: sparseN, bands: Self.coarseBands), ages: [0, 65])
        let repeated = try HealthyLifeExpectancy.compute(
            startAges: f.startAges, deaths: f.deaths, populations: f.populations,
            prevalence: .init(proportions: full, sampleSizes: n, bands: Self.coarseBands), ages: [0, 65])
        #expect(sparse == repeated)
    }

    // MARK: - Refusals

    struct Refusal: CustomTestStringConvertible, Sendable {
        var name: String
        var measure: HealthyLifeExpectancy.Prevalence.Measure = .sampleSize
        var band: Int
        var value: Double?
        var precision: Double?
        var bands: [Int]? = nil
        var error: IndicatorError
        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(
            name: "π > 1", band: 3, value: 1.2,
            error: IndicatorError("prevalence must be between 0 and 1", band: "10-14", value: "1.2")),
        Refusal(
            name: "π < 0", band: 19, value: -0.1,
            error: IndicatorError("prevalence must be between 0 and 1", band: "90+", value: "-0.1")),
        Refusal(
            name: "π infinite", band: 0, value: .infinity,
            error: IndicatorError("prevalence must be between 0 and 1", band: "0", value: "inf")),
        Refusal(
            name: "N < 0", band: 5, precision: -3,
            error: IndicatorError("sample size must be a non-negative number", band: "20-24", value: "-3")),
        Refusal(
            name: "N infinite", band: 5, precision: .infinity,
            error: IndicatorError("sample size must be a non-negative number", band: "20-24", value: "inf")),
        Refusal(
            name: "SE < 0", measure: .standardError, band: 7, precision: -0.01,
            error: IndicatorError("prevalence SE must be a non-negative number", band: "30-34", value: "-0.01")),
        Refusal(
            name: "healthy > surveyed", measure: .counts, band: 2, value: 31, precision: 30,
            error: IndicatorError("healthy count must not exceed the number surveyed (30)", band: "5-9", value: "31")),
        Refusal(
            name: "healthy < 0", measure: .counts, band: 2, value: -1,
            error: IndicatorError("healthy count must be a non-negative number", band: "5-9", value: "-1")),
        Refusal(
            name: "surveyed < 0", measure: .counts, band: 2, value: .nan, precision: -5,
            error: IndicatorError("surveyed count must be a non-negative number", band: "5-9", value: "-5")),
        Refusal(
            name: "π differs in a prevalence band", band: 19, value: 0.5, bands: HealthyLifeExpectancyTests.coarseBands,
            error: IndicatorError("prevalence differs within one prevalence band", band: "90+", value: "0.5")),
        Refusal(
            name: "N differs in a prevalence band", band: 1, precision: 7, bands: HealthyLifeExpectancyTests.coarseBands,
            error: IndicatorError("sample size differs within one prevalence band", band: "1-4", value: "7")),
        Refusal(
            name: "band in no prevalence band", band: 12,
            bands: HealthyLifeExpectancyTests.coarseBands.enumerated().map { $0.offset == 12 ? -1 : $0.element },
            error: IndicatorError("the band is in no prevalence band", band: "55-59")),
    ]

    /// The coarse-band prevalence (π, N; or healthy/surveyed counts; or π, SE) with one row changed.
    static func prevalence(_ r: Refusal) -> HealthyLifeExpectancy.Prevalence {
        var values = coarseBands.map { coarsePi[$0]! }
        var precision = coarseBands.map { coarseN[$0]! }
        switch r.measure {
        case .sampleSize: break
        case .standardError: precision = values.map { ($0 * (1 - $0) / 300).squareRoot() }
        case .counts: values = zip(values, precision).map { ($0 * $1).rounded() }
        }
        if let v = r.value { values[r.band] = v }
        if let n = r.precision { precision[r.band] = n }
        return .init(measure: r.measure, values: values, precision: precision, bands: r.bands)
    }

    @Test(arguments: refusals)
    func invalidPrevalenceIsAnError(r: Refusal) throws {
        let f = try LifeTableFixture.load()
        #expect(throws: r.error) {
            try HealthyLifeExpectancy.compute(
                startAges: f.startAges, deaths: f.deaths, populations: f.populations, prevalence: Self.prevalence(r))
        }
        // Also for a group that §5 refuses: bad input is an error, not a note.
        var small = f.populations.map(Optional.some)
        small[4] = 0
        #expect(throws: r.error) {
            try HealthyLifeExpectancy.compute(
                startAges: f.startAges, deaths: f.deaths, populations: small, prevalence: Self.prevalence(r))
        }
        // In a batch, the group's index comes with it.
        let input = BatchInput.seeded(count: 3, f, seed: 7)
        let good = Self.prevalence(Refusal(name: "", band: 0, error: r.error))
        let bad = Self.prevalence(r)
        func three(_ array: [Double], _ middle: [Double]) -> [Double] { array + middle + array }
        let batchPrevalence = HealthyLifeExpectancy.Prevalence(
            measure: r.measure, values: three(good.values, bad.values), precision: three(good.precision, bad.precision),
            bands: r.bands.map { (Self.coarseBands + $0 + Self.coarseBands) } ?? (good.bands.map { $0 + $0 + $0 }))
        #expect(throws: IndicatorBatchError(groupIndex: 1, error: r.error)) {
            try HealthyLifeExpectancy.batch(
                deaths: input.deaths, populations: input.populations, groupCount: 3, prevalence: batchPrevalence)
        }
    }

    @Test func ageThatNoBandStartsAtIsAnError() throws {
        let f = try LifeTableFixture.load()
        let (pi, n) = Self.referencePrevalence()
        #expect(throws: IndicatorError.self) {
            try HealthyLifeExpectancy.compute(
                startAges: f.startAges, deaths: f.deaths, populations: f.populations,
                prevalence: .init(proportions: pi, sampleSizes: n), ages: [0, 66])
        }
        let ehemu = try SullivanFixture.load()
        do {
            _ = try HealthyLifeExpectancy.compute(table: ehemu.table, prevalence: ehemu.prevalence, ages: [90])
            Issue.record("age 90 is not a band of the EHEMU table")
        } catch {
            #expect(error.value == "90")
            #expect(error.message.contains("0, 1, 5"))
        }
    }

    // MARK: - Notes

    func reference(
        pi: [Double]? = nil, n: [Double]? = nil, deaths: [Double]? = nil, populations: [Double]? = nil,
        ages: [Int] = LifeExpectancy.startAges, measure: HealthyLifeExpectancy.Prevalence.Measure = .sampleSize
    ) throws -> [HealthyLifeExpectancyResult] {
        let f = try LifeTableFixture.load()
        let (p0, n0) = Self.referencePrevalence()
        return try HealthyLifeExpectancy.compute(
            startAges: f.startAges, deaths: deaths ?? f.deaths, populations: populations ?? f.populations,
            prevalence: .init(measure: measure, values: pi ?? p0, precision: n ?? n0), ages: ages)
    }

    @Test func missingPrevalenceEmptiesEveryAgeAtOrBelowIt() throws {
        var pi = Self.referencePrevalence().pi
        pi[12] = .nan  // 55-59
        let results = try reference(pi: pi)
        for r in results {
            if r.startAge <= 55 {
                #expect(r.healthyLifeExpectancy == .suppressed(levels: 2, note: "missing prevalence in band 55-59"))
                #expect(r.yearsInPoorerHealth == nil && r.percentInGoodHealth == nil && r.standardError == nil)
                #expect(r.lifeExpectancy != nil, "e does not need π")
            } else {
                #expect(r.healthyLifeExpectancy.value != nil && r.note == nil, "age \(r.startAge)")
            }
        }
    }

    @Test func missingOrZeroSampleSizeEmptiesOnlyTheLimits() throws {
        for (n12, note) in [(Double.nan, "missing sample size in band 55-59"), (0, "sample size 0 in band 55-59")] {
            var n = Self.referencePrevalence().n
            n[12] = n12
            let results = try reference(n: n)
            let complete = try reference()
            for (r, c) in zip(results, complete) {
                #expect(r.healthyLifeExpectancy.value == c.healthyLifeExpectancy.value)
                if r.startAge <= 55 {
                    #expect(r.healthyLifeExpectancy.limits == [.missing, .missing])
                    #expect(r.note == note && r.standardError == nil)
                } else {
                    #expect(r == c)
                }
            }
        }
        var se = Self.referencePrevalence().n.map { _ in 0.02 }
        se[19] = .nan
        let results = try reference(n: se, measure: .standardError)
        #expect(results.allSatisfy { $0.note == "missing prevalence SE in band 90+" && $0.standardError == nil })
    }

    @Test func nobodySurveyedIsMissingPrevalence() throws {
        let n = Self.referencePrevalence().n
        var healthy = n.map { ($0 * 0.8).rounded() }, surveyed = n
        healthy[15] = 0
        surveyed[15] = 0
        let results = try reference(pi: healthy, n: surveyed, measure: .counts)
        #expect(results[0].healthyLifeExpectancy == .suppressed(levels: 2, note: "no one surveyed in band 70-74"))
        #expect(results[16].note == nil)
    }

    @Test func groupRefusedByLifeExpectancyRules() throws {
        let f = try LifeTableFixture.load()
        var populations = f.populations
        populations[5] = 0
        let results = try reference(populations: populations, ages: [0, 65])
        #expect(results.map(\.startAge) == [0, 65])
        #expect(
            results.allSatisfy {
                $0 == .suppressed(startAge: $0.startAge, levels: 2, note: "population ≤ 0 in band 20-24")
            })
        let missingBand = try HealthyLifeExpectancy.compute(
            startAges: Array(f.startAges.dropLast()), deaths: f.deaths.dropLast(), populations: f.populations.dropLast(),
            prevalence: .init(proportions: [Double](repeating: 0.9, count: 19), sampleSizes: [Double](repeating: 9, count: 19)))
        #expect(missingBand[0].note == "group does not have exactly the 20 life-table bands (missing 90+)")
    }

    @Test func lifeExpectancyRulesBlankTheWholeRow() throws {
        let f = try LifeTableFixture.load()
        // 90+: D = 1, P = 20: e₉₀ = 20 with SE 20, blanked; its limits kept.
        var deaths = f.deaths, populations = f.populations
        deaths[19] = 1
        populations[19] = 20
        let wide = try reference(deaths: deaths, populations: populations)
        let last = wide[19]
        #expect(last.lifeExpectancy == nil && last.healthyLifeExpectancy.value == nil)
        #expect(last.yearsInPoorerHealth == nil && last.percentInGoodHealth == nil)
        #expect(last.healthyLifeExpectancy.limits[0].lower != nil && last.standardError != nil)
        #expect(last.note == "95% interval wider than 20 years")
        #expect(wide[0].note == nil && wide[0].healthyLifeExpectancy.value != nil)
        // Zero deaths in 90+: nothing is finite.
        deaths = f.deaths
        deaths[19] = 0
        let infinite = try reference(deaths: deaths)
        #expect(
            infinite.allSatisfy {
                $0
                    == .suppressed(
                        startAge: $0.startAge, levels: 2, note: "zero deaths in band 90+: life expectancy is not finite")
            })
        // Nobody reaches 5: HLE = e = 0 there, limits empty.
        deaths = f.deaths
        populations = f.populations
        deaths[1] = 600
        populations[1] = 1_000
        let none = try reference(deaths: deaths, populations: populations)
        for r in none[2...] {
            #expect(
                r.healthyLifeExpectancy == Estimate(value: 0, limits: [.missing, .missing], note: "no survivors to this age"))
            #expect(r.lifeExpectancy == 0 && r.yearsInPoorerHealth == 0 && r.percentInGoodHealth == nil)
        }
    }

    // MARK: - Batch

    @Test(arguments: [UInt64(3), 20_251_202])
    func batchEqualsCompute(seed: UInt64) throws {
        let f = try LifeTableFixture.load()
        let input = BatchInput.seeded(count: 300, f, seed: seed)
        var rng = SplitMix64(state: seed)
        var values: [Double] = [], precision: [Double] = [], bands: [Int] = []
        for _ in 0..<input.groupCount {
            let coarse = Double.random(in: 0..<1, using: &rng) < 0.5
            let groupBands = coarse ? Self.coarseBands : Array(0..<20)
            var pi = [Double](repeating: 0, count: 20), n = pi
            for b in 0..<20 where groupBands[b] == b {
                pi[b] = Double.random(in: 0.3...1, using: &rng)
                n[b] = Double(Int.random(in: 0...400, using: &rng))  // some 0: limits empty
                if Double.random(in: 0..<1, using: &rng) < 0.01 { pi[b] = .nan }
            }
            for b in 0..<20 {
                pi[b] = pi[groupBands[b]]
                n[b] = n[groupBands[b]]
            }
            values += pi
            precision += n
            bands += groupBands
        }
        let prevalence = HealthyLifeExpectancy.Prevalence(proportions: values, sampleSizes: precision, bands: bands)
        let ages = [0, 65, 90, 1]
        for variance in HealthyLifeExpectancy.Variance.allCases {
            let batch = try HealthyLifeExpectancy.batch(
                deaths: input.deaths, populations: input.populations, groupCount: input.groupCount,
                prevalence: prevalence, ages: ages, variance: variance)
            #expect(batch.values.count == input.groupCount * 4 && batch.lowers.count == input.groupCount * 8)
            var failures = 0
            var notes = Set<String>()
            for g in 0..<input.groupCount {
                let group = input.group(g)
                let range = (g * 20)..<(g * 20 + 20)
                let single = try HealthyLifeExpectancy.compute(
                    startAges: LifeExpectancy.startAges, deaths: group.deaths, populations: group.populations,
                    prevalence: .init(
                        proportions: Array(values[range]), sampleSizes: Array(precision[range]), bands: Array(bands[range])),
                    ages: ages, variance: variance)
                if batch.results(group: g) != single {
                    failures += 1
                    if failures < 4 { Issue.record("group \(g): \(batch.results(group: g)[0]) vs \(single[0])") }
                }
                for r in single { if let note = r.note { notes.insert(note) } }
            }
            #expect(failures == 0)
            #expect(notes.contains("total population ≤ 5,000"))
            #expect(notes.contains { $0.hasPrefix("sample size 0 in band") })
            #expect(notes.contains { $0.hasPrefix("missing prevalence in band") })
        }
    }

    @Test func emptyBatch() throws {
        let batch = try HealthyLifeExpectancy.batch(
            deaths: [], populations: [], groupCount: 0, prevalence: .init(proportions: [], sampleSizes: []))
        #expect(batch.groupCount == 0 && batch.values.isEmpty)
    }

    @Test func differenceOfTwoHealthyLifeExpectancies() throws {
        let f = try SullivanFixture.load()
        let r = try HealthyLifeExpectancy.compute(table: f.table, prevalence: f.prevalence, ages: [0, 1])
        let h1 = try #require(r[0].healthyLifeExpectancy.value), h2 = try #require(r[1].healthyLifeExpectancy.value)
        let s1 = try #require(r[0].standardError), s2 = try #require(r[1].standardError)
        expectClose(HealthyLifeExpectancy.differenceZ(r[0], r[1]), (h1 - h2) / (s1 * s1 + s2 * s2).squareRoot(), relative: 1e-15)
        expectClose(HealthyLifeExpectancy.differenceZ(r[0], r[1], conservative: true), (h1 - h2) / (s1 + s2), relative: 1e-15)
        let empty = HealthyLifeExpectancyResult.suppressed(startAge: 0, levels: 2, note: "x")
        #expect(HealthyLifeExpectancy.differenceZ(r[0], empty) == nil)
    }
}

import Foundation
import NumericCore
import Testing
import _TestSupport

@testable import Indicators

/// Groups of 20 bands laid out g·20 + b, with NaN for a missing value.
struct BatchInput {
    var deaths: [Double] = []
    var populations: [Double] = []
    var groupCount: Int { deaths.count / 20 }

    mutating func append(deaths d: [Double], populations p: [Double]) {
        precondition(d.count == 20 && p.count == 20)
        deaths += d
        populations += p
    }

    func group(_ g: Int) -> (deaths: [Double?], populations: [Double?]) {
        let range = (g * 20)..<(g * 20 + 20)
        return (deaths[range].map { $0.isNaN ? nil : $0 }, populations[range].map { $0.isNaN ? nil : $0 })
    }

    /// Realistic groups: the reference table's age structure scaled to each (sex, area,
    /// decile) row of `LE_testdata.csv`, its population and deaths shared out by band.
    static func fromLETestdata(_ f: LifeTableFixture) throws -> BatchInput {
        let rows = try Fixtures.table(Fixtures.reference("LE_testdata.csv"))
        let popTotal = f.populations.reduce(0, +), deathTotal = f.deaths.reduce(0, +)
        var input = BatchInput()
        for row in rows {
            let pop = try #require(fixtureNumber(row["Pop"])), deaths = try #require(fixtureNumber(row["Deaths"]))
            input.append(
                deaths: f.deaths.map { ($0 / deathTotal * deaths).rounded() },
                populations: f.populations.map { max(1, ($0 / popTotal * pop).rounded()) })
        }
        return input
    }

    /// Seeded random groups around the reference table: populations scaled by 10^U(−2.3, 1),
    /// death rates by e^N(0, 0.3)-like noise, deaths rounded, and one band in 30 shrunk to
    /// 2% of its size; small groups and bands exercise the total-population and
    /// wide-interval rules, and some bands (90+ among them) get zero deaths.
    static func seeded(count: Int, _ f: LifeTableFixture, seed: UInt64) -> BatchInput {
        var rng = SplitMix64(state: seed)
        var input = BatchInput()
        for _ in 0..<count {
            let scale = pow(10, Double.random(in: -2.3...1, using: &rng))
            var d = [Double](), p = [Double]()
            for b in 0..<20 {
                let shrink = Double.random(in: 0..<1, using: &rng) < 1.0 / 30 ? 0.02 : 1
                let population = max(1, (f.populations[b] * scale * shrink * Double.random(in: 0.7...1.3, using: &rng)).rounded())
                let noise = exp(0.3 * (Double.random(in: -1...1, using: &rng) + Double.random(in: -1...1, using: &rng)))
                let rate = min(1, f.deaths[b] / f.populations[b] * noise)
                d.append((rate * population).rounded(.down) + (Double.random(in: 0..<1, using: &rng) < 0.5 ? 1 : 0))
                p.append(population)
            }
            d = zip(d, p).map { min($0, $1) }
            input.append(deaths: d, populations: p)
        }
        return input
    }

    /// One group per suppression and single-value rule, from the reference table.
    static func edgeCases(_ f: LifeTableFixture) -> BatchInput {
        var input = BatchInput()
        func variant(_ band: Int, deaths: Double? = nil, population: Double? = nil) {
            var d = f.deaths, p = f.populations
            if let deaths { d[band] = deaths }
            if let population { p[band] = population }
            input.append(deaths: d, populations: p)
        }
        variant(0)  // unchanged
        variant(2, population: 0)  // population ≤ 0
        variant(9, population: -5)  // population ≤ 0
        variant(1, deaths: -1)  // deaths < 0
        variant(19, deaths: 20_000)  // deaths > population
        variant(0, deaths: .nan)  // missing deaths
        variant(18, population: .nan)  // missing population
        variant(7, deaths: .infinity)  // not finite: missing
        variant(5, deaths: 0)  // zero deaths: fine
        variant(19, deaths: 0)  // zero deaths in 90+: not finite
        variant(19, deaths: 1, population: 20)  // wide interval at 90
        variant(1, deaths: 600, population: 1_000)  // nobody reaches 5
        input.append(deaths: [Double](repeating: 1, count: 20), populations: [Double](repeating: 250, count: 20))
        return input
    }
}

@Suite struct LifeExpectancyBatchTests {
    /// Every group of `input`: the batch gives exactly what `compute` gives, at all start ages
    /// and at birth only. Returns the notes seen.
    @discardableResult
    func expectBatchEqualsCompute(_ input: BatchInput, levels: [ConfidenceLevel], _ name: String) -> Set<String> {
        let all = LifeExpectancy.batch(
            deaths: input.deaths, populations: input.populations, groupCount: input.groupCount,
            levels: levels, allStartAges: true)
        let atBirth = LifeExpectancy.batch(
            deaths: input.deaths, populations: input.populations, groupCount: input.groupCount,
            levels: levels, allStartAges: false)
        #expect(all.startAges == LifeExpectancy.startAges && atBirth.startAges == [0])
        #expect(all.values.count == input.groupCount * 20 && all.lowers.count == input.groupCount * 20 * levels.count)
        var notes = Set<String>()
        var failures = 0
        for g in 0..<input.groupCount {
            let group = input.group(g)
            let single = LifeExpectancy.compute(
                startAges: LifeExpectancy.startAges, deaths: group.deaths, populations: group.populations, levels: levels)
            let batched = all.estimates(group: g)
            if batched != single || atBirth.estimates(group: g) != [single[0]] {
                failures += 1
                if failures <= 5 {
                    Issue.record("\(name) group \(g): batch \(batched.prefix(2)) … vs compute \(single.prefix(2)) …")
                }
            }
            let suppression = LifeExpectancy.suppressionNote(
                startAges: LifeExpectancy.startAges, deaths: group.deaths, populations: group.populations)
            #expect(all.isComputed(group: g) == (suppression == nil), "\(name) group \(g)")
            for s in single { if let note = s.note { notes.insert(note) } }
        }
        #expect(failures == 0, "\(name): \(failures) of \(input.groupCount) groups differ")
        return notes
    }

    @Test func referenceTableAndEdgeCases() throws {
        let f = try LifeTableFixture.load()
        let input = BatchInput.edgeCases(f)
        let notes = expectBatchEqualsCompute(input, levels: ConfidenceLevel.defaults, "edge cases")
        #expect(
            notes == [
                "population ≤ 0 in band 5-9", "population ≤ 0 in band 40-44", "deaths < 0 in band 1-4",
                "deaths > population in band 90+", "missing deaths in band 0", "missing population in band 85-89",
                "missing deaths in band 30-34", "zero deaths in band 90+: life expectancy is not finite",
                "95% interval wider than 20 years", "no survivors to this age", "total population ≤ 5,000",
            ])
        // The unchanged reference table, read straight from the flat arrays (layout g·20 + s,
        // limits (g·20 + s)·K + k).
        let batch = LifeExpectancy.batch(
            deaths: input.deaths, populations: input.populations, groupCount: input.groupCount,
            levels: ConfidenceLevel.defaults, allStartAges: true)
        for s in 0..<20 {
            expectClose(batch.values[s], f.expectedValue[s], absolute: 1e-4, "e at slot \(s)")
            expectClose(batch.lowers[s * 2], f.expectedLower95[s], absolute: 1e-4, "lower 95% at slot \(s)")
            expectClose(batch.uppers[s * 2], f.expectedUpper95[s], absolute: 1e-4, "upper 95% at slot \(s)")
        }
        // Group 1 is suppressed: NaN everywhere.
        #expect(!batch.isComputed(group: 1))
        #expect(batch.values[20..<40].allSatisfy(\.isNaN) && batch.lowers[40..<80].allSatisfy(\.isNaN))
    }

    @Test func groupsBuiltFromLETestdata() throws {
        let f = try LifeTableFixture.load()
        let input = try BatchInput.fromLETestdata(f)
        #expect(input.groupCount == 7_222)
        expectBatchEqualsCompute(input, levels: ConfidenceLevel.defaults, "LE_testdata")
    }

    @Test(arguments: [UInt64(1), 20_240_611])
    func seededRandomGroups(seed: UInt64) throws {
        let f = try LifeTableFixture.load()
        let input = BatchInput.seeded(count: 3_000, f, seed: seed)
        let notes = expectBatchEqualsCompute(input, levels: ConfidenceLevel.defaults, "seed \(seed)")
        // The generator reaches the rules it is meant to exercise.
        #expect(notes.contains("total population ≤ 5,000"))
        #expect(notes.contains("95% interval wider than 20 years"))
        #expect(notes.contains("zero deaths in band 90+: life expectancy is not finite"))
    }

    @Test func otherLevels() throws {
        let f = try LifeTableFixture.load()
        let input = BatchInput.edgeCases(f)
        expectBatchEqualsCompute(input, levels: [], "no levels")
        expectBatchEqualsCompute(input, levels: [ConfidenceLevel(99)!], "99%")
        expectBatchEqualsCompute(input, levels: [ConfidenceLevel(90)!, .ninetyFive, ConfidenceLevel(99.8)!], "three levels")
    }

    @Test func emptyBatch() {
        let batch = LifeExpectancy.batch(
            deaths: [], populations: [], groupCount: 0, levels: ConfidenceLevel.defaults, allStartAges: true)
        #expect(batch.groupCount == 0 && batch.values.isEmpty)
    }
}

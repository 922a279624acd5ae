import Foundation
import Testing
import _TestSupport

@testable import Indicators

@Suite struct LifeTableTests {
    /// Every column of two tables, bit for bit (NaN matching NaN).
    func expectSameColumns(_ a: LifeTable, _ b: LifeTable, _ context: String) {
        let columns: [(String, KeyPath<LifeTable, [Double]>)] = [
            ("n", \.intervalWidth), ("a", \.fractionLivedByDying), ("M", \.deathRate), ("q", \.probabilityOfDying),
            ("l", \.survivors), ("d", \.lifeTableDeaths), ("L", \.personYears), ("T", \.personYearsRemaining),
            ("e", \.lifeExpectancy), ("s²", \.varianceOfProbability), ("W", \.varianceTerm), ("SE", \.standardError),
        ]
        for (name, path) in columns {
            let same = zip(a[keyPath: path], b[keyPath: path]).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
            #expect(same, "\(name) differs: \(context)")
        }
    }

    @Test func givenStandardFractionsAreTheDefaultTable() throws {
        let f = try LifeTableFixture.load()
        let standard = LifeTable(deaths: f.deaths, populations: f.populations)
        let given = LifeTable(
            deaths: f.deaths, populations: f.populations, startAges: f.startAges,
            fractionLivedByDying: [0.1] + [Double](repeating: 0.5, count: 18))
        expectSameColumns(standard, given, "a given as 0.1, 0.5, …")
    }

    @Test func injectedValuesReplaceTheComputedOnes() throws {
        let f = try LifeTableFixture.load()
        let a = [Double](repeating: 0.5, count: 19)
        let t = LifeTable(
            deaths: f.deaths, populations: f.populations, startAges: f.startAges, fractionLivedByDying: a,
            injectedProbabilityOfDying: [0: 0.004], injectedPersonYears: [0: 99_700])
        #expect(t.probabilityOfDying[0] == 0.004)
        #expect(t.survivors[1] == 100_000 * (1 - 0.004))
        #expect(t.personYears[0] == 99_700)
        expectClose(t.personYearsRemaining[0], t.personYears.reduce(0, +), relative: 1e-12)
        expectClose(t.varianceOfProbability[0], 0.004 * 0.004 * 0.996 / 17, relative: 1e-14)
        // Other bands are Chiang's with the given a.
        let m = f.deaths[1] / f.populations[1]
        expectClose(t.probabilityOfDying[1], 4 * m / (1 + 4 * m * 0.5), relative: 1e-14)
        let plain = LifeTable(
            deaths: f.deaths, populations: f.populations, startAges: f.startAges, fractionLivedByDying: a)
        expectSameColumns(
            LifeTable(deaths: f.deaths, populations: f.populations, startAges: f.startAges, fractionLivedByDying: a), plain,
            "no injection")
        #expect(plain.probabilityOfDying[0] != 0.004)
    }

    @Test func tableFromDeathRates() throws {
        let f = try LifeTableFixture.load()
        let rates = zip(f.deaths, f.populations).map { $0 / $1 }
        let a = [0.1] + [Double](repeating: 0.5, count: 18)
        let fromRates = LifeTable(deathRates: rates, startAges: f.startAges, fractionLivedByDying: a)
        let fromCounts = LifeTable(deaths: f.deaths, populations: f.populations)
        #expect(fromRates.populations.allSatisfy { $0 == 1 } && fromRates.deaths == rates)
        #expect(fromRates.standardError.allSatisfy(\.isNaN) && fromRates.varianceTerm.allSatisfy(\.isNaN))
        for i in 0..<20 {
            expectClose(fromRates.lifeExpectancy[i], fromCounts.lifeExpectancy[i], relative: 1e-12, "e, band \(i)")
            expectClose(fromRates.personYears[i], fromCounts.personYears[i], relative: 1e-12, "L, band \(i)")
        }
    }

    @Test func batchReturnsTheColumnsAskedFor() throws {
        let f = try LifeTableFixture.load()
        let input = BatchInput.edgeCases(f)
        let plain = LifeExpectancy.batch(deaths: input.deaths, populations: input.populations, groupCount: input.groupCount)
        #expect(plain.survivors.isEmpty && plain.personYears.isEmpty && plain.personYearsRemaining.isEmpty)
        let some = LifeExpectancy.batch(
            deaths: input.deaths, populations: input.populations, groupCount: input.groupCount, columns: [.personYears])
        #expect(some.survivors.isEmpty && some.personYears.count == input.groupCount * 20)
        for allStartAges in [true, false] {
            let batch = LifeExpectancy.batch(
                deaths: input.deaths, populations: input.populations, groupCount: input.groupCount,
                allStartAges: allStartAges, columns: .all)
            let reference = LifeExpectancy.batch(
                deaths: input.deaths, populations: input.populations, groupCount: input.groupCount,
                allStartAges: allStartAges)
            #expect(batch.values.elementsEqual(reference.values) { $0 == $1 || ($0.isNaN && $1.isNaN) })
            for g in 0..<input.groupCount {
                let range = (g * 20)..<(g * 20 + 20)
                guard batch.isComputed(group: g) else {
                    #expect(batch.survivors[range].allSatisfy(\.isNaN) && batch.personYearsRemaining[range].allSatisfy(\.isNaN))
                    continue
                }
                let table = LifeTable(deaths: Array(input.deaths[range]), populations: Array(input.populations[range]))
                #expect(Array(batch.survivors[range]) == table.survivors, "l, group \(g)")
                #expect(Array(batch.personYears[range]) == table.personYears, "L, group \(g)")
                #expect(
                    batch.personYearsRemaining[range].elementsEqual(table.personYearsRemaining) {
                        $0 == $1 || ($0.isNaN && $1.isNaN)
                    }, "T, group \(g)")
            }
        }
    }
}

import NumericCore
import Testing
import _TestSupport

@testable import Indicators

@Suite struct DirectlyStandardisedRateBatchTests {
    static let esp2013 = StandardPopulation.esp2013
    static let labels = StandardPopulation.esp2013.bands.map(\.label)

    /// The three multiarea groups, aligned to ESP2013, as optional columns and as flat NaN-coded arrays.
    static func multiareaGroups() throws -> (
        counts: [[Double?]], populations: [[Double?]], flatCounts: [Double], flatPopulations: [Double]
    ) {
        let rows = fixtureRows("testdata_DSR_ISR__testdata_multiarea.csv")
        var counts: [[Double?]] = [], populations: [[Double?]] = []
        for area in ["testdata_big", "testdata_small", "testdata_tiny"] {
            let aligned = try alignedColumns(
                rows.filter { $0["area"] == area }, band: "ageband", columns: ["count", "pop"], to: esp2013)
            counts.append(aligned[0])
            populations.append(aligned[1])
        }
        return (counts, populations, counts.flatMap { $0.map { $0 ?? .nan } }, populations.flatMap { $0.map { $0 ?? .nan } })
    }

    /// The multiarea fixture in one batch: identical to `compute` per group, and to the reference rows (1e-4).
    @Test(arguments: [10_000.0, 100_000.0])
    func multiareaBatchEqualsCompute(multiplier: Double) throws {
        let groups = try Self.multiareaGroups()
        let batch = try DirectlyStandardisedRate.batch(
            counts: groups.flatCounts, populations: groups.flatPopulations, groupCount: 3,
            weights: Self.esp2013.weights, levels: ConfidenceLevel.defaults, multiplier: multiplier)
        try #require(batch.count == 3)
        for g in 0..<3 {
            let single = try DirectlyStandardisedRate.compute(
                counts: groups.counts[g], populations: groups.populations[g], weights: Self.esp2013.weights,
                bandLabels: Self.labels, levels: ConfidenceLevel.defaults, multiplier: multiplier)
            #expect(batch[g] == single, "group \(g)")
        }
        let results = fixtureRows("testdata_DSR_ISR__testresults_DSR.csv")
        for (g, area) in ["testdata_big", "testdata_small"].enumerated() {
            let row = try #require(results.first { $0["area"] == area && statisticMultiplier($0["statistic"]) == multiplier })
            expectMatches(batch[g], row)
        }
        #expect(batch[2].estimate.note == "total count < 10")
    }

    /// Random groups (counts 0–60 with some missing, populations 1–5,000, some small totals, 1–3 levels): batch == compute.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func randomBatchEqualsCompute(seed: UInt64) throws {
        var rng = SplitMix64(state: seed)
        let bands = 19
        let groupCount = 2_000
        let allLevels = [ConfidenceLevel(0.9)!, level95, level998]
        let levels = Array(allLevels.prefix(Int(seed)))
        var counts: [Double] = [], populations: [Double] = []
        for g in 0..<groupCount {
            let small = g % 10 == 0  // every tenth group has at most 19 events: some fall below 10
            for _ in 0..<bands {
                let missing = Int.random(in: 0..<50, using: &rng) == 0
                let count = small ? Double(Int.random(in: 0...1, using: &rng)) : Double(Int.random(in: 0...60, using: &rng))
                counts.append(missing ? .nan : count)
                populations.append(Double(Int.random(in: 1...5_000, using: &rng)) + (g % 3 == 0 ? 0.5 : 0))
            }
        }
        let weights = Self.esp2013.weights
        let batch = try DirectlyStandardisedRate.batch(
            counts: counts, populations: populations, groupCount: groupCount, weights: weights, levels: levels,
            multiplier: 1_000)
        try #require(batch.count == groupCount)
        var suppressed = 0
        for g in 0..<groupCount {
            let range = g * bands..<(g + 1) * bands
            let single = try DirectlyStandardisedRate.compute(
                counts: counts[range].map { $0.isNaN ? nil : $0 }, populations: populations[range].map { $0 },
                weights: weights, bandLabels: Self.labels, levels: levels, multiplier: 1_000)
            #expect(batch[g] == single, "group \(g), seed \(seed)")
            if single.estimate.value == nil { suppressed += 1 }
        }
        #expect(suppressed > 0 && suppressed < groupCount / 10 + 1, "the random groups should include some small totals")
    }

    @Test func invalidGroupIsReportedWithItsIndexAndComputesError() throws {
        let groups = try Self.multiareaGroups()
        for (badValue, inCounts) in [(0.0, false), (-3.0, false), (Double.nan, false), (-1.0, true), (Double.infinity, true)] {
            var counts = groups.flatCounts + groups.flatCounts
            var populations = groups.flatPopulations + groups.flatPopulations
            let index = 4 * 19 + 7  // group 4 (the second copy of testdata_small), band 35-39
            if inCounts { counts[index] = badValue } else { populations[index] = badValue }
            var singleCounts = groups.counts[1], singlePopulations = groups.populations[1]
            if inCounts { singleCounts[7] = badValue } else { singlePopulations[7] = badValue }
            var expected: IndicatorError?
            do {
                _ = try DirectlyStandardisedRate.compute(
                    counts: singleCounts, populations: singlePopulations, weights: Self.esp2013.weights,
                    bandLabels: Self.labels, levels: ConfidenceLevel.defaults)
            } catch {
                expected = error
            }
            let error = try #require(expected, "compute should reject \(badValue)")
            #expect(error.band == "35-39")
            #expect(throws: DirectlyStandardisedRate.BatchError(groupIndex: 4, error: error)) {
                try DirectlyStandardisedRate.batch(
                    counts: counts, populations: populations, groupCount: 6, weights: Self.esp2013.weights,
                    bandLabels: Self.labels, levels: ConfidenceLevel.defaults)
            }
        }
    }

    @Test func invalidWeightIsReportedAgainstGroupZero() {
        var weights = Self.esp2013.weights
        weights[5] = -6000
        #expect(
            throws: DirectlyStandardisedRate.BatchError(
                groupIndex: 0,
                error: IndicatorError("standard weight must be a non-negative number", band: "25-29", value: "-6000"))
        ) {
            try DirectlyStandardisedRate.batch(
                counts: [], populations: [], groupCount: 0, weights: weights, bandLabels: Self.labels,
                levels: ConfidenceLevel.defaults)
        }
        #expect(
            throws: DirectlyStandardisedRate.BatchError(
                groupIndex: 0, error: IndicatorError("the standard weights sum to 0"))
        ) {
            try DirectlyStandardisedRate.batch(
                counts: [1], populations: [1], groupCount: 1, weights: [0], levels: ConfidenceLevel.defaults)
        }
    }

    @Test func noGroupsGiveNoResults() throws {
        #expect(
            try DirectlyStandardisedRate.batch(
                counts: [], populations: [], groupCount: 0, weights: Self.esp2013.weights, levels: ConfidenceLevel.defaults
            ).isEmpty)
    }
}

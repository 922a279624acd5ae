// The life-table inputs the LifeTable, HealthyLifeExpectancy and Decomposition suites share:
// the reference table and groups scaled from it, as data.
import Foundation
import NumericCore

/// The reference table of `life_expectancy_chiang_silcocks.csv` and synthetic groups around it.
public enum LifeTableInputs {
    /// Populations by band (0, 1–4, 5–9, …, 90+).
    public static let referencePopulations: [Double] = [
        7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601,
        50209, 56416, 46411, 39820, 37978, 37039, 33288, 23306, 11936, 11936,
    ]
    /// Deaths by band.
    public static let referenceDeaths: [Double] = [
        17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390, 1605, 1936, 1937,
    ]
    /// e₀ of the reference table, to 4 decimal places.
    public static let referenceLifeExpectancy = 80.1696

    /// `count` groups laid out g·20 + band: group 0 is the reference table, the others scale its
    /// populations by 10^U(−1, 0.5) (about 8,000 to 250,000 people) with ±20% noise per band and
    /// its death rates by ±30%, as small areas by sex and deprivation decile look.
    public static func syntheticGroups(count: Int, seed: UInt64) -> (deaths: [Double], populations: [Double]) {
        var rng = SplitMix64(state: seed)
        var deaths = referenceDeaths, populations = referencePopulations
        deaths.reserveCapacity(count * 20)
        populations.reserveCapacity(count * 20)
        for _ in 1..<count {
            let scale = pow(10, Double.random(in: -1...0.5, using: &rng))
            for b in 0..<20 {
                let p = (referencePopulations[b] * scale * Double.random(in: 0.8...1.2, using: &rng)).rounded()
                let rate = referenceDeaths[b] / referencePopulations[b] * Double.random(in: 0.7...1.3, using: &rng)
                populations.append(p)
                deaths.append(min(p, (rate * p).rounded()))
            }
        }
        return (deaths, populations)
    }
}

import Foundation
import Testing

@testable import Indicators

@Suite struct SlopeIndexOfInequalityInputsTests {
    /// The SII's count/population standard errors come from the one Wilson function of §2
    /// (`WilsonScore`), bit for bit, not from a copy of its formula.
    @Test func proportionStandardErrorsUseWilsonScore() throws {
        let counts: [Double] = [1, 12, 250, 4_999, 0.445]
        let populations: [Double] = [40, 100, 1_000, 5_000, 1]
        let (values, errors) = try SlopeIndexOfInequality.proportions(counts: counts, populations: populations)
        let z = ConfidenceLevel.ninetyFive.z
        for j in counts.indices {
            let wilson = WilsonScore.limits(successes: counts[j], trials: populations[j], level: .ninetyFive)
            let lower = try #require(wilson.lower), upper = try #require(wilson.upper)
            let expected = (log(upper / (1 - upper)) - log(lower / (1 - lower))) / (2 * z)
            #expect(errors[j] == expected, "quantile \(j + 1)")
            #expect(values[j] == counts[j] / populations[j])
        }
    }
}

import Testing
import _TestSupport

@testable import NumericCore

// High-precision reference values computed with mpmath at 40 digits (the defining integrals
// solved by root finding), so each expectation is independent of the code under test.

@Suite struct NormalDistributionTests {
    static let quantiles: [(Double, Double)] = [
        (1e-300, -37.047096299361199237),
        (1e-20, -9.2623400897984075796),
        (1e-10, -6.3613409024040561991),
        (0.0005, -3.2905267314918947874),
        (0.001, -3.0902323061678135354),
        (0.01, -2.3263478740408410931),
        (0.025, -1.9599639845400542118),
        (0.05, -1.644853626951472688),
        (0.1, -1.2815515655446004353),
        (0.3, -0.52440051270804081597),
        (0.5, 0),
        (0.7, 0.52440051270804065631),
        (0.9, 1.2815515655446005935),
        (0.975, 1.9599639845400538556),
        (0.999, 3.0902323061678132778),
        (0.9999999, 5.1993375822906610937),
    ]

    @Test(arguments: quantiles)
    func quantileMatchesHighPrecision(p: Double, expected: Double) {
        expectClose(NormalDistribution.quantile(p), expected, relative: 1e-14, absolute: 1e-300, "p = \(p)")
    }

    @Test func edgeCases() {
        #expect(NormalDistribution.quantile(0) == -.infinity)
        #expect(NormalDistribution.quantile(1) == .infinity)
        #expect(NormalDistribution.quantile(-0.1).isNaN)
        #expect(NormalDistribution.quantile(.nan).isNaN)
    }

    @Test func criticalValuesOfMethodsConventions() {
        expectClose(NormalDistribution.z(for: 0.95), 1.9599639845400542355, relative: 1e-15)
        expectClose(NormalDistribution.z(for: 0.998), 3.0902323061678135415, relative: 1e-15)
    }

    @Test(arguments: [-5.0, -1.96, -0.3, 0, 0.7, 2.5])
    func cdfInvertsQuantile(x: Double) {
        expectClose(NormalDistribution.quantile(NormalDistribution.cdf(x)), x, relative: 1e-12, absolute: 1e-14)
    }
}

@Suite struct ChiSquareDistributionTests {
    static let quantiles: [(Double, Double, Double)] = [
        (1e-10, 1, 1.5707963267948966192e-20),
        (1e-10, 2, 2.0000000001e-10),
        (1e-10, 3, 5.2093976214344802038e-7),
        (1e-10, 10, 0.052331065631905409849),
        (1e-10, 21, 1.1049208329629157406),
        (1e-10, 22, 1.2764471865218026648),
        (1e-10, 100, 34.399823909124818234),
        (0.001, 1, 1.5707971492624898793e-6),
        (0.001, 2, 0.0020010006671670670003),
        (0.001, 3, 0.024297585815692733191),
        (0.001, 10, 1.4787434638356650337),
        (0.001, 21, 6.4466765632173184979),
        (0.001, 22, 6.9829684412305546193),
        (0.001, 100, 61.917939206936623129),
        (0.025, 1, 0.00098206911717525591234),
        (0.025, 2, 0.050635615968579750807),
        (0.025, 3, 0.21579528262389786845),
        (0.025, 10, 3.2469727802368410762),
        (0.025, 21, 10.282897782522862029),
        (0.025, 22, 10.982320734473676564),
        (0.025, 100, 74.22192747492372605),
        (0.5, 1, 0.45493642311957275194),
        (0.5, 2, 1.3862943611198906188),
        (0.5, 3, 2.3659738843753382661),
        (0.5, 10, 9.3418177655919674406),
        (0.5, 21, 20.337227563547926148),
        (0.5, 22, 21.337044807672631696),
        (0.5, 100, 99.334129235988455754),
        (0.975, 1, 5.0238861873148889562),
        (0.975, 2, 7.3777589082278726057),
        (0.975, 3, 9.3484036044961477961),
        (0.975, 10, 20.483177350807396552),
        (0.975, 21, 35.478875905727254419),
        (0.975, 22, 36.780712084035557441),
        (0.975, 100, 129.56119718583659271),
        (0.999, 1, 10.827566170662732293),
        (0.999, 2, 13.815510557964274104),
        (0.999, 3, 16.266236196238130912),
        (0.999, 10, 29.588298445074418794),
        (0.999, 21, 46.797038041561314608),
        (0.999, 22, 48.267942290835175509),
        (0.999, 100, 149.44925277903871123),
    ]

    @Test(arguments: quantiles)
    func quantileMatchesHighPrecision(p: Double, df: Double, expected: Double) {
        expectClose(
            ChiSquareDistribution.quantile(p, degreesOfFreedom: df), expected, relative: 1e-12,
            "p = \(p), df = \(df)")
    }

    @Test func edgeCases() {
        #expect(ChiSquareDistribution.quantile(0, degreesOfFreedom: 2) == 0)
        #expect(ChiSquareDistribution.quantile(1, degreesOfFreedom: 2) == .infinity)
        #expect(ChiSquareDistribution.quantile(0.5, degreesOfFreedom: 0).isNaN)
    }

    @Test(arguments: [0.5, 1.0, 3.5, 11.0, 50.0])
    func cdfAndSurvivalAddToOne(shape: Double) {
        for x in [0.01, 0.5, shape, 2 * shape + 3] {
            let sum = GammaDistribution.cdf(x, shape: shape) + GammaDistribution.survival(x, shape: shape)
            expectClose(sum, 1, relative: 1e-14, "a = \(shape), x = \(x)")
        }
    }
}

@Suite struct StudentTDistributionTests {
    static let quantiles: [(Double, Double, Double)] = [
        (0.975, 1, 12.706204736174704646),
        (0.975, 2, 4.3026527297494638523),
        (0.975, 3, 3.1824463052837095927),
        (0.975, 5, 2.5705818356363155147),
        (0.975, 10, 2.2281388519862747484),
        (0.975, 25, 2.0595385527532977489),
        (0.975, 100, 1.9839715185235522866),
        (0.995, 1, 63.656741162871580995),
        (0.995, 2, 9.9248432009182931147),
        (0.995, 3, 5.8409093097333572607),
        (0.995, 5, 4.0321429835552280784),
        (0.995, 10, 3.1692726726169512346),
        (0.995, 25, 2.7874358136769705446),
        (0.995, 100, 2.6258905214380179306),
        (0.999, 1, 318.30883898555044592),
        (0.999, 2, 22.327124770119875435),
        (0.999, 3, 10.21453185240738655),
        (0.999, 5, 5.8934295313560101276),
        (0.999, 10, 4.1437004940465896662),
        (0.999, 25, 3.4501887269730640262),
        (0.999, 100, 3.1737394937387829389),
        (0.025, 1, -12.706204736174704646),
        (0.025, 2, -4.3026527297494638523),
        (0.025, 3, -3.1824463052837095927),
        (0.025, 5, -2.5705818356363155147),
        (0.025, 10, -2.2281388519862747484),
        (0.025, 25, -2.0595385527532977489),
        (0.025, 100, -1.9839715185235522866),
        (0.6, 1, 0.32491969623290632616),
        (0.6, 2, 0.28867513459481288225),
        (0.6, 3, 0.27667066233268991054),
        (0.6, 5, 0.26718086570414512673),
        (0.6, 10, 0.26018482949208023537),
        (0.6, 25, 0.25605968482715147641),
        (0.6, 100, 0.25402218245822781657),
    ]

    @Test(arguments: quantiles)
    func quantileMatchesHighPrecision(p: Double, df: Double, expected: Double) {
        expectClose(
            StudentTDistribution.quantile(p, degreesOfFreedom: df), expected, relative: 1e-12,
            "p = \(p), df = \(df)")
    }
}

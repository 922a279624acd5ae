import Foundation
import Testing
import _TestSupport

@testable import Indicators

@Suite struct InequalityRangeTests {
    static let levels = ConfidenceLevel.defaults
    static let z95 = ConfidenceLevel.ninetyFive.z  // 1.959963984540054
    static let z998 = ConfidenceLevel(99.8)!.z  // 3.090232306167813

    // MARK: - Absolute range

    /// Life expectancy 74.0 (72.0–76.0) in quantile 1 and 82.0 (81.0–83.0) in quantile k:
    /// range = 82 − 74 = 8; se₁ = (76 − 72)/(2z) = 2/z, se_k = (83 − 81)/(2z) = 1/z;
    /// SE = √(4 + 1)/z = √5/z; 95% limits 8 ∓ z·√5/z = 8 ∓ √5 = 5.763932, 10.236068;
    /// 99.8% limits 8 ∓ 3.090232·√5/1.959964 = 8 ∓ 3.525559 = 4.474441, 11.525559.
    @Test func absoluteRangeFromLimits() {
        let r = InequalityRange.absolute(
            mostDeprived: RangeInput(value: 74, lower95: 72, upper95: 76),
            leastDeprived: RangeInput(value: 82, lower95: 81, upper95: 83),
            levels: Self.levels)
        #expect(r.value == 8)
        #expect(r.note == nil)
        expectClose(r.limits[0].lower, 5.763_932_022_500_21, relative: 1e-13, "lower 95%")
        expectClose(r.limits[0].upper, 10.236_067_977_499_79, relative: 1e-13, "upper 95%")
        expectClose(r.limits[1].lower, 4.474_440_572_703_309, relative: 1e-13, "lower 99.8%")
        expectClose(r.limits[1].upper, 16 - 4.474_440_572_703_309, relative: 1e-13, "upper 99.8%")
    }

    /// Given SEs 0.3 and 0.4: SE = √(0.09 + 0.16) = 0.5; range 2 − 5 = −3 (a gap the other
    /// way round is negative); 95% limits −3 ∓ 0.5·1.959964 = −3.979982, −2.020018.
    @Test func absoluteRangeFromStandardErrors() {
        let r = InequalityRange.absolute(
            mostDeprived: RangeInput(value: 5, standardError: 0.3),
            leastDeprived: RangeInput(value: 2, lower95: 0, upper95: 100, standardError: 0.4),  // SE wins
            levels: [.ninetyFive])
        #expect(r.value == -3)
        expectClose(r.limits[0].lower, -3.979_981_992_270_027, relative: 1e-13, "lower 95%")
        expectClose(r.limits[0].upper, -2.020_018_007_729_973, relative: 1e-13, "upper 95%")
    }

    @Test func absoluteRangeWithoutLimitsKeepsTheValue() {
        let r = InequalityRange.absolute(
            mostDeprived: RangeInput(value: 74), leastDeprived: RangeInput(value: 82, lower95: 81, upper95: 83),
            levels: Self.levels)
        #expect(
            r
                == Estimate(
                    value: 8, limits: [.missing, .missing],
                    note: "limits not computed: no 95% limits or standard error for quantile 1"))
    }

    @Test func absoluteRangeWithReversedLimits() {
        let r = InequalityRange.absolute(
            mostDeprived: RangeInput(value: 74, lower95: 72, upper95: 76),
            leastDeprived: RangeInput(value: 82, lower95: 83, upper95: 81),
            levels: [.ninetyFive])
        #expect(r.value == 8 && r.limits == [.missing])
        #expect(r.note == "limits not computed: 95% limits reversed for quantile k")
    }

    @Test func absoluteRangeNeedsBothValues() {
        let r = InequalityRange.absolute(
            mostDeprived: RangeInput(value: nil, note: "total population ≤ 5,000"),
            leastDeprived: RangeInput(value: 82, lower95: 81, upper95: 83),
            levels: Self.levels)
        #expect(r == .suppressed(levels: 2, note: "not computed: quantile 1 value missing (total population ≤ 5,000)"))
    }

    // MARK: - Relative range

    /// Rates 200 (200/1.2–200·1.2) in quantile 1 and 100 (100/1.1–100·1.1) in quantile k:
    /// ratio = 200/100 = 2; se′₁ = 2·ln 1.2/(2z) = ln 1.2/z, se′_k = ln 1.1/z;
    /// z·√(se′₁² + se′_k²) = √(0.0332412 + 0.0090840) = 0.2057308 at 95%, so the limits are
    /// 2·e^∓0.2057308 = 1.628104, 2.456845; at 99.8% 2·e^∓(0.2057308·3.090232/1.959964) =
    /// 1.445963, 2.766321.
    @Test func relativeRangeFromLimits() {
        let r = InequalityRange.relative(
            mostDeprived: RangeInput(value: 200, lower95: 200 / 1.2, upper95: 200 * 1.2),
            leastDeprived: RangeInput(value: 100, lower95: 100 / 1.1, upper95: 100 * 1.1),
            levels: Self.levels)
        #expect(r.value == 2)
        #expect(r.note == nil)
        expectClose(r.limits[0].lower, 1.628_104_306_559_362, relative: 1e-12, "lower 95%")
        expectClose(r.limits[0].upper, 2.456_845_046_035_849, relative: 1e-12, "upper 95%")
        expectClose(r.limits[1].lower, 1.445_963_471_577_025, relative: 1e-12, "lower 99.8%")
        expectClose(r.limits[1].upper, 4 / 1.445_963_471_577_025, relative: 1e-12, "upper 99.8%")
    }

    @Test func relativeRangeIgnoresAGivenStandardError() {
        let r = InequalityRange.relative(
            mostDeprived: RangeInput(value: 200, standardError: 5),
            leastDeprived: RangeInput(value: 100, lower95: 90, upper95: 110),
            levels: [.ninetyFive])
        #expect(r == Estimate(value: 2, limits: [.missing], note: "limits not computed: no 95% limits for quantile 1"))
    }

    struct SuppressedCase: CustomTestStringConvertible, Sendable {
        var most: RangeInput
        var least: RangeInput
        var note: String
        var testDescription: String { note }
    }

    @Test(arguments: [
        SuppressedCase(
            most: RangeInput(value: 0, lower95: 0, upper95: 3.7), least: RangeInput(value: 10, lower95: 8, upper95: 12),
            note: "not computed: quantile 1 value ≤ 0; quantile 1 lower 95% limit ≤ 0"),
        SuppressedCase(
            most: RangeInput(value: 5, lower95: 1, upper95: 9), least: RangeInput(value: 0.5, lower95: 0, upper95: 2.8),
            note: "not computed: quantile k lower 95% limit ≤ 0"),
        SuppressedCase(
            most: RangeInput(value: 5, lower95: 1, upper95: 9), least: RangeInput(value: -1, lower95: -2, upper95: 0),
            note: "not computed: quantile k value ≤ 0; quantile k lower 95% limit ≤ 0"),
        SuppressedCase(
            most: RangeInput(value: nil), least: RangeInput(value: nil, note: "no LSOAs"),
            note: "not computed: quantile 1 value missing; quantile k value missing (no LSOAs)"),
    ])
    func relativeRangeSuppression(c: SuppressedCase) {
        let r = InequalityRange.relative(mostDeprived: c.most, leastDeprived: c.least, levels: Self.levels)
        #expect(r == .suppressed(levels: 2, note: c.note))
    }

    // MARK: - Core20

    /// Core20 in the role of quantile 1, the rest in the role of quantile k:
    /// difference = rest − Core20 = 80 − 76 = 4, ratio = Core20/rest = 76/80 = 0.95.
    @Test func core20IsQuantileOneAgainstTheRest() {
        let core20 = RangeInput(value: 76, lower95: 75, upper95: 77)
        let rest = RangeInput(value: 80, lower95: 79.5, upper95: 80.5)
        let gap = InequalityRange.absolute(mostDeprived: core20, leastDeprived: rest, levels: [.ninetyFive], roles: .core20)
        #expect(gap.value == 4)
        // se = 1/z and 0.5/z: SE·z = √(1 + 0.25) = 1.118034.
        expectClose(gap.limits[0].lower, 4 - 1.25.squareRoot(), relative: 1e-13, "lower 95%")
        let ratio = InequalityRange.relative(mostDeprived: core20, leastDeprived: rest, levels: [.ninetyFive], roles: .core20)
        expectClose(ratio.value, 0.95, relative: 1e-15, "ratio")
    }

    @Test func core20WithASuppressedPartNamesIt() {
        let le = Estimate(value: nil, limits: [.missing, .missing], note: "total population ≤ 5,000")
        let core20 = RangeInput(le, levels: Self.levels)
        let rest = RangeInput(
            Estimate(
                value: 80,
                limits: [
                    ConfidenceLimits(lower: 79, upper: 81), ConfidenceLimits(lower: 78, upper: 82),
                ]), levels: Self.levels)
        #expect(rest.lower95 == 79 && rest.upper95 == 81)
        let gap = InequalityRange.absolute(mostDeprived: core20, leastDeprived: rest, levels: Self.levels, roles: .core20)
        #expect(gap == .suppressed(levels: 2, note: "not computed: Core20 value missing (total population ≤ 5,000)"))
        let noLSOAs = RangeInput(value: nil, note: "no LSOAs")
        let ratio = InequalityRange.relative(mostDeprived: rest, leastDeprived: noLSOAs, levels: Self.levels, roles: .core20)
        #expect(ratio.note == "not computed: rest of area value missing (no LSOAs)")
    }
}

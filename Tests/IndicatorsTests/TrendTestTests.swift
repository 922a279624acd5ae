import Foundation
import Testing
import _TestSupport

@testable import Indicators

/// A calendar-year point with symmetric 95% limits value ± half.
private func point(_ year: Int, _ value: Double?, _ half: Double = 0.5) -> TrendPoint {
    TrendPoint(
        period: ReportingPeriod(kind: .calendar, firstYear: year), value: value, lower95: value.map { $0 - half },
        upper95: value.map { $0 + half })
}

/// A point for any period text, with its limits.
private func point(_ text: String, _ value: Double, _ lower: Double, _ upper: Double) throws -> TrendPoint {
    TrendPoint(period: try ReportingPeriod(text), value: value, lower95: lower, upper95: upper)
}

@Suite struct TrendTestTests {
    static let input = workedExampleRows("trend_fingertips_input.csv")
    static let expected = workedExampleRows("trend_fingertips_expected.csv")
    /// χ² as the Fingertips tests print it (2 dp), per set and method.
    static let printed: [String: Double] = [
        "set1 weighted_regression": 46.77, "set1 proportion_chi_squared": 47.90,
    ]

    @Test func fixturesAreComplete() {
        #expect(Self.input.count == 10)
        #expect(Self.expected.count == 4)
    }

    static func points(_ set: String) throws -> [TrendPoint] {
        try input.filter { $0["set"] == set }.map { row in
            TrendPoint(
                period: try ReportingPeriod(row["year"]), value: row.number("value"),
                lower95: row.number("lower95_0cl"), upper95: row.number("upper95_0cl"), count: row.number("count"),
                denominator: row.number("denominator"))
        }
    }

    /// trend_fingertips: slope and χ² to 1e-9 relative, χ² to the printed 2 dp exactly, and the marker.
    @Test(arguments: expected)
    func matchesTheFingertipsTrendTests(row: FixtureRow) throws {
        let method = try #require(TrendMethod(rawValue: row["method"]), "\(row)")
        let result = try TrendTest.recentTrend(try Self.points(row["set"]), method: method)
        #expect(result.method == method)
        #expect(result.latestPeriod == ReportingPeriod(kind: .calendar, firstYear: 2018))
        expectClose(result.slope, row.number("slope"), relative: 1e-9, "slope, \(row)")
        expectClose(result.chiSquared, row.number("chi_squared"), relative: 1e-9, "chi-squared, \(row)")
        if let printed = Self.printed["\(row["set"]) \(row["method"])"] {
            let chi = try #require(result.chiSquared)
            #expect((chi * 100).rounded() / 100 == printed, "\(row)")
        }
        #expect(result.marker.rawValue == row["marker"], "\(row)")
        #expect(result.isSignificant == (row["significant"] == "yes"), "\(row)")
        #expect(result.note == nil)
    }

    @Test func polarityNamesBetterOrWorse() throws {
        let points = try Self.points("set1")
        #expect(try TrendTest.recentTrend(points, polarity: .highIsGood).marker == .increasingAndGettingBetter)
        #expect(try TrendTest.recentTrend(points, polarity: .lowIsGood).marker == .increasingAndGettingWorse)
        let falling = points.map { p in
            var q = p
            q.value = p.value.map { 100 - $0 }
            q.lower95 = p.upper95.map { 100 - $0 }
            q.upper95 = p.lower95.map { 100 - $0 }
            return q
        }
        #expect(try TrendTest.recentTrend(falling, polarity: .lowIsGood).marker == .decreasingAndGettingBetter)
        #expect(try TrendTest.recentTrend(falling, polarity: .highIsGood).marker == .decreasingAndGettingWorse)
        #expect(try TrendTest.recentTrend(falling).marker == .decreasing)
        #expect(TrendMarker.noSignificantChange.fingertipsLabel == "No significant change")
    }

    /// Only the latest 5 count, in whatever order the points come.
    @Test func usesTheLatestFivePointsInAnyOrder() throws {
        let points = try Self.points("set1")
        let older = [point(2012, 90, 0.1), point(2013, 5, 0.1)]
        let result = try TrendTest.recentTrend(Array((older + points).reversed()))
        let reference = try TrendTest.recentTrend(points)
        #expect(result == reference)
    }

    /// χ² far above 3.090232², but leaving out the last point turns the slope negative: no significant change.
    @Test func leaveOneOutRule() throws {
        let points = [
            point(2014, 20, 0.1), point(2015, 10, 0.1), point(2016, 10, 0.1), point(2017, 10, 0.1), point(2018, 30, 0.1),
        ]
        let result = try TrendTest.recentTrend(points)
        let chi = try #require(result.chiSquared)
        #expect(chi > TrendTest.criticalChiSquared)
        #expect(try #require(result.slope) > 0)
        #expect(result.marker == .noSignificantChange)
        // Without the dip the same data are increasing.
        let rising = [
            point(2014, 10, 0.1), point(2015, 12, 0.1), point(2016, 14, 0.1), point(2017, 16, 0.1), point(2018, 30, 0.1),
        ]
        #expect(try TrendTest.recentTrend(rising).marker == .increasing)
    }

    @Test func aZeroSlopeCountsAsPositive() {
        #expect(TrendTest.judge(2, 100, [0, 1, 2, 3, 4], .neutral) == .increasing)
        #expect(TrendTest.judge(-2, 100, [0, -1, -2, -3, -4], .neutral) == .noSignificantChange)
        #expect(TrendTest.judge(2, 9.5, [1, 1, 1, 1, 1], .neutral) == .noSignificantChange)  // 9.5 < 3.090232²
        #expect(TrendTest.judge(2, 9.55, [1, 1, 1, 1, 1], .neutral) == .increasing)
        expectClose(TrendTest.criticalChiSquared, 3.090232306167813 * 3.090232306167813, relative: 1e-12)
    }

    /// Rolling and other overlapping or multi-year periods never get a trend, however many there are.
    @Test(arguments: [
        ["2010 - 12", "2011 - 13", "2012 - 14", "2013 - 15", "2014 - 16", "2015 - 17"],
        ["2013/14 - 15/16", "2014/15 - 16/17", "2015/16 - 17/18", "2016/17 - 18/19", "2017/18 - 19/20"],
        ["2016", "2017", "2018", "2018/19", "2019/20"],
        ["2001 - 03", "2004 - 06", "2007 - 09", "2010 - 12", "2013 - 15"],
    ])
    func rollingPeriodsNeverGetATrend(texts: [String]) throws {
        let points = try texts.enumerated().map { i, text in
            try point(text, 10 + 3 * Double(i), 9.9 + 3 * Double(i), 10.1 + 3 * Double(i))
        }
        for method in TrendMethod.allCases {
            let withCounts = points.map { p in
                var q = p
                q.count = 100 + 30 * (p.value ?? 0)
                q.denominator = 10_000
                return q
            }
            let result = try TrendTest.recentTrend(withCounts, method: method)
            #expect(result.marker == .cannotBeCalculated, "\(texts)")
            #expect(result.slope == nil && result.chiSquared == nil)
            let note = try #require(result.note)
            #expect(note.contains("share years") || note.contains("is not a single year"), "\(note)")
        }
    }

    @Test func cannotBeCalculatedSaysWhy() throws {
        let five = try Self.points("set1")
        func note(_ points: [TrendPoint], _ method: TrendMethod = .weightedRegression) throws -> String? {
            let result = try TrendTest.recentTrend(points, method: method)
            #expect(result.marker == .cannotBeCalculated)
            return result.note
        }
        #expect(try note(Array(five.prefix(4))) == "only 4 points: the recent trend needs 5")
        #expect(try note([]) == "no points")
        let biennial = [2010, 2012, 2014, 2016, 2018].map { point($0, 10) }
        #expect(try note(biennial) == "2012 does not follow 2010: the latest 5 points must be consecutive years")
        var gap = five
        gap[2].lower95 = nil
        #expect(try note(gap) == "95% limits missing in 2016")
        gap[2].value = nil
        #expect(try note(gap) == "value missing in 2016")
        var flat = five
        flat[1].upper95 = flat[1].lower95
        #expect(try note(flat) == "the 95% interval of 2015 has no width (23.15 to 23.15)")
        var full = five
        full[3].count = full[3].denominator
        #expect(try note(full, .proportionChiSquared) == "the count equals its denominator in 2017")
        var none = five
        none[0].count = 0
        #expect(try note(none, .proportionChiSquared) == "the count is 0 in 2014, so its logit is undefined")
        var noCount = five
        noCount[4].denominator = nil
        #expect(try note(noCount, .proportionChiSquared) == "denominator missing in 2018")
    }

    @Test func repeatedPeriodsAreAnError() throws {
        let points = [point(2014, 1), point(2015, 2), point(2015, 3)]
        #expect(throws: IndicatorError("period 2015 appears more than once; give one value per period", band: "2015")) {
            try TrendTest.recentTrend(points)
        }
    }
}

@Suite struct GapChangeTests {
    static let z95 = ConfidenceLevel.ninetyFive.z

    /// SII 5 (4–6) in 2015 - 17 and 8 (7–9) in 2018 - 20: se 1/1.959964 each.
    @Test func wideningNarrowingAndNoChange() throws {
        let a = try point("2015 - 17", 5, 4, 6)
        let b = try point("2018 - 20", 8, 7, 9)
        let widening = GapChange.between(a, b)
        let se = 1 / Self.z95
        expectClose(widening.z, 3 / (2 * se * se).squareRoot(), relative: 1e-12)
        #expect(widening.difference == 3)
        #expect(widening.verdict == .widening)
        #expect(widening.ciOverlap == false)
        #expect(widening.note == nil)
        #expect(widening.fromPeriod?.text == "2015 - 17" && widening.toPeriod?.text == "2018 - 20")

        let narrowing = GapChange.between(try point("2015 - 17", 8, 7, 9), try point("2018 - 20", 5, 4, 6))
        #expect(narrowing.verdict == .narrowing)
        expectClose(narrowing.z, -3 / (2 * se * se).squareRoot(), relative: 1e-12)

        let same = GapChange.between(a, try point("2018 - 20", 5.5, 4.5, 6.5))
        #expect(same.verdict == .noSignificantChange)
        #expect(same.ciOverlap == true)

        // Negative gaps: further below 0 is wider.
        let negative = GapChange.between(try point("2015", -5, -6, -4), try point("2019", -8, -9, -7))
        #expect(negative.verdict == .widening)
    }

    /// |z| = 2.5: significant at 95%, not at 99.8%; the intervals overlap, so ONS's rule disagrees.
    @Test func levelAndTheONSRule() throws {
        let se = 1 / Self.z95
        let shift = 2.5 * (2 * se * se).squareRoot()
        let a = try point("2017", 5, 4, 6)
        let b = try point("2019", 5 + shift, 4 + shift, 6 + shift)
        let at95 = GapChange.between(a, b)
        expectClose(at95.z, 2.5, relative: 1e-12)
        #expect(at95.verdict == .widening)
        #expect(at95.ciOverlap == true)
        #expect(GapChange.between(a, b, level: level998).verdict == .noSignificantChange)
    }

    @Test func aReversedGapIsNarrowingWithANote() throws {
        let change = GapChange.between(try point("2015", 3, 2, 4), try point("2019", -3, -4, -2))
        #expect(change.verdict == .narrowing)
        #expect(change.note == "the gap reversed direction, from 3 to -3")
    }

    /// RII 1.5 (1.4–1.6) → 2.0 (1.85–2.16) on the log scale.
    @Test func logScale() throws {
        let a = try point("2012 - 14", 1.5, 1.4, 1.6)
        let b = try point("2018 - 20", 2.0, 1.85, 2.16)
        let change = GapChange.between(a, b, scale: .log)
        let seA = (log(1.6) - log(1.4)) / (2 * Self.z95)
        let seB = (log(2.16) - log(1.85)) / (2 * Self.z95)
        expectClose(change.difference, log(2.0 / 1.5), relative: 1e-12)
        expectClose(change.z, log(2.0 / 1.5) / (seA * seA + seB * seB).squareRoot(), relative: 1e-12)
        #expect(change.verdict == .widening)
        // Below 1 an RII moving further from 1 also widens (log scale: further below 0).
        let below = GapChange.between(try point("2015", 0.8, 0.75, 0.85), try point("2019", 0.6, 0.55, 0.65), scale: .log)
        #expect(below.verdict == .widening)
        // On the identity scale the same RIIs are compared with 0, so 0.8 → 0.6 is narrowing.
        #expect(GapChange.between(try point("2015", 0.8, 0.75, 0.85), try point("2019", 0.6, 0.55, 0.65)).verdict == .narrowing)
        let bad = GapChange.between(try point("2015", 0.5, 0, 1), b, scale: .log)
        #expect(bad.verdict == nil)
        #expect(bad.note == "the log scale needs a positive value and limits (2015: 0.5, 0)")
    }

    @Test func rollingPeriodsGetNoVerdict() throws {
        let overlapping = GapChange.between(try point("2016 - 18", 5, 4, 6), try point("2017 - 19", 9, 8, 10))
        #expect(overlapping.verdict == nil && overlapping.z == nil && overlapping.ciOverlap == nil)
        #expect(
            overlapping.note
                == "2016 - 18 and 2017 - 19 share years (rolling periods): their gaps are not independent, so the change is not tested"
        )

        // The latest is compared with the latest earlier period sharing none of its years.
        let series = try [
            point("2014 - 16", 4, 3, 5), point("2015 - 17", 5, 4, 6), point("2016 - 18", 6, 5, 7),
            point("2017 - 19", 7, 6, 8), point("2018 - 20", 8, 7, 9),
        ]
        let latest = try GapChange.latest(series.shuffled())
        #expect(latest.fromPeriod?.text == "2015 - 17")
        #expect(latest.toPeriod?.text == "2018 - 20")
        #expect(latest.verdict == .widening)
        #expect(
            latest.note
                == "compared with 2015 - 17, the latest period sharing no year with 2018 - 20 (2016 - 18, 2017 - 19 share years with it)"
        )

        let onlyRolling = try GapChange.latest(Array(series.suffix(3)))
        #expect(onlyRolling.verdict == nil && onlyRolling.fromPeriod == nil)
        #expect(
            onlyRolling.note
                == "every earlier period shares a year with 2018 - 20 (rolling periods): periods that share years are not tested")

        let annual = try GapChange.latest([point(2017, 5), point(2018, 5.2), point(2019, 9)])
        #expect(annual.fromPeriod?.text == "2018" && annual.note == nil && annual.verdict == .widening)
        #expect(try GapChange.latest([point(2019, 9)]).note == "only one period: nothing to compare with")
    }

    @Test func missingValuesGetNoVerdict() throws {
        let change = GapChange.between(point(2015, nil), point(2019, 9))
        #expect(change.verdict == nil)
        #expect(change.note == "value missing in 2015")
    }

    @Test func wordsAreTheMethodsWords() {
        #expect(GapChangeVerdict.allCases.map(\.rawValue) == ["widening", "narrowing", "no significant change"])
        #expect(GapScale.allCases.map(\.rawValue) == ["identity", "log"])
    }
}

@Suite struct GapTrendTests {
    @Test func trendOverFiveOrMorePeriods() throws {
        let rising = (0..<6).map { point(2015 + $0, 3 + Double($0), 0.3) }
        let widening = try GapTrend.fit(rising)
        #expect(widening.verdict == .widening)
        expectClose(widening.slope, 1, relative: 1e-12)
        #expect(widening.periods.count == 6)

        let falling = (0..<5).map { point(2015 + $0, 8 - Double($0), 0.3) }
        #expect(try GapTrend.fit(falling).verdict == .narrowing)

        // Non-overlapping 3-year periods: t in years, so the slope is per year.
        let pooled = try [
            point("2005 - 07", 2, 1.7, 2.3), point("2008 - 10", 5, 4.7, 5.3), point("2011 - 13", 8, 7.7, 8.3),
            point("2014 - 16", 11, 10.7, 11.3), point("2017 - 19", 14, 13.7, 14.3),
        ]
        let perYear = try GapTrend.fit(pooled)
        expectClose(perYear.slope, 1, relative: 1e-12)
        #expect(perYear.verdict == .widening)

        let flat = (0..<5).map { point(2015 + $0, 5 + ($0 % 2 == 0 ? 0.1 : -0.1), 2) }
        #expect(try GapTrend.fit(flat).verdict == .noSignificantChange)

        // RIIs below 1 falling further on the log scale are widening.
        let rii = (0..<5).map { i -> TrendPoint in
            let v = 0.9 - 0.1 * Double(i)
            return TrendPoint(
                period: ReportingPeriod(kind: .calendar, firstYear: 2015 + i), value: v, lower95: v * 0.97, upper95: v * 1.03)
        }
        #expect(try GapTrend.fit(rii, scale: .log).verdict == .widening)
    }

    @Test func noTrendForRollingOrFewPeriods() throws {
        let rolling = try (0..<6).map { i in
            try point("\(2010 + i) - \((12 + i) % 100)", 3 + Double(i), 2.9 + Double(i), 3.1 + Double(i))
        }
        let result = try GapTrend.fit(rolling)
        #expect(result.verdict == nil && result.slope == nil)
        #expect(
            result.note
                == "2010 - 12 and 2011 - 13 share years (rolling or overlapping periods): a gap's trend needs periods that share no year"
        )
        let four = (0..<4).map { point(2015 + $0, 3 + Double($0)) }
        #expect(try GapTrend.fit(four).note == "only 4 periods: a gap's trend needs 5")
    }
}

@Suite struct GoalStatusTests {
    /// Baseline 2022 value 10, goal 15 by 2028: the trajectory rises by 5/6 a year.
    @Test func valueTarget() throws {
        let series = [
            point(2021, 9, 1), point(2022, 10, 1), point(2024, 12, 1), point(2025, 10.5, 0.5), point(2029, 15.2, 1),
        ]
        let statuses = try GoalStatus.assess(
            series, goal: Goal(baseline: 2022, target: .value(15), by: 2028), polarity: .highIsGood)
        #expect(statuses.map(\.period.text) == ["2024", "2025", "2029"])
        expectClose(statuses[0].trajectoryValue, 10 + 5.0 * 2 / 6, relative: 1e-12)
        #expect(statuses[0].trajectory == .onTrack)  // 11–13 reaches 11.67
        #expect(statuses[0].comparedToGoal.outcome == .worse)
        expectClose(statuses[1].trajectoryValue, 12.5, relative: 1e-12)
        #expect(statuses[1].trajectory == .offTrack)  // 10–11 stays below 12.5
        #expect(statuses[2].trajectoryValue == 15)  // after `by`, the goal itself
        #expect(statuses[2].trajectory == .onTrack)
        #expect(statuses[2].comparedToGoal.outcome == .similar)
        #expect(statuses.allSatisfy { $0.goalValue == 15 })
    }

    /// SII 10 at baseline 2019/20 - 21/22 (ends 2022), reduce the gap by 20% (to 8) by 2027.
    @Test func reduceTheGap() throws {
        let series = try [
            point("2019/20 - 21/22", 10, 9, 11), point("2022/23 - 24/25", 9.9, 9.5, 10.3),
            point("2023/24 - 25/26", 8.5, 7.5, 9.5),
        ]
        let statuses = try GoalStatus.assess(
            series, goal: Goal(baseline: 2022, target: .reduceGapBy(0.2), by: 2027), polarity: .lowIsGood)
        #expect(statuses.count == 2)
        #expect(statuses[0].goalValue == 8)
        expectClose(statuses[0].trajectoryValue, 10 - 2.0 * 3 / 5, relative: 1e-12)  // ends 2025
        #expect(statuses[0].trajectory == .offTrack)  // 9.5 > 8.8
        #expect(statuses[0].comparedToGoal.outcome == .worse)
        #expect(statuses[1].trajectory == .onTrack)  // 7.5 ≤ 8.4, and below it is towards the goal
        #expect(statuses[1].comparedToGoal.outcome == .similar)
        // The RII's no gap is 1: a 20% reduction of 1.5 is 1.4.
        let rii = try GoalStatus.assess(
            [point(2022, 1.5, 0.1), point(2023, 1.45, 0.1)],
            goal: Goal(baseline: 2022, target: .reduceGapBy(0.2), by: 2026, noGap: 1), polarity: .lowIsGood)
        expectClose(rii.first?.goalValue, 1.4, relative: 1e-12)
    }

    @Test func goalsThatCannotBeAssessedThrow() {
        let series = [point(2022, 10), point(2023, 11)]
        #expect(throws: IndicatorError("a goal's year (by) must come after its baseline 2022", value: "2022")) {
            try GoalStatus.assess(series, goal: Goal(baseline: 2022, target: .value(1), by: 2022), polarity: .lowIsGood)
        }
        #expect(
            throws: IndicatorError(
                "no period ends in the goal's baseline year 2019; give a baseline year the series has", value: "2019")
        ) {
            try GoalStatus.assess(series, goal: Goal(baseline: 2019, target: .value(1), by: 2025), polarity: .lowIsGood)
        }
        #expect(throws: IndicatorError.self) {
            try GoalStatus.assess(series, goal: Goal(baseline: 2022, target: .reduceGapBy(20), by: 2025), polarity: .lowIsGood)
        }
    }

    @Test func missingLimitsLeaveTheTrajectoryOpen() throws {
        var later = point(2024, 12)
        later.upper95 = nil
        let statuses = try GoalStatus.assess(
            [point(2022, 10), later], goal: Goal(baseline: 2022, target: .value(15), by: 2028), polarity: .highIsGood)
        #expect(statuses[0].trajectory == nil)
        #expect(statuses[0].note == "95% limits missing in 2024")
        #expect(statuses[0].comparedToGoal.outcome == .notCompared)
        #expect(GoalTrajectory.allCases.map(\.rawValue) == ["on track", "off track"])
    }
}

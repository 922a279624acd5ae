import Foundation

// Change over time (METHODS.md §12): the recent-trend marker, the change in a gap between two
// periods, the trend in a gap over five or more periods, and progress towards a goal.
//
// Implementation notes. Both trend tests end in the same judgement: χ² above 3.090232² (the
// 99.8% critical value squared) and a slope whose sign survives dropping any one point. That
// rule lives in `judge(slope:chiSquared:leaveOneOut:)`; the fits differ only in how they get a
// slope and χ². Time is t = 1…5 for the recent trend (annual points in consecutive years), and
// years from the first period's midpoint (plus 1) for a gap's trend, so its slope is per year.
// Periods that share a year are never tested: their values share data, so the tests' variances
// would be wrong; the result says so in its note instead of giving a verdict.

/// One period of a series: its value and 95% limits, and for proportions the count and denominator (METHODS.md §12).
public struct TrendPoint: Equatable, Sendable {
    /// The period.
    public var period: ReportingPeriod
    /// The value (a rate, a proportion, an SII…); nil when missing.
    public var value: Double?
    /// The lower 95% limit; nil when missing.
    public var lower95: Double?
    /// The upper 95% limit; nil when missing.
    public var upper95: Double?
    /// The count R (proportions); nil when missing or not used.
    public var count: Double?
    /// The denominator N (proportions); nil when missing or not used.
    public var denominator: Double?

    /// Creates a point (METHODS.md §12).
    public init(
        period: ReportingPeriod, value: Double?, lower95: Double? = nil, upper95: Double? = nil,
        count: Double? = nil, denominator: Double? = nil
    ) {
        self.period = period
        self.value = value
        self.lower95 = lower95
        self.upper95 = upper95
        self.count = count
        self.denominator = denominator
    }
}

/// Which recent-trend test to run (METHODS.md §12).
public enum TrendMethod: String, Sendable, CaseIterable {
    /// Weighted least squares of the value on t, weights 1/se², se = (U95 − L95)/3.92.
    case weightedRegression = "weighted_regression"
    /// The χ² test for trend in proportions from counts and denominators; direction from the logit slope.
    case proportionChiSquared = "proportion_chi_squared"
}

/// The recent-trend marker in METHODS.md §12's words.
public enum TrendMarker: String, Sendable, CaseIterable, Codable {
    /// Significantly increasing, polarity neutral or not applicable.
    case increasing
    /// Significantly decreasing, polarity neutral or not applicable.
    case decreasing
    /// Significantly increasing where high is good.
    case increasingAndGettingBetter = "increasing and getting better"
    /// Significantly increasing where low is good.
    case increasingAndGettingWorse = "increasing and getting worse"
    /// Significantly decreasing where low is good.
    case decreasingAndGettingBetter = "decreasing and getting better"
    /// Significantly decreasing where high is good.
    case decreasingAndGettingWorse = "decreasing and getting worse"
    /// Not significant at 99.8%, or the slope changes sign when a point is left out.
    case noSignificantChange = "no significant change"
    /// Not computed; the result's note says why.
    case cannotBeCalculated = "cannot be calculated"

    /// The words as Fingertips prints them in its `Recent Trend` column: `Increasing and getting better`.
    public var fingertipsLabel: String {
        rawValue.prefix(1).uppercased() + rawValue.dropFirst()
    }
}

/// The recent-trend marker of a series of annual points (METHODS.md §12).
///
/// ```swift
/// let points = years.map { TrendPoint(period: ReportingPeriod(kind: .calendar, firstYear: $0.year),
///                                      value: $0.value, lower95: $0.lower, upper95: $0.upper) }
/// let trend = try TrendTest.recentTrend(points, polarity: .highIsGood)
/// trend.marker   // .increasingAndGettingBetter, with trend.slope and trend.chiSquared
/// ```
///
/// Source: Fingertips technical guidance ("Recent trends"), the Fingertips trend-marker unit
/// tests (`reference/methods/trend_fingertips_*.csv`: χ² 46.7653 weighted, 47.8967 proportions).
public struct TrendTest: Equatable, Sendable {
    /// The latest period of the series (the one the marker is reported against); nil for an empty series.
    public var latestPeriod: ReportingPeriod?
    /// The marker.
    public var marker: TrendMarker
    /// The test that was run.
    public var method: TrendMethod
    /// The slope per point: of the value (weighted regression) or of logit(R/N) (proportions); nil when not computed.
    public var slope: Double?
    /// The χ² statistic (1 degree of freedom); nil when not computed.
    public var chiSquared: Double?
    /// Why the trend could not be calculated, or other remarks; nil when there is nothing to say.
    public var note: String?

    /// Creates a result (METHODS.md §12).
    public init(
        latestPeriod: ReportingPeriod?, marker: TrendMarker, method: TrendMethod, slope: Double? = nil,
        chiSquared: Double? = nil, note: String? = nil
    ) {
        self.latestPeriod = latestPeriod
        self.marker = marker
        self.method = method
        self.slope = slope
        self.chiSquared = chiSquared
        self.note = note
    }

    /// The number of points the recent trend uses: the latest 5.
    public static let pointsUsed = 5

    /// The critical χ²: 3.090232² (99.8%, one degree of freedom).
    public static let criticalChiSquared: Double = {
        let z = ConfidenceLevel(0.998)!.z
        return z * z
    }()

    /// Whether the change is significant: χ² above `criticalChiSquared` and the slope keeps its sign in every leave-one-out fit.
    public var isSignificant: Bool {
        switch marker {
        case .noSignificantChange, .cannotBeCalculated: return false
        default: return true
        }
    }

    /// The recent trend of `points` (any order) by `method`, labelled under `polarity` (METHODS.md §12).
    ///
    /// Uses the latest 5 points, t = 1…5:
    /// ```
    /// weighted:    w = 1/se², se = (U95 − L95)/3.92
    ///              β = (Σw·Σwty − Σwt·Σwy)/(Σw·Σwt² − (Σwt)²),  Var β = Σw/(Σw·Σwt² − (Σwt)²),  χ² = β²/Var β
    /// proportions: χ² = N(N·ΣtR − R·ΣtN)² / [R(N − R)(N·Σt²N − (ΣtN)²)],  N = ΣNₜ, R = ΣRₜ
    ///              slope: least squares of logit(Rₜ/Nₜ) on t
    /// ```
    /// Significant when χ² > 3.090232² and the slope keeps its sign in each of the five fits that
    /// leave one point out (a slope of 0 counts as positive).
    ///
    /// Edge cases (marker `cannot be calculated`, with the reason in `note`): fewer than 5 points;
    /// periods that share a year (rolling or overlapping periods) or are not single years; the
    /// latest 5 not in consecutive years; a missing value or limit (weighted) or count or
    /// denominator (proportions) among them; a zero-width interval; a count of 0 or equal to its
    /// denominator.
    /// - Throws: `IndicatorError` when two points have the same period.
    /// - Complexity: O(*n* log *n*) for *n* points (the sort); the fits are O(1).
    public static func recentTrend(
        _ points: [TrendPoint], method: TrendMethod = .weightedRegression, polarity: Polarity = .neutral
    ) throws(IndicatorError) -> TrendTest {
        let sorted = try sortedSeries(points)
        guard let latest = sorted.last?.period else {
            return TrendTest(latestPeriod: nil, marker: .cannotBeCalculated, method: method, note: "no points")
        }
        func cannot(_ note: String) -> TrendTest {
            TrendTest(latestPeriod: latest, marker: .cannotBeCalculated, method: method, note: note)
        }
        let recent = Array(sorted.suffix(pointsUsed))
        if let note = overlapNote(recent.map(\.period)) {
            return cannot(note + ": the recent trend needs non-overlapping annual points")
        }
        if let wide = recent.first(where: { !$0.period.isAnnual }) {
            return cannot("\(wide.period) is not a single year: the recent trend needs annual points")
        }
        guard recent.count == pointsUsed else {
            return cannot("only \(recent.count) point\(recent.count == 1 ? "" : "s"): the recent trend needs \(pointsUsed)")
        }
        for (a, b) in zip(recent, recent.dropFirst()) where b.period.firstYear != a.period.firstYear + 1 {
            return cannot("\(b.period) does not follow \(a.period): the latest \(pointsUsed) points must be consecutive years")
        }
        let t = (1...pointsUsed).map(Double.init)

        switch method {
        case .weightedRegression:
            var y: [Double] = []
            var w: [Double] = []
            for point in recent {
                guard let value = present(point.value) else { return cannot("value missing in \(point.period)") }
                guard let lower = present(point.lower95), let upper = present(point.upper95) else {
                    return cannot("95% limits missing in \(point.period)")
                }
                let se = (upper - lower) / 3.92
                guard se > 0, se.isFinite else {
                    return cannot("the 95% interval of \(point.period) has no width (\(valueText(lower)) to \(valueText(upper)))")
                }
                y.append(value)
                w.append(1 / (se * se))
            }
            let fit = weightedFit(t: t, y: y, w: w)
            let loo = leaveOneOut(t.count) { keep in
                weightedFit(t: keep.map { t[$0] }, y: keep.map { y[$0] }, w: keep.map { w[$0] }).slope
            }
            return TrendTest(
                latestPeriod: latest, marker: judge(fit.slope, fit.chiSquared, loo, polarity), method: method,
                slope: fit.slope, chiSquared: fit.chiSquared)

        case .proportionChiSquared:
            var r: [Double] = []
            var n: [Double] = []
            for point in recent {
                guard let count = present(point.count) else { return cannot("count missing in \(point.period)") }
                guard let denominator = present(point.denominator) else {
                    return cannot("denominator missing in \(point.period)")
                }
                guard count >= 0, denominator > 0, count <= denominator else {
                    return cannot(
                        "count \(valueText(count)) and denominator \(valueText(denominator)) in \(point.period) are not a proportion"
                    )
                }
                guard count < denominator else { return cannot("the count equals its denominator in \(point.period)") }
                guard count > 0 else { return cannot("the count is 0 in \(point.period), so its logit is undefined") }
                r.append(count)
                n.append(denominator)
            }
            let chi = proportionChiSquared(t: t, r: r, n: n)
            let logits = zip(r, n).map { log($0 / ($1 - $0)) }
            let slope = leastSquaresSlope(t: t, y: logits)
            let loo = leaveOneOut(t.count) { keep in leastSquaresSlope(t: keep.map { t[$0] }, y: keep.map { logits[$0] }) }
            return TrendTest(
                latestPeriod: latest, marker: judge(slope, chi, loo, polarity), method: method, slope: slope,
                chiSquared: chi)
        }
    }

    /// §12's marker for a fit: significant when χ² > critical and every leave-one-out slope has the full slope's sign.
    static func judge(_ slope: Double, _ chiSquared: Double, _ leaveOneOut: [Double], _ polarity: Polarity) -> TrendMarker {
        guard slope.isFinite, chiSquared.isFinite else { return .cannotBeCalculated }
        guard chiSquared > criticalChiSquared, leaveOneOut.allSatisfy({ ($0 >= 0) == (slope >= 0) }) else {
            return .noSignificantChange
        }
        let up = slope >= 0
        switch polarity {
        case .highIsGood: return up ? .increasingAndGettingBetter : .decreasingAndGettingWorse
        case .lowIsGood: return up ? .increasingAndGettingWorse : .decreasingAndGettingBetter
        case .neutral, .notApplicable: return up ? .increasing : .decreasing
        }
    }
}

// MARK: - Change in a gap between two periods

/// The scale a gap is tested on (METHODS.md §12): the SII and ranges as they are, the RII on the log scale.
public enum GapScale: String, Sendable, CaseIterable {
    /// The value itself; no gap is 0 (SII, absolute range).
    case identity
    /// The natural logarithm of the value; no gap is 1, i.e. 0 on the log scale (RII, relative range).
    case log
}

/// Whether a gap has widened (METHODS.md §12).
public enum GapChangeVerdict: String, Sendable, CaseIterable, Codable {
    /// The later gap is significantly further from no gap, in the same direction.
    case widening
    /// The later gap is significantly closer to no gap (or its sign reversed).
    case narrowing
    /// The change is not significant.
    case noSignificantChange = "no significant change"
}

/// The change in a gap between the latest period and an earlier one sharing no year (METHODS.md §12).
///
/// ```
/// se = (U95 − L95)/(2·1.959964)          on the scale (log for the RII)
/// z  = (b − a)/√(se_a² + se_b²)          significant when |z| > z_level (1.959964 at 95%)
/// ```
/// Widening when the later gap lies further from no gap than the earlier one in the same
/// direction, narrowing when closer (or when its sign reverses, with a note). `ciOverlap` is
/// ONS's published rule beside it: the change is significant by that rule when the 95%
/// intervals do not overlap. Source: METHODS.md §12; ONS, *Health state life expectancies by
/// national deprivation deciles*, "Measuring the data".
public struct GapChange: Equatable, Sendable {
    /// The earlier period; nil when there is none to compare with.
    public var fromPeriod: ReportingPeriod?
    /// The later period; nil for an empty series.
    public var toPeriod: ReportingPeriod?
    /// b − a on the scale (for the log scale, the log of the ratio of the two RIIs); nil when not tested.
    public var difference: Double?
    /// The z statistic; nil when not tested.
    public var z: Double?
    /// The verdict; nil when not tested (the note says why).
    public var verdict: GapChangeVerdict?
    /// Whether the two 95% intervals overlap (ONS's rule: no overlap is a significant change); nil when not tested.
    public var ciOverlap: Bool?
    /// Why there is no verdict, or remarks (a reversed gap, periods skipped); nil when there is nothing to say.
    public var note: String?

    /// Creates a result (METHODS.md §12).
    public init(
        fromPeriod: ReportingPeriod?, toPeriod: ReportingPeriod?, difference: Double? = nil, z: Double? = nil,
        verdict: GapChangeVerdict? = nil, ciOverlap: Bool? = nil, note: String? = nil
    ) {
        self.fromPeriod = fromPeriod
        self.toPeriod = toPeriod
        self.difference = difference
        self.z = z
        self.verdict = verdict
        self.ciOverlap = ciOverlap
        self.note = note
    }

    /// The change from the latest earlier period sharing no year with the latest period (METHODS.md §12).
    ///
    /// With rolling periods (`2016 - 18`, `2017 - 19`, `2018 - 20`) the latest is compared with the
    /// latest period before it that shares none of its years (`2015 - 17`), and the note names the
    /// periods skipped; when every earlier period shares a year, there is no verdict and the note says so.
    /// - Throws: `IndicatorError` when two points have the same period.
    /// - Complexity: O(*n* log *n*) for *n* points.
    public static func latest(
        _ series: [TrendPoint], scale: GapScale = .identity, level: ConfidenceLevel = .ninetyFive
    ) throws(IndicatorError) -> GapChange {
        let sorted = try sortedSeries(series)
        guard let later = sorted.last else {
            return GapChange(fromPeriod: nil, toPeriod: nil, note: "no periods")
        }
        let earlierOnes = sorted.dropLast()
        guard !earlierOnes.isEmpty else {
            return GapChange(fromPeriod: nil, toPeriod: later.period, note: "only one period: nothing to compare with")
        }
        guard let earlier = earlierOnes.last(where: { !$0.period.sharesYear(with: later.period) }) else {
            return GapChange(
                fromPeriod: nil, toPeriod: later.period,
                note: "every earlier period shares a year with \(later.period) (rolling periods): "
                    + "periods that share years are not tested")
        }
        var change = between(earlier, later, scale: scale, level: level)
        let skipped = earlierOnes.filter { $0.period > earlier.period }.map(\.period.description)
        if !skipped.isEmpty {
            let list = skipped.joined(separator: ", ")
            let remark =
                "compared with \(earlier.period), the latest period sharing no year with \(later.period) "
                + "(\(list) share\(skipped.count == 1 ? "s" : "") years with it)"
            change.note = change.note.map { remark + "; " + $0 } ?? remark
        }
        return change
    }

    /// The change in a gap from `earlier` to `later` on `scale`, significant at `level` (METHODS.md §12).
    ///
    /// Edge cases (no verdict, with the note): the periods share a year (rolling periods are not
    /// tested); a value or limit is missing; on the log scale a value or limit is not positive;
    /// both intervals have zero width. A later gap whose sign is the reverse of the earlier one's is
    /// narrowing if significant, with a note.
    /// - Complexity: O(1).
    public static func between(
        _ earlier: TrendPoint, _ later: TrendPoint, scale: GapScale = .identity, level: ConfidenceLevel = .ninetyFive
    ) -> GapChange {
        var result = GapChange(fromPeriod: earlier.period, toPeriod: later.period)
        if earlier.period.sharesYear(with: later.period) {
            result.note =
                "\(earlier.period) and \(later.period) share years (rolling periods): "
                + "their gaps are not independent, so the change is not tested"
            return result
        }
        guard let a = onScale(earlier, scale, &result.note), let b = onScale(later, scale, &result.note) else {
            return result
        }
        let zc = ConfidenceLevel.ninetyFive.z
        let seA = (a.upper - a.lower) / (2 * zc)
        let seB = (b.upper - b.lower) / (2 * zc)
        let se = (seA * seA + seB * seB).squareRoot()
        result.difference = b.value - a.value
        result.ciOverlap = max(a.lower, b.lower) <= min(a.upper, b.upper)
        guard se > 0, se.isFinite else {
            result.note = "both 95% intervals have no width: the change cannot be tested"
            return result
        }
        let z = (b.value - a.value) / se
        result.z = z
        guard abs(z) > level.z else {
            result.verdict = .noSignificantChange
            return result
        }
        if a.value != 0 && b.value != 0 && (a.value > 0) != (b.value > 0) {
            result.verdict = .narrowing
            result.note = "the gap reversed direction, from \(valueText(earlier.value)) to \(valueText(later.value))"
        } else {
            result.verdict = abs(b.value) > abs(a.value) ? .widening : .narrowing
        }
        return result
    }

    /// The value and 95% limits of a point on the scale, or nil with the reason in `note`.
    static func onScale(
        _ point: TrendPoint, _ scale: GapScale, _ note: inout String?
    ) -> (value: Double, lower: Double, upper: Double)? {
        guard let v = present(point.value) else {
            note = "value missing in \(point.period)"
            return nil
        }
        guard let l = present(point.lower95), let u = present(point.upper95) else {
            note = "95% limits missing in \(point.period)"
            return nil
        }
        guard l <= u else {
            note = "in \(point.period) the lower 95% limit \(valueText(l)) is above the upper \(valueText(u))"
            return nil
        }
        switch scale {
        case .identity:
            return (v, l, u)
        case .log:
            guard v > 0, l > 0 else {
                note = "the log scale needs a positive value and limits (\(point.period): \(valueText(v)), \(valueText(l)))"
                return nil
            }
            return (Foundation.log(v), Foundation.log(l), Foundation.log(u))
        }
    }
}

// MARK: - Trend in a gap over five or more periods

/// The weighted trend in a gap over five or more non-overlapping periods (METHODS.md §12).
///
/// The weighted regression of ``TrendTest/recentTrend(_:method:polarity:)`` applied to the gap on
/// its scale, over every period given, with t in years from the first period's midpoint (plus 1),
/// so the slope is per year. A significant slope pointing away from no gap (the same sign as the
/// latest gap) is widening; towards it, narrowing.
public struct GapTrend: Equatable, Sendable {
    /// The periods used, in order.
    public var periods: [ReportingPeriod]
    /// The slope per year on the scale; nil when not computed.
    public var slope: Double?
    /// The χ² statistic; nil when not computed.
    public var chiSquared: Double?
    /// The verdict; nil when not computed (the note says why).
    public var verdict: GapChangeVerdict?
    /// Why there is no verdict; nil otherwise.
    public var note: String?

    /// Creates a result (METHODS.md §12).
    public init(
        periods: [ReportingPeriod], slope: Double? = nil, chiSquared: Double? = nil,
        verdict: GapChangeVerdict? = nil, note: String? = nil
    ) {
        self.periods = periods
        self.slope = slope
        self.chiSquared = chiSquared
        self.verdict = verdict
        self.note = note
    }

    /// The minimum number of periods: 5.
    public static let minimumPeriods = 5

    /// Fits the trend of `series` (any order) on `scale` (METHODS.md §12).
    ///
    /// Edge cases (no verdict, with the note): fewer than 5 periods; periods that share a year;
    /// a missing value or limit; a zero-width interval; on the log scale a value or limit that
    /// is not positive.
    /// - Throws: `IndicatorError` when two points have the same period.
    /// - Complexity: O(*n*²) for *n* periods (a leave-one-out fit per period).
    public static func fit(_ series: [TrendPoint], scale: GapScale = .identity) throws(IndicatorError) -> GapTrend {
        let sorted = try sortedSeries(series)
        var result = GapTrend(periods: sorted.map(\.period))
        if let note = overlapNote(result.periods) {
            result.note = note + ": a gap's trend needs periods that share no year"
            return result
        }
        guard sorted.count >= minimumPeriods else {
            result.note = "only \(sorted.count) period\(sorted.count == 1 ? "" : "s"): a gap's trend needs \(minimumPeriods)"
            return result
        }
        var t: [Double] = []
        var y: [Double] = []
        var w: [Double] = []
        guard let origin = sorted.first?.period.midpoint else { return result }
        for point in sorted {
            var note: String?
            guard let v = GapChange.onScale(point, scale, &note) else {
                result.note = note
                return result
            }
            let se = (v.upper - v.lower) / 3.92
            guard se > 0, se.isFinite else {
                result.note = "the 95% interval of \(point.period) has no width"
                return result
            }
            t.append(point.period.midpoint - origin + 1)
            y.append(v.value)
            w.append(1 / (se * se))
        }
        let fit = weightedFit(t: t, y: y, w: w)
        let loo = leaveOneOut(t.count) { keep in
            weightedFit(t: keep.map { t[$0] }, y: keep.map { y[$0] }, w: keep.map { w[$0] }).slope
        }
        result.slope = fit.slope
        result.chiSquared = fit.chiSquared
        switch TrendTest.judge(fit.slope, fit.chiSquared, loo, .neutral) {
        case .cannotBeCalculated:
            result.note = "the regression could not be fitted"
        case .noSignificantChange:
            result.verdict = .noSignificantChange
        default:
            let latest = y[y.count - 1]
            result.verdict = (fit.slope >= 0) == (latest >= 0) ? .widening : .narrowing
        }
        return result
    }
}

// MARK: - Progress towards a goal

/// A goal for an indicator: a baseline year, a target, and the year to reach it by (METHODS.md §11, §12).
///
/// As a plan writes it: `goal: {baseline: 2022, target: {value: 75} | {reduce_gap_by: 20%}, by: 2028}`.
/// Periods are placed on the time axis by the calendar year they end in (`2021/22` and
/// `2020 - 22` end in 2022), so the baseline period is the one ending in the baseline year.
public struct Goal: Equatable, Sendable {
    /// What the goal asks for (METHODS.md §11).
    public enum Target: Equatable, Sendable {
        /// Reach this value.
        case value(Double)
        /// Reduce the baseline gap (its distance from `noGap`) by this fraction (0.2 for 20%).
        case reduceGapBy(Double)
    }

    /// The calendar year the baseline period ends in.
    public var baseline: Int
    /// The target.
    public var target: Target
    /// The calendar year by which the target should be reached.
    public var by: Int
    /// The value meaning no gap, for `reduceGapBy`: 0 for an SII or range, 1 for an RII.
    public var noGap: Double

    /// Creates a goal (METHODS.md §11, §12).
    public init(baseline: Int, target: Target, by: Int, noGap: Double = 0) {
        self.baseline = baseline
        self.target = target
        self.by = by
        self.noGap = noGap
    }
}

/// Whether a period's interval reaches the straight line from the baseline to the goal (METHODS.md §12).
public enum GoalTrajectory: String, Sendable, CaseIterable, Codable {
    /// The 95% interval reaches the trajectory, or lies beyond it towards the goal.
    case onTrack = "on track"
    /// The 95% interval lies wholly on the baseline's side of the trajectory.
    case offTrack = "off track"
}

/// A period compared with a goal and with the straight-line trajectory towards it (METHODS.md §11, §12).
///
/// The goal's value is the benchmark of a `ci95` comparison (Fingertips' "compared to goal":
/// better, similar or worse under the polarity), and the trajectory at a period is
/// ```
/// baseline value + (goal − baseline value)·(year − baseline year)/(by − baseline year)
/// ```
/// (the goal itself after `by`). A period is on track when its 95% interval reaches the
/// trajectory or lies beyond it in the goal's direction.
public struct GoalStatus: Equatable, Sendable {
    /// The period.
    public var period: ReportingPeriod
    /// The goal's value (for `reduceGapBy`, computed from the baseline).
    public var goalValue: Double
    /// Where the straight line from the baseline to the goal is at this period.
    public var trajectoryValue: Double
    /// The period compared with the goal's value.
    public var comparedToGoal: BenchmarkComparison
    /// On or off track; nil when the period's value or limits are missing (see `note`).
    public var trajectory: GoalTrajectory?
    /// Why the trajectory could not be judged; nil otherwise.
    public var note: String?

    /// Creates a status (METHODS.md §11, §12).
    public init(
        period: ReportingPeriod, goalValue: Double, trajectoryValue: Double, comparedToGoal: BenchmarkComparison,
        trajectory: GoalTrajectory?, note: String? = nil
    ) {
        self.period = period
        self.goalValue = goalValue
        self.trajectoryValue = trajectoryValue
        self.comparedToGoal = comparedToGoal
        self.trajectory = trajectory
        self.note = note
    }

    /// The status of every period after the baseline (METHODS.md §11, §12).
    ///
    /// - Throws: `IndicatorError` when `by` is not after the baseline, no period (or more than one)
    ///   ends in the baseline year, the baseline value is missing, a reduction is not between 0
    ///   and 1, or two points have the same period.
    /// - Complexity: O(*n* log *n*) for *n* points.
    public static func assess(
        _ series: [TrendPoint], goal: Goal, polarity: Polarity
    ) throws(IndicatorError) -> [GoalStatus] {
        guard goal.by > goal.baseline else {
            throw IndicatorError(
                "a goal's year (by) must come after its baseline \(goal.baseline)", value: "\(goal.by)")
        }
        let sorted = try sortedSeries(series)
        let candidates = sorted.filter { $0.period.endYear == goal.baseline }
        guard candidates.count == 1, let base = candidates.first else {
            let found = candidates.map(\.period.description).joined(separator: ", ")
            throw IndicatorError(
                candidates.isEmpty
                    ? "no period ends in the goal's baseline year \(goal.baseline); give a baseline year the series has"
                    : "several periods end in the goal's baseline year \(goal.baseline) (\(found)); give one series",
                value: "\(goal.baseline)")
        }
        guard let baseValue = present(base.value) else {
            throw IndicatorError("the goal's baseline value is missing", band: base.period.description)
        }
        let goalValue: Double
        switch goal.target {
        case .value(let v):
            goalValue = v
        case .reduceGapBy(let fraction):
            guard fraction > 0, fraction <= 1 else {
                throw IndicatorError("reduce_gap_by must be a share between 0 and 100%", value: valueText(fraction))
            }
            goalValue = goal.noGap + (baseValue - goal.noGap) * (1 - fraction)
        }
        let span = Double(goal.by - goal.baseline)
        return try sorted.filter { $0.period > base.period }.map { (point) throws(IndicatorError) -> GoalStatus in
            let elapsed = min(Double(point.period.endYear - goal.baseline), span)
            let trajectoryValue = baseValue + (goalValue - baseValue) * elapsed / span
            let compared = try BenchmarkComparison.compare(
                value: point.value, lower95: point.lower95, upper95: point.upper95, benchmark: goalValue,
                polarity: polarity)
            var status = GoalStatus(
                period: point.period, goalValue: goalValue, trajectoryValue: trajectoryValue,
                comparedToGoal: compared, trajectory: nil)
            guard let lower = present(point.lower95), let upper = present(point.upper95) else {
                status.note = "95% limits missing in \(point.period)"
                return status
            }
            let reaches: Bool
            if goalValue < baseValue {
                reaches = lower <= trajectoryValue
            } else if goalValue > baseValue {
                reaches = upper >= trajectoryValue
            } else {
                reaches = lower <= trajectoryValue && trajectoryValue <= upper
            }
            status.trajectory = reaches ? .onTrack : .offTrack
            return status
        }
    }
}

// MARK: - Fits shared by the trend tests

/// The points sorted by period; throws when two have the same period.
func sortedSeries(_ points: [TrendPoint]) throws(IndicatorError) -> [TrendPoint] {
    let sorted = points.sorted { $0.period < $1.period }
    for (a, b) in zip(sorted, sorted.dropFirst()) where a.period == b.period {
        throw IndicatorError("period \(b.period) appears more than once; give one value per period", band: b.period.text)
    }
    return sorted
}

/// A note naming the first two periods (in order) that share a year, or nil when none do.
func overlapNote(_ periods: [ReportingPeriod]) -> String? {
    for (a, b) in zip(periods, periods.dropFirst()) where a.sharesYear(with: b) {
        return "\(a) and \(b) share years (rolling or overlapping periods)"
    }
    return nil
}

/// Weighted least squares of y on t: β = (Σw·Σwty − Σwt·Σwy)/D, Var β = Σw/D, D = Σw·Σwt² − (Σwt)², χ² = β²/Var β.
func weightedFit(t: [Double], y: [Double], w: [Double]) -> (slope: Double, chiSquared: Double) {
    var sw = 0.0
    var swt = 0.0
    var swy = 0.0
    var swt2 = 0.0
    var swty = 0.0
    for i in t.indices {
        sw += w[i]
        swt += w[i] * t[i]
        swy += w[i] * y[i]
        swt2 += w[i] * t[i] * t[i]
        swty += w[i] * t[i] * y[i]
    }
    let d = sw * swt2 - swt * swt
    let slope = (sw * swty - swt * swy) / d
    let variance = sw / d
    return (slope, slope * slope / variance)
}

/// The χ² test for trend in proportions: N(N·ΣtR − R·ΣtN)²/[R(N − R)(N·Σt²N − (ΣtN)²)].
func proportionChiSquared(t: [Double], r: [Double], n: [Double]) -> Double {
    var bigN = 0.0
    var bigR = 0.0
    var stR = 0.0
    var stN = 0.0
    var st2N = 0.0
    for i in t.indices {
        bigN += n[i]
        bigR += r[i]
        stR += t[i] * r[i]
        stN += t[i] * n[i]
        st2N += t[i] * t[i] * n[i]
    }
    let numerator = bigN * (bigN * stR - bigR * stN) * (bigN * stR - bigR * stN)
    return numerator / (bigR * (bigN - bigR) * (bigN * st2N - stN * stN))
}

/// The ordinary least-squares slope of y on t.
func leastSquaresSlope(t: [Double], y: [Double]) -> Double {
    let n = Double(t.count)
    let tBar = t.reduce(0, +) / n
    let yBar = y.reduce(0, +) / n
    var sty = 0.0
    var stt = 0.0
    for i in t.indices {
        sty += (t[i] - tBar) * (y[i] - yBar)
        stt += (t[i] - tBar) * (t[i] - tBar)
    }
    return sty / stt
}

/// The slopes of the `count` fits that each leave one point out; `fit` gets the indices kept.
func leaveOneOut(_ count: Int, _ fit: ([Int]) -> Double) -> [Double] {
    (0..<count).map { left in fit((0..<count).filter { $0 != left }) }
}

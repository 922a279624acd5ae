import Indicators
import Results

// The judgements of a run (METHODS.md §11, §12) as a stage after compute: it takes records in job
// order and hands them on, in the same order, with their comparisons, trends, gap changes and goal
// statuses filled in. It sits in `RunOutputs` between the jobs (or a merge's shard files) and the
// consumers, so a run and a merge of its shards judge the same records the same way.
//
// What it needs and when it has it:
// - A comparison needs the benchmark area's record of the same indicator, sex and period. The
//   benchmark areas' records are handed over first (`prime`: the run computes those jobs before
//   the others, a merge reads them from the shard files before the others), and kept in a
//   dictionary from (benchmark area, indicator, sex, period) to the record: O(1) per comparison.
// - A trend or gap change needs the series over periods. Jobs run in (area, indicator, sex,
//   period) order, so the records of one area, indicator and sex arrive together: a block is held
//   until the next block starts, then judged and handed on. Memory is one block.
//
// Every judgement is made as of the record's period (the series up to and including it), so a new
// period never changes the words of the periods before it, and `history diff` shows only news. The
// latest period's record of a series says, in its note, why it has no verdict.

/// The post-compute stage judging records: comparisons with benchmarks (§11), the recent trend,
/// the change in each gap, and progress towards a goal (§12).
final class JudgementStage {
    /// How one indicator is judged.
    struct Rule {
        /// The polarity; nil: neither compared nor tested over time.
        var polarity: Polarity?
        /// The comparison rule.
        var method: ComparisonMethod
        /// The control limits' unit and value type (`control_limits` only).
        var control: (unit: Double, valueType: ControlLimitValueType)?
        /// Whether the recent trend uses the χ² test for proportions (from counts and denominators).
        var proportions: Bool
        /// The goal and the measure it is set on.
        var goal: (spec: GoalSpec, measure: Measure)?
    }

    /// A benchmark's whole-area value of one indicator, sex and period.
    struct BenchmarkKey: Hashable {
        var area: String
        var indicator: String
        var sex: SexSelection
        var period: Period
    }

    /// A benchmark area as the comparisons name it.
    struct Benchmark {
        var code: String
        var name: String
    }

    private let rules: [String: Rule]
    /// The plan's periods as §12's functions take them, made once.
    private var periods: [Period: ReportingPeriod] = [:]
    /// Each plan area's benchmarks, by area code and type.
    private let benchmarksOfArea: [AreaLabel: [Benchmark]]
    /// The areas whose records are benchmarks.
    let benchmarkAreas: Set<AreaLabel>
    /// The benchmark areas' jobs, ascending (`ResolvedPlan.benchmarkJobs`).
    let benchmarkJobs: [Int]
    private var benchmarkRecords: [BenchmarkKey: ResultRecord] = [:]
    /// Whether `prime` has been given the benchmark records.
    private(set) var primed = false
    private var block: [ResultRecord] = []

    /// The stage of a resolved plan, or nil when no indicator is judged (the records pass untouched).
    init?(_ resolved: ResolvedPlan) {
        var rules: [String: Rule] = [:]
        for indicator in resolved.indicators {
            let spec = indicator.spec
            guard spec.polarity != nil || spec.goal != nil else { continue }
            let method = spec.comparison ?? resolved.plan.comparison
            var control: (Double, ControlLimitValueType)?
            if method == .controlLimits {
                control = (spec.multiplier, spec.method == .proportion ? .proportion : .dsr)
            }
            let goal = spec.goal.flatMap { goal in spec.measures.first.map { (goal, Measure($0)) } }
            rules[spec.id] = Rule(
                polarity: spec.polarity, method: method, control: control, proportions: spec.method == .proportion,
                goal: goal)
        }
        guard !rules.isEmpty else { return nil }
        self.rules = rules
        var benchmarksOfArea: [AreaLabel: [Benchmark]] = [:]
        for (a, list) in resolved.benchmarks.enumerated() where !list.isEmpty {
            benchmarksOfArea[resolved.areas[a].label] = list.map {
                Benchmark(code: resolved.areas[$0.area].code, name: resolved.areas[$0.area].name)
            }
        }
        self.benchmarksOfArea = benchmarksOfArea
        benchmarkAreas = Set(resolved.benchmarkAreas.map { resolved.areas[$0].label })
        benchmarkJobs = benchmarkAreas.isEmpty ? [] : resolved.benchmarkJobs
    }

    /// Keeps the whole-area values among `records` of the benchmark areas (the rest are ignored).
    ///
    /// - Complexity: O(*n*) for *n* records.
    func prime(_ records: [ResultRecord]) {
        primed = true
        for r in records where r.scheme == .none && r.measure == .value && benchmarkAreas.contains(r.area) {
            benchmarkRecords[BenchmarkKey(area: r.area.code, indicator: r.indicator.id, sex: r.sex, period: r.period)] = r
        }
    }

    /// Takes the next records in job order; returns those whose block is complete, judged, in order.
    ///
    /// - Complexity: O(*n*) for *n* records, plus the judgements of each completed block.
    func take(_ records: [ResultRecord]) -> [ResultRecord] {
        var out: [ResultRecord] = []
        out.reserveCapacity(records.count + block.count)
        for r in records {
            if let first = block.first,
                first.area.code != r.area.code || first.area.type != r.area.type || first.indicator.id != r.indicator.id
                    || first.sex != r.sex
            {
                judgeBlock()
                out += block
                block.removeAll(keepingCapacity: true)
            }
            block.append(r)
        }
        return out
    }

    /// The last block, judged (the run's records are all in).
    func finish() -> [ResultRecord] {
        judgeBlock()
        defer { block.removeAll() }
        return block
    }

    // MARK: - A block: one area, indicator and sex over every period

    /// A series within a block: one breakdown cell and measure, over periods of one length.
    private struct SeriesKey: Hashable {
        var scheme: DeprivationScheme
        var quantile: String
        var measure: Measure
        var years: Int
    }

    private func judgeBlock() {
        guard let first = block.first, let rule = rules[first.indicator.id] else { return }
        var series: [SeriesKey: [Int]] = [:]
        var wholeArea: [Period: Int] = [:]
        for (i, r) in block.enumerated() {
            series[
                SeriesKey(scheme: r.scheme, quantile: r.quantile, measure: r.measure, years: r.period.last - r.period.first + 1),
                default: []
            ]
            .append(i)
            if r.scheme == .none && r.measure == .value { wholeArea[r.period] = i }
        }
        if let polarity = rule.polarity {
            compare(rule, polarity: polarity, wholeArea: wholeArea)
        }
        // Series in a stable order, so notes never depend on hashing.
        for (key, indices) in series.sorted(by: { $0.value[0] < $1.value[0] }) {
            let ordered = indices.sorted { block[$0].period < block[$1].period }
            switch key.measure {
            case .value where key.scheme == .none && rule.polarity != nil:
                recentTrends(ordered, rule: rule)
            case .sii, .rii, .absoluteRange, .relativeRange:
                if rule.polarity != nil {
                    gapChanges(ordered, scale: key.measure == .rii || key.measure == .relativeRange ? .log : .identity)
                }
                if let goal = rule.goal, goal.measure == key.measure {
                    goalStatuses(ordered, goal: goal.spec, measure: key.measure)
                }
            default:
                break
            }
        }
    }

    // MARK: Comparisons (§11)

    /// Whole-area values with each benchmark, quantile values with the area as a whole.
    private func compare(_ rule: Rule, polarity: Polarity, wholeArea: [Period: Int]) {
        let benchmarks = benchmarksOfArea[block[0].area] ?? []
        for i in block.indices where block[i].measure == .value {
            let r = block[i]
            var comparisons: [RecordComparison] = []
            if r.scheme == .none {
                for benchmark in benchmarks {
                    let key = BenchmarkKey(area: benchmark.code, indicator: r.indicator.id, sex: r.sex, period: r.period)
                    comparisons.append(comparison(of: i, with: benchmarkRecords[key], benchmark, rule, polarity))
                }
            } else if let w = wholeArea[r.period] {
                comparisons.append(
                    comparison(
                        of: i, with: block[w], Benchmark(code: r.area.code, name: r.area.name + " as a whole"), rule, polarity))
            }
            if !comparisons.isEmpty { block[i].comparisons = comparisons }
        }
    }

    /// Record `i` compared with `other`; a reason for not comparing goes into its note.
    private func comparison(
        of i: Int, with other: ResultRecord?, _ benchmark: Benchmark, _ rule: Rule, _ polarity: Polarity
    ) -> RecordComparison {
        let r = block[i]
        let l95 = r.limits(at: .ninetyFive), l998 = r.limits(at: Self.ninetyNinePointEight)
        let b95 = other?.limits(at: .ninetyFive)
        var result: BenchmarkComparison
        do {
            result = try BenchmarkComparison.compare(
                value: r.value, lower95: l95?.lower, upper95: l95?.upper, lower99_8: l998?.lower, upper99_8: l998?.upper,
                benchmark: other?.value, benchmarkLower95: b95?.lower, benchmarkUpper95: b95?.upper, polarity: polarity,
                method: rule.method,
                controlBasis: rule.control.map {
                    ControlLimitsBasis(denominator: r.denominator, unit: $0.unit, valueType: $0.valueType)
                })
        } catch {
            result = .notCompared(error.description)
        }
        if other == nil { result = .notCompared("\(benchmark.name) has no value for \(r.period.label)") }
        // A missing value already has its note, and not_applicable says it all.
        if result.outcome == .notCompared, let reason = result.reason, r.value != nil, polarity != .notApplicable {
            appendNote(i, "not compared with \(benchmark.name): \(reason)")
        }
        return RecordComparison(
            benchmarkCode: benchmark.code, benchmarkValue: other?.value, outcome: result.outcome, method: rule.method)
    }

    // MARK: Trends (§12)

    /// The recent trend of whole-area values, as of each period.
    private func recentTrends(_ ordered: [Int], rule: Rule) {
        let points = ordered.map { i -> TrendPoint in
            let r = block[i], l = r.limits(at: .ninetyFive)
            return TrendPoint(
                period: reportingPeriod(r.period), value: r.value, lower95: l?.lower, upper95: l?.upper, count: r.count,
                denominator: r.denominator)
        }
        for (k, i) in ordered.enumerated() {
            guard
                let trend = try? TrendTest.recentTrend(
                    Array(points[...k]), method: rule.proportions ? .proportionChiSquared : .weightedRegression,
                    polarity: rule.polarity ?? .neutral)
            else { continue }
            block[i].trend = trend.marker
            if k == ordered.count - 1, ordered.count > 1, trend.marker == .cannotBeCalculated, let note = trend.note {
                appendNote(i, "no recent trend: \(note)")
            }
        }
    }

    /// The change in a gap as of each period: over five or more periods sharing no year (counted
    /// back from it) the weighted trend, else the z test against the latest earlier period sharing
    /// no year. Only the latest period's sentences are written (the others' words need none).
    private func gapChanges(_ ordered: [Int], scale: GapScale) {
        let points = ordered.map { i -> TrendPoint in
            let r = block[i], l = r.limits(at: .ninetyFive)
            return TrendPoint(period: reportingPeriod(r.period), value: r.value, lower95: l?.lower, upper95: l?.upper)
        }
        let last = ordered.count - 1
        for (k, i) in ordered.enumerated() {
            let point = points[k]
            // The chain of periods sharing no year, back from this one.
            var chain = [point]
            for earlier in points[..<k].reversed() where !earlier.period.sharesYear(with: chain[chain.count - 1].period) {
                chain.append(earlier)
            }
            var verdict: GapChangeVerdict?
            var note: String?
            if chain.count >= GapTrend.minimumPeriods, let trend = try? GapTrend.fit(Array(chain.reversed()), scale: scale) {
                verdict = trend.verdict
                if k == last {
                    note =
                        verdict == nil
                        ? trend.note
                        : "weighted trend over the \(chain.count) periods sharing no year from \(chain[chain.count - 1].period) to \(point.period)"
                }
            } else if chain.count > 1 {
                let change = GapChange.between(chain[1], point, scale: scale)
                verdict = change.verdict
                if k == last { note = verdict == nil ? change.note : "\(chain[1].period) to \(point.period), z test" }
            } else if k == last && k > 0 {
                note =
                    "every earlier period shares a year with \(point.period) (rolling periods): periods that share years are not tested"
            }
            block[i].gapChange = verdict
            if k == last, k > 0, let note {
                appendNote(i, verdict == nil ? "no gap change: \(note)" : "gap change: \(note)")
            }
        }
    }

    /// Each period after the goal's baseline compared with the goal and its trajectory.
    private func goalStatuses(_ ordered: [Int], goal spec: GoalSpec, measure: Measure) {
        let noGap: Double = measure == .rii || measure == .relativeRange ? 1 : 0
        let points = ordered.map { i -> TrendPoint in
            let r = block[i], l = r.limits(at: .ninetyFive)
            return TrendPoint(period: reportingPeriod(r.period), value: r.value, lower95: l?.lower, upper95: l?.upper)
        }
        guard let base = points.first(where: { $0.period.endYear == spec.baseline })?.value else {
            if let last = ordered.last, points.contains(where: { $0.period.endYear > spec.baseline }) {
                appendNote(
                    last, "no goal status: no period of this length ends in the baseline year \(spec.baseline) with a value")
            }
            return
        }
        // Lower is better when the goal lies below the baseline (a gap to close from above), and so on.
        let goalValue: Double
        switch spec.target {
        case .value(let v): goalValue = v
        case .reduceGapBy(let share): goalValue = noGap + (base - noGap) * (1 - share)
        }
        let polarity: Polarity = goalValue < base ? .lowIsGood : goalValue > base ? .highIsGood : .neutral
        let goal = Goal(baseline: spec.baseline, target: spec.target, by: spec.by, noGap: noGap)
        let statuses: [GoalStatus]
        do {
            statuses = try GoalStatus.assess(points, goal: goal, polarity: polarity)
        } catch {
            if let last = ordered.last { appendNote(last, "no goal status: \(error.description)") }
            return
        }
        var byPeriod: [ReportingPeriod: GoalStatus] = [:]
        for status in statuses { byPeriod[status.period] = status }
        for i in ordered {
            guard let status = byPeriod[reportingPeriod(block[i].period)] else { continue }
            block[i].goalStatus = RecordGoalStatus(comparison: status.comparedToGoal.outcome, trajectory: status.trajectory)
        }
    }

    // MARK: Helpers

    /// The second level of `ci95_99_8`.
    private static let ninetyNinePointEight = ConfidenceLevel(99.8)!

    /// A plan period as §12's functions take it: calendar years, named in notes as `results.csv` names them.
    private func reportingPeriod(_ p: Period) -> ReportingPeriod {
        if let known = periods[p] { return known }
        let made = (try? ReportingPeriod(p.label)) ?? ReportingPeriod(kind: .calendar, firstYear: p.first, lastYear: p.last)
        periods[p] = made
        return made
    }

    private func appendNote(_ i: Int, _ text: String) {
        block[i].note = block[i].note.map { $0 + "; " + text } ?? text
    }
}

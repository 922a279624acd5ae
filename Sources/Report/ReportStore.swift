import Indicators
import Results

/// The records a report needs, kept as they arrive: memory stays bounded by keeping deprivation
/// cells of each series' latest period only.
///
/// Kept: every whole-area value (every period, for sparklines and trends), the decile and quintile
/// cells of each series' latest period (a newer period replaces an older one), every SII, RII and
/// range of decile and quintile breakdowns (every period, for the gap over time), each gap
/// decomposition's contributions of its latest period, and a count of suppressed values by reason.
/// Core20 rows and older cells are dropped.
public struct ReportStore: Sendable {
    /// A series: one indicator, area and sex.
    public struct SeriesKey: Hashable, Sendable {
        /// The indicator's id.
        public var indicator: String
        /// The area's code.
        public var area: String
        /// The sexes.
        public var sex: SexSelection
    }

    /// A series broken down by a deprivation scheme.
    public struct BreakdownKey: Hashable, Sendable {
        /// The series.
        public var series: SeriesKey
        /// The breakdown.
        public var scheme: DeprivationScheme
    }

    /// An indicator as the report describes it.
    public struct IndicatorInfo: Sendable {
        /// Id and title.
        public var label: IndicatorLabel
        /// The statistic.
        public var method: IndicatorMethod
        /// The age range (`at birth`, `0-74`).
        public var age: String
        /// The sexes seen, in order.
        public var sexes: [SexSelection]
    }

    /// Indicators in the order first seen.
    public private(set) var indicators: [IndicatorInfo] = []
    /// Areas in the order first seen.
    public private(set) var areas: [AreaLabel] = []
    /// Every period seen, ascending.
    public private(set) var periods: [Period] = []
    /// IMD editions seen.
    public private(set) var imdEditions: [String] = []
    /// Whole-area values by series and period.
    public private(set) var whole: [SeriesKey: [Period: ResultRecord]] = [:]
    /// The latest period's cells of each breakdown (in quantile order once sorted by `cells(_:)`).
    public private(set) var latestCells: [BreakdownKey: (period: Period, records: [ResultRecord])] = [:]
    /// Gap measures by breakdown, period and measure.
    public private(set) var measures: [BreakdownKey: [Period: [Measure: ResultRecord]]] = [:]
    /// The latest period's `gap_contribution` records of each gap decomposition, by comparison
    /// (the breakdown of most against least deprived; `none` for the area against the benchmark).
    public private(set) var gaps: [BreakdownKey: (period: Period, records: [ResultRecord])] = [:]
    /// Values without a number, counted by reason.
    public private(set) var suppressed: [String: Int] = [:]
    /// Records seen.
    public private(set) var recordCount = 0

    private var indicatorIndex: [String: Int] = [:]
    private var areaIndex: Set<String> = []
    private var periodSet: Set<Period> = []

    /// An empty store.
    public init() {}

    /// Keeps what the report needs of `records`.
    public mutating func add<S: Sequence>(_ records: S) where S.Element == ResultRecord {
        for r in records { add(r) }
    }

    /// Keeps what the report needs of one record.
    public mutating func add(_ r: ResultRecord) {
        recordCount += 1
        if let i = indicatorIndex[r.indicator.id] {
            if !indicators[i].sexes.contains(r.sex) {
                indicators[i].sexes.append(r.sex)
                indicators[i].sexes.sort()
            }
        } else {
            indicatorIndex[r.indicator.id] = indicators.count
            indicators.append(IndicatorInfo(label: r.indicator, method: r.method, age: r.age, sexes: [r.sex]))
        }
        if !areaIndex.contains(r.area.code) {
            areaIndex.insert(r.area.code)
            areas.append(r.area)
        }
        if !periodSet.contains(r.period) {
            periodSet.insert(r.period)
            periods.append(r.period)
            periods.sort()
        }
        if !imdEditions.contains(r.imdEdition) && !r.imdEdition.isEmpty { imdEditions.append(r.imdEdition) }
        if r.value == nil { suppressed[r.note ?? "no reason given", default: 0] += 1 }

        let series = SeriesKey(indicator: r.indicator.id, area: r.area.code, sex: r.sex)
        if r.measure == .gapContribution {
            let key = BreakdownKey(series: series, scheme: r.scheme)
            if let kept = gaps[key], r.period <= kept.period {
                if r.period == kept.period { gaps[key]!.records.append(r) }
            } else {
                gaps[key] = (r.period, [r])
            }
            return
        }
        if r.scheme == .none {
            if r.measure == .value { whole[series, default: [:]][r.period] = r }
            return
        }
        guard r.scheme.takesSlopeIndex else { return }
        let key = BreakdownKey(series: series, scheme: r.scheme)
        if r.measure == .value {
            if let kept = latestCells[key] {
                if r.period > kept.period {
                    latestCells[key] = (r.period, [r])
                } else if r.period == kept.period {
                    latestCells[key]!.records.append(r)
                }
            } else {
                latestCells[key] = (r.period, [r])
            }
        } else {
            measures[key, default: [:]][r.period, default: [:]][r.measure] = r
        }
    }

    /// The comparison a report shows of a gap decomposition for an area: most against least
    /// deprived by local quintiles, else local deciles, national quintiles, national deciles; else
    /// the area against the benchmark.
    public func primaryGap(indicator: String, area: String, sex: SexSelection) -> BreakdownKey? {
        let series = SeriesKey(indicator: indicator, area: area, sex: sex)
        for scheme in [DeprivationScheme.localQuintiles, .localDeciles, .nationalQuintiles, .nationalDeciles, .none] {
            let key = BreakdownKey(series: series, scheme: scheme)
            if gaps[key] != nil { return key }
        }
        return nil
    }

    /// The indicator with this id.
    public func indicator(_ id: String) -> IndicatorInfo? { indicatorIndex[id].map { indicators[$0] } }

    /// The breakdown a report charts for an area: local deciles, else national deciles, else national quintiles.
    public func primaryScheme(indicator: String, area: String, sex: SexSelection) -> DeprivationScheme? {
        let series = SeriesKey(indicator: indicator, area: area, sex: sex)
        for scheme in [DeprivationScheme.localDeciles, .nationalDeciles, .nationalQuintiles]
        where latestCells[BreakdownKey(series: series, scheme: scheme)] != nil {
            return scheme
        }
        return nil
    }

    /// The latest period's cells of a breakdown, one per quantile label in order (nil where no record came).
    public func cells(_ key: BreakdownKey) -> (period: Period, cells: [ResultRecord?])? {
        guard let kept = latestCells[key] else { return nil }
        let byLabel = Dictionary(kept.records.map { ($0.quantile, $0) }, uniquingKeysWith: { a, _ in a })
        return (kept.period, key.scheme.cellLabels.map { byLabel[$0] })
    }

    /// The latest whole-area value of a series, with its period.
    public func latestWhole(_ series: SeriesKey) -> ResultRecord? {
        guard let byPeriod = whole[series], let last = byPeriod.keys.max() else { return nil }
        return byPeriod[last]
    }

    /// A gap measure of a breakdown in a period.
    public func measure(_ measure: Measure, _ key: BreakdownKey, period: Period) -> ResultRecord? {
        measures[key]?[period]?[measure]
    }
}

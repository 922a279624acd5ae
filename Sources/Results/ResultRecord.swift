import Indicators

/// One result of a run: a value, a gap measure or a judgement for one indicator, area, sex, age,
/// period and deprivation cell, with its limits at each confidence level.
///
/// A job returns records; every output is a consumer of them (`results.csv`, the area tables, the
/// report, the history store, shard files). `ResultsCSV` writes and reads the long table's row
/// of a record, so a published `results.csv` reads back into the same records.
public struct ResultRecord: Codable, Sendable, Equatable {
    /// The indicator's identifier and title.
    public var indicator: IndicatorLabel
    /// The statistic the indicator computes.
    public var method: IndicatorMethod
    /// The area the result describes.
    public var area: AreaLabel
    /// The sexes summed.
    public var sex: SexSelection
    /// The age range, as written in outputs (`all`, `0-74`, `0` for life expectancy at birth).
    public var age: String
    /// The years pooled.
    public var period: Period
    /// The name of the IMD edition the deprivation cells come from (`IMD 2019`).
    public var imdEdition: String
    /// The deprivation breakdown (`none` for the whole area and for its measures' own rows).
    public var scheme: DeprivationScheme
    /// The cell of the breakdown: `""` (the whole area, or a gap measure), `1`…`k`, `core20`, `rest`.
    public var quantile: String
    /// What `value` is.
    public var measure: Measure
    /// The value, or nil where suppressed.
    public var value: Double?
    /// The limits, one entry per level the indicator computes (in the indicator's level order).
    public var limits: [LevelLimits]
    /// Events (deaths), or an ISR's observed count.
    public var count: Double?
    /// The population (person-years), or an ISR's expected count.
    public var denominator: Double?
    /// Why a value is missing, or another remark.
    public var note: String?
    /// The comparisons with the record's benchmarks (METHODS.md §11), in the plan's benchmark order:
    /// a whole-area value with England, the region, the ICB; a quantile with its area as a whole.
    /// Nil where the indicator has no polarity or the record is not a value.
    public var comparisons: [RecordComparison]? = nil
    /// The recent-trend marker of the series up to the record's period (METHODS.md §12); whole-area values only.
    public var trend: TrendMarker? = nil
    /// Whether the gap widened up to the record's period (METHODS.md §12); gap measures only.
    public var gapChange: GapChangeVerdict? = nil
    /// The period compared with the indicator's goal and its trajectory (METHODS.md §11, §12); the goal's gap only.
    public var goalStatus: RecordGoalStatus? = nil
    /// The cause of death a `gap_contribution` is from (a plan's cause name, `other` for the
    /// deaths the named causes leave, `all` for every cause); nil for every other measure.
    public var cause: String? = nil

    /// Creates a record.
    public init(
        indicator: IndicatorLabel, method: IndicatorMethod, area: AreaLabel, sex: SexSelection, age: String,
        period: Period, imdEdition: String, scheme: DeprivationScheme, quantile: String, measure: Measure,
        value: Double?, limits: [LevelLimits], count: Double?, denominator: Double?, note: String?, cause: String? = nil
    ) {
        self.indicator = indicator
        self.method = method
        self.area = area
        self.sex = sex
        self.age = age
        self.period = period
        self.imdEdition = imdEdition
        self.scheme = scheme
        self.quantile = quantile
        self.measure = measure
        self.value = value
        self.limits = limits
        self.count = count
        self.denominator = denominator
        self.note = note
        self.cause = cause
    }

    /// The limits at `level`, or nil when the record has none at that level.
    public func limits(at level: ConfidenceLevel) -> LevelLimits? { limits.first { $0.level == level } }

    /// The first comparison (the one `results.csv` shows), or nil.
    public var comparison: RecordComparison? { comparisons?.first }
}

/// A record compared with one benchmark (METHODS.md §11): which, its value, the word and the rule.
public struct RecordComparison: Codable, Sendable, Equatable {
    /// The benchmark's area code (England `E92000001`, a region, the ICB; for a quantile, its own area).
    public var benchmarkCode: String
    /// The benchmark's value, or nil where it is missing.
    public var benchmarkValue: Double?
    /// The outcome in §11's words (`better`, `similar`, …, `not compared`).
    public var outcome: ComparisonOutcome
    /// The rule applied.
    public var method: ComparisonMethod

    /// Creates a comparison (METHODS.md §11).
    public init(benchmarkCode: String, benchmarkValue: Double?, outcome: ComparisonOutcome, method: ComparisonMethod) {
        self.benchmarkCode = benchmarkCode
        self.benchmarkValue = benchmarkValue
        self.outcome = outcome
        self.method = method
    }
}

/// A period compared with a goal (METHODS.md §11, §12): the compared-to-goal word and the trajectory.
///
/// Written `better, on track` (the §11 word, then `on track` or `off track` when the period's
/// limits let the trajectory be judged).
public struct RecordGoalStatus: Codable, Sendable, Equatable {
    /// The period's value compared with the goal's value by the 95% interval.
    public var comparison: ComparisonOutcome
    /// On or off the straight line from the baseline to the goal; nil when the limits are missing.
    public var trajectory: GoalTrajectory?

    /// Creates a status (METHODS.md §11, §12).
    public init(comparison: ComparisonOutcome, trajectory: GoalTrajectory?) {
        self.comparison = comparison
        self.trajectory = trajectory
    }

    /// `better, on track`, or the word alone without a trajectory.
    public var text: String { comparison.rawValue + (trajectory.map { ", " + $0.rawValue } ?? "") }

    /// Reads `text`; nil for anything else (METHODS.md §11, §12).
    public init?(text: String) {
        let parts = text.split(separator: ",", maxSplits: 1).map { String($0.drop { $0 == " " }) }
        guard let first = parts.first, let comparison = ComparisonOutcome(rawValue: first) else { return nil }
        var trajectory: GoalTrajectory?
        if parts.count == 2 {
            guard let t = GoalTrajectory(rawValue: parts[1]) else { return nil }
            trajectory = t
        }
        self.init(comparison: comparison, trajectory: trajectory)
    }
}

/// An indicator's identifier (`le_birth`) and title (`Life expectancy at birth`).
public struct IndicatorLabel: Codable, Sendable, Hashable {
    /// Letters, digits, `_` and `-`; unique within a plan.
    public var id: String
    /// The title people read.
    public var name: String

    /// Creates a label.
    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// An area as results name it: ONS code, name and kind.
public struct AreaLabel: Codable, Sendable, Hashable {
    /// The ONS code (`E08000012`), or a plan's own code for a custom group.
    public var code: String
    /// The name (`Liverpool`).
    public var name: String
    /// The kind of area.
    public var type: AreaType

    /// Creates a label.
    public init(code: String, name: String, type: AreaType) {
        self.code = code
        self.name = name
        self.type = type
    }
}

/// The kinds of area a plan reports on (the long table's `area_type`).
public enum AreaType: String, Codable, Sendable, CaseIterable {
    /// England as a whole.
    case england
    /// An English region.
    case region
    /// An integrated care board.
    case icb
    /// A Place of an ICB (one local authority).
    case place
    /// A local authority.
    case la
    /// A combined authority.
    case combinedAuthority = "combined_authority"
    /// A group of local authorities named in the plan.
    case group
}

/// What a record's value is (the long table's `measure`).
public enum Measure: String, Codable, Sendable, CaseIterable {
    /// The indicator's statistic for the area or one of its cells.
    case value
    /// Slope index of inequality (METHODS.md §6).
    case sii
    /// Relative index of inequality (METHODS.md §6).
    case rii
    /// Quantile k − quantile 1, or rest − Core20 (METHODS.md §8).
    case absoluteRange = "absolute_range"
    /// Quantile 1 / quantile k, or Core20 / rest (METHODS.md §8).
    case relativeRange = "relative_range"
    /// A healthy life expectancy's life expectancy eₓ from the same life table, with its limits (METHODS.md §5, §9).
    case lifeExpectancy = "le"
    /// A healthy life expectancy's years in poorer health, eₓ − HLEₓ (METHODS.md §9); no limits.
    case yearsInPoorerHealth = "years_in_poorer_health"
    /// The years of a life-expectancy gap one age band and cause account for (Arriaga, METHODS.md
    /// §10); the record of age `all` and cause `all` is the whole gap. No limits.
    case gapContribution = "gap_contribution"

    /// The measure of an inequality measure's rows.
    public init(_ inequality: InequalityMeasure) {
        switch inequality {
        case .sii: self = .sii
        case .rii: self = .rii
        case .absoluteRange: self = .absoluteRange
        case .relativeRange: self = .relativeRange
        }
    }
}

/// The lower and upper limits of a record at one confidence level.
public struct LevelLimits: Codable, Sendable, Equatable {
    /// The level.
    public var level: ConfidenceLevel
    /// The lower limit, or nil where not computed.
    public var lower: Double?
    /// The upper limit, or nil where not computed.
    public var upper: Double?

    /// Creates limits at a level.
    public init(level: ConfidenceLevel, lower: Double?, upper: Double?) {
        self.level = level
        self.lower = lower
        self.upper = upper
    }
}

extension ResultRecord {
    /// The estimate's value, limits at `levels` and note as a record's fields.
    public static func fields(of estimate: Estimate, levels: [ConfidenceLevel]) -> (
        value: Double?, limits: [LevelLimits], note: String?
    ) {
        let limits = levels.enumerated().map { i, level in
            let pair = i < estimate.limits.count ? estimate.limits[i] : .missing
            return LevelLimits(level: level, lower: pair.lower, upper: pair.upper)
        }
        return (estimate.value, limits, estimate.note)
    }
}

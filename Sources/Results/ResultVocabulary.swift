// The words a result is described in: its period, method, deprivation breakdown, measure and
// sex. Every consumer of records (CSV, area tables, report, history store, shard files) and the
// runner that produces them share these, so a breakdown or a measure is named in one place.

/// A period: one year or several pooled years, labelled `2019` or `2018-2020`.
public struct Period: Sendable, Hashable, Comparable, Codable {
    /// The first year.
    public var first: Int
    /// The last year (inclusive).
    public var last: Int

    /// Creates a period.
    public init(first: Int, last: Int) {
        self.first = first
        self.last = last
    }

    /// `2019`, or `2018-2020`.
    public var label: String { first == last ? "\(first)" : "\(first)-\(last)" }

    /// Reads a label written by `label` (`2019`, `2018-2020`); nil for anything else.
    public init?(label: String) {
        let parts = label.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count <= 2, let first = Int(parts[0]), let last = Int(parts.last!), first <= last else { return nil }
        self.init(first: first, last: last)
    }

    /// Whether the two periods have a year in common.
    public func overlaps(_ other: Period) -> Bool { first <= other.last && other.first <= last }

    /// Chronological order: by first year, then last.
    public static func < (a: Period, b: Period) -> Bool { (a.first, a.last) < (b.first, b.last) }
}

/// The statistic an indicator computes.
public enum IndicatorMethod: String, Sendable, CaseIterable, Codable {
    /// Life expectancy (Chiang II, METHODS.md §5).
    case lifeExpectancy = "life_expectancy"
    /// Directly standardised rate (METHODS.md §3).
    case dsr
    /// Crude rate per multiplier (METHODS.md §2).
    case crudeRate = "crude_rate"
    /// Proportion with Wilson limits (METHODS.md §2).
    case proportion
    /// Indirectly standardised ratio (METHODS.md §4).
    case isr
    /// Healthy life expectancy by Sullivan's method (METHODS.md §9).
    case healthyLifeExpectancy = "healthy_life_expectancy"
    /// The gap in life expectancy at birth split by age band and cause of death, Arriaga's
    /// method as the OHID Segment Tool uses it (METHODS.md §10).
    case leGapDecomposition = "le_gap_decomposition"
}

/// A deprivation breakdown of an indicator.
public enum DeprivationScheme: String, Sendable, CaseIterable, Comparable, Codable {
    /// The whole area, no breakdown (always written).
    case none
    /// National IMD deciles (1 = most deprived 10% of England).
    case nationalDeciles = "national_deciles"
    /// National IMD quintiles.
    case nationalQuintiles = "national_quintiles"
    /// Deciles within each local authority or Place (METHODS.md §7).
    case localDeciles = "local_deciles"
    /// Quintiles within each local authority or Place (METHODS.md §7), as the Segment Tool splits an area.
    case localQuintiles = "local_quintiles"
    /// Core20 (national deciles 1–2) and the rest of the area.
    case core20

    /// The number of quantiles (0 for none and Core20).
    public var quantiles: Int {
        switch self {
        case .nationalDeciles, .localDeciles: return 10
        case .nationalQuintiles, .localQuintiles: return 5
        case .none, .core20: return 0
        }
    }

    /// The number of cells the breakdown has: 1 for the whole area, 2 for Core20 and the rest, else `quantiles`.
    public var cells: Int {
        switch self {
        case .none: return 1
        case .core20: return 2
        default: return quantiles
        }
    }

    /// The quantile labels of the breakdown's cells, in cell order: `""`, `core20`/`rest`, or `1`…`k`.
    public var cellLabels: [String] {
        switch self {
        case .none: return [""]
        case .core20: return ["core20", "rest"]
        default: return (1...quantiles).map(String.init)
        }
    }

    /// The cell (0-based) an LSOA falls in, from its national decile (1–10), its local decile (1–10)
    /// and its local quintile (1–5; either local one 0 where its area is too small for them: no
    /// cell). The one home of decile → quintile and decile → Core20 (national deciles 1–2) rules
    /// (METHODS.md §7). Local quintiles are cut on their own, not paired from local deciles (in an
    /// area of 5 to 9 LSOAs there are quintiles but no deciles).
    public func cell(nationalDecile: Int, localDecile: Int, localQuintile: Int = 0) -> Int? {
        switch self {
        case .none: return 0
        case .nationalDeciles: return nationalDecile - 1
        case .nationalQuintiles: return (nationalDecile + 1) / 2 - 1
        case .localDeciles: return localDecile > 0 ? localDecile - 1 : nil
        case .localQuintiles: return localQuintile > 0 ? localQuintile - 1 : nil
        case .core20: return nationalDecile <= 2 ? 0 : 1
        }
    }

    /// Whether the breakdown ranks an area's own LSOAs (local deciles and quintiles: only a local
    /// authority or Place has them).
    public var isLocal: Bool { self == .localDeciles || self == .localQuintiles }

    /// Whether the SII and RII apply (decile and quintile breakdowns).
    public var takesSlopeIndex: Bool { quantiles > 0 }

    /// Output order: none, national deciles, national quintiles, local deciles, local quintiles, Core20.
    public static func < (a: DeprivationScheme, b: DeprivationScheme) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// Words for table file names and messages (`local decile`).
    public var singular: String {
        switch self {
        case .none: return "whole area"
        case .nationalDeciles: return "national decile"
        case .nationalQuintiles: return "national quintile"
        case .localDeciles: return "local decile"
        case .localQuintiles: return "local quintile"
        case .core20: return "Core20"
        }
    }
}

/// An inequality measure derived from an indicator's deprivation breakdown.
public enum InequalityMeasure: String, Sendable, CaseIterable, Codable {
    /// Slope index of inequality (METHODS.md §6), for decile and quintile schemes.
    case sii
    /// Relative index of inequality (METHODS.md §6).
    case rii
    /// Quantile k − quantile 1 (METHODS.md §8); for Core20, rest − Core20.
    case absoluteRange = "absolute_range"
    /// Quantile 1 / quantile k (METHODS.md §8); for Core20, Core20 / rest. Rates and proportions only.
    case relativeRange = "relative_range"
}

/// Which sexes a job covers: one sex, or both summed (`Persons`).
public enum SexSelection: String, Sendable, CaseIterable, Comparable, Codable {
    /// Males.
    case male = "Male"
    /// Females.
    case female = "Female"
    /// Males and females together.
    case persons = "Persons"

    /// The accumulator's sex indices summed (0 male, 1 female).
    public var sexIndices: [Int] {
        switch self {
        case .male: return [0]
        case .female: return [1]
        case .persons: return [0, 1]
        }
    }

    /// Male, Female, Persons.
    public static func < (a: SexSelection, b: SexSelection) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

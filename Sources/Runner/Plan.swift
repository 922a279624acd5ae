import Areas
import Foundation
import Indicators
import Ingest
import Results

/// A parsed run plan (`healthgap run PLAN`): inputs, lookups, geographies, periods and indicators.
///
/// The YAML schema (every key documented in `Data/plans/README.md`):
/// ```yaml
/// name: Cheshire and Merseyside health gaps
/// inputs:
///   counts: {file: counts.csv, columns: {lsoa: lsoa_code, year: year, sex: sex, age: age_band}, on_error: fail}
/// lookups: {imd: imd2019}
/// geographies: [{icb: E54000008}, {places: E54000008}]
/// periods: [{rolling: 3, from: 2013, to: 2022}]
/// seed: 1
/// repetitions: 100000
/// confidence: [95, 99.8]
/// indicators:
///   - {id: le_birth, method: life_expectancy, numerator: deaths, denominator: population,
///      deprivation: [local_deciles, national_deciles, core20], inequality: [sii, rii, absolute_range]}
/// ```
/// Parsing (`PlanParser`) checks the shape of the file; resolving (`ResolvedPlan`) checks it
/// against the lookups and the inputs' headers. Both report every mistake with its plan line.
public struct Plan: Sendable {
    /// The plan file's path, as given.
    public var path: String
    /// The plan's title (`name`), or the file's name.
    public var name: String
    /// The inputs, in plan order.
    public var inputs: [PlanInput]
    /// `imd2019` or the path of another IMD-like file.
    public var imd: String
    /// Where `imd` is written in the plan.
    public var imdLocation: PlanLocation
    /// Geography lookups replacing those in `Data/lookups/`, by key (`wards`: LSOA → ward and
    /// local authority; `authorities`: local authority → region and combined authority; `places`:
    /// local authority → Place and ICB), resolved against the plan's folder.
    public var lookupFiles: [String: (path: String, location: PlanLocation)]
    /// The geography entries, in plan order (expanded into areas when resolved).
    public var geographies: [GeographySpec]
    /// The periods, in plan order (rolling entries expanded).
    public var periods: [Period]
    /// The seed of the simulated SII limits.
    public var seed: UInt64
    /// SII simulation repetitions.
    public var repetitions: Int
    /// Where `repetitions` is written in the plan.
    public var repetitionsLocation: PlanLocation
    /// The indicators, in plan order.
    public var indicators: [IndicatorSpec]
    /// Whether to write the per-area deprivation tables beside the long table.
    public var areaTables: Bool
    /// Whether to write the HTML report (`report/`) beside the tables (`outputs: {report: true}`).
    public var report: Bool = false
    /// The results history (`history:`): a SQLite file resolved against the plan's folder, or a
    /// `postgres://` URL; nil: `healthgap-history.sqlite` beside the output link.
    public var history: String? = nil
    /// Where `history` is written in the plan.
    public var historyLocation = PlanLocation.file
    /// The benchmarks an indicator with a polarity is compared with (`benchmarks:`), in plan order
    /// (METHODS.md §11).
    public var benchmarks: [BenchmarkSpec] = []
    /// The comparison rule of indicators that name none (`comparison:`; default `ci95`).
    public var comparison: ComparisonMethod = .ci95
}

/// The kinds of benchmark a plan computes from its own inputs (`benchmarks: [england, region, icb]`).
public enum BenchmarkKind: String, Sendable, CaseIterable {
    /// England as a whole.
    case england
    /// The region of each area (none for England).
    case region
    /// The integrated care board of each area (only where the lookups know it: Cheshire and Merseyside).
    case icb
}

/// One entry of `benchmarks:`: its kind and where it is written.
public struct BenchmarkSpec: Sendable, Equatable {
    /// England, the area's region or its ICB.
    public var kind: BenchmarkKind
    /// Where the entry is written.
    public var location: PlanLocation
}

/// An indicator's goal as the plan writes it (`goal: {baseline: 2022, target: {reduce_gap_by: 20%}, by: 2028}`).
public struct GoalSpec: Sendable, Equatable {
    /// The calendar year the baseline period ends in.
    public var baseline: Int
    /// The target: a value of the gap, or a share of the baseline gap to remove.
    public var target: Goal.Target
    /// The year the target should be reached by.
    public var by: Int
}

extension Plan {
    /// The geography lookup files: the plan's `lookups`, else the data directory's.
    ///
    /// - Throws: `RunnerError.unreadableInput` naming the plan line of a lookup that cannot be read.
    public func geographySources(data: DataDirectory) throws(RunnerError) -> Geography.Sources {
        let defaults = Geography.Sources(data: data)
        var unreadable: [PlanIssue] = []
        func file(_ key: String, _ fallback: String) -> String {
            guard let given = lookupFiles[key] else { return fallback }
            if !FileManager.default.isReadableFile(atPath: given.path) {
                unreadable.append(
                    PlanIssue(
                        file: path, line: given.location.line, column: given.location.column,
                        message: "lookups.\(key): cannot open \(given.path)"))
            }
            return given.path
        }
        let sources = Geography.Sources(
            wards: file("wards", defaults.wards), authorities: file("authorities", defaults.authorities),
            places: file("places", defaults.places))
        if !unreadable.isEmpty { throw .unreadableInput(unreadable) }
        return sources
    }

    /// The geography lookups the plan names (or the shipped ones), read: the one loader `run`,
    /// `plan check` and `plan explain` share. A lookup file the plan names that cannot be read as a
    /// lookup (wrong header, bad row) is a plan error at the line naming it (exit 78), not bad data.
    public func loadGeography(data: DataDirectory) throws(RunnerError) -> Geography {
        let sources = try geographySources(data: data)
        do {
            return try Geography.load(sources)
        } catch {
            let failure = InputError.from(error)
            if case .csv(let csv) = failure,
                let (key, given) = lookupFiles.first(where: { csv.description.hasPrefix($0.value.path) })
            {
                throw .plan([
                    PlanIssue(
                        file: path, line: given.location.line, column: given.location.column,
                        message: "lookups.\(key): \(csv.description)")
                ])
            }
            throw .pipeline(failure)
        }
    }
}

/// Where something is written in the plan file (1-based line and column; 0 where unknown).
public struct PlanLocation: Sendable, Equatable {
    /// Line, from 1.
    public var line: Int
    /// Column, from 1.
    public var column: Int

    /// Creates a location.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// No particular place (the file as a whole).
    public static let file = PlanLocation(line: 0, column: 0)
}

/// One input file: LSOA-level counts by year, sex and age.
public struct PlanInput: Sendable {
    /// The name indicators refer to it by (`input:`), such as `counts`.
    public var name: String
    /// The path as written in the plan.
    public var file: String
    /// The path to read (relative paths resolved against the plan's folder, or an override).
    public var resolvedPath: String
    /// Where `file` is written.
    public var fileLocation: PlanLocation
    /// Column names of the key columns (nil: the default name and its aliases).
    public var lsoa: String?, year: String?, sex: String?, age: String?
    /// Where each key column mapping is written (by key: lsoa, year, sex, age).
    public var columnLocations: [String: PlanLocation]
    /// What to do with a bad row.
    public var onError: RowErrorPolicy
    /// Where the input is declared.
    public var location: PlanLocation
}

/// The kind of a geography entry, and how it expands into areas.
public enum GeographyKind: String, Sendable, CaseIterable {
    /// England as a whole (`england`).
    case england
    /// Regions by code (`region: CODE` or a list).
    case region
    /// Every region (`regions: all`).
    case regions
    /// An integrated care board by code (`icb: E54000008`).
    case icb
    /// Places by code (`place: CODE` or a list).
    case place
    /// Every Place of an ICB (`places: E54000008`) or every Place (`places: all`).
    case places
    /// Local authorities by code (`la: CODE` or a list).
    case la
    /// Every local authority (`las: all`) or those of a region (`las: E12000002`).
    case las
}

/// One entry of `geographies:` as written.
public struct GeographySpec: Sendable {
    /// The kind of entry.
    public var kind: GeographyKind
    /// The codes (or `all`) given, each with its location.
    public var codes: [(code: String, location: PlanLocation)]
    /// Where the entry is written.
    public var location: PlanLocation
}

/// What a gap decomposition compares (`compare:`), as the OHID Segment Tool does.
public enum GapComparison: String, Sendable, CaseIterable {
    /// The most deprived quantile of the area (base) against its least deprived (comparator), in
    /// each decile or quintile breakdown of the indicator.
    case mostVsLeast = "most_vs_least"
    /// The area (base) against the benchmark area (comparator).
    case areaVsBenchmark = "area_vs_benchmark"
}

/// One cause of death of a gap decomposition: its name in outputs and the input column of its deaths.
public struct CauseColumn: Sendable, Equatable {
    /// The name in the `cause` column (letters, digits, `_`; not `all` or `other`).
    public var name: String
    /// The count column of the input holding the cause's deaths.
    public var column: String
    /// Where the cause is written in the plan.
    public var location: PlanLocation

    /// Creates a cause.
    public init(name: String, column: String, location: PlanLocation) {
        self.name = name
        self.column = column
        self.location = location
    }
}

/// One indicator of a plan.
public struct IndicatorSpec: Sendable {
    /// A short identifier (letters, digits, `_`, `-`), unique in the plan.
    public var id: String
    /// The indicator's title.
    public var name: String
    /// The statistic.
    public var method: IndicatorMethod
    /// The input it reads (nil: the plan's only input).
    public var input: String?
    /// The count column, such as `deaths`.
    public var numerator: String?
    /// The population column, such as `population`.
    public var denominator: String?
    /// Healthy life expectancy: the column of people in good health (Census 2021: very good or good).
    public var healthy: String? = nil
    /// Healthy life expectancy: the column of people asked (Census 2021: all usual residents).
    public var surveyed: String? = nil
    /// A gap decomposition's comparisons, in plan order (`compare:`).
    public var compare: [GapComparison] = []
    /// A gap decomposition's benchmark area code for `area_vs_benchmark` (nil: the plan's widest area).
    public var benchmark: String? = nil
    /// A gap decomposition's causes of death, in plan order: each a name and its deaths column.
    public var causes: [CauseColumn] = []
    /// The age range of rates and proportions (nil: all ages).
    public var ages: ClosedRange<Int>?
    /// The age range as written (`0-74`, `75+`).
    public var agesLabel: String?
    /// Life expectancy's start age (default 0: at birth).
    public var atAge: Int
    /// The standard population of a DSR.
    public var standard: String
    /// Rates per `multiplier` (default 100,000; proportions 1).
    public var multiplier: Double
    /// The ISR's reference: `all` (every row of the input) or an area code.
    public var reference: String?
    /// The sexes, in output order.
    public var sexes: [SexSelection]
    /// Confidence levels, in output order.
    public var levels: [ConfidenceLevel]
    /// Deprivation breakdowns (besides the whole area, always written), in output order.
    public var schemes: [DeprivationScheme]
    /// Inequality measures.
    public var measures: [InequalityMeasure]
    /// Fit the SII on the log/logit scale (rates and proportions; default true for them).
    public var siiTransform: Bool
    /// How a higher value is judged (`polarity:`); nil: the indicator is not judged (no comparisons,
    /// trends or gap changes).
    public var polarity: Polarity? = nil
    /// The comparison rule (`comparison:`); nil: the plan's.
    public var comparison: ComparisonMethod? = nil
    /// The goal of the indicator's headline gap (its first inequality measure), or nil.
    public var goal: GoalSpec? = nil
    /// Where the indicator, and each of its keys, is written.
    public var location: PlanLocation
    /// Locations by key (`numerator`, `denominator`, `input`, `reference`, …).
    public var keyLocations: [String: PlanLocation]

    /// The SII value type: 0 life expectancy, 1 rates and ratios, 2 proportions.
    public var valueType: SIIValueType { MethodDescription.of(method).valueType }

    /// The column a count key names (`numerator`, `denominator`, `healthy`, `surveyed`), or nil.
    public func column(key: String) -> String? {
        switch key {
        case "numerator": return numerator
        case "denominator": return denominator
        case "healthy": return healthy
        case "surveyed": return surveyed
        default: return nil
        }
    }

    /// The age column of the long table: `at birth`, `at 65`, `all ages`, `0-74`.
    public var ageLabel: String {
        if MethodDescription.of(method).takesAtAge { return atAge == 0 ? "at birth" : "at \(atAge)" }
        return agesLabel ?? "all ages"
    }
}

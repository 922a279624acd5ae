import Areas
import Indicators
import NumericCore

// The `hle` command (METHODS.md §9) as a table: a thin layer over `HealthyLifeExpectancy.compute`
// that maps columns in and rows out, one group at a time (on `--threads` workers).
//
// Prevalence bands: the `--prevalence-band` column labels each life-table row with the survey
// band it was measured in. Within a group, rows with the same label share one estimate and its
// error; the method numbers the bands, so each label is numbered by its first row in the group.
// A row with no label is in no prevalence band, which METHODS §9 makes an error.

/// The `hle` command: healthy life expectancy by Sullivan's method for each group (METHODS.md §9).
public enum HealthyLifeExpectancyTable {
    /// Where the prevalence of the healthy state comes from, and its precision (METHODS.md §9).
    public enum Prevalence: Sendable, Equatable {
        /// A column of proportions healthy (0–1) and a column of survey sample sizes N.
        case sampleSize(prevalence: String, sampleSize: String)
        /// A column of proportions healthy (0–1) and a column of their standard errors (survey designs).
        case standardError(prevalence: String, standardError: String)
        /// A column of numbers healthy and a column of numbers surveyed.
        case counts(healthy: String, surveyed: String)

        /// The two columns and how the method reads them.
        var columns: (values: String, precision: String, measure: HealthyLifeExpectancy.Prevalence.Measure) {
            switch self {
            case .sampleSize(let p, let n): return (p, n, .sampleSize)
            case .standardError(let p, let se): return (p, se, .standardError)
            case .counts(let healthy, let surveyed): return (healthy, surveyed, .counts)
            }
        }
    }

    /// Column choices and options for `hle` (METHODS.md §9).
    public struct Request: Sendable {
        /// Grouping, levels, threads and error policy.
        public var common: MethodRequest
        /// The age column: start ages (`0`, `1`, `5`) or band labels (`1-4`, `90+`), as `le` reads it.
        public var startAge: String
        /// The deaths column.
        public var deaths: String
        /// The population column.
        public var population: String
        /// The prevalence columns (METHODS.md §9).
        public var prevalence: Prevalence
        /// The column naming each row's prevalence band, or nil for one estimate per life-table band.
        public var prevalenceBand: String?
        /// Start ages to report; nil for all 20.
        public var ages: [Int]?
        /// Both parts of Var(HLE) (the default), or the prevalence part only.
        public var variance: HealthyLifeExpectancy.Variance

        /// Creates a request (METHODS.md §9).
        public init(
            common: MethodRequest, startAge: String, deaths: String, population: String, prevalence: Prevalence,
            prevalenceBand: String? = nil, ages: [Int]? = [0], variance: HealthyLifeExpectancy.Variance = .mathers
        ) {
            self.common = common
            self.startAge = startAge
            self.deaths = deaths
            self.population = population
            self.prevalence = prevalence
            self.prevalenceBand = prevalenceBand
            self.ages = ages
            self.variance = variance
        }
    }

    /// The columns after the limits, before `note` (METHODS.md §9).
    public static let methodColumns = ["le", "years_in_poorer_health", "percent_in_good_health"]

    /// Reads the input and writes one row per group and reported start age: the `--by` columns,
    /// `start_age`, `value` (HLE), the limits, `le`, `years_in_poorer_health`,
    /// `percent_in_good_health` and `note` (METHODS.md §9).
    ///
    /// A group the §5 rules refuse, or with prevalence missing, keeps its rows with empty values
    /// and a note. Prevalence the method refuses (π outside [0, 1], a negative N, more healthy
    /// than surveyed, two values in one prevalence band, a row in no prevalence band) and an
    /// age label that is not a life-table band stop the run (`--on-error fail`), or become the
    /// group's note (`suppress`).
    /// - Throws: `InputError` for unreadable or malformed input, or a refused group with `--on-error fail`.
    /// - Complexity: O(rows + groups · ages · levels).
    public static func run(_ request: Request) throws(InputError) -> ResultTable {
        let common = request.common
        let (valueColumn, precisionColumn, measure) = request.prevalence.columns
        let table = try GroupedTable.read(
            path: common.input, by: common.by,
            columns: .distinct(
                numeric: [request.deaths, request.population, valueColumn, precisionColumn],
                text: [request.startAge] + (request.prevalenceBand.map { [$0] } ?? [])))
        let ages = request.ages ?? LifeExpectancy.startAges
        let levels = common.levels

        let outcomes = parallelMap(count: table.groups.count, threads: common.threads) {
            g -> Result<[HealthyLifeExpectancyResult], IndicatorError> in
            let group = table.groups[g]
            do throws(IndicatorError) {
                let starts = try LifeExpectancyTable.lifeTableStarts(table.strings(request.startAge, in: group))
                let prevalence = HealthyLifeExpectancy.Prevalence(
                    measure: measure, values: table.numbers(valueColumn, in: group).map { $0 ?? .nan },
                    precision: table.numbers(precisionColumn, in: group).map { $0 ?? .nan },
                    bands: request.prevalenceBand.map { bandNumbers(table.strings($0, in: group)) })
                return .success(
                    try HealthyLifeExpectancy.compute(
                        startAges: starts, deaths: table.numbers(request.deaths, in: group),
                        populations: table.numbers(request.population, in: group), prevalence: prevalence, ages: ages,
                        variance: request.variance, levels: levels))
            } catch {
                return .failure(error)
            }
        }

        let header = table.byNames + ["start_age", "value"] + Columns.limits(levels) + methodColumns + ["note"]
        var rows: [[String]] = []
        rows.reserveCapacity(table.groups.count * ages.count)
        var warnings: [String] = []
        for (group, outcome) in zip(table.groups, outcomes) {
            switch outcome {
            case .success(let results):
                if results.allSatisfy({ $0.healthyLifeExpectancy.value == nil }),
                    let note = results.first?.healthyLifeExpectancy.note
                {
                    warnings.append(
                        "\(table.file): group \(table.describe(group)): healthy life expectancy not computed: \(note)")
                }
                for r in results {
                    let hle = r.healthyLifeExpectancy
                    rows.append(
                        group.key + ["\(r.startAge)"] + Columns.fields(hle, levels: levels.count)
                            + [r.lifeExpectancy, r.yearsInPoorerHealth, r.percentInGoodHealth].map(Columns.number)
                            + [hle.note ?? ""])
                }
            case .failure(let error):
                let located = table.locate(
                    error, rows: group.rows, bandColumn: request.startAge, name: table.describe(group))
                guard common.onError == .suppress else { throw located }
                warnings.append("suppressed: \(located.description)")
                let empty = Array(repeating: "", count: 1 + 2 * levels.count + methodColumns.count)
                for age in ages { rows.append(group.key + ["\(age)"] + empty + [error.note]) }
            }
        }
        return ResultTable(header: header, rows: rows, warnings: warnings)
    }

    /// Each row's prevalence band, numbered by the first row of the group with the same label;
    /// −1 (in no prevalence band, an error) where the label is missing.
    static func bandNumbers(_ labels: [String]) -> [Int] {
        var first: [String: Int] = [:]
        return labels.enumerated().map { row, label in
            if ["", "NA", "na", "NaN", "nan", "null"].contains(label) { return -1 }
            if let number = first[label] { return number }
            first[label] = row
            return row
        }
    }
}

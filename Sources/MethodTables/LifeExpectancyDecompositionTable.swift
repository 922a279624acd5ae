import Areas
import Indicators
import NumericCore

// The `decompose` command (METHODS.md §10) as a table: a thin layer over
// `LifeExpectancyDecomposition.compute` that maps columns in and rows out.
//
// Each `--by` group holds both populations; the `--compare` column tells their rows apart
// (`group=most:least`: rows with `most` are the base, rows with `least` the comparator, rows
// with any other value are not read). A group lacking one population keeps its rows with a
// note; a value that no row of the file has is a usage mistake (a misspelt value would
// otherwise empty every group).

/// The `decompose` command: Arriaga's decomposition of the gap in life expectancy at birth
/// between two populations of each group, by age band and cause (METHODS.md §10).
public enum LifeExpectancyDecompositionTable {
    /// Column choices and options for `decompose` (METHODS.md §10).
    public struct Request: Sendable {
        /// Input, grouping, threads and error policy; the levels are unused (no limits).
        public var common: MethodRequest
        /// The column whose values tell the two populations apart.
        public var compare: String
        /// The `compare` value of the base population's rows (population 1).
        public var base: String
        /// The `compare` value of the comparator's rows (population 2).
        public var comparator: String
        /// The age column: start ages (`0`, `1`, `5`) or band labels (`1-4`, `90+`), as `le` reads it.
        public var startAge: String
        /// The all-cause deaths column.
        public var deaths: String
        /// The population column.
        public var population: String
        /// Deaths-by-cause columns (the cause is named after its column); empty for no cause split.
        public var causes: [String]
        /// Report (Arriaga(1→2) − Arriaga(2→1))/2 instead of the directional Arriaga(1→2).
        public var symmetric: Bool

        /// Creates a request (METHODS.md §10).
        public init(
            common: MethodRequest, compare: String, base: String, comparator: String, startAge: String, deaths: String,
            population: String, causes: [String] = [], symmetric: Bool = false
        ) {
            self.common = common
            self.compare = compare
            self.base = base
            self.comparator = comparator
            self.startAge = startAge
            self.deaths = deaths
            self.population = population
            self.causes = causes
            self.symmetric = symmetric
        }
    }

    /// The columns after the `--by` columns (METHODS.md §10).
    public static let columns = ["start_age", "cause", "years", "percent_of_gap", "le_base", "le_comparator", "note"]

    /// Reads the input and writes, per group, one row per band (then `all` ages) and cause
    /// (first `all` causes, then each cause and the residual `other`): the `--by` columns, then
    /// `start_age`, `cause`, `years`, `percent_of_gap`, `le_base`, `le_comparator` and `note`
    /// (METHODS.md §10). The row `start_age=all, cause=all` carries the whole gap e₀² − e₀¹.
    ///
    /// A group whose life tables §5 refuses or blanks, or that lacks one population, keeps its
    /// rows with empty values and a note. Causes the method refuses (negative, or summing to
    /// more than the band's deaths) and an age label that is not a life-table band stop the run
    /// (`--on-error fail`), or become the group's note (`suppress`).
    /// - Throws: `InputError` for unreadable or malformed input, a `--compare` value no row
    ///   has (usage), or a refused group with `--on-error fail`.
    /// - Complexity: O(rows + groups · 20 · causes).
    public static func run(_ request: Request) throws(InputError) -> ResultTable {
        let common = request.common
        let table = try GroupedTable.read(
            path: common.input, by: common.by,
            columns: .distinct(
                numeric: [request.deaths, request.population] + request.causes,
                text: [request.startAge, request.compare]))
        let sides = table.text[request.compare] ?? []
        if table.rowCount > 0 {
            for value in [request.base, request.comparator] where !sides.contains(value) {
                var seen: [String] = []
                for side in sides where !seen.contains(side) && seen.count < 10 { seen.append(side) }
                throw .usage(
                    "\(table.file): no row has \(request.compare)=\(value) (its values include "
                        + "\(seen.joined(separator: ", "))): check --compare \(request.compare)=BASE:COMPARATOR")
            }
        }
        var warnings: [String] = []
        if common.levels != ConfidenceLevel.defaults {
            warnings.append("a decomposition has no confidence limits; --confidence is ignored")
        }

        let outcomes = parallelMap(count: table.groups.count, threads: common.threads) { g in
            compute(request, group: table.groups[g], table: table, sides: sides)
        }

        var rows: [[String]] = []
        for (group, outcome) in zip(table.groups, outcomes) {
            switch outcome {
            case .success(let result):
                let e1 = Columns.number(result.lifeExpectancyBase)
                let e2 = Columns.number(result.lifeExpectancyComparator)
                let note = result.note ?? ""
                if let note = result.note {
                    warnings.append(
                        "\(table.file): group \(table.describe(group)): decomposition not computed: \(note)")
                }
                for row in result.rows() {
                    rows.append(
                        group.key + [row.startAge.map { "\($0)" } ?? "all", row.cause ?? "all"]
                            + [Columns.number(row.years), Columns.number(row.percentOfGap), e1, e2, note])
                }
            case .failure(let failure):
                guard common.onError == .suppress else { throw failure.located }
                warnings.append("suppressed: \(failure.located.description)")
                rows += emptyRows(group.key, causes: request.causes, note: failure.note)
            }
        }
        return ResultTable(header: table.byNames + columns, rows: rows, warnings: warnings)
    }

    /// A refused group: its error located at its input line, and the note of its suppressed rows.
    struct Refusal: Error {
        /// The error as the run reports it.
        var located: InputError
        /// The note of the group's rows under `--on-error suppress`.
        var note: String
    }

    /// One group's decomposition, a result with a note (a population missing, §5 suppression) or its refusal.
    static func compute(
        _ request: Request, group: GroupedTable.Group, table: GroupedTable, sides: [String]
    ) -> Result<LifeExpectancyDecompositionResult, Refusal> {
        let rows1 = group.rows.filter { sides[$0] == request.base }
        let rows2 = group.rows.filter { sides[$0] == request.comparator }
        func name(_ value: String) -> String {
            (table.byNames.isEmpty ? "" : table.describe(group) + ", ") + "\(request.compare)=\(value)"
        }
        func side(_ rows: [Int], value: String) throws(Refusal) -> LifeExpectancyDecomposition.Group {
            let starts: [Int]
            do throws(IndicatorError) {
                starts = try LifeExpectancyTable.lifeTableStarts(rows.map { table.text[request.startAge]![$0] })
            } catch {
                throw Refusal(
                    located: table.locate(error, rows: rows, bandColumn: request.startAge, name: name(value)),
                    note: "\(request.compare)=\(value): \(error.note)")
            }
            func column(_ name: String) -> [Double?] { rows.map { table.numeric[name]![$0] } }
            return LifeExpectancyDecomposition.Group(
                startAges: starts, deaths: column(request.deaths), populations: column(request.population),
                causeDeaths: request.causes.map(column))
        }
        for (rows, value, role) in [(rows1, request.base, "base"), (rows2, request.comparator, "comparator")]
        where rows.isEmpty {
            return .success(
                .emptyResult(
                    causes: request.causes, symmetric: request.symmetric,
                    note: "\(role): no rows with \(request.compare)=\(value)"))
        }
        do throws(Refusal) {
            let base = try side(rows1, value: request.base)
            let comparator = try side(rows2, value: request.comparator)
            do throws(IndicatorError) {
                return .success(
                    try LifeExpectancyDecomposition.compute(
                        base: base, comparator: comparator, causeNames: request.causes, symmetric: request.symmetric))
            } catch {
                // The method names the population in its message ("… in the comparator …").
                let inComparator = error.message.contains("the comparator")
                let value = inComparator ? request.comparator : request.base
                throw Refusal(
                    located: table.locate(
                        error, rows: inComparator ? rows2 : rows1, bandColumn: request.startAge, name: name(value)),
                    note: error.note)
            }
        } catch {
            return .failure(error)
        }
    }

    /// The rows of a refused group: every band and `all`, each with `all` causes and each cause, empty.
    static func emptyRows(_ key: [String], causes: [String], note: String) -> [[String]] {
        let bands = LifeExpectancy.startAges.map { "\($0)" } + ["all"]
        return bands.flatMap { band in
            (["all"] + causes).map { cause in key + [band, cause, "", "", "", "", note] }
        }
    }
}

extension LifeExpectancyDecompositionResult {
    /// An empty decomposition of the 20 bands with a note (no row of one population): the
    /// method's own empty result for a population without bands, with this note instead.
    static func emptyResult(causes: [String], symmetric: Bool, note: String) -> Self {
        let none = LifeExpectancyDecomposition.Group(
            startAges: [], deaths: [], populations: [], causeDeaths: causes.map { _ in [] })
        // Two populations without bands: §5 refuses the base, so nothing can be thrown.
        var result = try! LifeExpectancyDecomposition.compute(
            base: none, comparator: none, causeNames: causes, symmetric: symmetric)
        result.note = note
        return result
    }
}

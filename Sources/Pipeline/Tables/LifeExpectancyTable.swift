import Indicators

/// The `le` command: life expectancy by Chiang's abridged life table for each group (METHODS.md §5).
public enum LifeExpectancyTable {
    /// Column choices for `le`.
    public struct Request: Sendable {
        /// Grouping, levels and policy.
        public var common: MethodRequest
        /// The age column: start ages (`0`, `1`, `5`) or band labels (`1-4`, `90+`).
        public var startAge: String
        /// The deaths column.
        public var deaths: String
        /// The population column.
        public var population: String
        /// Start ages to report; nil for all 20.
        public var ages: [Int]?

        /// Creates a request.
        public init(common: MethodRequest, startAge: String, deaths: String, population: String, ages: [Int]? = [0]) {
            self.common = common
            self.startAge = startAge
            self.deaths = deaths
            self.population = population
            self.ages = ages
        }
    }

    /// Reads the input and computes one row per group and reported start age.
    ///
    /// - Throws: `PipelineError` for unreadable or malformed input, or a bad age label with `--on-error fail`.
    public static func run(_ request: Request) throws(PipelineError) -> ResultTable {
        let common = request.common
        let table = try GroupedTable.read(
            path: common.input, by: common.by,
            columns: ColumnRequest(numeric: [request.deaths, request.population], text: [request.startAge]))
        let reported = request.ages ?? LifeExpectancy.startAges
        let header = table.byNames + ["start_age", "value"] + Columns.limits(common.levels) + ["note"]
        let levels = common.levels
        let (rows, warnings) = try table.mapGroups(policy: common.onError, bandColumn: request.startAge) {
            group, warnings throws(IndicatorError) in
            let bands = try AgeBand.resolve(labels: table.strings(request.startAge, in: group))
            var starts: [Int] = []
            for band in bands {
                guard let i = LifeExpectancy.startAges.firstIndex(of: band.start),
                    band.end == (i + 1 < LifeExpectancy.startAges.count ? LifeExpectancy.startAges[i + 1] - 1 : nil)
                else {
                    throw IndicatorError(
                        "is not a life-table band (expected 0, 1-4, 5-9, …, 85-89, 90+)", band: band.label)
                }
                starts.append(band.start)
            }
            let estimates = LifeExpectancy.compute(
                startAges: starts, deaths: table.numbers(request.deaths, in: group),
                populations: table.numbers(request.population, in: group), levels: levels)
            if estimates.allSatisfy({ $0.value == nil }), let note = estimates.first?.note {
                warnings.append("\(table.file): group \(table.describe(group)): life expectancy not computed: \(note)")
            }
            return reported.compactMap { age in
                guard let i = LifeExpectancy.startAges.firstIndex(of: age) else { return nil }
                let e = estimates[i]
                return group.key + ["\(age)"] + Columns.fields(e, levels: levels.count) + [e.note ?? ""]
            }
        } suppressed: { group, note in
            reported.map { age in
                group.key + ["\(age)"] + Columns.fields(.suppressed(levels: levels.count, note: note), levels: levels.count)
                    + [note]
            }
        }
        return ResultTable(header: header, rows: rows, warnings: warnings)
    }
}

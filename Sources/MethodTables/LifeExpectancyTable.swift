import Areas
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
    /// Groups with exactly the 20 life-table bands go through the batched kernel in one pass
    /// (`LifeExpectancy.batch`); any other group goes through `LifeExpectancy.compute`, which
    /// gives the same numbers and the note saying which band is missing or repeated.
    /// - Throws: `InputError` for unreadable or malformed input, or a bad age label with `--on-error fail`.
    public static func run(_ request: Request) throws(InputError) -> ResultTable {
        let common = request.common
        let table = try GroupedTable.read(
            path: common.input, by: common.by,
            columns: ColumnRequest(numeric: [request.deaths, request.population], text: [request.startAge]))
        let reported = request.ages ?? LifeExpectancy.startAges
        let levels = common.levels
        let bandCount = LifeExpectancy.startAges.count

        // Phase 1: sort each group's rows into the 20 bands, or note why it cannot be batched.
        enum Plan { case batch(Int), single([Estimate]), rejected(String) }
        var plans: [Plan] = []
        var deaths: [Double] = [], populations: [Double] = []
        var warnings: [String] = []
        for group in table.groups {
            do throws(IndicatorError) {
                let starts = try lifeTableStarts(table.strings(request.startAge, in: group))
                let d = table.numbers(request.deaths, in: group), p = table.numbers(request.population, in: group)
                if Set(starts).count == bandCount && starts.count == bandCount {
                    let order = starts.indices.sorted { starts[$0] < starts[$1] }
                    plans.append(.batch(deaths.count / bandCount))
                    deaths += order.map { d[$0] ?? .nan }
                    populations += order.map { p[$0] ?? .nan }
                } else {
                    plans.append(.single(LifeExpectancy.compute(startAges: starts, deaths: d, populations: p, levels: levels)))
                }
            } catch {
                let located = table.locate(error, in: group, bandColumn: request.startAge)
                guard common.onError == .suppress else { throw located }
                warnings.append("suppressed: \(located.description)")
                plans.append(.rejected(error.note))
            }
        }

        // Phase 2: one pass of the batched kernel over every well-formed group.
        let batch = LifeExpectancy.batch(
            deaths: deaths, populations: populations, groupCount: deaths.count / bandCount, levels: levels)

        // Phase 3: rows in group order.
        let header = table.byNames + ["start_age", "value"] + Columns.limits(levels) + ["note"]
        var rows: [[String]] = []
        rows.reserveCapacity(table.groups.count * reported.count)
        for (group, plan) in zip(table.groups, plans) {
            let estimates: [Estimate]
            switch plan {
            case .batch(let g): estimates = batch.estimates(group: g)
            case .single(let e): estimates = e
            case .rejected(let note):
                estimates = Array(repeating: .suppressed(levels: levels.count, note: note), count: bandCount)
            }
            if case .rejected = plan {
            } else if estimates.allSatisfy({ $0.value == nil }), let note = estimates.first?.note {
                warnings.append("\(table.file): group \(table.describe(group)): life expectancy not computed: \(note)")
            }
            for age in reported {
                guard let i = LifeExpectancy.startAges.firstIndex(of: age) else { continue }
                let e = estimates[i]
                rows.append(group.key + ["\(age)"] + Columns.fields(e, levels: levels.count) + [e.note ?? ""])
            }
        }
        return ResultTable(header: header, rows: rows, warnings: warnings)
    }

    /// The start ages of a group's labels, each required to be one of the 20 life-table bands.
    static func lifeTableStarts(_ labels: [String]) throws(IndicatorError) -> [Int] {
        let starts = LifeExpectancy.startAges
        return try AgeBand.resolve(labels: labels).map { band throws(IndicatorError) in
            guard let i = starts.firstIndex(of: band.start),
                band.end == (i + 1 < starts.count ? starts[i + 1] - 1 : nil)
            else {
                throw IndicatorError("is not a life-table band (expected 0, 1-4, 5-9, …, 85-89, 90+)", band: band.label)
            }
            return band.start
        }
    }
}

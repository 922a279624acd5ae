import Indicators
import Results

// The schema of both back ends, written once. Every change is a new entry at the end of
// `migrations`, never an edit of an entry already released: SQLite applies them through GRDB's
// `DatabaseMigrator` (by name), PostgreSQL through its `schema_version` table (by number).
//
// When a record gains a field (as the judgements did, in `v3-judgements`):
// 1. append a migration adding its column (`ALTER TABLE results ADD COLUMN comparison TEXT`, both dialects);
// 2. add the column to `resultColumns`, its value to `bind(_:to:)` and its reading to `record(texts:integer:real:)`;
// 3. name the field in `HistoryDiff.wordFields` if a change of word should show in `history diff`.
// Stores written before the migration read the new column as NULL.
//
// One index, `results_run_series (run_id, indicator_id, area_code, period_first, period_last)`:
// a run's rows are appended at the index's end (run ids only grow), so inserting a night's 1.5
// million records never rewrites older pages; `history show` finds the latest run's series with one
// seek and a period's revisions with one seek per run (`run_id IN (SELECT id FROM runs)`), and
// `history diff` reads a run as one range.

/// Takes a record's fields in column order (`StoreSchema.bind(_:to:)`); each back end has one.
protocol RecordBinder {
    /// A text column.
    mutating func text(_ value: String)
    /// An integer column.
    mutating func integer(_ value: Int)
    /// A real column; nil (and a non-finite value) is NULL.
    mutating func real(_ value: Double?)
    /// A text column that may be NULL.
    mutating func optionalText(_ value: String?)
}

/// The tables, their columns, and the versioned migrations of the history store.
public enum StoreSchema {
    /// One schema change: a name (recorded once applied) and its statements in each dialect.
    public struct Migration: Sendable {
        /// The name, unique and never changed once released (`v1-runs-and-results`).
        public var name: String
        /// Statements for SQLite.
        public var sqlite: [String]
        /// Statements for PostgreSQL.
        public var postgres: [String]
    }

    /// Every migration, in the order they apply.
    public static let migrations: [Migration] = [
        Migration(
            name: "v1-runs-and-results",
            sqlite: [
                """
                CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, time REAL NOT NULL, tool_version TEXT NOT NULL,
                plan_name TEXT NOT NULL, plan_sha256 TEXT NOT NULL, input_sha256 TEXT NOT NULL, seed TEXT NOT NULL,
                fingerprint TEXT NOT NULL)
                """,
                """
                CREATE TABLE results (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                indicator_id TEXT NOT NULL, indicator_name TEXT NOT NULL, method TEXT NOT NULL, area_code TEXT NOT NULL,
                area_name TEXT NOT NULL, area_type TEXT NOT NULL, sex TEXT NOT NULL, age TEXT NOT NULL,
                period_first INTEGER NOT NULL, period_last INTEGER NOT NULL, period_label TEXT NOT NULL,
                imd_edition TEXT NOT NULL, scheme TEXT NOT NULL, quantile TEXT NOT NULL, measure TEXT NOT NULL,
                value REAL, limits TEXT NOT NULL, count REAL, denominator REAL, note TEXT)
                """,
            ],
            postgres: [
                """
                CREATE TABLE runs (id BIGSERIAL PRIMARY KEY, time DOUBLE PRECISION NOT NULL, tool_version TEXT NOT NULL,
                plan_name TEXT NOT NULL, plan_sha256 TEXT NOT NULL, input_sha256 TEXT NOT NULL, seed TEXT NOT NULL,
                fingerprint TEXT NOT NULL)
                """,
                """
                CREATE TABLE results (run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                indicator_id TEXT NOT NULL, indicator_name TEXT NOT NULL, method TEXT NOT NULL, area_code TEXT NOT NULL,
                area_name TEXT NOT NULL, area_type TEXT NOT NULL, sex TEXT NOT NULL, age TEXT NOT NULL,
                period_first INTEGER NOT NULL, period_last INTEGER NOT NULL, period_label TEXT NOT NULL,
                imd_edition TEXT NOT NULL, scheme TEXT NOT NULL, quantile TEXT NOT NULL, measure TEXT NOT NULL,
                value DOUBLE PRECISION, limits TEXT NOT NULL, count DOUBLE PRECISION, denominator DOUBLE PRECISION,
                note TEXT)
                """,
            ]),
        Migration(
            name: "v2-index-and-run-records",
            sqlite: [
                "CREATE INDEX results_run_series ON results(run_id, indicator_id, area_code, period_first, period_last)",
                "ALTER TABLE runs ADD COLUMN records INTEGER NOT NULL DEFAULT 0",
                "UPDATE runs SET records = (SELECT count(*) FROM results WHERE results.run_id = runs.id)",
            ],
            postgres: [
                "CREATE INDEX results_run_series ON results(run_id, indicator_id, area_code, period_first, period_last)",
                "ALTER TABLE runs ADD COLUMN records INTEGER NOT NULL DEFAULT 0",
                "UPDATE runs SET records = (SELECT count(*) FROM results WHERE results.run_id = runs.id)",
            ]),
        Migration(
            name: "v3-judgements",
            sqlite: judgementColumns.map { "ALTER TABLE results ADD COLUMN \($0.name) \($0.real ? "REAL" : "TEXT")" },
            postgres: judgementColumns.map {
                "ALTER TABLE results ADD COLUMN \($0.name) \($0.real ? "DOUBLE PRECISION" : "TEXT")"
            }),
        // A gap decomposition's records name their cause of death (NULL for every other record).
        Migration(
            name: "v4-cause",
            sqlite: ["ALTER TABLE results ADD COLUMN cause TEXT"],
            postgres: ["ALTER TABLE results ADD COLUMN cause TEXT"]),
    ]

    /// The judgement columns of `results` (METHODS.md §11, §12; migration `v3-judgements`): the first
    /// comparison as `results.csv` shows it, the trend, gap change and goal status, and the further
    /// comparisons of a record compared with several benchmarks (`encode(comparisons:)`).
    static let judgementColumns: [(name: String, real: Bool)] = [
        ("benchmark_code", false), ("benchmark_value", true), ("comparison", false), ("comparison_method", false),
        ("trend", false), ("gap_change", false), ("goal_status", false), ("further_comparisons", false),
    ]

    /// The columns of `results`, in insert order (`run_id` first).
    public static let resultColumns =
        [
            "run_id", "indicator_id", "indicator_name", "method", "area_code", "area_name", "area_type", "sex", "age",
            "period_first", "period_last", "period_label", "imd_edition", "scheme", "quantile", "measure", "value", "limits",
            "count", "denominator", "note",
        ] + judgementColumns.map(\.name) + ["cause"]

    /// The columns of `runs` the stores read and write, `id` first.
    static let runColumns = [
        "id", "time", "tool_version", "plan_name", "plan_sha256", "input_sha256", "seed", "fingerprint", "records",
    ]

    // MARK: - Limits

    /// The limits of a record as stored: a JSON array of `[level, lower, upper]` (level a fraction,
    /// `null` where a limit is missing), so runs with different levels share one column:
    /// `[[0.95,74.1,75.3],[0.998,73.8,75.6]]`.
    public static func encode(limits: [LevelLimits]) -> String {
        var out = "["
        for (i, entry) in limits.enumerated() {
            if i > 0 { out += "," }
            out += "[\(entry.level.fraction.description),\(number(entry.lower)),\(number(entry.upper))]"
        }
        return out + "]"
    }

    /// The limits written by `encode(limits:)`; entries that do not parse are left out.
    public static func decode(limits text: String) -> [LevelLimits] {
        var out: [LevelLimits] = []
        let inner = text.dropFirst().dropLast()  // the outer brackets
        for entry in inner.split(separator: "]", omittingEmptySubsequences: true) {
            let parts = entry.drop { $0 == "," || $0 == "[" }.split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count == 3, let fraction = Double(parts[0]), let level = ConfidenceLevel(fraction) else { continue }
            out.append(LevelLimits(level: level, lower: Double(parts[1]), upper: Double(parts[2])))
        }
        return out
    }

    private static func number(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "null" }
        return x.description
    }

    // MARK: - Comparisons after the first

    /// The comparisons as stored in `further_comparisons`: `code,value,word,method` each, joined by
    /// `;` (the value empty where missing): `E92000001,78.4,worse,ci95;E12000002,79.1,similar,ci95`.
    public static func encode(comparisons: [RecordComparison]) -> String {
        comparisons.map { c in
            [
                c.benchmarkCode, c.benchmarkValue.map { $0.isFinite ? $0.description : "" } ?? "", c.outcome.rawValue,
                c.method.rawValue,
            ]
            .joined(separator: ",")
        }.joined(separator: ";")
    }

    /// The comparisons written by `encode(comparisons:)`; entries that do not parse are left out.
    public static func decode(comparisons text: String) -> [RecordComparison] {
        text.split(separator: ";").compactMap { entry in
            let parts = entry.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 4, let outcome = ComparisonOutcome(rawValue: parts[2]),
                let method = ComparisonMethod(rawValue: parts[3])
            else { return nil }
            return RecordComparison(benchmarkCode: parts[0], benchmarkValue: Double(parts[1]), outcome: outcome, method: method)
        }
    }

    // MARK: - Records as rows

    /// A record's fields in `resultColumns` order after `run_id`, handed to `binder` one by one
    /// (generic, so a back end's binder is specialised and a record costs no allocation).
    static func bind<B: RecordBinder>(_ r: ResultRecord, to binder: inout B) {
        binder.text(r.indicator.id)
        binder.text(r.indicator.name)
        binder.text(r.method.rawValue)
        binder.text(r.area.code)
        binder.text(r.area.name)
        binder.text(r.area.type.rawValue)
        binder.text(r.sex.rawValue)
        binder.text(r.age)
        binder.integer(r.period.first)
        binder.integer(r.period.last)
        binder.text(r.period.label)
        binder.text(r.imdEdition)
        binder.text(r.scheme.rawValue)
        binder.text(r.quantile)
        binder.text(r.measure.rawValue)
        binder.real(r.value)
        binder.text(encode(limits: r.limits))
        binder.real(r.count)
        binder.real(r.denominator)
        binder.optionalText(r.note)
        let first = r.comparison
        binder.optionalText(first?.benchmarkCode)
        binder.real(first?.benchmarkValue)
        binder.optionalText(first?.outcome.rawValue)
        binder.optionalText(first?.method.rawValue)
        binder.optionalText(r.trend?.rawValue)
        binder.optionalText(r.gapChange?.rawValue)
        binder.optionalText(r.goalStatus?.text)
        let further = r.comparisons?.dropFirst() ?? []
        binder.optionalText(further.isEmpty ? nil : encode(comparisons: Array(further)))
        binder.optionalText(r.cause)
    }

    /// The select list reading a record back (`resultColumns` after `run_id`, `run_id` last).
    static let selectList = (resultColumns.dropFirst() + ["run_id"]).joined(separator: ", ")

    /// A record from the text and number columns of `selectList`, or a message naming the bad column.
    static func record(
        texts: (Int) -> String?, integer: (Int) -> Int?, real: (Int) -> Double?
    ) -> Result<ResultRecord, StoreError> {
        func bad(_ i: Int, _ value: String?) -> Result<ResultRecord, StoreError> {
            .failure(
                StoreError(
                    store: "", reason: "column \(resultColumns[i + 1]) holds '\(value ?? "NULL")', which this version cannot read"
                ))
        }
        guard let method = IndicatorMethod(rawValue: texts(2) ?? "") else { return bad(2, texts(2)) }
        guard let type = AreaType(rawValue: texts(5) ?? "") else { return bad(5, texts(5)) }
        guard let sex = SexSelection(rawValue: texts(6) ?? "") else { return bad(6, texts(6)) }
        guard let first = integer(8), let last = integer(9) else { return bad(8, texts(8)) }
        guard let scheme = DeprivationScheme(rawValue: texts(12) ?? "") else { return bad(12, texts(12)) }
        guard let measure = Measure(rawValue: texts(14) ?? "") else { return bad(14, texts(14)) }
        var record = ResultRecord(
            indicator: IndicatorLabel(id: texts(0) ?? "", name: texts(1) ?? ""), method: method,
            area: AreaLabel(code: texts(3) ?? "", name: texts(4) ?? "", type: type), sex: sex, age: texts(7) ?? "",
            period: Period(first: first, last: last), imdEdition: texts(11) ?? "", scheme: scheme,
            quantile: texts(13) ?? "", measure: measure, value: real(15),
            limits: decode(limits: texts(16) ?? "[]"), count: real(17), denominator: real(18), note: texts(19),
            cause: texts(28))
        // The judgements (NULL in rows written before `v3-judgements`).
        if let word = texts(22) {
            guard let outcome = ComparisonOutcome(rawValue: word) else { return bad(22, word) }
            guard let method = ComparisonMethod(rawValue: texts(23) ?? "") else { return bad(23, texts(23)) }
            record.comparisons =
                [RecordComparison(benchmarkCode: texts(20) ?? "", benchmarkValue: real(21), outcome: outcome, method: method)]
                + decode(comparisons: texts(27) ?? "")
        }
        if let word = texts(24) {
            guard let trend = TrendMarker(rawValue: word) else { return bad(24, word) }
            record.trend = trend
        }
        if let word = texts(25) {
            guard let change = GapChangeVerdict(rawValue: word) else { return bad(25, word) }
            record.gapChange = change
        }
        if let text = texts(26) {
            guard let status = RecordGoalStatus(text: text) else { return bad(26, text) }
            record.goalStatus = status
        }
        return .success(record)
    }

    /// The WHERE clause of a filter with `?`-style placeholders made by `placeholder(n)` (1-based), and its values.
    static func conditions(_ filter: RecordFilter, startingAt first: Int, placeholder: (Int) -> String) -> (
        sql: String, texts: [String], periods: [Int]
    ) {
        var parts: [String] = []
        var texts: [String] = []
        var n = first
        for (column, value) in [
            ("indicator_id", filter.indicator), ("area_code", filter.area), ("sex", filter.sex),
            ("measure", filter.measure),
        ] {
            guard let value else { continue }
            parts.append("\(column) = \(placeholder(n))")
            texts.append(value)
            n += 1
        }
        var periods: [Int] = []
        if let period = filter.period {
            parts.append("period_first = \(placeholder(n)) AND period_last = \(placeholder(n + 1))")
            periods = [period.first, period.last]
        }
        return (parts.isEmpty ? "" : " AND " + parts.joined(separator: " AND "), texts, periods)
    }
}

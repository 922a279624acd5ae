import CSVStream
import Foundation
import Indicators
import Results

/// A history query asked for something the store does not hold (exit 64): what, and what there is.
public struct HistoryQueryError: Error, Sendable, CustomStringConvertible {
    /// The message.
    public var message: String

    /// Creates the error.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}

// MARK: - history show

/// `healthgap history show`: one indicator and area over periods (latest run) and over runs (revisions).
///
/// CSV columns: `series` (`periods`: every matching record of the latest run, in job order;
/// `revisions`: the latest period's records in every run, oldest run first), `run_id`, `run_time`,
/// then the long table's columns (limits for every level any row has, ascending).
public enum HistoryShow {
    /// The CSV text for `filter` (indicator and area required).
    ///
    /// - Throws: `StoreError` reading the store, `HistoryQueryError` when nothing matches.
    public static func csv(store: any ResultsStore, filter: RecordFilter) throws -> String {
        let runs = try store.runs()
        guard let latest = runs.first else { throw HistoryQueryError("\(store.location) holds no run yet") }
        let series = try store.records(run: latest.id, filter: filter)
        guard let lastPeriod = series.map(\.period).max() else {
            throw HistoryQueryError(
                "run \(latest.id) has no record for indicator '\(filter.indicator ?? "")', area '\(filter.area ?? "")'"
                    + (filter.sex.map { ", sex '\($0)'" } ?? "") + (filter.measure.map { ", measure '\($0)'" } ?? ""))
        }
        var periodFilter = filter
        periodFilter.period = lastPeriod
        let revisions = try store.revisions(filter: periodFilter)
        let times = Dictionary(runs.map { ($0.id, $0.timeText) }, uniquingKeysWith: { a, _ in a })
        let rows = series.map { ("periods", latest.id, $0) } + revisions.map { ("revisions", $0.run, $0.record) }
        let levels = Set(rows.flatMap { $0.2.limits.map(\.level) }).sorted()
        let causes = rows.contains { $0.2.cause != nil }
        var out: [UInt8] = []
        out += CSVWriter.encodeRow(["series", "run_id", "run_time"] + ResultsCSV.longHeader(levels: levels, causes: causes))
        for (name, run, record) in rows {
            for text in [name, String(run), times[run] ?? ""] {
                CSVWriter.appendField(text, to: &out)
                out.append(0x2C)
            }
            ResultsCSV.appendLongRow(record, levels: levels, causes: causes, to: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }
}

// MARK: - history diff

/// `healthgap history diff`: what changed between two runs, one CSV row per change.
///
/// Columns: `change, indicator_id, area_code, area_name, sex, age, [cause,] period,
/// deprivation_scheme, quantile, measure, from, to`. Changes, in the newer run's job order (then what it dropped):
/// - `new_period`: a period the older run did not have for that indicator and area (each record);
/// - `removed_period`: the reverse;
/// - `revised`: a value that moved by at least half a unit in its 4th significant figure
///   (`revisedBeyondRounding`), so floating-point noise is never news;
/// - `now_suppressed`, `no_longer_suppressed`: a value that went missing or appeared;
/// - `new_record`, `removed_record`: a cell (sex, quantile, measure, …) of a period both runs have;
/// - `comparison_changed`, `trend_changed`, `gap_change_changed`, `goal_status_changed`: a
///   judgement whose word changed (`wordFields`), with the words in `from` and `to`.
public enum HistoryDiff {
    /// Significant figures a value is compared at.
    public static let significantFigures = 4

    /// Fields of a record whose change of word is news, by column name (METHODS.md §11, §12). A
    /// comparison is written `E92000001 worse` (each benchmark's code and word, joined by `; ` when
    /// the record has several), so a change against any benchmark shows.
    static let wordFields: [(name: String, word: @Sendable (ResultRecord) -> String?)] = [
        (
            "comparison",
            { r in r.comparisons.map { $0.map { "\($0.benchmarkCode) \($0.outcome.rawValue)" }.joined(separator: "; ") } }
        ),
        ("trend", { $0.trend?.rawValue }),
        ("gap_change", { $0.gapChange?.rawValue }),
        ("goal_status", { $0.goalStatus?.text }),
    ]

    /// One change.
    public struct Change: Sendable, Equatable {
        /// `new_period`, `revised`, …
        public var kind: String
        /// The record (the newer run's, or the older one's when removed).
        public var record: ResultRecord
        /// The older value or word (empty when none).
        public var from: String
        /// The newer value or word (empty when none).
        public var to: String
    }

    /// True when `a` and `b` differ by at least half a unit in their `significantFigures`th figure.
    public static func revisedBeyondRounding(_ a: Double, _ b: Double) -> Bool {
        let scale = max(a.magnitude, b.magnitude)
        guard scale > 0, scale.isFinite else { return a != b }
        let exponent = (log10(scale)).rounded(.down)
        let unit = pow(10, exponent - Double(significantFigures - 1))
        return (a - b).magnitude >= unit / 2
    }

    /// The key of a record within a run: everything but its numbers.
    private struct Key: Hashable {
        var indicator: String, area: String, sex: SexSelection, age: String, period: Period, imd: String
        var scheme: DeprivationScheme, quantile: String, measure: Measure, cause: String?

        init(_ r: ResultRecord) {
            cause = r.cause
            indicator = r.indicator.id
            area = r.area.code
            sex = r.sex
            age = r.age
            period = r.period
            imd = r.imdEdition
            scheme = r.scheme
            quantile = r.quantile
            measure = r.measure
        }
    }

    private struct PeriodKey: Hashable {
        var indicator: String, area: String, period: Period
        init(_ r: ResultRecord) {
            indicator = r.indicator.id
            area = r.area.code
            period = r.period
        }
    }

    /// The changes from `older` to `newer` (each a run's records).
    public static func changes(from older: [ResultRecord], to newer: [ResultRecord]) -> [Change] {
        var before: [Key: ResultRecord] = [:]
        before.reserveCapacity(older.count)
        for r in older { before[Key(r)] = r }
        let periodsBefore = Set(older.map(PeriodKey.init))
        let periodsAfter = Set(newer.map(PeriodKey.init))
        var seen = Set<Key>()
        seen.reserveCapacity(newer.count)
        var out: [Change] = []
        func text(_ x: Double?) -> String { CSVWriter.format(x) }
        for r in newer {
            let key = Key(r)
            seen.insert(key)
            guard let old = before[key] else {
                let kind = periodsBefore.contains(PeriodKey(r)) ? "new_record" : "new_period"
                out.append(Change(kind: kind, record: r, from: "", to: text(r.value)))
                continue
            }
            switch (old.value, r.value) {
            case (let a?, let b?) where revisedBeyondRounding(a, b):
                out.append(Change(kind: "revised", record: r, from: text(a), to: text(b)))
            case (let a?, nil):
                out.append(Change(kind: "now_suppressed", record: r, from: text(a), to: ""))
            case (nil, let b?):
                out.append(Change(kind: "no_longer_suppressed", record: r, from: "", to: text(b)))
            default: break
            }
            for field in wordFields {
                let a = field.word(old) ?? "", b = field.word(r) ?? ""
                if a != b { out.append(Change(kind: "\(field.name)_changed", record: r, from: a, to: b)) }
            }
        }
        for r in older where !seen.contains(Key(r)) {
            let kind = periodsAfter.contains(PeriodKey(r)) ? "removed_record" : "removed_period"
            out.append(Change(kind: kind, record: r, from: text(r.value), to: ""))
        }
        return out
    }

    /// The header of the diff's CSV (`cause` after `age` only when a change has a cause, as in `ResultsCSV`).
    public static let header = [
        "change", "indicator_id", "area_code", "area_name", "sex", "age", "period", "deprivation_scheme", "quantile",
        "measure", "from", "to",
    ]

    /// The changes as CSV text.
    public static func csv(_ changes: [Change]) -> String {
        let causes = changes.contains { $0.record.cause != nil }
        var out: [UInt8] = []
        var columns = header
        if causes { columns.insert(ResultsCSV.causeColumn, at: 6) }
        out += CSVWriter.encodeRow(columns)
        for c in changes {
            let r = c.record
            var fields = [
                c.kind, r.indicator.id, r.area.code, r.area.name, r.sex.rawValue, r.age, r.period.label,
                r.scheme.rawValue, r.quantile, r.measure.rawValue, c.from, c.to,
            ]
            if causes { fields.insert(r.cause ?? "", at: 6) }
            out += CSVWriter.encodeRow(fields)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A one-line summary: `run 3 -> run 4: 12 new_period, 3 revised` (or `no changes`).
    public static func summary(_ changes: [Change], older: Int64, newer: Int64) -> String {
        var counts: [String: Int] = [:]
        var order: [String] = []
        for c in changes {
            if counts[c.kind] == nil { order.append(c.kind) }
            counts[c.kind, default: 0] += 1
        }
        let parts = order.map { "\(counts[$0] ?? 0) \($0)" }
        return "run \(older) -> run \(newer): " + (parts.isEmpty ? "no changes" : parts.joined(separator: ", "))
    }

    /// The two runs to compare: the given ids, or the latest two.
    ///
    /// - Throws: `HistoryQueryError` when the store has fewer than two runs or an id is unknown.
    public static func runs(in store: any ResultsStore, older: Int64?, newer: Int64?) throws -> (StoredRun, StoredRun) {
        let runs = try store.runs()
        if let older, let newer {
            guard let a = runs.first(where: { $0.id == older }), let b = runs.first(where: { $0.id == newer }) else {
                let known = runs.map { String($0.id) }.joined(separator: ", ")
                throw HistoryQueryError("run \(older) or \(newer) is not in \(store.location) (runs: \(known))")
            }
            return (a, b)
        }
        guard runs.count >= 2 else {
            throw HistoryQueryError("\(store.location) holds \(runs.count) run\(runs.count == 1 ? "" : "s"); diff needs two")
        }
        return (runs[1], runs[0])
    }
}

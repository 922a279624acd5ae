import Foundation
import GRDB
import Indicators
import Results
import Testing
import _TestSupport

@testable import ResultsStore

// The history keeps the judgements (issue 11, migration `v3-judgements`): every comparison of a
// record compared with several benchmarks, the trend, gap change and goal status; a store from
// before them migrates; `history diff` names a judgement whose word changed.

enum JudgedHistory {
    /// A night of the fixtures' records judged: Liverpool against England and the North West.
    static func judged(_ records: [ResultRecord], liverpool: ComparisonOutcome, trend: TrendMarker) -> [ResultRecord] {
        records.map { r in
            var r = r
            r.comparisons = [
                RecordComparison(
                    benchmarkCode: "E92000001", benchmarkValue: 78.5, outcome: r.area.code == "E08000012" ? liverpool : .similar,
                    method: .ci95),
                RecordComparison(benchmarkCode: "E12000002", benchmarkValue: nil, outcome: .notCompared, method: .ci95),
            ]
            r.trend = trend
            r.gapChange = .narrowing
            r.goalStatus = RecordGoalStatus(comparison: .worse, trajectory: r.sex == .male ? .onTrack : nil)
            return r
        }
    }
}

@Suite struct HistoryJudgementTests {
    let folder = HistoryFixtures.folder()
    var path: String { folder.appendingPathComponent("history.sqlite").path }

    @Test func judgedRecordsReadBackWithEveryComparison() throws {
        let store = try SQLiteResultsStore(path: path)
        defer { store.close() }
        let night = JudgedHistory.judged(HistoryFixtures.nightTwo, liverpool: .worse, trend: .increasingAndGettingBetter)
        let id = try HistoryFixtures.write(night, to: store, time: 1_000)
        let back = try store.records(run: id, filter: RecordFilter())
        #expect(back == night)
        #expect(back.first?.comparisons?.count == 2)
        // The first comparison in columns of its own, the rest encoded beside them.
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        let row = try queue.read { db in
            try Row.fetchOne(
                db, sql: "SELECT benchmark_code, comparison, trend, goal_status, further_comparisons FROM results LIMIT 1")
        }
        #expect(row?["benchmark_code"] == "E92000001")
        #expect(row?["trend"] == "increasing and getting better")
        #expect(row?["goal_status"] == "worse, on track")
        #expect(row?["further_comparisons"] == "E12000002,,not compared,ci95")
    }

    @Test func furtherComparisonsEncodeAndDecode() {
        let comparisons = [
            RecordComparison(benchmarkCode: "E92000001", benchmarkValue: -0.125, outcome: .best, method: .ci95And99_8),
            RecordComparison(benchmarkCode: "E54000008", benchmarkValue: nil, outcome: .notCompared, method: .controlLimits),
        ]
        let text = StoreSchema.encode(comparisons: comparisons)
        #expect(text == "E92000001,-0.125,best,ci95_99_8;E54000008,,not compared,control_limits")
        #expect(StoreSchema.decode(comparisons: text) == comparisons)
        #expect(
            StoreSchema.decode(comparisons: "junk;E1,1,worse,ci95")
                == [RecordComparison(benchmarkCode: "E1", benchmarkValue: 1, outcome: .worse, method: .ci95)])
    }

    @Test func aStoreFromBeforeTheJudgementsMigrates() throws {
        let old = try SQLiteResultsStore(path: path, busyTimeout: 1, migrateUpTo: "v2-index-and-run-records")
        old.close()
        let queue = try DatabaseQueue(path: path)
        let before = try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO runs (time, tool_version, plan_name, plan_sha256, input_sha256, seed, fingerprint, records)
                    VALUES (1000, '0.0.9', 'old plan', 'ab', 'counts=cd', '5', 'ff', 1)
                    """)
            try db.execute(
                sql: """
                    INSERT INTO results VALUES (1, 'le_birth', 'Life expectancy at birth', 'life_expectancy', 'E08000012',
                    'Liverpool', 'place', 'Male', '0', 2017, 2019, '2017-2019', 'IMD 2019', 'none', '', 'value', 76.5,
                    '[[0.95,75.5,77.5]]', 300, 12000, NULL)
                    """)
            return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
        }
        try queue.close()
        #expect(before == ["v1-runs-and-results", "v2-index-and-run-records"])

        let store = try SQLiteResultsStore(path: path)
        defer { store.close() }
        // The old run reads back without judgements; a judged run is written beside it.
        let oldRecords = try store.records(run: 1, filter: RecordFilter())
        #expect(oldRecords.map(\.value) == [76.5])
        #expect(oldRecords.allSatisfy { $0.comparisons == nil && $0.trend == nil && $0.gapChange == nil && $0.goalStatus == nil })
        let night = JudgedHistory.judged(HistoryFixtures.nightTwo, liverpool: .better, trend: .noSignificantChange)
        let id = try HistoryFixtures.write(night, to: store, time: 2_000)
        #expect(try store.records(run: id, filter: RecordFilter()) == night)
        let check = try DatabaseQueue(path: path)
        let after = try check.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
        try check.close()
        #expect(after.suffix(2) == ["v3-judgements", "v4-cause"])
    }

    @Test func diffNamesJudgementsThatChangedWord() throws {
        let older = JudgedHistory.judged(HistoryFixtures.nightOne, liverpool: .similar, trend: .noSignificantChange)
        var newer = JudgedHistory.judged(HistoryFixtures.nightOne, liverpool: .worse, trend: .noSignificantChange)
        newer[0].trend = .decreasingAndGettingWorse
        let changes = HistoryDiff.changes(from: older, to: newer)
        let liverpool = changes.filter { $0.kind == "comparison_changed" }
        #expect(liverpool.count == 4)  // Liverpool's two sexes, two periods
        #expect(liverpool.first?.from == "E92000001 similar; E12000002 not compared")
        #expect(liverpool.first?.to == "E92000001 worse; E12000002 not compared")
        let trend = changes.filter { $0.kind == "trend_changed" }
        #expect(trend.map(\.from) == ["no significant change"] && trend.map(\.to) == ["decreasing and getting worse"])
        #expect(HistoryDiff.changes(from: older, to: older).isEmpty)
        // A run that starts judging reports every new word once.
        let started = HistoryDiff.changes(from: HistoryFixtures.nightOne, to: older)
        #expect(Set(started.map(\.kind)) == ["comparison_changed", "trend_changed", "gap_change_changed", "goal_status_changed"])
    }
}

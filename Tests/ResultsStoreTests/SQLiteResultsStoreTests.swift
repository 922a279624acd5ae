import Foundation
import GRDB
import Indicators
import Results
import Testing

@testable import ResultsStore

/// The SQLite history: round trip, show, diff, a run that never commits, two writers, an old schema.
@Suite struct SQLiteResultsStoreTests {
    let folder = HistoryFixtures.folder()
    var path: String { folder.appendingPathComponent("history.sqlite").path }

    @Test func recordsReadBackAsWritten() throws {
        let store = try SQLiteResultsStore(path: path)
        defer { store.close() }
        let id = try HistoryFixtures.write(HistoryFixtures.nightTwo, to: store, time: 1_000)
        #expect(try store.records(run: id, filter: RecordFilter()) == HistoryFixtures.nightTwo)
        let runs = try store.runs()
        #expect(runs.count == 1)
        #expect(runs[0].records == HistoryFixtures.nightTwo.count)
        #expect(runs[0].fingerprint == "ef1000" && runs[0].seed == 1 && runs[0].inputSHA256 == "counts=cd")
    }

    /// A gap decomposition's records keep their cause (migration v4-cause); `show` and `diff` name it,
    /// and two causes of one band are two records, not one revised.
    @Test func causesReadBackAndAreTheirOwnRecords() throws {
        let store = try SQLiteResultsStore(path: path)
        defer { store.close() }
        let period = Period(first: 2019, last: 2021)
        func gap(_ cause: String, _ years: Double) -> ResultRecord {
            var r = HistoryFixtures.record(
                indicator: "le_gap", period: period, scheme: .localQuintiles, measure: .gapContribution, value: years)
            r.method = .leGapDecomposition
            r.limits = []
            r.cause = cause
            return r
        }
        let first = [gap("all", 9.5), gap("circulatory", 2.5), gap("other", 7)]
        let second = [gap("all", 9.5), gap("circulatory", 3), gap("other", 6.5)]
        let a = try HistoryFixtures.write(first, to: store, time: 1_000)
        let b = try HistoryFixtures.write(second, to: store, time: 2_000)
        #expect(try store.records(run: a, filter: RecordFilter()) == first)
        let changes = HistoryDiff.changes(
            from: try store.records(run: a, filter: RecordFilter()), to: try store.records(run: b, filter: RecordFilter()))
        #expect(changes.map(\.kind) == ["revised", "revised"] && changes.map { $0.record.cause } == ["circulatory", "other"])
        let csv = HistoryDiff.csv(changes)
        #expect(csv.hasPrefix("change,indicator_id,area_code,area_name,sex,age,cause,period,"), "\(csv)")
        #expect(csv.contains(",circulatory,2019-2021,local_quintiles,,gap_contribution,2.5,3\n"), "\(csv)")
        let show = try HistoryShow.csv(store: store, filter: RecordFilter(indicator: "le_gap", area: "E08000012"))
        #expect(show.split(separator: "\n").first?.contains(",age,cause,period,") == true, "\(show)")
    }

    @Test func limitsSurviveDifferentLevels() {
        let limits = [
            LevelLimits(level: ConfidenceLevel(0.9)!, lower: 1.5, upper: nil),
            LevelLimits(level: ConfidenceLevel(0.998)!, lower: -2e-7, upper: 3),
        ]
        let text = StoreSchema.encode(limits: limits)
        #expect(text == "[[0.9,1.5,null],[0.998,-2e-07,3.0]]")
        #expect(StoreSchema.decode(limits: text) == limits)
        #expect(StoreSchema.decode(limits: "[]").isEmpty)
    }

    @Test func showGivesTheSeriesAndTheRevisions() throws {
        let store = try SQLiteResultsStore(path: path)
        defer { store.close() }
        try HistoryFixtures.write(HistoryFixtures.nightOne, to: store, time: 1_000)
        try HistoryFixtures.write(HistoryFixtures.nightTwo, to: store, time: 2_000)
        let csv = try HistoryShow.csv(
            store: store, filter: RecordFilter(indicator: "le_birth", area: "E08000012", sex: "Male"))
        let lines = csv.split(separator: "\n").map(String.init)
        #expect(
            lines[0]
                == "series,run_id,run_time,indicator_id,indicator,method,area_code,area_name,area_type,sex,age,period,imd_edition,deprivation_scheme,quantile,measure,value,lower95_0cl,upper95_0cl,lower99_8cl,upper99_8cl,count,denominator,note,benchmark_code,benchmark_value,comparison,comparison_method,trend,gap_change,goal_status"
        )
        let keyed = lines.dropFirst().map { line -> String in
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            return [f[0], f[1], f[11], f[16]].joined(separator: " ")
        }
        #expect(
            keyed == [
                "periods 2 2017-2019 76.250001", "periods 2 2018-2020 76.75", "periods 2 2019-2021 77",
                "revisions 2 2019-2021 77",
            ])
        #expect(lines[1].contains(",1970-01-01T00:33:20Z,"))

        let revised = try HistoryShow.csv(
            store: store, filter: RecordFilter(indicator: "le_birth", area: "E08000015", sex: "Female"))
        #expect(revised.contains("revisions,2,"))
        #expect(throws: HistoryQueryError.self) {
            try HistoryShow.csv(store: store, filter: RecordFilter(indicator: "le_birth", area: "E00000000"))
        }
    }

    @Test func revisionsFollowOnePeriodOverRuns() throws {
        let store = try SQLiteResultsStore(path: path)
        defer { store.close() }
        try HistoryFixtures.write(HistoryFixtures.nightOne, to: store, time: 1_000)
        try HistoryFixtures.write(HistoryFixtures.nightTwo, to: store, time: 2_000)
        let rows = try store.revisions(
            filter: RecordFilter(
                indicator: "le_birth", area: "E08000012", sex: "Male", period: Period(first: 2018, last: 2020)))
        #expect(rows.map(\.run) == [1, 2])
        #expect(rows.map(\.record.value) == [76.5, 76.75])
    }

    @Test func diffNamesNewPeriodsRevisionsAndSuppressions() throws {
        let store = try SQLiteResultsStore(path: path)
        defer { store.close() }
        try HistoryFixtures.write(HistoryFixtures.nightOne, to: store, time: 1_000)
        try HistoryFixtures.write(HistoryFixtures.nightTwo, to: store, time: 2_000)
        let (older, newer) = try HistoryDiff.runs(in: store, older: nil, newer: nil)
        #expect((older.id, newer.id) == (1, 2))
        let changes = HistoryDiff.changes(
            from: try store.records(run: older.id, filter: RecordFilter()),
            to: try store.records(run: newer.id, filter: RecordFilter()))
        let csv = HistoryDiff.csv(changes)
        #expect(
            csv == """
                change,indicator_id,area_code,area_name,sex,age,period,deprivation_scheme,quantile,measure,from,to
                revised,le_birth,E08000012,Liverpool,Male,0,2018-2020,none,,value,76.5,76.75
                new_period,le_birth,E08000012,Liverpool,Male,0,2019-2021,none,,value,,77
                new_period,le_birth,E08000012,Liverpool,Female,0,2019-2021,none,,value,,77
                new_period,le_birth,E08000015,Wirral,Male,0,2019-2021,none,,value,,77
                now_suppressed,le_birth,E08000015,Wirral,Female,0,2018-2020,none,,value,76.5,
                new_period,le_birth,E08000015,Wirral,Female,0,2019-2021,none,,value,,77

                """)
        #expect(HistoryDiff.summary(changes, older: 1, newer: 2) == "run 1 -> run 2: 1 revised, 4 new_period, 1 now_suppressed")
        let back = HistoryDiff.changes(
            from: try store.records(run: 2, filter: RecordFilter()), to: try store.records(run: 1, filter: RecordFilter()))
        #expect(back.filter { $0.kind == "removed_period" }.count == 4)
        #expect(back.filter { $0.kind == "no_longer_suppressed" }.count == 1)
    }

    @Test func roundingIsNotARevision() {
        #expect(!HistoryDiff.revisedBeyondRounding(76.25, 76.250001))
        #expect(!HistoryDiff.revisedBeyondRounding(76.25, 76.254))
        #expect(HistoryDiff.revisedBeyondRounding(76.25, 76.256))
        #expect(HistoryDiff.revisedBeyondRounding(0.001234, 0.001235))
        #expect(!HistoryDiff.revisedBeyondRounding(0, 0))
        #expect(HistoryDiff.revisedBeyondRounding(0, 1e-9))
    }

    @Test func aRunThatNeverCommitsLeavesTheStoreAsItWas() throws {
        let store = try SQLiteResultsStore(path: path)
        try HistoryFixtures.write(HistoryFixtures.nightOne, to: store, time: 1_000)
        store.close()

        // A writer that inserts and then disappears: rolled back explicitly, then one that never says.
        let failing = try SQLiteResultsStore(path: path)
        _ = try failing.beginRun(HistoryFixtures.run(time: 2_000))
        try failing.insert(HistoryFixtures.nightTwo)
        let reader = try SQLiteResultsStore(path: path)
        #expect(try reader.runs().map(\.id) == [1])  // uncommitted records are invisible meanwhile
        failing.rollbackRun()
        #expect(try reader.runs().map(\.id) == [1])
        _ = try failing.beginRun(HistoryFixtures.run(time: 3_000))
        try failing.insert(HistoryFixtures.nightTwo)
        failing.close()  // as a dying process: the transaction is never committed
        #expect(try reader.runs().map(\.id) == [1])
        #expect(try reader.records(run: 1, filter: RecordFilter()) == HistoryFixtures.nightOne)
        reader.close()
        let consumer = HistoryConsumer(location: path)
        try consumer.begin(staging: folder.path, run: RunDescription(levels: ConfidenceLevel.defaults, planName: "p"))
        try consumer.consume(HistoryFixtures.nightTwo)
        consumer.rollback()
        let after = try SQLiteResultsStore(path: path)
        defer { after.close() }
        #expect(try after.runs().count == 1)
    }

    @Test func aSecondWriterWaitsAndNeverInterleaves() throws {
        let first = try SQLiteResultsStore(path: path)
        let second = try SQLiteResultsStore(path: path, busyTimeout: 0.2)
        defer {
            first.close()
            second.close()
        }
        _ = try first.beginRun(HistoryFixtures.run(time: 1_000))
        try first.insert(HistoryFixtures.nightOne)
        let error = #expect(throws: StoreError.self) { _ = try second.beginRun(HistoryFixtures.run(time: 2_000)) }
        #expect(error?.reason.contains("another run is writing the store") == true)
        try first.commitRun()
        try HistoryFixtures.write(HistoryFixtures.nightTwo, to: second, time: 2_000)
        #expect(try first.records(run: 1, filter: RecordFilter()) == HistoryFixtures.nightOne)
        #expect(try first.records(run: 2, filter: RecordFilter()) == HistoryFixtures.nightTwo)
    }

    @Test func concurrentRunsAreEachContiguousAndWhole() async throws {
        _ = try SQLiteResultsStore(path: path)  // migrated once, before the writers race
        let path = self.path
        let many = (0..<50).flatMap { _ in HistoryFixtures.nightTwo }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for k in 0..<4 {
                group.addTask {
                    let store = try SQLiteResultsStore(path: path, busyTimeout: 60)
                    defer { store.close() }
                    try HistoryFixtures.write(many, to: store, time: Double(1_000 + k), batch: 7)
                }
            }
            try await group.waitForAll()
        }
        let queue = try DatabaseQueue(path: path)
        let spans = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT run_id, min(rowid), max(rowid), count(*) FROM results GROUP BY run_id")
        }
        #expect(spans.count == 4)
        for span in spans {
            let low: Int64 = span[1], high: Int64 = span[2], count: Int64 = span[3]
            #expect(count == Int64(many.count))
            #expect(high - low + 1 == count)  // no other run's row inside this run's span
        }
    }

    @Test func aStoreAtTheFirstSchemaMigrates() throws {
        let old = try SQLiteResultsStore(path: path, busyTimeout: 1, migrateUpTo: "v1-runs-and-results")
        old.close()
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO runs (time, tool_version, plan_name, plan_sha256, input_sha256, seed, fingerprint)
                    VALUES (1000, '0.0.9', 'old plan', 'ab', 'counts=cd', '5', 'ff')
                    """)
            try db.execute(
                sql: """
                    INSERT INTO results VALUES (1, 'le_birth', 'Life expectancy at birth', 'life_expectancy', 'E08000012',
                    'Liverpool', 'place', 'Male', '0', 2017, 2019, '2017-2019', 'IMD 2019', 'none', '', 'value', 76.5,
                    '[[0.95,75.5,77.5]]', 300, 12000, NULL)
                    """)
            #expect(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") == ["v1-runs-and-results"])
        }
        try queue.close()

        let store = try SQLiteResultsStore(path: path)
        defer { store.close() }
        let runs = try store.runs()
        #expect(runs.map(\.records) == [1])  // the new column, filled from the old rows
        #expect(runs[0].seed == 5 && runs[0].toolVersion == "0.0.9")
        let records = try store.records(run: 1, filter: RecordFilter(indicator: "le_birth", area: "E08000012"))
        #expect(records.map(\.value) == [76.5])
        #expect(records[0].limits == [LevelLimits(level: .ninetyFive, lower: 75.5, upper: 77.5)])
        try HistoryFixtures.write(HistoryFixtures.nightOne, to: store, time: 2_000)
        #expect(try store.runs().map(\.id) == [2, 1])
        let check = try DatabaseQueue(path: path)
        let indexes = try check.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'results'")
        }
        try check.close()
        #expect(indexes == ["results_run_series"])
    }

    @Test func aFolderThatDoesNotExistIsNamed() {
        let error = #expect(throws: StoreError.self) { _ = try SQLiteResultsStore(path: "/nonexistent/h.sqlite") }
        #expect(error?.description == "history store /nonexistent/h.sqlite: the folder /nonexistent does not exist")
    }

    @Test func theDefaultStoreIsBesideTheOutputLink() {
        #expect(StoreOpener.defaultLocation(output: "/srv/out/healthgap-output") == "/srv/out/healthgap-history.sqlite")
        #expect(StoreOpener.isPostgres("postgres://u:p@127.0.0.1:5432/db"))
        #expect(!StoreOpener.isPostgres("history.sqlite"))
    }
}

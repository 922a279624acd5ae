import Foundation
import Indicators
import Results
import Testing
import _TestSupport

@testable import ResultsStore

/// The PostgreSQL history, against the server at `HEALTHGAP_TEST_POSTGRES_URL` (skipped without one).
///
/// One serialized suite: each test starts from an empty database.
@Suite(.serialized, .enabled(if: Services.postgresURL != nil, Comment(rawValue: Services.postgresReason)))
struct PostgresResultsStoreTests {
    static var url: String { Services.postgresURL ?? "" }

    /// A store on an emptied database (migrated up to `upTo`, or fully).
    static func emptyStore(upTo: String? = nil) throws -> PostgresResultsStore {
        let store = try PostgresResultsStore(url: url)
        try store.execute("DROP TABLE IF EXISTS results, runs, schema_version")
        store.close()
        return try PostgresResultsStore(url: url, migrateUpTo: upTo)
    }

    @Test func twoRunsThenShowAndDiff() throws {
        let store = try Self.emptyStore()
        defer { store.close() }
        try HistoryFixtures.write(HistoryFixtures.nightOne, to: store, time: 1_000)
        let second = try HistoryFixtures.write(HistoryFixtures.nightTwo, to: store, time: 2_000)
        #expect(try store.records(run: second, filter: RecordFilter()) == HistoryFixtures.nightTwo)
        #expect(try store.runs().map(\.records) == [HistoryFixtures.nightTwo.count, HistoryFixtures.nightOne.count])
        let csv = try HistoryShow.csv(
            store: store, filter: RecordFilter(indicator: "le_birth", area: "E08000012", sex: "Male"))
        let periods = csv.split(separator: "\n").dropFirst().map {
            $0.split(separator: ",", omittingEmptySubsequences: false)[11]
        }
        #expect(periods == ["2017-2019", "2018-2020", "2019-2021", "2019-2021"])
        let (older, newer) = try HistoryDiff.runs(in: store, older: nil, newer: nil)
        let changes = HistoryDiff.changes(
            from: try store.records(run: older.id, filter: RecordFilter()),
            to: try store.records(run: newer.id, filter: RecordFilter()))
        #expect(HistoryDiff.summary(changes, older: 1, newer: 2) == "run 1 -> run 2: 1 revised, 4 new_period, 1 now_suppressed")
    }

    @Test func judgedRecordsReadBackWithEveryComparison() throws {
        let store = try Self.emptyStore()
        defer { store.close() }
        let night = JudgedHistory.judged(HistoryFixtures.nightTwo, liverpool: .worst, trend: .decreasing)
        let id = try HistoryFixtures.write(night, to: store, time: 1_000)
        #expect(try store.records(run: id, filter: RecordFilter()) == night)
    }

    @Test func anUncommittedRunIsInvisibleAndRollsBack() throws {
        let store = try Self.emptyStore()
        try HistoryFixtures.write(HistoryFixtures.nightOne, to: store, time: 1_000)
        let writer = try PostgresResultsStore(url: Self.url)
        _ = try writer.beginRun(HistoryFixtures.run(time: 2_000))
        try writer.insert(HistoryFixtures.nightTwo)
        #expect(try store.runs().count == 1)
        writer.close()  // the connection goes, as a killed run's does: nothing was committed
        #expect(try store.runs().count == 1)
        #expect(try store.revisions(filter: RecordFilter()).count == HistoryFixtures.nightOne.count)
        store.close()
    }

    @Test func twoWritersAtOnceNeverInterleave() throws {
        let store = try Self.emptyStore()
        let a = try PostgresResultsStore(url: Self.url), b = try PostgresResultsStore(url: Self.url)
        let runA = try a.beginRun(HistoryFixtures.run(time: 1_000))
        let runB = try b.beginRun(HistoryFixtures.run(time: 2_000))
        for _ in 0..<3 {
            try a.insert(HistoryFixtures.nightOne)
            try b.insert(HistoryFixtures.nightTwo)
        }
        try b.commitRun()
        #expect(try store.runs().map(\.id) == [runB])
        try a.commitRun()
        #expect(
            try store.records(run: runA, filter: RecordFilter())
                == Array(repeating: HistoryFixtures.nightOne, count: 3).flatMap { $0 })
        #expect(
            try store.records(run: runB, filter: RecordFilter())
                == Array(repeating: HistoryFixtures.nightTwo, count: 3).flatMap { $0 })
        a.close()
        b.close()
        store.close()
    }

    @Test func aStoreAtTheFirstSchemaMigrates() throws {
        let old = try Self.emptyStore(upTo: "v1-runs-and-results")
        try old.execute(
            """
            INSERT INTO runs (time, tool_version, plan_name, plan_sha256, input_sha256, seed, fingerprint)
            VALUES (1000, '0.0.9', 'old plan', 'ab', 'counts=cd', '5', 'ff')
            """)
        try old.execute(
            """
            INSERT INTO results VALUES (1, 'le_birth', 'Life expectancy at birth', 'life_expectancy', 'E08000012',
            'Liverpool', 'place', 'Male', '0', 2017, 2019, '2017-2019', 'IMD 2019', 'none', '', 'value', 76.5,
            '[[0.95,75.5,77.5]]', 300, 12000, NULL)
            """)
        old.close()
        let store = try PostgresResultsStore(url: Self.url)
        defer { store.close() }
        #expect(try store.runs().map(\.records) == [1])
        let records = try store.records(run: 1, filter: RecordFilter(indicator: "le_birth"))
        #expect(records.map(\.value) == [76.5])
        try HistoryFixtures.write(HistoryFixtures.nightOne, to: store, time: 2_000)
        #expect(try store.runs().map(\.id) == [2, 1])
    }
}

import Foundation
import GRDB
import GRDBSQLite
import Indicators
import Results

/// The history in a SQLite file, through GRDB: migrations by `DatabaseMigrator`, WAL journal (readers
/// never wait for a writer), and each run in one `BEGIN IMMEDIATE` transaction kept open from
/// `beginRun` to `commitRun`, so a second writer waits (up to the busy timeout) instead of interleaving.
///
/// Records are inserted through one prepared statement bound column by column (no per-row
/// allocation), all inside the run's transaction: about 1.5 million records in a few seconds.
public final class SQLiteResultsStore: ResultsStore {
    /// How long a writer waits for another run's transaction to end: 10 minutes.
    public static let defaultBusyTimeout = 600.0

    /// The database file.
    public let location: String
    private let queue: DatabaseQueue
    private var runOpen = false
    private var insertStatement: Statement?

    /// Opens (creating if needed) the store at `path` and applies every migration.
    ///
    /// - Throws: `StoreError` when the file cannot be opened, is not a history store, or a migration fails.
    public convenience init(path: String, busyTimeout: Double = SQLiteResultsStore.defaultBusyTimeout) throws(StoreError) {
        try self.init(path: path, busyTimeout: busyTimeout, migrateUpTo: nil)
    }

    /// Opens the store, applying migrations up to and including `migrateUpTo` (nil: all); tests make old stores with it.
    init(path: String, busyTimeout: Double, migrateUpTo: String?) throws(StoreError) {
        location = path
        var config = Configuration()
        config.allowsUnsafeTransactions = true  // the run's transaction spans several accesses
        config.busyMode = .timeout(busyTimeout)
        config.journalMode = .wal
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA cache_size = -262144")  // 256 MiB: index pages of a large run stay in memory
        }
        do {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            if !FileManager.default.fileExists(atPath: folder) {
                throw StoreError(store: path, reason: "the folder \(folder) does not exist")
            }
            queue = try DatabaseQueue(path: path, configuration: config)
            var migrator = DatabaseMigrator()
            for migration in StoreSchema.migrations {
                migrator.registerMigration(migration.name) { db in
                    for sql in migration.sqlite { try db.execute(sql: sql) }
                }
            }
            if let migrateUpTo {
                try migrator.migrate(queue, upTo: migrateUpTo)
            } else if !((try? queue.read { db in try migrator.hasCompletedMigrations(db) }) ?? false) {
                // Only a store that needs a migration asks for the write lock, so reading the history
                // never waits for a run that is writing it.
                try migrator.migrate(queue)
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(store: path, reason: Self.describe(error))
        }
    }

    deinit { close() }

    // MARK: - Writing a run

    /// Opens the run's immediate transaction (waiting for another writer up to the busy timeout) and inserts the run.
    public func beginRun(_ run: StoredRun) throws(StoreError) -> Int64 {
        guard !runOpen else { throw StoreError(store: location, reason: "a run is already being written") }
        do {
            return try queue.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE TRANSACTION")
                runOpen = true
                try db.execute(
                    sql: """
                        INSERT INTO runs (time, tool_version, plan_name, plan_sha256, input_sha256, seed, fingerprint, records)
                        VALUES (?, ?, ?, ?, ?, ?, ?, 0)
                        """,
                    arguments: [
                        run.time, run.toolVersion, run.planName, run.planSHA256, run.inputSHA256, String(run.seed),
                        run.fingerprint,
                    ])
                let id = db.lastInsertedRowID
                currentRun = id
                let columns = StoreSchema.resultColumns
                insertStatement = try db.makeStatement(
                    sql: "INSERT INTO results (\(columns.joined(separator: ", "))) VALUES ("
                        + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")")
                return id
            }
        } catch {
            rollbackRun()
            throw StoreError(store: location, reason: "cannot start the run's transaction: \(Self.describe(error))")
        }
    }

    private var currentRun: Int64 = 0
    private var inserted = 0

    /// Inserts records into the open run.
    public func insert(_ records: [ResultRecord]) throws(StoreError) {
        guard runOpen, let statement = insertStatement else {
            throw StoreError(store: location, reason: "no run is open for writing")
        }
        let run = currentRun
        let outcome: Int32 = queue.inDatabase { _ in
            let s = statement.sqliteStatement
            for r in records {
                sqlite3_reset(s)
                sqlite3_bind_int64(s, 1, run)
                var binder = Binder(statement: s)
                StoreSchema.bind(r, to: &binder)
                let rc = sqlite3_step(s)
                if rc != SQLITE_DONE { return rc }
            }
            return SQLITE_DONE
        }
        guard outcome == SQLITE_DONE else {
            let message = queue.inDatabase { db in String(cString: sqlite3_errmsg(db.sqliteConnection)) }
            throw StoreError(store: location, reason: "cannot insert a record: \(message) (SQLite code \(outcome))")
        }
        inserted += records.count
    }

    /// Binds a record's fields to the insert statement's parameters 2, 3, … (1 is the run id).
    private struct Binder: RecordBinder {
        let statement: OpaquePointer
        var index: Int32 = 2

        mutating func text(_ value: String) {
            SQLiteResultsStore.bind(value, statement, index)
            index += 1
        }

        mutating func integer(_ value: Int) {
            sqlite3_bind_int64(statement, index, Int64(value))
            index += 1
        }

        mutating func real(_ value: Double?) {
            if let value, value.isFinite {
                sqlite3_bind_double(statement, index, value)
            } else {
                sqlite3_bind_null(statement, index)
            }
            index += 1
        }

        mutating func optionalText(_ value: String?) {
            if let value {
                text(value)
            } else {
                sqlite3_bind_null(statement, index)
                index += 1
            }
        }
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    fileprivate static func bind(_ text: String, _ s: OpaquePointer, _ i: Int32) {
        var text = text
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else {
                _ = sqlite3_bind_text(s, i, "", 0, transient)
                return
            }
            base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { chars in
                _ = sqlite3_bind_text(s, i, chars, Int32(bytes.count), transient)
            }
        }
    }

    /// Commits the open run: its records become visible together.
    public func commitRun() throws(StoreError) {
        guard runOpen else { throw StoreError(store: location, reason: "no run is open to commit") }
        let run = currentRun, count = inserted
        do {
            try queue.writeWithoutTransaction { db in
                insertStatement = nil
                try db.execute(sql: "UPDATE runs SET records = ? WHERE id = ?", arguments: [count, run])
                try db.execute(sql: "COMMIT")
            }
            runOpen = false
            inserted = 0
        } catch {
            rollbackRun()
            throw StoreError(store: location, reason: "cannot commit the run: \(Self.describe(error))")
        }
    }

    /// Rolls the open run back, if any.
    public func rollbackRun() {
        insertStatement = nil
        inserted = 0
        guard runOpen else { return }
        runOpen = false
        queue.inDatabase { db in
            if db.isInsideTransaction { try? db.execute(sql: "ROLLBACK") }
        }
    }

    /// Rolls back an open run and closes the file.
    public func close() {
        rollbackRun()
        try? queue.close()
    }

    // MARK: - Reading

    /// Every committed run, newest first.
    public func runs() throws(StoreError) -> [StoredRun] {
        do {
            return try queue.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT \(StoreSchema.runColumns.joined(separator: ", ")) FROM runs ORDER BY id DESC"
                ).map { row in
                    StoredRun(
                        id: row[0], time: row[1], toolVersion: row[2], planName: row[3], planSHA256: row[4],
                        inputSHA256: row[5], seed: UInt64(row[6] as String) ?? 0, fingerprint: row[7], records: row[8])
                }
            }
        } catch {
            throw StoreError(store: location, reason: Self.describe(error))
        }
    }

    /// The records of `run` matching `filter`, in stored order.
    public func records(run: Int64, filter: RecordFilter) throws(StoreError) -> [ResultRecord] {
        try select(where: "run_id = ?", leading: [run], filter: filter, order: "rowid").map(\.record)
    }

    /// Every run's records matching `filter`, oldest run first.
    public func revisions(filter: RecordFilter) throws(StoreError) -> [(run: Int64, record: ResultRecord)] {
        try select(where: "run_id IN (SELECT id FROM runs)", leading: [], filter: filter, order: "run_id, rowid")
    }

    private func select(where base: String, leading: [Int64], filter: RecordFilter, order: String) throws(StoreError)
        -> [(run: Int64, record: ResultRecord)]
    {
        let condition = StoreSchema.conditions(filter, startingAt: 1) { _ in "?" }
        let sql = "SELECT \(StoreSchema.selectList) FROM results WHERE \(base)\(condition.sql) ORDER BY \(order)"
        let result: Result<[(run: Int64, record: ResultRecord)], StoreError>
        do {
            result = try queue.read { db in
                let statement = try db.makeStatement(sql: sql)
                let s = statement.sqliteStatement
                var i: Int32 = 1
                for value in leading {
                    sqlite3_bind_int64(s, i, value)
                    i += 1
                }
                for text in condition.texts {
                    Self.bind(text, s, i)
                    i += 1
                }
                for year in condition.periods {
                    sqlite3_bind_int64(s, i, Int64(year))
                    i += 1
                }
                var out: [(run: Int64, record: ResultRecord)] = []
                let runColumn = Int32(StoreSchema.resultColumns.count - 1)
                while true {
                    let rc = sqlite3_step(s)
                    if rc == SQLITE_DONE { break }
                    guard rc == SQLITE_ROW else {
                        return .failure(
                            StoreError(store: location, reason: String(cString: sqlite3_errmsg(db.sqliteConnection))))
                    }
                    let record = StoreSchema.record(
                        texts: { c in
                            guard let p = sqlite3_column_text(s, Int32(c)) else { return nil }
                            return String(cString: p)
                        },
                        integer: { c in
                            sqlite3_column_type(s, Int32(c)) == SQLITE_NULL ? nil : Int(sqlite3_column_int64(s, Int32(c)))
                        },
                        real: { c in
                            sqlite3_column_type(s, Int32(c)) == SQLITE_NULL ? nil : sqlite3_column_double(s, Int32(c))
                        })
                    switch record {
                    case .success(let r): out.append((sqlite3_column_int64(s, runColumn), r))
                    case .failure(var error):
                        error.store = location
                        return .failure(error)
                    }
                }
                return .success(out)
            }
        } catch {
            throw StoreError(store: location, reason: Self.describe(error))
        }
        return try result.get()
    }

    /// A GRDB or other error as one sentence.
    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            if error.resultCode == .SQLITE_BUSY {
                return "another run is writing the store and did not finish within the busy timeout (\(error.message ?? "busy"))"
            }
            if error.resultCode == .SQLITE_NOTADB { return "the file is not a SQLite database" }
            return error.message ?? "\(error)"
        }
        return "\(error)"
    }
}

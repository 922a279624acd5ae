import Foundation
import Logging
import PostgresNIO
import Results

/// The history in a PostgreSQL database shared by a team, through postgres-nio
/// (`postgres://user:password@host:port/database`, without TLS: for a server on the machine or a
/// private network).
///
/// Migrations are recorded in a `schema_version` table (number, name, time) and applied under an
/// advisory lock, so two processes opening a new database do not race. Each run is one
/// transaction (`BEGIN` in `beginRun`, `COMMIT` in `commitRun`): another run's records are never
/// visible half-written, and a killed run's transaction dies with its connection. Records go in
/// multi-row `INSERT`s of up to 1,000 rows.
///
/// The protocol is synchronous (consumers are called from the runner's thread), so each query waits
/// on its future, which postgres-nio's shared event loop completes.
public final class PostgresResultsStore: ResultsStore {
    /// The URL without its password.
    public let location: String
    private let connection: PostgresConnection
    private let logger: Logger
    private var runOpen = false
    private var currentRun: Int64 = 0
    private var inserted = 0
    private var closed = false

    /// Connects to `url` and applies every migration.
    ///
    /// - Throws: `StoreError` for a malformed URL, a failed connection or migration.
    public convenience init(url: String) throws(StoreError) {
        try self.init(url: url, migrateUpTo: nil)
    }

    /// Connects, applying migrations up to and including the one named `migrateUpTo` (nil: all).
    init(url: String, migrateUpTo: String?) throws(StoreError) {
        let hidden = url.replacingOccurrences(
            of: #"://([^:@/]*):[^@/]*@"#, with: "://$1:***@", options: .regularExpression)
        location = hidden
        // postgres-nio wants a logger; this library does not create one that prints (STYLE.md §1):
        // failures reach the caller as `StoreError`.
        let logger = Logger(label: "healthgap.history", factory: { _ in SwiftLogNoOpLogHandler() })
        self.logger = logger
        guard let parsed = URL(string: url), let host = parsed.host, let user = parsed.user, !host.isEmpty else {
            throw StoreError(store: hidden, reason: "not a postgres://user:password@host:port/database URL")
        }
        let database = parsed.path.hasPrefix("/") ? String(parsed.path.dropFirst()) : parsed.path
        let configuration = PostgresConnection.Configuration(
            host: host, port: parsed.port ?? 5432, username: user.removingPercentEncoding ?? user,
            password: parsed.password.map { $0.removingPercentEncoding ?? $0 }, database: database.isEmpty ? nil : database,
            tls: .disable)
        do {
            connection = try PostgresConnection.connect(
                on: PostgresConnection.defaultEventLoopGroup.any(), configuration: configuration, id: 1, logger: logger
            ).wait()
        } catch {
            throw StoreError(store: hidden, reason: "cannot connect: \(Self.describe(error))")
        }
        do {
            try migrate(upTo: migrateUpTo)
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    private func run(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) throws(StoreError)
        -> PostgresQueryResult
    {
        do {
            return try connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).wait()
        } catch {
            throw StoreError(store: location, reason: Self.describe(error))
        }
    }

    /// Runs one statement outside any run (tests reset and inspect the database with it).
    func execute(_ sql: String) throws(StoreError) { _ = try run(sql) }

    private func migrate(upTo last: String?) throws(StoreError) {
        _ = try run("BEGIN")
        do throws(StoreError) {
            _ = try run("SELECT pg_advisory_xact_lock(7041946321)")  // one migrating process at a time
            _ = try run(
                """
                CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
                applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                """)
            var applied = 0
            for row in try run("SELECT coalesce(max(version), 0) FROM schema_version").rows {
                applied = (try? row.makeRandomAccess()[0].decode(Int.self)) ?? 0
            }
            guard applied <= StoreSchema.migrations.count else {
                throw StoreError(
                    store: location,
                    reason:
                        "the store's schema is at version \(applied), newer than this healthgap knows (\(StoreSchema.migrations.count)); use a newer healthgap"
                )
            }
            for (index, migration) in StoreSchema.migrations.enumerated() where index >= applied {
                for sql in migration.postgres { _ = try run(sql) }
                var binds = PostgresBindings()
                binds.append(index + 1)
                binds.append(migration.name)
                _ = try run("INSERT INTO schema_version (version, name) VALUES ($1, $2)", binds)
                if migration.name == last { break }
            }
            _ = try run("COMMIT")
        } catch {
            _ = try? run("ROLLBACK")
            throw StoreError(store: location, reason: "migration failed: \(error.reason)")
        }
    }

    // MARK: - Writing a run

    /// Opens the run's transaction and inserts the run.
    public func beginRun(_ entry: StoredRun) throws(StoreError) -> Int64 {
        guard !runOpen else { throw StoreError(store: location, reason: "a run is already being written") }
        _ = try run("BEGIN")
        runOpen = true
        var binds = PostgresBindings()
        binds.append(entry.time)
        binds.append(entry.toolVersion)
        binds.append(entry.planName)
        binds.append(entry.planSHA256)
        binds.append(entry.inputSHA256)
        binds.append(String(entry.seed))
        binds.append(entry.fingerprint)
        do {
            let result = try run(
                """
                INSERT INTO runs (time, tool_version, plan_name, plan_sha256, input_sha256, seed, fingerprint, records)
                VALUES ($1, $2, $3, $4, $5, $6, $7, 0) RETURNING id
                """, binds)
            var id: Int64 = 0
            for row in result.rows { id = (try? row.makeRandomAccess()[0].decode(Int64.self)) ?? 0 }
            currentRun = id
            inserted = 0
            return id
        } catch {
            rollbackRun()
            throw error
        }
    }

    /// Inserts records into the open run, 1,000 rows per statement.
    public func insert(_ records: [ResultRecord]) throws(StoreError) {
        guard runOpen else { throw StoreError(store: location, reason: "no run is open for writing") }
        let width = StoreSchema.resultColumns.count
        var start = 0
        while start < records.count {
            let end = min(start + 1_000, records.count)
            var binder = Binder(binds: PostgresBindings(capacity: (end - start) * width))
            var tuples: [String] = []
            tuples.reserveCapacity(end - start)
            for (k, r) in records[start..<end].enumerated() {
                let base = k * width
                tuples.append("(" + (1...width).map { "$\(base + $0)" }.joined(separator: ",") + ")")
                binder.binds.append(currentRun)
                StoreSchema.bind(r, to: &binder)
            }
            _ = try run(
                "INSERT INTO results (\(StoreSchema.resultColumns.joined(separator: ", "))) VALUES "
                    + tuples.joined(separator: ","), binder.binds)
            start = end
        }
        inserted += records.count
    }

    /// Commits the open run.
    public func commitRun() throws(StoreError) {
        guard runOpen else { throw StoreError(store: location, reason: "no run is open to commit") }
        var binds = PostgresBindings()
        binds.append(inserted)
        binds.append(currentRun)
        do {
            _ = try run("UPDATE runs SET records = $1 WHERE id = $2", binds)
            _ = try run("COMMIT")
            runOpen = false
        } catch {
            rollbackRun()
            throw StoreError(store: location, reason: "cannot commit the run: \(error.reason)")
        }
    }

    /// Rolls the open run back, if any.
    public func rollbackRun() {
        guard runOpen else { return }
        runOpen = false
        _ = try? run("ROLLBACK")
    }

    /// Rolls back an open run and closes the connection.
    public func close() {
        guard !closed else { return }
        rollbackRun()
        closed = true
        try? connection.close().wait()
    }

    // MARK: - Reading

    /// Every committed run, newest first.
    public func runs() throws(StoreError) -> [StoredRun] {
        let result = try run("SELECT \(StoreSchema.runColumns.joined(separator: ", ")) FROM runs ORDER BY id DESC")
        return result.rows.map { row in
            let c = row.makeRandomAccess()
            return StoredRun(
                id: (try? c[0].decode(Int64.self)) ?? 0, time: (try? c[1].decode(Double.self)) ?? 0,
                toolVersion: (try? c[2].decode(String.self)) ?? "", planName: (try? c[3].decode(String.self)) ?? "",
                planSHA256: (try? c[4].decode(String.self)) ?? "", inputSHA256: (try? c[5].decode(String.self)) ?? "",
                seed: UInt64((try? c[6].decode(String.self)) ?? "") ?? 0,
                fingerprint: (try? c[7].decode(String.self)) ?? "", records: (try? c[8].decode(Int.self)) ?? 0)
        }
    }

    /// The records of `run` matching `filter`, in stored order.
    public func records(run id: Int64, filter: RecordFilter) throws(StoreError) -> [ResultRecord] {
        try select(run: id, filter: filter).map(\.record)
    }

    /// Every run's records matching `filter`, oldest run first.
    public func revisions(filter: RecordFilter) throws(StoreError) -> [(run: Int64, record: ResultRecord)] {
        try select(run: nil, filter: filter)
    }

    private func select(run id: Int64?, filter: RecordFilter) throws(StoreError) -> [(run: Int64, record: ResultRecord)] {
        var binds = PostgresBindings()
        var base = "run_id IN (SELECT id FROM runs)"
        if let id {
            binds.append(id)
            base = "run_id = $1"
        }
        let condition = StoreSchema.conditions(filter, startingAt: id == nil ? 1 : 2) { "$\($0)" }
        for text in condition.texts { binds.append(text) }
        for year in condition.periods { binds.append(year) }
        // ctid keeps insertion order within a run well enough for a heap that is only appended to.
        let result = try run(
            "SELECT \(StoreSchema.selectList) FROM results WHERE \(base)\(condition.sql) ORDER BY run_id, ctid", binds)
        var out: [(run: Int64, record: ResultRecord)] = []
        for row in result.rows {
            let c = row.makeRandomAccess()
            let record = StoreSchema.record(
                texts: { try? c[$0].decode(String.self) }, integer: { try? c[$0].decode(Int.self) },
                real: { try? c[$0].decode(Double.self) })
            switch record {
            case .success(let r): out.append(((try? c[StoreSchema.resultColumns.count - 1].decode(Int64.self)) ?? 0, r))
            case .failure(var error):
                error.store = location
                throw error
            }
        }
        return out
    }

    /// Appends a record's fields to a statement's bindings.
    private struct Binder: RecordBinder {
        var binds: PostgresBindings

        mutating func text(_ value: String) { binds.append(value) }
        mutating func integer(_ value: Int) { binds.append(value) }
        mutating func real(_ value: Double?) { binds.append(value.flatMap { $0.isFinite ? $0 : nil }) }
        mutating func optionalText(_ value: String?) { binds.append(value) }
    }

    /// A postgres-nio error as one sentence (the server's message where there is one).
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            return "\(error.code)"
        }
        return "\(error)"
    }
}

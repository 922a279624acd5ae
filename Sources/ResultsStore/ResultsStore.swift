import Foundation
import Results

/// A results history: every published run and its records, kept so that change over time is a query.
///
/// Two back ends: `SQLiteResultsStore` (a file, through GRDB) and `PostgresResultsStore` (a shared
/// server, through postgres-nio). Both keep the same schema (`StoreSchema`), applied by versioned
/// migrations when the store is opened. A run is written in one transaction: `beginRun` opens it and
/// inserts the run, `insert` adds records, `commitRun` makes them visible together, `rollbackRun`
/// (or a killed process) leaves the store as it was. Writers never interleave: the transaction holds
/// the store's write lock (SQLite) or is isolated by the server (PostgreSQL).
public protocol ResultsStore: AnyObject {
    /// A description of the store for messages (the file, or the URL without its password).
    var location: String { get }
    /// Opens the run's transaction and inserts the run; returns its id.
    func beginRun(_ run: StoredRun) throws(StoreError) -> Int64
    /// Inserts records of the open run, in order.
    func insert(_ records: [ResultRecord]) throws(StoreError)
    /// Commits the open run.
    func commitRun() throws(StoreError)
    /// Abandons the open run, if any.
    func rollbackRun()
    /// Every committed run, newest first.
    func runs() throws(StoreError) -> [StoredRun]
    /// The records of `run` for one indicator and area (nil: every one), optionally one sex, measure and period.
    func records(run: Int64, filter: RecordFilter) throws(StoreError) -> [ResultRecord]
    /// The records of every run for one indicator, area and period, with their run ids, oldest run first.
    func revisions(filter: RecordFilter) throws(StoreError) -> [(run: Int64, record: ResultRecord)]
    /// Closes the connection (an open run is rolled back).
    func close()
}

/// Which records a query returns; nil fields match anything.
public struct RecordFilter: Sendable, Equatable {
    /// The indicator id.
    public var indicator: String?
    /// The area code.
    public var area: String?
    /// The sex (`Male`, `Female`, `Persons`).
    public var sex: String?
    /// The measure (`value`, `sii`, …).
    public var measure: String?
    /// The period's first and last years.
    public var period: Period?

    /// Creates a filter.
    public init(
        indicator: String? = nil, area: String? = nil, sex: String? = nil, measure: String? = nil, period: Period? = nil
    ) {
        self.indicator = indicator
        self.area = area
        self.sex = sex
        self.measure = measure
        self.period = period
    }
}

/// One run in the history: its id and identity.
public struct StoredRun: Sendable, Equatable {
    /// The store's id of the run (0 before it is stored), increasing with each run.
    public var id: Int64
    /// When the run started, seconds since 1970-01-01 UTC.
    public var time: Double
    /// The tool's version.
    public var toolVersion: String
    /// The plan's name.
    public var planName: String
    /// The plan file's SHA-256.
    public var planSHA256: String
    /// The inputs' SHA-256 as `name=hex` joined by `;`, names sorted.
    public var inputSHA256: String
    /// The SII seed.
    public var seed: UInt64
    /// The run's fingerprint.
    public var fingerprint: String
    /// Records stored for the run.
    public var records: Int

    /// Creates a run entry.
    public init(
        id: Int64 = 0, time: Double, toolVersion: String, planName: String, planSHA256: String, inputSHA256: String,
        seed: UInt64, fingerprint: String, records: Int = 0
    ) {
        self.id = id
        self.time = time
        self.toolVersion = toolVersion
        self.planName = planName
        self.planSHA256 = planSHA256
        self.inputSHA256 = inputSHA256
        self.seed = seed
        self.fingerprint = fingerprint
        self.records = records
    }

    /// The entry of a run described to consumers.
    public init(_ description: RunDescription) {
        let identity = description.identity
        self.init(
            time: identity.startedAt, toolVersion: identity.toolVersion, planName: description.planName,
            planSHA256: identity.planSHA256,
            inputSHA256: identity.inputSHA256.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
                separator: ";"),
            seed: identity.seed, fingerprint: identity.fingerprint)
    }

    /// The time as ISO 8601 UTC (`2026-12-02T06:30:00Z`).
    public var timeText: String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: time))
    }
}

/// A history store could not be opened, read or written: where, and why.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// The store (file or URL without password).
    public var store: String
    /// What went wrong.
    public var reason: String

    /// Creates the error.
    public init(store: String, reason: String) {
        self.store = store
        self.reason = reason
    }

    /// `history store S: REASON`.
    public var description: String { "history store \(store): \(reason)" }
}

/// Opens a store from what a plan's `history:` or `--store` says.
public enum StoreOpener {
    /// True for `postgres://` and `postgresql://` URLs.
    public static func isPostgres(_ location: String) -> Bool {
        location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
    }

    /// Opens (creating and migrating if needed) the SQLite file or PostgreSQL database at `location`.
    public static func open(_ location: String, busyTimeout: Double = SQLiteResultsStore.defaultBusyTimeout)
        throws(StoreError) -> any ResultsStore
    {
        if isPostgres(location) { return try PostgresResultsStore(url: location) }
        return try SQLiteResultsStore(path: location, busyTimeout: busyTimeout)
    }

    /// The default store of an output link: `healthgap-history.sqlite` in the link's parent folder.
    public static func defaultLocation(output: String) -> String {
        let url = URL(fileURLWithPath: output).standardized
        return url.deletingLastPathComponent().appendingPathComponent("healthgap-history.sqlite").path
    }
}

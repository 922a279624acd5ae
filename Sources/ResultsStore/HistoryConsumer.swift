import Results

/// Appends a run to the results history as part of its publish.
///
/// `begin` opens the store (creating and migrating it if needed) and starts the run's transaction;
/// `consume` inserts each batch of records; `commit`, called right before the atomic publish, makes
/// the run visible; `rollback` (a failed run) and a killed process leave the store as it was. A
/// history write that fails fails the run (exit 73): nothing is published, and the message names
/// the store and the reason. It writes no file into the staging folder.
public final class HistoryConsumer: ResultConsumer {
    /// The SQLite file or `postgres://` URL.
    public let location: String
    private let busyTimeout: Double
    private var store: (any ResultsStore)?

    /// A consumer writing to the store at `location` (a SQLite file or a `postgres://` URL).
    public init(location: String, busyTimeout: Double = SQLiteResultsStore.defaultBusyTimeout) {
        self.location = location
        self.busyTimeout = busyTimeout
    }

    /// Opens the store and the run's transaction, and inserts the run.
    public func begin(staging: String, run: RunDescription) throws(ConsumerError) {
        do {
            let store = try StoreOpener.open(location, busyTimeout: busyTimeout)
            self.store = store
            _ = try store.beginRun(StoredRun(run))
        } catch {
            throw failure(error)
        }
    }

    /// Inserts the records into the open run.
    public func consume(_ records: [ResultRecord]) throws(ConsumerError) {
        guard let store else { throw ConsumerError(path: location, reason: "the history store was not opened") }
        do {
            try store.insert(records)
        } catch {
            throw failure(error)
        }
    }

    /// No file in the staging folder.
    public func finish() throws(ConsumerError) -> [WrittenFile] { [] }

    /// Commits the run's transaction and closes the store.
    public func commit() throws(ConsumerError) {
        guard let store else { throw ConsumerError(path: location, reason: "the history store was not opened") }
        defer {
            store.close()
            self.store = nil
        }
        do {
            try store.commitRun()
        } catch {
            throw failure(error)
        }
    }

    /// Rolls the run back and closes the store.
    public func rollback() {
        store?.rollbackRun()
        store?.close()
        store = nil
    }

    private func failure(_ error: StoreError) -> ConsumerError {
        store?.rollbackRun()
        return ConsumerError(
            path: error.store.isEmpty ? location : error.store, reason: "results history: \(error.reason)")
    }
}

import Foundation
import Results

/// The report as an output of a run: keeps the records its pages need (`ReportStore`) and writes
/// `report/` into the staging folder when the run finishes, so it is published with the tables.
public final class ReportConsumer: ResultConsumer {
    private var store = ReportStore()
    private var staging = ""
    private var context: ReportContext
    /// Seconds the last `finish()` spent building and writing the pages.
    public private(set) var buildSeconds = 0.0

    /// Creates the consumer; `context` says what the methods page shows of the plan and inputs.
    public init(context: ReportContext) {
        self.context = context
    }

    /// Remembers the staging folder.
    public func begin(staging: String, run: RunDescription) throws(ConsumerError) {
        self.staging = staging
        if context.planName.isEmpty { context.planName = run.planName }
    }

    /// Keeps what the pages need.
    public func consume(_ records: [ResultRecord]) throws(ConsumerError) {
        store.add(records)
    }

    /// Builds and writes the report; returns its files.
    public func finish() throws(ConsumerError) -> [WrittenFile] {
        do {
            let start = Date()
            let files = try ReportWriter.write(store: store, context: context, into: staging + "/report")
            buildSeconds = Date().timeIntervalSince(start)
            return files.map { WrittenFile(name: "report/" + $0.path, rows: 0) }
        } catch {
            switch error {
            case .write(let path, let reason): throw ConsumerError(path: path, reason: reason)
            case .template: throw ConsumerError(path: staging + "/report", reason: error.description)
            }
        }
    }
}

/// Writes a report's files into a folder.
public enum ReportWriter {
    /// Builds the report of `store` and writes every file under `folder` (created); returns the files.
    @discardableResult
    public static func write(store: ReportStore, context: ReportContext, into folder: String) throws(ReportError)
        -> [ReportFile]
    {
        let files = try ReportBuilder(store: store, context: context).build()
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: folder + "/tables", withIntermediateDirectories: true)
        } catch {
            throw .write(path: folder, reason: error.localizedDescription)
        }
        for file in files {
            let path = folder + "/" + file.path
            do {
                try Data(file.contents.utf8).write(to: URL(fileURLWithPath: path))
            } catch {
                throw .write(path: path, reason: error.localizedDescription)
            }
        }
        return files
    }
}

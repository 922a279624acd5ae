import CSVStream
import Indicators

/// `results.csv`: every record, one row each, at full precision (the table for machines).
public final class LongTableConsumer: ResultConsumer {
    /// The file's name in the run folder.
    public static let fileName = "results.csv"

    private var file: StagedFile?
    private var levels: [ConfidenceLevel] = []
    private var causes = false
    private var path = ""
    private var rows = 0
    /// Rows with a note (suppressed or partly empty), for the manifest.
    public private(set) var rowsWithNotes = 0

    /// Creates the consumer.
    public init() {}

    /// Opens `results.csv` and writes its header.
    public func begin(staging: String, run: RunDescription) throws(ConsumerError) {
        levels = run.levels
        causes = run.causes
        path = staging + "/" + Self.fileName
        do {
            let file = try StagedFile(path: path)
            try file.append(CSVWriter.encodeRow(ResultsCSV.longHeader(levels: levels, causes: causes)))
            self.file = file
        } catch {
            throw ConsumerError(path: path, reason: error.description)
        }
    }

    /// Appends one row per record.
    public func consume(_ records: [ResultRecord]) throws(ConsumerError) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(records.count * 160)
        for record in records {
            ResultsCSV.appendLongRow(record, levels: levels, causes: causes, to: &bytes)
            if record.note != nil { rowsWithNotes += 1 }
        }
        rows += records.count
        do {
            try file?.append(bytes)
        } catch {
            throw ConsumerError(path: path, reason: error.description)
        }
    }

    /// Closes the file.
    public func finish() throws(ConsumerError) -> [WrittenFile] {
        do {
            try file?.finish()
        } catch {
            throw ConsumerError(path: path, reason: error.description)
        }
        return [WrittenFile(name: Self.fileName, rows: rows)]
    }
}

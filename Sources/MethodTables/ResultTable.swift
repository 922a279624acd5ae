import Areas
import CSVStream
import Indicators

/// A method's output: header, rows of fields and the warnings met on the way.
///
/// Numbers are written in shortest round-trip form, missing as empty (METHODS.md §0); the file
/// is written to a temporary name and renamed into place, so a failed run leaves no half file.
public struct ResultTable: Sendable, Equatable {
    /// Column names.
    public var header: [String]
    /// Rows of fields, one per output row.
    public var rows: [[String]]
    /// Warnings for stderr (a suppressed group, a dropped group, a group too small for quantiles).
    public var warnings: [String]

    /// Creates a table.
    public init(header: [String], rows: [[String]] = [], warnings: [String] = []) {
        self.header = header
        self.rows = rows
        self.warnings = warnings
    }

    /// Writes the table as CSV to `path` atomically, or to standard output when `path` is nil or `-`.
    ///
    /// - Throws: `InputError.csv(.cannotWrite)` when the file cannot be written.
    public func write(to path: String?) throws(InputError) {
        do throws(CSVError) {
            let writer: CSVWriter
            if let path, path != "-" {
                writer = try CSVWriter(path: path)
            } else {
                writer = CSVWriter.standardOutput()
            }
            try writer.write(row: header)
            for row in rows { try writer.write(row: row) }
            try writer.finish()
        } catch {
            throw .csv(error)
        }
    }

    /// The table as CSV text (for tests and small outputs).
    public func csvText() -> String {
        guard let writer = try? CSVWriter.inMemory() else { return "" }
        try? writer.write(row: header)
        for row in rows { try? writer.write(row: row) }
        try? writer.finish()
        return String(decoding: writer.contents, as: UTF8.self)
    }
}

/// Column names and field formatting shared by every method table.
enum Columns {
    /// `lower95_0cl`, `upper95_0cl`, … for each level, with an optional prefix (`sii_`).
    static func limits(_ levels: [ConfidenceLevel], prefix: String = "") -> [String] {
        levels.flatMap { ["\(prefix)lower\($0.columnSuffix)cl", "\(prefix)upper\($0.columnSuffix)cl"] }
    }

    /// The value and its limits as fields.
    static func fields(_ estimate: Estimate, levels: Int) -> [String] {
        var out = [CSVWriter.format(estimate.value)]
        for i in 0..<levels {
            let l = i < estimate.limits.count ? estimate.limits[i] : .missing
            out.append(CSVWriter.format(l.lower))
            out.append(CSVWriter.format(l.upper))
        }
        return out
    }

    /// A number as a field.
    static func number(_ x: Double?) -> String { CSVWriter.format(x) }
}

import Areas
import CSVStream
import Indicators

/// The columns a method reads from its input, by the names the user gave.
public struct ColumnRequest: Sendable {
    /// Columns read as numbers (missing → nil; anything else unparseable is an error naming file, line and column).
    public var numeric: [String] = []
    /// Columns read as text.
    public var text: [String] = []
    /// Keep every column of every row as text (for commands that echo their input).
    public var keepAllColumns = false

    /// Creates a request.
    public init(numeric: [String] = [], text: [String] = [], keepAllColumns: Bool = false) {
        self.numeric = numeric
        self.text = text
        self.keepAllColumns = keepAllColumns
    }
}

/// A CSV input read into columns and split into groups by the `--by` columns, in order of first appearance.
///
/// Every row belongs to exactly one group; with no `--by` columns there is one group holding
/// every row (METHODS.md §0: every input group has an output row).
public struct GroupedTable: Sendable {
    /// One group: its key values (in `--by` order) and its rows (indices into the columns).
    public struct Group: Sendable {
        /// The values of the `--by` columns.
        public var key: [String]
        /// Row indices, in input order.
        public var rows: [Int]
    }

    /// The file the table was read from.
    public let file: String
    /// The header names of the `--by` columns as written in the file.
    public let byNames: [String]
    /// Every header name, as written in the file.
    public let header: [String]
    /// The groups in order of first appearance.
    public let groups: [Group]
    /// Physical line (from 1) of each row, for messages.
    public let lines: [Int]
    /// Numeric columns by requested name.
    public let numeric: [String: [Double?]]
    /// Text columns by requested name.
    public let text: [String: [String]]
    /// Every field of every row, when requested.
    public let allRows: [[String]]

    /// The number of data rows read.
    public var rowCount: Int { lines.count }

    /// Reads `path`, requiring the `by` columns and the requested ones.
    ///
    /// - Throws: `InputError.csv` for an unreadable file, a missing column, a malformed record or an unparseable number.
    /// - Complexity: O(rows × requested columns).
    public static func read(path: String, by: [String], columns: ColumnRequest) throws(InputError) -> GroupedTable {
        do {
            let reader = try CSVReader(path: path)
            return try read(reader: reader, by: by, columns: columns)
        } catch {
            throw InputError.from(error)
        }
    }

    /// Reads from an open reader (for in-memory tests).
    static func read(reader: CSVReader, by: [String], columns: ColumnRequest) throws -> GroupedTable {
        let header = reader.header
        let byIndex = try by.map { try header.requireIndex(of: $0) }
        let numericIndex = try columns.numeric.map { try header.requireIndex(of: $0) }
        let textIndex = try columns.text.map { try header.requireIndex(of: $0) }

        var groupIndex: [[String]: Int] = [:]
        var groups: [Group] = []
        var lines: [Int] = []
        var numeric = [[Double?]](repeating: [], count: numericIndex.count)
        var text = [[String]](repeating: [], count: textIndex.count)
        var allRows: [[String]] = []
        var row = 0
        try reader.forEachRow { record in
            let key = byIndex.map { record[$0] }
            if let g = groupIndex[key] {
                groups[g].rows.append(row)
            } else {
                groupIndex[key] = groups.count
                groups.append(Group(key: key, rows: [row]))
            }
            for (c, i) in numericIndex.enumerated() { numeric[c].append(try record.double(i)) }
            for (c, i) in textIndex.enumerated() { text[c].append(record[i]) }
            if columns.keepAllColumns { allRows.append(record.fields) }
            lines.append(record.line)
            row += 1
        }
        if by.isEmpty && groups.isEmpty {
            groups.append(Group(key: [], rows: []))
        }
        return GroupedTable(
            file: reader.file,
            byNames: byIndex.map { header.names[$0] },
            header: header.names,
            groups: groups,
            lines: lines,
            numeric: Dictionary(uniqueKeysWithValues: zip(columns.numeric, numeric)),
            text: Dictionary(uniqueKeysWithValues: zip(columns.text, text)),
            allRows: allRows)
    }

    /// A readable key for messages: `area=Area1, sex=Male`, or `(all rows)` with no `--by`.
    public func describe(_ group: Group) -> String {
        if byNames.isEmpty { return "(all rows)" }
        return zip(byNames, group.key).map { "\($0)=\($1)" }.joined(separator: ", ")
    }

    /// The numeric values of `column` for the group's rows.
    public func numbers(_ column: String, in group: Group) -> [Double?] {
        let values = numeric[column]!
        return group.rows.map { values[$0] }
    }

    /// The text values of `column` for the group's rows.
    public func strings(_ column: String, in group: Group) -> [String] {
        let values = text[column]!
        return group.rows.map { values[$0] }
    }

    /// Turns a method's error into a pipeline error located at the group's row for the error's band, if any.
    public func locate(_ error: IndicatorError, in group: Group, bandColumn: String?) -> InputError {
        var line: Int? = group.rows.first.map { lines[$0] }
        if let band = error.band, let bandColumn, let labels = text[bandColumn] {
            let wanted = AgeBand.canonicalLabel(band) ?? band
            if let row = group.rows.first(where: { (AgeBand.canonicalLabel(labels[$0]) ?? labels[$0]) == wanted }) {
                line = lines[row]
            }
        }
        return .data(file: file, line: line, error: error.inGroup(describe(group)))
    }
}

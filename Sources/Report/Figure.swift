/// A chart as a page shows it: active title, SVG, caption, alt sentence, the data table behind it
/// and the name of its CSV download.
public struct Figure: Sendable {
    /// The anchor on the page, also the stem of the download (`le_birth-male-deciles`).
    public var id: String
    /// The active title, stating the message.
    public var title: String
    /// Measure, area, period and source.
    public var caption: String
    /// One sentence saying what the chart shows, for people who cannot see it.
    public var alt: String
    /// The SVG markup, escaped as it was built.
    public var svg: String
    /// The data behind the chart, rounded as shown.
    public var table: DataTable

    /// Creates a figure.
    public init(id: String, title: String, caption: String, alt: String, svg: String, table: DataTable) {
        self.id = id
        self.title = title
        self.caption = caption
        self.alt = alt
        self.svg = svg
        self.table = table
    }

    /// The download's path relative to the report folder.
    public var download: String { "tables/\(id).csv" }
}

/// A small table of words and rounded numbers (the data behind a chart, or a page's own table).
public struct DataTable: Sendable, Equatable {
    /// Column headings.
    public var columns: [String]
    /// Rows of cells, as shown.
    public var rows: [[String]]

    /// Creates a table.
    public init(columns: [String], rows: [[String]]) {
        self.columns = columns
        self.rows = rows
    }

    /// The table as CSV for spreadsheets: a UTF-8 byte-order mark (so Excel reads the dashes), a header,
    /// fields quoted when they hold a comma, quote or line break, CRLF line ends.
    public var csv: String {
        func field(_ s: String) -> String {
            guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        var out = "\u{FEFF}"
        for row in [columns] + rows { out += row.map(field).joined(separator: ",") + "\r\n" }
        return out
    }
}

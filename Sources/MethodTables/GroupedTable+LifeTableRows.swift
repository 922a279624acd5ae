import Areas
import CSVStream
import Indicators

// What `hle` and `decompose` share beyond `le`: a method error placed on the input line of the
// band it names, among some of a group's rows (`decompose` reads two populations from one
// group), and the list of numeric columns without repeats (one column may serve two flags).

extension GroupedTable {
    /// The method's error located at the line of the row, among `rows`, whose band it names
    /// (matched by the label as written, then by start age; else the first of `rows`), with
    /// `name` as its group (METHODS.md §0: messages name file, row, group, band and value).
    func locate(_ error: IndicatorError, rows: [Int], bandColumn: String, name: String) -> InputError {
        var row = rows.first
        if let band = error.band, let labels = text[bandColumn] {
            if let exact = rows.first(where: { labels[$0] == band }) {
                row = exact
            } else if let start = Self.startAge(band),
                let same = rows.first(where: { Self.startAge(labels[$0]) == start })
            {
                row = same
            }
        }
        return .data(file: file, line: row.map { lines[$0] }, error: error.inGroup(name))
    }

    /// The start age of a band label (`5`, `5-9`, `90+`), or nil when it is not one.
    static func startAge(_ label: String) -> Int? {
        switch AgeBand.parseLabel(label) {
        case .band(let band)?: return band.start
        case .startAge(let start)?: return start
        case nil: return nil
        }
    }
}

extension ColumnRequest {
    /// A request for these numeric and text columns, each named once (in first-named order).
    static func distinct(numeric: [String], text: [String] = []) -> ColumnRequest {
        func unique(_ names: [String]) -> [String] {
            var seen = Set<String>()
            return names.filter { seen.insert($0).inserted }
        }
        return ColumnRequest(numeric: unique(numeric), text: unique(text))
    }
}

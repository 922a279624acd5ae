// Errors are data: every case records where the problem is (file, line, column, column name)
// and the offending text; `description` is the one place that turns them into a sentence.
// Text taken from the input is cut to ``CSVError/excerptLength`` characters when the error is
// made, so an error about a megabyte-long field holds (and prints) a short excerpt of it.

/// A problem reading or writing a CSV file, with the file, line, column and text that caused it.
///
/// Lines are physical lines, counted from 1 (the header is line 1); a record that spans several
/// lines (a quoted field with a newline) is reported at the line where it starts. Columns are
/// counted from 1.
public enum CSVError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be opened or read; `reason` is the system's message (`strerror`).
    case cannotOpen(file: String, reason: String)
    /// The file could not be created, written or moved into place; `reason` is the system's message.
    case cannotWrite(file: String, reason: String)
    /// The gzip stream is corrupt or truncated, or a `.gz` file is not in gzip format.
    case gzip(file: String, reason: String)
    /// A quoted field is still open at the end of the input; `line` is where the quote opened.
    case unterminatedQuote(file: String, line: Int, column: Int, columnName: String?)
    /// A quote appears inside an unquoted field, or text follows a closing quote.
    case unexpectedQuote(file: String, line: Int, column: Int, columnName: String?, text: String)
    /// A record has a different number of fields from the header.
    case wrongFieldCount(file: String, line: Int, expected: Int, found: Int)
    /// A field that should hold a number does not.
    case badNumber(file: String, line: Int, column: Int, columnName: String?, text: String)
    /// No header column matches the requested name or any of its aliases.
    case missingColumn(file: String, column: String, available: [String])
    /// More than one header column matches the requested name once normalised.
    case duplicateColumn(file: String, column: String, matches: [String])
    /// A value parsed but is not allowed (for example a negative count); `expected` says what is.
    case invalidValue(file: String, line: Int, column: Int, columnName: String?, text: String, expected: String)
    /// The input has no bytes (or only line breaks), so it has no header.
    case emptyFile(file: String)
    /// A field is longer than ``CSVReader/Options/maxFieldBytes`` bytes.
    case fieldTooLong(file: String, line: Int, column: Int, columnName: String?, limit: Int)
    /// A record has more than ``CSVReader/Options/maxColumns`` fields.
    case tooManyFields(file: String, line: Int, limit: Int)
    /// A record is longer than ``CSVReader/Options/maxRecordBytes`` bytes.
    case recordTooLong(file: String, line: Int, limit: Int)
    /// A field read as text is not valid UTF-8; `text` shows it with U+FFFD for the bad bytes.
    case invalidUTF8(file: String, line: Int, column: Int, columnName: String?, text: String)

    /// The most characters of input text an error keeps; longer text is cut and ends in "…".
    public static let excerptLength = 200

    /// The most column names a header error lists; the rest are counted.
    public static let listedColumns = 20

    /// The path (or in-memory name) of the file the error is about.
    public var file: String {
        switch self {
        case .cannotOpen(let file, _), .cannotWrite(let file, _), .gzip(let file, _),
            .unterminatedQuote(let file, _, _, _), .unexpectedQuote(let file, _, _, _, _),
            .wrongFieldCount(let file, _, _, _), .badNumber(let file, _, _, _, _),
            .missingColumn(let file, _, _), .duplicateColumn(let file, _, _),
            .invalidValue(let file, _, _, _, _, _), .emptyFile(let file),
            .fieldTooLong(let file, _, _, _, _), .tooManyFields(let file, _, _), .recordTooLong(let file, _, _),
            .invalidUTF8(let file, _, _, _, _):
            return file
        }
    }

    /// The physical line (from 1) the error is about, when there is one.
    public var line: Int? {
        switch self {
        case .unterminatedQuote(_, let line, _, _), .unexpectedQuote(_, let line, _, _, _),
            .wrongFieldCount(_, let line, _, _), .badNumber(_, let line, _, _, _),
            .invalidValue(_, let line, _, _, _, _), .fieldTooLong(_, let line, _, _, _),
            .tooManyFields(_, let line, _), .recordTooLong(_, let line, _), .invalidUTF8(_, let line, _, _, _):
            return line
        case .cannotOpen, .cannotWrite, .gzip, .missingColumn, .duplicateColumn, .emptyFile:
            return nil
        }
    }

    /// One sentence naming the file, line, column and offending text, and what to do about it.
    ///
    /// For example `counts.csv:12: column 5 (population): "12x" is not a number`.
    public var description: String {
        switch self {
        case .cannotOpen(let file, let reason):
            return "\(file): cannot open: \(reason)"
        case .cannotWrite(let file, let reason):
            return "\(file): cannot write: \(reason)"
        case .gzip(let file, let reason):
            return "\(file): gzip error: \(reason)"
        case .unterminatedQuote(let file, let line, let column, let name):
            return "\(Self.place(file, line, column, name)): quoted field is never closed"
        case .unexpectedQuote(let file, let line, let column, let name, let text):
            return "\(Self.place(file, line, column, name)): unexpected quote in field \(Self.literal(text))"
        case .wrongFieldCount(let file, let line, let expected, let found):
            return "\(file):\(line): expected \(expected) fields (as in the header) but found \(found)"
        case .badNumber(let file, let line, let column, let name, let text):
            return "\(Self.place(file, line, column, name)): \(Self.literal(text)) is not a number"
        case .missingColumn(let file, let column, let available):
            return "\(file): no column named \(Self.literal(column)); the columns are \(Self.list(available))"
        case .duplicateColumn(let file, let column, let matches):
            return "\(file): column name \(Self.literal(column)) is ambiguous: it matches \(Self.list(matches))"
        case .invalidValue(let file, let line, let column, let name, let text, let expected):
            return "\(Self.place(file, line, column, name)): \(Self.literal(text)) is not allowed: expected \(expected)"
        case .emptyFile(let file):
            return "\(file): file is empty: expected a header line with column names (such as \"area,count\"), "
                + "then one line per row"
        case .fieldTooLong(let file, let line, let column, let name, let limit):
            return "\(Self.place(file, line, column, name)): field is longer than \(limit) bytes (the limit): "
                + "check that the file is CSV and that every quote is closed"
        case .tooManyFields(let file, let line, let limit):
            let what = line == 1 ? "the header has" : "a record has"
            return "\(file):\(line): \(what) more than \(limit) fields (the limit): "
                + "check that the file is comma-separated CSV"
        case .recordTooLong(let file, let line, let limit):
            return "\(file):\(line): record is longer than \(limit) bytes (the limit): "
                + "check that the file is CSV with line breaks between records"
        case .invalidUTF8(let file, let line, let column, let name, let text):
            return "\(Self.place(file, line, column, name)): \(Self.literal(text)) is not valid UTF-8: "
                + "save the file as UTF-8"
        }
    }

    /// `file:line: column c (name)`.
    private static func place(_ file: String, _ line: Int, _ column: Int, _ name: String?) -> String {
        if let name { return "\(file):\(line): column \(column) (\(Self.excerpt(name)))" }
        return "\(file):\(line): column \(column)"
    }

    /// Column names as literals, the first ``listedColumns`` of them, then how many more there are.
    private static func list(_ names: [String]) -> String {
        var out = names.prefix(listedColumns).map { literal($0) }.joined(separator: ", ")
        if names.count > listedColumns { out += " and \(names.count - listedColumns) more" }
        return out
    }

    /// `text` cut to ``excerptLength`` Unicode scalars, ending in "…" when it was cut.
    ///
    /// - Complexity: O(min(*n*, ``excerptLength``)).
    public static func excerpt(_ text: String) -> String {
        var scalars = text.unicodeScalars.makeIterator()
        var out = String.UnicodeScalarView()
        for _ in 0..<excerptLength {
            guard let scalar = scalars.next() else { return String(out) }
            out.append(scalar)
        }
        guard scalars.next() != nil else { return String(out) }
        return String(out) + "…"
    }

    /// The excerpt of UTF-8 `bytes` (invalid sequences shown as U+FFFD), decoding at most what it shows.
    ///
    /// - Complexity: O(min(*n*, 4 · ``excerptLength``)).
    static func excerpt(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        // 4 bytes per scalar at most, so the prefix holds more than `excerptLength` scalars when cut.
        let limit = 4 * excerptLength + 4
        guard bytes.count > limit else { return excerpt(String(decoding: bytes, as: UTF8.self)) }
        return excerpt(String(decoding: UnsafeBufferPointer(rebasing: bytes[..<limit]), as: UTF8.self))
    }

    /// The text in double quotes, with quotes, backslashes and line breaks escaped and long text cut short.
    static func literal(_ text: String) -> String {
        var out = "\""
        var count = 0
        for ch in text.unicodeScalars {
            if count == excerptLength {
                out += "…"
                break
            }
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(ch)
            }
            count += 1
        }
        return out + "\""
    }
}

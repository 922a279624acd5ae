// Errors are data: every case records where the problem is (file, line, column, column name)
// and the offending text; `description` is the one place that turns them into a sentence.

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

    /// The path (or in-memory name) of the file the error is about.
    public var file: String {
        switch self {
        case .cannotOpen(let file, _), .cannotWrite(let file, _), .gzip(let file, _),
            .unterminatedQuote(let file, _, _, _), .unexpectedQuote(let file, _, _, _, _),
            .wrongFieldCount(let file, _, _, _), .badNumber(let file, _, _, _, _),
            .missingColumn(let file, _, _), .duplicateColumn(let file, _, _),
            .invalidValue(let file, _, _, _, _, _):
            return file
        }
    }

    /// The physical line (from 1) the error is about, when there is one.
    public var line: Int? {
        switch self {
        case .unterminatedQuote(_, let line, _, _), .unexpectedQuote(_, let line, _, _, _),
            .wrongFieldCount(_, let line, _, _), .badNumber(_, let line, _, _, _),
            .invalidValue(_, let line, _, _, _, _):
            return line
        case .cannotOpen, .cannotWrite, .gzip, .missingColumn, .duplicateColumn:
            return nil
        }
    }

    /// One sentence naming the file, line, column and offending text.
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
            let list = available.map { Self.literal($0) }.joined(separator: ", ")
            return "\(file): no column named \(Self.literal(column)); the columns are \(list)"
        case .duplicateColumn(let file, let column, let matches):
            let list = matches.map { Self.literal($0) }.joined(separator: ", ")
            return "\(file): column name \(Self.literal(column)) is ambiguous: it matches \(list)"
        case .invalidValue(let file, let line, let column, let name, let text, let expected):
            return "\(Self.place(file, line, column, name)): \(Self.literal(text)) is not allowed: expected \(expected)"
        }
    }

    /// `file:line: column c (name)`.
    private static func place(_ file: String, _ line: Int, _ column: Int, _ name: String?) -> String {
        if let name { return "\(file):\(line): column \(column) (\(name))" }
        return "\(file):\(line): column \(column)"
    }

    /// The text in double quotes, with quotes, backslashes and line breaks escaped and long text cut short.
    static func literal(_ text: String) -> String {
        var out = "\""
        var count = 0
        for ch in text.unicodeScalars {
            if count == 60 {
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

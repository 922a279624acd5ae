import CSVStream
import Indicators

/// A failed run, with the exit code the command-line tool reports for it (sysexits).
///
/// Errors are data: each case keeps the lower layer's error (which knows file, line, column,
/// group, band and value) and `description` writes the one sentence a user sees.
public enum InputError: Error, CustomStringConvertible, Sendable {
    /// Bad CSV input (unparseable number, missing column, malformed record): exit 65; an unreadable file: exit 66.
    case csv(CSVError)
    /// A method rejected a group (where the reference stops): exit 65. `line` is the input row the band is on.
    case data(file: String, line: Int?, error: IndicatorError)
    /// An input lacks years the plan's periods need: exit 65.
    case coverage(file: String, message: String)
    /// A usage problem found only once the input is open (e.g. a standard file with no weight column): exit 64.
    case usage(String)
    /// A bug or an impossible state: exit 70.
    case internalError(String)

    /// The sysexits code: 64 usage, 65 bad data, 66 cannot read input, 70 internal error.
    public var exitCode: Int32 {
        switch self {
        case .csv(let error):
            switch error {
            case .cannotOpen: return 66
            case .cannotWrite: return 73
            default: return 65
            }
        case .data, .coverage: return 65
        case .usage: return 64
        case .internalError: return 70
        }
    }

    /// One sentence naming the file, row, group, band and value where they are known.
    public var description: String {
        switch self {
        case .csv(let error):
            return error.description
        case .data(let file, let line, let error):
            let place = line.map { "\(file):\($0)" } ?? file
            return "\(place): \(error.description)"
        case .coverage(let file, let message):
            return "\(file): \(message)"
        case .usage(let message):
            return message
        case .internalError(let message):
            return "internal error: \(message)"
        }
    }
}

extension InputError {
    /// Any error as an `InputError`: itself, a `CSVError` as `.csv`, anything else as an internal
    /// error — the one place untyped errors from lower layers are mapped (`catch { throw .from(error) }`).
    public static func from(_ error: any Error) -> InputError {
        switch error {
        case let error as InputError: return error
        case let error as CSVError: return .csv(error)
        default: return .internalError("\(error)")
        }
    }
}

/// What a run does when a method rejects a group: stop (`fail`) or write the group with the message as its note (`suppress`).
public enum ErrorPolicy: String, Sendable, CaseIterable {
    /// Stop at the first rejected group, write nothing, exit 65.
    case fail
    /// Keep going; the rejected group's row has empty values and the message as its note.
    case suppress
}

extension IndicatorError {
    /// The message as a suppressed row's note: what is wrong, and the band when there is one.
    package var note: String { message + (band.map { " (band \($0))" } ?? "") }
}

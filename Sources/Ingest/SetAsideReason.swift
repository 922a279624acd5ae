/// Why an input row was set aside instead of counted: one reason per row, in words a user can act on.
///
/// Real extracts carry rows that cannot be counted in an English LSOA-level statistic: deaths of
/// people with no fixed abode, residents of Wales, indeterminate sex, a missing age. Each such
/// row is counted under exactly one reason. When a row has several problems, the reason that
/// comes first in `allCases` is the one reported (`SetAsideReason.first(of:)`): the area, then
/// the date, sex, age, cause and count, so the same row always lands in the same place.
public enum SetAsideReason: String, CaseIterable, Sendable, Comparable, CustomStringConvertible {
    /// A blank LSOA, or a `ZZ…` pseudo-code: no fixed abode, or the address could not be coded.
    case noFixedAbode = "no_fixed_abode"
    /// A code of another nation (Wales `W01…`, Scotland `S01…`, Northern Ireland `95…`).
    case outsideEngland = "outside_england"
    /// An English-looking area code that no lookup of the edition in use holds.
    case unknownArea = "unknown_area"
    /// An area field that is not an area code at all.
    case malformedArea = "malformed_area"
    /// A blank date.
    case missingDate = "missing_date"
    /// A date that does not match the declared format, or names no real day.
    case badDate = "bad_date"
    /// A date outside the years the plan covers.
    case outsidePeriod = "outside_period"
    /// Sex recorded as indeterminate, not known or not stated (NHS code 9, ISO 5218 code 0).
    case indeterminateSex = "indeterminate_sex"
    /// A sex field that is not one of the accepted codes.
    case badSex = "bad_sex"
    /// A blank age.
    case missingAge = "missing_age"
    /// An age or age label that is not a whole number of years or a band.
    case badAge = "bad_age"
    /// A cause of death that is not an ICD-10 code.
    case badCause = "bad_cause"
    /// A count that is not a whole number of zero or more.
    case badCount = "bad_count"

    /// The reason in a sentence fragment, as the rejects file and the run summary print it.
    public var description: String {
        switch self {
        case .noFixedAbode: return "no fixed abode or uncoded address (blank or ZZ… LSOA)"
        case .outsideEngland: return "resident outside England (a Welsh, Scottish or Northern Irish area code)"
        case .unknownArea: return "an area code that the LSOA lookups do not hold"
        case .malformedArea: return "an area field that is not an LSOA code"
        case .missingDate: return "no date"
        case .badDate: return "a date that does not match the declared format or is not a real day"
        case .outsidePeriod: return "a date outside the years of the plan"
        case .indeterminateSex: return "sex indeterminate or not known"
        case .badSex: return "a sex code that is not one of the accepted codes"
        case .missingAge: return "no age"
        case .badAge: return "an age that is not a number of years or an age band"
        case .badCause: return "a cause of death that is not an ICD-10 code"
        case .badCount: return "a count that is not a whole number of zero or more"
        }
    }

    /// The order rows are reported in: the order of `allCases`.
    public static func < (lhs: SetAsideReason, rhs: SetAsideReason) -> Bool {
        order(lhs) < order(rhs)
    }

    /// The one reason to report for a row with these problems (nil when there are none).
    ///
    /// - Complexity: O(n) in the number of problems.
    public static func first(of reasons: some Sequence<SetAsideReason>) -> SetAsideReason? {
        reasons.min()
    }

    private static func order(_ reason: SetAsideReason) -> Int {
        allCases.firstIndex(of: reason) ?? allCases.count
    }
}

/// How many rows were set aside for each reason; merged across threads by addition.
public struct SetAsideTally: Sendable, Equatable {
    /// Rows per reason, indexed like `SetAsideReason.allCases`.
    public private(set) var counts: [Int]

    /// An empty tally.
    public init() {
        counts = [Int](repeating: 0, count: SetAsideReason.allCases.count)
    }

    /// Counts one row under `reason`.
    public mutating func add(_ reason: SetAsideReason, rows: Int = 1) {
        counts[Self.index(reason)] += rows
    }

    /// The rows counted under `reason`.
    public subscript(reason: SetAsideReason) -> Int {
        counts[Self.index(reason)]
    }

    /// All rows set aside.
    public var total: Int { counts.reduce(0, +) }

    /// Adds another tally's counts (from another thread or file).
    public mutating func merge(_ other: SetAsideTally) {
        for i in counts.indices { counts[i] += other.counts[i] }
    }

    /// One line per reason with rows, e.g. `12 rows: no fixed abode or uncoded address (…)`.
    public var summary: [String] {
        SetAsideReason.allCases.compactMap { reason in
            let n = self[reason]
            return n == 0 ? nil : "\(n) \(n == 1 ? "row" : "rows"): \(reason.description)"
        }
    }

    private static func index(_ reason: SetAsideReason) -> Int {
        SetAsideReason.allCases.firstIndex(of: reason)!
    }
}

/// A field of one record that cannot be read, with the reason its row is set aside under.
///
/// Thrown by the record parsers (`SexCode`, `ONSAgeLabel`, `DateFormat`, `CauseGroups`): the
/// caller adds the file and line, and either stops or sets the row aside under `reason`.
public struct RecordFieldError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The field, as the user knows it (`sex`, `age`, `date`, `cause`).
    public var field: String
    /// The offending text as written.
    public var value: String
    /// What was expected instead, and how to fix it.
    public var expected: String
    /// The reason the row is set aside under when rows are set aside rather than fatal.
    public var reason: SetAsideReason

    /// Creates the error for `field` holding `value`.
    public init(field: String, value: String, expected: String, reason: SetAsideReason) {
        self.field = field
        self.value = value
        self.expected = expected
        self.reason = reason
    }

    /// One sentence: the field, the value and what was expected.
    public var description: String {
        "\(field) \"\(value)\" cannot be read: expected \(expected)"
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs, as the record parsers compare it.
    var trimmingBlanks: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}

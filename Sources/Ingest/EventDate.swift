/// A day in the Gregorian calendar, as read from a record's date field.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The year (four digits).
    public let year: Int
    /// The month, 1…12.
    public let month: Int
    /// The day of the month, 1…31.
    public let day: Int

    /// Creates a date; nil when the day does not exist (31 April, 29 February 2023).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= Self.daysInMonth(year: year, month: month)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// ISO 8601: `2023-04-01`.
    public var description: String {
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// Orders by year, month, day.
    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// The year this date counts in: the calendar year, or the April–March financial year named by its first year.
    public func year(_ basis: YearBasis) -> Int {
        switch basis {
        case .calendar: return year
        case .financial: return month >= 4 ? year : year - 1
        }
    }

    /// The number of days in `month` of `year` (leap years by the Gregorian rule).
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// How events are grouped into years: by calendar year, or by April–March financial year.
public enum YearBasis: String, Sendable, CaseIterable {
    /// January to December.
    case calendar
    /// April to March, named by the year it starts in: 1 April 2023 to 31 March 2024 is 2023 (`2023/24`).
    case financial

    /// How a year is written in output: `2023`, or `2023/24` for a financial year.
    public func label(_ year: Int) -> String {
        switch self {
        case .calendar: return String(year)
        case .financial:
            let next = (year + 1) % 100
            return "\(year)/\(next < 10 ? "0" : "")\(next)"
        }
    }
}

/// A date format in the strftime style, compiled once and applied to every row without `DateFormatter`.
///
/// Directives: `%d` day (1 or 2 digits), `%m` month (1 or 2 digits), `%Y` year (4 digits),
/// `%y` year (2 digits, 2000–2099), `%b` month name (`Jan`, or the full `January`; any case),
/// `%B` the same, `%H`, `%M`, `%S` hours, minutes and seconds (read and ignored), `%%` a percent
/// sign. Any other character must appear as written. A whole field must match: `%d/%m/%Y` reads
/// `01/04/2023` and `1/4/2023`, not `01/04/2023 00:00` (write `%d/%m/%Y %H:%M` for that).
///
/// ```swift
/// let format = try DateFormat("%d/%m/%Y")
/// let date = try format.parse("31/03/2024")   // 2024-03-31
/// date.year(.financial)                       // 2023
/// ```
public struct DateFormat: Sendable, CustomStringConvertible {
    /// The pattern as given.
    public let pattern: String
    private let steps: [Step]

    private enum Step: Sendable, Equatable {
        case day, month, year4, year2, monthName, ignoredNumber
        case literal(UInt8)
    }

    /// The formats the docs name: `%d/%m/%Y` (PCMD `REG_DATE`), `%Y-%m-%d` (ISO) and `%d-%b-%Y` (`01-Apr-2023`).
    public static let common = ["%d/%m/%Y", "%Y-%m-%d", "%d-%b-%Y"]

    /// Compiles `pattern`.
    ///
    /// - Throws: `DateFormatError` for an unknown directive, a pattern without day, month and
    ///   year, or a directive given twice.
    public init(_ pattern: String) throws(DateFormatError) {
        var steps: [Step] = []
        var bytes = Array(pattern.utf8)[...]
        while let b = bytes.popFirst() {
            guard b == 0x25 else {  // %
                steps.append(.literal(b))
                continue
            }
            guard let d = bytes.popFirst() else {
                throw DateFormatError(pattern: pattern, problem: "it ends with a lone %")
            }
            switch d {
            case UInt8(ascii: "d"): steps.append(.day)
            case UInt8(ascii: "m"): steps.append(.month)
            case UInt8(ascii: "Y"): steps.append(.year4)
            case UInt8(ascii: "y"): steps.append(.year2)
            case UInt8(ascii: "b"), UInt8(ascii: "B"): steps.append(.monthName)
            case UInt8(ascii: "H"), UInt8(ascii: "M"), UInt8(ascii: "S"): steps.append(.ignoredNumber)
            case UInt8(ascii: "%"): steps.append(.literal(0x25))
            default:
                throw DateFormatError(
                    pattern: pattern,
                    problem: "%\(Character(Unicode.Scalar(d))) is not a directive it knows (use %d, %m, %Y, %y, %b, %H, %M, %S)")
            }
        }
        let days = steps.filter { $0 == .day }.count
        let months = steps.filter { $0 == .month || $0 == .monthName }.count
        let years = steps.filter { $0 == .year4 || $0 == .year2 }.count
        guard days == 1, months == 1, years == 1 else {
            throw DateFormatError(
                pattern: pattern, problem: "it must name the day, the month and the year once each (e.g. %d/%m/%Y)")
        }
        self.pattern = pattern
        self.steps = steps
    }

    /// The pattern.
    public var description: String { pattern }

    /// Reads one date field.
    ///
    /// - Throws: `RecordFieldError` with reason `.missingDate` for a blank field, `.badDate` for
    ///   one that does not match the pattern or names no real day.
    public func parse(_ text: some StringProtocol) throws(RecordFieldError) -> CalendarDate {
        let date = Array(text.utf8).withUnsafeBufferPointer { parse(utf8: $0) }
        if let date { return date }
        let blank = text.allSatisfy { $0 == " " || $0 == "\t" }
        throw RecordFieldError(
            field: "date", value: String(text),
            expected: blank ? "a date (the field is empty)" : "a real day written as \(pattern)",
            reason: blank ? .missingDate : .badDate)
    }

    /// Reads one date field from its bytes (leading and trailing spaces ignored); nil when it does not match.
    ///
    /// - Complexity: O(n) in the field's length; no allocation.
    public func parse(utf8 bytes: UnsafeBufferPointer<UInt8>) -> CalendarDate? {
        var i = 0
        var n = bytes.count
        while i < n, bytes[i] == 0x20 { i += 1 }
        while n > i, bytes[n - 1] == 0x20 { n -= 1 }
        var day = 0, month = 0, year = 0

        func number(minDigits: Int, maxDigits: Int) -> Int? {
            var value = 0, digits = 0
            while i < n, digits < maxDigits, bytes[i] &- 48 < 10 {
                value = value * 10 + Int(bytes[i] &- 48)
                i += 1
                digits += 1
            }
            return digits >= minDigits ? value : nil
        }

        for step in steps {
            switch step {
            case .day:
                guard let v = number(minDigits: 1, maxDigits: 2) else { return nil }
                day = v
            case .month:
                guard let v = number(minDigits: 1, maxDigits: 2) else { return nil }
                month = v
            case .year4:
                guard let v = number(minDigits: 4, maxDigits: 4) else { return nil }
                year = v
            case .year2:
                guard let v = number(minDigits: 2, maxDigits: 2) else { return nil }
                year = 2000 + v
            case .ignoredNumber:
                guard number(minDigits: 1, maxDigits: 2) != nil else { return nil }
            case .monthName:
                guard let v = Self.monthName(bytes, &i, n) else { return nil }
                month = v
            case .literal(let b):
                guard i < n, bytes[i] == b else { return nil }
                i += 1
            }
        }
        guard i == n else { return nil }
        return CalendarDate(year: year, month: month, day: day)
    }

    /// Reads `Jan`…`Dec` or a full English month name at `i`, in any case.
    private static func monthName(_ bytes: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ n: Int) -> Int? {
        guard i + 3 <= n else { return nil }
        let key = (UInt32(bytes[i] | 0x20) << 16) | (UInt32(bytes[i + 1] | 0x20) << 8) | UInt32(bytes[i + 2] | 0x20)
        guard let month = monthKeys.firstIndex(of: key) else { return nil }
        i += 3
        // The rest of the full name, when it is there (`January`, `Sept` is not accepted).
        let rest = Array(monthNames[month].utf8.dropFirst(3))
        if !rest.isEmpty, i + rest.count <= n,
            zip(rest, UnsafeBufferPointer(rebasing: bytes[i..<(i + rest.count)])).allSatisfy({ $0 == $1 | 0x20 })
        {
            i += rest.count
        }
        return month + 1
    }

    private static let monthNames = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december",
    ]
    private static let monthKeys: [UInt32] = monthNames.map { name in
        let u = Array(name.utf8)
        return (UInt32(u[0]) << 16) | (UInt32(u[1]) << 8) | UInt32(u[2])
    }
}

/// A date pattern that cannot be used, with what is wrong with it.
public struct DateFormatError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The pattern as given.
    public var pattern: String
    /// What is wrong, and what to write instead.
    public var problem: String

    /// One sentence naming the pattern.
    public var description: String {
        "date_format \"\(pattern)\" cannot be used: \(problem)"
    }
}

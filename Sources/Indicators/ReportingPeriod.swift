import Foundation

// Period strings as Fingertips and ONS write them. The grammar, after trimming:
//
//   period  = single | single "-" end          (spaces around "-" optional)
//   single  = YYYY | YYYY "/" YY | YYYY "/" YYYY, optionally followed by " Q1".." Q4"
//   end     = YY | YYYY | YY "/" YY | YYYY "/" YY | YYYY "/" YYYY   (same style as the start)
//
// A split year (`2021/22`) is a financial year (April to March) unless the caller says the
// source counts academic years (September to August): the text alone cannot tell them apart.
// Years are labelled by the calendar year they start in, so `2019/20 - 21/22` runs from the
// year labelled 2019 to the year labelled 2021. Time is counted in months so that periods of
// different kinds can be compared (`2021` and `2021/22` share April to December 2021).

/// A reporting period parsed from its text: first and last year, kind and quarter (METHODS.md §12).
///
/// ```swift
/// let p = try ReportingPeriod("2020 - 22")      // calendar, 2020...2022, 3 years
/// let q = try ReportingPeriod("2019/20 - 21/22") // financial, 2019...2021
/// p.sharesYear(with: try ReportingPeriod("2022"))  // true: the trend test skips such series
/// ```
///
/// Equality and hashing ignore how the text was spaced (`2020-22` == `2020 - 22`); ordering is by
/// start, then end. Source: Fingertips data exports (`Time period`), ONS period labels.
public struct ReportingPeriod: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// How the years of a period are counted (METHODS.md §12).
    public enum Kind: String, Sendable, CaseIterable {
        /// January to December (`2021`, `2020 - 22`).
        case calendar
        /// April to March (`2021/22`), the default reading of a split year.
        case financial
        /// September to August (`2021/22` when the source counts school years).
        case academic
    }

    /// The text as given, trimmed.
    public let text: String
    /// How the years are counted.
    public let kind: Kind
    /// The label of the first year (a split year is labelled by its start: `2021/22` → 2021).
    public let firstYear: Int
    /// The label of the last year (equal to `firstYear` for a single year or quarter).
    public let lastYear: Int
    /// The quarter (1–4) for a quarterly period, nil otherwise; financial Q1 is April to June.
    public let quarter: Int?

    /// Parses `text`; `splitYears` says whether `2021/22` is a financial or an academic year (METHODS.md §12).
    ///
    /// Plain years are always calendar years; `splitYears: .calendar` is read as `.financial`.
    /// - Throws: `ReportingPeriodError` naming the text and what is wrong with it.
    /// - Complexity: O(*n*) in the length of the text.
    public init(_ text: String, splitYears: Kind = .financial) throws(ReportingPeriodError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var parser = PeriodParser(text: trimmed)
        let parsed = try parser.parse(splitYears: splitYears == .calendar ? .financial : splitYears)
        self.text = trimmed
        self.kind = parsed.kind
        self.firstYear = parsed.first
        self.lastYear = parsed.last
        self.quarter = parsed.quarter
    }

    /// A period from its parts; `text` is the way Fingertips writes it (METHODS.md §12).
    public init(kind: Kind, firstYear: Int, lastYear: Int? = nil, quarter: Int? = nil) {
        self.kind = kind
        self.firstYear = firstYear
        self.lastYear = lastYear ?? firstYear
        self.quarter = quarter
        self.text = Self.canonicalText(kind: kind, first: firstYear, last: lastYear ?? firstYear, quarter: quarter)
    }

    /// The number of years the period spans (1 for a single year or a quarter).
    public var yearCount: Int { lastYear - firstYear + 1 }

    /// Whether this is one whole year (calendar, financial or academic), the unit of the trend test.
    public var isAnnual: Bool { quarter == nil && firstYear == lastYear }

    /// The first month, counted from January of year 0 (January 2021 is 2021·12).
    public var startMonth: Int {
        if let quarter { return firstYear * 12 + kind.firstMonth + 3 * (quarter - 1) }
        return firstYear * 12 + kind.firstMonth
    }

    /// The last month, counted as `startMonth` is.
    public var endMonth: Int {
        if quarter != nil { return startMonth + 2 }
        return lastYear * 12 + kind.firstMonth + 11
    }

    /// The calendar year in which the period ends (`2021/22` → 2022, `2020 - 22` → 2022).
    public var endYear: Int { endMonth / 12 }

    /// Where the period sits on a time axis in years: the middle of its span (2021 → 2021.5).
    public var midpoint: Double { Double(startMonth + endMonth + 1) / 24 }

    /// Whether the two periods share any time (METHODS.md §12: such periods are never tested): `2020 - 22` and `2022` do; `2019 - 21` and `2022 - 24` do not.
    ///
    /// Two different quarters of one year do not share time, so they do not share a year here.
    public func sharesYear(with other: ReportingPeriod) -> Bool {
        startMonth <= other.endMonth && other.startMonth <= endMonth
    }

    /// The period as Fingertips writes it: `2021`, `2020 - 22`, `2021/22`, `2019/20 - 21/22`, `2022 Q1`.
    public var canonical: String {
        Self.canonicalText(kind: kind, first: firstYear, last: lastYear, quarter: quarter)
    }

    /// The text as given.
    public var description: String { text }

    /// Periods are equal when they cover the same time in the same kind of year, however written (METHODS.md §12).
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.kind == rhs.kind && lhs.firstYear == rhs.firstYear && lhs.lastYear == rhs.lastYear
            && lhs.quarter == rhs.quarter
    }

    /// Hashes what equality compares (METHODS.md §12).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(firstYear)
        hasher.combine(lastYear)
        hasher.combine(quarter)
    }

    /// Orders by first month, then by last month (METHODS.md §12).
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.startMonth, lhs.endMonth) < (rhs.startMonth, rhs.endMonth)
    }

    private static func canonicalText(kind: Kind, first: Int, last: Int, quarter: Int?) -> String {
        func split(_ y: Int, full: Bool) -> String {
            let next = String(format2((y + 1) % 100))
            return full ? "\(y)/\(next)" : "\(format2(y % 100))/\(next)"
        }
        var text: String
        switch kind {
        case .calendar:
            text = first == last ? "\(first)" : "\(first) - \(format2(last % 100))"
        case .financial, .academic:
            text = first == last ? split(first, full: true) : "\(split(first, full: true)) - \(split(last, full: false))"
        }
        if let quarter { text += " Q\(quarter)" }
        return text
    }
}

extension ReportingPeriod.Kind {
    /// The month (0 = January) a year of this kind starts in.
    fileprivate var firstMonth: Int {
        switch self {
        case .calendar: return 0
        case .financial: return 3
        case .academic: return 8
        }
    }
}

/// Two digits with a leading zero: 5 → `05`.
private func format2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

/// Text that is not a reporting period, with what is wrong (METHODS.md §12).
public struct ReportingPeriodError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The text as given.
    public var text: String
    /// What is wrong with it.
    public var reason: String

    /// Creates an error for `text` (METHODS.md §12).
    public init(text: String, reason: String) {
        self.text = text
        self.reason = reason
    }

    /// One sentence: the text, what is wrong, and the forms that are accepted.
    public var description: String {
        "\"\(text)\" is not a reporting period: \(reason); write it as 2021, 2020 - 22, 2021/22, "
            + "2019/20 - 21/22 or 2022 Q1"
    }
}

/// A hand-written scanner for the grammar at the top of this file.
private struct PeriodParser {
    let text: String
    private let chars: [Character]
    private var i = 0

    init(text: String) {
        self.text = text
        self.chars = Array(text)
    }

    /// One year as written: its digits and how many there were, and the split year's second part.
    private struct YearToken {
        var year: Int
        var digits: Int
        var second: Int?
        var secondDigits: Int
    }

    mutating func parse(
        splitYears: ReportingPeriod.Kind
    ) throws(ReportingPeriodError) -> (kind: ReportingPeriod.Kind, first: Int, last: Int, quarter: Int?) {
        guard !chars.isEmpty else { throw fail("it is empty") }
        let start = try year()
        guard start.digits == 4 else { throw fail("a period starts with a four-digit year") }
        guard (1800...2200).contains(start.year) else { throw fail("\(start.year) is not a plausible year") }
        let isSplit = start.second != nil
        if let second = start.second {
            try checkSplit(start.year, second, digits: start.secondDigits)
        }
        let kind: ReportingPeriod.Kind = isSplit ? splitYears : .calendar
        skipSpaces()
        if i == chars.count { return (kind, start.year, start.year, nil) }
        if chars[i] == "Q" || chars[i] == "q" {
            i += 1
            guard i < chars.count, let q = chars[i].wholeNumberValue, (1...4).contains(q) else {
                throw fail("a quarter is written Q1 to Q4")
            }
            i += 1
            skipSpaces()
            guard i == chars.count else { throw fail("unexpected text after the quarter") }
            return (kind, start.year, start.year, q)
        }
        guard chars[i] == "-" || chars[i] == "\u{2013}" else {
            throw fail("unexpected \"\(chars[i])\" after the first year")
        }
        i += 1
        skipSpaces()
        let end = try year()
        skipSpaces()
        guard i == chars.count else { throw fail("unexpected text after the last year") }
        guard (end.second != nil) == isSplit else {
            throw fail(isSplit ? "the last year must be a split year too (21/22)" : "the last year must be a plain year (22)")
        }
        let last = try fullYear(end.year, digits: end.digits, after: start.year)
        if let second = end.second {
            try checkSplit(last, second, digits: end.secondDigits)
        }
        guard last > start.year else { throw fail("the last year must come after the first") }
        return (kind, start.year, last, nil)
    }

    /// Reads `YYYY`, `YY`, or either followed by `/YY` or `/YYYY`.
    private mutating func year() throws(ReportingPeriodError) -> YearToken {
        let (first, digits) = number()
        guard digits == 2 || digits == 4 else {
            throw fail(digits == 0 ? "a year is missing" : "a year has 2 or 4 digits")
        }
        var token = YearToken(year: first, digits: digits, second: nil, secondDigits: 0)
        if i < chars.count, chars[i] == "/" {
            i += 1
            let (second, secondDigits) = number()
            guard secondDigits == 2 || secondDigits == 4 else {
                throw fail("the second half of a split year has 2 or 4 digits")
            }
            token.second = second
            token.secondDigits = secondDigits
        }
        return token
    }

    /// Reads a run of ASCII digits.
    private mutating func number() -> (Int, Int) {
        var value = 0
        var digits = 0
        while i < chars.count, chars[i].isASCII, let d = chars[i].wholeNumberValue, digits < 6 {
            value = value * 10 + d
            digits += 1
            i += 1
        }
        return (value, digits)
    }

    /// A two-digit year completed from the year it follows: `22` after 2020 is 2022, `01` after 1999 is 2001.
    ///
    /// A completion 50 or more years on is an error (`2021 - 20` is a typing mistake, not a century).
    private func fullYear(_ year: Int, digits: Int, after start: Int) throws(ReportingPeriodError) -> Int {
        guard digits == 2 else { return year }
        var full = start / 100 * 100 + year
        if full < start { full += 100 }
        // `2021 - 21` or `2021 - 20` is a mistake, not a period of a century.
        guard full - start < 50 else { throw fail("the last year must come after the first") }
        return full
    }

    /// Checks that the second half of a split year is the next year (`2021/22`, `2021/2022`).
    private func checkSplit(_ year: Int, _ second: Int, digits: Int) throws(ReportingPeriodError) {
        let expected = digits == 2 ? (year + 1) % 100 : year + 1
        guard second == expected else {
            throw fail("a split year ends in the next year (\(year)/\(format2((year + 1) % 100)))")
        }
    }

    private mutating func skipSpaces() {
        while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 }
    }

    private func fail(_ reason: String) -> ReportingPeriodError {
        ReportingPeriodError(text: text, reason: reason)
    }
}

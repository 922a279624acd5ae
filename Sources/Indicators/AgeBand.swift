/// An age band in whole years: `0`, `1-4`, `5-9`, …, `90+` (METHODS.md §0).
///
/// Labels are normalised before joining: spaces removed and leading zeros dropped from each
/// number, so `00-04` = `0-4` and `90 +` = `90+`; `85 and over` = `85+`. The canonical label
/// of a single year is the number alone (`0`), of a closed band `start-end`, of an open band
/// `start+`.
public struct AgeBand: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The first year of age in the band.
    public let start: Int
    /// The last year of age in the band (inclusive), or nil for an open band such as `90+`.
    public let end: Int?

    /// Creates a band from `start` to `end` inclusive (nil: open-ended).
    public init(start: Int, end: Int?) {
        precondition(start >= 0, "age must not be negative")
        precondition(end.map { $0 >= start } ?? true, "band end before its start")
        self.start = start
        self.end = end
    }

    /// The canonical label: `0`, `1-4`, `90+`.
    public var label: String {
        guard let end else { return "\(start)+" }
        return end == start ? "\(start)" : "\(start)-\(end)"
    }

    /// The canonical label.
    public var description: String { label }

    /// Whether the band is open-ended (`90+`).
    public var isOpen: Bool { end == nil }

    /// Whether every age of `other` lies in this band.
    public func contains(_ other: AgeBand) -> Bool {
        guard other.start >= start else { return false }
        guard let end else { return true }
        guard let otherEnd = other.end else { return false }
        return otherEnd <= end
    }

    /// Whether the two bands share at least one year of age.
    public func overlaps(_ other: AgeBand) -> Bool {
        let aEnd = end ?? Int.max, bEnd = other.end ?? Int.max
        return start <= bEnd && other.start <= aEnd
    }

    /// Orders bands by start, then by end (open last).
    public static func < (lhs: AgeBand, rhs: AgeBand) -> Bool {
        if lhs.start != rhs.start { return lhs.start < rhs.start }
        return (lhs.end ?? Int.max) < (rhs.end ?? Int.max)
    }

    /// The parsed form of one label before bare start ages are resolved.
    public enum Label: Hashable, Sendable {
        /// A closed or open band written as a range (`1-4`, `90+`, `85 and over`).
        case band(AgeBand)
        /// A bare number (`0`, `5`, `90`): a start age, whose band runs to the next start.
        case startAge(Int)
    }

    /// Parses one label: `1-4`, `05-09`, `90+`, `90 +`, `85 and over`, `85plus` or a bare start age `5`.
    ///
    /// Returns nil for anything else (negative ages, a reversed range, text).
    public static func parseLabel(_ text: String) -> Label? {
        var s = String(text.lowercased().filter { !$0.isWhitespace })
        if s.hasSuffix(".0") { s.removeLast(2) }  // "5.0" written by spreadsheets
        for suffix in ["andover", "plus", "+", "andolder", "orover", "orolder"] where s.hasSuffix(suffix) {
            guard let n = wholeNumber(s.dropLast(suffix.count)) else { return nil }
            return .band(AgeBand(start: n, end: nil))
        }
        if let n = wholeNumber(Substring(s)) { return .startAge(n) }
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 2, let a = wholeNumber(parts[0]), let b = wholeNumber(parts[1]), b >= a {
            return .band(AgeBand(start: a, end: b))
        }
        // "to" as in "0 to 4"
        if let range = s.range(of: "to") {
            if let a = wholeNumber(s[..<range.lowerBound]), let b = wholeNumber(s[range.upperBound...]), b >= a {
                return .band(AgeBand(start: a, end: b))
            }
        }
        return nil
    }

    /// Resolves a group's labels to bands.
    ///
    /// In a column of bare numbers only (`0`, `1`, `5`, …, `90`) each is a start age: its band
    /// runs to the year before the next start in the group, and the last is open-ended. In a
    /// column that also has ranges (`0`, `1-4`, …, `90+`) a bare number is that single year of
    /// age, so a gap (e.g. `0`, `2-4`) is never silently widened.
    ///
    /// - Throws: `IndicatorError` naming the first label that is not an age band.
    /// - Complexity: O(n log n).
    public static func resolve(labels: [String]) throws(IndicatorError) -> [AgeBand] {
        var parsed: [Label] = []
        parsed.reserveCapacity(labels.count)
        for text in labels {
            guard let label = parseLabel(text) else {
                throw IndicatorError(
                    "is not an age band (expected a start age such as 5, or a band such as 5-9 or 90+)",
                    band: text)
            }
            parsed.append(label)
        }
        let starts = parsed.map { label -> Int in
            switch label {
            case .band(let b): return b.start
            case .startAge(let n): return n
            }
        }
        let sortedStarts = Array(Set(starts)).sorted()
        let hasRanges = parsed.contains { if case .band = $0 { return true } else { return false } }
        return parsed.map { label in
            switch label {
            case .band(let b):
                return b
            case .startAge(let n) where hasRanges:
                return AgeBand(start: n, end: n)
            case .startAge(let n):
                let next = sortedStarts.first { $0 > n }
                return AgeBand(start: n, end: next.map { $0 - 1 })
            }
        }
    }

    /// The canonical label of one text label on its own (bare numbers are single years here).
    public static func canonicalLabel(_ text: String) -> String? {
        switch parseLabel(text) {
        case .band(let b)?: return b.label
        case .startAge(let n)?: return "\(n)"
        case nil: return nil
        }
    }

    private static func wholeNumber(_ s: Substring) -> Int? {
        guard !s.isEmpty, s.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(s) else { return nil }
        return n
    }
}

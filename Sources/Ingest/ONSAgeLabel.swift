import Foundation
import Indicators

/// Reads the age labels of ONS and NHS files into `AgeBand`s, and checks that a file's bands can
/// feed a method's bands.
///
/// Accepted labels (any case, spaces ignored): `<1`, `Under 1`, `Less than 1` (age 0); `Under 5`
/// (0-4); a single year `0`, `07`, `90` (that year alone: here a bare number is never a
/// life-table start age); a closed band `00-04`, `01-04`, `1-4`, `5-9`, `0 to 4`; an open band
/// `85+`, `90+`, `85 and over`, `90 plus`, `85 or over`. Words around them are dropped: `Aged`,
/// `Age`, `years`, `year`, `yrs` (`Aged 5 to 9 years` is `5-9`). `All ages` and `Total` are
/// totals, not bands (`isTotal(_:)`).
public enum ONSAgeLabel {
    /// The oldest age a label may name.
    public static let maximumAge = 150

    /// Reads one age label.
    ///
    /// - Throws: `RecordFieldError` with reason `.missingAge` for a blank label, `.badAge` for
    ///   anything else that is not an age band (a totals label included).
    /// - Complexity: O(n) in the label's length.
    public static func band(_ label: some StringProtocol) throws(RecordFieldError) -> AgeBand {
        let text = String(label)
        let words = normalised(text)
        if words.isEmpty {
            throw RecordFieldError(
                field: "age", value: text, expected: "an age or age band (the field is empty)", reason: .missingAge)
        }
        if totalWords.contains(words) {
            throw RecordFieldError(
                field: "age", value: text,
                expected: "an age band: this is a totals row, which must be left out (the bands add up to it)",
                reason: .badAge)
        }
        for prefix in ["<", "under", "lessthan", "below"] where words.hasPrefix(prefix) {
            if let n = Int(words.dropFirst(prefix.count)), n >= 1, n <= maximumAge + 1 {
                return AgeBand(start: 0, end: n - 1)
            }
        }
        switch AgeBand.parseLabel(words) {
        case .startAge(let n)? where n <= maximumAge:
            return AgeBand(start: n, end: n)
        case .band(let band)? where band.start <= maximumAge && (band.end ?? 0) <= maximumAge:
            return band
        default:
            throw RecordFieldError(
                field: "age", value: text,
                expected: "an age in years (0, 45, 90+) or an age band (<1, 01-04, 5-9, 85+, 85 and over)", reason: .badAge)
        }
    }

    /// The band of one single year of age in a records file (`AGEINYRS`); nil for a negative or impossible age.
    public static func band(forAge age: Int) -> AgeBand? {
        (0...maximumAge).contains(age) ? AgeBand(start: age, end: age) : nil
    }

    /// Whether the label names all ages together (`All ages`, `Total`): a totals row, not a band.
    public static func isTotal(_ label: some StringProtocol) -> Bool {
        totalWords.contains(normalised(String(label)))
    }

    private static let totalWords: Set<String> = ["allages", "all", "total"]

    /// Lower case, spaces removed, and the words `aged`, `ages`, `age` (leading), `years`, `year`, `yrs` removed.
    private static func normalised(_ text: String) -> String {
        var s = text.lowercased().filter { !$0.isWhitespace }
        for word in ["aged", "ages", "age"] where s.hasPrefix(word) {
            s.removeFirst(word.count)
            break
        }
        for word in ["years", "year", "yrs", "yr"] {
            s = s.replacingOccurrences(of: word, with: "")
        }
        return s
    }
}

/// How each band of an input file sums into the bands a method needs, or why it cannot.
///
/// A file can serve a method when every method band is exactly a union of input bands: no
/// input band reaches across a method band's edge, and no age inside a method band is missing.
/// Input bands wholly outside the method's ages are left out. So a file whose last band is
/// `85+` serves an under-75 rate (its ages 0–74 are all there in closed bands; `85+` is not
/// needed), but not a life table, which needs `85-89` and `90+` apart.
public enum AgeCoverage {
    /// The method band each input band sums into (nil: outside the method's ages), in input order.
    ///
    /// - Parameters:
    ///   - input: the bands the file has (any order; they must not overlap).
    ///   - target: the method's bands (any order; non-overlapping).
    /// - Throws: `AgeCoverageError` naming the first input band that crosses a method band's
    ///   edge, or the first method band with ages no input band covers, and saying why.
    /// - Complexity: O((n + m) log(n + m)) for n input and m method bands.
    public static func map(input: [AgeBand], onto target: [AgeBand]) throws(AgeCoverageError) -> [Int?] {
        let sortedInput = input.indices.sorted { input[$0] < input[$1] }
        for (a, b) in zip(sortedInput, sortedInput.dropFirst()) where input[a].overlaps(input[b]) {
            throw AgeCoverageError(
                input: input[b], target: nil,
                message:
                    "the input has overlapping age bands \(input[a].label) and \(input[b].label): leave out totals and "
                    + "subtotals, so that each age is in one band")
        }
        let sortedTarget = target.indices.sorted { target[$0] < target[$1] }
        var mapping = [Int?](repeating: nil, count: input.count)
        var members = [[AgeBand]](repeating: [], count: target.count)
        for i in sortedInput {
            let band = input[i]
            let touched = sortedTarget.filter { target[$0].overlaps(band) }
            guard let first = touched.first else { continue }
            if touched.count == 1 && target[first].contains(band) {
                mapping[i] = first
                members[first].append(band)
                continue
            }
            let names = touched.map { target[$0].label }
            let list = names.count > 1 ? names.joined(separator: " and ") : names[0]
            let why: String
            if band.isOpen && touched.count > 1 {
                why =
                    "the input's closing band \(band.label) cannot be split into \(list), which this method needs apart: "
                    + "give deaths and population by single year of age, or in bands that close at "
                    + "\(target[touched[touched.count - 1]].label) or older"
            } else if touched.count > 1 {
                why = "input band \(band.label) spans the method bands \(list): its counts cannot be divided between them"
            } else {
                why =
                    "input band \(band.label) reaches outside the method band \(list) (the method's ages end or change "
                    + "inside it): use narrower input bands"
            }
            throw AgeCoverageError(input: band, target: target[first], message: why)
        }
        for t in sortedTarget {
            let band = target[t]
            var next = band.start
            for member in members[t].sorted() {
                guard member.start == next else { break }
                guard let end = member.end else {
                    next = Int.max
                    break
                }
                next = end + 1
            }
            let complete = band.end.map { next > $0 } ?? (next == Int.max)
            guard complete else {
                let gap = band.end.map { next == $0 ? "age \(next)" : "ages \(next)-\($0)" } ?? "ages \(next) and over"
                throw AgeCoverageError(
                    input: nil, target: band,
                    message:
                        "no input band covers \(gap) of the method band \(band.label): the file must have every age "
                        + "the method uses (a missing age is a gap, not a zero)")
            }
        }
        return mapping
    }

    /// Whether `input` can serve `target` (`map(input:onto:)` does not throw).
    public static func serves(input: [AgeBand], target: [AgeBand]) -> Bool {
        (try? map(input: input, onto: target)) != nil
    }
}

/// A file's age bands that cannot feed a method's bands, with the reason in words.
public struct AgeCoverageError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The input band at fault, when one is.
    public var input: AgeBand?
    /// The method band at fault, when one is.
    public var target: AgeBand?
    /// Why, and what the file would need instead.
    public var message: String

    /// The message.
    public var description: String { message }
}

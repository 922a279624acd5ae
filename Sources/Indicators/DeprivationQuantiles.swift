// Quantile assignment within a parent group (METHODS.md §7).
//
// Source: Fingertips technical guidance, "Assigning deprivation categories" (Public Health
// England / OHID); the same rule is used by the Fingertips quantile tools.
//
// Departure kept on purpose: the quotient ((N + 1) − rank)/(N/Q) is evaluated in floating
// point, as the reference tools do, not as an exact rational. The two differ only where the
// exact quotient is a whole number that N/Q cannot represent (e.g. N = 28, Q = 20, rank 8
// gives quantile 5 here and 6 exactly); for Q ≤ 10 they agree for every N < 400, and the
// reference vectors are matched exactly.

/// Assigns areas to deprivation quantiles within a parent group (METHODS.md §7).
///
/// Quantile 1 is the most deprived: values are ranked ascending (quantile 1 = lowest
/// values), or descending when `invert` is true (quantile 1 = highest values, e.g. IMD
/// scores or a "low is good" indicator).
///
/// Source: Fingertips technical guidance, "Assigning deprivation categories".
public enum DeprivationQuantiles {
    /// Assigns each non-missing value of one parent group to one of `quantiles` quantiles (METHODS.md §7).
    ///
    /// ```
    /// rank = 1 + #{values before it in the order}   (ascending; descending when invert;
    ///                                                tied values share the smallest rank)
    /// q = ⌊(Q + 1) − ⌈((N + 1) − rank)/(N/Q)⌉⌋,  q = 0 → 1
    /// ```
    /// with N the number of non-missing values and Q = `quantiles`.
    ///
    /// Edge cases: a missing (nil or non-finite) value gets nil and does not count in N.
    /// When N < Q the group gets no quantiles: every entry is nil and `tooSmall` is true (the
    /// caller warns). Ties always share a quantile.
    ///
    /// - Parameters:
    ///   - values: the group's values, in any order; the result has the same order.
    ///   - quantiles: Q, the number of quantiles (10 for deciles); at least 1.
    ///   - invert: rank descending, so that quantile 1 holds the highest values.
    /// - Complexity: O(N log N).
    public static func assign(values: [Double?], quantiles: Int, invert: Bool) -> (quantiles: [Int?], tooSmall: Bool) {
        precondition(quantiles >= 1, "the number of quantiles must be at least 1")
        var present: [(key: Double, index: Int)] = []
        present.reserveCapacity(values.count)
        for (index, value) in values.enumerated() {
            guard let value, value.isFinite else { continue }
            present.append((invert ? -value : value, index))
        }
        var result = [Int?](repeating: nil, count: values.count)
        let n = present.count
        guard n >= quantiles else { return (result, true) }
        present.sort { $0.key < $1.key }
        let perQuantile = Double(n) / Double(quantiles)
        var rank = 1
        for position in 0..<n {
            // Ties to the minimum rank: a new rank starts only where the key changes.
            if position > 0, present[position].key != present[position - 1].key { rank = position + 1 }
            let q = (Double(quantiles + 1) - (Double(n + 1 - rank) / perQuantile).rounded(.up)).rounded(.down)
            result[present[position].index] = max(Int(q), 1)
        }
        return (result, false)
    }

    /// Whether a group is ranked inverted, from its rows' polarity labels (METHODS.md §7).
    ///
    /// "RAG - Low is good" and "True" mean invert (quantile 1 = highest values); "RAG - High is
    /// good" and "False" mean not. Case and surrounding spaces are ignored.
    /// - Throws: `IndicatorError` when a label is none of these, when the group mixes
    ///   polarities (a quantile cannot be both), or when there are no labels.
    /// - Complexity: O(rows).
    public static func invert(forPolarities polarities: [String]) throws(IndicatorError) -> Bool {
        var seen: Bool? = nil
        for label in polarities {
            let invert: Bool
            switch label.trimmingSpaces.lowercased() {
            case "rag - low is good", "true": invert = true
            case "rag - high is good", "false": invert = false
            default:
                throw IndicatorError(
                    "polarity is not one of \"RAG - Low is good\", \"RAG - High is good\", \"True\", \"False\"",
                    value: label)
            }
            if let seen, seen != invert {
                throw IndicatorError("mixed polarity within one group: quantiles need one direction for the whole group")
            }
            seen = invert
        }
        guard let seen else { throw IndicatorError("no polarity given for the group") }
        return seen
    }

    /// The number of quantiles for a name: Tertile 3, Quartile 4, Quintile 5, Septile 7,
    /// Decile 10, Vigintile 20, Percentile 100 (singular or plural, any case); nil otherwise.
    /// - Complexity: O(1).
    public static func quantileCount(named name: String) -> Int? {
        var key = name.trimmingSpaces.lowercased()
        if key.hasSuffix("s") { key.removeLast() }
        switch key {
        case "tertile": return 3
        case "quartile": return 4
        case "quintile": return 5
        case "septile": return 7
        case "decile": return 10
        case "vigintile": return 20
        case "percentile": return 100
        default: return nil
        }
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs (no Foundation needed).
    fileprivate var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}

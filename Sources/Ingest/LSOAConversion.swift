/// Moves counts on 2011 LSOAs onto 2021 LSOAs with the ONS 2011 → 2021 lookup.
///
/// The lookup's change code says how each 2011 LSOA became 2021 LSOAs:
/// - `U` unchanged and `M` merged: the 2011 LSOA lies wholly in one 2021 LSOA, which gets all of
///   its count (a merged 2021 LSOA gets the sum of its 2011 parts). Exact.
/// - `S` split and `X` complex: the 2011 LSOA is spread over several 2021 LSOAs. Its count is
///   shared in proportion to those 2021 LSOAs' populations:
///   `count₂₀₂₁(j) += count₂₀₁₁(i) · pop₂₀₂₁(j) / Σ_{k linked to i} pop₂₀₂₁(k)`.
///   This assumes the 2011 LSOA's events fall where its people now live: an estimate, so the
///   2021 counts it produces are not whole numbers.
///
/// Every 2011 count goes somewhere, so the total is preserved (to rounding).
///
/// ```swift
/// let conversion = try LSOAConversion(lookupPath: "Data/imd2025/lsoa11_lsoa21.csv.gz")
/// let shares = try conversion.shares(population2021: mid2021)   // once
/// let deaths2021 = try conversion.convert(deaths2011, shares: shares)  // per year, sex and age
/// ```
public struct LSOAConversion: Sendable {
    /// How a 2011 LSOA became 2021 LSOAs (the ONS `CHGIND`).
    public enum Change: String, Sendable, CaseIterable {
        /// The same area and code.
        case unchanged = "U"
        /// Divided into two or more 2021 LSOAs.
        case split = "S"
        /// Joined with others into one 2021 LSOA.
        case merged = "M"
        /// Redrawn in a way that is neither a split nor a merge.
        case complex = "X"
    }

    /// One 2011 → 2021 link: indices into `codes2011` and `codes2021`.
    public struct Link: Sendable, Equatable {
        /// The 2011 LSOA's index.
        public var from: Int
        /// The 2021 LSOA's index.
        public var to: Int
        /// How the 2011 LSOA changed.
        public var change: Change

        /// Creates a link.
        public init(from: Int, to: Int, change: Change) {
            self.from = from
            self.to = to
            self.change = change
        }
    }

    /// The 2011 codes, in index order.
    public let codes2011: [String]
    /// The 2021 codes, in index order.
    public let codes2021: [String]
    /// The links, grouped by their 2011 LSOA.
    public let links: [Link]
    private let index2011: [String: Int]
    private let index2021: [String: Int]

    /// The conversion over these codes and links.
    ///
    /// - Throws: `LSOAConversionError` when a link points outside the code lists, a 2011 LSOA has
    ///   no link (its count would be lost), or an unchanged or merged one has more than one.
    public init(codes2011: [String], codes2021: [String], links: [Link]) throws(LSOAConversionError) {
        var perSource = [Int](repeating: 0, count: codes2011.count)
        for link in links {
            guard codes2011.indices.contains(link.from), codes2021.indices.contains(link.to) else {
                throw LSOAConversionError(
                    "a link points outside the code lists (2011 index \(link.from), 2021 index \(link.to))")
            }
            perSource[link.from] += 1
        }
        for (i, n) in perSource.enumerated() where n == 0 {
            throw LSOAConversionError("2011 LSOA \(codes2011[i]) has no 2021 LSOA in the lookup: its counts would be lost")
        }
        for link in links where (link.change == .unchanged || link.change == .merged) && perSource[link.from] > 1 {
            throw LSOAConversionError(
                "2011 LSOA \(codes2011[link.from]) is marked \(link.change.rawValue) but has \(perSource[link.from]) "
                    + "2021 LSOAs: the lookup is inconsistent")
        }
        self.codes2011 = codes2011
        self.codes2021 = codes2021
        self.links = links.sorted { ($0.from, $0.to) < ($1.from, $1.to) }
        index2011 = Dictionary(uniqueKeysWithValues: codes2011.enumerated().map { ($1, $0) })
        index2021 = Dictionary(uniqueKeysWithValues: codes2021.enumerated().map { ($1, $0) })
    }

    /// The conversion from the ONS lookup file (`lsoa11_code`, `lsoa21_code`, `change_code`),
    /// keeping the codes that start with `prefix` (`E` for England; empty for England and Wales).
    ///
    /// - Throws: `CSVError` when the file cannot be read; `LSOAConversionError` for an unknown change code or an inconsistent lookup.
    public init(lookupPath: String, prefix: String = "E") throws {
        let table = try LSOALookupTable(path: lookupPath)
        var codes11: [String] = [], codes21: [String] = []
        var seen11: [String: Int] = [:], seen21: [String: Int] = [:]
        var links: [Link] = []
        for row in table.rows where row.lsoa11.hasPrefix(prefix) {
            guard let change = Change(rawValue: row.change) else {
                throw LSOAConversionError(
                    "\(lookupPath): change_code \"\(row.change)\" for \(row.lsoa11) is not U, S, M or X")
            }
            let from =
                seen11[row.lsoa11]
                ?? {
                    codes11.append(row.lsoa11); return codes11.count - 1
                }()
            seen11[row.lsoa11] = from
            let to =
                seen21[row.lsoa21]
                ?? {
                    codes21.append(row.lsoa21); return codes21.count - 1
                }()
            seen21[row.lsoa21] = to
            links.append(Link(from: from, to: to, change: change))
        }
        try self.init(codes2011: codes11, codes2021: codes21, links: links)
    }

    /// The index of a 2011 code, or nil.
    public func index(of2011 code: String) -> Int? { index2011[code] }

    /// The index of a 2021 code, or nil.
    public func index(of2021 code: String) -> Int? { index2021[code] }

    /// The share of its 2011 LSOA's count that each link carries (1 for a 2011 LSOA with one link).
    ///
    /// - Parameter population2021: the population of each 2021 LSOA, in `codes2021` order.
    /// - Throws: `LSOAConversionError` when the array has the wrong length, a needed population is
    ///   negative or not a number, or the 2021 LSOAs of a split 2011 LSOA have no population at all.
    /// - Complexity: O(links).
    public func shares(population2021: [Double]) throws(LSOAConversionError) -> [Double] {
        guard population2021.count == codes2021.count else {
            throw LSOAConversionError(
                "population2021 has \(population2021.count) values for \(codes2021.count) LSOAs: give one per 2021 LSOA")
        }
        var shares = [Double](repeating: 1, count: links.count)
        var start = 0
        while start < links.count {
            var end = start + 1
            while end < links.count && links[end].from == links[start].from { end += 1 }
            if end - start > 1 {
                var total = 0.0
                for k in start..<end {
                    let p = population2021[links[k].to]
                    guard p >= 0, p.isFinite else {
                        throw LSOAConversionError(
                            "the population of 2021 LSOA \(codes2021[links[k].to]) is \(p): it must be zero or more")
                    }
                    total += p
                }
                guard total > 0 else {
                    let targets = (start..<end).map { codes2021[links[$0].to] }.joined(separator: ", ")
                    throw LSOAConversionError(
                        "2011 LSOA \(codes2011[links[start].from]) is split into \(targets), whose populations are all "
                            + "zero: its counts cannot be shared out")
                }
                for k in start..<end { shares[k] = population2021[links[k].to] / total }
            }
            start = end
        }
        return shares
    }

    /// Counts on 2021 LSOAs from counts on 2011 LSOAs, with shares from `shares(population2021:)`.
    ///
    /// - Throws: `LSOAConversionError` when `counts2011` or `shares` has the wrong length.
    /// - Complexity: O(links).
    public func convert(_ counts2011: [Double], shares: [Double]) throws(LSOAConversionError) -> [Double] {
        guard counts2011.count == codes2011.count, shares.count == links.count else {
            throw LSOAConversionError(
                "counts2011 has \(counts2011.count) values for \(codes2011.count) LSOAs and shares \(shares.count) for "
                    + "\(links.count) links: give one count per 2011 LSOA and the shares of this conversion")
        }
        var out = [Double](repeating: 0, count: codes2021.count)
        for (k, link) in links.enumerated() {
            out[link.to] += counts2011[link.from] * shares[k]
        }
        return out
    }

    /// Counts on 2021 LSOAs from counts on 2011 LSOAs, sharing split LSOAs by `population2021`.
    ///
    /// - Throws: `LSOAConversionError` as `shares(population2021:)` and `convert(_:shares:)` do.
    /// - Complexity: O(links).
    public func convert(_ counts2011: [Double], population2021: [Double]) throws(LSOAConversionError) -> [Double] {
        try convert(counts2011, shares: shares(population2021: population2021))
    }
}

/// A 2011 → 2021 conversion that cannot be made, with the LSOA at fault.
public struct LSOAConversionError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What is wrong and what to do.
    public var message: String

    /// Creates the error.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}

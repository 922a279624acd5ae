import CSVStream
import Indicators

/// The areas within which local quantiles are cut (`--local-within`).
public enum AreaLevel: String, Sendable, CaseIterable {
    /// Local authority district (the default).
    case la
    /// Place (Cheshire and Merseyside only).
    case place
    /// Integrated care board (Cheshire and Merseyside only).
    case icb
    /// Region.
    case region
}

/// An edition of the Index of Multiple Deprivation joined to a geography: each LSOA's rank and
/// national decile (METHODS.md §7: decile 1 = most deprived 10% of LSOAs, by count).
///
/// An edition is a file, not code: `imd2019` names `Data/imd2019/imd2019_lsoa11_ranks.csv.gz`, and
/// any other file with an LSOA code and a rank column (a decile column is optional) is read the
/// same way.
public struct Deprivation: Sendable {
    /// The edition's name: `IMD 2019` for the named edition, else the file's name.
    public let edition: String
    /// The file it was read from.
    public let file: String
    /// IMD rank (1 = most deprived) by the geography's dense LSOA index; 0 where the file has no rank.
    public let rankOfLSOA: [Int32]
    /// National decile 1…10 by dense LSOA index; 0 where there is no rank.
    public let decileOfLSOA: [UInt8]
    /// The number of LSOAs in the file (N of the national ranking).
    public let rankedCount: Int

    /// National quintile 1…5 of an LSOA (deciles 1–2 → 1, …), or nil without a rank.
    ///
    /// - Complexity: O(1).
    public func quintile(ofLSOA i: Int) -> Int? {
        let d = Int(decileOfLSOA[i])
        return d == 0 ? nil : (d + 1) / 2
    }

    /// Whether an LSOA is in Core20: the most deprived 20% nationally (deciles 1–2).
    ///
    /// - Complexity: O(1).
    public func isCore20(lsoa i: Int) -> Bool? {
        let d = decileOfLSOA[i]
        return d == 0 ? nil : d <= 2
    }

    /// The decile of rank `rank` among `count` LSOAs by count: ⌈10 · rank / count⌉.
    ///
    /// - Complexity: O(1).
    public static func nationalDecile(rank: Int, count: Int) -> Int {
        max(1, min(10, (10 * rank + count - 1) / count))
    }

    /// Resolves `imd2019` to its file in the data directory; any other name is a path.
    public static func path(for spec: String, data: DataDirectory) -> String {
        spec.lowercased() == "imd2019" ? data.file("imd2019/imd2019_lsoa11_ranks.csv.gz") : spec
    }

    /// Reads an IMD edition (`imd2019` or a file) and joins it to `geography` by LSOA code.
    ///
    /// Columns are found by name (case and spaces ignored): the LSOA code (`LSOA code (2011)`,
    /// `lsoa_code`, …), the rank (`Index of Multiple Deprivation (IMD) Rank`, `imd_rank`, `rank`)
    /// and, optionally, the decile (computed from rank by count when absent). Ranks may be written
    /// with quoted thousands separators (`"29,199"`).
    /// - Throws: `InputError.csv` for an unreadable file, a missing column, a rank that is not a
    ///   whole number in 1…N, a decile outside 1…10, an LSOA that the geography lacks or one given twice.
    /// - Complexity: O(n) in the file's rows.
    public static func load(_ spec: String, data: DataDirectory, geography: Geography) throws(InputError) -> Deprivation {
        let file = path(for: spec, data: data)
        do {
            let reader = try CSVReader(path: file)
            let h = reader.header
            let code = try h.requireIndex(
                of: "LSOA code (2011)",
                aliases: ["LSOA code (2021)", "lsoa_code", "lsoa11_code", "lsoa21_code", "lsoa11cd", "lsoa21cd", "lsoa"])
            let rank = try h.requireIndex(
                of: "Index of Multiple Deprivation (IMD) Rank",
                aliases: ["Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)", "imd_rank", "rank"])
            let decile = h.index(
                of: "Index of Multiple Deprivation (IMD) Decile",
                aliases: [
                    "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)", "imd_decile", "decile",
                ])
            var ranks = [Int32](repeating: 0, count: geography.lsoaCount)
            var deciles = [UInt8](repeating: 0, count: geography.lsoaCount)
            var lineOf = [Int32](repeating: 0, count: geography.lsoaCount)
            var rows: [(lsoa: Int, rank: Int, line: Int, decile: Int?)] = []
            try reader.forEachRow { row in
                guard let i = geography.lsoas.index(of: row.bytes(code)) else {
                    throw row.invalidValue(code, expected: "an LSOA code of the geography lookup (\(geography.sources.wards))")
                }
                if lineOf[i] != 0 {
                    throw row.invalidValue(code, expected: "each LSOA once (it is also on line \(lineOf[i]))")
                }
                lineOf[i] = Int32(row.line)
                guard let r = try row.int(rank), r >= 1 else {
                    throw row.invalidValue(rank, expected: "a rank of 1 or more")
                }
                var d: Int? = nil
                if let decile {
                    guard let value = try row.int(decile), (1...10).contains(value) else {
                        throw row.invalidValue(decile, expected: "a decile from 1 to 10")
                    }
                    d = value
                }
                rows.append((i, r, row.line, d))
            }
            let n = rows.count
            for row in rows {
                guard row.rank <= n else {
                    throw CSVError.invalidValue(
                        file: file, line: row.line, column: rank + 1, columnName: h.name(at: rank), text: "\(row.rank)",
                        expected: "a rank from 1 to \(n), the number of LSOAs in the file")
                }
                ranks[row.lsoa] = Int32(row.rank)
                deciles[row.lsoa] = UInt8(row.decile ?? nationalDecile(rank: row.rank, count: n))
            }
            let name = spec.lowercased() == "imd2019" ? "IMD 2019" : file.split(separator: "/").last.map(String.init) ?? file
            return Deprivation(edition: name, file: file, rankOfLSOA: ranks, decileOfLSOA: deciles, rankedCount: n)
        } catch {
            throw InputError.from(error)
        }
    }

    /// Local quantiles: the LSOAs of each area at `level` re-ranked by IMD rank and cut into
    /// `quantiles` groups by the rule of METHODS.md §7 (`DeprivationQuantiles.assign`, not inverted:
    /// the lowest ranks, the most deprived, are quantile 1).
    ///
    /// An area with fewer ranked LSOAs than `quantiles` gets none, and a note says so. LSOAs
    /// outside every area of the level (Place and ICB exist only in Cheshire and Merseyside) get none.
    /// - Complexity: O(n log n) in the number of LSOAs.
    public func localQuantiles(geography: Geography, within level: AreaLevel, quantiles: Int) -> LocalQuantiles {
        let parent = geography.parents(at: level)
        var members: [Int: [Int]] = [:]
        for i in 0..<geography.lsoaCount where parent[i] >= 0 && rankOfLSOA[i] > 0 {
            members[Int(parent[i]), default: []].append(i)
        }
        var result = [UInt8](repeating: 0, count: geography.lsoaCount)
        var small: [Int] = []
        for (area, lsoas) in members {
            let (q, tooSmall) = DeprivationQuantiles.assign(
                values: lsoas.map { Double(rankOfLSOA[$0]) }, quantiles: quantiles, invert: false)
            if tooSmall { small.append(area) }
            for (lsoa, value) in zip(lsoas, q) { result[lsoa] = UInt8(value ?? 0) }
        }
        let notes = small.sorted().map { area -> String in
            let (code, name) = geography.area(at: level, index: area)
            return
                "\(name) (\(code)) has \(members[area]!.count) ranked LSOAs, fewer than \(quantiles): no local \(quantiles == 10 ? "deciles" : "quantiles") (METHODS.md §7)"
        }
        return LocalQuantiles(
            level: level, quantiles: quantiles, quantileOfLSOA: result, smallAreas: small.sorted(), notes: notes)
    }
}

/// Local deprivation quantiles of every LSOA within its area (METHODS.md §7).
public struct LocalQuantiles: Sendable {
    /// The areas they are cut within.
    public let level: AreaLevel
    /// Q: 10 for deciles, 5 for quintiles.
    public let quantiles: Int
    /// Quantile 1…Q by dense LSOA index; 0 where the LSOA has none (area too small, no area, no rank).
    public let quantileOfLSOA: [UInt8]
    /// The areas (indices at `level`) too small for quantiles, ascending.
    public let smallAreas: [Int]
    /// One sentence per area too small for quantiles, in the order of `smallAreas`.
    public let notes: [String]
}

extension Geography {
    /// Each LSOA's area index at `level` (into `localAuthorities`, `places`, `icbs` or `regions`), −1 where none.
    ///
    /// - Complexity: O(n) in the number of LSOAs.
    public func parents(at level: AreaLevel) -> [Int32] {
        authorityOfLSOA.map { la in
            let authority = localAuthorities[Int(la)]
            switch level {
            case .la: return la
            case .place: return Int32(authority.place ?? -1)
            case .icb: return Int32(authority.icb ?? -1)
            case .region: return Int32(authority.region ?? -1)
            }
        }
    }

    /// The code and name of area `index` at `level`.
    public func area(at level: AreaLevel, index: Int) -> (code: String, name: String) {
        switch level {
        case .la: return (localAuthorities[index].code, localAuthorities[index].name)
        case .place: return (places[index].code, places[index].name)
        case .icb: return (icbs[index].code, icbs[index].name)
        case .region: return (regions[index].code, regions[index].name)
        }
    }
}

import CSVStream

/// The census whose LSOA boundaries a code belongs to.
public enum LSOAVintage: Int, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    /// The 2011 LSOAs (32,844 in England): IMD 2019, deaths registered up to 2021 in older extracts.
    case lsoa2011 = 2011
    /// The 2021 LSOAs (33,755 in England): IMD 2025, ONS population estimates from mid-2022.
    case lsoa2021 = 2021

    /// `LSOA 2011` or `LSOA 2021`.
    public var description: String { "LSOA \(rawValue)" }

    /// Orders by census year.
    public static func < (a: LSOAVintage, b: LSOAVintage) -> Bool { a.rawValue < b.rawValue }
}

/// The two editions' lists of LSOA codes, for telling which edition a code or a file is on.
///
/// The 2011 and 2021 codes share one numbering: an LSOA that did not change in 2021 kept its
/// code (31,810 in England, all marked `U` in the ONS lookup), a changed one got a new code
/// (E01033769 and up in England, W01001959 and up in Wales), and the 2011 codes of changed LSOAs
/// were retired. So a code's edition is read from which lists hold it: both (unchanged, valid in
/// either), the 2011 list only, or the 2021 list only. A file's edition is the one its
/// single-edition codes agree on.
public struct LSOAEditions: Sendable {
    /// Where a code appears.
    public enum Membership: Sendable, Equatable {
        /// In both lists: an unchanged LSOA, the same area on either edition.
        case both
        /// Only in the 2011 list: an LSOA that was split, merged or redrawn in 2021.
        case only2011
        /// Only in the 2021 list: an LSOA created in 2021.
        case only2021
        /// In neither list.
        case neither
    }

    private let codes2011: Set<String>
    private let codes2021: Set<String>

    /// The editions from their code lists.
    public init(lsoa2011: some Sequence<String>, lsoa2021: some Sequence<String>) {
        codes2011 = Set(lsoa2011)
        codes2021 = Set(lsoa2021)
    }

    /// The editions from the ONS 2011 → 2021 lookup (`Data/imd2025/lsoa11_lsoa21.csv.gz`, England and Wales).
    ///
    /// - Throws: `CSVError` when the file cannot be read or lacks the `lsoa11_code` or `lsoa21_code` column.
    public init(lookupPath: String) throws {
        let table = try LSOALookupTable(path: lookupPath)
        self.init(lsoa2011: table.rows.map(\.lsoa11), lsoa2021: table.rows.map(\.lsoa21))
    }

    /// The number of codes in each list.
    public var counts: (lsoa2011: Int, lsoa2021: Int) { (codes2011.count, codes2021.count) }

    /// Which lists hold `code`.
    public func membership(_ code: String) -> Membership {
        switch (codes2011.contains(code), codes2021.contains(code)) {
        case (true, true): return .both
        case (true, false): return .only2011
        case (false, true): return .only2021
        case (false, false): return .neither
        }
    }

    /// What a set of codes says about its edition.
    public struct Detection: Sendable, Equatable {
        /// Codes in both lists.
        public var unchanged = 0
        /// Codes only in the 2011 list, and the first few of them.
        public var only2011 = 0
        /// Codes only in the 2021 list.
        public var only2021 = 0
        /// Codes in neither list.
        public var unknown = 0
        /// Up to three examples of each kind, for messages.
        public var examples2011: [String] = [], examples2021: [String] = [], examplesUnknown: [String] = []

        /// The edition, when the codes decide it: nil when every code is unchanged (either edition
        /// serves) and when both kinds of single-edition code appear (see `problem`).
        public var vintage: LSOAVintage? {
            switch (only2011 > 0, only2021 > 0) {
            case (true, false): return .lsoa2011
            case (false, true): return .lsoa2021
            default: return nil
            }
        }

        /// Why the codes have no single edition, in words; nil when they have one or all are unchanged.
        public var problem: String? {
            guard only2011 > 0 && only2021 > 0 else { return nil }
            return
                "the file mixes LSOA editions: \(only2011) codes exist only in 2011 (e.g. "
                + "\(examples2011.joined(separator: ", "))) and \(only2021) only in 2021 (e.g. "
                + "\(examples2021.joined(separator: ", "))); a file must use one edition (convert 2011 codes with "
                + "the ONS lsoa11_lsoa21 lookup first)"
        }
    }

    /// Counts the codes of each kind in `codes` (blank and `ZZ…` codes are skipped, as they are set aside).
    ///
    /// - Complexity: O(n) hash look-ups.
    public func detect(_ codes: some Sequence<String>) -> Detection {
        var d = Detection()
        for code in codes where !code.isEmpty && !code.hasPrefix("ZZ") {
            switch membership(code) {
            case .both: d.unchanged += 1
            case .only2011:
                d.only2011 += 1
                if d.examples2011.count < 3 { d.examples2011.append(code) }
            case .only2021:
                d.only2021 += 1
                if d.examples2021.count < 3 { d.examples2021.append(code) }
            case .neither:
                d.unknown += 1
                if d.examplesUnknown.count < 3 { d.examplesUnknown.append(code) }
            }
        }
        return d
    }

    /// The set-aside reason for an area code that is not an English LSOA of the lists, or nil when it is one.
    ///
    /// Blank and `ZZ…` codes are no fixed abode; `W`, `S` and `95` codes are outside England; an
    /// `E01` code in neither list is unknown; anything else is not an area code.
    public func setAsideReason(_ code: String) -> SetAsideReason? {
        let trimmed = code.trimmingBlanks
        if trimmed.isEmpty || trimmed.hasPrefix("ZZ") { return .noFixedAbode }
        if trimmed.hasPrefix("W") || trimmed.hasPrefix("S") || trimmed.hasPrefix("95") || trimmed.hasPrefix("N") {
            return .outsideEngland
        }
        if membership(trimmed) != .neither { return nil }
        return Self.looksLikeLSOA(trimmed) ? .unknownArea : .malformedArea
    }

    /// Whether `code` has the form of an English LSOA code: `E01` and six digits.
    static func looksLikeLSOA(_ code: String) -> Bool {
        let u = Array(code.utf8)
        return u.count == 9 && u[0] == UInt8(ascii: "E") && u[1] == UInt8(ascii: "0") && u[2] == UInt8(ascii: "1")
            && u[3...].allSatisfy { $0 &- 48 < 10 }
    }
}

/// One row of the ONS 2011 → 2021 LSOA lookup, and the lookup read from its file.
struct LSOALookupTable {
    /// One 2011 → 2021 link.
    struct Row {
        var lsoa11: String
        var lsoa21: String
        var change: String
    }

    var rows: [Row]

    /// Reads `lsoa11_code`, `lsoa21_code` and `change_code` from the lookup file (plain or gzip).
    init(path: String) throws {
        let reader = try CSVReader(path: path)
        let from = try reader.header.requireIndex(of: "lsoa11_code")
        let to = try reader.header.requireIndex(of: "lsoa21_code")
        let change = reader.header.index(of: "change_code")
        var rows: [Row] = []
        rows.reserveCapacity(36_000)
        try reader.forEachRow { row in
            rows.append(Row(lsoa11: row[from], lsoa21: row[to], change: change.map { row[$0] } ?? ""))
        }
        self.rows = rows
    }
}

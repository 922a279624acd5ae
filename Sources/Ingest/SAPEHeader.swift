import Indicators

/// The layout of an ONS small-area population estimates (SAPE) file: one row per LSOA, one
/// column per sex and single year of age.
///
/// Two shapes are recognised from the header alone:
/// - 2021 style (mid-2022 estimates on): `LAD 2021 Code`, `LAD 2021 Name`, `LSOA 2021 Code`,
///   `LSOA 2021 Name`, `Total`, `F0` … `F90`, `M0` … `M90`, both sexes in one sheet; `F90` and
///   `M90` are ages 90 and over.
/// - 2011 style (mid-2011 to mid-2020): `Area Codes` or `LSOA Code`, a name, `All Ages`, `0` …
///   `89`, `90+`, one sheet (saved as one CSV) per sex, so the sex is given or read from the
///   file name (`…females…`, `…males…`, `…persons…`); or `F0` … `M90+` as above.
///
/// Column names are matched without regard to case, spaces or underscores. The LSOA edition is
/// read from the code column's name (`LSOA 2021 Code`, `LSOA21CD`), else left for the codes to
/// decide (`LSOAEditions.detect`). The estimate's year is given, or the first four-digit year
/// (1990–2099) in the file name (`sapelsoasyoa_mid2021_lsoa21.csv` is 2021).
public struct SAPEHeader: Sendable, Equatable {
    /// The column of LSOA codes.
    public let lsoaColumn: Int
    /// The edition the code column's name declares, if it declares one.
    public let vintage: LSOAVintage?
    /// The all-ages total column (`Total`, `All Ages`), if there is one.
    public let totalColumn: Int?
    /// The oldest age: its column holds that age and over (90).
    public let oldestAge: Int
    /// For each sex in the file, the column of each single year of age 0…`oldestAge`.
    public let columns: [SexCode: [Int]]
    /// The year of the estimates (mid-year), given or read from the file name.
    public let year: Int?

    /// The sexes the file has, male first.
    public var sexes: [SexCode] { SexCode.allCases.filter { columns[$0] != nil } }

    /// The column of `sex` at single year `age` (`oldestAge` for the open band), or nil.
    public func column(sex: SexCode, age: Int) -> Int? {
        guard let ages = columns[sex], ages.indices.contains(age) else { return nil }
        return ages[age]
    }

    /// The bands the columns are: `0`, `1`, …, `89`, `90+`.
    public var bands: [AgeBand] {
        (0...oldestAge).map { AgeBand(start: $0, end: $0 == oldestAge ? nil : $0) }
    }

    /// Recognises the layout of `header`.
    ///
    /// - Parameters:
    ///   - header: the column names of the file.
    ///   - fileName: the file's name, for the year and (2011 style) the sex of the sheet.
    ///   - year: the year of the estimates, when the name does not say it.
    ///   - sheetSex: the sex of a 2011-style sheet whose columns are bare ages.
    /// - Throws: `SAPEHeaderError` when there is no LSOA code column, no age columns, an age
    ///   missing or given twice for a sex, sexes with different oldest ages, or bare age columns
    ///   whose sex neither `sheetSex` nor the file name gives.
    /// - Complexity: O(columns).
    public static func detect(
        header: [String], fileName: String? = nil, year: Int? = nil, sheetSex: SexCode? = nil
    ) throws(SAPEHeaderError) -> SAPEHeader {
        let keys = header.map(key)
        let lsoaCandidates = keys.indices.filter { isLSOACode(keys[$0]) }
        let lsoa = lsoaCandidates.first ?? keys.firstIndex { $0 == "areacodes" || $0 == "areacode" }
        guard let lsoa else {
            throw SAPEHeaderError(
                "no LSOA code column (expected LSOA 2021 Code, LSOA Code, LSOA21CD or Area Codes; the columns are "
                    + "\(header.prefix(6).joined(separator: ", "))…)")
        }
        let vintage: LSOAVintage? =
            keys[lsoa].contains("2021") || keys[lsoa].contains("lsoa21")
            ? .lsoa2021 : (keys[lsoa].contains("2011") || keys[lsoa].contains("lsoa11") ? .lsoa2011 : nil)
        let total = keys.firstIndex { $0 == "total" || $0 == "allages" }

        var found: [SexCode: [Int: Int]] = [:]
        var open: [SexCode: Int] = [:]
        var bareSex: SexCode? = sheetSex
        for (i, k) in keys.enumerated() {
            guard let (sexLetter, age, isOpen) = ageColumn(k) else { continue }
            let sex: SexCode
            switch sexLetter {
            case "f": sex = .female
            case "m": sex = .male
            default:
                if bareSex == nil { bareSex = fileName.flatMap(sexFromName) }
                guard let s = bareSex else {
                    throw SAPEHeaderError(
                        "column \"\(header[i])\" is an age without a sex: say which sex this sheet holds "
                            + "(e.g. name the file …_females.csv), or use F0…F90 and M0…M90 columns")
                }
                sex = s
            }
            if found[sex, default: [:]][age] != nil {
                throw SAPEHeaderError("age \(age) appears twice for \(sex) (column \"\(header[i])\")")
            }
            found[sex, default: [:]][age] = i
            if isOpen { open[sex] = age }
        }
        guard !found.isEmpty else {
            throw SAPEHeaderError("no single-year age columns (expected F0…F90 and M0…M90, or 0…90+)")
        }
        var columns: [SexCode: [Int]] = [:]
        var oldest: Int?
        for (sex, ages) in found {
            let top = ages.keys.max()!
            if let o = open[sex], o != top {
                throw SAPEHeaderError("\(sex): the open age \(o)+ is not the oldest column (there is an age \(top))")
            }
            if let oldest, oldest != top {
                throw SAPEHeaderError("the sexes end at different ages (\(oldest) and \(top)): each sex needs 0…\(oldest)")
            }
            oldest = top
            var list: [Int] = []
            for age in 0...top {
                guard let c = ages[age] else {
                    throw SAPEHeaderError("\(sex): no column for age \(age) (ages 0…\(top) must all be there)")
                }
                list.append(c)
            }
            columns[sex] = list
        }
        return SAPEHeader(
            lsoaColumn: lsoa, vintage: vintage, totalColumn: total, oldestAge: oldest!, columns: columns,
            year: year ?? fileName.flatMap(yearFromName))
    }

    /// The first four-digit year from 1990 to 2099 in `name` that does not follow another digit.
    public static func yearFromName(_ name: String) -> Int? {
        let base = name.split(separator: "/").last.map(String.init) ?? name
        let u = Array(base.utf8)
        guard u.count >= 4 else { return nil }
        for i in 0...(u.count - 4) where i == 0 || u[i - 1] &- 48 >= 10 {
            let digits = u[i..<(i + 4)]
            guard digits.allSatisfy({ $0 &- 48 < 10 }) else { continue }
            let y = digits.reduce(0) { $0 * 10 + Int($1 - 48) }
            if (1990...2099).contains(y) { return y }
        }
        return nil
    }

    /// The sex a file name gives (`females` before `males`, as one contains the other).
    static func sexFromName(_ name: String) -> SexCode? {
        let base = (name.split(separator: "/").last.map(String.init) ?? name).lowercased()
        if base.contains("female") { return .female }
        if base.contains("male") { return .male }
        if base.contains("persons") || base.contains("people") { return .persons }
        return nil
    }

    /// A column name lower-cased, without spaces, underscores or hyphens.
    private static func key(_ name: String) -> String {
        String(
            name.lowercased().unicodeScalars.filter {
                !$0.properties.isWhitespace && $0 != "_" && $0 != "-" && $0 != "\u{FEFF}"
            })
    }

    /// `lsoa2021code`, `lsoacode`, `lsoa21cd`, `lsoa11cd`: an LSOA code column.
    private static func isLSOACode(_ key: String) -> Bool {
        key.hasPrefix("lsoa") && (key.hasSuffix("code") || key.hasSuffix("cd"))
    }

    /// `f45` → (f, 45, false); `m90+` → (m, 90, true); `90+` → ("", 90, true); `7` → ("", 7, false).
    private static func ageColumn(_ key: String) -> (Character, Int, Bool)? {
        var s = Substring(key)
        var sex: Character = " "
        if let first = s.first, first == "f" || first == "m" {
            sex = first
            s = s.dropFirst()
        }
        var isOpen = false
        if s.hasSuffix("+") {
            isOpen = true
            s = s.dropLast()
        }
        guard (1...3).contains(s.count), s.allSatisfy({ $0.isASCII && $0.isNumber }), let age = Int(s),
            age <= ONSAgeLabel.maximumAge
        else { return nil }
        return (sex, age, isOpen)
    }
}

/// A header that is not a recognisable SAPE layout, with what is missing.
public struct SAPEHeaderError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What is wrong and what the file needs.
    public var message: String

    /// Creates the error.
    public init(_ message: String) { self.message = message }

    /// The message, prefixed with what was being read.
    public var description: String { "population estimates header: \(message)" }
}

import CSVStream
import Indicators

// Reading Fingertips data as it downloads. The website's export has 26 columns; newer exports
// have 27 (`Column not used` where the region comparison was, and `Time period range` at the
// end); files renamed by hand or by fingertipsR write the same names with underscores or in
// CamelCase. Columns are therefore found by name, compared as lower-case letters and digits
// only (`Lower CI 95.0 limit`, `Lower_CI_95.0_limit` and `LowerCI95.0limit` are one column),
// never by position. Some exports drop the trailing empty field on every row; the reader lets
// a record end early only where every column it lacks is one of the trailing remarks
// (`Compared to goal`, `New data`, …), never a value, limit, period or key.
//
// The tidy format is this project's own long layout, one value per row: indicator, area, sex,
// age, period, value, lower95, upper95 and optionally the 99.8% limits, count, denominator and
// breakdown.

/// The column layout of a file read by ``FingertipsExport`` (METHODS.md §11, §12 inputs).
public enum FingertipsLayout: String, Sendable, CaseIterable {
    /// The website's 26-column export (also with underscored or CamelCase names).
    case export26 = "fingertips_export_26"
    /// The newer 27-column export: `Column not used` and `Time period range`.
    case export27 = "fingertips_export_27"
    /// The tidy format: indicator, area, sex, age, period, value, lower95, upper95, lower99_8, upper99_8.
    case tidy
}

/// A deprivation quantile named by a Fingertips category, 1 the most deprived (METHODS.md §0, §7).
public struct DeprivationCategory: Equatable, Sendable {
    /// The quantile, from 1 (most deprived) to `quantiles`.
    public var quantile: Int
    /// 10 for deciles, 5 for quintiles.
    public var quantiles: Int

    /// Creates a category (METHODS.md §7).
    public init(quantile: Int, quantiles: Int) {
        self.quantile = quantile
        self.quantiles = quantiles
    }

    /// Reads a Fingertips category such as `Second most deprived decile (IMD2019)`; nil otherwise (METHODS.md §7).
    ///
    /// Deciles: Most, Second most, Third more, Fourth more, Fifth more, Fifth less, Fourth less,
    /// Third less, Second least, Least deprived. Quintiles: Most, Second most, Middle (or Third),
    /// Second least, Least deprived.
    public init?(category: String) {
        let words = category.lowercased().split(whereSeparator: { $0 == " " || $0 == "(" }).map(String.init)
        let quantiles: Int
        if words.contains("decile") {
            quantiles = 10
        } else if words.contains("quintile") {
            quantiles = 5
        } else {
            return nil
        }
        let deciles: [String: Int] = [
            "most deprived": 1, "second most": 2, "third more": 3, "fourth more": 4, "fifth more": 5,
            "fifth less": 6, "fourth less": 7, "third less": 8, "second least": 9, "least deprived": 10,
        ]
        let quintiles: [String: Int] = [
            "most deprived": 1, "second most": 2, "middle quintile": 3, "third most": 3, "third more": 3,
            "third less": 3, "second least": 4, "least deprived": 5,
        ]
        guard words.count >= 2 else { return nil }
        let key = words[0] + " " + words[1]
        guard let q = (quantiles == 10 ? deciles : quintiles)[key] else { return nil }
        self.quantile = q
        self.quantiles = quantiles
    }
}

/// One row of a Fingertips export or tidy file, with its period parsed and numbers read (METHODS.md §11, §12 inputs).
public struct FingertipsRecord: Equatable, Sendable {
    /// The physical line (from 1, the header is line 1) where the record starts.
    public var line: Int
    /// `Indicator ID` (tidy: `indicator`), as written.
    public var indicatorID: String
    /// `Indicator Name`, verbatim (double and trailing spaces and line breaks kept); nil in the tidy format.
    public var indicatorName: String?
    /// `Parent Code`; nil when empty.
    public var parentCode: String?
    /// `Parent Name`; nil when empty.
    public var parentName: String?
    /// `Area Code` (tidy: `area`).
    public var areaCode: String
    /// `Area Name`; nil when empty or absent.
    public var areaName: String?
    /// `Area Type` (`County & UA`, `Region`, `England`, …); nil when empty or absent.
    public var areaType: String?
    /// `Sex` (`Persons`, `Male`, `Female`).
    public var sex: String
    /// `Age` (`18+ yrs`, `All ages`, …).
    public var age: String
    /// `Category Type` of a breakdown row (`… deprivation deciles in England (IMD2019 …)`); nil for a headline row.
    public var categoryType: String?
    /// `Category` of a breakdown row (`Most deprived decile (IMD2019)`); nil for a headline row.
    public var category: String?
    /// `Time period`, parsed.
    public var period: ReportingPeriod
    /// `Value`; nil when empty.
    public var value: Double?
    /// `Lower CI 95.0 limit`; nil when empty.
    public var lower95: Double?
    /// `Upper CI 95.0 limit`; nil when empty.
    public var upper95: Double?
    /// `Lower CI 99.8 limit`; nil when empty.
    public var lower99_8: Double?
    /// `Upper CI 99.8 limit`; nil when empty.
    public var upper99_8: Double?
    /// `Count` (may be fractional for modelled values); nil when empty.
    public var count: Double?
    /// `Denominator`; nil when empty.
    public var denominator: Double?
    /// `Value note` (tidy: `note`); nil when empty.
    public var valueNote: String?
    /// `Recent Trend` as Fingertips printed it; nil when empty.
    public var recentTrend: String?
    /// `Compared to England value or percentiles`; nil when empty.
    public var comparedToEngland: String?
    /// `Compared to Region value or percentiles` (absent in the 27-column export); nil when empty.
    public var comparedToRegion: String?
    /// `Compared to goal`; nil when empty or absent.
    public var comparedToGoal: String?
    /// `Time period range` (`1y`, `3y`; 27-column export only); nil when empty or absent.
    public var timePeriodRange: String?

    /// The deprivation quantile of a deprivation breakdown row; nil for other rows.
    public var deprivation: DeprivationCategory? {
        guard let categoryType, categoryType.lowercased().contains("depriv"), let category else { return nil }
        return DeprivationCategory(category: category)
    }
}

/// Why a Fingertips export cannot be read, with the file, line, column and value (METHODS.md §0).
public enum FingertipsExportError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A CSV problem, or a field that is not a number, period or required text, located as `CSVError` locates it.
    case csv(CSVError)
    /// The header is neither a Fingertips export nor the tidy format: the columns missing and not recognised.
    case unknownLayout(file: String, header: [String], missing: [String], unrecognised: [String])

    /// The file the error is about.
    public var file: String {
        switch self {
        case .csv(let error): return error.file
        case .unknownLayout(let file, _, _, _): return file
        }
    }

    /// The physical line the error is about, when there is one.
    public var line: Int? {
        switch self {
        case .csv(let error): return error.line
        case .unknownLayout: return 1
        }
    }

    /// One sentence naming the file, line, column and offending text, and what to do.
    public var description: String {
        switch self {
        case .csv(let error):
            return error.description
        case .unknownLayout(let file, let header, let missing, let unrecognised):
            var parts: [String] = []
            if !missing.isEmpty { parts.append("no column " + missing.map(quoted).joined(separator: ", ")) }
            if !unrecognised.isEmpty {
                parts.append("unrecognised column " + unrecognised.map(quoted).joined(separator: ", "))
            }
            let kind =
                header.contains(where: { FingertipsExport.key($0) == "indicatorid" })
                ? "a Fingertips export" : "the tidy format"
            return "\(file):1: the header is not \(kind): " + parts.joined(separator: "; ")
                + ". Give a Fingertips data export as downloaded (26 or 27 columns) or the tidy format "
                + "(indicator, area, sex, age, period, value, lower95, upper95, lower99_8, upper99_8)"
        }
    }
}

private func quoted(_ s: String) -> String { "\"\(s)\"" }

/// A streaming reader of Fingertips data exports and the tidy format (METHODS.md §11, §12 inputs).
///
/// ```swift
/// let export = try FingertipsExport(path: "indicators-CountyUA.data.csv")
/// while let record = try export.next() { … record.period, record.value, record.lower95 … }
/// ```
///
/// Accepts what the downloads contain: a byte-order mark, quoted fields with commas and line
/// breaks, LF or CRLF records, rows one trailing remark short of the header, periods such as
/// `2021`, `2015 - 17`, `2018/19`, `2019/20 - 21/22`, `2022 Q1`, and empty cells for missing
/// values. A split year is read as a financial year unless `splitYears` says academic.
/// Source of the format: Fingertips data downloads (fingertips.phe.org.uk), Crown copyright, OGL v3.
public final class FingertipsExport {
    /// The file's path, or the name given for in-memory input.
    public let file: String
    /// The layout recognised from the header.
    public let layout: FingertipsLayout
    /// The header as read.
    public var header: [String] { reader.header.names }

    private let reader: CSVReader
    private let splitYears: ReportingPeriod.Kind
    private let columns: [Field: Int]

    /// Opens the export at `path` (plain or gzip) and recognises its layout (METHODS.md §0 missing values).
    ///
    /// - Throws: `FingertipsExportError.csv` when the file cannot be read, `.unknownLayout` when
    ///   the header is neither layout.
    public convenience init(path: String, splitYears: ReportingPeriod.Kind = .financial) throws(FingertipsExportError) {
        let reader: CSVReader
        do {
            reader = try CSVReader(path: path, options: Self.csvOptions)
        } catch {
            throw Self.wrap(error, file: path)
        }
        try self.init(reader: reader, splitYears: splitYears)
    }

    /// Reads an export held in a string; `name` stands for the file in errors (METHODS.md §0).
    ///
    /// - Throws: as ``init(path:splitYears:)``.
    public convenience init(
        string: String, name: String = "<memory>", splitYears: ReportingPeriod.Kind = .financial
    ) throws(FingertipsExportError) {
        let reader: CSVReader
        do {
            reader = try CSVReader(string: string, name: name, options: Self.csvOptions)
        } catch {
            throw Self.wrap(error, file: name)
        }
        try self.init(reader: reader, splitYears: splitYears)
    }

    private init(reader: CSVReader, splitYears: ReportingPeriod.Kind) throws(FingertipsExportError) {
        self.reader = reader
        self.file = reader.file
        self.splitYears = splitYears
        (self.layout, self.columns) = try Self.recognise(reader.header.names, file: reader.file)
    }

    /// Reads every record of the file at `path` (METHODS.md §0).
    ///
    /// - Throws: the errors of ``init(path:splitYears:)`` and ``next()``.
    /// - Complexity: O(*n*) time and memory in the file's size.
    public static func readAll(
        path: String, splitYears: ReportingPeriod.Kind = .financial
    ) throws(FingertipsExportError) -> [FingertipsRecord] {
        let export = try FingertipsExport(path: path, splitYears: splitYears)
        var records: [FingertipsRecord] = []
        while let record = try export.next() { records.append(record) }
        return records
    }

    /// The next record, or nil at the end of the file (METHODS.md §0: empty cells are missing values).
    ///
    /// - Throws: `FingertipsExportError.csv` with the line, column and text for a malformed
    ///   record (`wrongFieldCount` for one short of a required column), a number that does not
    ///   parse (`badNumber`), an unparseable period or an empty key field (`invalidValue`).
    /// - Complexity: O(*n*) in the record's length.
    public func next() throws(FingertipsExportError) -> FingertipsRecord? {
        let row: CSVRow
        do {
            guard let next = try reader.nextRow() else { return nil }
            row = next
        } catch {
            throw Self.wrap(error, file: file)
        }
        if row.fieldsInRecord < row.count {
            // A short record may lack only trailing remarks, never data.
            let lacking = columns.filter { $0.value >= row.fieldsInRecord && !$0.key.mayBeAbsent }
            if !lacking.isEmpty {
                throw .csv(
                    .wrongFieldCount(file: file, line: row.line, expected: row.count, found: row.fieldsInRecord))
            }
        }
        do {
            return try record(row)
        } catch {
            throw Self.wrap(error, file: file)
        }
    }

    private func record(_ row: CSVRow) throws -> FingertipsRecord {
        func text(_ field: Field) -> String? {
            guard let i = columns[field] else { return nil }
            let s = row[i]
            return s.allSatisfy({ $0 == " " || $0 == "\t" }) ? nil : s
        }
        func required(_ field: Field, _ what: String) throws -> String {
            guard let i = columns[field] else { return "" }
            guard let s = text(field) else { throw row.invalidValue(i, expected: what) }
            return s.trimmingWhitespaceAndNewlines()
        }
        func number(_ field: Field) throws -> Double? {
            guard let i = columns[field] else { return nil }
            return try row.double(i)
        }
        let periodColumn = columns[.period] ?? 0
        let periodText = try required(.period, "a time period")
        let period: ReportingPeriod
        do {
            period = try ReportingPeriod(periodText, splitYears: splitYears)
        } catch {
            throw row.invalidValue(
                periodColumn,
                expected: "a time period such as 2021, 2020 - 22, 2021/22, 2019/20 - 21/22 or 2022 Q1 (\(error.reason))")
        }
        return FingertipsRecord(
            line: row.line,
            indicatorID: try required(.indicatorID, "an indicator ID"),
            indicatorName: text(.indicatorName),
            parentCode: text(.parentCode),
            parentName: text(.parentName),
            areaCode: try required(.areaCode, "an area code"),
            areaName: text(.areaName),
            areaType: text(.areaType),
            sex: try required(.sex, "a sex (Persons, Male, Female)"),
            age: try required(.age, "an age (such as All ages or 18+ yrs)"),
            categoryType: text(.categoryType),
            category: text(.category),
            period: period,
            value: try number(.value),
            lower95: try number(.lower95),
            upper95: try number(.upper95),
            lower99_8: try number(.lower99_8),
            upper99_8: try number(.upper99_8),
            count: try number(.count),
            denominator: try number(.denominator),
            valueNote: text(.valueNote),
            recentTrend: text(.recentTrend),
            comparedToEngland: text(.comparedToEngland),
            comparedToRegion: text(.comparedToRegion),
            comparedToGoal: text(.comparedToGoal),
            timePeriodRange: text(.timePeriodRange))
    }

    // MARK: - Layouts

    /// The reader's CSV settings: short records are allowed here and checked column by column in `next()`.
    private static let csvOptions = CSVReader.Options(allowsShortRecords: true)

    /// Every column either layout may have.
    enum Field: CaseIterable {
        case indicatorID, indicatorName, parentCode, parentName, areaCode, areaName, areaType, sex, age
        case categoryType, category, period, value, lower95, upper95, lower99_8, upper99_8, count, denominator
        case valueNote, recentTrend, comparedToEngland, comparedToRegion, columnNotUsed, periodSortable
        case newData, comparedToGoal, timePeriodRange

        /// Trailing remarks a short record may lack.
        var mayBeAbsent: Bool {
            switch self {
            case .valueNote, .recentTrend, .comparedToEngland, .comparedToRegion, .columnNotUsed, .periodSortable,
                .newData, .comparedToGoal, .timePeriodRange:
                return true
            default:
                return false
            }
        }
    }

    /// The export's columns by key (see `key(_:)`); all are required except those in `exportOptional`.
    private static let exportColumns: [(String, Field)] = [
        ("indicatorid", .indicatorID), ("indicatorname", .indicatorName), ("parentcode", .parentCode),
        ("parentname", .parentName), ("areacode", .areaCode), ("areaname", .areaName), ("areatype", .areaType),
        ("sex", .sex), ("age", .age), ("categorytype", .categoryType), ("category", .category),
        ("timeperiod", .period), ("value", .value), ("lowerci950limit", .lower95), ("upperci950limit", .upper95),
        ("lowerci998limit", .lower99_8), ("upperci998limit", .upper99_8), ("count", .count),
        ("denominator", .denominator), ("valuenote", .valueNote), ("recenttrend", .recentTrend),
        ("comparedtoenglandvalueorpercentiles", .comparedToEngland),
        ("comparedtoregionvalueorpercentiles", .comparedToRegion), ("columnnotused", .columnNotUsed),
        ("timeperiodsortable", .periodSortable), ("newdata", .newData), ("comparedtogoal", .comparedToGoal),
        ("timeperiodrange", .timePeriodRange),
    ]

    /// The tidy format's columns by key, with the names that mean each; the first ten are required.
    private static let tidyColumns: [([String], Field, Bool)] = [
        (["indicator", "indicatorid"], .indicatorID, true), (["area", "areacode"], .areaCode, true),
        (["sex"], .sex, true), (["age"], .age, true), (["period", "timeperiod"], .period, true),
        (["value"], .value, true), (["lower95", "lower950cl"], .lower95, true),
        (["upper95", "upper950cl"], .upper95, true), (["lower998", "lower998cl"], .lower99_8, false),
        (["upper998", "upper998cl"], .upper99_8, false), (["indicatorname"], .indicatorName, false),
        (["areaname"], .areaName, false), (["areatype"], .areaType, false),
        (["categorytype"], .categoryType, false), (["category"], .category, false), (["count"], .count, false),
        (["denominator"], .denominator, false), (["note", "valuenote"], .valueNote, false),
    ]

    /// A column name as compared: lower-case ASCII letters and digits only (`Lower_CI_95.0_limit` → `lowerci950limit`).
    static func key(_ name: String) -> String {
        String(
            String.UnicodeScalarView(
                name.lowercased().unicodeScalars.filter { ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0) }
            ))
    }

    /// The layout and the column of each field, or `unknownLayout` naming what is missing and not recognised.
    private static func recognise(
        _ names: [String], file: String
    ) throws(FingertipsExportError) -> (FingertipsLayout, [Field: Int]) {
        let keys = names.map(key)
        var columns: [Field: Int] = [:]
        var unrecognised: [String] = []
        var missing: [String] = []
        if keys.contains("indicatorid") {
            let byKey = Dictionary(exportColumns, uniquingKeysWith: { a, _ in a })
            for (i, k) in keys.enumerated() {
                if let field = byKey[k], columns[field] == nil { columns[field] = i } else { unrecognised.append(names[i]) }
            }
            let standard = [
                "Indicator ID", "Indicator Name", "Parent Code", "Parent Name", "Area Code", "Area Name",
                "Area Type", "Sex", "Age", "Category Type", "Category", "Time period", "Value", "Lower CI 95.0 limit",
                "Upper CI 95.0 limit", "Lower CI 99.8 limit", "Upper CI 99.8 limit", "Count", "Denominator",
                "Value note", "Recent Trend", "Compared to England value or percentiles",
                "Compared to Region value or percentiles", "Time period Sortable", "New data", "Compared to goal",
            ]
            for name in standard where byKey[key(name)].map({ columns[$0] == nil }) ?? true {
                // The 27-column export has `Column not used` where the region comparison was.
                if name.hasPrefix("Compared to Region"), columns[.columnNotUsed] != nil { continue }
                missing.append(name)
            }
            guard missing.isEmpty, unrecognised.isEmpty else {
                throw .unknownLayout(file: file, header: names, missing: missing, unrecognised: unrecognised)
            }
            let wide = columns[.columnNotUsed] != nil || columns[.timePeriodRange] != nil
            return (wide ? .export27 : .export26, columns)
        }
        for (i, k) in keys.enumerated() {
            if let entry = tidyColumns.first(where: { $0.0.contains(k) }), columns[entry.1] == nil {
                columns[entry.1] = i
            } else {
                unrecognised.append(names[i])
            }
        }
        for (aliases, field, isRequired) in tidyColumns where isRequired && columns[field] == nil {
            missing.append(aliases[0] == "lower998" ? "lower99_8" : aliases[0])
        }
        if (columns[.lower99_8] == nil) != (columns[.upper99_8] == nil) {
            missing.append(columns[.lower99_8] == nil ? "lower99_8" : "upper99_8")
        }
        guard missing.isEmpty, unrecognised.isEmpty else {
            throw .unknownLayout(file: file, header: names, missing: missing, unrecognised: unrecognised)
        }
        return (.tidy, columns)
    }

    /// A thrown error as this reader's error type (CSV errors are wrapped; nothing else is thrown below).
    private static func wrap(_ error: any Error, file: String) -> FingertipsExportError {
        if let e = error as? FingertipsExportError { return e }
        if let e = error as? CSVError { return .csv(e) }
        return .csv(.cannotOpen(file: file, reason: "\(error)"))
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks.
    fileprivate func trimmingWhitespaceAndNewlines() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}

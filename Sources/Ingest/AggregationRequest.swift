import Areas
import CSVStream

/// A key an aggregation groups by (`--by`); the output has one column per key, named after it.
public enum AggregationKey: String, Sendable, CaseIterable {
    /// LSOA code.
    case lsoa
    /// Ward code (followed by `ward_name`).
    case ward
    /// Local authority district code (followed by `la_name`).
    case la
    /// Place code, the Place's district code (followed by `place_name`); Cheshire and Merseyside only.
    case place
    /// Integrated care board code (followed by `icb_name`); Cheshire and Merseyside only.
    case icb
    /// Region code (followed by `region_name`).
    case region
    /// National IMD decile, 1 = most deprived.
    case decile
    /// National IMD quintile, 1 = most deprived.
    case quintile
    /// Decile within the `--local-within` area (METHODS.md §7); empty where the area is too small.
    case localDecile = "local_decile"
    /// Quintile within the `--local-within` area; empty where the area is too small.
    case localQuintile = "local_quintile"
    /// `core20` (national deciles 1–2) or `rest`.
    case core20
    /// `Male` or `Female`.
    case sex
    /// The age band (method bands with `--bands le|esp2013`, else the input's).
    case ageBand = "age_band"
    /// The calendar year.
    case year
    /// A rolling period of `--period-length` years, labelled `2018-2020`.
    case period

    /// Whether the key is a property of the LSOA (geography or deprivation).
    public var isAreaKey: Bool {
        switch self {
        case .sex, .ageBand, .year, .period: return false
        default: return true
        }
    }

    /// The output columns of this key: the code, then a name column for named areas.
    public var columns: [String] {
        switch self {
        case .ward, .la, .place, .icb, .region: return [rawValue, rawValue + "_name"]
        default: return [rawValue]
        }
    }

    /// Parses a comma-separated `--by` list.
    ///
    /// - Throws: `InputError.usage` for an unknown or repeated key, or an empty list.
    public static func parseList(_ text: String) throws(InputError) -> [AggregationKey] {
        let names = text.split(separator: ",").map { $0.trimming(" \t") }.filter { !$0.isEmpty }
        guard !names.isEmpty else { throw .usage("--by needs at least one key, e.g. la,decile,sex,age_band,year") }
        var keys: [AggregationKey] = []
        for name in names {
            guard let key = AggregationKey(rawValue: name.lowercased()) else {
                let all = AggregationKey.allCases.map(\.rawValue).joined(separator: ", ")
                throw .usage("--by: '\(name)' is not a key; the keys are \(all)")
            }
            guard !keys.contains(key) else { throw .usage("--by: '\(name)' is given twice") }
            keys.append(key)
        }
        return keys
    }
}

extension Substring {
    /// The text without leading and trailing characters in `set`.
    fileprivate func trimming(_ set: String) -> String {
        var s = self
        while let c = s.first, set.contains(c) { s.removeFirst() }
        while let c = s.last, set.contains(c) { s.removeLast() }
        return String(s)
    }
}

/// What an aggregation does with a bad row (`--on-error`).
public enum RowErrorPolicy: String, Sendable, CaseIterable {
    /// Stop at the first problem, write nothing, exit 65.
    case fail
    /// Write each bad row with its reason to the rejects file and go on.
    case reject
}

/// The input column names of a counts file (defaults: the header `healthgap synth` writes).
public struct CountColumns: Sendable, Equatable {
    /// LSOA code column (default `lsoa_code`; also found as `lsoa11_code`, `lsoa21_code`, `lsoa`).
    public var lsoa: String?
    /// Year column (default `year`).
    public var year: String?
    /// Sex column (default `sex`).
    public var sex: String?
    /// Age or age band column (default `age_band`; also `age`, `ageband`, `age_group`).
    public var age: String?
    /// Population column (default `population`; also `pop`).
    public var population: String?
    /// Deaths column (default `deaths`).
    public var deaths: String?
    /// More count columns summed beside population and deaths, by name, in this order (deaths by
    /// cause for a gap decomposition); each must be in the header, with a count of 0 or more on
    /// every row.
    public var extra: [String] = []

    /// A key or count column's default name and the other names it is found under (case and spaces
    /// ignored): the one list the ingest engine and `plan check` both read.
    public static let defaults: [Key: (name: String, aliases: [String])] = [
        .lsoa: ("lsoa_code", ["lsoa11_code", "lsoa21_code", "lsoa", "LSOA code (2011)", "lsoa11cd"]),
        .year: ("year", []),
        .sex: ("sex", []),
        .age: ("age_band", ["age", "ageband", "age_group"]),
        .population: ("population", ["pop"]),
        .deaths: ("deaths", []),
    ]

    /// The columns of a counts file.
    public enum Key: String, Sendable, CaseIterable {
        case lsoa, year, sex, age, population, deaths
    }

    /// The name given for `key`, or nil for its default.
    public func given(_ key: Key) -> String? {
        switch key {
        case .lsoa: return lsoa
        case .year: return year
        case .sex: return sex
        case .age: return age
        case .population: return population
        case .deaths: return deaths
        }
    }

    /// The position of `key`'s column in `header`: the given name, else the default or an alias.
    public func index(of key: Key, in header: CSVHeader) -> Int? {
        if let name = given(key) { return header.index(of: name) }
        let d = Self.defaults[key]!
        return header.index(of: d.name, aliases: d.aliases)
    }

    /// Column names; nil means the default name and its aliases.
    public init(
        lsoa: String? = nil, year: String? = nil, sex: String? = nil, age: String? = nil, population: String? = nil,
        deaths: String? = nil
    ) {
        self.lsoa = lsoa
        self.year = year
        self.sex = sex
        self.age = age
        self.population = population
        self.deaths = deaths
    }
}

/// Everything `healthgap aggregate` needs to know.
public struct AggregationRequest: Sendable {
    /// The counts file (plain or `.csv.gz`).
    public var counts: String
    /// `imd2019` or the path of another IMD-like file.
    public var deprivation: String = "imd2019"
    /// The keys, in output column order.
    public var by: [AggregationKey]
    /// Where to write the result (nil or `-`: standard output).
    public var output: String?
    /// What to do with bad rows.
    public var onError: RowErrorPolicy = .fail
    /// Where rejected rows go (required with `.reject`).
    public var rejects: String?
    /// Parsing threads (plain files only; gzip input is inflated on a second thread regardless).
    public var threads: Int = 1
    /// The age bands to sum into.
    public var bands: BandScheme = .input
    /// Years per rolling period (required by, and only with, the `period` key).
    public var periodLength: Int?
    /// The areas local quantiles are cut within.
    public var localWithin: AreaLevel = .la
    /// Input column names.
    public var columns = CountColumns()
    /// Where the IMD and lookup files are.
    public var data: DataDirectory
    /// Plain files at least this large are parsed in parallel blocks (tests lower it to exercise that path).
    public var parallelMinimumBytes = 8 << 20
    /// Bytes per parallel block (tests lower it).
    public var parallelBlockBytes = 4 << 20

    /// Creates a request with the defaults above.
    public init(counts: String, by: [AggregationKey], output: String?, data: DataDirectory) {
        self.counts = counts
        self.by = by
        self.output = output
        self.data = data
    }

    /// Checks the options that depend on each other.
    ///
    /// - Throws: `InputError.usage` naming the option to fix.
    public func validate() throws(InputError) {
        if by.contains(.period) {
            guard let periodLength else { throw .usage("--by period needs --period-length N (e.g. 3 for 2018-2020)") }
            guard periodLength >= 1 else { throw .usage("--period-length must be at least 1") }
            guard !by.contains(.year) else { throw .usage("--by cannot have both year and period") }
        } else if periodLength != nil {
            throw .usage("--period-length needs the period key in --by")
        }
        if onError == .reject && rejects == nil {
            throw .usage("--on-error reject needs --rejects FILE for the rejected rows")
        }
        if onError == .fail && rejects != nil {
            throw .usage("--rejects is used only with --on-error reject")
        }
        guard threads >= 1 else { throw .usage("--threads must be at least 1") }
    }
}

/// What an aggregation did.
public struct AggregationSummary: Sendable, Equatable {
    /// Data rows read (accepted + rejected).
    public var rowsRead: Int
    /// Rows summed into the output.
    public var accepted: Int
    /// Rows written to the rejects file.
    public var rejected: Int
    /// Rows written to the output.
    public var outputRows: Int
    /// Warnings for standard error (areas too small for local quantiles, …).
    public var warnings: [String]
    /// Whether the file was parsed on several threads.
    public var parallel: Bool
}

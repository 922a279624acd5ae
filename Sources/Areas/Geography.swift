import CSVStream

/// An area with an ONS code and a name (a ward, region, combined authority, Place or ICB).
public struct NamedArea: Sendable, Hashable {
    /// The ONS code, e.g. `E12000002`.
    public let code: String
    /// The name, e.g. `North West`.
    public let name: String

    /// Creates an area.
    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }
}

/// A local authority district and the larger areas it belongs to (indices into `Geography`'s lists).
public struct LocalAuthority: Sendable, Hashable {
    /// The district code, e.g. `E08000012`.
    public let code: String
    /// The district name, e.g. `Liverpool`.
    public let name: String
    /// Its region (index into `Geography.regions`), when the lookup has it.
    public let region: Int?
    /// Its combined authority (index into `Geography.combinedAuthorities`), when it is in one.
    public let combinedAuthority: Int?
    /// Its Place (index into `Geography.places`): only the nine Cheshire and Merseyside districts have one.
    public let place: Int?
    /// Its integrated care board (index into `Geography.icbs`): only in Cheshire and Merseyside.
    public let icb: Int?
}

/// The geography of one LSOA vintage: LSOA → ward and local authority, and each local authority's
/// region, combined authority, Place and ICB (Place and ICB for Cheshire and Merseyside only).
///
/// Every list is sorted by code, so an index orders like its code. Loaded from the lookup files in
/// `Data/lookups/` (see its README); another vintage is other files, not other code.
public struct Geography: Sendable {
    /// The LSOAs (sorted by code) and their dense index.
    public let lsoas: LSOAIndex
    /// LSOA names, by dense index.
    public let lsoaNames: [String]
    /// Each LSOA's ward (index into `wards`).
    public let wardOfLSOA: [Int32]
    /// Each LSOA's local authority (index into `localAuthorities`).
    public let authorityOfLSOA: [Int32]
    /// Wards, sorted by code.
    public let wards: [NamedArea]
    /// Local authority districts, sorted by code.
    public let localAuthorities: [LocalAuthority]
    /// Regions, sorted by code.
    public let regions: [NamedArea]
    /// Combined authorities, sorted by code.
    public let combinedAuthorities: [NamedArea]
    /// Places, sorted by code; a Place's code is its local authority's code.
    public let places: [NamedArea]
    /// Integrated care boards, sorted by code.
    public let icbs: [NamedArea]
    /// The files the lookups came from (for messages).
    public let sources: Sources

    /// The paths of the three lookup files.
    public struct Sources: Sendable, Equatable {
        /// LSOA → ward → local authority (`lsoa11_ward19.csv.gz`).
        public var wards: String
        /// Local authority → region, combined authority (`lad19_region_combined_authority.csv`).
        public var authorities: String
        /// Local authority → Place, ICB for Cheshire and Merseyside (`cheshire_and_merseyside_places.csv`).
        public var places: String

        /// The files as `Data/lookups/` holds them for 2011 LSOAs and 2019 districts.
        public init(data: DataDirectory) {
            wards = data.file("lookups/lsoa11_ward19.csv.gz")
            authorities = data.file("lookups/lad19_region_combined_authority.csv")
            places = data.file("lookups/cheshire_and_merseyside_places.csv")
        }

        /// Files at the given paths.
        public init(wards: String, authorities: String, places: String) {
            self.wards = wards
            self.authorities = authorities
            self.places = places
        }
    }

    /// The number of LSOAs.
    public var lsoaCount: Int { lsoas.count }

    /// Loads the 2011-LSOA / 2019-district lookups from a data directory.
    ///
    /// - Throws: `InputError.csv` for an unreadable or malformed file or a repeated LSOA.
    /// - Complexity: O(n log n) in the number of LSOAs.
    public static func load(data: DataDirectory) throws(InputError) -> Geography {
        try load(Sources(data: data))
    }

    /// Loads the lookups from the given files.
    ///
    /// - Throws: `InputError.csv` for an unreadable or malformed file or a repeated LSOA.
    /// - Complexity: O(n log n) in the number of LSOAs.
    public static func load(_ sources: Sources) throws(InputError) -> Geography {
        do {
            return try loadThrowing(sources)
        } catch {
            throw InputError.from(error)
        }
    }

    private static func loadThrowing(_ sources: Sources) throws -> Geography {
        // Local authority → region and combined authority.
        var regionNames: [String: String] = [:]
        var caNames: [String: String] = [:]
        var laRows: [(code: String, name: String, region: String, ca: String)] = []
        do {
            let reader = try CSVReader(path: sources.authorities)
            let code = try reader.header.requireIndex(
                of: "lad19_code", aliases: ["lad_code", "la_code", "lad21_code", "lad23_code"])
            let name = try reader.header.requireIndex(
                of: "lad19_name", aliases: ["lad_name", "la_name", "lad21_name", "lad23_name"])
            let region = try reader.header.requireIndex(of: "region_code")
            let regionName = try reader.header.requireIndex(of: "region_name")
            let ca = try reader.header.requireIndex(of: "combined_authority_code")
            let caName = try reader.header.requireIndex(of: "combined_authority_name")
            try reader.forEachRow { row in
                let r = row[region], c = row[ca]
                if !r.isEmpty { regionNames[r] = row[regionName] }
                if !c.isEmpty { caNames[c] = row[caName] }
                laRows.append((row[code], row[name], r, c))
            }
        }
        // Local authority → Place and ICB (Cheshire and Merseyside).
        var placeOf: [String: (name: String, icb: String)] = [:]
        var icbNames: [String: String] = [:]
        do {
            let reader = try CSVReader(path: sources.places)
            let code = try reader.header.requireIndex(of: "lad19_code", aliases: ["lad_code", "la_code"])
            let name = try reader.header.requireIndex(of: "place_name")
            let icb = try reader.header.requireIndex(of: "icb_code")
            let icbName = try reader.header.requireIndex(of: "icb_name")
            try reader.forEachRow { row in
                placeOf[row[code]] = (row[name], row[icb])
                icbNames[row[icb]] = row[icbName]
            }
        }
        // LSOA → ward and local authority.
        var lsoaRows: [(code: String, name: String, ward: String, la: String, line: Int)] = []
        var wardNames: [String: String] = [:]
        var laNamesFromWards: [String: String] = [:]
        let wardReader = try CSVReader(path: sources.wards)
        do {
            let h = wardReader.header
            let code = try h.requireIndex(of: "lsoa11_code", aliases: ["lsoa_code", "lsoa21_code", "LSOA code (2011)"])
            let name = try h.requireIndex(of: "lsoa11_name", aliases: ["lsoa_name", "lsoa21_name", "LSOA name (2011)"])
            let ward = try h.requireIndex(of: "ward19_code", aliases: ["ward_code", "ward21_code", "ward23_code"])
            let wardName = try h.requireIndex(of: "ward19_name", aliases: ["ward_name", "ward21_name", "ward23_name"])
            let la = try h.requireIndex(of: "lad19_code", aliases: ["lad_code", "la_code", "lad21_code", "lad23_code"])
            let laName = try h.requireIndex(of: "lad19_name", aliases: ["lad_name", "la_name", "lad21_name", "lad23_name"])
            lsoaRows.reserveCapacity(33_000)
            try wardReader.forEachRow { row in
                lsoaRows.append((row[code], row[name], row[ward], row[la], row.line))
                wardNames[row[ward]] = row[wardName]
                laNamesFromWards[row[la]] = row[laName]
            }
        }
        lsoaRows.sort { $0.code < $1.code }
        for i in lsoaRows.indices.dropFirst() where lsoaRows[i].code == lsoaRows[i - 1].code {
            let codeColumn = try wardReader.header.requireIndex(
                of: "lsoa11_code", aliases: ["lsoa_code", "lsoa21_code", "LSOA code (2011)"])
            throw CSVError.invalidValue(
                file: sources.wards, line: max(lsoaRows[i].line, lsoaRows[i - 1].line), column: codeColumn + 1,
                columnName: wardReader.header.name(at: codeColumn), text: lsoaRows[i].code,
                expected: "each LSOA once (it appears on lines \(lsoaRows[i - 1].line) and \(lsoaRows[i].line))")
        }

        let regions = regionNames.map { NamedArea(code: $0.key, name: $0.value) }.sorted { $0.code < $1.code }
        let cas = caNames.map { NamedArea(code: $0.key, name: $0.value) }.sorted { $0.code < $1.code }
        let places = placeOf.map { NamedArea(code: $0.key, name: $0.value.name) }.sorted { $0.code < $1.code }
        let icbs = icbNames.map { NamedArea(code: $0.key, name: $0.value) }.sorted { $0.code < $1.code }
        let regionIndex = Dictionary(uniqueKeysWithValues: regions.enumerated().map { ($1.code, $0) })
        let caIndex = Dictionary(uniqueKeysWithValues: cas.enumerated().map { ($1.code, $0) })
        let placeIndex = Dictionary(uniqueKeysWithValues: places.enumerated().map { ($1.code, $0) })
        let icbIndex = Dictionary(uniqueKeysWithValues: icbs.enumerated().map { ($1.code, $0) })

        // Districts: those of the district lookup, plus any the ward lookup names that it lacks.
        var districts: [String: LocalAuthority] = [:]
        for row in laRows {
            districts[row.code] = LocalAuthority(
                code: row.code, name: row.name, region: regionIndex[row.region], combinedAuthority: caIndex[row.ca],
                place: placeIndex[row.code], icb: placeOf[row.code].flatMap { icbIndex[$0.icb] })
        }
        for (code, name) in laNamesFromWards where districts[code] == nil {
            districts[code] = LocalAuthority(
                code: code, name: name, region: nil, combinedAuthority: nil, place: placeIndex[code],
                icb: placeOf[code].flatMap { icbIndex[$0.icb] })
        }
        let authorities = districts.values.sorted { $0.code < $1.code }
        let laIndex = Dictionary(uniqueKeysWithValues: authorities.enumerated().map { ($1.code, $0) })
        let wards = wardNames.map { NamedArea(code: $0.key, name: $0.value) }.sorted { $0.code < $1.code }
        let wardIndex = Dictionary(uniqueKeysWithValues: wards.enumerated().map { ($1.code, $0) })

        return Geography(
            lsoas: LSOAIndex(codes: lsoaRows.map(\.code)),
            lsoaNames: lsoaRows.map(\.name),
            wardOfLSOA: lsoaRows.map { Int32(wardIndex[$0.ward]!) },
            authorityOfLSOA: lsoaRows.map { Int32(laIndex[$0.la]!) },
            wards: wards, localAuthorities: authorities, regions: regions, combinedAuthorities: cas,
            places: places, icbs: icbs, sources: sources)
    }

    /// The index of the local authority with `code`, or nil.
    ///
    /// - Complexity: O(log n).
    public func authorityIndex(code: String) -> Int? {
        var low = 0, high = localAuthorities.count
        while low < high {
            let mid = (low + high) / 2
            if localAuthorities[mid].code < code { low = mid + 1 } else { high = mid }
        }
        return low < localAuthorities.count && localAuthorities[low].code == code ? low : nil
    }

    /// The dense indices of the LSOAs of the local authorities in `authorities` (indices), in code order.
    ///
    /// - Complexity: O(number of LSOAs).
    public func lsoas(inAuthorities authorities: Set<Int>) -> [Int] {
        (0..<lsoaCount).filter { authorities.contains(Int(authorityOfLSOA[$0])) }
    }
}

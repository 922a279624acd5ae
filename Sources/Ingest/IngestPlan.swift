import Areas
import CSVStream

/// What every row of one aggregation is checked and joined against: column positions, the LSOA
/// index, each LSOA's area group (the tuple of its area keys, numbered densely) and the band registry.
///
/// Immutable once built (the registry locks internally), so the threads of a run share one plan.
package final class IngestPlan: Sendable {
    /// The counts file, for errors.
    let file: String
    /// Column indices (from 0) in the counts file.
    let lsoaColumn: Int, yearColumn: Int, sexColumn: Int, ageColumn: Int, populationColumn: Int, deathsColumn: Int
    /// The extra count columns (`CountColumns.extra`), in order.
    let extraColumns: [Int]
    /// The number of columns in the header.
    let columnCount: Int
    let geography: Geography
    let deprivation: Deprivation
    /// Each LSOA's area group (0..<groupCount), or −1 − k where the k-th requested area key has no
    /// value for it (a Place outside Cheshire and Merseyside, an LSOA without an IMD rank).
    let groupOfLSOA: [Int32]
    /// The number of area groups.
    let groupCount: Int
    /// The area keys in `--by` order, and each group's value of each (−1: none, written empty).
    let areaKeys: [AggregationKey]
    /// `groupValues[g * areaKeys.count + k]`.
    let groupValues: [Int32]
    /// Local quantiles, when a local key is requested.
    package let localDeciles: LocalQuantiles?
    let localQuintiles: LocalQuantiles?
    /// The age bands met and their method bands.
    let registry: AgeBandRegistry
    /// Whether cells are kept per year (the `year` or `period` key).
    let byTime: Bool
    /// The LSOA index's numeric table in raw memory (freed with the plan).
    let lookup: LSOALookup

    deinit { lookup.free() }

    /// The first calendar year a row may have, and how many.
    static let firstYear = 1900
    static let yearSlots = 300

    init(
        file: String, header: CSVHeader, columns: CountColumns, geography: Geography, deprivation: Deprivation,
        keys: [AggregationKey], bands: BandScheme, localWithin: AreaLevel
    ) throws {
        self.file = file
        columnCount = header.count
        func find(_ key: CountColumns.Key) throws -> Int {
            if let given = columns.given(key) { return try header.requireIndex(of: given) }
            let d = CountColumns.defaults[key]!
            return try header.requireIndex(of: d.name, aliases: d.aliases)
        }
        lsoaColumn = try find(.lsoa)
        yearColumn = try find(.year)
        sexColumn = try find(.sex)
        ageColumn = try find(.age)
        populationColumn = try find(.population)
        deathsColumn = try find(.deaths)
        extraColumns = try columns.extra.map { try header.requireIndex(of: $0) }
        self.geography = geography
        self.deprivation = deprivation
        lookup = LSOALookup(geography.lsoas)
        registry = AgeBandRegistry(scheme: bands)
        byTime = keys.contains(.year) || keys.contains(.period)
        areaKeys = keys.filter(\.isAreaKey)
        localDeciles =
            areaKeys.contains(.localDecile)
            ? deprivation.localQuantiles(geography: geography, within: localWithin, quantiles: 10) : nil
        localQuintiles =
            areaKeys.contains(.localQuintile)
            ? deprivation.localQuantiles(geography: geography, within: localWithin, quantiles: 5) : nil
        let localParents = geography.parents(at: localWithin)

        // Number the distinct tuples of area-key values.
        var groups: [Int32] = []
        var values: [Int32] = []
        var index: [[Int32]: Int32] = [:]
        groups.reserveCapacity(geography.lsoaCount)
        for i in 0..<geography.lsoaCount {
            var tuple: [Int32] = []
            var missing: Int? = nil
            let la = geography.localAuthorities[Int(geography.authorityOfLSOA[i])]
            let decile = Int32(deprivation.decileOfLSOA[i])
            for (k, key) in areaKeys.enumerated() {
                let value: Int32?
                switch key {
                case .lsoa: value = Int32(i)
                case .ward: value = geography.wardOfLSOA[i]
                case .la: value = geography.authorityOfLSOA[i]
                case .place: value = la.place.map(Int32.init)
                case .icb: value = la.icb.map(Int32.init)
                case .region: value = la.region.map(Int32.init)
                case .decile: value = decile > 0 ? decile : nil
                case .quintile: value = decile > 0 ? (decile + 1) / 2 : nil
                case .core20: value = decile > 0 ? (decile <= 2 ? 0 : 1) : nil
                case .localDecile, .localQuintile:
                    let q = (key == .localDecile ? localDeciles : localQuintiles)!.quantileOfLSOA[i]
                    // No parent area (a Place outside Cheshire and Merseyside) cannot be summed;
                    // an area too small for quantiles is summed with an empty quantile.
                    value = localParents[i] < 0 || deprivation.rankOfLSOA[i] == 0 ? nil : (q > 0 ? Int32(q) : -1)
                case .sex, .ageBand, .year, .period: value = 0
                }
                if let value { tuple.append(value) } else if missing == nil { missing = k }
            }
            if let missing {
                groups.append(Int32(-1 - missing))
                continue
            }
            if let g = index[tuple] {
                groups.append(g)
            } else {
                let g = Int32(index.count)
                index[tuple] = g
                values.append(contentsOf: tuple)
                groups.append(g)
            }
        }
        groupOfLSOA = groups
        groupCount = index.count
        groupValues = values
    }

    /// The fatal error for a row whose LSOA has no value of area key number `k`.
    func unavailable(key k: Int, lsoa i: Int, row: CSVRow) -> InputError {
        let key = areaKeys[k]
        let la = geography.localAuthorities[Int(geography.authorityOfLSOA[i])]
        let whereText = "\(geography.lsoas.codes[i]) is in \(la.name) (\(la.code))"
        let level: AreaLevel? =
            switch key {
            case .place: .place
            case .icb: .icb
            case .region: .region
            case .localDecile, .localQuintile: localWithinLevel(key)
            default: nil
            }
        let reason: String
        let needsRank: Set<AggregationKey> = [.decile, .quintile, .core20, .localDecile, .localQuintile]
        switch needsRank.contains(key) && deprivation.rankOfLSOA[i] == 0 ? nil : level {
        case .place?, .icb?:
            reason =
                "\(whereText), outside Cheshire and Merseyside: the project has Place and ICB lookups only there "
                + "(lookups/cheshire_and_merseyside_places.csv), so it cannot give a \(level == .icb ? "ICB" : "Place") breakdown elsewhere"
        case .region?, .la?:
            reason = "\(whereText), which has no region in \(geography.sources.authorities)"
        case nil:
            reason = "\(geography.lsoas.codes[i]) has no rank in \(deprivation.edition) (\(deprivation.file))"
        }
        return .csv(
            .invalidValue(
                file: file, line: row.line, column: lsoaColumn + 1, columnName: row.columnName(lsoaColumn),
                text: geography.lsoas.codes[i], expected: "an LSOA with a value of --by \(key.rawValue): \(reason)"))
    }

    /// The level local quantiles are cut within, for the local keys (else nil).
    private func localWithinLevel(_ key: AggregationKey) -> AreaLevel? {
        switch key {
        case .localDecile: return localDeciles?.level
        case .localQuintile: return localQuintiles?.level
        default: return nil
        }
    }
}

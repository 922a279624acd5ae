import CSVStream
import Indicators

/// Turns an accumulator's cells into sorted output rows, pooling years into periods.
enum AggregateOutput {
    /// One output cell: where its sums are and its place in the sort order.
    private struct Entry {
        var key: UInt64
        /// Time unit (year slot, period start slot, or 0), band set, area group, sex set.
        var time: Int32
        var band: Int16
        var sex: Int16
        var group: Int32
    }

    /// Writes the output file; returns the summary's output rows and warnings.
    ///
    /// - Throws: `CSVError` when the output cannot be written, `PipelineError.data` when no complete period exists.
    /// - Complexity: O(c log c) for c output cells.
    static func write(plan: IngestPlan, accumulator acc: CellAccumulator, request: AggregationRequest) throws
        -> AggregationSummary
    {
        let keys = request.by
        let bands = plan.registry.outputBands
        let bandRank = rankOf(bands.indices.sorted { bands[$0] < bands[$1] }, count: bands.count)
        let seenYears = (0..<IngestPlan.yearSlots).filter { acc.yearsSeen[$0] }

        // Time units: the slots each one pools.
        var units: [(label: String, first: Int, slots: [Int])] = []
        if keys.contains(.year) {
            units = seenYears.map { ("\($0 + IngestPlan.firstYear)", $0, [$0]) }
        } else if keys.contains(.period), let n = request.periodLength {
            for s in seenYears {
                let slots = Array(s..<(s + n))
                if slots.allSatisfy({ $0 < IngestPlan.yearSlots && acc.yearsSeen[$0] }) {
                    units.append(("\(s + IngestPlan.firstYear)-\(s + n - 1 + IngestPlan.firstYear)", s, slots))
                }
            }
            if units.isEmpty && acc.accepted > 0 {
                let years = seenYears.map { "\($0 + IngestPlan.firstYear)" }.joined(separator: ", ")
                throw PipelineError.data(
                    file: plan.file, line: nil,
                    error: IndicatorError(
                        "no complete \(n)-year period: the input has the years \(years), and a period needs every one of its years"))
            }
        } else {
            units = [("", 0, [0])]
        }

        // Mixed-radix sort key, in --by order.
        let areaIndex = Dictionary(uniqueKeysWithValues: plan.areaKeys.enumerated().map { ($1, $0) })
        let k = plan.areaKeys.count
        var radices: [UInt64] = []
        for key in keys {
            switch key {
            case .sex: radices.append(2)
            case .ageBand: radices.append(UInt64(max(bands.count, 1)))
            case .year, .period: radices.append(UInt64(IngestPlan.yearSlots))
            default: radices.append(UInt64(domainSize(key, plan)) + 1)
            }
        }
        var packed = true
        var space: UInt64 = 1
        for radix in radices {
            let (product, overflow) = space.multipliedReportingOverflow(by: radix)
            if overflow { packed = false }
            space = product
        }

        func component(_ key: AggregationKey, _ e: Entry) -> UInt64 {
            switch key {
            case .sex: return UInt64(e.sex)
            case .ageBand: return UInt64(bandRank[Int(e.band)])
            case .year, .period: return UInt64(e.time)
            default:
                let value = plan.groupValues[Int(e.group) * k + areaIndex[key]!]
                return value < 0 ? UInt64(domainSize(key, plan)) : UInt64(value)
            }
        }

        // Without the age_band (sex) key, one entry pools every band (both sexes).
        let bandSets: [[Int]] = keys.contains(.ageBand) ? bands.indices.map { [$0] } : [Array(bands.indices)]
        let sexSets: [[Int]] = keys.contains(.sex) ? [[0], [1]] : [[0, 1]]
        var entries: [Entry] = []
        for unit in units {
            for (bandSet, bandMembers) in bandSets.enumerated() {
                var pages: [UnsafeMutablePointer<Double>] = []
                for slot in unit.slots {
                    for band in bandMembers {
                        if let page = acc.cellPages[(plan.byTime ? slot : 0) * CellAccumulator.bandSlots + band] {
                            pages.append(page)
                        }
                    }
                }
                guard !pages.isEmpty else { continue }
                for group in 0..<plan.groupCount {
                    for (sexSet, sexMembers) in sexSets.enumerated() {
                        let touched = sexMembers.contains { sex in
                            let offset = (group * 2 + sex) * 3 + 2
                            return pages.contains { $0[offset] > 0 }
                        }
                        guard touched else { continue }
                        var e = Entry(
                            key: 0, time: Int32(unit.first), band: Int16(bandSet), sex: Int16(sexSet), group: Int32(group))
                        if packed {
                            var key: UInt64 = 0
                            for (i, by) in keys.enumerated() { key = key * radices[i] + component(by, e) }
                            e.key = key
                        }
                        entries.append(e)
                    }
                }
            }
        }
        if packed {
            entries.sort { $0.key < $1.key }
        } else {
            entries.sort { a, b in
                for by in keys {
                    let x = component(by, a), y = component(by, b)
                    if x != y { return x < y }
                }
                return false
            }
        }

        // Write.
        let unitOfFirst = Dictionary(uniqueKeysWithValues: units.map { ($0.first, $0) })
        let bandLabels = bands.map(\.label)
        let numbers = (0...10).map { "\($0)" }
        let writer: CSVWriter = request.output.map { $0 == "-" } ?? true ? CSVWriter.standardOutput() : try CSVWriter(path: request.output!)
        try writer.write(row: keys.flatMap(\.columns) + ["population", "deaths"])
        let g = plan.geography
        for e in entries {
            for by in keys {
                switch by {
                case .sex: try writer.write(field: e.sex == 0 ? "Male" : "Female")
                case .ageBand: try writer.write(field: bandLabels[Int(e.band)])
                case .year, .period: try writer.write(field: unitOfFirst[Int(e.time)]!.label)
                default:
                    let value = Int(plan.groupValues[Int(e.group) * k + areaIndex[by]!])
                    switch by {
                    case .lsoa: try writer.write(field: g.lsoas.codes[value])
                    case .ward: try writeArea(writer, g.wards[value])
                    case .la:
                        try writer.write(field: g.localAuthorities[value].code)
                        try writer.write(field: g.localAuthorities[value].name)
                    case .place: try writeArea(writer, g.places[value])
                    case .icb: try writeArea(writer, g.icbs[value])
                    case .region: try writeArea(writer, g.regions[value])
                    case .core20: try writer.write(field: value == 0 ? "core20" : "rest")
                    default: try writer.write(field: value < 0 ? "" : numbers[value])
                    }
                }
            }
            var population = 0.0, deaths = 0.0
            for slot in unitOfFirst[Int(e.time)]!.slots {
                for band in bandSets[Int(e.band)] {
                    guard let page = acc.cellPages[(plan.byTime ? slot : 0) * CellAccumulator.bandSlots + band] else {
                        continue
                    }
                    for sex in sexSets[Int(e.sex)] {
                        let cell = page + (Int(e.group) * 2 + sex) * 3
                        population += cell[0]
                        deaths += cell[1]
                    }
                }
            }
            try writer.write(field: population)
            try writer.write(field: deaths)
            try writer.endRow()
        }
        try writer.finish()

        // Warnings: areas too small for local quantiles, among those the input touched.
        var warnings: [String] = []
        for local in [plan.localDeciles, plan.localQuintiles].compactMap({ $0 }) where !local.smallAreas.isEmpty {
            let parents = g.parents(at: local.level)
            var touched = Set<Int32>()
            for i in 0..<g.lsoaCount where acc.lsoaSeen[i >> 6] & (1 << UInt64(i & 63)) != 0 { touched.insert(parents[i]) }
            for (area, note) in zip(local.smallAreas, local.notes) where touched.contains(Int32(area)) {
                warnings.append("\(note); its rows have an empty local_\(local.quantiles == 10 ? "decile" : "quintile")")
            }
        }
        return AggregationSummary(
            rowsRead: acc.accepted, accepted: acc.accepted, rejected: 0, outputRows: entries.count, warnings: warnings,
            parallel: false)
    }

    private static func writeArea(_ writer: CSVWriter, _ area: NamedArea) throws {
        try writer.write(field: area.code)
        try writer.write(field: area.name)
    }

    /// The number of values an area key can take (its "none" sorts after them).
    private static func domainSize(_ key: AggregationKey, _ plan: IngestPlan) -> Int {
        let g = plan.geography
        switch key {
        case .lsoa: return g.lsoaCount
        case .ward: return g.wards.count
        case .la: return g.localAuthorities.count
        case .place: return g.places.count
        case .icb: return g.icbs.count
        case .region: return g.regions.count
        case .decile, .localDecile: return 11
        case .quintile, .localQuintile: return 6
        case .core20: return 2
        case .sex, .ageBand, .year, .period: return 1
        }
    }

    /// `rank[order[i]] = i`.
    private static func rankOf(_ order: [Int], count: Int) -> [Int] {
        var rank = [Int](repeating: 0, count: count)
        for (i, j) in order.enumerated() { rank[j] = i }
        return rank
    }
}


import Areas
import CSVStream
import Indicators

/// Turns an accumulator's cells into sorted output rows, pooling years into periods.
enum AggregateOutput {
    /// One output cell: its place in the sort order and where its sums are.
    private struct Entry {
        var key: UInt64
        /// Time unit, band set, sex set (indices into `units`, `bandSets`, `sexSets`) and area group.
        var unit: Int32
        var band: Int16
        var sex: Int16
        var group: Int32
    }

    /// Writes the output file; returns a summary with the output rows and warnings.
    ///
    /// - Throws: `CSVError` when the output cannot be written, `InputError.data` when no complete period exists.
    /// - Complexity: O(c log c) for c output cells.
    static func write(plan: IngestPlan, accumulator acc: CellAccumulator, request: AggregationRequest) throws
        -> AggregationSummary
    {
        let keys = request.by
        let bands = plan.registry.outputBands
        let seenYears = (0..<IngestPlan.yearSlots).filter { acc.yearsSeen[$0] }

        // Time units: their labels and the year slots each one pools.
        var units: [(label: String, slots: [Int])] = []
        if keys.contains(.year) {
            units = seenYears.map { ("\($0 + IngestPlan.firstYear)", [$0]) }
        } else if keys.contains(.period), let n = request.periodLength {
            for s in seenYears {
                let slots = Array(s..<(s + n))
                if slots.allSatisfy({ $0 < IngestPlan.yearSlots && acc.yearsSeen[$0] }) {
                    units.append(("\(s + IngestPlan.firstYear)-\(s + n - 1 + IngestPlan.firstYear)", slots))
                }
            }
            if units.isEmpty && acc.accepted > 0 {
                let years = seenYears.map { "\($0 + IngestPlan.firstYear)" }.joined(separator: ", ")
                throw InputError.data(
                    file: plan.file, line: nil,
                    error: IndicatorError(
                        "no complete \(n)-year period: the input has the years \(years), and a period needs every one of its years"
                    ))
            }
        } else {
            units = [("", [0])]
        }
        // Without the age_band (sex) key, one entry pools every band (both sexes). Bands sort by age.
        let bandOrder = bands.indices.sorted { bands[$0] < bands[$1] }
        let bandSets: [[Int]] = keys.contains(.ageBand) ? bandOrder.map { [$0] } : [Array(bands.indices)]
        let sexSets: [[Int]] = keys.contains(.sex) ? [[0], [1]] : [[0, 1]]

        // Each key's values as sortable integers 0..<radix, and their encoded output fields.
        let k = plan.areaKeys.count
        let areaIndex = Dictionary(uniqueKeysWithValues: plan.areaKeys.enumerated().map { ($1, $0) })
        var fields: [[[UInt8]]] = []
        for key in keys { fields.append(encodedValues(key, plan: plan, units: units, bandSets: bandSets, bands: bands)) }
        let radices = fields.map { UInt64($0.count) }
        var packed = true
        var space: UInt64 = 1
        for radix in radices {
            let (product, overflow) = space.multipliedReportingOverflow(by: radix)
            if overflow { packed = false }
            space = product
        }
        let positions: [Int] = keys.map { areaIndex[$0] ?? -1 }
        let noneValue: [Int] = fields.map { $0.count - 1 }
        @inline(__always) func component(_ i: Int, _ e: Entry) -> Int {
            switch keys[i] {
            case .sex: return Int(e.sex)
            case .ageBand: return Int(e.band)
            case .year, .period: return Int(e.unit)
            default:
                let value = Int(plan.groupValues[Int(e.group) * k + positions[i]])
                return value < 0 ? noneValue[i] : areaOffset(keys[i], value)
            }
        }

        var entries: [Entry] = []
        for (unit, time) in units.enumerated() {
            for (bandSet, members) in bandSets.enumerated() {
                var columns: [Int] = []
                for slot in time.slots {
                    for band in members {
                        if let c = acc.cells.existingColumn((plan.byTime ? slot : 0) * CellAccumulator.bandSlots + band) {
                            columns.append(c)
                        }
                    }
                }
                guard !columns.isEmpty else { continue }
                for group in 0..<plan.groupCount {
                    for (sexSet, sexes) in sexSets.enumerated() {
                        var touched = false
                        for c in columns where !touched {
                            let cell = acc.cells.cell(row: group, column: c)
                            for sex in sexes where cell[sex * acc.sexStride + 2] > 0 { touched = true }
                        }
                        guard touched else { continue }
                        var e = Entry(key: 0, unit: Int32(unit), band: Int16(bandSet), sex: Int16(sexSet), group: Int32(group))
                        if packed {
                            var key: UInt64 = 0
                            for i in keys.indices { key = key &* radices[i] &+ UInt64(component(i, e)) }
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
                for i in keys.indices {
                    let x = component(i, a), y = component(i, b)
                    if x != y { return x < y }
                }
                return false
            }
        }

        // Write.
        let output = request.output ?? "-"
        let writer = output == "-" ? CSVWriter.standardOutput() : try CSVWriter(path: output)
        var buffer = CSVWriter.encodeRow(keys.flatMap(\.columns) + ["population", "deaths"])
        buffer.reserveCapacity(1 << 20)
        for e in entries {
            for i in keys.indices {
                buffer.append(contentsOf: fields[i][component(i, e)])
                buffer.append(0x2C)
            }
            var population = 0.0, deaths = 0.0
            for slot in units[Int(e.unit)].slots {
                for band in bandSets[Int(e.band)] {
                    for sex in sexSets[Int(e.sex)] {
                        guard let cell = acc.sums(group: Int(e.group), timeSlot: slot, band: band, sex: sex) else { continue }
                        population += cell[0]
                        deaths += cell[1]
                    }
                }
            }
            CSVWriter.appendCount(population, to: &buffer)
            buffer.append(0x2C)
            CSVWriter.appendCount(deaths, to: &buffer)
            buffer.append(0x0A)
            if buffer.count >= 1 << 20 {
                try writer.write(encodedRecords: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try writer.write(encodedRecords: buffer)
        try writer.finish()

        // Warnings: areas too small for local quantiles, among those the input touched.
        var warnings: [String] = []
        let g = plan.geography
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

    /// Quantiles are stored 1…Q; their field table starts at 0.
    @inline(__always)
    private static func areaOffset(_ key: AggregationKey, _ value: Int) -> Int {
        switch key {
        case .decile, .quintile, .localDecile, .localQuintile: return value - 1
        default: return value
        }
    }

    /// The encoded output field(s) of each value of a key, in sort order; the last entry is the
    /// "none" value (empty fields) for area keys.
    private static func encodedValues(
        _ key: AggregationKey, plan: IngestPlan, units: [(label: String, slots: [Int])], bandSets: [[Int]],
        bands: [AgeBand]
    ) -> [[UInt8]] {
        let g = plan.geography
        func pairs(_ areas: [NamedArea]) -> [[UInt8]] {
            areas.map { CSVWriter.encodeField($0.code) + [0x2C] + CSVWriter.encodeField($0.name) } + [[0x2C]]
        }
        switch key {
        case .lsoa: return g.lsoas.codes.map { CSVWriter.encodeField($0) } + [[]]
        case .ward: return pairs(g.wards)
        case .la: return pairs(g.localAuthorities.map { NamedArea(code: $0.code, name: $0.name) })
        case .place: return pairs(g.places)
        case .icb: return pairs(g.icbs)
        case .region: return pairs(g.regions)
        case .decile, .localDecile: return (1...10).map { Array("\($0)".utf8) } + [[]]
        case .quintile, .localQuintile: return (1...5).map { Array("\($0)".utf8) } + [[]]
        case .core20: return [Array("core20".utf8), Array("rest".utf8), []]
        case .sex: return [Array("Male".utf8), Array("Female".utf8)]
        case .ageBand: return bandSets.map { CSVWriter.encodeField(bands[$0[0]].label) }
        case .year, .period: return units.map { CSVWriter.encodeField($0.label) }
        }
    }
}

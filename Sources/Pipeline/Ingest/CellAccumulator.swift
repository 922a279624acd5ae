import CSVStream

// One thread's sums. A row becomes an integer cell address, never a hashed string:
//
//   time slot  = year − 1900 (0 when no year or period key)          < 300
//   band       = output band index from the registry                 < 256
//   page       = pages[time slot × 256 + band]   (allocated on first use)
//   cell       = page[(area group × 2 + sex) × 3 ...]: population, deaths, rows
//
// so memory is proportional to the cells the input touches, not to the file. Duplicate keys
// (lsoa × year × sex × input band) are found with one bit per LSOA and sex in a page per year
// and input band: 8 KB per page for England, whatever the file's length.

/// The sums of one thread of an aggregation, and its duplicate-key bitsets.
final class CellAccumulator {
    let plan: IngestPlan
    /// Doubles per page: area groups × 2 sexes × (population, deaths, rows).
    let pageLength: Int
    /// Time slots of `cellPages` (300 by year, or 1).
    let timeSlots: Int
    /// Cell pages by `timeSlot * 256 + band`.
    let cellPages: UnsafeMutablePointer<UnsafeMutablePointer<Double>?>
    /// Words per duplicate page (two bits per LSOA).
    let dupWords: Int
    /// Duplicate pages by `yearSlot * 256 + inputBand`.
    let dupPages: UnsafeMutablePointer<UnsafeMutablePointer<UInt64>?>
    /// One bit per LSOA that has an accepted row.
    let lsoaSeen: UnsafeMutablePointer<UInt64>
    let lsoaWords: Int
    /// Whether year slot s has an accepted row.
    let yearsSeen: UnsafeMutablePointer<Bool>
    /// Rows summed.
    var accepted = 0
    /// The plan's `groupOfLSOA`, as a raw buffer for the hot loop.
    private let groupOf: UnsafeMutablePointer<Int32>
    /// Band cache by age code: 0 unseen, −1 not mappable, else 1 + input + output << 9.
    private let bandCache: UnsafeMutablePointer<Int32>
    private let byTime: Bool
    private let lsoaColumn: Int, yearColumn: Int, sexColumn: Int, ageColumn: Int, populationColumn: Int,
        deathsColumn: Int

    static let bandSlots = AgeBandRegistry.capacity

    init(plan: IngestPlan) {
        self.plan = plan
        pageLength = plan.groupCount * 6
        byTime = plan.byTime
        timeSlots = plan.byTime ? IngestPlan.yearSlots : 1
        cellPages = .allocate(capacity: timeSlots * Self.bandSlots)
        cellPages.initialize(repeating: nil, count: timeSlots * Self.bandSlots)
        dupWords = (plan.geography.lsoaCount * 2 + 63) / 64
        dupPages = .allocate(capacity: IngestPlan.yearSlots * Self.bandSlots)
        dupPages.initialize(repeating: nil, count: IngestPlan.yearSlots * Self.bandSlots)
        lsoaWords = (plan.geography.lsoaCount + 63) / 64
        lsoaSeen = .allocate(capacity: lsoaWords)
        lsoaSeen.initialize(repeating: 0, count: lsoaWords)
        yearsSeen = .allocate(capacity: IngestPlan.yearSlots)
        yearsSeen.initialize(repeating: false, count: IngestPlan.yearSlots)
        groupOf = .allocate(capacity: plan.groupOfLSOA.count)
        _ = UnsafeMutableBufferPointer(start: groupOf, count: plan.groupOfLSOA.count).initialize(from: plan.groupOfLSOA)
        bandCache = .allocate(capacity: 1 << 16)
        bandCache.initialize(repeating: 0, count: 1 << 16)
        (lsoaColumn, yearColumn, sexColumn, ageColumn, populationColumn, deathsColumn) = (
            plan.lsoaColumn, plan.yearColumn, plan.sexColumn, plan.ageColumn, plan.populationColumn, plan.deathsColumn
        )
    }

    deinit {
        for i in 0..<(timeSlots * Self.bandSlots) { cellPages[i]?.deallocate() }
        for i in 0..<(IngestPlan.yearSlots * Self.bandSlots) { dupPages[i]?.deallocate() }
        cellPages.deallocate()
        dupPages.deallocate()
        lsoaSeen.deallocate()
        yearsSeen.deallocate()
        groupOf.deallocate()
        bandCache.deallocate()
    }

    // MARK: - One row

    static let countExpected = "a count of 0 or more"

    /// Checks one row and adds it to its cell.
    ///
    /// - Throws: `CSVError` for a problem with this row (a rejected row in reject mode);
    ///   `PipelineError` for a problem that stops the run whatever the policy.
    /// - Complexity: O(row length).
    @inline(__always)
    func add(_ row: CSVRow) throws {
        guard let lsoa = plan.geography.lsoas.index(of: row.bytes(lsoaColumn)) else {
            throw row.invalidValue(
                lsoaColumn,
                expected: "an LSOA code of the \(plan.deprivation.edition) geography (\(plan.geography.lsoaCount) LSOAs, e.g. \(plan.geography.lsoas.codes.first ?? "E01000001"))")
        }
        let year = try parseYear(row)
        let sex = try parseSex(row)
        let band = try parseBand(row)
        let population = try count(row, populationColumn)
        let deaths = try count(row, deathsColumn)
        let group = Int(groupOf[lsoa])
        if group < 0 { throw plan.unavailable(key: -1 - group, lsoa: lsoa, row: row) }

        let yearSlot = year - IngestPlan.firstYear
        let dupSlot = yearSlot * Self.bandSlots + (band & 511)
        let dup = dupPages[dupSlot] ?? newDupPage(dupSlot)
        let bit = lsoa &* 2 &+ sex
        let mask: UInt64 = 1 << UInt64(bit & 63)
        if dup[bit >> 6] & mask != 0 { throw duplicate(row) }
        dup[bit >> 6] |= mask

        let cellSlot = (byTime ? yearSlot : 0) * Self.bandSlots + (band >> 9)
        let page = cellPages[cellSlot] ?? newCellPage(cellSlot)
        let cell = page + (group &* 2 &+ sex) &* 3
        cell[0] += population
        cell[1] += deaths
        cell[2] += 1
        lsoaSeen[lsoa >> 6] |= 1 << UInt64(lsoa & 63)
        yearsSeen[yearSlot] = true
        accepted += 1
    }

    @inline(never)
    private func newDupPage(_ slot: Int) -> UnsafeMutablePointer<UInt64> {
        let page = UnsafeMutablePointer<UInt64>.allocate(capacity: dupWords)
        page.initialize(repeating: 0, count: dupWords)
        dupPages[slot] = page
        return page
    }

    @inline(never)
    private func newCellPage(_ slot: Int) -> UnsafeMutablePointer<Double> {
        let page = UnsafeMutablePointer<Double>.allocate(capacity: max(pageLength, 1))
        page.initialize(repeating: 0, count: max(pageLength, 1))
        cellPages[slot] = page
        return page
    }

    /// The year: whole number from 1900 to 2199.
    @inline(__always)
    private func parseYear(_ row: CSVRow) throws -> Int {
        let bytes = row.bytes(yearColumn)
        if bytes.count == 4 {
            let a = bytes[0] &- 48, b = bytes[1] &- 48, c = bytes[2] &- 48, d = bytes[3] &- 48
            if a < 10 && b < 10 && c < 10 && d < 10 {
                let year = Int(a) * 1000 + Int(b) * 100 + Int(c) * 10 + Int(d)
                if year >= IngestPlan.firstYear && year < IngestPlan.firstYear + IngestPlan.yearSlots { return year }
            }
        }
        return try slowYear(row)
    }

    @inline(never)
    private func slowYear(_ row: CSVRow) throws -> Int {
        let expected = "a year from \(IngestPlan.firstYear) to \(IngestPlan.firstYear + IngestPlan.yearSlots - 1)"
        let year: Int?
        do { year = try row.int(yearColumn) } catch { throw row.invalidValue(yearColumn, expected: expected) }
        guard let year, year >= IngestPlan.firstYear, year < IngestPlan.firstYear + IngestPlan.yearSlots else {
            throw row.invalidValue(yearColumn, expected: expected)
        }
        return year
    }

    /// Sex: 0 male, 1 female (`Male`/`Female`, `M`/`F`, `1`/`2`, any case).
    @inline(__always)
    private func parseSex(_ row: CSVRow) throws -> Int {
        let bytes = row.bytes(sexColumn)
        if bytes.count == 4 && bytes[0] == 0x4D && bytes[1] == 0x61 && bytes[2] == 0x6C && bytes[3] == 0x65 { return 0 }
        if bytes.count == 6 && bytes[0] == 0x46 && bytes[1] == 0x65 && bytes[2] == 0x6D && bytes[3] == 0x61
            && bytes[4] == 0x6C && bytes[5] == 0x65
        {
            return 1
        }
        return try slowSex(row)
    }

    @inline(never)
    private func slowSex(_ row: CSVRow) throws -> Int {
        switch row[sexColumn].lowercased().trimming(" \t") {
        case "male", "males", "m", "1": return 0
        case "female", "females", "f", "2": return 1
        default: throw row.invalidValue(sexColumn, expected: "Male or Female (or M/F, 1/2; any case)")
        }
    }

    /// The input band (low 9 bits) and output band (above) of the row's age field.
    @inline(__always)
    private func parseBand(_ row: CSVRow) throws -> Int {
        guard let code = ageCode(row.bytes(ageColumn)) else {
            throw row.invalidValue(
                ageColumn, expected: "an age or age band such as 0, 1-4, 5-9 or 90+ (ages 0 to \(AgeBandRegistry.maximumAge))")
        }
        let cached = bandCache[code]
        if cached > 0 { return Int(cached) - 1 }
        return try slowBand(row, code: code)
    }

    @inline(never)
    private func slowBand(_ row: CSVRow, code: Int) throws -> Int {
        switch plan.registry.mapping(code: code) {
        case .band(let input, let output):
            let packed = input | output << 9
            bandCache[code] = Int32(packed + 1)
            return packed
        case .straddles(let expected):
            throw row.invalidValue(ageColumn, expected: expected)
        case .tooMany:
            throw row.invalidValue(ageColumn, expected: "at most \(AgeBandRegistry.capacity) distinct age bands in one file")
        }
    }

    /// A count field: a finite number ≥ 0.
    @inline(__always)
    private func count(_ row: CSVRow, _ column: Int) throws -> Double {
        let value: Double?
        do { value = try row.double(column) } catch { throw row.invalidValue(column, expected: Self.countExpected) }
        guard let value, value >= 0, value.isFinite else { throw row.invalidValue(column, expected: Self.countExpected) }
        return value
    }

    @inline(never)
    private func duplicate(_ row: CSVRow) -> CSVError {
        let key = [row[lsoaColumn], row[yearColumn], row[sexColumn], row[ageColumn]].joined(separator: ", ")
        return .invalidValue(
            file: plan.file, line: row.line, column: lsoaColumn + 1, columnName: row.columnName(lsoaColumn), text: key,
            expected: "one row per lsoa × year × sex × age band (this key is on an earlier line)")
    }

    // MARK: - Merging

    /// Adds `other`'s sums into this accumulator; returns false when the two saw the same key
    /// (a duplicate split across threads, which the caller resolves by reading again on one thread).
    ///
    /// - Complexity: O(pages × page length).
    func merge(_ other: CellAccumulator) -> Bool {
        var overlap = false
        for slot in 0..<(IngestPlan.yearSlots * Self.bandSlots) {
            guard let theirs = other.dupPages[slot] else { continue }
            let mine = dupPages[slot] ?? newDupPage(slot)
            for w in 0..<dupWords {
                if mine[w] & theirs[w] != 0 { overlap = true }
                mine[w] |= theirs[w]
            }
        }
        for slot in 0..<(timeSlots * Self.bandSlots) {
            guard let theirs = other.cellPages[slot] else { continue }
            let mine = cellPages[slot] ?? newCellPage(slot)
            for k in 0..<pageLength { mine[k] += theirs[k] }
        }
        for w in 0..<lsoaWords { lsoaSeen[w] |= other.lsoaSeen[w] }
        for s in 0..<IngestPlan.yearSlots where other.yearsSeen[s] { yearsSeen[s] = true }
        accepted += other.accepted
        return !overlap
    }
}

extension String {
    /// The string without leading and trailing characters in `set`.
    func trimming(_ set: String) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s.removeFirst() }
        while let c = s.last, set.contains(c) { s.removeLast() }
        return String(s)
    }
}

import Areas
import CSVStream

// One thread's sums. A row becomes an integer cell address, never a hashed string:
//
//   column  = columns[time slot × 256 + output band]   (time slot = year − 1900, or 0 when
//             neither year nor period is a key; columns are numbered in order of first sight)
//   cell    = cells[(area group × column capacity + column) × 2S + sex × S ...]:
//             population, deaths, rows, then the extra count columns (S = 3 + extras)
//
// The area group is the major index, so the rows of one LSOA (a file sorted by LSOA, as most
// extracts are) hit a few adjacent cache lines. When a new column exceeds the capacity, the matrix
// is copied into one twice as wide (rare: log₂ of the number of columns times per run). Memory is
// proportional to the cells the input touches, not to the file.
//
// Duplicate keys (lsoa × year × sex × input band) are found with a bit matrix of the same shape:
// LSOA × (year, input band) column, one bit per sex: 50 bytes per LSOA for a 10-year, 20-band file.

/// A growable matrix of `rows` × `capacity` columns of `width` elements each (or, with
/// `columnsPerElement` k > 1, k columns packed into each element), with columns numbered densely
/// in order of first sight of their key (`key < keyCount`).
struct ColumnMatrix<Element> {
    let rows: Int
    let width: Int
    /// Columns sharing one element (4 for the two-bit duplicate flags); divides `capacity`.
    let columnsPerElement: Int
    private(set) var capacity: Int
    private(set) var storage: UnsafeMutablePointer<Element>
    /// Column index + 1 by key (0: not yet seen).
    let columnOfKey: UnsafeMutablePointer<Int32>
    let keyCount: Int
    /// The key of each column, in column order.
    private(set) var keys: [Int] = []
    let zero: Element

    init(rows: Int, width: Int, keyCount: Int, zero: Element, capacity: Int = 32, columnsPerElement: Int = 1) {
        self.rows = rows
        self.width = width
        self.keyCount = keyCount
        self.zero = zero
        self.capacity = capacity
        self.columnsPerElement = columnsPerElement
        storage = .allocate(capacity: rows * capacity / columnsPerElement * width)
        storage.initialize(repeating: zero, count: rows * capacity / columnsPerElement * width)
        columnOfKey = .allocate(capacity: keyCount)
        columnOfKey.initialize(repeating: 0, count: keyCount)
    }

    /// Releases the storage (the matrix must not be used afterwards).
    func free() {
        storage.deallocate()
        columnOfKey.deallocate()
    }

    /// The column of `key`, assigning (and growing) on first sight.
    @inline(__always)
    mutating func column(_ key: Int) -> Int {
        let known = columnOfKey[key]
        if known > 0 { return Int(known) &- 1 }
        return addColumn(key)
    }

    /// The column of `key`, if seen.
    func existingColumn(_ key: Int) -> Int? {
        let known = columnOfKey[key]
        return known > 0 ? Int(known) - 1 : nil
    }

    @inline(never)
    private mutating func addColumn(_ key: Int) -> Int {
        if keys.count == capacity {
            let wider = capacity * 2
            let oldStride = capacity / columnsPerElement * width, newStride = wider / columnsPerElement * width
            let grown = UnsafeMutablePointer<Element>.allocate(capacity: rows * newStride)
            grown.initialize(repeating: zero, count: rows * newStride)
            for r in 0..<rows {
                (grown + r * newStride).update(from: storage + r * oldStride, count: oldStride)
            }
            storage.deallocate()
            storage = grown
            capacity = wider
        }
        keys.append(key)
        columnOfKey[key] = Int32(keys.count)
        return keys.count - 1
    }

    /// The first element of cell (row, column) (with packing, the element holding the column).
    @inline(__always)
    func cell(row: Int, column: Int) -> UnsafeMutablePointer<Element> {
        columnsPerElement == 1
            ? storage + (row &* capacity &+ column) &* width
            : storage + (row &* (capacity / columnsPerElement) &+ column / columnsPerElement) &* width
    }
}

/// The sums of one thread of an aggregation, and its duplicate-key flags.
final class CellAccumulator {
    let plan: IngestPlan
    /// The mutable state of the hot loop, behind a pointer: as stored `var`s of this class, every
    /// row would pay for dynamic exclusivity checks (measured at about a seventh of the run time).
    struct State {
        /// Sums: area group × (time slot, output band) column × 2 sexes × (population, deaths, rows,
        /// extra counts…).
        var cells: ColumnMatrix<Double>
        /// Duplicate flags: LSOA × (year slot, input band) column, two bits (male, female) per
        /// column, four columns to a byte.
        var seen: ColumnMatrix<UInt8>
        /// Rows summed.
        var accepted = 0
    }
    private let state: UnsafeMutablePointer<State>
    /// The sums matrix.
    var cells: ColumnMatrix<Double> { state.pointee.cells }
    /// Rows summed.
    var accepted: Int { state.pointee.accepted }
    /// One bit per LSOA that has an accepted row.
    let lsoaSeen: UnsafeMutablePointer<UInt64>
    let lsoaWords: Int
    /// Whether year slot s has an accepted row.
    let yearsSeen: UnsafeMutablePointer<Bool>
    /// The plan's `groupOfLSOA`, as a raw buffer for the hot loop.
    private let groupOf: UnsafeMutablePointer<Int32>
    /// Band cache by age code: 0 unseen, else 1 + (input | output << 9).
    private let bandCache: UnsafeMutablePointer<Int32>
    private let byTime: Bool
    private let lookup: LSOALookup
    private let lsoaColumn: Int, yearColumn: Int, sexColumn: Int, ageColumn: Int, populationColumn: Int,
        deathsColumn: Int
    /// The extra count columns, and a row's values of them while it is checked (added only once
    /// every field of the row has passed, so a rejected row adds nothing).
    private let extraColumns: [Int]
    private let extraValues: UnsafeMutablePointer<Double>
    /// Sums per sex in a cell: population, deaths, rows and the extra counts.
    let sexStride: Int

    static let bandSlots = AgeBandRegistry.capacity

    init(plan: IngestPlan) {
        self.plan = plan
        byTime = plan.byTime
        let keyCount = IngestPlan.yearSlots * Self.bandSlots
        state = .allocate(capacity: 1)
        extraColumns = plan.extraColumns
        sexStride = 3 + plan.extraColumns.count
        extraValues = .allocate(capacity: max(plan.extraColumns.count, 1))
        extraValues.initialize(repeating: 0, count: max(plan.extraColumns.count, 1))
        state.initialize(
            to: State(
                cells: ColumnMatrix(rows: max(plan.groupCount, 1), width: 2 * sexStride, keyCount: keyCount, zero: 0),
                seen: ColumnMatrix(
                    rows: max(plan.geography.lsoaCount, 1), width: 1, keyCount: keyCount, zero: 0, columnsPerElement: 4)))
        lsoaWords = (plan.geography.lsoaCount + 63) / 64
        lsoaSeen = .allocate(capacity: lsoaWords)
        lsoaSeen.initialize(repeating: 0, count: lsoaWords)
        yearsSeen = .allocate(capacity: IngestPlan.yearSlots)
        yearsSeen.initialize(repeating: false, count: IngestPlan.yearSlots)
        groupOf = .allocate(capacity: plan.groupOfLSOA.count)
        _ = UnsafeMutableBufferPointer(start: groupOf, count: plan.groupOfLSOA.count).initialize(from: plan.groupOfLSOA)
        bandCache = .allocate(capacity: 1 << 16)
        bandCache.initialize(repeating: 0, count: 1 << 16)
        lookup = plan.lookup
        (lsoaColumn, yearColumn, sexColumn, ageColumn, populationColumn, deathsColumn) = (
            plan.lsoaColumn, plan.yearColumn, plan.sexColumn, plan.ageColumn, plan.populationColumn, plan.deathsColumn
        )
    }

    deinit {
        state.pointee.cells.free()
        state.pointee.seen.free()
        state.deinitialize(count: 1)
        state.deallocate()
        lsoaSeen.deallocate()
        yearsSeen.deallocate()
        groupOf.deallocate()
        bandCache.deallocate()
        extraValues.deallocate()
    }

    /// The sums (population, deaths, rows, extra counts) of a cell, if its column exists.
    func sums(group: Int, timeSlot: Int, band: Int, sex: Int) -> UnsafeMutablePointer<Double>? {
        let cells = state.pointee.cells
        guard let column = cells.existingColumn((byTime ? timeSlot : 0) * Self.bandSlots + band) else { return nil }
        return cells.cell(row: group, column: column) + sex * sexStride
    }

    // MARK: - One row

    static let countExpected = "a count of 0 or more"

    /// Checks one row and adds it to its cell.
    ///
    /// - Throws: `CSVError` for a problem with this row (a rejected row in reject mode);
    ///   `InputError` for a problem that stops the run whatever the policy.
    /// - Complexity: O(row length).
    @inline(__always)
    func add(_ row: CSVRow) throws {
        let lsoaBytes = row.bytes(lsoaColumn)
        guard let lsoa = lookup.index(of: lsoaBytes) ?? plan.geography.lsoas.index(of: lsoaBytes) else {
            throw row.invalidValue(
                lsoaColumn,
                expected:
                    "an LSOA code of the \(plan.deprivation.edition) geography (\(plan.geography.lsoaCount) LSOAs, e.g. \(plan.geography.lsoas.codes.first ?? "E01000001"))"
            )
        }
        let year = try parseYear(row)
        let sex = try parseSex(row)
        let band = try parseBand(row)
        let population = try count(row, populationColumn)
        let deaths = try count(row, deathsColumn)
        let extras = extraColumns.count
        for k in 0..<extras { extraValues[k] = try count(row, extraColumns[k]) }
        let group = Int(groupOf[lsoa])
        if group < 0 { throw plan.unavailable(key: -1 - group, lsoa: lsoa, row: row) }

        let yearSlot = year &- IngestPlan.firstYear
        // The column first: adding one may move the storage that `cell` reads.
        let dupColumn = state.pointee.seen.column(yearSlot &* Self.bandSlots &+ (band & 511))
        let flags = state.pointee.seen.cell(row: lsoa, column: dupColumn)
        let bit: UInt8 = (sex == 0 ? 1 : 2) << UInt8((dupColumn & 3) << 1)
        if flags.pointee & bit != 0 { throw duplicate(row) }
        flags.pointee |= bit

        let column = state.pointee.cells.column((byTime ? yearSlot : 0) &* Self.bandSlots &+ (band >> 9))
        let cell = state.pointee.cells.cell(row: group, column: column) + sex &* sexStride
        cell[0] += population
        cell[1] += deaths
        cell[2] += 1
        for k in 0..<extras { cell[3 &+ k] += extraValues[k] }
        lsoaSeen[lsoa >> 6] |= 1 << UInt64(lsoa & 63)
        yearsSeen[yearSlot] = true
        state.pointee.accepted &+= 1
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
    /// - Complexity: O((area groups + LSOAs) × columns).
    func merge(_ other: CellAccumulator) -> Bool {
        var overlap = false
        let theirs = other.state.pointee
        for (theirColumn, key) in theirs.seen.keys.enumerated() {
            let mine = state.pointee.seen.column(key)
            let seen = state.pointee.seen
            let theirShift = UInt8((theirColumn & 3) << 1), myShift = UInt8((mine & 3) << 1)
            for lsoa in 0..<seen.rows {
                let flags = (theirs.seen.cell(row: lsoa, column: theirColumn).pointee >> theirShift) & 3
                guard flags != 0 else { continue }
                let a = seen.cell(row: lsoa, column: mine)
                if a.pointee & (flags << myShift) != 0 { overlap = true }
                a.pointee |= flags << myShift
            }
        }
        for (theirColumn, key) in theirs.cells.keys.enumerated() {
            let mine = state.pointee.cells.column(key)
            let cells = state.pointee.cells
            for group in 0..<cells.rows {
                let a = cells.cell(row: group, column: mine), b = theirs.cells.cell(row: group, column: theirColumn)
                for k in 0..<(2 * sexStride) { a[k] += b[k] }
            }
        }
        for w in 0..<lsoaWords { lsoaSeen[w] |= other.lsoaSeen[w] }
        for s in 0..<IngestPlan.yearSlots where other.yearsSeen[s] { yearsSeen[s] = true }
        state.pointee.accepted += other.accepted
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

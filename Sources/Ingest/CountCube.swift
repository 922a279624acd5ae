import Areas
import CSVStream
import Foundation
import Indicators

/// One pass over an input file, summed into (local authority × local decile × national decile)
/// groups by sex, source band and year: the finest partition every plan area and breakdown is a
/// union of (Places are local authorities; the ICB, regions and England are sets of them).
///
/// Built on the ingest engine (`IngestPlan`, `CellAccumulator`, block-parallel reading): the
/// file is read once, whatever the number of indicators, areas and periods.
public final class CountCube: @unchecked Sendable {
    /// The ingest plan (column positions, groups, band registry).
    package let ingest: IngestPlan
    /// The sums.
    let accumulator: CellAccumulator
    /// Per group: its local authority, local decile and quintile (0: none, the area is too small)
    /// and national decile.
    let groupAuthority: [Int32]
    package let groupLocalDecile: [Int8]
    package let groupLocalQuintile: [Int8]
    package let groupDecile: [Int8]
    /// The groups of each local authority, ascending.
    package let groupsOfAuthority: [[Int32]]
    /// Data rows read, accepted and rejected.
    package let rowsRead: Int, accepted: Int, rejected: Int
    /// Whether the file was parsed on several threads.
    package let parallel: Bool
    /// The number of source bands (20 life-table or 19 ESP2013 bands).
    package let bandCount: Int
    /// The number of extra count columns summed (`CountColumns.extra`).
    package let extraCount: Int

    /// How the runner reads one input into a cube: its file, columns, bands and bad-row policy.
    public struct Settings: Sendable {
        /// The file to read (plain or `.gz`).
        public var file: String
        /// The key and count columns.
        public var columns: CountColumns
        /// The source bands the counts are summed into.
        public var bands: BandScheme
        /// Where rejected rows are written (`reject` policy); nil stops at the first bad row.
        public var rejects: String?
        /// Read in parallel blocks from this file size on.
        public var parallelMinimumBytes = 8 << 20
        /// Bytes per parallel block.
        public var parallelBlockBytes = 4 << 20

        /// Creates settings with the default parallel thresholds.
        public init(file: String, columns: CountColumns, bands: BandScheme, rejects: String?) {
            self.file = file
            self.columns = columns
            self.bands = bands
            self.rejects = rejects
        }
    }

    /// The keys of a cube's groups, in the order `IngestPlan.groupValues` holds them.
    private enum GroupKey: Int, CaseIterable {
        case authority, localDecile, localQuintile, nationalDecile
    }

    /// Reads and sums `settings.file` into (local authority × local decile × national decile) groups.
    ///
    /// - Throws: `InputError` (`.csv` for unreadable or bad input when no rejects file is given).
    public init(settings: CountCube.Settings, geography: Geography, deprivation: Deprivation, threads: Int)
        throws(InputError)
    {
        do {
            let path = settings.file
            let reader = try CSVReader(path: path)
            let plan = try IngestPlan(
                file: path, header: reader.header, columns: settings.columns, geography: geography,
                deprivation: deprivation, keys: [.la, .localDecile, .localQuintile, .decile, .sex, .ageBand, .year],
                bands: settings.bands,
                localWithin: .la)
            let (accumulator, read, rejected, parallel) = try CountsAggregation.accumulate(
                path: path, reader: reader, plan: plan, threads: threads, minimumSize: settings.parallelMinimumBytes,
                blockSize: settings.parallelBlockBytes, rejectsPath: settings.rejects)
            ingest = plan
            self.accumulator = accumulator
            rowsRead = read
            accepted = accumulator.accepted
            self.rejected = rejected
            self.parallel = parallel
            bandCount = settings.bands.bands?.count ?? 0
            extraCount = settings.columns.extra.count
            var la: [Int32] = [], local: [Int8] = [], localFifth: [Int8] = [], decile: [Int8] = []
            var byAuthority = [[Int32]](repeating: [], count: geography.localAuthorities.count)
            let width = GroupKey.allCases.count
            for g in 0..<plan.groupCount {
                let key = { (k: GroupKey) in plan.groupValues[g * width + k.rawValue] }
                let a = key(.authority), l = key(.localDecile), q = key(.localQuintile), d = key(.nationalDecile)
                la.append(a)
                local.append(Int8(max(l, 0)))
                localFifth.append(Int8(max(q, 0)))
                decile.append(Int8(d))
                byAuthority[Int(a)].append(Int32(g))
            }
            groupAuthority = la
            groupLocalDecile = local
            groupLocalQuintile = localFifth
            groupDecile = decile
            groupsOfAuthority = byAuthority
        } catch {
            throw InputError.from(error)
        }
    }

    /// Whether the input has any accepted row in `year`.
    package func hasYear(_ year: Int) -> Bool {
        let slot = year - IngestPlan.firstYear
        return slot >= 0 && slot < IngestPlan.yearSlots && accumulator.yearsSeen[slot]
    }

    /// The years with data, ascending.
    package var years: [Int] {
        (0..<IngestPlan.yearSlots).filter { accumulator.yearsSeen[$0] }.map { $0 + IngestPlan.firstYear }
    }

    /// The accumulator columns of each (year of `years`, source band): `columns[y * bandCount + b]`, −1 where no row has it.
    public func columns(years: ClosedRange<Int>) -> [Int] {
        var out: [Int] = []
        for year in years {
            for band in 0..<bandCount {
                out.append(
                    accumulator.cells.existingColumn((year - IngestPlan.firstYear) * CellAccumulator.bandSlots + band) ?? -1)
            }
        }
        return out
    }

    /// Adds group `g`'s sums over `columns` (from `columns(years:)`) and `sexes` into `population`,
    /// `events` (per source band) and `rows`.
    @inline(__always)
    package func add(
        group g: Int, columns: [Int], sexes: [Int], population: UnsafeMutablePointer<Double>,
        events: UnsafeMutablePointer<Double>, rows: inout Double
    ) {
        let bands = bandCount
        let cells = accumulator.cells
        let stride = accumulator.sexStride
        for (k, c) in columns.enumerated() where c >= 0 {
            let b = k % bands
            let cell = cells.cell(row: g, column: c)
            for sex in sexes {
                population[b] += cell[sex * stride]
                events[b] += cell[sex * stride + 1]
                rows += cell[sex * stride + 2]
            }
        }
    }

    /// Adds group `g`'s sums of the extra count columns over `columns` and `sexes` into `extras`,
    /// band-major: `extras[band * extraCount + k]` for extra column k.
    @inline(__always)
    package func addExtras(
        group g: Int, columns: [Int], sexes: [Int], extras: UnsafeMutablePointer<Double>
    ) {
        let bands = bandCount, count = extraCount
        guard count > 0 else { return }
        let cells = accumulator.cells
        let stride = accumulator.sexStride
        for (k, c) in columns.enumerated() where c >= 0 {
            let b = k % bands
            let cell = cells.cell(row: g, column: c)
            for sex in sexes {
                for e in 0..<count { extras[b * count + e] += cell[sex * stride + 3 + e] }
            }
        }
    }
}

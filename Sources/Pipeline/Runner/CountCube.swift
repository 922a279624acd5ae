import CSVStream
import Foundation
import Indicators

/// One pass over an input file, summed into (local authority × local decile × national decile)
/// groups by sex, source band and year: the finest partition every plan area and breakdown is a
/// union of (Places are local authorities; the ICB, regions and England are sets of them).
///
/// Built on the ingest engine (`IngestPlan`, `CellAccumulator`, block-parallel reading): the
/// file is read once, whatever the number of indicators, areas and periods.
final class CountCube: @unchecked Sendable {
    /// The ingest plan (column positions, groups, band registry).
    let ingest: IngestPlan
    /// The sums.
    let accumulator: CellAccumulator
    /// Per group: its local authority, local decile (0: none, the area is too small) and national decile.
    let groupAuthority: [Int32]
    let groupLocalDecile: [Int8]
    let groupDecile: [Int8]
    /// The groups of each local authority, ascending.
    let groupsOfAuthority: [[Int32]]
    /// Data rows read, accepted and rejected.
    let rowsRead: Int, accepted: Int, rejected: Int
    /// Whether the file was parsed on several threads.
    let parallel: Bool
    /// The number of source bands (20 life-table or 19 ESP2013 bands).
    let bandCount: Int

    /// Reads and sums `source`'s file.
    ///
    /// - Parameter rejects: where rejected rows go in `reject` mode.
    /// - Throws: `PipelineError` (`.csv` for unreadable or bad input in `fail` mode).
    init(source: AggregationSource, geography: Geography, deprivation: Deprivation, threads: Int, rejects: String?)
        throws(PipelineError)
    {
        do {
            let path = source.input.resolvedPath
            let reader = try CSVReader(path: path)
            let columns = CountColumns(
                lsoa: source.input.lsoa, year: source.input.year, sex: source.input.sex, age: source.input.age,
                population: source.denominator, deaths: source.numerator)
            let plan = try IngestPlan(
                file: path, header: reader.header, columns: columns, geography: geography, deprivation: deprivation,
                keys: [.la, .localDecile, .decile, .sex, .ageBand, .year], bands: source.bands, localWithin: .la)
            // The ingest engine's own thresholds for reading in parallel blocks.
            let defaults = AggregationRequest(counts: path, by: [], output: nil, data: DataDirectory(path: ""))
            let (accumulator, read, rejected, parallel) = try CountsAggregation.accumulate(
                path: path, reader: reader, plan: plan, threads: threads, minimumSize: defaults.parallelMinimumBytes,
                blockSize: defaults.parallelBlockBytes, rejectsPath: source.input.onError == .reject ? rejects : nil)
            ingest = plan
            self.accumulator = accumulator
            rowsRead = read
            accepted = accumulator.accepted
            self.rejected = rejected
            self.parallel = parallel
            bandCount = source.bands.bands?.count ?? 0
            var la: [Int32] = [], local: [Int8] = [], decile: [Int8] = []
            var byAuthority = [[Int32]](repeating: [], count: geography.localAuthorities.count)
            for g in 0..<plan.groupCount {
                let a = plan.groupValues[g * 3], l = plan.groupValues[g * 3 + 1], d = plan.groupValues[g * 3 + 2]
                la.append(a)
                local.append(Int8(max(l, 0)))
                decile.append(Int8(d))
                byAuthority[Int(a)].append(Int32(g))
            }
            groupAuthority = la
            groupLocalDecile = local
            groupDecile = decile
            groupsOfAuthority = byAuthority
        } catch let error as PipelineError {
            throw error
        } catch let error as CSVError {
            throw .csv(error)
        } catch {
            throw .internalError("\(error)")
        }
    }

    /// Whether the input has any accepted row in `year`.
    func hasYear(_ year: Int) -> Bool {
        let slot = year - IngestPlan.firstYear
        return slot >= 0 && slot < IngestPlan.yearSlots && accumulator.yearsSeen[slot]
    }

    /// The years with data, ascending.
    var years: [Int] {
        (0..<IngestPlan.yearSlots).filter { accumulator.yearsSeen[$0] }.map { $0 + IngestPlan.firstYear }
    }

    /// The accumulator columns of each (year of `period`, source band): `columns[y * bandCount + b]`, −1 where no row has it.
    func columns(for period: Period) -> [Int] {
        var out: [Int] = []
        for year in period.first...period.last {
            for band in 0..<bandCount {
                out.append(
                    accumulator.cells.existingColumn((year - IngestPlan.firstYear) * CellAccumulator.bandSlots + band) ?? -1)
            }
        }
        return out
    }

    /// Adds group `g`'s sums over `columns` (from `columns(for:)`) and `sexes` into `population`,
    /// `events` (per source band) and `rows`.
    @inline(__always)
    func add(
        group g: Int, columns: [Int], sexes: [Int], population: UnsafeMutablePointer<Double>,
        events: UnsafeMutablePointer<Double>, rows: inout Double
    ) {
        let bands = bandCount
        let cells = accumulator.cells
        for (k, c) in columns.enumerated() where c >= 0 {
            let b = k % bands
            let cell = cells.cell(row: g, column: c)
            for sex in sexes {
                population[b] += cell[sex * 3]
                events[b] += cell[sex * 3 + 1]
                rows += cell[sex * 3 + 2]
            }
        }
    }
}

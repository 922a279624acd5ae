import CSVStream
import Foundation
import Ingest
import NumericCore
import Testing
import _TestSupport

@testable import Areas

/// An independent reading of the lookup files with plain dictionaries, for reference sums.
struct ReferenceLookups {
    var la: [String: String] = [:]
    var ward: [String: String] = [:]
    var region: [String: String] = [:]
    var rank: [String: Int] = [:]
    var decile: [String: Int] = [:]
    var names: [String: String] = [:]

    static let shared: ReferenceLookups = {
        var r = ReferenceLookups()
        let wards = try! CSVReader.readAll(path: Fixtures.sharedPath("data/lookups/lsoa11_ward19.csv.gz"))
        for row in wards.rows {
            r.ward[row[0]] = row[2]
            r.la[row[0]] = row[4]
            r.names[row[2]] = row[3]
            r.names[row[4]] = row[5]
        }
        let las = try! CSVReader.readAll(path: Fixtures.sharedPath("data/lookups/lad19_region_combined_authority.csv"))
        for row in las.rows {
            r.region[row[0]] = row[2]
            r.names[row[2]] = row[3]
        }
        let imd = try! CSVReader.readAll(path: Fixtures.sharedPath("data/imd2019/imd2019_lsoa11_ranks.csv.gz"))
        for row in imd.rows {
            r.rank[row[0]] = Int(row[4].replacingOccurrences(of: ",", with: ""))!
            r.decile[row[0]] = Int(row[5])!
        }
        return r
    }()

    /// Local deciles within local authorities by the §7 formula (none for fewer than 10 LSOAs).
    func localDeciles() -> [String: Int] {
        var members: [String: [String]] = [:]
        for (lsoa, la) in la { members[la, default: []].append(lsoa) }
        var out: [String: Int] = [:]
        for (_, lsoas) in members where lsoas.count >= 10 {
            for lsoa in lsoas {
                let position = 1 + lsoas.filter { rank[$0]! < rank[lsoa]! }.count  // ties share the smallest
                out[lsoa] = IngestFixtures.section7(position: position, of: lsoas.count, quantiles: 10)
            }
        }
        return out
    }
}

/// A random counts file on the LSOAs of a few districts, with single years of age.
struct RandomCounts {
    struct Row {
        var lsoa: String
        var year: Int
        var sex: String
        var age: Int
        var population: Int
        var deaths: Int
    }

    var rows: [Row] = []

    init(districts: [String], years: ClosedRange<Int>, seed: UInt64, density: Double = 0.15) {
        var rng = Xoshiro256StarStar(seed: seed)
        let lookups = ReferenceLookups.shared
        let lsoas = lookups.la.filter { districts.contains($0.value) }.keys.sorted()
        for lsoa in lsoas {
            for year in years {
                for sex in ["Male", "Female"] {
                    for age in 0...95 where rng.nextUniform() < density {
                        let population = Int(rng.next() % 40)
                        rows.append(
                            Row(lsoa: lsoa, year: year, sex: sex, age: age, population: population, deaths: Int(rng.next() % 4)))
                    }
                }
            }
        }
        rows.shuffle(using: &rng)  // no order is assumed
    }

    /// Writes the rows as CSV (gzip for a `.gz` path) with the given header names.
    func write(to path: String, header: [String] = ["lsoa_code", "year", "sex", "age_band", "population", "deaths"]) throws {
        let writer = try CSVWriter(path: path)
        try writer.write(row: header)
        for r in rows { try writer.write(row: [r.lsoa, "\(r.year)", r.sex, "\(r.age)", "\(r.population)", "\(r.deaths)"]) }
        try writer.finish()
    }
}

/// The life-table band label of a single year of age.
func lifeTableBand(_ age: Int) -> String {
    switch age {
    case 0: return "0"
    case 1...4: return "1-4"
    case 90...: return "90+"
    default: return "\(age / 5 * 5)-\(age / 5 * 5 + 4)"
    }
}

/// The ESP2013 band label of a single year of age.
func esp2013Band(_ age: Int) -> String {
    age >= 90 ? "90+" : "\(age / 5 * 5)-\(age / 5 * 5 + 4)"
}

@Suite struct AggregationTests {
    /// Liverpool, Knowsley, City of London, Hartlepool.
    static let districts = ["E08000012", "E08000011", "E09000001", "E06000001"]
    static let counts = RandomCounts(districts: districts, years: 2015...2018, seed: 42)

    func run(
        _ by: [AggregationKey], bands: BandScheme = .input, period: Int? = nil, threads: Int = 1, input: String? = nil,
        parallelBlock: Int? = nil, configure: (inout AggregationRequest) -> Void = { _ in }
    ) throws -> (rows: [[String: String]], text: String, summary: AggregationSummary) {
        let dir = try Healthgap.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = input ?? dir.appendingPathComponent("counts.csv").path
        if input == nil { try Self.counts.write(to: path) }
        let output = dir.appendingPathComponent("out.csv").path
        var request = AggregationRequest(counts: path, by: by, output: output, data: IngestFixtures.data)
        request.bands = bands
        request.periodLength = period
        request.threads = threads
        if let parallelBlock {
            request.parallelMinimumBytes = 1
            request.parallelBlockBytes = parallelBlock
        }
        configure(&request)
        let summary = try CountsAggregation.run(
            request, geography: IngestFixtures.geography, deprivation: IngestFixtures.deprivation)
        let text = try String(contentsOfFile: output, encoding: .utf8)
        return (try parseCSV(text), text, summary)
    }

    /// Sums the random rows by `key` with a dictionary.
    func reference(_ key: (RandomCounts.Row) -> [String]?) -> [[String]: (Double, Double)] {
        var sums: [[String]: (Double, Double)] = [:]
        for row in Self.counts.rows {
            guard let k = key(row) else { continue }
            let old = sums[k] ?? (0, 0)
            sums[k] = (old.0 + Double(row.population), old.1 + Double(row.deaths))
        }
        return sums
    }

    func expectEqual(_ rows: [[String: String]], _ columns: [String], _ want: [[String]: (Double, Double)]) {
        #expect(rows.count == want.count)
        var got: [[String]: (Double, Double)] = [:]
        for row in rows {
            let key = columns.map { row[$0] ?? "?" }
            #expect(got[key] == nil, "repeated output key \(key)")
            got[key] = (Double(row["population"]!)!, Double(row["deaths"]!)!)
        }
        for (key, value) in want {
            guard let mine = got[key] else {
                Issue.record("missing cell \(key)")
                continue
            }
            #expect(mine == value, "cell \(key)")
        }
    }

    @Test func lifeTableBandsByDistrictDecileSexAndYearMatchTheReference() throws {
        let r = ReferenceLookups.shared
        let (rows, text, summary) = try run([.la, .decile, .sex, .ageBand, .year], bands: .le)
        #expect(text.hasPrefix("la,la_name,decile,sex,age_band,year,population,deaths\n"))
        #expect(summary.rowsRead == Self.counts.rows.count && summary.accepted == summary.rowsRead && summary.rejected == 0)
        expectEqual(
            rows, ["la", "decile", "sex", "age_band", "year"],
            reference { [r.la[$0.lsoa]!, "\(r.decile[$0.lsoa]!)", $0.sex, lifeTableBand($0.age), "\($0.year)"] })
        #expect(rows.allSatisfy { r.names[$0["la"]!] == $0["la_name"] })
        // Sorted by the keys in order: district code, decile, Male before Female, band by age, year.
        let order = rows.map { row -> [Int] in
            let band = row["age_band"]!
            let start = Int(band.prefix { $0.isNumber })!
            return [
                Self.districts.sorted().firstIndex(of: row["la"]!)!, Int(row["decile"]!)!, row["sex"] == "Male" ? 0 : 1, start,
                Int(row["year"]!)!,
            ]
        }
        #expect(order == order.sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test func esp2013BandsRegionsQuintilesCore20AndPeriodsMatchTheReference() throws {
        let r = ReferenceLookups.shared
        let (rows, text, _) = try run([.region, .quintile, .core20, .period, .ageBand], bands: .esp2013, period: 3)
        #expect(text.hasPrefix("region,region_name,quintile,core20,period,age_band,population,deaths\n"))
        var want: [[String]: (Double, Double)] = [:]
        for start in 2015...2016 {
            let label = "\(start)-\(start + 2)"
            for (key, value) in reference({ row in
                guard (start...(start + 2)).contains(row.year) else { return nil }
                let d = r.decile[row.lsoa]!
                return [r.region[r.la[row.lsoa]!]!, "\((d + 1) / 2)", d <= 2 ? "core20" : "rest", label, esp2013Band(row.age)]
            }) {
                want[key] = value
            }
        }
        expectEqual(rows, ["region", "quintile", "core20", "period", "age_band"], want)
    }

    @Test func wardsLocalDecilesAndInputBandsMatchTheReference() throws {
        let r = ReferenceLookups.shared
        let local = r.localDeciles()
        let (rows, _, summary) = try run([.ward, .localDecile, .ageBand])
        expectEqual(
            rows, ["ward", "local_decile", "age_band"],
            reference { [r.ward[$0.lsoa]!, local[$0.lsoa].map { "\($0)" } ?? "", "\($0.age)"] })
        // City of London is too small for local deciles: its rows are summed with an empty decile, and a warning says so.
        #expect(rows.contains { $0["local_decile"] == "" })
        #expect(summary.warnings.count == 1 && summary.warnings[0].contains("City of London (E09000001)"))
    }

    @Test func lsoaLevelAndNoKeysButSex() throws {
        let (rows, _, _) = try run([.lsoa, .year])
        expectEqual(rows, ["lsoa", "year"], reference { [$0.lsoa, "\($0.year)"] })
        let (bySex, _, _) = try run([.sex])
        expectEqual(bySex, ["sex"], reference { [$0.sex] })
    }

    @Test func parallelBlocksAndGzipInputGiveTheSameBytes() throws {
        let keys: [AggregationKey] = [.la, .decile, .sex, .ageBand, .year]
        let (_, single, _) = try run(keys, bands: .le)
        let (_, parallel, summary) = try run(keys, bands: .le, threads: 2, parallelBlock: 4096)
        #expect(summary.parallel)
        #expect(parallel == single)
        let dir = try Healthgap.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let gz = dir.appendingPathComponent("counts.csv.gz").path
        try Self.counts.write(to: gz)
        let (_, zipped, zippedSummary) = try run(keys, bands: .le, threads: 2, input: gz, parallelBlock: 4096)
        #expect(!zippedSummary.parallel)  // gzip is inflated on its own thread and parsed on one
        #expect(zipped == single)
    }

    @Test func aDuplicateSplitAcrossParallelBlocksIsReportedAtItsLine() throws {
        let dir = try Healthgap.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("dup.csv").path
        try Self.counts.write(to: path)
        let first = Self.counts.rows[0]
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("\(first.lsoa),\(first.year),\(first.sex),\(first.age),1,1\n".utf8))
        try handle.close()
        do {
            _ = try run([.la], threads: 2, input: path, parallelBlock: 4096)
            Issue.record("expected a duplicate-key error")
        } catch let error as InputError {
            guard case .csv(.invalidValue(_, let line, let column, _, _, let expected)) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(line == Self.counts.rows.count + 2 && column == 1 && expected.hasPrefix("one row per lsoa"))
        }
    }

    @Test func otherColumnNamesAreMappedByFlags() throws {
        let dir = try Healthgap.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("renamed.csv").path
        try Self.counts.write(to: path, header: ["LSOA11CD", "Yr", "Gender", "Age", "Pop", "Deaths"])
        let (rows, _, _) = try run([.la, .sex], input: path) { request in
            request.columns = CountColumns(
                lsoa: "LSOA11CD", year: "yr", sex: "gender", age: "age", population: "pop", deaths: "deaths")
        }
        let r = ReferenceLookups.shared
        expectEqual(rows, ["la", "sex"], reference { [r.la[$0.lsoa]!, $0.sex] })
    }

    @Test func placeAndICBBreakdownsFailOutsideCheshireAndMerseyside() throws {
        do {
            _ = try run([.place, .sex])
            Issue.record("expected an error")
        } catch let error as InputError {
            #expect(error.exitCode == 65)
            #expect(error.description.contains("outside Cheshire and Merseyside"))
            #expect(error.description.contains("Place"))
        }
        do {
            _ = try run([.localDecile], configure: { $0.localWithin = .icb })
            Issue.record("expected an error")
        } catch let error as InputError {
            #expect(error.description.contains("ICB breakdown elsewhere"))
        }
    }

    @Test func aStraddlingInputBandIsAnErrorNamingFileLineAndValue() throws {
        let dir = try Healthgap.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("bands.csv").path
        try "lsoa_code,year,sex,age_band,population,deaths\nE01006512,2018,Male,0-4,10,1\nE01006512,2018,Male,5-9,10,1\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try run([.ageBand], bands: .esp2013, input: path).rows.count == 2)
        do {
            _ = try run([.ageBand], bands: .le, input: path)
            Issue.record("expected an error")
        } catch let error as InputError {
            guard case .csv(.invalidValue(let file, let line, let column, _, let text, let expected)) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(file == path && line == 2 && column == 4 && text == "0-4")
            #expect(expected.contains("it spans 0 and 1-4"))
        }
    }

    @Test func requestsThatCannotWorkAreUsageErrors() throws {
        var request = AggregationRequest(counts: "x.csv", by: [.period], output: nil, data: IngestFixtures.data)
        #expect(throws: InputError.self) { try request.validate() }
        request.periodLength = 3
        #expect(throws: Never.self) { try request.validate() }
        request.by = [.year, .period]
        #expect(throws: InputError.self) { try request.validate() }
        #expect(throws: InputError.self) { try AggregationKey.parseList("la,nonsense") }
        #expect(throws: InputError.self) { try AggregationKey.parseList("la,la") }
        #expect(try AggregationKey.parseList(" la , local_decile ") == [.la, .localDecile])
    }
}

import CSVStream
import Foundation
import Testing
import _TestSupport

@testable import Areas

/// The lookups as the aggregation sees them, loaded once for all ingest tests.
@Suite struct IngestLookupTests {
    @Test func theRealIMDFileReadsWithItsBOMAndQuotedThousands() throws {
        let path = Fixtures.sharedPath("data/imd2019/imd2019_lsoa11_ranks.csv.gz")
        let (header, rows) = try CSVReader.readAll(path: path)
        #expect(rows.count == 32_844)
        #expect(header[0] == "LSOA code (2011)")  // the byte-order mark is gone
        #expect(rows[0][0] == "E01000001" && rows[0][4] == "29,199")  // quoted thousands as written
        // The loaded edition: every LSOA has a rank in 1…N (the published ranks have 26 ties), deciles by count.
        let d = IngestFixtures.deprivation
        #expect(d.rankedCount == 32_844)
        #expect(d.edition == "IMD 2019")
        #expect(Set(d.rankOfLSOA).count == 32_818 && d.rankOfLSOA.min() == 1 && d.rankOfLSOA.max() == 32_844)
        let first = try #require(IngestFixtures.geography.lsoas.index(of: "E01000001"))
        #expect(d.rankOfLSOA[first] == 29_199 && d.decileOfLSOA[first] == 9)
        for i in 0..<d.rankOfLSOA.count {
            #expect(Int(d.decileOfLSOA[i]) == Deprivation.nationalDecile(rank: Int(d.rankOfLSOA[i]), count: 32_844))
        }
        // Quintiles and Core20 follow the deciles.
        #expect(d.quintile(ofLSOA: first) == 5 && d.isCore20(lsoa: first) == false)
    }

    @Test func theRepositoryCopiesMatchTheSharedFiles() throws {
        for file in [
            "imd2019/imd2019_lsoa11_ranks.csv.gz", "imd2019/imd2019_lsoa11_population_denominators.csv.gz",
            "imd2019/README.md", "lookups/lsoa11_ward19.csv.gz", "lookups/lad19_region_combined_authority.csv",
            "lookups/cheshire_and_merseyside_places.csv", "lookups/README.md",
        ] {
            let ours = try Data(contentsOf: URL(fileURLWithPath: IngestFixtures.data.file(file)))
            let shared = try Data(contentsOf: URL(fileURLWithPath: Fixtures.sharedPath("data/" + file)))
            #expect(ours == shared, "Data/\(file) differs from ../shared/data/\(file)")
        }
    }

    @Test func cheshireAndMerseysideHas1562LSOAsAndTheRightCountPerPlace() throws {
        // Independently: count LSOAs per district straight from the ward lookup file.
        let (header, rows) = try CSVReader.readAll(path: Fixtures.sharedPath("data/lookups/lsoa11_ward19.csv.gz"))
        let laColumn = try #require(header.firstIndex(of: "lad19_code"))
        var expected: [String: Int] = [:]
        for row in rows where IngestFixtures.cheshireAndMerseyside.contains(row[laColumn]) {
            expected[row[laColumn], default: 0] += 1
        }
        #expect(expected.values.reduce(0, +) == 1_562)

        let g = IngestFixtures.geography
        #expect(g.places.count == 9 && g.icbs.count == 1 && g.icbs[0].code == "E54000008")
        let placeOf = g.parents(at: .place)
        let icbOf = g.parents(at: .icb)
        var counted: [String: Int] = [:]
        for i in 0..<g.lsoaCount where placeOf[i] >= 0 { counted[g.places[Int(placeOf[i])].code, default: 0] += 1 }
        #expect(counted == expected)
        #expect(icbOf.filter { $0 >= 0 }.count == 1_562)
        #expect(g.places.first { $0.code == "E08000012" }?.name == "Liverpool")
        // Liverpool City Region (E47000004) holds six of the nine Places.
        let lcr = try #require(g.combinedAuthorities.firstIndex { $0.code == "E47000004" })
        #expect(g.localAuthorities.filter { $0.combinedAuthority == lcr && $0.place != nil }.count == 6)
        #expect(g.lsoaCount == 32_844 && g.localAuthorities.count == 317)
    }

    @Test(arguments: [AreaLevel.la, .place, .region])
    func localDecilesFollowSection7(level: AreaLevel) throws {
        let g = IngestFixtures.geography, d = IngestFixtures.deprivation
        let local = d.localQuantiles(geography: g, within: level, quantiles: 10)
        let parent = g.parents(at: level)
        var members: [Int32: [Int]] = [:]
        for i in 0..<g.lsoaCount where parent[i] >= 0 { members[parent[i], default: []].append(i) }
        for (_, lsoas) in members {
            let sorted = lsoas.sorted { d.rankOfLSOA[$0] < d.rankOfLSOA[$1] }
            var position = 0
            for (i, lsoa) in sorted.enumerated() {
                // 1 + the number with a lower rank: tied LSOAs keep the first one's position.
                if i == 0 || d.rankOfLSOA[sorted[i - 1]] != d.rankOfLSOA[lsoa] { position = i + 1 }
                let want = sorted.count < 10 ? 0 : IngestFixtures.section7(position: position, of: sorted.count, quantiles: 10)
                #expect(Int(local.quantileOfLSOA[lsoa]) == want)
            }
        }
        // Outside Cheshire and Merseyside there is no Place, hence no local decile within a Place.
        if level == .place {
            #expect(local.quantileOfLSOA.filter { $0 > 0 }.count == 1_562)
        }
    }

    @Test func areasWithFewerLSOAsThanQuantilesGetNoneAndANote() throws {
        let g = IngestFixtures.geography, d = IngestFixtures.deprivation
        let local = d.localQuantiles(geography: g, within: .la, quantiles: 10)
        let small = local.smallAreas.map { g.localAuthorities[$0].code }
        #expect(small == ["E06000053", "E09000001"])  // Isles of Scilly (1 LSOA), City of London (6)
        #expect(local.notes[1].contains("City of London (E09000001) has 6 ranked LSOAs, fewer than 10"))
        let city = try #require(g.authorityIndex(code: "E09000001"))
        for i in 0..<g.lsoaCount where g.authorityOfLSOA[i] == city { #expect(local.quantileOfLSOA[i] == 0) }
        // Quintiles need only 5: City of London gets them.
        let quintiles = d.localQuantiles(geography: g, within: .la, quantiles: 5)
        #expect(quintiles.smallAreas.map { g.localAuthorities[$0].code } == ["E06000053"])
    }

    @Test func lsoaCodesAreFoundFromBytesAndStrings() {
        let index = IngestFixtures.geography.lsoas
        let lookup = LSOALookup(index)
        defer { lookup.free() }
        for code in ["E01000001", "E01033768", "E01006512"] {
            let i = index.index(of: code)
            #expect(i != nil && index.codes[i!] == code)
            var copy = code
            #expect(copy.withUTF8 { lookup.index(of: $0) } == i)
        }
        #expect(index.index(of: "E01999999") == nil)
        #expect(index.index(of: " E01000001 ") == index.index(of: "E01000001"))
        #expect(index.index(of: "W01000001") == nil && index.index(of: "E0100000x") == nil && index.index(of: "") == nil)
    }

    @Test func theDataDirectoryIsFoundFromTheExecutableOrTheCheckout() throws {
        let fromCheckout = try DataDirectory.locate()
        #expect(FileManager.default.fileExists(atPath: fromCheckout.file(DataDirectory.marker)))
        let fake = Fixtures.projectRoot.appendingPathComponent(".build-x/release/healthgap").path
        #expect(try DataDirectory.locate(executable: fake).path == Fixtures.projectRoot.appendingPathComponent("Data").path)
        #expect(throws: InputError.self) { try DataDirectory.locate(explicit: "/nonexistent") }
    }
}

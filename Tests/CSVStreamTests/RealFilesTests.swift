import CSVStream
import Testing
import _TestSupport

@Suite("Real files from ../shared")
struct RealFilesTests {
    static let imdRanks = Fixtures.sharedPath("data/imd2019/imd2019_lsoa11_ranks.csv.gz")

    @Test func imd2019Ranks() throws {
        let reader = try CSVReader(path: Self.imdRanks)
        #expect(
            reader.header.names == [
                "LSOA code (2011)", "LSOA name (2011)", "Local Authority District code (2019)",
                "Local Authority District name (2019)", "Index of Multiple Deprivation (IMD) Rank",
                "Index of Multiple Deprivation (IMD) Decile",
            ])
        let district = try reader.header.requireIndex(of: "local authority district code (2019)")
        let rank = try reader.header.requireIndex(of: "Index of Multiple Deprivation (IMD) Rank")
        let decile = try reader.header.requireIndex(of: "index of multiple deprivation (imd) decile")
        let cheshireAndMerseyside: Set<String> = [
            "E06000049", "E06000050", "E06000006", "E08000011", "E08000012", "E08000014", "E08000013", "E06000007",
            "E08000015",
        ]
        var ranks: [Int] = []
        ranks.reserveCapacity(32_844)
        var inRegion = 0
        var quotedRanks = 0
        try reader.forEachRow { row in
            let value = try #require(try row.int(rank))
            #expect(try row.double(rank) == Double(value))
            if row.wasQuoted(rank) { quotedRanks += 1 }
            ranks.append(value)
            #expect((1...10).contains(try row.int(decile) ?? 0))
            if cheshireAndMerseyside.contains(row[district]) { inRegion += 1 }
        }
        #expect(ranks.count == 32_844)
        #expect(reader.rowsRead == 32_844)
        #expect(ranks.first == 29_199)
        #expect(quotedRanks > 20_000)
        // The published ranks are competition ranks: 1…32,844, each once, except 26 ties where two
        // LSOAs share rank r and r + 1 is skipped (checked independently with Python's csv module).
        let sorted = ranks.sorted()
        var ties = 0
        for (k, value) in sorted.enumerated() {
            if k > 0 && value == sorted[k - 1] {
                ties += 1
            } else {
                #expect(value == k + 1, "rank \(value) at sorted position \(k + 1)")
            }
        }
        #expect(ties == 26)
        #expect(Set(ranks).count == 32_844 - 26)
        #expect(inRegion == 1_562)
    }

    @Test func imd2019RanksWithSmallChunksMatch() throws {
        let big = try CSVReader.readAll(path: Self.imdRanks)
        let small = try CSVReader.readAll(path: Self.imdRanks, options: .init(chunkSize: 997))
        #expect(small.header == big.header)
        #expect(small.rows == big.rows)
        #expect(big.rows.first == ["E01000001", "City of London 001A", "E09000001", "City of London", "29,199", "9"])
    }

    @Test func funnelRatioOutputsHasANewlineInAQuotedHeader() throws {
        let path = Fixtures.sharedPath("reference/phe/testdata_funnel_ratio_outputs.csv")
        let reader = try CSVReader(path: path)
        #expect(reader.header.names.first == "Observed_events")
        #expect(reader.header.count == 13)
        #expect(reader.header.index(of: "observed_events") == 0)
        var lines: [Int] = []
        var observed: [Int] = []
        try reader.forEachRow { row in
            lines.append(row.line)
            observed.append(try #require(try row.int(0)))
            for i in 1..<row.count { _ = try row.double(i) }
        }
        #expect(lines.first == 3, "the header spans lines 1 and 2")
        #expect(lines.last == 102)
        #expect(observed.first == 1)
        #expect(lines.count == 100)
    }
}

import CSVStream
import Foundation
import Indicators
import Ingest
import NumericCore
import Testing
import _TestSupport

@testable import Areas

@Suite struct SynthTests {
    /// Generates counts for `areas` into a fresh directory.
    static func generate(areas: String, years: ClosedRange<Int>, seed: UInt64, threads: Int = 2, gzip: Bool = false)
        throws -> (dir: URL, output: String, truth: String, summary: SyntheticCounts.Summary)
    {
        let dir = try Healthgap.temporaryDirectory()
        let output = dir.appendingPathComponent(gzip ? "synth.csv.gz" : "synth.csv").path
        let truth = dir.appendingPathComponent("truth.csv").path
        var request = SyntheticCounts.Request(output: output, data: IngestFixtures.data)
        request.areas = areas
        request.years = years
        request.seed = seed
        request.truth = truth
        request.threads = threads
        return (
            dir, output, truth,
            try SyntheticCounts.generate(
                request, geography: IngestFixtures.geography, deprivation: IngestFixtures.deprivation)
        )
    }

    @Test func theSameSeedGivesTheSameBytesWhateverTheThreads() throws {
        let a = try Self.generate(areas: "E06000006", years: 2019...2020, seed: 7, threads: 1)
        let b = try Self.generate(areas: "E06000006", years: 2019...2020, seed: 7, threads: 2)
        let c = try Self.generate(areas: "E06000006", years: 2019...2020, seed: 8)
        defer { for x in [a.dir, b.dir, c.dir] { try? FileManager.default.removeItem(at: x) } }
        let bytesA = try Data(contentsOf: URL(fileURLWithPath: a.output))
        #expect(bytesA == (try Data(contentsOf: URL(fileURLWithPath: b.output))))
        #expect(bytesA != (try Data(contentsOf: URL(fileURLWithPath: c.output))))
        #expect(try Data(contentsOf: URL(fileURLWithPath: a.truth)) == (try Data(contentsOf: URL(fileURLWithPath: b.truth))))
        // Halton has 79 LSOAs: 79 × 2 years × 2 sexes × 20 bands rows under the contract header.
        let text = String(decoding: bytesA, as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(
            lines[0]
                == "lsoa_code,year,sex,age_band,population,deaths,healthy,surveyed,circulatory,cancer,respiratory,digestive,external"
        )
        #expect(lines.count == 1 + 79 * 2 * 2 * 20 && a.summary.rows == 79 * 80)
        #expect(lines[1].hasPrefix("E01012") && lines[1].contains(",2019,Male,0,"))
        #expect(lines[20].contains(",2019,Male,90+,") && lines[21].contains(",2019,Female,0,"))
        // The parameters are written beside the output.
        let params = try String(contentsOfFile: a.dir.appendingPathComponent("synth.params.json").path, encoding: .utf8)
        #expect(params.contains("\"seed\": 7") && params.contains("gompertz_level") && params.contains("deaths by cause"))
        _ = try JSONSerialization.jsonObject(with: Data(params.utf8))
    }

    /// The first six columns are the bytes the generator wrote before it had the health columns:
    /// the SHA-256 of Halton 2019-2020, seed 7, cut to those columns, recorded then.
    @Test func theHealthColumnsLeaveTheOtherColumnsAsTheyWere() throws {
        let run = try Self.generate(areas: "E06000006", years: 2019...2020, seed: 7, threads: 1)
        defer { try? FileManager.default.removeItem(at: run.dir) }
        let text = try String(contentsOfFile: run.output, encoding: .utf8)
        var six = ""
        var healthy = 0, surveyed = 0
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            #expect(fields.count == 13)
            six += fields[0..<6].joined(separator: ",") + "\n"
            guard let h = Int(fields[6]), let s = Int(fields[7]) else { continue }
            #expect(String(fields[7]) == String(fields[4]), "surveyed is the population: \(line)")
            #expect(h >= 0 && h <= s, "0 ≤ healthy ≤ surveyed: \(line)")
            healthy += h
            surveyed += s
        }
        let file = run.dir.appendingPathComponent("six.csv")
        try Data(six.utf8).write(to: file)
        let digest = try Self.sha256(file.path)
        #expect(digest == "74421fa111acd1cc670821a40a365f8b7518c47bf7d174d30257d02a4b7bdfbb")
        // About four in five in good health overall, as Census 2021 England.
        let share = Double(healthy) / Double(surveyed)
        #expect(share > 0.75 && share < 0.9, "share in good health \(share)")
    }

    /// Lowercase hex SHA-256 of a file, by `sha256sum`.
    static func sha256(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(String(decoding: out, as: UTF8.self).prefix(64))
    }

    /// The first eight columns are the bytes the generator wrote before it split deaths by cause
    /// (the causes draw from a third stream): the SHA-256 of Halton 2019-2020, seed 7, cut to those
    /// columns. (Recorded with the causes in place; that it is the earlier generator's is shown by
    /// the golden demo tables of the indicators that read these columns, unchanged by the causes.)
    @Test func theCauseColumnsLeaveTheOtherColumnsAsTheyWere() throws {
        let run = try Self.generate(areas: "E06000006", years: 2019...2020, seed: 7, threads: 1)
        defer { try? FileManager.default.removeItem(at: run.dir) }
        let text = try String(contentsOfFile: run.output, encoding: .utf8)
        var eight = ""
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            eight += fields[0..<8].joined(separator: ",") + "\n"
        }
        let file = run.dir.appendingPathComponent("eight.csv")
        try Data(eight.utf8).write(to: file)
        #expect(try Self.sha256(file.path) == Self.eightColumns)
    }

    static let eightColumns = "da4e3d8f91211794b7bcd4068c9fa520df327b8ee0fcf0e96b517fc95c0c7efc"

    /// Every row's five causes sum to no more than its deaths, and the split has the pattern the
    /// generator promises: external causes most among young adults, circulatory and cancer among
    /// the old, and more respiratory, digestive and external deaths in the most deprived decile.
    @Test func theCausesSumToNoMoreThanTheDeathsWithAPlausiblePattern() throws {
        let run = try Self.generate(areas: "E08000012,E06000049", years: 2016...2020, seed: 11)
        defer { try? FileManager.default.removeItem(at: run.dir) }
        let (header, rows) = try CSVReader.readAll(path: run.output)
        #expect(Array(header.suffix(5)) == SyntheticCauses.names)
        let lsoa = header.firstIndex(of: "lsoa_code")!, band = header.firstIndex(of: "age_band")!
        let deathsColumn = header.firstIndex(of: "deaths")!
        // Sums of deaths and of each cause: by broad age (young 15-34, old 75+) and by decile (1, 10).
        var byAge: [String: [Int]] = [:], byDecile: [Int: [Int]] = [:]
        var leftOver = 0, rowsWithDeaths = 0
        for row in rows {
            let deaths = Int(row[deathsColumn])!
            let causes = row.suffix(5).map { Int($0)! }
            #expect(causes.allSatisfy { $0 >= 0 } && causes.reduce(0, +) <= deaths, "\(row)")
            leftOver += deaths - causes.reduce(0, +)
            if deaths > 0 { rowsWithDeaths += 1 }
            let start = Int(row[band].split(separator: "-").first!.replacingOccurrences(of: "+", with: ""))!
            let age = (15...34).contains(start) ? "young" : start >= 75 ? "old" : "other"
            byAge[age, default: [0, 0, 0, 0, 0, 0]] = zip(byAge[age, default: [0, 0, 0, 0, 0, 0]], [deaths] + causes).map(+)
            let index = try #require(IngestFixtures.geography.lsoas.index(of: row[lsoa]))
            let decile = Int(IngestFixtures.deprivation.decileOfLSOA[index])
            byDecile[decile, default: [0, 0, 0, 0, 0, 0]] = zip(byDecile[decile, default: [0, 0, 0, 0, 0, 0]], [deaths] + causes)
                .map(+)
        }
        #expect(rowsWithDeaths > 1000 && leftOver > 0, "the causes leave deaths to other causes")
        func share(_ sums: [Int]?, _ cause: Int) -> Double { Double(sums![cause + 1]) / Double(sums![0]) }
        let external = 4, circulatory = 0, cancer = 1, respiratory = 2, digestive = 3
        #expect(share(byAge["young"], external) > 3 * share(byAge["old"], external))
        #expect(share(byAge["old"], circulatory) > share(byAge["young"], circulatory))
        #expect(share(byAge["old"], cancer) > 0.15)
        for cause in [respiratory, digestive, external] {
            #expect(share(byDecile[1], cause) > share(byDecile[10], cause), "cause \(SyntheticCauses.names[cause])")
        }
    }

    @Test func theCauseSharesLeaveRoomForOtherCauses() {
        for sex in 0..<2 {
            for d in 1...10 {
                for b in 0..<20 {
                    let shares = SyntheticCauses.england.shares(band: b, sex: sex, decile: d)
                    #expect(shares.count == 5 && shares.allSatisfy { $0 > 0 } && shares.reduce(0, +) < 0.9)
                }
            }
        }
        // The split never exceeds the deaths, whatever the draws.
        var rng = Xoshiro256StarStar(seed: 3)
        var split: [Int] = []
        for deaths in [0, 1, 2, 7, 40, 900] {
            for _ in 0..<200 {
                SyntheticCauses.split(deaths: deaths, shares: [0.3, 0.3, 0.2, 0.1, 0.05], into: &split, using: &rng)
                #expect(split.count == 5 && split.allSatisfy { $0 >= 0 } && split.reduce(0, +) <= deaths)
            }
        }
    }

    @Test func theHealthSharesFallWithAgeAndDeprivation() {
        let h = SyntheticHealth.england
        for sex in 0..<2 {
            for d in 1...10 {
                let shares = h.shares(sex: sex, decile: d)
                #expect(zip(shares, shares.dropFirst()).allSatisfy { $0 > $1 })
                if d < 10 { #expect(zip(shares, h.shares(sex: sex, decile: d + 1)).allSatisfy { $0 < $1 }) }
            }
        }
        let s = SyntheticSchedule.calibrated
        for sex in 0..<2 {
            let hle = (1...10).map {
                SyntheticHealth.healthyLifeExpectancy(
                    rates: s.rates(sex: sex, decile: $0), shares: h.shares(sex: sex, decile: $0))
            }
            let le = (1...10).map { s.lifeExpectancy(sex: sex, decile: $0) }
            #expect(zip(hle, le).allSatisfy { $0 < $1 - 8 })
            // The healthy life expectancy gap between deciles 1 and 10 is wider than life expectancy's.
            #expect(hle[9] - hle[0] > le[9] - le[0] + 3, "HLE gap \(hle[9] - hle[0]), LE gap \(le[9] - le[0])")
        }
    }

    @Test func anLSOAsRowsDoNotDependOnTheOtherAreasChosen() throws {
        let one = try Self.generate(areas: "E06000006", years: 2020...2020, seed: 3)
        let two = try Self.generate(areas: "E06000006,E08000011", years: 2020...2020, seed: 3)
        defer { for x in [one.dir, two.dir] { try? FileManager.default.removeItem(at: x) } }
        let halton = try String(contentsOfFile: one.output, encoding: .utf8).split(separator: "\n").dropFirst()
        let both = Set(try String(contentsOfFile: two.output, encoding: .utf8).split(separator: "\n"))
        #expect(halton.allSatisfy { both.contains($0) })
    }

    @Test func gzipOutputDecompressesToThePlainBytes() throws {
        let plain = try Self.generate(areas: "E06000006", years: 2020...2020, seed: 5)
        let zipped = try Self.generate(areas: "E06000006", years: 2020...2020, seed: 5, gzip: true)
        defer { for x in [plain.dir, zipped.dir] { try? FileManager.default.removeItem(at: x) } }
        let (header, rows) = try CSVReader.readAll(path: zipped.output)
        let (plainHeader, plainRows) = try CSVReader.readAll(path: plain.output)
        #expect(header == plainHeader && rows == plainRows)
    }

    @Test func theScheduleHitsEnglandsLifeExpectancyAndDecileGaps() {
        let s = SyntheticSchedule.calibrated
        let male = s.averageLifeExpectancy(sex: 0), female = s.averageLifeExpectancy(sex: 1)
        #expect((78.5...80).contains(male) && (82.5...84).contains(female))
        let maleGap = s.lifeExpectancy(sex: 0, decile: 10) - s.lifeExpectancy(sex: 0, decile: 1)
        let femaleGap = s.lifeExpectancy(sex: 1, decile: 10) - s.lifeExpectancy(sex: 1, decile: 1)
        #expect((9...10).contains(maleGap) && (7...8).contains(femaleGap))
        // Monotone in decile, and the structure shares sum to 1 within each broad group and sex.
        for sex in 0..<2 {
            let le = (1...10).map { s.lifeExpectancy(sex: sex, decile: $0) }
            #expect(zip(le, le.dropFirst()).allSatisfy { $0 < $1 })
        }
        let share = SyntheticAgeStructure.england.share
        for g in 0..<3 {
            let total = (0..<2).reduce(0.0) { sum, sex in sum + share[sex].reduce(0.0) { $0 + $1[g] } }
            expectClose(total, 1, absolute: 1e-12)
        }
    }

    @Test func theTruthFileHasEveryDecileAndTheAreasOverall() throws {
        let run = try Self.generate(areas: "E06000006", years: 2020...2020, seed: 1)
        defer { try? FileManager.default.removeItem(at: run.dir) }
        let rows = try Fixtures.table(URL(fileURLWithPath: run.truth))
        #expect(rows.count == 22)
        let s = SyntheticSchedule.calibrated
        for row in rows where row["decile"] != "all" {
            let sex = row["sex"] == "Male" ? 0 : 1
            expectClose(Double(row["le_at_birth"]!), s.lifeExpectancy(sex: sex, decile: Int(row["decile"]!)!), absolute: 1e-6)
            let d = Int(row["decile"]!)!
            let hle = SyntheticHealth.healthyLifeExpectancy(
                rates: s.rates(sex: sex, decile: d), shares: SyntheticHealth.england.shares(sex: sex, decile: d))
            expectClose(Double(row["hle_at_birth"]!), hle, absolute: 1e-6)
        }
    }

    /// Generate → aggregate → life expectancy recovers the truth (a few districts, ten years).
    @Test func aggregatedLifeExpectancyRecoversTheTruth() throws {
        let run = try Self.generate(areas: "E08000012,E06000049,E08000011", years: 2013...2022, seed: 11)
        defer { try? FileManager.default.removeItem(at: run.dir) }
        let output = run.dir.appendingPathComponent("agg.csv").path
        var request = AggregationRequest(
            counts: run.output, by: [.sex, .decile, .ageBand], output: output, data: IngestFixtures.data)
        request.bands = .le
        _ = try CountsAggregation.run(request, geography: IngestFixtures.geography, deprivation: IngestFixtures.deprivation)
        let cells = try Fixtures.table(URL(fileURLWithPath: output))
        let truth = try Fixtures.table(URL(fileURLWithPath: run.truth))
        func estimate(_ rows: [[String: String]]) -> Double? {
            let labels = rows.map { $0["age_band"]! }
            let starts = try! AgeBand.resolve(labels: labels).map(\.start)
            let result = LifeExpectancy.compute(
                startAges: starts, deaths: rows.map { Double($0["deaths"]!) },
                populations: rows.map { Double($0["population"]!) },
                levels: [ConfidenceLevel.ninetyFive])
            return result[0].value
        }
        for sex in ["Male", "Female"] {
            // All deciles together against the areas' overall truth.
            var pooled: [String: (Double, Double)] = [:]
            for row in cells where row["sex"] == sex {
                let old = pooled[row["age_band"]!] ?? (0, 0)
                pooled[row["age_band"]!] = (old.0 + Double(row["deaths"]!)!, old.1 + Double(row["population"]!)!)
            }
            let all = pooled.map { ["age_band": $0.key, "deaths": "\($0.value.0)", "population": "\($0.value.1)"] }
            let overall = try #require(truth.first { $0["sex"] == sex && $0["decile"] == "all" })
            expectClose(estimate(all), Double(overall["le_at_birth"]!), absolute: 0.4, "\(sex) overall")
            // Each decile with enough people against its own truth, and the gradient's direction.
            var byDecile: [Int: Double] = [:]
            for d in 1...10 {
                let rows = cells.filter { $0["sex"] == sex && $0["decile"] == "\(d)" }
                let population = rows.reduce(0.0) { $0 + Double($1["population"]!)! }
                guard rows.count == 20, population > 300_000, let e = estimate(rows) else { continue }
                let want = Double(truth.first { $0["sex"] == sex && $0["decile"] == "\(d)" }!["le_at_birth"]!)!
                expectClose(e, want, absolute: 1.0, "\(sex) decile \(d)")
                byDecile[d] = e
            }
            #expect(byDecile.count >= 3)
            if let low = byDecile.min(by: { $0.key < $1.key }), let high = byDecile.max(by: { $0.key < $1.key }) {
                #expect(low.value < high.value)
            }
        }
    }

    @Test func poissonDrawsHaveTheRightMeanAndVariance() {
        var rng = Xoshiro256StarStar(seed: 99)
        for mean in [0.3, 4.0, 25.0, 400.0] {
            let n = 200_000
            var sum = 0.0, squares = 0.0
            for _ in 0..<n {
                let x = Double(Poisson.draw(mean: mean, using: &rng))
                sum += x
                squares += x * x
            }
            let m = sum / Double(n), v = squares / Double(n) - m * m
            // Mean within 5 standard errors; variance within 5%.
            #expect(abs(m - mean) < 5 * (mean / Double(n)).squareRoot(), "mean \(mean): got \(m)")
            #expect(abs(v - mean) < 0.05 * mean, "variance at mean \(mean): got \(v)")
        }
        #expect(Poisson.draw(mean: 0, using: &rng) == 0)
    }

    @Test func unknownAreasAreUsageErrors() throws {
        #expect(throws: InputError.self) {
            try SyntheticCounts.selectLSOAs("E99999999", geography: IngestFixtures.geography)
        }
        #expect(try SyntheticCounts.selectLSOAs("E12000002", geography: IngestFixtures.geography).count > 4_000)  // North West
        #expect(try SyntheticCounts.selectLSOAs("england", geography: IngestFixtures.geography).count == 32_844)
    }
}

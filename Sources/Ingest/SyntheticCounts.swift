import Areas
import CSVStream
import Foundation
import NumericCore

/// `healthgap synth`: a deterministic generator of LSOA × year × sex × age band counts on the real
/// LSOAs, with a known deprivation gradient in mortality (see `SyntheticSchedule`).
///
/// Output header `lsoa_code,year,sex,age_band,population,deaths,healthy,surveyed,circulatory,cancer,
/// respiratory,digestive,external`, rows ordered by LSOA code, year, sex (`Male`, `Female`) and band
/// (`0`, `1-4`, …, `90+`). Each LSOA draws its deaths from its own xoshiro256** stream (stream i =
/// the seed's generator after i jumps, i = the LSOA's position in England), so an LSOA's rows do
/// not depend on the areas chosen or on the thread count. `surveyed` is the population and `healthy`
/// a binomial draw from it at the share in good health of `SyntheticHealth`, from a second stream
/// per LSOA (its deaths stream after one long jump); the deaths by cause are split from `deaths` as
/// `SyntheticCauses` says, from a third stream (two long jumps). So the first six columns are the
/// same bytes as before the health columns existed, and the first eight as before the causes.
public enum SyntheticCounts {
    /// What to generate.
    public struct Request: Sendable {
        /// `england`, or comma-separated local authority and region codes.
        public var areas: String = "england"
        /// The first and last year (inclusive).
        public var years: ClosedRange<Int> = 2013...2022
        /// The random seed.
        public var seed: UInt64 = 1
        /// The counts file (`.gz`: gzip-compressed).
        public var output: String
        /// Where to write the truth table (life expectancy and healthy life expectancy at birth by sex and decile), if wanted.
        public var truth: String?
        /// Generating threads.
        public var threads: Int = 1
        /// Where the IMD and lookup files are.
        public var data: DataDirectory

        /// Creates a request with the defaults above.
        public init(output: String, data: DataDirectory) {
            self.output = output
            self.data = data
        }
    }

    /// What was generated.
    public struct Summary: Sendable {
        /// Data rows written.
        public var rows: Int
        /// LSOAs covered.
        public var lsoas: Int
        /// Where the parameters were written.
        public var parametersPath: String
        /// The truth rows: sex, decile (nil: all selected areas) and life expectancy at birth.
        public var truth: [(sex: String, decile: Int?, lifeExpectancy: Double)]
        /// Healthy life expectancy at birth of each truth row, in the same order.
        public var healthyTruth: [Double] = []
    }

    /// The band labels of the output, in order.
    public static let bandLabels = BandScheme.le.bands!.map(\.label)

    /// `F.params.json` beside `F.csv` or `F.csv.gz`.
    public static func parametersPath(for output: String) -> String {
        var base = output
        if base.hasSuffix(".gz") { base.removeLast(3) }
        if base.hasSuffix(".csv") { base.removeLast(4) }
        return base + ".params.json"
    }

    /// Generates the counts file, the parameters file and (if asked) the truth file.
    ///
    /// - Throws: `InputError.usage` for an unknown area code or bad years; `.csv` for unreadable
    ///   lookups or an unwritable output.
    /// - Complexity: O(LSOAs × years × 40) time; O(threads × block) memory.
    public static func generate(_ request: Request) throws(InputError) -> Summary {
        let geography = try Geography.load(data: request.data)
        let deprivation = try Deprivation.load("imd2019", data: request.data, geography: geography)
        return try generate(request, geography: geography, deprivation: deprivation)
    }

    /// Generates with the lookups already loaded (tests load them once); the deprivation must be IMD 2019.
    ///
    /// - Throws: as `generate(_:)`.
    /// - Complexity: as `generate(_:)`.
    public static func generate(_ request: Request, geography: Geography, deprivation: Deprivation) throws(InputError)
        -> Summary
    {
        guard request.years.lowerBound >= 1900, request.years.upperBound <= 2199 else {
            throw .usage("--years must lie within 1900-2199")
        }
        do {
            return try generateThrowing(request, geography: geography, deprivation: deprivation)
        } catch {
            throw InputError.from(error)
        }
    }

    /// The dense LSOA indices of `areas` (`england` or LA / region codes).
    ///
    /// - Throws: `InputError.usage` for a code that is neither.
    public static func selectLSOAs(_ areas: String, geography: Geography) throws(InputError) -> [Int] {
        let codes = areas.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if codes.isEmpty || codes.map({ $0.lowercased() }) == ["england"] { return Array(0..<geography.lsoaCount) }
        var authorities = Set<Int>()
        for code in codes {
            if let la = geography.authorityIndex(code: code) {
                authorities.insert(la)
            } else if let region = geography.regions.firstIndex(where: { $0.code == code }) {
                for (i, la) in geography.localAuthorities.enumerated() where la.region == region { authorities.insert(i) }
            } else {
                throw .usage(
                    "--areas: '\(code)' is not a local authority (e.g. E08000012) or region (e.g. E12000002) code, nor 'england'")
            }
        }
        return geography.lsoas(inAuthorities: authorities)
    }

    private static func generateThrowing(_ request: Request, geography: Geography, deprivation: Deprivation) throws
        -> Summary
    {
        let lsoas = try selectLSOAs(request.areas, geography: geography)
        let broad = try readDenominators(request.data.file("imd2019/imd2019_lsoa11_population_denominators.csv.gz"), geography)
        let schedule = SyntheticSchedule.calibrated
        let structure = SyntheticAgeStructure.england
        let years = Array(request.years)

        // Rates by sex × decile × band, and the per-LSOA random streams.
        var rates = [Double](repeating: 0, count: 2 * 11 * 20)
        for sex in 0..<2 {
            for d in 1...10 {
                for (b, m) in schedule.rates(sex: sex, decile: d).enumerated() { rates[(sex * 11 + d) * 20 + b] = m }
            }
        }
        let maxIndex = lsoas.last ?? 0
        let streams = Xoshiro256StarStar.streams(seed: request.seed, count: maxIndex + 1)
        let health = SyntheticHealth.england
        var healthy = [Double](repeating: 0, count: 2 * 11 * 20)
        for sex in 0..<2 {
            for d in 1...10 {
                for b in 0..<20 { healthy[(sex * 11 + d) * 20 + b] = health.share(band: b, sex: sex, decile: d) }
            }
        }
        var causes = [Double](repeating: 0, count: 2 * 11 * 20 * SyntheticCauses.names.count)
        for sex in 0..<2 {
            for d in 1...10 {
                for b in 0..<20 {
                    let shares = SyntheticCauses.england.shares(band: b, sex: sex, decile: d)
                    for (c, share) in shares.enumerated() { causes[((sex * 11 + d) * 20 + b) * shares.count + c] = share }
                }
            }
        }
        let context = Context(
            codes: geography.lsoas.codes, decile: deprivation.decileOfLSOA, broad: broad, share: structure.share,
            rates: rates, healthy: healthy, causes: causes, years: years, streams: streams)

        // Generate in blocks of LSOAs on several threads; write blocks in order.
        let blockSize = 64
        let blocks = stride(from: 0, to: lsoas.count, by: blockSize).map { Array(lsoas[$0..<min($0 + blockSize, lsoas.count)]) }
        let sink = try CSVWriter(path: request.output)
        try sink.write(
            row: ["lsoa_code", "year", "sex", "age_band", "population", "deaths", "healthy", "surveyed"] + SyntheticCauses.names)
        let batch = max(1, request.threads) * 4
        var start = 0
        while start < blocks.count {
            let end = min(start + batch, blocks.count)
            let slice = Array(blocks[start..<end])
            let chunks = parallelMap(count: slice.count, threads: request.threads) { i in context.generate(lsoas: slice[i]) }
            for chunk in chunks { try sink.write(encodedRecords: chunk) }
            start = end
        }
        try sink.finish()

        // Truth: per decile from the schedule; for all selected areas from rates weighted by population.
        var truth: [(sex: String, decile: Int?, lifeExpectancy: Double)] = []
        var healthyTruth: [Double] = []
        for sex in 0..<2 {
            let name = sex == 0 ? "Male" : "Female"
            for d in 1...10 {
                truth.append((name, d, schedule.lifeExpectancy(sex: sex, decile: d)))
                healthyTruth.append(
                    SyntheticHealth.healthyLifeExpectancy(
                        rates: schedule.rates(sex: sex, decile: d), shares: health.shares(sex: sex, decile: d)))
            }
            var deaths = [Double](repeating: 0, count: 20), population = [Double](repeating: 0, count: 20)
            var inGoodHealth = [Double](repeating: 0, count: 20)
            for l in lsoas {
                let d = Int(deprivation.decileOfLSOA[l])
                for y in years {
                    for b in 0..<20 {
                        let p = context.population(lsoa: l, year: y, sex: sex, band: b)
                        population[b] += p
                        deaths[b] += p * rates[(sex * 11 + d) * 20 + b]
                        inGoodHealth[b] += p * healthy[(sex * 11 + d) * 20 + b]
                    }
                }
            }
            let mean = zip(deaths, population).map { $1 > 0 ? $0 / $1 : 0 }
            truth.append((name, nil, SyntheticSchedule.lifeExpectancy(rates: mean)))
            let meanShare = zip(inGoodHealth, population).map { $1 > 0 ? $0 / $1 : 0 }
            healthyTruth.append(SyntheticHealth.healthyLifeExpectancy(rates: mean, shares: meanShare))
        }
        if let path = request.truth {
            let writer = try CSVWriter(path: path)
            try writer.write(row: ["sex", "decile", "le_at_birth", "hle_at_birth"])
            for (row, hle) in zip(truth, healthyTruth) {
                try writer.write(row: [
                    row.sex, row.decile.map { "\($0)" } ?? "all", String(format: "%.6f", row.lifeExpectancy),
                    String(format: "%.6f", hle),
                ])
            }
            try writer.finish()
        }
        let parametersPath = Self.parametersPath(for: request.output)
        try writeParameters(
            parametersPath, request: request, schedule: schedule, structure: structure, lsoas: lsoas.count, truth: truth)
        return Summary(
            rows: lsoas.count * years.count * 40, lsoas: lsoas.count, parametersPath: parametersPath, truth: truth,
            healthyTruth: healthyTruth)
    }

    /// The populations `generate` writes for `lsoas`, in memory: index ((i·years + y)·2 + sex)·20 + band
    /// for the i-th LSOA of `lsoas`, the y-th year of `years`, sex 0 (male) or 1 (female).
    ///
    /// - Throws: `InputError.csv` when the IMD population denominators cannot be read.
    /// - Complexity: O(LSOAs × years × 40) after reading the denominators file once.
    public static func populations(lsoas: [Int], years: ClosedRange<Int>, geography: Geography, data: DataDirectory)
        throws(InputError) -> [Double]
    {
        let broad: [Double]
        do {
            broad = try readDenominators(data.file("imd2019/imd2019_lsoa11_population_denominators.csv.gz"), geography)
        } catch let error as CSVError {
            throw .csv(error)
        } catch {
            throw .internalError("\(error)")
        }
        let context = Context(
            codes: [], decile: [], broad: broad, share: SyntheticAgeStructure.england.share, rates: [], healthy: [],
            causes: [], years: Array(years), streams: [])
        var out: [Double] = []
        out.reserveCapacity(lsoas.count * years.count * 40)
        for l in lsoas {
            for year in years {
                for sex in 0..<2 {
                    for b in 0..<20 { out.append(context.population(lsoa: l, year: year, sex: sex, band: b)) }
                }
            }
        }
        return out
    }

    /// Reads the mid-2015 broad age groups (0–15, 16–59, 60+) by dense LSOA index.
    private static func readDenominators(_ path: String, _ geography: Geography) throws -> [Double] {
        let reader = try CSVReader(path: path)
        let h = reader.header
        let code = try h.requireIndex(of: "LSOA code (2011)", aliases: ["lsoa_code", "lsoa11_code"])
        let columns = [
            try h.requireIndex(of: "Dependent Children aged 0-15: mid 2015 (excluding prisoners)"),
            try h.requireIndex(of: "Population aged 16-59: mid 2015 (excluding prisoners)"),
            try h.requireIndex(of: "Older population aged 60 and over: mid 2015 (excluding prisoners)"),
        ]
        var broad = [Double](repeating: 0, count: geography.lsoaCount * 3)
        try reader.forEachRow { row in
            guard let i = geography.lsoas.index(of: row.bytes(code)) else {
                throw row.invalidValue(code, expected: "an LSOA code of the geography lookup")
            }
            for (g, column) in columns.enumerated() {
                guard let value = try row.double(column), value >= 0 else {
                    throw row.invalidValue(column, expected: "a population of 0 or more")
                }
                broad[i * 3 + g] = value
            }
        }
        return broad
    }

    private static func writeParameters(
        _ path: String, request: Request, schedule: SyntheticSchedule, structure: SyntheticAgeStructure, lsoas: Int,
        truth: [(sex: String, decile: Int?, lifeExpectancy: Double)]
    ) throws {
        func number(_ x: Double) -> String { CSVWriter.format(x) }
        func sexBlock(_ p: SyntheticSchedule.Parameters) -> String {
            """
            {"infant": \(number(p.infant)), "child": \(number(p.child)), "makeham": \(number(p.makeham)), \
            "gompertz_level": \(number(p.gompertzLevel)), "gompertz_slope": \(number(p.gompertzSlope)), \
            "young_adult_hump": \(number(p.hump)), "deprivation_log_hazard_half_range": \(number(p.deprivation)), \
            "target_le_at_birth": \(number(p.target)), "target_gap_decile1_vs_decile10": \(number(p.gap))}
            """
        }
        let truthRows = truth.map { row in
            "{\"sex\": \"\(row.sex)\", \"decile\": \(row.decile.map { "\($0)" } ?? "\"all\""), \"le_at_birth\": \(number(row.lifeExpectancy))}"
        }
        let shares = (0..<2).map { sex in
            "[" + structure.share[sex].map { "[" + $0.map(number).joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
        }
        let text = """
            {
              "generator": "healthgap synth",
              "seed": \(request.seed),
              "areas": "\(request.areas)",
              "years": [\(request.years.lowerBound), \(request.years.upperBound)],
              "lsoas": \(lsoas),
              "population_source": "IMD 2019 File 6, mid-2015 population (excluding prisoners): aged 0-15, 16-59, 60+",
              "population_growth_per_year_from_2015": 0.006,
              "age_share_by_sex_band_broad_group": {"Male": \(shares[0]), "Female": \(shares[1])},
              "mortality": "m = base(band) * exp(gamma * (5.5 - decile) / 4.5 * fade(band)); base = infant (0), child (1-4), else makeham + gompertz_level * exp(gompertz_slope * mid_age) + young_adult_hump * exp(-((mid_age - 22) / 6)^2); fade = 1 to age 65, then falling linearly to 0.4 at 92.5; deaths ~ Poisson(population * m)",
              "health": "\(SyntheticHealth.formula)",
              "causes": "\(SyntheticCauses.formula)",
              "male": \(sexBlock(schedule.male)),
              "female": \(sexBlock(schedule.female)),
              "truth": [\(truthRows.joined(separator: ", "))]
            }

            """
        let file = try AtomicFile(path: path)
        try file.write(text)
        try file.commit()
    }

    /// What every generating thread reads (immutable).
    struct Context: Sendable {
        let codes: [String]
        let decile: [UInt8]
        let broad: [Double]
        let share: [[[Double]]]
        let rates: [Double]
        /// The share in good health by sex × decile × band, laid out as `rates`.
        let healthy: [Double]
        /// The five causes' shares of deaths by sex × decile × band × cause.
        let causes: [Double]
        let years: [Int]
        let streams: [Xoshiro256StarStar]

        /// The (rounded) population of one cell.
        func population(lsoa l: Int, year: Int, sex: Int, band b: Int) -> Double {
            let scale = 1 + 0.006 * Double(year - 2015)
            let s = share[sex][b]
            return (scale * (broad[l * 3] * s[0] + broad[l * 3 + 1] * s[1] + broad[l * 3 + 2] * s[2])).rounded()
        }

        /// The CSV bytes of every row of `lsoas`.
        func generate(lsoas: [Int]) -> [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(lsoas.count * years.count * 40 * 46)
            let labels = SyntheticCounts.bandLabels.map { Array($0.utf8) }
            let sexes = [Array("Male".utf8), Array("Female".utf8)]
            for l in lsoas {
                var rng = streams[l]
                // The health columns' own stream, so the deaths drawn are those of the six-column file.
                var healthRNG = streams[l]
                healthRNG.longJump()
                // And the causes' own, so the first eight columns are those of the file without them.
                var causeRNG = healthRNG
                causeRNG.longJump()
                let causeCount = SyntheticCauses.names.count
                var split: [Int] = []
                split.reserveCapacity(causeCount)
                let code = Array(codes[l].utf8)
                let d = Int(decile[l])
                for year in years {
                    let yearBytes = Array("\(year)".utf8)
                    for sex in 0..<2 {
                        for b in 0..<20 {
                            let p = population(lsoa: l, year: year, sex: sex, band: b)
                            let deaths = p > 0 ? Poisson.draw(mean: p * rates[(sex * 11 + d) * 20 + b], using: &rng) : 0
                            let good = Binomial.draw(
                                count: Int(p), probability: healthy[(sex * 11 + d) * 20 + b], using: &healthRNG)
                            out.append(contentsOf: code)
                            out.append(0x2C)
                            out.append(contentsOf: yearBytes)
                            out.append(0x2C)
                            out.append(contentsOf: sexes[sex])
                            out.append(0x2C)
                            out.append(contentsOf: labels[b])
                            out.append(0x2C)
                            CSVWriter.appendInteger(Int(p), to: &out)
                            out.append(0x2C)
                            CSVWriter.appendInteger(deaths, to: &out)
                            out.append(0x2C)
                            CSVWriter.appendInteger(good, to: &out)
                            out.append(0x2C)
                            CSVWriter.appendInteger(Int(p), to: &out)
                            let cell = ((sex * 11 + d) * 20 + b) * causeCount
                            SyntheticCauses.split(
                                deaths: deaths, shares: causes[cell..<(cell + causeCount)], into: &split, using: &causeRNG)
                            for k in split {
                                out.append(0x2C)
                                CSVWriter.appendInteger(k, to: &out)
                            }
                            out.append(0x0A)
                        }
                    }
                }
            }
            return out
        }
    }
}

/// Binomial random numbers: inversion by sequential search on the rarer outcome, and a rounded
/// normal approximation (clamped to 0…n) where that outcome's mean exceeds 500.
public enum Binomial {
    /// One draw of the number of successes in `count` trials with success probability `probability`.
    ///
    /// - Complexity: O(count · min(p, 1 − p)) expected, O(1) above the normal threshold.
    public static func draw(count n: Int, probability p: Double, using rng: inout Xoshiro256StarStar) -> Int {
        guard n > 0, p > 0 else { return 0 }
        if p >= 1 { return n }
        let q = min(p, 1 - p)
        let mean = Double(n) * q
        var k: Int
        if mean > 500 {
            // Box–Muller: one normal from two uniforms.
            let u = max(rng.nextUniform(), .leastNormalMagnitude), v = rng.nextUniform()
            let z = (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
            k = min(max(Int((mean + z * (mean * (1 - q)).squareRoot()).rounded()), 0), n)
        } else {
            // Inversion: walk the cumulative distribution of the rarer outcome from 0.
            var u = rng.nextUniform()
            var probability = pow(1 - q, Double(n))
            let odds = q / (1 - q)
            k = 0
            while u > probability && k < n {
                u -= probability
                probability *= Double(n - k) / Double(k + 1) * odds
                k += 1
            }
        }
        return q == p ? k : n - k
    }
}

/// Poisson random numbers: inversion by sequential search for small means, and Hörmann's
/// transformed rejection with squeeze (PTRS) for means of 10 and more.
///
/// Source: W. Hörmann (1993), "The transformed rejection method for generating Poisson random
/// variables", Insurance: Mathematics and Economics 12(1):39–45. https://doi.org/10.1016/0167-6687(93)90997-4
public enum Poisson {
    /// One draw with mean `mean` (≥ 0).
    ///
    /// - Complexity: O(mean) expected below 10, O(1) expected above.
    public static func draw(mean: Double, using rng: inout Xoshiro256StarStar) -> Int {
        guard mean > 0 else { return 0 }
        if mean < 10 {
            // Inversion: walk the cumulative distribution from 0.
            var u = rng.nextUniform()
            var k = 0
            var p = exp(-mean)
            while u > p {
                u -= p
                k += 1
                p *= mean / Double(k)
                if k > 1000 { break }
            }
            return k
        }
        let root = mean.squareRoot()
        let logMean = log(mean)
        let b = 0.931 + 2.53 * root
        let a = -0.059 + 0.02483 * b
        let inverseAlpha = 1.1239 + 1.1328 / (b - 3.4)
        let vr = 0.9277 - 3.6224 / (b - 2)
        while true {
            let u = rng.nextUniform() - 0.5
            let v = rng.nextUniform()
            let us = 0.5 - abs(u)
            let k = ((2 * a / us + b) * u + mean + 0.43).rounded(.down)
            if us >= 0.07 && v <= vr { return Int(k) }
            if k < 0 || (us < 0.013 && v > us) { continue }
            if log(v) + log(inverseAlpha) - log(a / (us * us) + b) <= -mean + k * logMean - lgamma(k + 1) {
                return Int(k)
            }
        }
    }
}

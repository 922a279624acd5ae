import Areas
import CSVStream
import Foundation
import Indicators
import NumericCore

// The generator's design (issue 4: "the schedule is ours to design"):
//
// Age structure. Single years of age 0…104 get an England-like weight per sex: flat for
// children, two broad humps for adults (late 20s and around 50), and from 60 the survivors of a
// Gompertz–Makeham hazard. Each LSOA's three mid-2015 broad groups (0–15, 16–59, 60+) from the
// IMD population denominators are spread over the 20 life-table bands in proportion to those
// weights, split by sex (0–15: 51.2% male; 16–59: 50.2% male; 60+: from the two sexes' survival),
// and scaled by 0.6% a year from 2015.
//
// Mortality. The death rate of band b, sex s and national IMD decile d is
//
//     m = base_s(b) · exp(γ_s · g(d) · h(b)),   g(d) = (5.5 − d)/4.5 ∈ [−1, 1]
//     base_s(b) = infant_s (band 0), child_s (1-4), else c_s + B_s·exp(β_s·x_b) + hump_s(x_b)
//
// with x_b the band's mid-age (92.5 for 90+), a young-adult hump and a deprivation effect
// that fades from age 65 (h = 1 up to 65, falling linearly to 0.4 at 92.5). B_s and γ_s are
// calibrated (bisection) so that life expectancy at birth of the average of the ten deciles'
// rates is `target` and the decile 1 − decile 10 gap is `gap`; everything else is fixed.
// Deaths are Poisson draws with mean population × m; the schedule does not change over years.

/// The synthetic mortality schedule: death rates by life-table band, sex and national IMD decile.
public struct SyntheticSchedule: Sendable, Equatable {
    /// One sex's parameters.
    public struct Parameters: Sendable, Equatable {
        /// Death rate in the first year of life (band 0) at g(d) = 0.
        public var infant: Double
        /// Death rate at ages 1–4 at g(d) = 0.
        public var child: Double
        /// Makeham's age-independent term c.
        public var makeham: Double
        /// Gompertz level B (calibrated).
        public var gompertzLevel: Double
        /// Gompertz slope β per year of age.
        public var gompertzSlope: Double
        /// Height of the young-adult hump (a Gaussian in age centred at 22, sd 6).
        public var hump: Double
        /// Deprivation log-hazard half-range γ (calibrated): decile 1 has exp(γ), decile 10 exp(−γ).
        public var deprivation: Double
        /// Target life expectancy at birth of the decile average.
        public var target: Double
        /// Target gap in life expectancy at birth, decile 1 vs decile 10.
        public var gap: Double
    }

    /// Male parameters.
    public var male: Parameters
    /// Female parameters.
    public var female: Parameters

    /// The parameters for sex 0 (male) or 1 (female).
    public func parameters(sex: Int) -> Parameters { sex == 0 ? male : female }

    /// The 20 life-table bands' start ages.
    public static let startAges = LifeExpectancy.startAges

    /// The mid-age of band b (92.5 for 90+).
    static func midAge(_ b: Int) -> Double {
        b + 1 < startAges.count ? Double(startAges[b] + startAges[b + 1]) / 2 : 92.5
    }

    /// g(d) = (5.5 − d)/4.5: 1 for decile 1, −1 for decile 10, 0 between deciles 5 and 6.
    public static func deprivationScore(decile: Int) -> Double { (5.5 - Double(decile)) / 4.5 }

    /// The death rate of band `band` (0..<20), sex 0/1, at deprivation score `score` (g(d)).
    ///
    /// - Complexity: O(1).
    public func rate(band: Int, sex: Int, score: Double) -> Double {
        let p = parameters(sex: sex)
        let x = Self.midAge(band)
        let base: Double
        switch band {
        case 0: base = p.infant
        case 1: base = p.child
        default:
            base = p.makeham + p.gompertzLevel * exp(p.gompertzSlope * x) + p.hump * exp(-((x - 22) / 6) * ((x - 22) / 6))
        }
        let fade = band < 2 || x <= 65 ? 1.0 : 1 - 0.6 * (x - 65) / 27.5
        return min(base * exp(p.deprivation * score * fade), 1)
    }

    /// The 20 band rates of sex `sex` in national decile `decile`.
    public func rates(sex: Int, decile: Int) -> [Double] {
        (0..<20).map { rate(band: $0, sex: sex, score: Self.deprivationScore(decile: decile)) }
    }

    /// Life expectancy at birth (Chiang II, METHODS.md §5) of 20 band death rates.
    ///
    /// - Complexity: O(20).
    public static func lifeExpectancy(rates: [Double]) -> Double {
        let population = [Double](repeating: 1e9, count: rates.count)
        return LifeTable(deaths: rates.map { $0 * 1e9 }, populations: population).lifeExpectancy[0]
    }

    /// Life expectancy at birth for sex and decile.
    public func lifeExpectancy(sex: Int, decile: Int) -> Double {
        Self.lifeExpectancy(rates: rates(sex: sex, decile: decile))
    }

    /// Life expectancy at birth of the ten deciles' average rates (an idealised England).
    public func averageLifeExpectancy(sex: Int) -> Double {
        var mean = [Double](repeating: 0, count: 20)
        for d in 1...10 {
            for (b, m) in rates(sex: sex, decile: d).enumerated() { mean[b] += m / 10 }
        }
        return Self.lifeExpectancy(rates: mean)
    }

    /// The schedule with B and γ calibrated to the targets (79.4 / 83.1 years; gaps 9.5 / 7.5).
    ///
    /// - Complexity: a few thousand 20-band life tables (milliseconds).
    public static let calibrated: SyntheticSchedule = withTargets(
        male: (lifeExpectancy: 79.4, gap: 9.5), female: (lifeExpectancy: 83.1, gap: 7.5))

    /// The same schedule calibrated to other targets: life expectancy at birth of the decile
    /// average and the decile 1 − decile 10 gap, per sex (a gap of 0 gives no deprivation gradient).
    ///
    /// - Complexity: a few thousand 20-band life tables (milliseconds).
    public static func withTargets(
        male: (lifeExpectancy: Double, gap: Double), female: (lifeExpectancy: Double, gap: Double)
    ) -> SyntheticSchedule {
        var s = SyntheticSchedule(
            male: Parameters(
                infant: 0.0042, child: 0.00013, makeham: 0.00008, gompertzLevel: 3e-5, gompertzSlope: 0.092,
                hump: 0.0006, deprivation: 0.4, target: male.lifeExpectancy, gap: male.gap),
            female: Parameters(
                infant: 0.0035, child: 0.00011, makeham: 0.00005, gompertzLevel: 1.5e-5, gompertzSlope: 0.098,
                hump: 0.0002, deprivation: 0.4, target: female.lifeExpectancy, gap: female.gap))
        for sex in 0..<2 { s.calibrate(sex: sex) }
        return s
    }

    /// Sets B (inner bisection on log B) and γ (outer bisection) of one sex to hit its targets.
    private mutating func calibrate(sex: Int) {
        func setLevelForTarget() {
            var low = log(1e-7), high = log(1e-3)  // LE falls as B grows
            for _ in 0..<80 {
                let mid = (low + high) / 2
                update(sex) { $0.gompertzLevel = exp(mid) }
                if averageLifeExpectancy(sex: sex) > parameters(sex: sex).target { low = mid } else { high = mid }
            }
            update(sex) { $0.gompertzLevel = exp((low + high) / 2) }
        }
        var low = 0.0, high = 2.0  // the gap grows with γ
        for _ in 0..<60 {
            let mid = (low + high) / 2
            update(sex) { $0.deprivation = mid }
            setLevelForTarget()
            let gap = lifeExpectancy(sex: sex, decile: 10) - lifeExpectancy(sex: sex, decile: 1)
            if gap < parameters(sex: sex).gap { low = mid } else { high = mid }
        }
        update(sex) { $0.deprivation = (low + high) / 2 }
        setLevelForTarget()
    }

    private mutating func update(_ sex: Int, _ change: (inout Parameters) -> Void) {
        if sex == 0 { change(&male) } else { change(&female) }
    }
}

/// The synthetic age structure: how each broad age group (0–15, 16–59, 60+) spreads over sex and the 20 bands.
public struct SyntheticAgeStructure: Sendable {
    /// `share[sex][band][group]`: the fraction of broad group `group`'s population in that sex and band.
    public let share: [[[Double]]]

    /// The structure described at the top of this file.
    public static let england = SyntheticAgeStructure()

    private init() {
        let oldest = 104
        // Survival from 59 under a fixed Gompertz–Makeham hazard (not the calibrated one, so the
        // age structure does not move when the mortality targets do).
        func weights(b: Double, beta: Double, c: Double) -> [Double] {
            var w = [Double](repeating: 0, count: oldest + 1)
            for a in 0...59 {
                if a <= 15 {
                    w[a] = 1
                } else {
                    let x = Double(a)
                    w[a] = 1 + 0.18 * exp(-((x - 50) / 14) * ((x - 50) / 14)) + 0.12 * exp(-((x - 28) / 8) * ((x - 28) / 8))
                }
            }
            var survivors = w[59]
            for a in 60...oldest {
                survivors *= exp(-(c + b * exp(beta * (Double(a) - 0.5))))
                w[a] = survivors
            }
            return w
        }
        let bySex = [weights(b: 3.2e-5, beta: 0.092, c: 0.0001), weights(b: 1.6e-5, beta: 0.098, c: 0.00006)]
        let groups = [0...15, 16...59, 60...oldest]
        let olderMale = bySex[0][60...].reduce(0, +) / (bySex[0][60...].reduce(0, +) + bySex[1][60...].reduce(0, +))
        let maleShare = [0.512, 0.502, olderMale]
        let starts = LifeExpectancy.startAges
        var share = [[[Double]]](repeating: [[Double]](repeating: [0, 0, 0], count: 20), count: 2)
        for sex in 0..<2 {
            let w = bySex[sex]
            for (g, ages) in groups.enumerated() {
                let total = ages.reduce(0.0) { $0 + w[$1] }
                let sexShare = sex == 0 ? maleShare[g] : 1 - maleShare[g]
                for b in 0..<20 {
                    let bandAges = starts[b]...(b + 1 < 20 ? starts[b + 1] - 1 : oldest)
                    let inBoth = ages.clamped(to: bandAges)
                    guard ages.overlaps(bandAges) else { continue }
                    share[sex][b][g] = sexShare * inBoth.reduce(0.0) { $0 + w[$1] } / total
                }
            }
        }
        self.share = share
    }
}

/// The synthetic share of people in good health ("very good" or "good", as Census 2021 general
/// health asks) by life-table band, sex and national IMD decile: the prevalence a healthy life
/// expectancy reads (METHODS.md §9).
///
/// ```
/// logit π = α_s − β·x_b − δ·g(d),   g(d) = (5.5 − d)/4.5 ∈ [−1, 1]
/// ```
///
/// with x_b the band's mid-age (92.5 for 90+), α = 3.5 for males and 3.4 for females, β = 0.04
/// a year and δ = 0.6: about 97% in good health in childhood, 85% at 45 and 45% at 90+ in the
/// middle deciles, and at 45 about 75% in decile 1 against 91% in decile 10. With the mortality
/// schedule this gives a healthy life expectancy at birth of about 65 years in the middle deciles,
/// 56–57 in decile 1 and 74–75 in decile 10: a gap of about 18 years, twice the life-expectancy
/// gap, as in England (ONS, 2018–2020: 19 years).
public struct SyntheticHealth: Sendable, Equatable {
    /// α for males and females.
    public var level: [Double] = [3.5, 3.4]
    /// β per year of age.
    public var ageSlope = 0.04
    /// δ: the log-odds half-range across deciles.
    public var deprivation = 0.6

    /// The shares used by `healthgap synth`.
    public static let england = SyntheticHealth()

    /// The formula and parameters in words, for the parameters file.
    public static var formula: String {
        let h = england
        return
            "share in good health: logit(pi) = alpha(sex) - beta * mid_age - delta * (5.5 - decile) / 4.5 with alpha = \(h.level[0]) (male), \(h.level[1]) (female), beta = \(h.ageSlope), delta = \(h.deprivation); surveyed = population; healthy ~ Binomial(surveyed, pi)"
    }

    /// π of band `band` (0..<20), sex 0/1 and national decile `decile`.
    /// - Complexity: O(1).
    public func share(band: Int, sex: Int, decile: Int) -> Double {
        let x = SyntheticSchedule.midAge(band)
        let logit = level[sex] - ageSlope * x - deprivation * SyntheticSchedule.deprivationScore(decile: decile)
        return 1 / (1 + exp(-logit))
    }

    /// The 20 bands' shares of sex `sex` in decile `decile`.
    public func shares(sex: Int, decile: Int) -> [Double] {
        (0..<20).map { share(band: $0, sex: sex, decile: decile) }
    }

    /// Healthy life expectancy at birth (Sullivan, METHODS.md §9) of 20 band death rates and shares in good health.
    /// - Complexity: O(20).
    public static func healthyLifeExpectancy(rates: [Double], shares: [Double]) -> Double {
        let population = [Double](repeating: 1e9, count: rates.count)
        let table = LifeTable(deaths: rates.map { $0 * 1e9 }, populations: population)
        let prevalence = HealthyLifeExpectancy.Prevalence(proportions: shares, sampleSizes: population)
        let result = try? HealthyLifeExpectancy.compute(table: table, prevalence: prevalence, ages: [0])
        return result?.first?.healthyLifeExpectancy.value ?? .nan
    }
}

/// The split of `healthgap synth`'s deaths by broad cause of death (the Segment Tool's groups of
/// `Data/causes/segment-groups.csv`): circulatory, cancer, respiratory, digestive and external
/// causes, the rest being other causes (written by no column: the deaths the five leave).
///
/// Each cause c has a weight against "other" that follows age x (the band's middle), sex and the
/// deprivation score g(d) = (5.5 − d)/4.5 (1 in decile 1, −1 in decile 10):
/// ```
/// w_c = exp(a_c(x, sex) + k_c · g(d))      (in the first year of life every w_c is a fifth:
/// share_c = w_c / (1 + Σ w)                 deaths in infancy are mostly perinatal, "other")
/// ```
/// with circulatory rising with age, cancer peaking in the sixties, external causes peaking at
/// about 25 (twice as high for males), and the most deprived having more respiratory, digestive
/// and external deaths (the gap's usual make-up). The deaths of a row are split by sequential
/// binomial draws: k_c ~ Binomial(deaths left, share_c / share left), so the five never sum to
/// more than the deaths.
public struct SyntheticCauses: Sendable, Equatable {
    /// The cause columns `healthgap synth` writes, in order.
    public static let names = ["circulatory", "cancer", "respiratory", "digestive", "external"]

    /// k_c: the log-weight half-range across deciles, by cause in `names` order.
    public var deprivation: [Double] = [0.1, -0.05, 0.3, 0.35, 0.3]

    /// The split used by `healthgap synth`.
    public static let england = SyntheticCauses()

    /// The formula and parameters in words, for the parameters file.
    public static var formula: String {
        "deaths by cause: share_c = w_c / (1 + sum w), w_c = exp(a_c(mid_age, sex) + k_c * (5.5 - decile) / 4.5), "
            + "a: circulatory -3.0 + 0.045x (+log 1.2 male), cancer -2.2 + 0.07x - 0.00055x^2, respiratory -2.4 + 0.02x, "
            + "digestive -2.6 + 0.04x - 0.0004x^2, external -0.5 - ((x - 25)/25)^2 (+log 2 male); every w / 5 in band 0; "
            + "k = \(england.deprivation.map { CSVWriter.format($0) }.joined(separator: ", ")); "
            + "sequential binomial draws from the deaths; other = deaths - the five"
    }

    /// The five causes' shares of deaths in band `band` (0..<20), sex 0/1, national decile `decile`.
    /// - Complexity: O(1).
    public func shares(band: Int, sex: Int, decile: Int) -> [Double] {
        let x = SyntheticSchedule.midAge(band)
        let g = SyntheticSchedule.deprivationScore(decile: decile)
        let male = sex == 0
        let a = [
            -3.0 + 0.045 * x + (male ? log(1.2) : 0),
            -2.2 + 0.07 * x - 0.00055 * x * x,
            -2.4 + 0.02 * x,
            -2.6 + 0.04 * x - 0.0004 * x * x,
            -0.5 - ((x - 25) / 25) * ((x - 25) / 25) + (male ? log(2) : 0),
        ]
        let infancy = band == 0 ? log(0.2) : 0
        let w = zip(a, deprivation).map { exp($0 + $1 * g + infancy) }
        let total = 1 + w.reduce(0, +)
        return w.map { $0 / total }
    }

    /// One row's deaths split by cause (`shares` from `shares(band:sex:decile:)`) into `out`
    /// (emptied first, its storage kept): the five counts, whose sum is at most `deaths`.
    /// - Complexity: O(deaths) expected.
    public static func split<S: Collection<Double>>(
        deaths: Int, shares: S, into out: inout [Int], using rng: inout Xoshiro256StarStar
    ) {
        var left = deaths
        var mass = 1.0
        out.removeAll(keepingCapacity: true)
        for share in shares {
            let p = mass > 0 ? min(max(share / mass, 0), 1) : 0
            let k = left > 0 ? Binomial.draw(count: left, probability: p, using: &rng) : 0
            out.append(k)
            left -= k
            mass -= share
        }
    }
}

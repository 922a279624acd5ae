import Indicators
import Runner

/// A method experiment (issue 13): a synthetic truth, how many replicates to draw from it, and the
/// method variants whose bias and interval coverage are measured side by side.
///
/// Read from YAML by `ExperimentParser` (schema in `Data/experiments/README.md`), resolved against
/// the lookups by `ExperimentDesign`, run by `ExperimentRunner`.
public struct Experiment: Sendable {
    /// The experiment file, as named by the user.
    public var path: String
    /// A title for the outputs.
    public var name: String
    /// A sentence or two on what the experiment asks (for the HTML page).
    public var description: String
    /// The synthetic population and mortality that generate every replicate.
    public var truth: TruthSpec
    /// The number of replicates (independent draws of the deaths).
    public var replicates: Int
    /// Replicate r draws from stream r of this seed (`Xoshiro256StarStar.streams`).
    public var seed: UInt64
    /// Confidence levels whose coverage is measured; 95% always comes first.
    public var levels: [ConfidenceLevel]
    /// The variants, in file order.
    public var variants: [VariantSpec]
}

/// The synthetic truth: the `synth` generator's populations and schedule on chosen areas.
public struct TruthSpec: Sendable {
    /// `england`, local authority, region or ICB codes, each with where it is written.
    public var areas: [(code: String, location: PlanLocation)]
    /// The years whose populations (and deaths) are pooled in every replicate.
    public var years: ClosedRange<Int>
    /// Every cell's population is multiplied by this (then rounded) unless a variant sets its own.
    public var populationScale: Double
    /// Target life expectancy at birth and decile 1 − decile 10 gap for males.
    public var male: (lifeExpectancy: Double, gap: Double)
    /// The same for females.
    public var female: (lifeExpectancy: Double, gap: Double)
}

/// What a variant computes.
public enum ExperimentMethod: String, Sendable, CaseIterable {
    /// Life expectancy (METHODS.md §5) at one or more start ages.
    case lifeExpectancy = "life_expectancy"
    /// The slope index of inequality (METHODS.md §6) across deprivation quantiles.
    case sii
    /// A directly standardised rate (METHODS.md §3).
    case dsr
}

/// Which groups a variant's cells are: the whole area, or deprivation quantiles of it.
public enum QuantileScheme: String, Sendable, CaseIterable, Hashable {
    /// The whole selected area, one group.
    case none
    /// Deciles of the selected LSOAs re-ranked by IMD rank (METHODS.md §7, local).
    case localDeciles = "local_deciles"
    /// Quintiles of the selected LSOAs re-ranked by IMD rank.
    case localQuintiles = "local_quintiles"
    /// National IMD 2019 deciles of the selected LSOAs.
    case nationalDeciles = "national_deciles"
    /// National IMD 2019 quintiles (deciles 1–2 → 1, …).
    case nationalQuintiles = "national_quintiles"

    /// The number of groups: 1, 10 or 5.
    public var groupCount: Int {
        switch self {
        case .none: return 1
        case .localDeciles, .nationalDeciles: return 10
        case .localQuintiles, .nationalQuintiles: return 5
        }
    }

    /// The group's name in target names: `decile3`, `quintile1`, or nothing.
    func groupName(_ g: Int) -> String {
        switch self {
        case .none: return ""
        case .localDeciles, .nationalDeciles: return "decile\(g + 1)"
        case .localQuintiles, .nationalQuintiles: return "quintile\(g + 1)"
        }
    }
}

/// The weights an SII variant fits with.
public enum SIIWeights: String, Sendable, CaseIterable {
    /// Each quantile's population share, as METHODS.md §6 says.
    case population
    /// Equal weights whatever the populations: deliberately wrong when populations differ.
    case equal
}

/// One method variant of an experiment.
public struct VariantSpec: Sendable {
    /// The variant's name in the outputs (letters, digits, `_`, `-`, `.`).
    public var id: String
    /// What it computes.
    public var method: ExperimentMethod
    /// Sexes, 0 = male, 1 = female, in output order.
    public var sexes: [Int]
    /// Life expectancy: the start ages reported (each one target).
    public var atAges: [Int]
    /// SII of life expectancy: the start age of the values.
    public var atAge: Int
    /// The groups: the area, or deprivation quantiles (required for the SII).
    public var deprivation: QuantileScheme
    /// SII: how the simulated limits are drawn.
    public var simulation: SIISimulation
    /// SII of rates: fit on the log scale.
    public var transform: Bool
    /// SII: simulation repetitions.
    public var repetitions: Int
    /// SII: the fit's weights.
    public var weights: SIIWeights
    /// SII: the value per quantile (life expectancy or a DSR).
    public var of: ExperimentMethod
    /// DSR (and SII of DSR): the age range, nil for all ages.
    public var ages: ClosedRange<Int>?
    /// DSR: `esp2013` or `esp1976`.
    public var standard: String
    /// DSR: per how many people.
    public var multiplier: Double
    /// This variant's population scale (nil: the truth's).
    public var populationScale: Double?
    /// Where the variant is written.
    public var location: PlanLocation
    /// Where its `deprivation` is written (for issues found when resolving).
    public var deprivationLocation: PlanLocation
}

import Indicators
import Ingest
import Results

/// One indicator method as the runner knows it — the one place a method is described.
///
/// The plan parser reads which keys it takes and their defaults, the resolver its source bands and
/// how it binds them, the jobs how it computes a cell, and `plan explain` how it is described.
/// To add a method: a case of `IndicatorMethod`, one `MethodDescription` in `MethodDescription.of`,
/// and the file with its `bind` and `compute` (see `LifeExpectancyMethod.swift`).
struct MethodDescription: Sendable {
    /// Words for messages: `life expectancy`, `dsr`.
    let title: String
    /// What the numerator column holds, for the "needs numerator" message.
    let numeratorWords: String
    /// Whether `ages: FIRST-LAST` applies (rates and proportions); else the method uses every band.
    let takesAges: Bool
    /// Whether `at_age` applies (life expectancy at a start age).
    let takesAtAge: Bool
    /// Whether `standard` applies (a DSR).
    let takesStandard: Bool
    /// Whether `reference` is required (an ISR).
    let needsReference: Bool
    /// The default multiplier, or nil when the method has none.
    let defaultMultiplier: Double?
    /// The source bands the input is summed into for this method.
    let sourceBands: BandScheme
    /// The SII value type (METHODS.md §6).
    let valueType: SIIValueType
    /// Whether the SII may be fitted on the log/logit scale (and is by default).
    let siiTransform: Bool
    /// Whether `relative_range` applies (rates and proportions, METHODS.md §8).
    let takesRelativeRange: Bool
    /// The second pair of count columns the method reads, as plan keys (numerator first), with
    /// what each holds for messages: healthy life expectancy's `healthy` and `surveyed`; empty for
    /// every other method.
    var prevalenceKeys: [(key: String, words: String)] = []
    /// The measures written beside `value` for every cell, in this order (healthy life
    /// expectancy: `le` and `years_in_poorer_health`); empty for every other method.
    var companionMeasures: [Measure] = []
    /// Whether the method compares two populations' life tables (the gap decomposition): it takes
    /// `compare`, `benchmark` and `causes`, and no inequality measures.
    var comparesGaps = false
    /// Binds an indicator to its source's bands: the method bands and the map from source bands.
    let bind: @Sendable (IndicatorSpec, [AgeBand]) throws(MethodBindingError) -> MethodBands
    /// Computes the live cells of a job (cells with input rows).
    let compute: @Sendable (MethodCells) throws(RunnerError) -> [Int: CellEstimate]
    /// Writes a job's records itself, for a method whose records are not one estimate per cell
    /// (the gap decomposition: one record per age band and cause of each comparison); nil for the
    /// others, whose records `JobComputation` makes from `compute`.
    var jobRecords: (@Sendable (RunJob, RunContext) throws(RunnerError) -> [ResultRecord])? = nil

    /// The description of `method`.
    static func of(_ method: IndicatorMethod) -> MethodDescription {
        switch method {
        case .lifeExpectancy: return LifeExpectancyMethod.description
        case .dsr: return DirectlyStandardisedRateMethod.description
        case .crudeRate: return CrudeRateMethod.crudeRate
        case .proportion: return CrudeRateMethod.proportion
        case .isr: return IndirectlyStandardisedRatioMethod.description
        case .healthyLifeExpectancy: return HealthyLifeExpectancyMethod.description
        case .leGapDecomposition: return LifeExpectancyDecompositionMethod.description
        }
    }
}

/// An indicator's method bands: their labels, the map from source bands (−1: outside the age range)
/// and, for a DSR, the standard's weights.
struct MethodBands: Sendable {
    var bandMap: [Int]
    var labels: [String]
    var weights: [Double] = []
}

/// Why an indicator's ages cannot be served by its source's bands (a plan error at `ages`).
struct MethodBindingError: Error, Sendable {
    var message: String
}

/// What a method computes a job's cells from: per live cell, the sums by source band.
struct MethodCells {
    /// The resolved indicator.
    let indicator: ResolvedIndicator
    /// The job.
    let job: RunJob
    /// The run's shared state.
    let context: RunContext
    /// Cells with input rows, by cell index.
    let live: [Int]
    /// Source bands per cell.
    let bands: Int
    /// Events and populations, `cell * bands + band`.
    let events: [Double]
    let population: [Double]
    /// The secondary source's sums in the same layout (healthy life expectancy: healthy and
    /// surveyed); empty when the indicator has no secondary source.
    var secondaryEvents: [Double] = []
    var secondaryPopulation: [Double] = []

    /// The levels of the indicator.
    var levels: [ConfidenceLevel] { indicator.spec.levels }

    /// Cell `c`'s sums in the indicator's method bands.
    func methodSums(_ c: Int) -> (events: [Double], population: [Double]) {
        let count = indicator.methodBands.count
        var e = [Double](repeating: 0, count: count), p = [Double](repeating: 0, count: count)
        for b in 0..<bands where indicator.bandMap[b] >= 0 {
            e[indicator.bandMap[b]] += events[c * bands + b]
            p[indicator.bandMap[b]] += population[c * bands + b]
        }
        return (e, p)
    }

    /// A suppressed cell with `note`.
    func suppressed(_ note: String, count: Double? = nil, denominator: Double? = nil) -> CellEstimate {
        CellEstimate(estimate: .suppressed(levels: levels.count, note: note), count: count, denominator: denominator)
    }
}

extension MethodDescription {
    /// Source bands kept as they are, cut to `spec.ages` (crude rates, proportions, ISRs).
    static func agesOfSourceBands(_ spec: IndicatorSpec, _ sourceBands: [AgeBand]) throws(MethodBindingError)
        -> MethodBands
    {
        var map = [Int](repeating: -1, count: sourceBands.count)
        var labels: [String] = []
        for (b, band) in sourceBands.enumerated() {
            guard let ages = spec.ages else {
                map[b] = labels.count
                labels.append(band.label)
                continue
            }
            let range = AgeBand(
                start: ages.lowerBound, end: ages.upperBound >= AgeBandRegistry.maximumAge ? nil : ages.upperBound)
            if range.contains(band) {
                map[b] = labels.count
                labels.append(band.label)
            } else if range.overlaps(band) {
                throw MethodBindingError(
                    message:
                        "ages \(spec.agesLabel ?? "") cuts the input band \(band.label); an age range must start and end at band edges (\(sourceBands.map(\.label).joined(separator: ", ")))"
                )
            }
        }
        if labels.isEmpty { throw MethodBindingError(message: "ages \(spec.agesLabel ?? "") holds no age band") }
        return MethodBands(bandMap: map, labels: labels)
    }
}

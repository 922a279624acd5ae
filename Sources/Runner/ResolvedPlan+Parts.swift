import Areas
import CSVStream
import Foundation
import Indicators
import Ingest
import Results

/// An area a plan reports on, with the local authorities it is made of.
public struct PlanArea: Sendable, Equatable {
    /// England, a region, the ICB, a Place or a local authority (the long table's `area_type`).
    public var type: AreaType
    /// The ONS code (`E92000001` for England).
    public var code: String
    /// The name.
    public var name: String
    /// Indices into `Geography.localAuthorities`, ascending.
    public var authorities: [Int]

    /// Whether local deciles apply: they are cut within one local authority (= Place).
    public var takesLocalDeciles: Bool { type == .la || type == .place }

    /// The area as results name it.
    public var label: AreaLabel { AreaLabel(code: code, name: name, type: type) }
}

/// A benchmark of a plan area: which kind, and the benchmark area (an index into `ResolvedPlan.areas`).
public struct AreaBenchmark: Sendable, Equatable {
    /// England, the region or the ICB.
    public var kind: BenchmarkKind
    /// Index into `ResolvedPlan.areas`.
    public var area: Int
}

/// One pass over an input file: the two count columns it sums, and the bands it sums into.
public struct AggregationSource: Sendable {
    /// The input.
    public var input: PlanInput
    /// The numerator (events) column.
    public var numerator: String
    /// The denominator (population) column.
    public var denominator: String
    /// Life-table bands when a life expectancy needs them, else ESP2013 bands.
    public var bands: BandScheme
    /// More count columns summed in the same pass (a gap decomposition's deaths by cause), in the
    /// order first named by the plan's indicators.
    public var extraColumns: [String] = []
}

/// An indicator bound to its source and method bands.
public struct ResolvedIndicator: Sendable {
    /// The plan's indicator.
    public var spec: IndicatorSpec
    /// Index into `ResolvedPlan.sources`.
    public var source: Int
    /// For each source band, the method band it sums into, or −1 when outside the age range.
    public var bandMap: [Int]
    /// The method bands' labels (DSR: the standard's; ISR/crude/proportion: the source bands kept).
    public var methodBands: [String]
    /// The standard weights of a DSR, one per method band.
    public var weights: [Double]
    /// Index into `ResolvedPlan.sources` of the second pair of columns summed into the same cells
    /// (healthy life expectancy: healthy and surveyed, in life-table bands), or nil.
    public var secondarySource: Int? = nil
    /// A gap decomposition's causes: the position of each cause's column among its source's
    /// `extraColumns`, in the order of `spec.causes`.
    public var causeSlots: [Int] = []
    /// A gap decomposition's benchmark area (`area_vs_benchmark`), or nil.
    public var benchmark: PlanArea? = nil
}

/// One compute job: an indicator for one area, sex and period, with its deprivation breakdowns.
public struct RunJob: Sendable {
    /// Position in the deterministic job order (area, indicator, sex, period).
    public var index: Int
    /// Index into `ResolvedPlan.areas`.
    public var area: Int
    /// Index into `ResolvedPlan.indicators`.
    public var indicator: Int
    /// The sexes summed.
    public var sex: SexSelection
    /// The years pooled.
    public var period: Period
    /// The breakdowns computed: always `.none` first, then the indicator's that apply to the area.
    public var schemes: [DeprivationScheme]
    /// The first random stream of the job's simulated SIIs (one stream per SII/RII computed).
    public var firstStream: Int
    /// How many SII computations the job makes.
    public var streamCount: Int
}

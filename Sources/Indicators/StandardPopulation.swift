/// A standard population for direct standardisation: age bands and their weights (METHODS.md §0, §3).
///
/// The default is the European Standard Population 2013 (19 bands, 0–4 … 85–89, 90+, Σw = 100,000).
/// Other standards are (band, weight) pairs joined to the data by band label, never by position.
public struct StandardPopulation: Equatable, Sendable {
    /// A short name for notes and errors, e.g. `ESP2013`.
    public let name: String
    /// The bands, ascending and non-overlapping.
    public let bands: [AgeBand]
    /// The weight of each band.
    public let weights: [Double]

    /// Creates a standard from bands and weights.
    ///
    /// - Throws: `IndicatorError` when the counts differ, bands overlap or repeat, or a weight
    ///   is negative or not finite.
    public init(name: String, bands: [AgeBand], weights: [Double]) throws(IndicatorError) {
        guard bands.count == weights.count, !bands.isEmpty else {
            throw IndicatorError("standard population \(name) needs one weight per band")
        }
        let order = bands.indices.sorted { bands[$0] < bands[$1] }
        let sortedBands = order.map { bands[$0] }
        let sortedWeights = order.map { weights[$0] }
        for i in sortedBands.indices {
            if i > 0, sortedBands[i - 1].overlaps(sortedBands[i]) {
                let what = sortedBands[i - 1] == sortedBands[i] ? "is repeated" : "overlaps \(sortedBands[i - 1].label)"
                throw IndicatorError("standard population \(name): band \(what)", band: sortedBands[i].label)
            }
            let w = sortedWeights[i]
            guard w.isFinite, w >= 0 else {
                throw IndicatorError(
                    "standard population \(name): weight must be a non-negative number",
                    band: sortedBands[i].label, value: valueText(w))
            }
        }
        self.name = name
        self.bands = sortedBands
        self.weights = sortedWeights
    }

    /// The European Standard Population 2013: 0–4, 5–9, …, 85–89, 90+ (Σw = 100,000).
    public static let esp2013: StandardPopulation = {
        let weights: [Double] = [
            5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
            7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000,
        ]
        let bands = (0..<19).map { i in AgeBand(start: 5 * i, end: i == 18 ? nil : 5 * i + 4) }
        return try! StandardPopulation(name: "ESP2013", bands: bands, weights: weights)
    }()

    /// The European Standard Population 1976: 0–4, 5–9, …, 80–84, 85+ (Σw = 100,000).
    public static let esp1976: StandardPopulation = {
        let weights: [Double] = [
            8000, 7000, 7000, 7000, 7000, 7000, 7000, 7000, 7000, 7000,
            7000, 6000, 5000, 4000, 3000, 2000, 1000, 1000,
        ]
        let bands = (0..<18).map { i in AgeBand(start: 5 * i, end: i == 17 ? nil : 5 * i + 4) }
        return try! StandardPopulation(name: "ESP1976", bands: bands, weights: weights)
    }()

    /// Σw over the bands.
    public var totalWeight: Double { weights.reduce(0, +) }

    /// The standard restricted to the bands within `ages` (e.g. 0...74 for under-75 mortality: Σw = 91,000 for ESP2013).
    ///
    /// `ages.upperBound == Int.max` means no upper limit.
    /// - Throws: `IndicatorError` when a band straddles an end of the range, or none is inside it.
    public func restricted(to ages: ClosedRange<Int>) throws(IndicatorError) -> StandardPopulation {
        var keptBands: [AgeBand] = []
        var keptWeights: [Double] = []
        let range = AgeBand(start: ages.lowerBound, end: ages.upperBound == Int.max ? nil : ages.upperBound)
        for (band, weight) in zip(bands, weights) {
            if range.contains(band) {
                keptBands.append(band)
                keptWeights.append(weight)
            } else if range.overlaps(band) {
                throw IndicatorError(
                    "standard population \(name): band straddles the age range \(range.label)", band: band.label)
            }
        }
        guard !keptBands.isEmpty else {
            throw IndicatorError("standard population \(name) has no band within the age range \(range.label)")
        }
        return try StandardPopulation(name: name, bands: keptBands, weights: keptWeights)
    }

    /// Index of the standard band that contains `band`, or nil when none does.
    public func index(containing band: AgeBand) -> Int? {
        bands.firstIndex { $0.contains(band) }
    }
}

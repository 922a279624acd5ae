// The funnel plot as a table (METHODS.md §13): the statistic from the words of the `funnel`
// command, and column names with cells in the same order, so that a command only maps
// columns in and writes rows out.

extension FunnelStatistic {
    /// The statistic named by the `funnel` command's options (METHODS.md §13).
    ///
    /// `type` is `proportion`, `ratio` or `rate`. Proportions take `multiplier` (default 100,
    /// percentages); ratios take `ratioType` `count` or `isr` (default `isr`); rates need
    /// `rateType` `dsr` or `crude` and take `multiplier` (default 100,000) and `years` of data
    /// (default 1).
    /// - Throws: `FunnelError` for an unknown word (the message lists the choices), a rate
    ///   without a rate type, or a type given an option it does not take.
    public init(
        type: String, rateType: String? = nil, ratioType: String? = nil, multiplier: Double? = nil, years: Double? = nil
    ) throws(FunnelError) {
        switch type {
        case "proportion":
            guard rateType == nil, ratioType == nil, years == nil else {
                throw FunnelError("a proportion funnel takes only a multiplier (1, or 100 for percentages)")
            }
            self = .proportion(multiplier: multiplier ?? 100)
        case "ratio":
            guard rateType == nil, multiplier == nil, years == nil else {
                throw FunnelError("a ratio funnel takes only a ratio type (count or isr)")
            }
            let word = ratioType ?? FunnelRatioType.isr.rawValue
            guard let ratio = FunnelRatioType(rawValue: word) else {
                throw FunnelError("the ratio type must be count or isr", value: word)
            }
            self = .ratio(ratio)
        case "rate":
            guard ratioType == nil else { throw FunnelError("a rate funnel takes a rate type (dsr or crude), not a ratio type") }
            guard let word = rateType else {
                throw FunnelError("a rate funnel needs its rate type: dsr or crude")
            }
            guard let rate = FunnelRateType(rawValue: word) else {
                throw FunnelError("the rate type must be dsr or crude", value: word)
            }
            self = .rate(rate, multiplier: multiplier ?? 100_000, years: years ?? 1)
        default:
            throw FunnelError("the funnel type must be proportion, ratio or rate", value: type)
        }
    }
}

extension FunnelPlot {
    /// The columns of the curves for `statistic`, in the order of `FunnelCurvePoint.cells` (METHODS.md §13).
    ///
    /// The axis (`Population`, `Observed_events`, `Events`), the four limits
    /// (`lower95_0limit` … `upper99_8limit`), for ratios the expected count on each limit
    /// (`lower95_0expected` …) and for rates the population per year (`lower95_0population_per_year` …),
    /// then `baseline` except for ratios.
    public static func curveColumns(_ statistic: FunnelStatistic) -> [String] {
        let suffixes = levels.map(\.columnSuffix)
        var columns = [statistic.axisName]
        columns += suffixes.flatMap { ["lower\($0)limit", "upper\($0)limit"] }
        switch statistic {
        case .proportion:
            columns.append("baseline")
        case .ratio:
            columns += suffixes.flatMap { ["lower\($0)expected", "upper\($0)expected"] }
        case .rate:
            columns += suffixes.flatMap { ["lower\($0)population_per_year", "upper\($0)population_per_year"] }
            columns.append("baseline")
        }
        return columns
    }
}

extension FunnelCurvePoint {
    /// The point's numbers in the order of `FunnelPlot.curveColumns` (nil = empty cell) (METHODS.md §13).
    public var cells: [Double?] {
        var cells: [Double?] = [axis]
        cells += limits.flatMap { [$0.lower, $0.upper] }
        if let denominators { cells += denominators.flatMap { [$0.lower, $0.upper] } }
        if let baseline { cells.append(baseline) }
        return cells
    }
}

extension FunnelPointResult {
    /// The value and the four limits in the order of `FunnelPlot.pointColumns` (the label follows) (METHODS.md §13).
    public var cells: [Double?] {
        [value] + limits.flatMap { [$0.lower, $0.upper] }
    }
}

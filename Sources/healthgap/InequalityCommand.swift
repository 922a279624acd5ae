import Areas
import ArgumentParser
import Indicators
import MethodTables

/// `healthgap inequality`: WHO HEAT's summary measures of inequality across subgroups (METHODS.md §14).
struct InequalityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inequality",
        abstract:
            "Summary measures of inequality across subgroups, as WHO HEAT defines them (RCI, ACI, PAR, PAF, BGV, TI, MLD, …).",
        discussion: """
            Each --by group is one dimension whose rows are its subgroups (one row per --group \
            value). Writes one row per --by group and measure: the --by columns, measure (rci, \
            aci, par, paf, bgv, bgsd, ti_x1000, mld_x1000, mdmw, idisw), value, the limits per \
            --confidence level, se and note. The SE and limits are on the value's scale (PAF in \
            per cent, TI and MLD × 1000: HEAT's own SE × 100 or × 1000), limits value ∓ z·se. \
            --order marks an ordered dimension (1 = most disadvantaged): RCI and ACI need it, \
            and PAR then compares with the most advantaged subgroup (without it, the best \
            value). By default every measure that applies is written. BGSD, MDMW and IDISW have \
            no limits (HEAT simulates them); BGV, TI and MLD need --se for theirs, PAR and PAF \
            need --scale. A measure or group that cannot be computed (RCI without --order, fewer \
            than 3 subgroups, a missing value) stops with exit 65, or with --on-error suppress \
            keeps its row with an empty value and the message as its note.
            """)

    @OptionGroup var common: CommonOptions

    @Option(help: ArgumentHelp("The subgroup column (one row per subgroup in each --by group).", valueName: "col"))
    var group: String

    @Option(help: ArgumentHelp("The subgroup population column.", valueName: "col"))
    var population: String

    @Option(help: ArgumentHelp("The indicator value column.", valueName: "col"))
    var value: String

    @Option(help: ArgumentHelp("The standard error column of each subgroup's value.", valueName: "col"))
    var se: String?

    @Option(
        help: ArgumentHelp(
            "The order column of an ordered dimension (1 = most disadvantaged); RCI and ACI need it.", valueName: "col"))
    var order: String?

    @Option(
        help: ArgumentHelp(
            "Measures, comma-separated, from rci, aci, par, paf, bgv, bgsd, ti, mld, mdmw, idisw (default: every one that applies; rci and aci only with --order).",
            valueName: "list"))
    var measures: String?

    @Flag(help: "Whether more of the indicator is better (coverage) or worse (mortality); decides PAR's reference.")
    var direction: DirectionArgument = .favourable

    @Option(
        help: ArgumentHelp(
            "The indicator's scale: 100 for a percentage, 1000 for a rate per 1000 (PAR and PAF limits need it).",
            valueName: "n"))
    var scale: Number?

    /// The measures asked for, in order without repeats; nil when none were named.
    func chosenMeasures() throws -> [HealthEquityMeasure]? {
        guard let measures else { return nil }
        var out: [HealthEquityMeasure] = []
        for word in columnList(measures) {
            guard let measure = HealthEquityMeasure(name: word) else {
                let choices = HealthEquityMeasure.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError("--measures: '\(word)' is not a measure; choose from \(choices)")
            }
            if !out.contains(measure) { out.append(measure) }
        }
        guard !out.isEmpty else { throw ValidationError("--measures needs at least one measure, e.g. par,paf") }
        return out
    }

    func validate() throws {
        _ = try chosenMeasures()
        if let scale, !(scale.value > 0) {
            throw ValidationError("--scale must be positive (100 for a percentage, 1000 for a rate per 1000)")
        }
    }

    func run() throws {
        var request = InequalityTable.Request(
            common: try common.request(), group: group, population: population, value: value)
        request.standardError = se
        request.order = order
        request.measures = try chosenMeasures()
        request.direction = direction.direction
        request.scale = scale?.value
        try execute(output: common.output) { () throws(InputError) in try InequalityTable.run(request) }
    }
}

/// `--favourable` / `--adverse`.
enum DirectionArgument: String, EnumerableFlag {
    case favourable, adverse

    var direction: IndicatorDirection { self == .favourable ? .favourable : .adverse }

    static func help(for value: DirectionArgument) -> ArgumentHelp? {
        switch value {
        case .favourable: return "More is better (e.g. coverage): PAR compares with the highest value."
        case .adverse: return "More is worse (e.g. mortality): PAR compares with the lowest value."
        }
    }
}

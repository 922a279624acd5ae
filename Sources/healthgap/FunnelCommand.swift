import Areas
import ArgumentParser
import Indicators
import MethodTables

/// `healthgap funnel`: funnel plot control limits and significance (METHODS.md §13).
struct FunnelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "funnel",
        abstract: "Funnel plot control limits (95.0% and 99.8%) and significance for proportions, ratios or rates.",
        discussion: """
            Writes one row per input row: the --by columns, the row's other input columns (a \
            column named like an output column is written as input_NAME), then value, \
            lower95_0limit, upper95_0limit, lower99_8limit, upper99_8limit, significance (High \
            (0.001), High (0.025), Low (0.001), Low (0.025), Not significant, or Not applicable \
            for events less than 10 for dsrs) and note, in input order. Each --by group is its \
            own funnel: its target is pooled over the group's rows only (ΣO/ΣN, or ΣO over the \
            derived denominators multiplier·O/rate for rates), and each row is tested against \
            its group's limits. The limits are always at 95.0% and 99.8%; --confidence is \
            accepted and ignored. Proportions: Wilson-type limits, the value × --multiplier. \
            Ratios (observed/expected): exact Poisson limits below 10 events, Byar's from 10, the \
            value as ratio − 1 (count) or × 100 (isr). Rates (DSR or crude, --value): Poisson \
            limits on the events; a DSR from fewer than 10 events is not tested. \
            --limits-only writes instead, per --by group, --points positions along the axis \
            with the curves (the reference's calculate_funnel_limits columns), statistic, \
            method and note. A group the method rejects (a negative count, x > n, a missing \
            rate) stops with exit 65, or with --on-error suppress keeps its rows with empty \
            values and the message as their note.
            """)

    @OptionGroup var common: CommonOptions

    @Option(help: ArgumentHelp("What the funnel is drawn for.", valueName: "proportion|ratio|rate"))
    var type: FunnelTypeArgument

    @Option(
        help: ArgumentHelp(
            "The numerator column: x (proportion), the observed count (ratio) or the events (rate).", valueName: "col"))
    var numerator: String

    @Option(
        help: ArgumentHelp(
            "The denominator column: n (proportion) or the expected count (ratio); for a rate, the population (optional: only a crude rate from 0 events needs it).",
            valueName: "col"))
    var denominator: String?

    @Option(name: .customLong("rate-type"), help: ArgumentHelp("Rate funnels: which rate.", valueName: "dsr|crude"))
    var rateType: FunnelRateTypeArgument?

    @Option(help: ArgumentHelp("Rate funnels: the rate column (per --multiplier).", valueName: "col"))
    var value: String?

    @Option(
        help: ArgumentHelp(
            "Proportions are × this (default 100, percentages); rates are per this many (default 100000).",
            valueName: "n"))
    var multiplier: Number?

    @Option(help: ArgumentHelp("Rate funnels: years of data in each rate (default 1).", valueName: "n"))
    var years: Number?

    @Option(
        name: .customLong("ratio-type"),
        help: ArgumentHelp("Ratio funnels: the ratio − 1 (count) or the ratio × 100 (isr, the default).", valueName: "count|isr"))
    var ratioType: FunnelRatioTypeArgument?

    @Flag(name: .customLong("limits-only"), help: "Write the funnel's curves for a chart instead, per --by group.")
    var limitsOnly = false

    @Option(help: ArgumentHelp("With --limits-only: positions along the axis (default 100).", valueName: "n"))
    var points: Int?

    /// The statistic the options name, or the reason they name none.
    func statistic() throws -> FunnelStatistic {
        do {
            return try FunnelStatistic(
                type: type.rawValue, rateType: rateType?.rawValue, ratioType: ratioType?.rawValue,
                multiplier: multiplier?.value, years: years?.value)
        } catch {
            throw ValidationError("\(error.description): check --rate-type, --ratio-type, --multiplier and --years")
        }
    }

    func validate() throws {
        _ = try statistic()
        switch type {
        case .rate:
            guard value != nil else {
                throw ValidationError("a rate funnel needs --value COL, the column of rates (per --multiplier)")
            }
        case .proportion, .ratio:
            guard denominator != nil else {
                throw ValidationError(
                    "a \(type.rawValue) funnel needs --denominator COL (\(type == .ratio ? "the expected count" : "n"))")
            }
            guard value == nil else {
                throw ValidationError(
                    "--value is the rate column of a rate funnel; a \(type.rawValue) funnel reads --numerator and --denominator")
            }
        }
        if let points {
            guard limitsOnly else { throw ValidationError("--points goes with --limits-only") }
            guard points >= 2 else { throw ValidationError("--points must be at least 2 (the reference draws 100)") }
        }
    }

    func run() throws {
        let request = FunnelTable.Request(
            common: try common.request(), statistic: try statistic(), numerator: numerator, denominator: denominator,
            rate: type == .rate ? value : nil, curvePoints: limitsOnly ? (points ?? 100) : nil)
        try execute(output: common.output) { () throws(InputError) in try FunnelTable.run(request) }
    }
}

/// `--type` values.
enum FunnelTypeArgument: String, ExpressibleByArgument, CaseIterable {
    case proportion, ratio, rate
}

/// `--rate-type` values.
enum FunnelRateTypeArgument: String, ExpressibleByArgument, CaseIterable {
    case dsr, crude
}

/// `--ratio-type` values.
enum FunnelRatioTypeArgument: String, ExpressibleByArgument, CaseIterable {
    case count, isr
}

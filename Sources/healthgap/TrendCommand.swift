import Areas
import ArgumentParser
import Indicators
import MethodTables

/// `healthgap trend`: the Fingertips recent-trend marker of each group's series (METHODS.md §12).
struct TrendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trend",
        abstract: "The recent trend of each --by group's series, as Fingertips marks it (increasing, decreasing, …).",
        discussion: """
            Each --by group is one series, one row per period (2019, 2021/22; any order). Writes \
            one row per group: the --by columns, latest_period, trend, slope, chi_squared and \
            note. The test uses the latest 5 points, which must be consecutive single years: a \
            weighted regression of the value on t = 1…5 with weights 1/se², se = (upper95 − \
            lower95)/3.92, or with --proportion the χ² test for trend on --count and \
            --denominator (slope: of the logit). trend is increasing or decreasing (with "and \
            getting better" or "and getting worse" by --polarity) when χ² > 3.090232² and the \
            slope keeps its sign when any one point is left out, no significant change \
            otherwise, and cannot be calculated (with the reason as the note) for fewer than 5 \
            points, rolling or non-consecutive periods, a missing value, or a count of 0 or equal \
            to its denominator. The level is fixed at 99.8% by the method: --confidence is \
            accepted and ignored. A period that does not parse, or a value that is not a number, \
            stops with exit 65; a period given twice in a group stops with exit 65, or with \
            --on-error suppress writes the group as cannot be calculated with the message as its \
            note.
            """)

    @OptionGroup var common: CommonOptions

    @Option(help: ArgumentHelp("The period column (2019, 2018 - 20, 2021/22, …).", valueName: "col"))
    var period: String

    @Option(help: ArgumentHelp("The value column.", valueName: "col"))
    var value: String

    @Option(help: ArgumentHelp("The lower 95% limit column.", valueName: "col"))
    var lower95: String

    @Option(help: ArgumentHelp("The upper 95% limit column.", valueName: "col"))
    var upper95: String

    @Option(help: ArgumentHelp("The count column (with --proportion).", valueName: "col"))
    var count: String?

    @Option(help: ArgumentHelp("The denominator column (with --proportion).", valueName: "col"))
    var denominator: String?

    @Flag(help: "Use the χ² test for trend in proportions on --count and --denominator instead of the weighted regression.")
    var proportion = false

    @Option(
        help: ArgumentHelp(
            "Which direction is better, for the words 'getting better' and 'getting worse'.",
            valueName: "high_is_good|low_is_good|neutral|not_applicable"))
    var polarity: PolarityArgument = .neutral

    func validate() throws {
        if proportion {
            guard count != nil, denominator != nil else {
                throw ValidationError("--proportion needs --count COL and --denominator COL")
            }
        } else if count != nil || denominator != nil {
            throw ValidationError(
                "--count and --denominator are read by the proportion test only: add --proportion, or leave them out")
        }
    }

    func run() throws {
        let request = TrendTable.Request(
            common: try common.request(), period: period, value: value, lower95: lower95, upper95: upper95,
            count: count, denominator: denominator, method: proportion ? .proportionChiSquared : .weightedRegression,
            polarity: polarity.polarity)
        try execute(output: common.output) { () throws(InputError) in try TrendTable.run(request) }
    }
}

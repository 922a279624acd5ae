import Areas
import ArgumentParser
import Indicators
import MethodTables

/// `healthgap gap-change`: whether each group's gap has widened since the latest period sharing no year (METHODS.md §12).
struct GapChangeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gap-change",
        abstract: "Whether each --by group's gap (SII, RII, range) is widening: the latest period against an earlier one.",
        discussion: """
            Each --by group is one series of a gap, one row per period (any order). Writes one \
            row per group: the --by columns, from_period, to_period, difference, z, gap_change \
            (widening, narrowing or no significant change), ci_overlap (yes or no: ONS's rule, \
            no overlap being a significant change) and note. The latest period is compared with \
            the latest earlier period that shares no year with it (rolling periods in between \
            are named in the note); when every earlier period shares a year, there is no \
            verdict and the note says so. se = (upper95 − lower95)/(2·1.959964) per period, \
            z = difference/√(se_a² + se_b²) on the scale (--scale log for an RII or relative \
            range: the difference is then the log of the ratio), significant when |z| exceeds \
            the normal quantile of the first --confidence level (95 by default). Widening when \
            the later gap lies further from no gap in the same direction, narrowing when closer \
            or reversed (with a note). A missing value or limit leaves the row without a \
            verdict, with the reason as the note. A period that does not parse, or a value that \
            is not a number, stops with exit 65; a period given twice in a group stops with exit \
            65, or with --on-error suppress writes the group with the message as its note.
            """)

    @OptionGroup var common: CommonOptions

    @Option(help: ArgumentHelp("The period column (2019, 2018 - 20, 2021/22, …).", valueName: "col"))
    var period: String

    @Option(help: ArgumentHelp("The gap column (an SII, RII or range).", valueName: "col"))
    var value: String

    @Option(help: ArgumentHelp("The gap's lower 95% limit column.", valueName: "col"))
    var lower95: String

    @Option(help: ArgumentHelp("The gap's upper 95% limit column.", valueName: "col"))
    var upper95: String

    @Option(
        help: ArgumentHelp(
            "identity: the gap as it is, no gap = 0 (SII, ranges); log: no gap = 1 (RII, relative range).",
            valueName: "identity|log"))
    var scale: GapScaleArgument = .identity

    func run() throws {
        let common = try self.common.request()
        let request = GapChangeTable.Request(
            common: common, period: period, value: value, lower95: lower95, upper95: upper95,
            scale: scale == .log ? .log : .identity, level: common.levels.first ?? .ninetyFive)
        try execute(output: self.common.output) { () throws(InputError) in try GapChangeTable.run(request) }
    }
}

/// `--scale` values of `gap-change`.
enum GapScaleArgument: String, ExpressibleByArgument, CaseIterable {
    case identity, log
}

import Areas
import ArgumentParser
import Indicators
import MethodTables

/// `healthgap compare`: each row's value against a benchmark, in Fingertips' words (METHODS.md §11).
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compares each row's value with a benchmark as Fingertips does: better, similar, worse (best, worst).",
        discussion: """
            Writes every input row, in input order, with all its columns (a column named \
            comparison or note is written as input_NAME), then comparison (better, similar, \
            worse, best, worst, higher, lower or not compared) and note. ci95: similar when the \
            benchmark lies inside the value's 95% limits, else better or worse by --polarity \
            (higher or lower when neutral). ci95_99_8: better or worse outside the 95% limits, \
            best or worst outside the 99.8% limits too. overlap: similar when the value's and the \
            benchmark's 95% intervals overlap. control_limits: similar when the value lies inside \
            control limits around the benchmark for the row's --denominator, at the --confidence \
            levels (one level: better or worse outside it; two: best or worst outside both); \
            --confidence is used by control_limits only. A missing value, limit, benchmark or \
            denominator is not compared, with the reason as the note, as is every row when \
            --polarity is not_applicable. A row the method rejects (a negative benchmark, or one \
            above --unit for a proportion) stops with exit 65, or with --on-error suppress is \
            written not compared with the message as its note. --by only names the rows in \
            messages: each row is compared on its own.
            """)

    @OptionGroup var common: CommonOptions

    @Option(help: ArgumentHelp("The value column.", valueName: "col"))
    var value: String

    @Option(help: ArgumentHelp("The value's lower 95% limit column (all methods but control_limits).", valueName: "col"))
    var lower95: String?

    @Option(help: ArgumentHelp("The value's upper 95% limit column (all methods but control_limits).", valueName: "col"))
    var upper95: String?

    @Option(
        name: .customLong("lower99-8"), help: ArgumentHelp("The value's lower 99.8% limit column (ci95_99_8).", valueName: "col"))
    var lower99_8: String?

    @Option(
        name: .customLong("upper99-8"), help: ArgumentHelp("The value's upper 99.8% limit column (ci95_99_8).", valueName: "col"))
    var upper99_8: String?

    @Option(help: ArgumentHelp("The benchmark: a column, or one number for every row.", valueName: "col|number"))
    var benchmark: CompareBenchmarkArgument

    @Option(
        help: ArgumentHelp(
            "Which direction is better (neutral: higher or lower; not_applicable: never compared).",
            valueName: "high_is_good|low_is_good|neutral|not_applicable"))
    var polarity: PolarityArgument

    @Option(help: ArgumentHelp("How the value is compared.", valueName: "ci95|ci95_99_8|overlap|control_limits"))
    var method: ComparisonMethodArgument = .ci95

    @Option(
        name: .customLong("benchmark-lower95"),
        help: ArgumentHelp("The benchmark's lower 95% limit (overlap): a column or a number.", valueName: "col|number"))
    var benchmarkLower95: CompareBenchmarkArgument?

    @Option(
        name: .customLong("benchmark-upper95"),
        help: ArgumentHelp("The benchmark's upper 95% limit (overlap): a column or a number.", valueName: "col|number"))
    var benchmarkUpper95: CompareBenchmarkArgument?

    @Option(help: ArgumentHelp("The denominator column: persons or population (control_limits).", valueName: "col"))
    var denominator: String?

    @Option(
        help: ArgumentHelp(
            "The unit of value and benchmark: 100 for a percentage, 100000 for a rate per 100,000 (control_limits).",
            valueName: "n"))
    var unit: Number?

    @Option(
        name: .customLong("value-type"),
        help: ArgumentHelp("What the value is (control_limits).", valueName: "proportion|dsr"))
    var valueType: CompareValueTypeArgument?

    func validate() throws {
        let method = self.method.method
        try Self.pair(
            lower95, upper95, "--lower95 COL and --upper95 COL", "the value's 95% limits", method: method,
            needed: method != .controlLimits, readBy: nil)
        try Self.pair(
            lower99_8, upper99_8, "--lower99-8 COL and --upper99-8 COL", "the value's 99.8% limits",
            method: method, needed: method == .ci95And99_8, readBy: .ci95And99_8)
        try Self.pair(
            benchmarkLower95, benchmarkUpper95, "--benchmark-lower95 and --benchmark-upper95",
            "the benchmark's 95% limits", method: method, needed: method == .overlap, readBy: .overlap)
        let controlFlags = [denominator as Any?, unit, valueType].filter { $0 != nil }.count
        if method == .controlLimits {
            guard controlFlags == 3 else {
                throw ValidationError(
                    "--method control_limits needs --denominator COL, --unit N (100 for a percentage, 100000 for a "
                        + "rate per 100,000) and --value-type proportion|dsr")
            }
            let levels = try common.levels
            guard levels.count <= 2 else {
                throw ValidationError(
                    "control limits are computed at one or two --confidence levels (e.g. 95 or 95,99.8), not \(levels.count)")
            }
        } else if controlFlags > 0 {
            throw ValidationError(
                "--denominator, --unit and --value-type are read by --method control_limits only: add that --method, "
                    + "or leave them out")
        }
        if let unit, !(unit.value > 0) {
            throw ValidationError("--unit must be a positive number (100 for a percentage, 100000 for a rate per 100,000)")
        }
    }

    /// Checks a pair of limit flags: both or neither; both when the method needs them; none when only another method reads them.
    private static func pair(
        _ lower: Any?, _ upper: Any?, _ flags: String, _ what: String, method: ComparisonMethod, needed: Bool,
        readBy: ComparisonMethod?
    ) throws {
        let given = [lower, upper].filter { $0 != nil }.count
        if given == 1 { throw ValidationError("give both \(flags) (\(what)), or neither") }
        if needed && given == 0 { throw ValidationError("--method \(method.rawValue) needs \(flags): \(what)") }
        if let readBy, !needed && given == 2 {
            throw ValidationError(
                "\(flags) are read by --method \(readBy.rawValue) only: add that --method, or leave them out")
        }
    }

    func run() throws {
        let request = ComparisonTable.Request(
            common: try common.request(), value: value, lower95: lower95, upper95: upper95, lower99_8: lower99_8,
            upper99_8: upper99_8, benchmark: benchmark.source, benchmarkLower95: benchmarkLower95?.source,
            benchmarkUpper95: benchmarkUpper95?.source, polarity: polarity.polarity, method: method.method,
            denominator: denominator, unit: unit?.value, valueType: valueType?.valueType)
        try execute(output: common.output) { () throws(InputError) in try ComparisonTable.run(request) }
    }
}

/// A benchmark flag's value: a number for every row, or else a column name.
struct CompareBenchmarkArgument: ExpressibleByArgument, Sendable {
    /// Where the benchmark comes from.
    var source: ComparisonTable.Source

    init?(argument: String) {
        if let x = Double(argument), x.isFinite {
            source = .number(x)
        } else if !argument.isEmpty {
            source = .column(argument)
        } else {
            return nil
        }
    }
}

/// `--polarity` values.
enum PolarityArgument: String, ExpressibleByArgument, CaseIterable {
    case highIsGood = "high_is_good"
    case lowIsGood = "low_is_good"
    case neutral
    case notApplicable = "not_applicable"

    var polarity: Polarity { Polarity(rawValue: rawValue) ?? .neutral }
}

/// `--method` values of `compare`.
enum ComparisonMethodArgument: String, ExpressibleByArgument, CaseIterable {
    case ci95
    case ci95And99_8 = "ci95_99_8"
    case overlap
    case controlLimits = "control_limits"

    var method: ComparisonMethod { ComparisonMethod(rawValue: rawValue) ?? .ci95 }
}

/// `--value-type` values of `compare`.
enum CompareValueTypeArgument: String, ExpressibleByArgument, CaseIterable {
    case proportion, dsr

    var valueType: ControlLimitValueType { self == .proportion ? .proportion : .dsr }
}

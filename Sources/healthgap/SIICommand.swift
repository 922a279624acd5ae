import Areas
import ArgumentParser
import Indicators
import Ingest
import MethodTables
import Results
import Runner

/// `healthgap sii`: slope and relative index of inequality with simulated limits.
struct SIICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sii",
        abstract: "Slope and relative index of inequality (SII, RII) across deprivation quantiles, with simulated limits.",
        discussion: """
            Each group needs one row per quantile (1 = most deprived); the number of quantiles is \
            the number of distinct values in the quantile column. A group missing a quantile, or \
            with a missing population or value, keeps its row with empty values and a note, and a \
            warning is printed. Limits are simulated from a seeded generator: group i (in order of \
            first appearance) uses stream i of --seed, so results do not depend on --threads.
            """)

    @OptionGroup var common: CommonOptions

    @Option(help: ArgumentHelp("The quantile column (1 = most deprived).", valueName: "col"))
    var quantile: String

    @Option(help: ArgumentHelp("The population column.", valueName: "col"))
    var population: String

    @Option(help: ArgumentHelp("The value column (life expectancy, rate, or proportion in (0, 1)).", valueName: "col"))
    var value: String?

    @Option(
        help: ArgumentHelp("A count column instead of --value: the value is count/population (value type 2).", valueName: "col"))
    var count: String?

    @Option(name: .customLong("lower-cl"), help: ArgumentHelp("The 95% lower confidence limit column.", valueName: "col"))
    var lowerCL: String?

    @Option(name: .customLong("upper-cl"), help: ArgumentHelp("The 95% upper confidence limit column.", valueName: "col"))
    var upperCL: String?

    @Option(help: ArgumentHelp("The standard error column (on the log scale for value type 1, logit for 2).", valueName: "col"))
    var se: String?

    @Option(
        name: .customLong("value-type"),
        help: ArgumentHelp(
            "0: no transform (e.g. life expectancy); 1: rate (log scale); 2: proportion (logit scale).", valueName: "0|1|2"))
    var valueType: Int?

    @Flag(help: "Fit on the log (type 1) or logit (type 2) scale.")
    var transform = false

    @Option(help: ArgumentHelp("The SII is multiplied by this (e.g. 100 for percentages; negative to reverse).", valueName: "x"))
    var multiplier = Number(1)

    @Option(help: ArgumentHelp("Simulation repetitions (at least 1,000).", valueName: "n"))
    var repetitions: Int = 100_000

    @Option(help: ArgumentHelp("Seed of the random streams.", valueName: "n"))
    var seed: UInt64 = 1

    @Flag(help: "Also report the relative index of inequality (RII) and its limits.")
    var rii = false

    @Flag(help: "Also report the intercept.")
    var intercept = false

    @Flag(help: "Also report a reliability statistic: the mean absolute difference of 9 further simulations' limits.")
    var reliability = false

    @Option(
        help: ArgumentHelp(
            "direct: the fastest method equal in distribution (default); literal: the reference's draw-and-refit procedure.",
            valueName: "direct|literal"))
    var simulation: SimulationArgument = .direct

    func validate() throws {
        guard (value == nil) != (count == nil) else {
            throw ValidationError("give the values with exactly one of --value COL or --count COL")
        }
        if (lowerCL == nil) != (upperCL == nil) { throw ValidationError("--lower-cl and --upper-cl go together") }
        if se != nil && lowerCL != nil { throw ValidationError("give either --se or --lower-cl/--upper-cl, not both") }
        if se == nil && lowerCL == nil && count == nil {
            throw ValidationError("give the uncertainty: --se COL, or --lower-cl COL --upper-cl COL")
        }
        if let valueType, !(0...2).contains(valueType) { throw ValidationError("--value-type must be 0, 1 or 2") }
        if count != nil, let valueType, valueType != 2 { throw ValidationError("--count gives proportions: --value-type 2") }
        if transform && resolvedValueType == .untransformed {
            throw ValidationError("--transform needs --value-type 1 (rate) or 2 (proportion)")
        }
        guard repetitions >= 1_000 else { throw ValidationError("--repetitions must be at least 1,000") }
    }

    var resolvedValueType: SIIValueType {
        SIIValueType(rawValue: valueType ?? (count != nil ? 2 : 0)) ?? .untransformed
    }

    func run() throws {
        let uncertainty: SlopeIndexTable.Uncertainty
        if let se {
            uncertainty = .standardError(se)
        } else if let lowerCL, let upperCL {
            uncertainty = .limits(lower: lowerCL, upper: upperCL)
        } else {
            uncertainty = .fromCounts
        }
        var options = SIIOptions()
        options.valueType = resolvedValueType
        options.transform = transform
        options.multiplier = multiplier.value
        options.repetitions = repetitions
        options.computeRII = rii
        options.reliability = reliability
        options.simulation = simulation.method
        var request = SlopeIndexTable.Request(
            common: try common.request(), quantile: quantile, population: population,
            value: value.map { .value($0) } ?? .count(count!), uncertainty: uncertainty, options: options)
        request.intercept = intercept
        request.seed = seed
        try execute(output: common.output) { () throws(InputError) in try SlopeIndexTable.run(request) }
    }
}

/// `--simulation` values.
enum SimulationArgument: String, ExpressibleByArgument, CaseIterable {
    case direct, literal

    var method: SIISimulation { self == .direct ? .direct : .literal }
}

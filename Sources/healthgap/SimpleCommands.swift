import Areas
import ArgumentParser
import Ingest
import MethodTables
import Results
import Runner

/// `healthgap rate`: crude rates with Byar's or exact Poisson limits.
struct RateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rate",
        abstract: "Crude rates (Σcount / Σpopulation per group) with Byar's (count ≥ 10) or exact Poisson limits.")

    @OptionGroup var common: CommonOptions

    @Option(help: ArgumentHelp("The event count column.", valueName: "col"))
    var count: String

    @Option(help: ArgumentHelp("The population column.", valueName: "col"))
    var population: String

    @Option(help: ArgumentHelp("Rates are per this many people.", valueName: "n"))
    var multiplier = Number(100_000)

    func run() throws {
        let common = try self.common.request()
        try execute(output: self.common.output) { () throws(InputError) in
            try CrudeRateTable.run(common, statistic: .rate(count: count, population: population, multiplier: multiplier.value))
        }
    }
}

/// `healthgap proportion`: proportions with Wilson score limits.
struct ProportionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proportion", abstract: "Proportions (Σnumerator / Σdenominator per group) with Wilson score limits.")

    @OptionGroup var common: CommonOptions

    @Option(help: ArgumentHelp("The numerator column.", valueName: "col"))
    var numerator: String

    @Option(help: ArgumentHelp("The denominator column.", valueName: "col"))
    var denominator: String

    @Option(help: ArgumentHelp("Proportions are × this (1, or 100 for a percentage).", valueName: "n"))
    var multiplier = Number(1)

    func run() throws {
        let common = try self.common.request()
        try execute(output: self.common.output) { () throws(InputError) in
            try CrudeRateTable.run(
                common, statistic: .proportion(numerator: numerator, denominator: denominator, multiplier: multiplier.value))
        }
    }
}

/// `healthgap mean`: means with Student's t limits.
struct MeanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mean", abstract: "Means of a value per group with Student's t limits.")

    @OptionGroup var common: CommonOptions

    @Option(help: ArgumentHelp("The value column.", valueName: "col"))
    var value: String

    func run() throws {
        let common = try self.common.request()
        try execute(output: self.common.output) { () throws(InputError) in
            try CrudeRateTable.run(common, statistic: .mean(value: value))
        }
    }
}

/// `healthgap quantiles`: quantiles of a value within parent groups.
struct QuantilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantiles",
        abstract:
            "Assigns quantiles (e.g. deciles) of a value within each --by group; writes every input column plus 'quantile'.",
        discussion: "Ties take the smallest rank. A group with fewer values than quantiles gets none, with a warning.")

    @OptionGroup var common: CommonOptions

    @Option(help: ArgumentHelp("The value column to rank.", valueName: "col"))
    var value: String

    @Option(help: ArgumentHelp("How many quantiles (10 for deciles).", valueName: "n"))
    var quantiles: Int

    @Option(help: ArgumentHelp("true: quantile 1 holds the highest values; false: the lowest.", valueName: "true|false"))
    var invert: Bool = true

    func validate() throws {
        guard quantiles >= 2 else { throw ValidationError("--quantiles must be at least 2") }
    }

    func run() throws {
        let request = QuantileTable.Request(common: try common.request(), value: value, quantiles: quantiles, invert: invert)
        try execute(output: common.output) { () throws(InputError) in try QuantileTable.run(request) }
    }
}

import Areas
import ArgumentParser
import Ingest
import MethodTables
import Results
import Runner

/// `healthgap dsr`: directly standardised rates with Dobson limits.
struct DSRCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dsr",
        abstract: "Directly standardised rates with Dobson limits (European Standard Population 2013 by default).",
        discussion: """
            The standard is joined to each group by age band label, never by row position. Finer \
            input bands that nest exactly (0 + 1-4) are summed into the standard's band; a band that \
            straddles two standard bands is an error. A group with a total count below 10 keeps its \
            row with empty values and a note.
            """)

    @OptionGroup var common: CommonOptions

    @Option(
        name: .customLong("age-band"),
        help: ArgumentHelp("The age band column (labels such as 0-4, 90+, or start ages).", valueName: "col"))
    var ageBand: String

    @Option(help: ArgumentHelp("The event count column.", valueName: "col"))
    var count: String

    @Option(help: ArgumentHelp("The population column.", valueName: "col"))
    var population: String

    @Option(
        help: ArgumentHelp(
            "The standard population: esp2013, esp1976, a CSV file of band and weight, or column:COL for a weight column on each row.",
            valueName: "esp2013|esp1976|file.csv|column:col"))
    var standard: String = "esp2013"

    @Option(
        help: ArgumentHelp(
            "Restrict to this age range, e.g. 0-74 (the standard's bands in that range and their weights).", valueName: "a-b"))
    var ages: String?

    @Option(
        name: .customLong("frequency-columns"),
        help: ArgumentHelp(
            "Columns with the number of people with exactly 1, 2, … events, for non-independent events.",
            valueName: "col,col…"))
    var frequencyColumns: String?

    @Option(help: ArgumentHelp("Rates are per this many people.", valueName: "n"))
    var multiplier = Number(100_000)

    func validate() throws {
        _ = try ageRange()
    }

    func ageRange() throws -> ClosedRange<Int>? {
        guard let ages else { return nil }
        let parts = ages.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
        if parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]), a >= 0, b >= a { return a...b }
        if parts.count == 1, ages.hasSuffix("+"), let a = Int(ages.dropLast()), a >= 0 { return a...Int.max }
        throw ValidationError("--ages: '\(ages)' is not an age range such as 0-74 or 75+")
    }

    func run() throws {
        var request = DirectlyStandardisedRateTable.Request(
            common: try common.request(), ageBand: ageBand, count: count, population: population)
        request.standard = .init(argument: standard)
        request.ages = try ageRange()
        request.frequencyColumns = columnList(frequencyColumns)
        request.multiplier = multiplier.value
        try execute(output: common.output) { () throws(InputError) in try DirectlyStandardisedRateTable.run(request) }
    }
}

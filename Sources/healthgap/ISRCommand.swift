import Areas
import ArgumentParser
import Ingest
import MethodTables
import Results
import Runner

/// `healthgap isr`: indirectly standardised ratios or rates.
struct ISRCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "isr",
        abstract: "Indirectly standardised ratios (or rates, with --rate) with Byar's or exact Poisson limits.",
        discussion: """
            Reference rates come from columns on each row (--ref-count, --ref-population) or from a \
            reference table joined by age band (--reference). Observed totals without an age \
            breakdown can replace the summed counts (--observed-totals, keyed by the --by columns).
            """)

    @OptionGroup var common: CommonOptions

    @Option(name: .customLong("age-band"), help: ArgumentHelp("The age band column.", valueName: "col"))
    var ageBand: String

    @Option(help: ArgumentHelp("The observed count column.", valueName: "col"))
    var count: String

    @Option(help: ArgumentHelp("The population column.", valueName: "col"))
    var population: String

    @Option(name: .customLong("ref-count"), help: ArgumentHelp("The reference count column on each row.", valueName: "col"))
    var refCount: String?

    @Option(
        name: .customLong("ref-population"), help: ArgumentHelp("The reference population column on each row.", valueName: "col"))
    var refPopulation: String?

    @Option(help: ArgumentHelp("A reference table (CSV) joined by age band.", valueName: "file.csv"))
    var reference: String?

    @Option(
        name: .customLong("reference-age-band"),
        help: ArgumentHelp("The reference table's age band column (default: as --age-band).", valueName: "col"))
    var referenceAgeBand: String?

    @Option(
        name: .customLong("reference-count"),
        help: ArgumentHelp("The reference table's count column (default: as --count).", valueName: "col"))
    var referenceCount: String?

    @Option(
        name: .customLong("reference-population"),
        help: ArgumentHelp("The reference table's population column (default: as --population).", valueName: "col"))
    var referencePopulation: String?

    @Option(
        name: .customLong("observed-totals"),
        help: ArgumentHelp("A CSV of observed totals keyed by the --by columns.", valueName: "file.csv"))
    var observedTotals: String?

    @Option(
        name: .customLong("observed-column"), help: ArgumentHelp("The observed totals file's total column.", valueName: "col"))
    var observedColumn: String?

    @Flag(help: "Report the indirectly standardised rate (ratio × reference rate) instead of the ratio.")
    var rate = false

    @Option(help: ArgumentHelp("Rates are per this many people (with --rate).", valueName: "n"))
    var multiplier = Number(100_000)

    @Option(name: .customLong("ref-value"), help: ArgumentHelp("The ratio is reported × this (e.g. 100).", valueName: "x"))
    var refValue = Number(1)

    func validate() throws {
        switch (refCount != nil || refPopulation != nil, reference != nil) {
        case (true, true):
            throw ValidationError("give either --ref-count and --ref-population, or --reference, not both")
        case (false, false):
            throw ValidationError("give the reference: --ref-count and --ref-population, or --reference FILE.csv")
        case (true, false):
            guard refCount != nil, refPopulation != nil else {
                throw ValidationError("--ref-count and --ref-population go together")
            }
        case (false, true):
            break
        }
        if (observedTotals == nil) != (observedColumn == nil) {
            throw ValidationError("--observed-totals and --observed-column go together")
        }
    }

    func run() throws {
        let source: IndirectlyStandardisedRatioTable.Reference
        if let reference {
            source = .file(
                path: reference, ageBand: referenceAgeBand ?? ageBand, count: referenceCount ?? count,
                population: referencePopulation ?? population)
        } else {
            source = .columns(count: refCount!, population: refPopulation!)
        }
        var request = IndirectlyStandardisedRatioTable.Request(
            common: try common.request(), ageBand: ageBand, count: count, population: population, reference: source)
        if let observedTotals, let observedColumn {
            request.observedTotals = .init(path: observedTotals, column: observedColumn)
        }
        request.asRate = rate
        request.multiplier = multiplier.value
        request.referenceValue = refValue.value
        try execute(output: common.output) { () throws(InputError) in try IndirectlyStandardisedRatioTable.run(request) }
    }
}

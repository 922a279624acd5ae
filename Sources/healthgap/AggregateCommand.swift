import Areas
import ArgumentParser
import Foundation
import Ingest
import MethodTables
import Results
import Runner

/// `healthgap aggregate`: LSOA-level counts summed by area, deprivation quantile, sex, age band and period.
struct AggregateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aggregate",
        abstract: "Sum LSOA-level population and deaths by area, deprivation quantile, sex, age band and period.",
        discussion: """
            Reads a counts file (default columns lsoa_code, year, sex, age_band, population, deaths, as \
            'healthgap synth' writes them) once, joins each row to its LSOA's areas and IMD deciles and \
            writes one row per cell of the --by keys, sorted by them: the key columns (la, ward, place, icb \
            and region as code then name), then population and deaths. Keys: lsoa, ward, la, place, icb, \
            region, decile, quintile, local_decile, local_quintile, core20, sex, age_band, year, period. \
            A bad row (unknown LSOA, bad count, sex or age, duplicate key, wrong field count, \
            unterminated quote) stops the run (exit 65, nothing written) unless --on-error reject.
            """)

    @Option(help: ArgumentHelp("The counts file (plain or .csv.gz).", valueName: "file"))
    var counts: String

    @Option(
        help: ArgumentHelp(
            "The deprivation edition: imd2019, or the path of an IMD-like CSV (LSOA code, rank, optional decile).",
            valueName: "imd2019|file"))
    var deprivation: String = "imd2019"

    @Option(
        help: ArgumentHelp(
            "Keys to group by, comma-separated, in output column order (e.g. la,decile,sex,age_band,year).", valueName: "key,key…"
        ))
    var by: String

    @Option(help: ArgumentHelp("Where to write the result CSV ('-' for standard output).", valueName: "file"))
    var output: String

    @Option(
        name: .customLong("on-error"),
        help: ArgumentHelp(
            "What to do with a bad row: fail (stop, exit 65, write nothing) or reject (write it to --rejects and go on).",
            valueName: "fail|reject"))
    var onError: RowPolicyArgument = .fail

    @Option(
        help: ArgumentHelp("Where --on-error reject writes the rejected rows, each with its line and reason.", valueName: "file"))
    var rejects: String?

    @Option(
        help: ArgumentHelp(
            "Threads parsing a plain file (default: the number of cores); gzip input is inflated on a second thread.",
            valueName: "n"))
    var threads: Int?

    @Option(
        help: ArgumentHelp(
            "Age bands to sum into: le (20 life-table bands), esp2013 (19 ESP bands) or input (the file's own).",
            valueName: "le|esp2013|input"))
    var bands: BandSchemeArgument = .input

    @Option(
        name: .customLong("period-length"),
        help: ArgumentHelp("Years per rolling period for the period key (3 gives 2018-2020, 2019-2021, …).", valueName: "n"))
    var periodLength: Int?

    @Option(
        name: .customLong("local-within"),
        help: ArgumentHelp("The areas local deciles and quintiles are cut within.", valueName: "la|place|icb|region"))
    var localWithin: AreaLevelArgument = .la

    @Option(name: .customLong("lsoa-column"), help: ArgumentHelp("The LSOA code column (default lsoa_code).", valueName: "col"))
    var lsoaColumn: String?

    @Option(name: .customLong("year-column"), help: ArgumentHelp("The year column (default year).", valueName: "col"))
    var yearColumn: String?

    @Option(name: .customLong("sex-column"), help: ArgumentHelp("The sex column (default sex).", valueName: "col"))
    var sexColumn: String?

    @Option(
        name: .customLong("age-column"), help: ArgumentHelp("The age or age band column (default age_band).", valueName: "col"))
    var ageColumn: String?

    @Option(
        name: .customLong("population-column"),
        help: ArgumentHelp("The population column (default population).", valueName: "col"))
    var populationColumn: String?

    @Option(name: .customLong("deaths-column"), help: ArgumentHelp("The deaths column (default deaths).", valueName: "col"))
    var deathsColumn: String?

    @Option(
        name: .customLong("data-dir"),
        help: ArgumentHelp(
            "The folder holding imd2019/ and lookups/ (default: found beside the binary, or $HEALTHGAP_DATA).", valueName: "dir"))
    var dataDir: String?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if onError == .reject && rejects == nil { throw ValidationError("--on-error reject needs --rejects FILE") }
        if onError == .fail && rejects != nil { throw ValidationError("--rejects is used only with --on-error reject") }
        if let periodLength, periodLength < 1 { throw ValidationError("--period-length must be at least 1") }
    }

    func run() throws {
        do {
            let keys = try AggregationKey.parseList(by)
            var request = AggregationRequest(counts: counts, by: keys, output: output, data: try locateData(dataDir))
            request.deprivation = deprivation
            request.onError = onError == .fail ? .fail : .reject
            request.rejects = rejects
            request.threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
            request.bands = bands.scheme
            request.periodLength = periodLength
            request.localWithin = localWithin.level
            request.columns = CountColumns(
                lsoa: lsoaColumn, year: yearColumn, sex: sexColumn, age: ageColumn, population: populationColumn,
                deaths: deathsColumn)
            let summary = try CountsAggregation.run(request)
            for warning in summary.warnings { printToStandardError("healthgap: warning: \(warning)") }
            if request.onError == .reject {
                printToStandardError(
                    "healthgap: read \(summary.rowsRead) rows: \(summary.accepted) accepted, \(summary.rejected) rejected (written to \(rejects ?? ""))"
                )
            }
        } catch {
            printToStandardError("healthgap: error: \(error.description)")
            throw ExitCode(error.exitCode)
        }
    }
}

/// Finds the data directory: `--data-dir`, else `$HEALTHGAP_DATA`, else beside the binary or its checkout.
func locateData(_ explicit: String?) throws(InputError) -> DataDirectory {
    let environment = ProcessInfo.processInfo.environment["HEALTHGAP_DATA"].flatMap { $0.isEmpty ? nil : $0 }
    return try DataDirectory.locate(
        explicit: explicit ?? environment, executable: Bundle.main.executablePath ?? CommandLine.arguments.first)
}

/// `--on-error` values of `aggregate`.
enum RowPolicyArgument: String, ExpressibleByArgument, CaseIterable {
    case fail, reject
}

/// `--bands` values.
enum BandSchemeArgument: String, ExpressibleByArgument, CaseIterable {
    case le, esp2013, input

    var scheme: BandScheme { BandScheme(rawValue: rawValue)! }
}

/// `--local-within` values.
enum AreaLevelArgument: String, ExpressibleByArgument, CaseIterable {
    case la, place, icb, region

    var level: AreaLevel { AreaLevel(rawValue: rawValue)! }
}

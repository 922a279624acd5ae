import Areas
import ArgumentParser
import MethodTables

/// `healthgap decompose`: Arriaga's decomposition of a life-expectancy gap by age and cause (METHODS.md §10).
struct DecomposeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decompose",
        abstract: "Decompose the gap in life expectancy at birth between two populations by age and cause (Arriaga).",
        discussion: """
            Each --by group holds both populations, told apart by the --compare column: \
            --compare group=most:least reads rows with group=most as the base (1) and rows with \
            group=least as the comparator (2); rows with other values are not read. Each needs \
            the 20 life-table bands of 'le'. --causes names deaths-by-cause columns: a residual \
            cause 'other' holds the deaths they leave (causes summing to more than --deaths is \
            an error). Writes the --by columns, start_age (a band's start age, or all), cause \
            (a cause, or all), years, percent_of_gap, le_base, le_comparator and note: per band, \
            then all ages, the row for all causes, then each cause. The row start_age=all, \
            cause=all carries the whole gap e0(2) - e0(1); a contribution may have the opposite \
            sign to the gap. Arriaga's method is directional: --symmetric reports the mean of \
            both directions, (Arriaga(1→2) - Arriaga(2→1))/2. There are no confidence limits: \
            --confidence is ignored. A group whose life tables are not computable (a missing \
            band, total population ≤ 5,000, …) or that lacks one population keeps its rows with \
            empty values and a note, and a warning is printed. Negative deaths by cause, causes \
            summing to more than the deaths or an age that is not a life-table band stops with \
            exit 65, or with --on-error suppress becomes the group's note.
            """)

    @OptionGroup var common: CommonOptions

    @Option(
        help: ArgumentHelp(
            "The column telling the two populations apart, with the base's value and the comparator's.",
            valueName: "col=base:comparator"))
    var compare: String

    @Option(
        name: .customLong("start-age"),
        help: ArgumentHelp("The age column: start ages (0, 1, 5, …) or band labels (1-4, 90+).", valueName: "col"))
    var startAge: String

    @Option(help: ArgumentHelp("The all-cause deaths column.", valueName: "col"))
    var deaths: String

    @Option(help: ArgumentHelp("The population column.", valueName: "col"))
    var population: String

    @Option(
        help: ArgumentHelp(
            "Deaths-by-cause columns, comma-separated; each cause is named after its column.", valueName: "col,col…"))
    var causes: String?

    @Flag(help: "Report the mean of both directions, (Arriaga(1→2) - Arriaga(2→1))/2.")
    var symmetric = false

    /// The `--compare` column and the base's and comparator's values.
    func comparison() throws -> (column: String, base: String, comparator: String) {
        guard let equals = compare.firstIndex(of: "=") else {
            throw ValidationError("--compare: '\(compare)' is not COL=BASE:COMPARATOR (e.g. group=most:least)")
        }
        let column = String(compare[..<equals])
        let values = compare[compare.index(after: equals)...].split(separator: ":", omittingEmptySubsequences: false)
        guard !column.isEmpty, values.count == 2, !values[0].isEmpty, !values[1].isEmpty else {
            throw ValidationError(
                "--compare: '\(compare)' is not COL=BASE:COMPARATOR (e.g. group=most:least; values without ':')")
        }
        guard values[0] != values[1] else {
            throw ValidationError("--compare: the base and the comparator are both '\(values[0])'; name two values")
        }
        return (column, String(values[0]), String(values[1]))
    }

    /// The cause columns, each once.
    func causeColumns() throws -> [String] {
        let names = columnList(causes)
        for (i, name) in names.enumerated() {
            if names[..<i].contains(name) { throw ValidationError("--causes: '\(name)' is named twice") }
            if name.lowercased() == "all" {
                throw ValidationError("--causes: a cause may not be called 'all' (the rows of all causes); rename the column")
            }
            if name.lowercased() == "other" {
                throw ValidationError(
                    "--causes: 'other' is the residual cause the command adds (the deaths the named causes leave); "
                        + "leave that column out and its deaths become the residual")
            }
        }
        return names
    }

    func validate() throws {
        let (column, _, _) = try comparison()
        if common.byColumns.contains(column) {
            throw ValidationError(
                "--compare column '\(column)' is also a --by column: each --by group must hold both populations")
        }
        _ = try causeColumns()
    }

    func run() throws {
        let (column, base, comparator) = try comparison()
        let request = LifeExpectancyDecompositionTable.Request(
            common: try common.request(), compare: column, base: base, comparator: comparator, startAge: startAge,
            deaths: deaths, population: population, causes: try causeColumns(), symmetric: symmetric)
        try execute(output: common.output) { () throws(InputError) in try LifeExpectancyDecompositionTable.run(request) }
    }
}

import Areas
import ArgumentParser
import Indicators
import MethodTables

/// `healthgap hle`: healthy life expectancy by Sullivan's method (METHODS.md §9).
struct HealthyLifeExpectancyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hle",
        abstract: "Healthy life expectancy by Sullivan's method on Chiang's life table (20 bands: 0, 1-4, …, 90+).",
        discussion: """
            Each group needs the 20 life-table bands of 'le', each with the prevalence of the \
            healthy state: --prevalence (0-1) with --sample-size or --prevalence-se, or counts \
            --healthy and --surveyed. With --prevalence-band, rows with the same label share one \
            survey estimate and its error (prevalence measured in coarser bands, e.g. 0-15, \
            85+). Writes the --by columns, start_age, value (HLE), lowerXX_Xcl and upperXX_Xcl \
            per level, le, years_in_poorer_health, percent_in_good_health and note. Limits use \
            both parts of the variance (prevalence and mortality, EHEMU guide appendix 1), or \
            with --variance prevalence the prevalence part only. A group that is not computable \
            (a missing band, total population ≤ 5,000, a missing prevalence, …) keeps its rows \
            with empty values and a note, and a warning is printed. A prevalence outside 0-1, a \
            negative sample size, more healthy than surveyed, two values in one prevalence band \
            or a row without a prevalence band stops with exit 65, or with --on-error suppress \
            becomes the group's note.
            """)

    @OptionGroup var common: CommonOptions

    @Option(
        name: .customLong("start-age"),
        help: ArgumentHelp("The age column: start ages (0, 1, 5, …) or band labels (1-4, 90+).", valueName: "col"))
    var startAge: String

    @Option(help: ArgumentHelp("The deaths column.", valueName: "col"))
    var deaths: String

    @Option(help: ArgumentHelp("The population column.", valueName: "col"))
    var population: String

    @Option(help: ArgumentHelp("The column of the proportion in good health (0-1).", valueName: "col"))
    var prevalence: String?

    @Option(
        name: .customLong("sample-size"),
        help: ArgumentHelp("With --prevalence: the survey sample size column.", valueName: "col"))
    var sampleSize: String?

    @Option(
        name: .customLong("prevalence-se"),
        help: ArgumentHelp("With --prevalence: the column of its standard errors (survey designs).", valueName: "col"))
    var prevalenceSE: String?

    @Option(help: ArgumentHelp("Instead of --prevalence: the column of numbers in good health.", valueName: "col"))
    var healthy: String?

    @Option(help: ArgumentHelp("With --healthy: the column of numbers surveyed.", valueName: "col"))
    var surveyed: String?

    @Option(
        name: .customLong("prevalence-band"),
        help: ArgumentHelp(
            "The column labelling each row's prevalence band: rows with the same label share one estimate and its error.",
            valueName: "col"))
    var prevalenceBand: String?

    @Option(
        name: .customLong("le-age"),
        help: ArgumentHelp("Start ages to report: all, or a comma-separated list such as 0,65.", valueName: "all|0|65|…"))
    var leAge: String = "0"

    @Option(
        help: ArgumentHelp(
            "Var(HLE): prevalence and mortality parts (mathers), or the prevalence part only.",
            valueName: "mathers|prevalence"))
    var variance: HealthyLifeExpectancyVarianceArgument = .mathers

    /// The prevalence columns the flags name, or what to add or remove.
    func prevalenceColumns() throws -> HealthyLifeExpectancyTable.Prevalence {
        let proportions = prevalence != nil || sampleSize != nil || prevalenceSE != nil
        if healthy != nil || surveyed != nil {
            guard !proportions else {
                throw ValidationError(
                    "give --prevalence (with --sample-size or --prevalence-se) or --healthy and --surveyed, not both")
            }
            guard let healthy else { throw ValidationError("--surveyed needs --healthy COL, the numbers in good health") }
            guard let surveyed else { throw ValidationError("--healthy needs --surveyed COL, the numbers surveyed") }
            return .counts(healthy: healthy, surveyed: surveyed)
        }
        guard let prevalence else {
            if proportions { throw ValidationError("--sample-size and --prevalence-se go with --prevalence COL") }
            throw ValidationError(
                "give the prevalence: --prevalence COL with --sample-size COL or --prevalence-se COL, "
                    + "or --healthy COL with --surveyed COL")
        }
        switch (sampleSize, prevalenceSE) {
        case (let n?, nil): return .sampleSize(prevalence: prevalence, sampleSize: n)
        case (nil, let se?): return .standardError(prevalence: prevalence, standardError: se)
        case (_?, _?): throw ValidationError("give --sample-size or --prevalence-se with --prevalence, not both")
        case (nil, nil): throw ValidationError("--prevalence needs --sample-size COL or --prevalence-se COL")
        }
    }

    /// The start ages `--le-age` names; nil for all 20.
    func ages() throws -> [Int]? {
        if leAge.lowercased() == "all" { return nil }
        return try columnList(leAge).map { text in
            guard let age = Int(text), LifeExpectancy.startAges.contains(age) else {
                throw ValidationError("--le-age: '\(text)' is not a life-table start age (0, 1, 5, 10, …, 90) or 'all'")
            }
            return age
        }
    }

    func validate() throws {
        _ = try prevalenceColumns()
        guard try ages().map({ !$0.isEmpty }) ?? true else {
            throw ValidationError("--le-age needs at least one start age (0, 1, 5, 10, …, 90) or 'all'")
        }
    }

    func run() throws {
        let request = HealthyLifeExpectancyTable.Request(
            common: try common.request(), startAge: startAge, deaths: deaths, population: population,
            prevalence: try prevalenceColumns(), prevalenceBand: prevalenceBand, ages: try ages(),
            variance: variance.variance)
        try execute(output: common.output) { () throws(InputError) in try HealthyLifeExpectancyTable.run(request) }
    }
}

/// `--variance` values.
enum HealthyLifeExpectancyVarianceArgument: String, ExpressibleByArgument, CaseIterable {
    case mathers, prevalence

    /// The method's choice.
    var variance: HealthyLifeExpectancy.Variance { self == .mathers ? .mathers : .prevalence }
}

import Areas
import ArgumentParser
import Ingest
import MethodTables
import Results
import Runner

/// `healthgap le`: life expectancy by Chiang's abridged life table with Silcocks limits.
struct LifeExpectancyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "le",
        abstract: "Life expectancy by Chiang's abridged life table (20 bands: 0, 1-4, 5-9, …, 85-89, 90+).",
        discussion: """
            Each group needs exactly the 20 life-table bands. A group that is not computable \
            (a missing band, deaths > population, total population ≤ 5,000, …) keeps its rows with \
            empty values and a note, and a warning is printed.
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

    @Option(
        name: .customLong("le-age"),
        help: ArgumentHelp("Start ages to report: all, or a comma-separated list such as 0,65.", valueName: "all|0|65|…"))
    var leAge: String = "0"

    func validate() throws {
        _ = try ages()
    }

    func ages() throws -> [Int]? {
        if leAge.lowercased() == "all" { return nil }
        return try columnList(leAge).map { text in
            guard let age = Int(text),
                [0, 1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90].contains(age)
            else { throw ValidationError("--le-age: '\(text)' is not a life-table start age (0, 1, 5, 10, …, 90) or 'all'") }
            return age
        }
    }

    func run() throws {
        let request = LifeExpectancyTable.Request(
            common: try common.request(), startAge: startAge, deaths: deaths, population: population, ages: try ages())
        try execute(output: common.output) { () throws(InputError) in try LifeExpectancyTable.run(request) }
    }
}

import ArgumentParser

/// The `healthgap` command: population health gap analysis from LSOA-level CSV files.
@main
struct Healthgap: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "healthgap",
        abstract: "Population health gap analysis: life expectancy, standardised rates and inequality indices.",
        version: "0.1.0"
    )
}

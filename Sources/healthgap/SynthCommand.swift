import Areas
import ArgumentParser
import Foundation
import Ingest
import MethodTables
import Results
import Runner

/// `healthgap synth`: deterministic synthetic population and deaths on the real LSOAs, with a known deprivation gradient.
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Generate synthetic LSOA × year × sex × age band population and deaths with a known deprivation gradient.",
        discussion: """
            Writes the columns lsoa_code, year, sex, age_band, population, deaths, healthy, surveyed, circulatory, \
            cancer, respiratory, digestive and external (sex Male/Female; the 20 life-table bands 0, 1-4, …, \
            85-89, 90+). Populations come from the IMD 2019 mid-2015 denominators; \
            deaths are Poisson draws from a Gompertz-like schedule calibrated to life expectancy at birth 79.4 \
            (male) and 83.1 (female) for England, with gaps of 9.5 and 7.5 years between national deciles 1 and \
            10. surveyed is the population and healthy a binomial draw from it at a share in good health that \
            falls with age and with deprivation (as Census 2021 general health: very good or good), drawn from \
            a separate random stream so the first six columns do not depend on it. The last five columns split \
            the deaths by broad cause (the rest are other causes), with more respiratory, digestive and external \
            deaths where deprivation is higher, from a third stream so the first eight columns do not depend on \
            them. The parameters go to \
            F.params.json beside the output; --truth writes the generating life expectancy and healthy life \
            expectancy at birth by sex and decile. The same seed gives the same bytes.
            """)

    @Option(help: ArgumentHelp("england, or comma-separated local authority and region codes.", valueName: "england|code,code…"))
    var areas: String = "england"

    @Option(help: ArgumentHelp("The years, first-last.", valueName: "yyyy-yyyy"))
    var years: String = "2013-2022"

    @Option(help: ArgumentHelp("The random seed (the same seed gives the same file).", valueName: "n"))
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("The counts file to write (.csv, or .csv.gz for gzip).", valueName: "file"))
    var output: String

    @Option(
        help: ArgumentHelp(
            "Where to write the true life expectancy and healthy life expectancy at birth by sex and decile.",
            valueName: "file"))
    var truth: String?

    @Option(
        help: ArgumentHelp("Generating threads (default: the number of cores); the output does not depend on it.", valueName: "n")
    )
    var threads: Int?

    @Option(
        name: .customLong("data-dir"),
        help: ArgumentHelp(
            "The folder holding imd2019/ and lookups/ (default: found beside the binary, or $HEALTHGAP_DATA).", valueName: "dir"))
    var dataDir: String?

    func yearRange() throws -> ClosedRange<Int> {
        let parts = years.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 1, let year = Int(parts[0]) { return year...year }
        guard parts.count == 2, let first = Int(parts[0]), let last = Int(parts[1]), first <= last else {
            throw ValidationError("--years: '\(years)' is not a range such as 2013-2022")
        }
        return first...last
    }

    func validate() throws {
        _ = try yearRange()
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        try reportingFailures {
            var request = SyntheticCounts.Request(output: output, data: try locateData(dataDir))
            request.areas = areas
            request.years = try yearRange()
            request.seed = seed
            request.truth = truth
            request.threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
            _ = try SyntheticCounts.generate(request)
        }
    }
}

import Areas
import ArgumentParser
import Foundation
import Ingest
import MethodTables
import Results
import Runner

/// `healthgap plan check|explain PLAN`: a plan checked, or its jobs listed, without running it.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Check a plan, or list the jobs it would run.",
        subcommands: [Check.self, Explain.self])

    /// Options shared by `check` and `explain`.
    struct Options: ParsableArguments {
        @Argument(help: ArgumentHelp("The plan file (YAML).", valueName: "plan"))
        var plan: String

        @Option(
            name: .customLong("input"),
            help: ArgumentHelp("Read input NAME from FILE instead of the plan's file (repeatable).", valueName: "name=file"))
        var inputs: [String] = []

        @Option(
            name: .customLong("data-dir"),
            help: ArgumentHelp(
                "The folder holding imd2019/ and lookups/ (default: found beside the binary, or $HEALTHGAP_DATA).",
                valueName: "dir"))
        var dataDir: String?

        func validate() throws { _ = try inputOverrides(inputs) }
    }

    /// `healthgap plan check PLAN`.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Check a plan against the lookups and the inputs' headers; report every mistake with its line.",
            discussion:
                "Prints one line per mistake (file:line:column: error: …) and exits 78, or a one-line summary and exits 0. An input that cannot be opened exits 66."
        )

        @OptionGroup var options: Options

        func run() throws {
            try reportingFailures {
                let resolved = try PlanReport.resolve(
                    plan: options.plan, data: try locateData(options.dataDir), inputFiles: try inputOverrides(options.inputs),
                    requireInputs: true)
                print(PlanReport.summary(resolved))
            }
        }
    }

    /// `healthgap plan explain PLAN`.
    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "explain",
            abstract: "Print what a plan computes and the jobs it would run, in run order.",
            discussion: "The inputs need not exist yet: the jobs depend only on the plan and the lookups.")

        @OptionGroup var options: Options

        @Option(help: ArgumentHelp("Repetitions as run would use them (default: the plan's).", valueName: "n"))
        var repetitions: Int?

        @Option(help: ArgumentHelp("The seed as run would use it (default: the plan's).", valueName: "n"))
        var seed: UInt64?

        func run() throws {
            try reportingFailures {
                let resolved = try PlanReport.resolve(
                    plan: options.plan, data: try locateData(options.dataDir), inputFiles: try inputOverrides(options.inputs),
                    requireInputs: false)
                print(PlanReport.explain(resolved, repetitions: repetitions, seed: seed))
            }
        }
    }
}

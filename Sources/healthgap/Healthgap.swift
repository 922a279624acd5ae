import ArgumentParser

/// The `healthgap` command: population health gap analysis from LSOA-level CSV files.
@main
struct Healthgap: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "healthgap",
        abstract: "Population health gap analysis: life expectancy, standardised rates and inequality indices.",
        discussion: """
            'healthgap run PLAN' is the nightly batch: it reads LSOA-level counts once and \
            publishes every indicator, deprivation table, SII and gap of a plan in one atomic step \
            ('plan check' and 'plan explain' look at a plan first; 'run --shard K/M', 'merge' and \
            'slurm' spread it over a Slurm cluster). 'synth' and 'aggregate' make \
            and sum LSOA-level counts. Each method command reads one CSV (plain or .csv.gz), groups \
            its rows by the --by columns and writes one CSV row per group (to --output, or standard \
            output). Exit codes: 0 ok, 64 usage, 65 bad data, 66 cannot read input, 70 internal or \
            failed job, 78 bad plan.
            """,
        version: HealthgapVersion.current,
        subcommands: [
            LifeExpectancyCommand.self, DSRCommand.self, ISRCommand.self, RateCommand.self,
            HealthyLifeExpectancyCommand.self, DecomposeCommand.self,
            ProportionCommand.self, MeanCommand.self, SIICommand.self, QuantilesCommand.self, FunnelCommand.self,
            InequalityCommand.self, SynthCommand.self,
            AggregateCommand.self, RunCommand.self, PlanCommand.self, ReportCommand.self, MergeCommand.self,
            ExperimentCommand.self, HistoryCommand.self,
            SlurmCommand.self, CompareCommand.self, TrendCommand.self, GapChangeCommand.self,
        ]
    )
}

/// The tool's version, as `--version` prints it.
enum HealthgapVersion {
    static let current = "0.1.0"
}

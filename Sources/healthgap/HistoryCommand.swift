import ArgumentParser
import CSVStream
import Foundation
import ResultsStore

/// `healthgap history`: the runs kept in the results history, one indicator's series, and what changed.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Read the results history every published run is appended to.",
        discussion: """
            Every published run appends its records to the history named by the plan's 'history:' key \
            (a SQLite file, relative to the plan, or a postgres:// URL); without the key, \
            healthgap-history.sqlite beside the output link. --store names it here; the default is the \
            one 'healthgap run' would use for ./healthgap-output. Exit codes: 0 ok, 64 nothing matches \
            (the message says what there is), 66 the store cannot be opened or read.
            """,
        subcommands: [List.self, Show.self, Diff.self]
    )
}

/// `--store S`, shared by the history subcommands.
struct StoreOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The history: a SQLite file or a postgres:// URL (default: healthgap-history.sqlite beside ./healthgap-output).",
            valueName: "store"))
    var store: String?

    /// Opens the store, or exits 66 with the reason.
    func open() throws -> any ResultsStore {
        let location = store ?? StoreOpener.defaultLocation(output: "healthgap-output")
        if !StoreOpener.isPostgres(location) && !FileManager.default.fileExists(atPath: location) {
            printToStandardError("healthgap: error: history store \(location) does not exist (a published run creates it)")
            throw ExitCode(66)
        }
        do {
            return try StoreOpener.open(location, busyTimeout: 5)
        } catch {
            printToStandardError("healthgap: error: \(error.description)")
            throw ExitCode(66)
        }
    }
}

/// Runs a history query, mapping its errors to exit codes.
private func answer(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as HistoryQueryError {
        printToStandardError("healthgap: error: \(error.description)")
        throw ExitCode(64)
    } catch let error as StoreError {
        printToStandardError("healthgap: error: \(error.description)")
        throw ExitCode(66)
    }
}

extension HistoryCommand {
    /// `history list`: the runs, newest first.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the runs in the history, newest first (CSV).",
            discussion:
                "Columns: run_id, time (UTC), tool_version, plan, records, seed, fingerprint, plan_sha256, input_sha256.")

        @OptionGroup var options: StoreOption

        func run() throws {
            let store = try options.open()
            defer { store.close() }
            try answer {
                var out: [UInt8] = []
                out += CSVWriter.encodeRow([
                    "run_id", "time", "tool_version", "plan", "records", "seed", "fingerprint", "plan_sha256", "input_sha256",
                ])
                for run in try store.runs() {
                    out += CSVWriter.encodeRow([
                        String(run.id), run.timeText, run.toolVersion, run.planName, String(run.records), String(run.seed),
                        run.fingerprint, run.planSHA256, run.inputSHA256,
                    ])
                }
                FileHandle.standardOutput.write(Data(out))
            }
        }
    }

    /// `history show`: one indicator and area over periods and over runs.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One indicator and area: the series over periods from the latest run, and its revisions (CSV).",
            discussion: """
                Rows with series=periods are the latest run's records (every sex, breakdown cell and measure \
                unless --sex and --measure narrow them); rows with series=revisions are the latest period's \
                records in every run, oldest first. Then the long table's columns of results.csv.
                """)

        @Option(help: ArgumentHelp("The indicator id (le_birth).", valueName: "id"))
        var indicator: String

        @Option(help: ArgumentHelp("The area code (E08000012).", valueName: "code"))
        var area: String

        @Option(help: ArgumentHelp("Only this sex (Male, Female, Persons).", valueName: "sex"))
        var sex: String?

        @Option(help: ArgumentHelp("Only this measure (value, sii, rii, absolute_range, relative_range).", valueName: "measure"))
        var measure: String?

        @OptionGroup var options: StoreOption

        func run() throws {
            let store = try options.open()
            defer { store.close() }
            try answer {
                let filter = RecordFilter(indicator: indicator, area: area, sex: sex, measure: measure)
                FileHandle.standardOutput.write(Data(try HistoryShow.csv(store: store, filter: filter).utf8))
            }
        }
    }

    /// `history diff`: what changed between two runs.
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What changed between two runs (default: the latest two), as CSV; a summary on standard error.",
            discussion: """
                One row per change: new_period, removed_period, revised (a value that moved by at least half a \
                unit in its 4th significant figure), now_suppressed, no_longer_suppressed, new_record, \
                removed_record, and comparison_changed, trend_changed, gap_change_changed, goal_status_changed \
                (a judgement whose word changed; a comparison is written CODE WORD per benchmark). Columns: change, indicator_id, area_code, area_name, sex, age, period, \
                deprivation_scheme, quantile, measure, from, to.
                """)

        @Argument(help: ArgumentHelp("The older and the newer run's ids (healthgap history list).", valueName: "run"))
        var runs: [Int64] = []

        @OptionGroup var options: StoreOption

        func validate() throws {
            if !runs.isEmpty && runs.count != 2 {
                throw ValidationError("give two run ids (RUN_A RUN_B), or none for the latest two")
            }
        }

        func run() throws {
            let store = try options.open()
            defer { store.close() }
            try answer {
                let (older, newer) = try HistoryDiff.runs(in: store, older: runs.first, newer: runs.last)
                let changes = HistoryDiff.changes(
                    from: try store.records(run: older.id, filter: RecordFilter()),
                    to: try store.records(run: newer.id, filter: RecordFilter()))
                FileHandle.standardOutput.write(Data(HistoryDiff.csv(changes).utf8))
                printToStandardError("healthgap: " + HistoryDiff.summary(changes, older: older.id, newer: newer.id))
            }
        }
    }
}

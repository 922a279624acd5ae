import ArgumentParser
import CSVStream
import Foundation
import Report
import Results
import Runner

/// `healthgap report RUN_DIR`: the HTML report of a published run, built again from its files.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Build the HTML report of a published run from its results.csv, manifest.json and plan.yaml.",
        discussion: """
            Reads RUN_DIR/results.csv (every record of the run), manifest.json (the inputs and their \
            SHA-256) and plan.yaml, and writes the report: index.html (the overview of the plan's top \
            area), a page per Place (or per local authority), methods.html and tables/ (the data behind \
            every chart, rounded). The folder is written beside the output and renamed into place, so \
            a report that fails leaves the previous one untouched. Exit codes: 0 ok, 65 bad results.csv, \
            66 unreadable run, 73 output not writable.
            """)

    @Argument(help: ArgumentHelp("A published run folder (or the link to it).", valueName: "run-dir"))
    var runDirectory: String

    @Option(help: ArgumentHelp("The report folder (default: RUN_DIR/report).", valueName: "dir"))
    var output: String?

    func run() throws {
        let started = Date()
        let store: ReportStore
        switch readRecords(runDirectory + "/results.csv") {
        case .success(let read): store = read
        case .failure(let error):
            printToStandardError("healthgap: error: \(error.description)")
            throw ExitCode(error.exitCode)
        }
        let read = Date()
        let context = readContext(runDirectory)
        let target = output ?? runDirectory + "/report"
        let staging = target + ".staging-\(getpid())"
        if let error = write(store, context, staging: staging, target: target) {
            printToStandardError("healthgap: error: \(error.description)")
            throw ExitCode(73)
        }
        let done = Date()
        printToStandardError(
            "healthgap: report of \(store.recordCount) records written to \(target): read \(String(format: "%.2f", read.timeIntervalSince(started))) s, pages \(String(format: "%.2f", done.timeIntervalSince(read))) s"
        )
    }

    /// Writes the report into `staging`, then renames it onto `target`; the error, or nil.
    func write(_ store: ReportStore, _ context: ReportContext, staging: String, target: String) -> ReportError? {
        try? FileManager.default.removeItem(atPath: staging)
        do throws(ReportError) {
            try ReportWriter.write(store: store, context: context, into: staging)
            try replace(target, with: staging)
            return nil
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            return error
        }
    }

    /// Every record of a long table, read into a report store.
    func readRecords(_ path: String) -> Result<ReportStore, ReportInputError> {
        var store = ReportStore()
        do {
            let reader = try CSVReader(path: path)
            let levels = ResultsCSV.levels(header: reader.header.names)
            // A results.csv written before the judgement columns reads too; the cause column is there
            // only when the plan decomposes a gap.
            let causes = ResultsCSV.hasCauseColumn(header: reader.header.names)
            guard
                reader.header.names == ResultsCSV.longHeader(levels: levels, causes: causes)
                    || reader.header.names == ResultsCSV.legacyLongHeader(levels: levels, causes: causes)
            else {
                throw ReportInputError.badData(path: path, line: 1, reason: "not a results.csv header")
            }
            try reader.forEachRow { row in
                switch ResultsCSV.record(fields: row.fields, levels: levels, causes: causes) {
                case .success(let record): store.add(record)
                case .failure(let error):
                    throw ReportInputError.badData(path: path, line: row.line, reason: error.description)
                }
            }
        } catch let error as ReportInputError {
            return .failure(error)
        } catch let error as CSVError {
            return .failure(.badData(path: path, line: 0, reason: error.description))
        } catch {
            return .failure(.unreadable(path: path, reason: "\(error)"))
        }
        return .success(store)
    }

    /// The plan's name and text and the inputs' hashes, from plan.yaml and manifest.json where present.
    func readContext(_ run: String) -> ReportContext {
        let planText = (try? String(contentsOfFile: run + "/plan.yaml", encoding: .utf8)) ?? ""
        var context = ReportContext(
            planName: "", planText: planText, inputs: [],
            run: URL(fileURLWithPath: run).resolvingSymlinksInPath().lastPathComponent)
        guard let data = FileManager.default.contents(atPath: run + "/manifest.json"),
            let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return context }
        if let name = json["run"] as? String { context.run = name }
        if let plan = json["plan"] as? [String: Any], let name = plan["name"] as? String { context.planName = name }
        if let inputs = json["inputs"] as? [[String: Any]] {
            context.inputs = inputs.map {
                ReportInput(
                    name: $0["name"] as? String ?? "", path: $0["path"] as? String ?? "", bytes: $0["bytes"] as? Int,
                    sha256: $0["sha256"] as? String)
            }
        }
        return context
    }

    /// Puts `staging` where `target` was, removing the old report.
    func replace(_ target: String, with staging: String) throws(ReportError) {
        let manager = FileManager.default
        let old = target + ".old-\(getpid())"
        do {
            if manager.fileExists(atPath: target) { try manager.moveItem(atPath: target, toPath: old) }
            try manager.moveItem(atPath: staging, toPath: target)
            try? manager.removeItem(atPath: old)
        } catch {
            throw .write(path: target, reason: error.localizedDescription)
        }
    }
}

/// A run folder whose results cannot be read back.
enum ReportInputError: Error, CustomStringConvertible {
    /// The file cannot be opened.
    case unreadable(path: String, reason: String)
    /// A row does not read as a record.
    case badData(path: String, line: Int, reason: String)

    /// 66 or 65.
    var exitCode: Int32 {
        switch self {
        case .unreadable: return 66
        case .badData: return 65
        }
    }

    /// `results.csv line 12: …`.
    var description: String {
        switch self {
        case .unreadable(let path, let reason): return "cannot read \(path): \(reason)"
        case .badData(let path, let line, let reason): return "\(path) line \(line): \(reason)"
        }
    }
}

/// What the report of a run started by `healthgap run` shows of its plan: name, text and input files.
func reportContext(_ plan: Plan) -> ReportContext {
    let text = (try? String(contentsOfFile: plan.path, encoding: .utf8)) ?? ""
    return ReportContext(
        planName: plan.name, planText: text,
        inputs: plan.inputs.map { ReportInput(name: $0.name, path: $0.resolvedPath) },
        run: "this run (its name and the inputs' SHA-256 are in manifest.json)")
}

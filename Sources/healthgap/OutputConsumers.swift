import Report
import Results
import ResultsStore
import Runner

/// The outputs a run publishes beyond `results.csv` and the area tables, for the parsed plan: the
/// one place the command-line tool plugs consumers in, shared by `run` and `merge` so that a merged
/// run publishes exactly what an unsharded one would.
///
/// The history store is always written (`history:` in the plan, or `healthgap-history.sqlite` beside
/// the output link).
func extraConsumers(_ plan: Plan, output: String) -> [any ResultConsumer] {
    var consumers: [any ResultConsumer] = []
    if plan.report { consumers.append(ReportConsumer(context: reportContext(plan))) }
    consumers.append(HistoryConsumer(location: plan.history ?? StoreOpener.defaultLocation(output: output)))
    return consumers
}

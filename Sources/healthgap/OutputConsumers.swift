import Report
import Results
import Runner

/// The outputs a run publishes beyond `results.csv` and the area tables, for the parsed plan: the
/// one place the command-line tool plugs consumers in, shared by `run` and `merge` so that a merged
/// run publishes exactly what an unsharded one would.
func extraConsumers(_ plan: Plan) -> [any ResultConsumer] {
    var consumers: [any ResultConsumer] = []
    if plan.report { consumers.append(ReportConsumer(context: reportContext(plan))) }
    return consumers
}

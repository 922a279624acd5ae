import Results

/// Which breakdowns of a job draw a random stream for the simulated SII/RII limits: the one rule
/// that the job list (`ResolvedPlan`, which numbers the streams) and the jobs (`JobComputation`,
/// which use them) both read, so the published limits cannot change by the two drifting apart.
///
/// A breakdown draws one stream when it has quantiles (deciles or quintiles) and the indicator asks
/// for the SII or the RII — also when the breakdown turns out not to be computable (an area too small
/// for local deciles), so that the streams of every later job stay where `plan explain` says.
enum SIIStreams {
    /// The job's breakdowns that draw a stream, in the job's breakdown order.
    static func schemes(_ schemes: [DeprivationScheme], measures: [InequalityMeasure]) -> [DeprivationScheme] {
        guard measures.contains(.sii) || measures.contains(.rii) else { return [] }
        return schemes.filter(\.takesSlopeIndex)
    }

    /// Stream numbers by breakdown for a job whose first stream is `first`.
    static func assignment(
        _ schemes: [DeprivationScheme], measures: [InequalityMeasure], first: Int
    ) -> [DeprivationScheme: Int] {
        var out: [DeprivationScheme: Int] = [:]
        for (k, scheme) in Self.schemes(schemes, measures: measures).enumerated() { out[scheme] = first + k }
        return out
    }
}

// The SII inputs the benchmark suite and the profiling driver share: area 1 of three scenarios
// of the reference fixture `testdata_SII__testdata_SII.csv` (10 deciles each), as data.

/// One group of 10 deciles: populations, values and standard errors on the transformed scale.
public typealias SIIReferenceGroup = (populations: [Double], values: [Double], standardErrors: [Double])

/// Area 1 of the fixture's life expectancy, rate and proportion scenarios.
public enum SIIReferenceInputs {
    /// "default (e.g. life expectancy) - default parameters": value type 0.
    public static let lifeExpectancy: SIIReferenceGroup = (
        populations: [7291.0, 7997, 6105, 7666, 5790, 6934, 5918, 5974, 7147, 7534],
        values: [
            75.9334590103081, 78.3442382727843, 83.8360631041654, 83.6375399664931, 80.4655031529559,
            81.1156759857022, 81.6930835718562, 84.1900062060987, 80.5955641081472, 86.2894349578624,
        ],
        standardErrors: [
            1.638472426358545, 1.578192884542907, 1.5134355059640296, 1.7754906175801293, 1.7013390591981388,
            1.56412107376755, 1.3681148366878566, 1.4001418005940802, 2.4328463975781616, 1.5665181695934678,
        ]
    )
    /// "rate (e.g. infant mortality) - default parameters": value type 1, log-scale SEs.
    public static let rate: SIIReferenceGroup = (
        populations: [279012.0, 255993, 236961, 214315, 192812, 183546, 168593, 164822, 154836, 138165],
        values: [
            5.892219689475721, 4.7345044591063035, 3.827634083245766, 3.8681380211371112, 3.6771570234217785,
            3.1436261209723995, 3.1258711808912585, 2.942568346458604, 2.82879950399132, 2.7648101907140012,
        ],
        standardErrors: [
            0.02458749781093432, 0.028651772387909245, 0.03313428067829554, 0.03465674221781768, 0.03747737394554521,
            0.041552591866051265, 0.04347834474318538, 0.045324801522114426, 0.04769567606225466, 0.05107105401330555,
        ]
    )
    /// "proportion (e.g. child obesity) - default parameters": value type 2, logit-scale SEs.
    public static let proportion: SIIReferenceGroup = (
        populations: [34353.0, 32112, 27715, 25372, 23889, 23260, 23180, 24193, 23609, 24488],
        values: [
            0.21212121212121202, 0.214281265570503, 0.204077214504781, 0.19186504808450303, 0.174808489262841,
            0.16663800515907098, 0.156039689387403, 0.146571322283305, 0.140370197805921, 0.120875530872264,
        ],
        standardErrors: [
            0.013197018471840493, 0.013599402535469379, 0.014903436058054755, 0.015942525582502205, 0.01703390526979317,
            0.017593885815626962, 0.018098141690297317, 0.018176743057472546, 0.01873422095544007, 0.019601724030759937,
        ]
    )
}

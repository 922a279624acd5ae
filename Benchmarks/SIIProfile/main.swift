// A plain driver for profilers (valgrind --tool=callgrind, perf): runs one SII case a given
// number of times with nothing else in the process, and prints the thread CPU time per group.
//   swift build -c release --product SIIProfile
//   valgrind --tool=callgrind .build/release/SIIProfile type0 20
// Cases: type0, type0-noRII, rate, proportion, rate-log, proportion-logit; add "literal" as a
// third argument for the literal method.
import Foundation
import Indicators
import NumericCore
import SIIInputs

let arguments = CommandLine.arguments
let name = arguments.count > 1 ? arguments[1] : "type0"
let groups = arguments.count > 2 ? Int(arguments[2]) ?? 20 : 20
let method: SIISimulation = arguments.count > 3 && arguments[3] == "literal" ? .literal : .direct

let le = SIIReferenceInputs.lifeExpectancy
let rate = SIIReferenceInputs.rate
let proportion = SIIReferenceInputs.proportion

let levels = [ConfidenceLevel.ninetyFive]
let (input, options): (SIIReferenceGroup, SIIOptions) = {
    switch name {
    case "type0-noRII": return (le, SIIOptions(levels: levels, computeRII: false, simulation: method))
    case "rate": return (rate, SIIOptions(valueType: .rate, levels: levels, computeRII: true, simulation: method))
    case "proportion":
        return (proportion, SIIOptions(valueType: .proportion, levels: levels, computeRII: true, simulation: method))
    case "rate-log":
        return (rate, SIIOptions(valueType: .rate, transform: true, levels: levels, computeRII: true, simulation: method))
    case "proportion-logit":
        return (
            proportion, SIIOptions(valueType: .proportion, transform: true, levels: levels, computeRII: true, simulation: method)
        )
    default: return (le, SIIOptions(levels: levels, computeRII: true, simulation: method))
    }
}()

func threadCPU() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

var streams = Xoshiro256StarStar.streams(seed: 42, count: groups)
var times: [Double] = []
var check = 0.0
for g in 0..<groups {
    let start = threadCPU()
    let result = try SlopeIndexOfInequality.compute(
        populations: input.populations, values: input.values, standardErrors: input.standardErrors, options: options,
        using: &streams[g])
    times.append(threadCPU() - start)
    check += result.sii.limits[0].lower! + (result.rii?.limits[0].upper ?? 0)
}
times.sort()
print(
    "\(name) \(method): \(groups) groups, median \(times[groups / 2] * 1e3) ms, min \(times[0] * 1e3) ms thread CPU (check \(check))"
)

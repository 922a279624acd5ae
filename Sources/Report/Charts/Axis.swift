/// A linear scale from data values to pixels, with round tick values.
struct LinearScale {
    /// The data range, widened to whole ticks.
    let low: Double, high: Double
    /// The pixel range (`from` maps `low`).
    let from: Double, to: Double
    /// Tick values.
    let ticks: [Double]
    /// Decimals needed to write a tick.
    let tickDecimals: Int

    /// A scale covering `values` (non-finite ignored), with about `count` ticks.
    init(covering values: [Double], from: Double, to: Double, count: Int = 5, includeZero: Bool = false) {
        var finite = values.filter(\.isFinite)
        if includeZero { finite.append(0) }
        var lo = finite.min() ?? 0, hi = finite.max() ?? 1
        if hi - lo < 1e-9 {
            lo -= 1
            hi += 1
        }
        let raw = (hi - lo) / Double(max(1, count))
        var magnitude = 1.0
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw { magnitude /= 10 }
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        let first = (lo / step).rounded(.down) * step
        let last = (hi / step).rounded(.up) * step
        var ticks: [Double] = []
        var t = first
        while t <= last + step / 2 {
            ticks.append(abs(t) < step / 1e6 ? 0 : t)
            t += step
        }
        self.low = first
        self.high = last
        self.from = from
        self.to = to
        self.ticks = ticks
        var decimals = 0
        var scaled = step
        while abs(scaled - scaled.rounded()) > 1e-9 * max(1, scaled) && decimals < 4 {
            scaled *= 10
            decimals += 1
        }
        self.tickDecimals = decimals
    }

    /// The pixel of a value.
    func callAsFunction(_ x: Double) -> Double { from + (x - low) / (high - low) * (to - from) }
}

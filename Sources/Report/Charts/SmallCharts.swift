import Results

/// The SII over periods: its interval as a band, the value as a line with dots, a zero line when in range.
public enum BandChart {
    /// One period's gap (already oriented and scaled), nil where not computed.
    public struct Point: Sendable {
        /// The period.
        public var period: Period
        /// The gap.
        public var value: Double?
        /// Its lower limit.
        public var lower: Double?
        /// Its upper limit.
        public var upper: Double?
        /// Why it is missing.
        public var note: String?

        /// Creates a point.
        public init(period: Period, value: Double?, lower: Double?, upper: Double?, note: String?) {
            self.period = period
            self.value = value
            self.lower = lower
            self.upper = upper
            self.note = note
        }
    }

    /// The figure of a gap over periods.
    public static func figure(
        id: String, title: String, caption: String, alt: String, points: [Point], axisLabel: String,
        orientation: String, colour: String
    ) -> Figure {
        let width = 680.0, height = 300.0
        let left = 64.0, right = width - 30, top = 28.0, bottom = height - 60
        let all = points.flatMap { [$0.value, $0.lower, $0.upper].compactMap { $0 } }
        let y = LinearScale(covering: all, from: bottom, to: top, includeZero: true)
        let step = points.count > 1 ? (right - left) / Double(points.count - 1) : 0
        let x = { (i: Int) in points.count > 1 ? left + Double(i) * step : (left + right) / 2 }
        var svg = SVGCanvas(width: width, height: height)
        svg.text(axisLabel, x: left, y: 14, size: 11)
        for t in y.ticks {
            svg.line(left, y(t), right, y(t), .init(stroke: t == 0 ? Palette.grey : "#e5e6e7", strokeWidth: t == 0 ? 1.5 : 1))
            svg.text(Markup.fixed(t, y.tickDecimals), x: left - 6, y: y(t) + 4, anchor: .end, size: 11)
        }
        // The band, drawn in runs of consecutive periods that have both limits.
        var run: [(Int, Double, Double)] = []
        func flush() {
            if run.count > 1 {
                svg.polygon(
                    run.map { (x($0.0), y($0.2)) } + run.reversed().map { (x($0.0), y($0.1)) },
                    .init(fill: Palette.turquoise, fillOpacity: 0.3))
            }
            run = []
        }
        for (i, p) in points.enumerated() {
            if let lo = p.lower, let hi = p.upper { run.append((i, lo, hi)) } else { flush() }
        }
        flush()
        var segment: [(Double, Double)] = []
        for (i, p) in points.enumerated() {
            if let v = p.value {
                segment.append((x(i), y(v)))
            } else {
                svg.polyline(segment, .init(stroke: colour, strokeWidth: 2))
                segment = []
                svg.text("not computed", x: x(i), y: bottom - 6, anchor: .middle, size: 9)
            }
        }
        svg.polyline(segment, .init(stroke: colour, strokeWidth: 2))
        for (i, p) in points.enumerated() {
            if let lo = p.lower, let hi = p.upper, points.count == 1 || p.value == nil {
                svg.line(x(i), y(lo), x(i), y(hi), .init(stroke: colour))
            }
            if let v = p.value { svg.circle(cx: x(i), cy: y(v), r: 4, .init(fill: colour, stroke: "#ffffff")) }
            let label = p.period.first == p.period.last ? "\(p.period.first)" : "\(p.period.first)–\(p.period.last % 100)"
            svg.text(label, x: x(i), y: bottom + 16, anchor: .middle, size: 10)
        }
        svg.text("Period", x: (left + right) / 2, y: bottom + 40, anchor: .middle, size: 11)
        let table = DataTable(
            columns: ["Period", "Gap (SII)", "Lower 95% limit", "Upper 95% limit", "Orientation", "Note"],
            rows: points.map {
                [
                    Wording.period($0.period), $0.value.map { Markup.fixed($0, Wording.decimals) } ?? "",
                    $0.lower.map { Markup.fixed($0, Wording.decimals) } ?? "",
                    $0.upper.map { Markup.fixed($0, Wording.decimals) } ?? "", orientation, $0.note ?? "",
                ]
            })
        return Figure(
            id: id, title: title, caption: caption, alt: alt, svg: svg.render(id: id, title: title, description: alt),
            table: table)
    }
}

/// The beacon table's small charts: a spine (where an area sits among its peers) and a sparkline.
public enum SmallCharts {
    /// A spine 140 × 18: the peers' range as a grey bar, each peer a tick, this area a dark blue diamond.
    public static func spine(value: Double?, peers: [Double], id: String, description: String) -> String {
        let width = 140.0, height = 18.0
        var svg = SVGCanvas(width: width, height: height)
        guard let lo = peers.min(), let hi = peers.max(), let value else {
            svg.text("no comparison", x: 0, y: 13, size: 10)
            return svg.render(id: id, title: "Where this area sits among its peers", description: description)
        }
        let span = hi - lo > 1e-12 ? hi - lo : 1
        let x = { (v: Double) in 6 + (v - lo) / span * (width - 12) }
        svg.rect(x: 6, y: 7, width: width - 12, height: 4, .init(fill: "#e5e6e7"))
        for p in peers { svg.line(x(p), 4, x(p), 14, .init(stroke: Palette.grey)) }
        svg.diamond(cx: x(value), cy: 9, r: 6, .init(fill: Palette.darkBlue, stroke: "#ffffff"))
        return svg.render(id: id, title: "Where this area sits among its peers", description: description)
    }

    /// A sparkline 120 × 24 of values over periods (gaps where missing), the last value dotted.
    public static func sparkline(_ values: [Double?], id: String, description: String) -> String {
        let width = 120.0, height = 24.0
        var svg = SVGCanvas(width: width, height: height)
        let present = values.compactMap { $0 }
        guard let lo = present.min(), let hi = present.max(), values.count > 1 else {
            svg.text(present.isEmpty ? "no values" : "one period", x: 0, y: 15, size: 10)
            return svg.render(id: id, title: "Trend over periods", description: description)
        }
        let span = hi - lo > 1e-12 ? hi - lo : 1
        let x = { (i: Int) in 4 + Double(i) / Double(values.count - 1) * (width - 8) }
        let y = { (v: Double) in height - 4 - (v - lo) / span * (height - 8) }
        var segment: [(Double, Double)] = []
        for (i, v) in values.enumerated() {
            if let v {
                segment.append((x(i), y(v)))
            } else {
                svg.polyline(segment, .init(stroke: Palette.darkBlue, strokeWidth: 1.5))
                segment = []
            }
        }
        svg.polyline(segment, .init(stroke: Palette.darkBlue, strokeWidth: 1.5))
        if let last = values.last, let v = last {
            svg.circle(cx: x(values.count - 1), cy: y(v), r: 2.5, .init(fill: Palette.darkBlue))
        }
        return svg.render(id: id, title: "Trend over periods", description: description)
    }
}

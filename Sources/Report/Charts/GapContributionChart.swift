/// A bar chart of what makes up a life-expectancy gap (Arriaga, METHODS.md §10): one bar per
/// cause of death or per age band, from zero, in years, with each bar's share of the whole gap.
/// A bar the other way from the gap (a cause that narrows it) points the other way from zero.
public enum GapContributionChart {
    /// One bar: a cause (`Circulatory`) or an age band (`45-49`), its years and share of the gap.
    public struct Bar: Sendable, Equatable {
        /// The bar's label.
        public var label: String
        /// Years of the gap.
        public var years: Double
        /// Per cent of the whole gap (100 · years / gap).
        public var percent: Double

        /// Creates a bar.
        public init(label: String, years: Double, percent: Double) {
            self.label = label
            self.years = years
            self.percent = percent
        }
    }

    /// The figure: bars in the order given; `heading` names the bars' column in the data table
    /// (`Cause of death`, `Age band`), `alt` says the chart in words.
    public static func figure(
        id: String, title: String, caption: String, alt: String, bars: [Bar], heading: String, colour: String
    ) -> Figure {
        let width = 680.0
        let rowHeight = bars.count > 12 ? 16.0 : 24.0
        let left = 170.0, right = width - 110
        let top = 12.0
        let bottom = top + Double(bars.count) * rowHeight + 6
        let height = bottom + 44
        let x = LinearScale(covering: bars.map(\.years), from: left, to: right, count: 6, includeZero: true)
        var svg = SVGCanvas(width: width, height: height)
        for t in x.ticks {
            svg.line(x(t), top - 4, x(t), bottom, .init(stroke: "#e5e6e7"))
            svg.text(Markup.fixed(t, x.tickDecimals), x: x(t), y: bottom + 16, anchor: .middle, size: 11)
        }
        svg.line(x(0), top - 4, x(0), bottom, .init(stroke: Palette.grey, strokeWidth: 1.5))
        svg.text("Years of the gap", x: (left + right) / 2, y: bottom + 36, anchor: .middle, size: 11)
        let size = rowHeight > 20 ? 12.0 : 10.0
        for (i, bar) in bars.enumerated() {
            let y = top + Double(i) * rowHeight
            let from = min(x(0), x(bar.years)), to = max(x(0), x(bar.years))
            svg.text(bar.label, x: left - 10, y: y + rowHeight / 2 + 4, anchor: .end, size: size)
            svg.rect(x: from, y: y + 3, width: max(to - from, 0.5), height: rowHeight - 6, .init(fill: colour))
            svg.text(
                "\(Markup.fixed(bar.years, Wording.decimals)) (\(Markup.fixed(bar.percent, 0))%)", x: right + 8,
                y: y + rowHeight / 2 + 4, size: size)
        }
        let table = DataTable(
            columns: [heading, "Years of the gap", "Per cent of the gap"],
            rows: bars.map { [$0.label, Markup.fixed($0.years, 2), Markup.fixed($0.percent, 1)] })
        return Figure(
            id: id, title: title, caption: caption, alt: alt, svg: svg.render(id: id, title: title, description: alt),
            table: table)
    }
}

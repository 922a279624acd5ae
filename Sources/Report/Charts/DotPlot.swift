/// A sorted dot plot with limits: one row per area (highest value first), a dot and its interval,
/// vertical reference lines (the ICB, England) labelled in words. Rows without a value are kept
/// at the bottom, with the reason written where the dot would be.
public enum DotPlot {
    /// One row.
    public struct Row: Sendable {
        /// The row's label (an area name).
        public var label: String
        /// The value on the chart's scale, or nil where suppressed.
        public var value: Double?
        /// The lower limit.
        public var lower: Double?
        /// The upper limit.
        public var upper: Double?
        /// Why the value is missing, or a remark.
        public var note: String?
        /// A link for the label in the data table (a Place page), or nil.
        public var link: String?

        /// Creates a row.
        public init(
            label: String, value: Double?, lower: Double?, upper: Double?, note: String? = nil, link: String? = nil
        ) {
            self.label = label
            self.value = value
            self.lower = lower
            self.upper = upper
            self.note = note
            self.link = link
        }
    }

    /// A labelled vertical line.
    public struct Reference: Sendable {
        /// `NHS Cheshire and Merseyside`.
        public var label: String
        /// The value.
        public var value: Double

        /// Creates a reference.
        public init(label: String, value: Double) {
            self.label = label
            self.value = value
        }
    }

    /// The figure: rows sorted by value (descending), `unit` after values in words, `valueHeading` over the table's value column.
    public static func figure(
        id: String, title: String, caption: String, rows unsorted: [Row], references: [Reference],
        valueHeading: String, axisLabel: String, level: String = "95%", colour: String = Palette.darkBlue,
        includeZero: Bool = false
    ) -> Figure {
        let rows =
            unsorted.filter { $0.value != nil }.sorted { ($0.value ?? 0) > ($1.value ?? 0) }
            + unsorted.filter { $0.value == nil }
        let width = 680.0
        let rowHeight = 24.0
        let left = 210.0, right = width - 70
        let top = 20.0 + Double(references.count) * 14
        let bottom = top + Double(rows.count) * rowHeight + 6
        let height = bottom + 44
        var all = rows.flatMap { [$0.value, $0.lower, $0.upper].compactMap { $0 } }
        all += references.map(\.value)
        let x = LinearScale(covering: all, from: left, to: right, count: 6, includeZero: includeZero)
        var svg = SVGCanvas(width: width, height: height)
        for t in x.ticks {
            svg.line(x(t), top - 4, x(t), bottom, .init(stroke: "#e5e6e7"))
            svg.text(Markup.fixed(t, x.tickDecimals), x: x(t), y: bottom + 16, anchor: .middle, size: 11)
        }
        if includeZero && x.low < 0 { svg.line(x(0), top - 4, x(0), bottom, .init(stroke: Palette.grey, strokeWidth: 1.5)) }
        svg.text(axisLabel, x: (left + right) / 2, y: bottom + 36, anchor: .middle, size: 11)
        for (i, ref) in references.enumerated() {
            let dash = i == 0 ? "6 4" : "2 3"
            svg.line(x(ref.value), top - 4, x(ref.value), bottom, .init(stroke: Palette.turquoise, strokeWidth: 1.5, dash: dash))
            let anchor: SVGCanvas.Anchor = x(ref.value) > (left + right) / 2 ? .end : .start
            svg.text(
                "\(ref.label): \(Markup.fixed(ref.value, Wording.decimals))",
                x: x(ref.value) + (anchor == .end ? -4 : 4), y: 12 + Double(i) * 14, anchor: anchor, size: 11)
        }
        for (i, row) in rows.enumerated() {
            let cy = top + (Double(i) + 0.5) * rowHeight
            svg.text(row.label, x: left - 10, y: cy + 4, anchor: .end, size: 12)
            guard let v = row.value else {
                svg.text("not shown: \(row.note ?? "suppressed")", x: left + 4, y: cy + 4, size: 11)
                continue
            }
            if let lo = row.lower, let hi = row.upper {
                svg.line(x(lo), cy, x(hi), cy, .init(stroke: colour, strokeWidth: 2))
            }
            svg.circle(cx: x(v), cy: cy, r: 5, .init(fill: colour, stroke: "#ffffff", strokeWidth: 1))
            svg.text(Markup.fixed(v, Wording.decimals), x: right + 8, y: cy + 4, size: 11)
        }
        let present = rows.filter { $0.value != nil }
        var alt = "Dot plot of \(Wording.lowercaseFirst(axisLabel)) for \(rows.count) areas, sorted from highest to lowest"
        if let first = present.first, let last = present.last, present.count > 1 {
            alt +=
                ": highest \(first.label) at \(Markup.fixed(first.value ?? 0, Wording.decimals)), lowest \(last.label) at \(Markup.fixed(last.value ?? 0, Wording.decimals))"
        }
        for ref in references { alt += "; \(ref.label) \(Markup.fixed(ref.value, Wording.decimals))" }
        if present.count < rows.count { alt += "; \(rows.count - present.count) not shown" }
        alt += "."
        let table = DataTable(
            columns: ["Area", valueHeading, "Lower \(level) limit", "Upper \(level) limit", "Note"],
            rows: rows.map {
                [
                    $0.label, $0.value.map { Markup.fixed($0, Wording.decimals) } ?? "",
                    $0.lower.map { Markup.fixed($0, Wording.decimals) } ?? "",
                    $0.upper.map { Markup.fixed($0, Wording.decimals) } ?? "", $0.note ?? "",
                ]
            } + references.map { [$0.label, Markup.fixed($0.value, Wording.decimals), "", "", "reference line"] })
        return Figure(
            id: id, title: title, caption: caption, alt: alt, svg: svg.render(id: id, title: title, description: alt),
            table: table)
    }
}

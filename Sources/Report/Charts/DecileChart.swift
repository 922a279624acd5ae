import Foundation
import Indicators
import Results

/// The flagship chart: an indicator by deprivation decile (1 most deprived … 10 least) with 95%
/// whiskers, the fitted SII line from rank 0 to rank 1, the gap annotated with its interval and the
/// area's own value as a reference line.
///
/// Deciles stand at their population-weighted mid-ranks (the ridits of METHODS.md §6), so the SII
/// line is drawn on the axis it was fitted on. The line has slope SII and passes through the
/// population-weighted mean of the deciles' values at rank ½ (its intercept is derived from the
/// records: value at rank 0 = mean − SII/2); for rates fitted on the log scale it is the straight
/// line of the same slope, an approximation the caption does not hide.
public enum DecileChart {
    /// The chart's inputs, all from records.
    public struct Input: Sendable {
        /// The area.
        public var area: AreaLabel
        /// The indicator.
        public var indicator: IndicatorLabel
        /// The statistic.
        public var method: IndicatorMethod
        /// The sexes.
        public var sex: SexSelection
        /// The cells' period.
        public var period: Period
        /// The breakdown.
        public var scheme: DeprivationScheme
        /// One record per quantile in order, nil where none came.
        public var cells: [ResultRecord?]
        /// The SII of the breakdown in the same period.
        public var sii: ResultRecord?
        /// The area's whole-area value in the same period.
        public var whole: ResultRecord?
        /// The limits shown (95%).
        public var level: ConfidenceLevel
        /// Where the numbers come from.
        public var source: String

        /// Creates an input.
        public init(
            area: AreaLabel, indicator: IndicatorLabel, method: IndicatorMethod, sex: SexSelection, period: Period,
            scheme: DeprivationScheme, cells: [ResultRecord?], sii: ResultRecord?, whole: ResultRecord?,
            level: ConfidenceLevel, source: String
        ) {
            self.area = area
            self.indicator = indicator
            self.method = method
            self.sex = sex
            self.period = period
            self.scheme = scheme
            self.cells = cells
            self.sii = sii
            self.whole = whole
            self.level = level
            self.source = source
        }
    }

    /// The figure for `input`, anchored at `id`.
    public static func figure(_ input: Input, id: String) -> Figure {
        let m = input.method
        let k = input.cells.count
        let labels = input.scheme.cellLabels
        // Mid-ranks from the cells' populations; equal shares where a population is missing.
        let pops = input.cells.map { $0?.denominator ?? 0 }
        let havePops = pops.allSatisfy { $0 > 0 }
        var ranks: [Double] = []
        var cumulative = 0.0
        let total = pops.reduce(0, +)
        for i in 0..<k {
            if havePops {
                ranks.append((cumulative + pops[i] / 2) / total)
                cumulative += pops[i]
            } else {
                ranks.append((Double(i) + 0.5) / Double(k))
            }
        }
        let values = input.cells.map { $0?.value.map { Wording.scaled($0, m) } }
        let limits = input.cells.map { cell -> (Double?, Double?) in
            let l = cell?.limits(at: input.level)
            return (l?.lower.map { Wording.scaled($0, m) }, l?.upper.map { Wording.scaled($0, m) })
        }
        // The SII line through the population-weighted mean at rank 1/2.
        var line: (start: Double, end: Double)?
        if let siiValue = input.sii?.value, havePops, values.allSatisfy({ $0 != nil }) {
            let mean = zip(values, pops).reduce(0.0) { $0 + ($1.0 ?? 0) * $1.1 } / total
            let slope = Wording.scaled(siiValue, m)
            line = (mean - slope / 2, mean + slope / 2)
        }
        let wholeValue = input.whole?.value.map { Wording.scaled($0, m) }

        let width = 680.0, height = 380.0
        let left = 64.0, right = width - 170, top = 56.0, bottom = height - 70
        var all: [Double] = values.compactMap { $0 } + limits.flatMap { [$0.0, $0.1].compactMap { $0 } }
        if let line { all += [line.start, line.end] }
        if let wholeValue { all.append(wholeValue) }
        let y = LinearScale(covering: all, from: bottom, to: top)
        let x = { (rank: Double) in left + rank * (right - left) }
        let colour = input.sex == .female ? Palette.orange : Palette.darkBlue
        var svg = SVGCanvas(width: width, height: height)

        for t in y.ticks {
            svg.line(left, y(t), right, y(t), .init(stroke: "#e5e6e7"))
            svg.text(Markup.fixed(t, y.tickDecimals), x: left - 6, y: y(t) + 4, anchor: .end, size: 11)
        }
        svg.line(left, bottom, right, bottom, .init(stroke: Palette.grey))
        let unit = Wording.unit(m)
        svg.text(
            unit.isEmpty ? input.indicator.name : "\(shortName(input.indicator.name)) (\(unit))", x: left - 40,
            y: top - 12, size: 11)
        for i in 0..<k {
            let cx = x(ranks[i])
            if i == 0 {
                svg.lines(["1 – most", "deprived \(100 / max(1, k))%"], x: cx, y: bottom + 16)
            } else if i == k - 1 {
                svg.lines(["\(k) – least", "deprived \(100 / max(1, k))%"], x: cx, y: bottom + 16)
            } else {
                svg.text(labels[i], x: cx, y: bottom + 16, anchor: .middle, size: 11)
            }
        }
        svg.text(
            "Deprivation \(input.scheme == .localDeciles ? "decile within \(input.area.name)" : input.scheme.singular)",
            x: (left + right) / 2, y: height - 14, anchor: .middle, size: 11)
        // The legend: shapes and line styles as well as colours.
        svg.circle(cx: left - 34, cy: 14, r: 4.5, .init(fill: colour))
        svg.line(left - 34, 6, left - 34, 22, .init(stroke: colour, strokeWidth: 1.5))
        svg.text("Decile value with 95% CI", x: left - 24, y: 18, size: 11)
        if line != nil {
            svg.line(left + 140, 14, left + 170, 14, .init(stroke: Palette.darkPink, strokeWidth: 2))
            svg.text("Fitted line (SII)", x: left + 176, y: 18, size: 11)
        }
        if let wholeValue {
            svg.line(
                left + 280, 14, left + 310, 14, .init(stroke: Palette.turquoise, strokeWidth: 1.5, dash: "6 4"))
            svg.text(
                "\(input.area.name) overall: \(Markup.fixed(wholeValue, Wording.decimals))", x: left + 316, y: 18,
                size: 11)
            svg.line(
                left, y(wholeValue), right, y(wholeValue),
                .init(stroke: Palette.turquoise, strokeWidth: 1.5, dash: "6 4"))
        }
        if let line {
            svg.line(x(0), y(line.start), x(1), y(line.end), .init(stroke: Palette.darkPink, strokeWidth: 2))
        }
        for i in 0..<k {
            let cx = x(ranks[i])
            guard let v = values[i] else {
                svg.text("suppressed", x: cx, y: bottom - 6, anchor: .middle, size: 9, fill: Palette.text)
                continue
            }
            if let lo = limits[i].0, let hi = limits[i].1 {
                svg.line(cx, y(lo), cx, y(hi), .init(stroke: colour, strokeWidth: 1.5))
                svg.line(cx - 4, y(lo), cx + 4, y(lo), .init(stroke: colour, strokeWidth: 1.5))
                svg.line(cx - 4, y(hi), cx + 4, y(hi), .init(stroke: colour, strokeWidth: 1.5))
            }
            svg.circle(cx: cx, cy: y(v), r: 4.5, .init(fill: colour, stroke: "#ffffff", strokeWidth: 1))
        }
        // The gap: a bracket at rank 1 from the line's start level to its end level.
        var gapText = ""
        if let line, let sii = input.sii, let gap = Wording.orient(sii, level: input.level) {
            let bx = right + 14
            svg.line(x(0), y(line.start), bx, y(line.start), .init(stroke: Palette.darkPink, dash: "2 3"))
            svg.line(bx, y(line.start), bx, y(line.end), .init(stroke: Palette.darkPink, strokeWidth: 1.5))
            svg.line(bx - 4, y(line.start), bx + 4, y(line.start), .init(stroke: Palette.darkPink, strokeWidth: 1.5))
            svg.line(bx - 4, y(line.end), bx + 4, y(line.end), .init(stroke: Palette.darkPink, strokeWidth: 1.5))
            let ci = Wording.interval(gap.lower, gap.upper, m)
            gapText = "\(Wording.value(abs(gap.value), m))\(unit == "years" ? " years" : "")"
            let mid = (y(line.start) + y(line.end)) / 2
            svg.lines(
                ["Gap (SII): \(gapText)", ci.replacingOccurrences(of: "(", with: "").replacingOccurrences(of: ")", with: "")],
                x: bx + 8, y: mid + 16, anchor: .start, size: 11)
        }

        let title = activeTitle(input)
        let alt = altSentence(input, values: values)
        let caption =
            "\(input.indicator.name), \(Wording.people(input.sex)), \(input.area.name), \(Wording.period(input.period)), by \(input.scheme.singular) (IMD edition \(input.cells.compactMap { $0?.imdEdition }.first ?? "not stated")); dots are values with \(input.level.description) confidence intervals, the line is the fitted slope index of inequality. Source: \(input.source)."
        var rows: [[String]] = []
        for i in 0..<k {
            let cell = input.cells[i]
            rows.append([
                Wording.quantileLabel(labels[i], scheme: input.scheme),
                Wording.value(values[i].map { Wording.unscaled($0, m) }, m),
                Wording.value(limits[i].0.map { Wording.unscaled($0, m) }, m),
                Wording.value(limits[i].1.map { Wording.unscaled($0, m) }, m),
                cell?.count.map { Markup.fixed($0, 0) } ?? "", cell?.denominator.map { Markup.fixed($0, 0) } ?? "",
                cell == nil ? "no record in this run" : (cell?.note ?? ""),
            ])
        }
        if let w = input.whole {
            let l = w.limits(at: input.level)
            rows.append([
                "\(input.area.name) overall", Wording.value(w.value, m), Wording.value(l?.lower, m),
                Wording.value(l?.upper, m), w.count.map { Markup.fixed($0, 0) } ?? "",
                w.denominator.map { Markup.fixed($0, 0) } ?? "", w.note ?? "",
            ])
        }
        if let sii = input.sii, let gap = Wording.orient(sii, level: input.level) {
            rows.append([
                "Gap (slope index of inequality), \(gap.orientation)", Wording.value(gap.value, m),
                Wording.value(gap.lower, m), Wording.value(gap.upper, m), "", "", sii.note ?? "",
            ])
        } else if let sii = input.sii {
            rows.append(["Gap (slope index of inequality)", "", "", "", "", "", sii.note ?? "not computed"])
        }
        let table = DataTable(
            columns: [
                "Deprivation \(input.scheme.singular)", "Value", "Lower \(input.level.description) limit",
                "Upper \(input.level.description) limit", m == .lifeExpectancy ? "Deaths" : "Count",
                m == .lifeExpectancy ? "Population" : "Denominator", "Note",
            ], rows: rows)
        return Figure(
            id: id, title: title, caption: caption, alt: alt,
            svg: svg.render(id: id, title: title, description: alt), table: table)
    }

    /// "Men in the most deprived tenth live 7.3 years fewer than in the least deprived tenth".
    static func activeTitle(_ input: Input) -> String {
        let part = Wording.fraction(input.scheme)
        let who = Wording.peopleCapitalised(input.sex)
        guard let sii = input.sii, let gap = Wording.orient(sii, level: input.level) else {
            return
                "\(input.indicator.name) for \(Wording.people(input.sex)) by deprivation \(input.scheme.singular) in \(input.area.name)"
        }
        let size = Wording.value(abs(gap.value), input.method)
        if input.method == .lifeExpectancy {
            return
                "\(who) in the most deprived \(part) of \(input.area.name) live \(size) years \(gap.value >= 0 ? "fewer" : "more") than in the least deprived \(part)"
        }
        let unit = Wording.gapUnit(input.method)
        return
            "\(shortName(input.indicator.name)) for \(Wording.people(input.sex)) is \(size)\(unit.isEmpty ? "" : " " + unit) \(gap.value >= 0 ? "higher" : "lower") in the most deprived \(part) of \(input.area.name)"
    }

    /// One sentence naming the chart, its range and the gap.
    static func altSentence(_ input: Input, values: [Double?]) -> String {
        let m = input.method
        let present = values.enumerated().compactMap { i, v in v.map { (i, $0) } }
        var text =
            "Chart of \(Wording.lowercaseFirst(input.indicator.name)) for \(Wording.people(input.sex)) in \(input.area.name), \(Wording.period(input.period)), by \(input.scheme.singular) from 1 (most deprived) to \(input.cells.count) (least deprived)"
        if let first = present.first, let last = present.last {
            text +=
                ": \(Markup.fixed(first.1, Wording.decimals)) in decile \(first.0 + 1) and \(Markup.fixed(last.1, Wording.decimals)) in decile \(last.0 + 1)"
        }
        if let sii = input.sii, let gap = Wording.orient(sii, level: input.level) {
            text +=
                "; the slope index of inequality is \(Wording.value(gap.value, m)), \(gap.orientation) \(Wording.interval(gap.lower, gap.upper, m))"
        }
        let missing = input.cells.count - present.count
        if missing > 0 { text += "; \(missing) decile\(missing == 1 ? " is" : "s are") suppressed" }
        return text + "."
    }

    /// The indicator's name up to its first parenthesis or comma-free qualifier (`Under 75 mortality rate from all causes`).
    static func shortName(_ name: String) -> String {
        if let paren = name.firstIndex(of: "(") {
            return String(name[..<paren]).trimmingCharacters(in: .whitespaces)
        }
        return name
    }
}

extension Wording {
    /// The inverse of `scaled`: a charted value back on the record's scale.
    static func unscaled(_ x: Double, _ method: IndicatorMethod) -> Double { method == .proportion ? x / 100 : x }
}

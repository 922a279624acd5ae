import Foundation

// The report's one escaping function and one number format. Every text that comes from data
// (area and indicator names, notes) passes through `Markup.escape` before it reaches SVG or an
// attribute; Mustache's `{{x}}` escapes the same five characters in HTML text.

/// Escaping and number formatting shared by the SVG builder and the page view models.
public enum Markup {
    /// `text` with `&`, `<`, `>`, `"` and `'` replaced by entities: safe in element text and in
    /// single- or double-quoted attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// `x` with `decimals` digits after the point, `-0.0` written as `0.0`; `""` for a non-finite value.
    public static func fixed(_ x: Double, _ decimals: Int) -> String {
        guard x.isFinite else { return "" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        var rounded = (abs(x) * scale).rounded(.toNearestOrAwayFromZero)
        if rounded == 0 { rounded = 0 }
        let negative = x < 0 && rounded != 0
        let whole = Int(rounded / scale)
        var text = String(whole)
        if decimals > 0 {
            let fraction = Int(rounded - Double(whole) * scale)
            var digits = String(fraction)
            while digits.count < decimals { digits = "0" + digits }
            text += "." + digits
        }
        return negative ? "-" + text : text
    }

    /// A coordinate in SVG: two decimals, trailing zeros kept so output is byte-stable.
    public static func coordinate(_ x: Double) -> String { fixed(x, 2) }
}

/// A small typed SVG builder: elements appended in drawing order, every attribute and text escaped.
public struct SVGCanvas: Sendable {
    /// The width in user units (pixels).
    public let width: Double
    /// The height in user units.
    public let height: Double
    private var body = ""

    /// Creates an empty canvas.
    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// The stroke and fill of a shape.
    public struct Style: Sendable {
        /// The fill colour, or `none`.
        public var fill: String
        /// The stroke colour, or `none`.
        public var stroke: String
        /// The stroke width.
        public var strokeWidth: Double
        /// A dash pattern (`4 3`), or nil for a solid line.
        public var dash: String?
        /// Opacity of the fill (1 = opaque).
        public var fillOpacity: Double

        /// Creates a style.
        public init(
            fill: String = "none", stroke: String = "none", strokeWidth: Double = 1, dash: String? = nil,
            fillOpacity: Double = 1
        ) {
            self.fill = fill
            self.stroke = stroke
            self.strokeWidth = strokeWidth
            self.dash = dash
            self.fillOpacity = fillOpacity
        }

        var attributes: String {
            var out = " fill=\"\(Markup.escape(fill))\" stroke=\"\(Markup.escape(stroke))\""
            if stroke != "none" { out += " stroke-width=\"\(Markup.coordinate(strokeWidth))\"" }
            if let dash { out += " stroke-dasharray=\"\(Markup.escape(dash))\"" }
            if fillOpacity < 1 { out += " fill-opacity=\"\(Markup.coordinate(fillOpacity))\"" }
            return out
        }
    }

    /// Horizontal text alignment.
    public enum Anchor: String, Sendable {
        /// Left-aligned at x.
        case start
        /// Centred on x.
        case middle
        /// Right-aligned at x.
        case end
    }

    /// A straight line.
    public mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ style: Style) {
        body +=
            "<line x1=\"\(c(x1))\" y1=\"\(c(y1))\" x2=\"\(c(x2))\" y2=\"\(c(y2))\"\(style.attributes)/>\n"
    }

    /// A rectangle.
    public mutating func rect(x: Double, y: Double, width: Double, height: Double, _ style: Style) {
        body +=
            "<rect x=\"\(c(x))\" y=\"\(c(y))\" width=\"\(c(max(0, width)))\" height=\"\(c(max(0, height)))\"\(style.attributes)/>\n"
    }

    /// A circle.
    public mutating func circle(cx: Double, cy: Double, r: Double, _ style: Style) {
        body += "<circle cx=\"\(c(cx))\" cy=\"\(c(cy))\" r=\"\(c(r))\"\(style.attributes)/>\n"
    }

    /// A diamond (a second marker shape, so shape as well as colour tells series apart).
    public mutating func diamond(cx: Double, cy: Double, r: Double, _ style: Style) {
        let points = [(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)]
        polygon(points, style)
    }

    /// A closed polygon.
    public mutating func polygon(_ points: [(Double, Double)], _ style: Style) {
        body += "<polygon points=\"\(pointList(points))\"\(style.attributes)/>\n"
    }

    /// An open polyline.
    public mutating func polyline(_ points: [(Double, Double)], _ style: Style) {
        guard points.count > 1 else { return }
        body += "<polyline points=\"\(pointList(points))\"\(style.attributes)/>\n"
    }

    /// One line of text, escaped.
    public mutating func text(
        _ text: String, x: Double, y: Double, anchor: Anchor = .start, size: Double = 12, bold: Bool = false,
        fill: String = "#0b0c0c"
    ) {
        body +=
            "<text x=\"\(c(x))\" y=\"\(c(y))\" text-anchor=\"\(anchor.rawValue)\" font-size=\"\(c(size))\"\(bold ? " font-weight=\"bold\"" : "") fill=\"\(Markup.escape(fill))\">\(Markup.escape(text))</text>\n"
    }

    /// Several lines of text, one under the other, each escaped.
    public mutating func lines(_ lines: [String], x: Double, y: Double, anchor: Anchor = .middle, size: Double = 11) {
        var out =
            "<text x=\"\(c(x))\" y=\"\(c(y))\" text-anchor=\"\(anchor.rawValue)\" font-size=\"\(c(size))\" fill=\"#0b0c0c\">"
        for (i, line) in lines.enumerated() {
            out += "<tspan x=\"\(c(x))\" dy=\"\(i == 0 ? "0" : c(size * 1.2))\">\(Markup.escape(line))</tspan>"
        }
        body += out + "</text>\n"
    }

    /// The document: `role="img"`, `<title>` and `<desc>` first (referenced by `aria-labelledby`), then the shapes.
    public func render(id: String, title: String, description: String) -> String {
        let id = Markup.escape(id)
        return
            "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 \(c(width)) \(c(height))\" width=\"\(c(width))\" height=\"\(c(height))\" aria-labelledby=\"\(id)-t \(id)-d\" font-family=\"Arial, Helvetica, sans-serif\">\n"
            + "<title id=\"\(id)-t\">\(Markup.escape(title))</title>\n<desc id=\"\(id)-d\">\(Markup.escape(description))</desc>\n"
            + body + "</svg>"
    }

    private func c(_ x: Double) -> String { Markup.coordinate(x) }

    private func pointList(_ points: [(Double, Double)]) -> String {
        points.map { "\(c($0.0)),\(c($0.1))" }.joined(separator: " ")
    }
}

/// The Government Analysis Function's accessible categorical palette, and GOV.UK greys.
public enum Palette {
    /// Dark blue: the first series (men, or the Place).
    public static let darkBlue = "#12436D"
    /// Orange: the second series (women).
    public static let orange = "#F46A25"
    /// Turquoise: reference lines and bands.
    public static let turquoise = "#28A197"
    /// Dark pink: the fitted SII line.
    public static let darkPink = "#801650"
    /// GOV.UK mid grey for axes and gridlines.
    public static let grey = "#b1b4b6"
    /// GOV.UK text colour.
    public static let text = "#0b0c0c"
}

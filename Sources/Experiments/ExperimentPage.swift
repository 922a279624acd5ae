import CSVStream
import Foundation
import Indicators

// The HTML page: one self-contained file (no scripts, no external styles or fonts), one inline
// SVG chart per confidence level. Each chart is a dot plot, one row per variant and target: the
// coverage as a dot, its Wilson 95% interval as a bar, and the nominal level as a dashed line.
// The SVG has role="img", a <title> and a <desc>; the numbers are in a table inside <details>.

extension ExperimentResults {
    /// The bytes of `experiment.html`.
    ///
    /// - Complexity: O(targets × levels).
    public func page(_ rows: [TargetSummary]) -> [UInt8] {
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(Self.escape(name))</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2em; color: #1a1a1a; max-width: 64em; }
            table { border-collapse: collapse; font-size: 0.85em; }
            th, td { border-bottom: 1px solid #ccc; padding: 0.2em 0.6em; text-align: right; }
            th:first-child, td:first-child, th:nth-child(2), td:nth-child(2) { text-align: left; }
            svg text { font-size: 11px; fill: #1a1a1a; }
            </style>
            </head>
            <body>
            <h1>\(Self.escape(name))</h1>

            """
        if !description.isEmpty { html += "<p>\(Self.escape(description))</p>\n" }
        html +=
            "<p>\(replicates) replicates, seed \(seed); experiment SHA-256 <code>\(experimentSHA256)</code>. "
            + "Coverage is the share of replicates whose interval holds the true value; the bar is its Wilson 95% interval.</p>\n"
        for (k, level) in levels.enumerated() {
            html += chart(rows, level: k, nominal: level)
        }
        html += "<details>\n<summary>The numbers</summary>\n<table>\n<thead><tr>"
        var header = ["variant", "target", "replicates", "failures", "truth", "bias", "relative bias", "RMSE"]
        for level in levels { header += ["coverage \(level)", "Wilson lower", "Wilson upper", "mean width"] }
        html += header.map { "<th scope=\"col\">\(Self.escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in rows {
            var cells = [
                row.target.variant, row.target.name, "\(row.replicates)", "\(row.failures)", Self.number(row.target.truth),
                Self.number(row.bias), Self.number(row.relativeBias), Self.number(row.rmse),
            ]
            for k in levels.indices {
                cells += [
                    Self.number(row.coverage[k]), Self.number(row.coverageInterval[k].lower ?? .nan),
                    Self.number(row.coverageInterval[k].upper ?? .nan), Self.number(row.meanWidth[k]),
                ]
            }
            html += "<tr>" + cells.map { "<td>\(Self.escape($0))</td>" }.joined() + "</tr>\n"
        }
        html += "</tbody>\n</table>\n</details>\n</body>\n</html>\n"
        return Array(html.utf8)
    }

    /// One level's chart.
    private func chart(_ rows: [TargetSummary], level k: Int, nominal: ConfidenceLevel) -> String {
        let rowHeight = 18.0
        // Room for the longest label at about 6.4 px a character of the 11 px font.
        let longest = rows.map { $0.target.variant.count + $0.target.name.count + 3 }.max() ?? 20
        let left = max(160, 16 + 6.4 * Double(longest)).rounded()
        let plotWidth = 420.0
        let top = 30.0
        let height = top + rowHeight * Double(max(rows.count, 1)) + 40
        // The axis runs from a round value below every interval (at most the nominal − 0.1) to 1.
        let lows = rows.compactMap { $0.coverageInterval[k].lower } + [nominal.fraction - 0.1]
        let low = max(0, ((lows.min() ?? 0) * 20).rounded(.down) / 20)
        func x(_ value: Double) -> Double { left + (value - low) / (1 - low) * plotWidth }
        let title = "Coverage of the \(nominal) intervals"
        let covered = rows.filter {
            ($0.coverageInterval[k].lower ?? 2) <= nominal.fraction && nominal.fraction <= ($0.coverageInterval[k].upper ?? -1)
        }
        var svg = """
            <h2>\(Self.escape(title))</h2>
            <svg role="img" aria-labelledby="t\(k) d\(k)" width="\(Self.px(left + plotWidth + 40))" height="\(Self.px(height))" viewBox="0 0 \(Self.px(left + plotWidth + 40)) \(Self.px(height))" xmlns="http://www.w3.org/2000/svg">
            <title id="t\(k)">\(Self.escape(title)), by variant and target</title>
            <desc id="d\(k)">Dot plot: for each of \(rows.count) variant targets, the share of \(replicates) replicates whose \(nominal) interval holds the true value, with its Wilson 95% interval as a bar; the dashed line is the nominal \(nominal). \(covered.count) of \(rows.count) intervals include the nominal level.</desc>

            """
        // Axis: ticks every 0.05 (every 0.1 when the range is wide).
        let step = 1 - low > 0.5 ? 0.1 : 0.05
        var tick = low
        while tick <= 1.0000001 {
            let tx = Self.px(x(tick))
            svg +=
                "<line x1=\"\(tx)\" y1=\"\(Self.px(top - 6))\" x2=\"\(tx)\" y2=\"\(Self.px(height - 34))\" stroke=\"#e3e3e3\"/>"
            svg +=
                "<text x=\"\(tx)\" y=\"\(Self.px(height - 20))\" text-anchor=\"middle\">\(String(format: "%.2f", tick))</text>\n"
            tick += step
        }
        let nx = Self.px(x(nominal.fraction))
        svg +=
            "<line x1=\"\(nx)\" y1=\"\(Self.px(top - 10))\" x2=\"\(nx)\" y2=\"\(Self.px(height - 34))\" stroke=\"#b00\" stroke-dasharray=\"4 3\"/>"
        svg +=
            "<text x=\"\(nx)\" y=\"\(Self.px(top - 14))\" text-anchor=\"middle\">nominal \(Self.escape(nominal.description))</text>\n"
        for (i, row) in rows.enumerated() {
            let y = top + rowHeight * (Double(i) + 0.5)
            let label = "\(row.target.variant) · \(row.target.name)"
            svg += "<text x=\"\(Self.px(left - 8))\" y=\"\(Self.px(y + 4))\" text-anchor=\"end\">\(Self.escape(label))</text>"
            if let lower = row.coverageInterval[k].lower, let upper = row.coverageInterval[k].upper, row.coverage[k].isFinite {
                svg +=
                    "<line x1=\"\(Self.px(x(lower)))\" y1=\"\(Self.px(y))\" x2=\"\(Self.px(x(upper)))\" y2=\"\(Self.px(y))\" stroke=\"#1f5fa8\" stroke-width=\"2\"/>"
                svg +=
                    "<circle cx=\"\(Self.px(x(row.coverage[k])))\" cy=\"\(Self.px(y))\" r=\"4\" fill=\"#1f5fa8\"><title>\(Self.escape(label)): \(Self.number(row.coverage[k])) (\(Self.number(lower))–\(Self.number(upper)))</title></circle>\n"
            } else {
                svg += "<text x=\"\(Self.px(left + 4))\" y=\"\(Self.px(y + 4))\">no replicate with an interval</text>\n"
            }
        }
        svg +=
            "<text x=\"\(Self.px(left + plotWidth / 2))\" y=\"\(Self.px(height - 4))\" text-anchor=\"middle\">coverage</text>\n"
        svg += "</svg>\n"
        return svg
    }

    /// A coordinate with one decimal.
    static func px(_ v: Double) -> String { String(format: "%.1f", v) }

    /// A number for people: four significant decimals, or empty.
    static func number(_ v: Double) -> String { v.isFinite ? String(format: "%.4g", v) : "" }

    /// Text safe inside HTML elements and attributes.
    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }
}

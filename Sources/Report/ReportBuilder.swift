import Foundation
import Indicators
import Mustache
import Results

/// An input file of the run, as the methods page lists it.
public struct ReportInput: Sendable, Equatable {
    /// The plan's name for the input (`counts`).
    public var name: String
    /// The file read.
    public var path: String
    /// Its size, when known.
    public var bytes: Int?
    /// Its SHA-256, when known.
    public var sha256: String?

    /// Creates an input.
    public init(name: String, path: String, bytes: Int? = nil, sha256: String? = nil) {
        self.name = name
        self.path = path
        self.bytes = bytes
        self.sha256 = sha256
    }
}

/// What the report says about the run beyond its records: the plan, its inputs, the run's name.
public struct ReportContext: Sendable {
    /// The plan's title.
    public var planName: String
    /// The plan file's text, shown on the methods page.
    public var planText: String
    /// The inputs.
    public var inputs: [ReportInput]
    /// The run's name (`run-20261202T063522Z-dad3d76e`), or a phrase when not yet known.
    public var run: String

    /// Creates a context.
    public init(planName: String, planText: String, inputs: [ReportInput], run: String) {
        self.planName = planName
        self.planText = planText
        self.inputs = inputs
        self.run = run
    }
}

/// One file of the report, relative to the report folder.
public struct ReportFile: Sendable, Equatable {
    /// `index.html`, `place-liverpool.html`, `tables/liverpool-le_birth-male-gap.csv`.
    public var path: String
    /// The file's text (UTF-8).
    public var contents: String
}

/// The report could not be made: a template that does not parse, or a file that cannot be written.
public enum ReportError: Error, Sendable, CustomStringConvertible {
    /// A built-in template failed to parse (a bug).
    case template(name: String, reason: String)
    /// A file or folder could not be written.
    case write(path: String, reason: String)

    /// One sentence naming the template or path.
    public var description: String {
        switch self {
        case .template(let name, let reason): return "report template \(name) does not parse: \(reason)"
        case .write(let path, let reason): return "cannot write \(path): \(reason)"
        }
    }
}

/// Builds the report's pages from a store of records: the overview (`index.html`), a page per Place
/// (or per local authority when the run has no Places), `methods.html`, and the CSV behind every chart.
public struct ReportBuilder {
    private let store: ReportStore
    private let context: ReportContext
    private let library: MustacheLibrary
    private let level = ConfidenceLevel.ninetyFive

    /// The area the overview describes: the ICB, else a combined authority or group, else England, else a region.
    public let top: AreaLabel?
    /// The areas with a page of their own: the Places, else the local authorities.
    public let pageAreas: [AreaLabel]
    private let region: AreaLabel?
    private let england: AreaLabel?
    private let pageNames: [String: String]

    /// Prepares a builder (parses the templates once).
    public init(store: ReportStore, context: ReportContext) throws(ReportError) {
        self.store = store
        self.context = context
        var library = MustacheLibrary()
        for (name, text) in [
            ("layout", Templates.layout), ("figure", Templates.figure), ("place", Templates.place),
            ("index", Templates.index), ("methods", Templates.methods),
        ] {
            do {
                try library.register(text, named: name)
            } catch {
                throw .template(name: name, reason: "\(error)")
            }
        }
        self.library = library
        let areas = store.areas
        top =
            [AreaType.icb, .combinedAuthority, .group, .england, .region].lazy.compactMap { type in
                areas.first { $0.type == type }
            }.first
        let places = areas.filter { $0.type == .place }
        pageAreas = (places.isEmpty ? areas.filter { $0.type == .la } : places).sorted { $0.name < $1.name }
        let regions = areas.filter { $0.type == .region }
        region = regions.count == 1 ? regions[0] : nil
        england = areas.first { $0.type == .england }
        var names: [String: String] = [:]
        var used: Set<String> = []
        for area in pageAreas {
            let prefix = area.type == .place ? "place" : "la"
            var stem = "\(prefix)-\(AreaTablesConsumer.slug(area.name))"
            if stem == "\(prefix)-" || used.contains(stem) { stem += "-" + AreaTablesConsumer.slug(area.code) }
            used.insert(stem)
            names[area.code] = stem
        }
        pageNames = names
    }

    /// The page of an area (`place-liverpool.html`), or nil when it has none.
    public func page(of area: AreaLabel) -> String? { pageNames[area.code].map { $0 + ".html" } }

    /// Every file of the report.
    public func build() -> [ReportFile] {
        var files: [ReportFile] = []
        var figures: [Figure] = []
        let (indexHTML, indexFigures) = overview()
        files.append(ReportFile(path: "index.html", contents: indexHTML))
        figures += indexFigures
        for area in pageAreas {
            let (html, pageFigures) = placePage(area)
            files.append(ReportFile(path: page(of: area)!, contents: html))
            figures += pageFigures
        }
        files.append(ReportFile(path: "methods.html", contents: methodsPage()))
        for figure in figures { files.append(ReportFile(path: figure.download, contents: figure.table.csv)) }
        return files
    }

    // MARK: - Choosing what to show

    /// The indicator the overview leads with: the first life expectancy, else the first indicator with values.
    var headline: ReportStore.IndicatorInfo? {
        store.indicators.first { $0.method == .lifeExpectancy } ?? valueIndicators.first
    }

    /// The indicators with a value per area (every one but a gap decomposition, whose rows are
    /// the parts of a gap: "What makes up the gap").
    var valueIndicators: [ReportStore.IndicatorInfo] { store.indicators.filter { $0.method != .leGapDecomposition } }

    /// The sexes shown for an indicator: men and women when both exist, else what there is.
    func sexes(_ info: ReportStore.IndicatorInfo) -> [SexSelection] {
        if info.method == .lifeExpectancy {
            let split = info.sexes.filter { $0 != .persons }
            return split.isEmpty ? info.sexes : split
        }
        return info.sexes.contains(.persons) ? [.persons] : info.sexes
    }

    private func series(_ info: ReportStore.IndicatorInfo, _ area: AreaLabel, _ sex: SexSelection)
        -> ReportStore.SeriesKey
    {
        ReportStore.SeriesKey(indicator: info.label.id, area: area.code, sex: sex)
    }

    private var source: String { "healthgap, plan \u{201C}\(context.planName)\u{201D}, run \(context.run)" }

    private func render(_ object: Any, _ template: String) -> String { library.render(object, withTemplate: template) ?? "" }

    private func figureHTML(_ f: Figure) -> [String: Any] {
        [
            "html": render(
                [
                    "id": f.id, "title": f.title, "svg": f.svg, "caption": f.caption, "alt": f.alt,
                    "columns": f.table.columns, "rows": f.table.rows.map { ["cells": $0] }, "download": f.download,
                ] as [String: Any], "figure")
        ]
    }

    private func layout(title: String, content: String) -> String {
        render(
            [
                "pageTitle": title, "style": Templates.style, "topName": top?.name ?? context.planName,
                "content": content,
            ] as [String: Any], "layout")
    }

    private func kind(_ type: AreaType) -> String {
        switch type {
        case .england: return "England"
        case .region: return "Region"
        case .icb: return "Integrated care board"
        case .place: return "Place"
        case .la: return "Local authority"
        case .combinedAuthority: return "Combined authority"
        case .group: return "Group of local authorities"
        }
    }

    private var latestPeriod: String { store.periods.last.map(Wording.period) ?? "none" }

    // MARK: - The Place page

    private func decileFigure(_ info: ReportStore.IndicatorInfo, _ area: AreaLabel, _ sex: SexSelection, id: String)
        -> Figure?
    {
        let key = series(info, area, sex)
        guard let scheme = store.primaryScheme(indicator: info.label.id, area: area.code, sex: sex) else { return nil }
        let breakdown = ReportStore.BreakdownKey(series: key, scheme: scheme)
        guard let cells = store.cells(breakdown) else { return nil }
        let input = DecileChart.Input(
            area: area, indicator: info.label, method: info.method, sex: sex, period: cells.period, scheme: scheme,
            cells: cells.cells, sii: store.measure(.sii, breakdown, period: cells.period),
            whole: store.whole[key]?[cells.period], level: level, source: source)
        return DecileChart.figure(input, id: id)
    }

    private func trendFigure(_ info: ReportStore.IndicatorInfo, _ area: AreaLabel, _ sex: SexSelection, id: String)
        -> Figure?
    {
        let key = series(info, area, sex)
        guard let scheme = store.primaryScheme(indicator: info.label.id, area: area.code, sex: sex) else { return nil }
        let breakdown = ReportStore.BreakdownKey(series: key, scheme: scheme)
        let m = info.method
        var orientation = ""
        let points = store.periods.map { period -> BandChart.Point in
            guard let sii = store.measure(.sii, breakdown, period: period) else {
                return .init(period: period, value: nil, lower: nil, upper: nil, note: "no SII in this run")
            }
            guard let gap = Wording.orient(sii, level: level) else {
                return .init(period: period, value: nil, lower: nil, upper: nil, note: sii.note ?? "not computed")
            }
            orientation = gap.orientation
            return .init(
                period: period, value: Wording.scaled(gap.value, m), lower: gap.lower.map { Wording.scaled($0, m) },
                upper: gap.upper.map { Wording.scaled($0, m) }, note: sii.note)
        }
        let present = points.filter { $0.value != nil }
        guard let first = present.first, let last = present.last else { return nil }
        let unit = Wording.gapUnit(m)
        let u = unit.isEmpty ? "" : " " + unit
        let who = Wording.people(sex)
        let title =
            present.count > 1
            ? "For \(who) in \(area.name), the gap was \(Markup.fixed(last.value!, 1))\(u) in \(Wording.period(last.period)), against \(Markup.fixed(first.value!, 1))\(u) in \(Wording.period(first.period))"
            : "For \(who) in \(area.name), the gap was \(Markup.fixed(last.value!, 1))\(u) in \(Wording.period(last.period))"
        let alt =
            "Chart of the slope index of inequality in \(Wording.lowercaseFirst(info.label.name)) for \(who) in \(area.name) over \(points.count) periods, with its 95% confidence interval as a band: "
            + present.map { "\(Wording.period($0.period)) \(Markup.fixed($0.value!, 1))" }.joined(separator: ", ") + "."
        let caption =
            "Slope index of inequality in \(Wording.lowercaseFirst(info.label.name)) (\(orientation)), \(who), \(area.name), by \(scheme.singular), \(Wording.period(store.periods.first!)) to \(Wording.period(store.periods.last!)); band: 95% confidence interval. Source: \(source)."
        return BandChart.figure(
            id: id, title: title, caption: caption, alt: alt, points: points,
            axisLabel: "Gap (SII)\(unit.isEmpty ? "" : ", " + unit)", orientation: orientation,
            colour: sex == .female ? Palette.orange : Palette.darkBlue)
    }

    private func placePage(_ area: AreaLabel) -> (String, [Figure]) {
        let stem = pageNames[area.code] ?? "area"
        var figures: [Figure] = []
        var gapFigures: [[String: Any]] = []
        var glance: [[String: Any]] = []
        var trendFigures: [[String: Any]] = []
        for info in store.indicators {
            for sex in sexes(info) {
                let id = "\(stem)-\(info.label.id)-\(sex.rawValue.lowercased())"
                guard let figure = decileFigure(info, area, sex, id: id + "-gap") else { continue }
                figures.append(figure)
                gapFigures.append(figureHTML(figure))
            }
        }
        if let info = headline {
            for sex in sexes(info) {
                let id = "\(stem)-\(info.label.id)-\(sex.rawValue.lowercased())"
                if let sentence = gapSentence(info, area, sex) {
                    glance.append(["text": sentence, "link": id + "-gap"])
                }
                if let figure = trendFigure(info, area, sex, id: id + "-trend") {
                    figures.append(figure)
                    trendFigures.append(figureHTML(figure))
                }
            }
            if let sex = sexes(info).first, let value = store.latestWhole(series(info, area, sex)) {
                var text =
                    "\(info.label.name) for \(Wording.people(sex)) in \(area.name) was \(Wording.withUnit(value.value, info.method)) in \(Wording.period(value.period))"
                if let top, let topValue = store.whole[series(info, top, sex)]?[value.period] {
                    text += ", against \(Wording.withUnit(topValue.value, info.method)) across \(top.name)"
                }
                glance.append(["text": text + ".", "link": "beacon"])
            }
        }
        if let other = valueIndicators.first(where: { $0.label.id != headline?.label.id }), let sex = sexes(other).first,
            let sentence = gapSentence(other, area, sex)
        {
            glance.append([
                "text": sentence, "link": "\(stem)-\(other.label.id)-\(sex.rawValue.lowercased())-gap",
            ])
        }
        let verdicts = headline.map { gapVerdicts($0, area) } ?? []
        if verdicts.isEmpty {
            glance.append([
                "text":
                    "Whether these gaps have changed significantly since \(store.periods.first.map(Wording.period) ?? "the first period"), and how this Place compares with England, is not available in this run.",
                "link": "changing",
            ])
        } else {
            glance.append(["text": verdicts[0], "link": "changing"])
        }
        var makeupFigures: [[String: Any]] = []
        var makeupText: [String] = []
        for info in store.indicators where info.method == .leGapDecomposition {
            for sex in info.sexes {
                let id = "\(stem)-\(info.label.id)-\(sex.rawValue.lowercased())"
                guard let makeup = gapMakeup(info, area, sex, id: id) else { continue }
                makeupText.append(makeup.sentence)
                for figure in makeup.figures {
                    figures.append(figure)
                    makeupFigures.append(figureHTML(figure))
                }
            }
        }
        let beacon = beaconRows(area, stem: stem)
        let downloads = figures.map { ["href": $0.download, "label": "\($0.title) (CSV)"] }
        let view: [String: Any] = [
            "name": area.name, "kind": kind(area.type), "period": latestPeriod, "planName": context.planName,
            "glance": glance, "gapFigures": gapFigures, "trendFigures": trendFigures, "makeupFigures": makeupFigures,
            "makeupText": makeupText,
            "verdict": verdicts.isEmpty
                ? "Whether the gap is widening or narrowing (a test of the change) is not available in this run; the charts show the gap in each period with its 95% confidence interval."
                : verdicts.joined(separator: " ")
                    + " The charts show the gap in each period with its 95% confidence interval (METHODS.md §12).",
            "beacon": beacon, "topName": top?.name ?? "Overview", "peerWord": peerWord,
            "comparedWith": comparedWith ?? "England",
            "rulesNote": comparedWith == nil
                ? "Comparison and trend rules arrive with comparisons and trends; not available in this run."
                : "The comparison and trend rules are METHODS.md §11 and §12, as Fingertips applies them.",
            "beaconNote": comparedWith == nil
                ? "A dash (–) marks what is not available in this run: the region and England when the run has no value for them, the comparison with England and the trend test. The small bar shows the spread of the \(peerWord) (ticks) and \(area.name) (diamond); the line shows the value over periods, ending at the latest."
                : "The comparison is with \(comparedWith ?? "") by the indicator's rule (METHODS.md §11); the trend is the recent-trend marker of annual periods (METHODS.md §12), which rolling periods never get. A dash (–) marks what is not available in this run. The small bar shows the spread of the \(peerWord) (ticks) and \(area.name) (diamond); the line shows the value over periods, ending at the latest.",
            "downloads": downloads,
        ]
        return (layout(title: "\(area.name): the health gap", content: render(view, "place")), figures)
    }

    private var peerWord: String { pageAreas.first?.type == .la ? "local authorities" : "Places" }

    /// What the overview says this run does not show (comparisons, trends, healthy life expectancy,
    /// the gap by cause), and where the gap by cause is when it does.
    private func missingSentence(hasGaps: Bool, peerWord: String) -> String {
        var missing: [String] = []
        if comparedWith == nil { missing += ["Comparisons with England", "trends over time"] }
        if !store.indicators.contains(where: { $0.method == .healthyLifeExpectancy }) {
            missing.append("healthy life expectancy")
        }
        if !hasGaps { missing.append("the gap by cause") }
        var text = ""
        if !missing.isEmpty {
            let list = missing.count == 1 ? missing[0] : missing.dropLast().joined(separator: ", ") + " and " + missing.last!
            text = list.capitalizedFirst + (missing.count == 1 ? " is" : " are") + " not available in this run."
        }
        if hasGaps {
            text +=
                (text.isEmpty ? "" : " ")
                + "What makes up the gap, by age and cause of death, is on each \(peerWord.dropLast())'s page."
        }
        return text
    }

    /// The name of the benchmark the pages' areas are first compared with, or nil when nothing is compared.
    private var comparedWith: String? {
        for area in pageAreas {
            for info in store.indicators {
                for sex in sexes(info) {
                    guard let code = store.latestWhole(series(info, area, sex))?.comparison?.benchmarkCode else { continue }
                    return store.areas.first { $0.code == code }?.name ?? code
                }
            }
        }
        return nil
    }

    /// Sentences on whether the headline indicator's gap changed, one per sex, from its SII's gap change.
    private func gapVerdicts(_ info: ReportStore.IndicatorInfo, _ area: AreaLabel) -> [String] {
        sexes(info).compactMap { sex in
            guard let scheme = store.primaryScheme(indicator: info.label.id, area: area.code, sex: sex) else { return nil }
            let breakdown = ReportStore.BreakdownKey(series: series(info, area, sex), scheme: scheme)
            guard let period = store.measures[breakdown]?.keys.max(),
                let verdict = store.measure(.sii, breakdown, period: period)?.gapChange
            else { return nil }
            return
                "The gap in \(Wording.lowercaseFirst(info.label.name)) for \(Wording.people(sex)) in \(area.name) (slope index of inequality by \(scheme.singular)) \(Wording.gapChange(verdict)) up to \(Wording.period(period))."
        }
    }

    // MARK: - What makes up the gap

    /// A gap decomposition of an area for one sex, latest period: a sentence with the gap and the
    /// share of each cause and of deaths before 75, a chart by cause (when the plan names causes)
    /// and one by age band. Nil when the run has no decomposition for the area or it is empty.
    private func gapMakeup(_ info: ReportStore.IndicatorInfo, _ area: AreaLabel, _ sex: SexSelection, id: String)
        -> (sentence: String, figures: [Figure])?
    {
        guard let key = store.primaryGap(indicator: info.label.id, area: area.code, sex: sex),
            let kept = store.gaps[key]
        else { return nil }
        let records = kept.records
        let who = Wording.people(sex), Who = Wording.peopleCapitalised(sex)
        let period = Wording.period(kept.period)
        let whole = records.first { $0.age == "all" && $0.cause == "all" }
        guard let whole else { return nil }
        guard let gap = whole.value, gap != 0 else {
            return (
                "The gap in life expectancy for \(who) in \(area.name) by age and cause, \(period): not computed (\(whole.note ?? "no value")).",
                []
            )
        }
        func percent(_ years: Double) -> Double { 100 * years / gap }
        func years(_ x: Double) -> String { Markup.fixed(x, Wording.decimals) }
        let scheme = key.scheme
        let part = Wording.fraction(scheme)
        let comparison =
            scheme == .none
            ? "\(Who) in \(area.name) can expect to live \(years(abs(gap))) years \(gap > 0 ? "fewer" : "more") than \(who) across the plan's benchmark area in \(period)"
            : "\(Who) in the most deprived \(part) of \(Wording.neighbourhoods(scheme, area: area.name)) can expect to live \(years(abs(gap))) years \(gap > 0 ? "fewer" : "more") than \(who) in the least deprived \(part) in \(period)"
        let causeRows = records.filter { $0.age == "all" && $0.cause != "all" && $0.value != nil }
        let bandRows = records.filter { $0.age != "all" && $0.cause == "all" && $0.value != nil }
            .sorted { (Int($0.age) ?? 0) < (Int($1.age) ?? 0) }
        var sentence = comparison + "."
        var figures: [Figure] = []
        let colour = sex == .female ? Palette.orange : Palette.darkBlue
        let caption =
            "Years of the gap in life expectancy at birth, \(who), \(area.name), \(scheme == .none ? "against the benchmark area" : "most against least deprived \(scheme.singular)"), \(period), by Arriaga's method (the parts add up to the gap). Source: \(source)."
        if !causeRows.isEmpty {
            let bars = causeRows.map {
                GapContributionChart.Bar(label: causeLabel($0.cause ?? ""), years: $0.value!, percent: percent($0.value!))
            }.sorted { $0.years > $1.years }
            let parts = bars.map {
                "\(Wording.lowercaseFirst($0.label)) \(years($0.years)) years (\(Markup.fixed($0.percent, 0))%)"
            }
            sentence += " Of the gap, " + Self.list(parts) + "."
            let top = bars[0]
            figures.append(
                GapContributionChart.figure(
                    id: id + "-causes",
                    title:
                        "The largest part of the gap for \(who) in \(area.name): \(Wording.lowercaseFirst(top.label)), \(years(top.years)) of \(years(gap)) years",
                    caption: caption,
                    alt: "Bar chart of the years of the \(years(gap))-year gap by cause of death: " + Self.list(parts) + ".",
                    bars: bars, heading: "Cause of death", colour: colour))
        }
        if !bandRows.isEmpty {
            let under75 = bandRows.filter { (Int($0.age) ?? 0) < 75 }.compactMap(\.value).reduce(0, +)
            sentence +=
                " Deaths before age 75 account for \(years(under75)) years (\(Markup.fixed(percent(under75), 0))%) of it, deaths at 75 and over for \(years(gap - under75)) years (\(Markup.fixed(percent(gap - under75), 0))%)."
            let labels = Dictionary(
                uniqueKeysWithValues: zip(LifeExpectancy.startAges.map(String.init), LifeExpectancy.bandLabels))
            let bars = bandRows.map {
                GapContributionChart.Bar(label: labels[$0.age] ?? $0.age, years: $0.value!, percent: percent($0.value!))
            }
            let biggest = bars.max { $0.years < $1.years }!
            figures.append(
                GapContributionChart.figure(
                    id: id + "-ages",
                    title:
                        "Deaths before age 75 make up \(years(under75)) of the \(years(gap))-year gap for \(who) in \(area.name)",
                    caption: caption,
                    alt:
                        "Bar chart of the years of the \(years(gap))-year gap by age band at death: the largest part, \(years(biggest.years)) years (\(Markup.fixed(biggest.percent, 0))%), from ages \(biggest.label); before age 75, \(years(under75)) years in all.",
                    bars: bars, heading: "Age band", colour: colour))
        }
        return (sentence, figures)
    }

    /// `circulatory` → `Circulatory`, `mental_behavioural` → `Mental behavioural`, `other` → `Other causes`.
    private func causeLabel(_ cause: String) -> String {
        cause == "other" ? "Other causes" : cause.replacingOccurrences(of: "_", with: " ").capitalizedFirst
    }

    /// `a, b and c`.
    static func list(_ parts: [String]) -> String {
        guard parts.count > 1 else { return parts.first ?? "" }
        return parts.dropLast().joined(separator: ", ") + " and " + parts.last!
    }

    private func gapSentence(_ info: ReportStore.IndicatorInfo, _ area: AreaLabel, _ sex: SexSelection) -> String? {
        guard let scheme = store.primaryScheme(indicator: info.label.id, area: area.code, sex: sex) else { return nil }
        let breakdown = ReportStore.BreakdownKey(series: series(info, area, sex), scheme: scheme)
        guard let cells = store.cells(breakdown), let sii = store.measure(.sii, breakdown, period: cells.period) else {
            return nil
        }
        guard
            let sentence = Wording.gapSentence(sii: sii, area: area.name, indicatorName: info.label.name, level: level)
        else { return nil }
        return sentence.dropLast() + " in \(Wording.period(cells.period))."
    }

    private func beaconRows(_ area: AreaLabel, stem: String) -> [[String: Any]] {
        var rows: [[String: Any]] = []
        for info in valueIndicators {
            for sex in sexes(info) {
                let key = series(info, area, sex)
                let latest = store.latestWhole(key)
                let period = latest?.period
                func valueText(_ other: AreaLabel?) -> String {
                    guard let other, let period, let r = store.whole[series(info, other, sex)]?[period] else {
                        return "–"
                    }
                    return Wording.value(r.value, info.method).isEmpty ? "suppressed" : Wording.value(r.value, info.method)
                }
                let peers: [(String, Double)] = pageAreas.compactMap { peer in
                    guard let period, let v = store.whole[series(info, peer, sex)]?[period]?.value else { return nil }
                    return (peer.code, Wording.scaled(v, info.method))
                }
                let mine = latest?.value.map { Wording.scaled($0, info.method) }
                var rank = "no value"
                if let mine {
                    let higher = peers.filter { $0.1 > mine }.count
                    rank = "\(ordinal(higher + 1)) highest of \(peers.count)"
                }
                let history = store.periods.map { p in store.whole[key]?[p]?.value.map { Wording.scaled($0, info.method) } }
                let presentHistory = zip(store.periods, history).compactMap { p, v in v.map { (p, $0) } }
                var sparkText = "no values"
                if let f = presentHistory.first, let l = presentHistory.last {
                    sparkText =
                        presentHistory.count > 1
                        ? "\(Wording.period(f.0)): \(Markup.fixed(f.1, 1)); \(Wording.period(l.0)): \(Markup.fixed(l.1, 1))"
                        : "\(Wording.period(l.0)): \(Markup.fixed(l.1, 1))"
                }
                let id = "\(stem)-\(info.label.id)-\(sex.rawValue.lowercased())"
                rows.append([
                    "indicator": "\(DecileChart.shortName(info.label.name)) (\(Wording.people(sex)))",
                    "definition": definition(info),
                    "period": period.map(Wording.period) ?? "–",
                    "value": latest == nil
                        ? "–"
                        : (latest?.value == nil
                            ? "suppressed: \(latest?.note ?? "")" : Wording.value(latest?.value, info.method)),
                    "top": valueText(top), "region": region == nil ? "–" : valueText(region),
                    "england": england == nil ? "–" : valueText(england),
                    "comparison": latest?.comparison.map { Wording.comparison($0.outcome) } ?? "–",
                    "trend": latest?.trend?.rawValue ?? "–",
                    "spine": SmallCharts.spine(
                        value: mine, peers: peers.map(\.1), id: id + "-spine",
                        description:
                            "\(area.name) is \(rank) among the \(peerWord) for \(Wording.lowercaseFirst(info.label.name)), \(Wording.people(sex))."
                    ),
                    "rank": rank,
                    "sparkline": SmallCharts.sparkline(
                        history, id: id + "-spark",
                        description: "\(info.label.name) for \(Wording.people(sex)) in \(area.name) over periods: \(sparkText)."),
                    "sparkText": sparkText,
                ])
            }
        }
        return rows
    }

    private func definition(_ info: ReportStore.IndicatorInfo) -> String {
        let what: String
        switch info.method {
        case .lifeExpectancy: what = "Average years a newborn would live at current death rates"
        case .healthyLifeExpectancy: what = "Average years a newborn would live in good health at current rates"
        case .dsr: what = "Rate adjusted for age (directly standardised)"
        case .crudeRate: what = "Events per head of population"
        case .proportion: what = "Share of the population, in per cent"
        case .isr: what = "Observed against expected events (indirectly standardised)"
        case .leGapDecomposition: what = "Years of a life-expectancy gap by age and cause of death"
        }
        return [.lifeExpectancy, .healthyLifeExpectancy].contains(info.method)
            ? "\(what); age \(info.age)" : "\(what); ages \(info.age)"
    }

    private func ordinal(_ n: Int) -> String {
        let suffix: String
        switch (n % 10, n % 100) {
        case (_, 11...13): suffix = "th"
        case (1, _): suffix = "st"
        case (2, _): suffix = "nd"
        case (3, _): suffix = "rd"
        default: suffix = "th"
        }
        return "\(n)\(suffix)"
    }

    // MARK: - The overview

    private func overview() -> (String, [Figure]) {
        var figures: [Figure] = []
        var glance: [[String: Any]] = []
        let name = top?.name ?? context.planName
        if let info = headline {
            let m = info.method
            for sex in sexes(info) {
                if let top, let value = store.latestWhole(series(info, top, sex)) {
                    glance.append([
                        "text":
                            "\(info.label.name) for \(Wording.people(sex)) across \(top.name) was \(Wording.withUnit(value.value, m)) in \(Wording.period(value.period)) \(Wording.interval(value.limits(at: level)?.lower, value.limits(at: level)?.upper, m))."
                            .replacingOccurrences(of: " .", with: "."),
                        "link": "overview-\(info.label.id)-\(sex.rawValue.lowercased())-by-area",
                    ])
                }
                let rows = pageAreas.map { area -> DotPlot.Row in
                    let r = store.latestWhole(series(info, area, sex))
                    let l = r?.limits(at: level)
                    return DotPlot.Row(
                        label: area.name, value: r?.value.map { Wording.scaled($0, m) },
                        lower: l?.lower.map { Wording.scaled($0, m) }, upper: l?.upper.map { Wording.scaled($0, m) },
                        note: r == nil ? "no record" : r?.note, link: page(of: area))
                }
                var references: [DotPlot.Reference] = []
                let period = store.latestWhole(
                    series(info, pageAreas.first ?? top ?? AreaLabel(code: "", name: "", type: .england), sex))?.period
                for ref in [top, region, england].compactMap({ $0 }) where !references.contains(where: { $0.label == ref.name }) {
                    if let period, let v = store.whole[series(info, ref, sex)]?[period]?.value {
                        references.append(.init(label: ref.name, value: Wording.scaled(v, m)))
                    }
                }
                let present = rows.filter { $0.value != nil }.sorted { $0.value! > $1.value! }
                guard let hi = present.first, let lo = present.last else { continue }
                let u = Wording.unit(m).isEmpty ? "" : " " + Wording.unit(m)
                let sentence =
                    "Among the \(pageAreas.count) \(peerWord), \(Wording.lowercaseFirst(info.label.name)) for \(Wording.people(sex)) ranged from \(Markup.fixed(lo.value!, 1))\(u) in \(lo.label) to \(Markup.fixed(hi.value!, 1))\(u) in \(hi.label)."
                let id = "overview-\(info.label.id)-\(sex.rawValue.lowercased())-by-area"
                glance.append(["text": sentence, "link": id])
                let figure = DotPlot.figure(
                    id: id,
                    title:
                        "\(info.label.name) for \(Wording.people(sex)) is highest in \(hi.label) (\(Markup.fixed(hi.value!, 1))\(u)) and lowest in \(lo.label) (\(Markup.fixed(lo.value!, 1))\(u))",
                    caption:
                        "\(info.label.name), \(Wording.people(sex)), by \(peerWord.dropLast()) of \(name), \(period.map(Wording.period) ?? ""), with 95% confidence intervals; vertical lines: \(references.map(\.label).joined(separator: " (dashed), ")) . Source: \(source)."
                        .replacingOccurrences(of: " .", with: "."),
                    rows: rows, references: references, valueHeading: info.label.name,
                    axisLabel:
                        "\(DecileChart.shortName(info.label.name))\(Wording.unit(m).isEmpty ? "" : " (\(Wording.unit(m)))")",
                    colour: sex == .female ? Palette.orange : Palette.darkBlue)
                figures.append(figure)
            }
            for sex in sexes(info) {
                var orientation = ""
                var period: Period?
                let rows = pageAreas.map { area -> DotPlot.Row in
                    guard let scheme = store.primaryScheme(indicator: info.label.id, area: area.code, sex: sex) else {
                        return .init(label: area.name, value: nil, lower: nil, upper: nil, note: "no breakdown")
                    }
                    let key = ReportStore.BreakdownKey(series: series(info, area, sex), scheme: scheme)
                    guard let cells = store.cells(key), let sii = store.measure(.sii, key, period: cells.period) else {
                        return .init(label: area.name, value: nil, lower: nil, upper: nil, note: "no SII")
                    }
                    period = cells.period
                    guard let gap = Wording.orient(sii, level: level) else {
                        return .init(label: area.name, value: nil, lower: nil, upper: nil, note: sii.note ?? "not computed")
                    }
                    orientation = gap.orientation
                    return .init(
                        label: area.name, value: Wording.scaled(gap.value, m), lower: gap.lower.map { Wording.scaled($0, m) },
                        upper: gap.upper.map { Wording.scaled($0, m) }, note: sii.note, link: page(of: area))
                }
                let present = rows.filter { $0.value != nil }.sorted { $0.value! > $1.value! }
                guard let hi = present.first, let lo = present.last else { continue }
                let unit = Wording.gapUnit(m)
                let u = unit.isEmpty ? "" : " " + unit
                let id = "overview-\(info.label.id)-\(sex.rawValue.lowercased())-sii"
                glance.append([
                    "text":
                        "The gap between the most and least deprived (slope index of inequality) in \(Wording.lowercaseFirst(info.label.name)) for \(Wording.people(sex)) was widest in \(hi.label), \(Markup.fixed(hi.value!, 1))\(u), and narrowest in \(lo.label), \(Markup.fixed(lo.value!, 1))\(u).",
                    "link": id,
                ])
                figures.append(
                    DotPlot.figure(
                        id: id,
                        title:
                            "The gap in \(Wording.lowercaseFirst(DecileChart.shortName(info.label.name))) for \(Wording.people(sex)) is widest in \(hi.label) (\(Markup.fixed(hi.value!, 1))\(u))",
                        caption:
                            "Slope index of inequality in \(Wording.lowercaseFirst(info.label.name)) (\(orientation)), \(Wording.people(sex)), by deprivation decile within each \(peerWord.dropLast()), \(period.map(Wording.period) ?? ""), with 95% confidence intervals. Source: \(source).",
                        rows: rows, references: [], valueHeading: "Gap (SII)\(u)",
                        axisLabel: "Gap (SII)\(unit.isEmpty ? "" : ", " + unit)",
                        colour: sex == .female ? Palette.orange : Palette.darkBlue, includeZero: true))
            }
        }
        let hasGaps = store.indicators.contains { $0.method == .leGapDecomposition }
        glance.append([
            "text": missingSentence(hasGaps: hasGaps, peerWord: peerWord)
        ])
        var headings: [String] = []
        var columns: [(ReportStore.IndicatorInfo, SexSelection)] = []
        for info in valueIndicators {
            for sex in sexes(info) {
                columns.append((info, sex))
                headings.append("\(DecileChart.shortName(info.label.name)) (\(Wording.people(sex)))")
            }
        }
        let areaRows: [[String: Any]] = pageAreas.map { area in
            [
                "name": area.name, "href": page(of: area) ?? "",
                "cells": columns.map { info, sex -> [String: Any] in
                    let r = store.latestWhole(series(info, area, sex))
                    let text = r == nil ? "–" : (r?.value == nil ? "suppressed" : Wording.value(r?.value, info.method))
                    guard let comparison = r?.comparison else { return ["value": text] }
                    return ["value": text, "comparison": Wording.comparison(comparison.outcome)]
                },
            ]
        }
        let view: [String: Any] = [
            "name": name, "kind": top.map { kind($0.type) } ?? "Plan", "period": latestPeriod,
            "planName": context.planName, "glance": glance, "figures": figures.map(figureHTML),
            "peerTitle": "By \(peerWord.dropLast())", "peerWord": peerWord,
            "peerWordSingular": String(peerWord.dropLast()), "peerHeading": String(peerWord.dropLast()).capitalizedFirst,
            "headings": headings, "areaRows": areaRows,
            "comparisonNote": comparedWith.map {
                "Beside each value, how it compares with \($0) (METHODS.md §11): ▲ better, ● similar, ▼ worse (▲▲ best and ▼▼ worst at 99.8%; ↑ higher and ↓ lower where neither direction is better; ○ not compared)."
            } ?? "Comparison words and symbols (better, similar, worse than England) are not available in this run.",
        ]
        return (layout(title: "\(name): the health gap", content: render(view, "index")), figures)
    }

    // MARK: - Methods

    private func methodsPage() -> String {
        let suppressed = store.suppressed.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
            .map { ["reason": $0.key, "count": "\($0.value)"] }
        let glossary: [[String: String]] = [
            [
                "term": "Life expectancy",
                "meaning":
                    "The average number of years a newborn would live if death rates at each age stayed as they were in the period.",
            ],
            [
                "term": "Deprivation decile",
                "meaning":
                    "One tenth of neighbourhoods (LSOAs) ranked by the Index of Multiple Deprivation; decile 1 is the most deprived tenth. Local deciles rank the neighbourhoods of one area among themselves.",
            ],
            [
                "term": "Slope index of inequality (SII)",
                "meaning":
                    "The gap between the most and least deprived ends of the deprivation scale, taking every decile into account.",
            ],
            [
                "term": "Relative index of inequality (RII)",
                "meaning": "The same gap as a ratio: how many times higher one end is than the other.",
            ],
            [
                "term": "95% confidence interval",
                "meaning":
                    "The range within which the true value is likely to lie, given the chance variation in small numbers of deaths.",
            ],
            [
                "term": "Directly standardised rate",
                "meaning":
                    "A rate adjusted for the age of the population, so that areas with older or younger people can be compared.",
            ],
            ["term": "Core20", "meaning": "The most deprived 20% of neighbourhoods in England (national deciles 1 and 2)."],
            ["term": "Suppressed", "meaning": "A value not shown because too few people or deaths make it unreliable."],
        ]
        let view: [String: Any] = [
            "planName": context.planName, "run": context.run,
            "inputs": context.inputs.map {
                [
                    "name": $0.name, "path": $0.path, "bytes": $0.bytes.map(String.init) ?? "–",
                    "sha256": $0.sha256 ?? "listed in manifest.json",
                ]
            },
            "imd": store.imdEditions.isEmpty ? "not stated" : store.imdEditions.joined(separator: ", "),
            "periods": store.periods.map(Wording.period).joined(separator: "; "), "records": "\(store.recordCount)",
            "suppressed": suppressed, "hasSuppressed": !suppressed.isEmpty, "glossary": glossary,
            "plan": context.planText,
        ]
        return layout(title: "Data and methods: \(context.planName)", content: render(view, "methods"))
    }
}

extension String {
    /// The string with its first letter in upper case.
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}

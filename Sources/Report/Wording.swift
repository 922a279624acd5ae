import Indicators
import Results

/// The words and rounded numbers of the report: one home for how values are rounded (as OHID
/// publishes them: life expectancy and rates to 1 decimal place, proportions to 1 in per cent),
/// how sexes, periods and deciles are named, and how a gap is oriented.
public enum Wording {
    /// Decimals shown for every method.
    public static let decimals = 1

    /// A value as tables and sentences show it (proportions in per cent); `""` when missing.
    public static func value(_ x: Double?, _ method: IndicatorMethod) -> String {
        guard let x else { return "" }
        return Markup.fixed(method == .proportion ? x * 100 : x, decimals)
    }

    /// The value scaled as shown (proportions in per cent), unrounded: the charts' scale.
    public static func scaled(_ x: Double, _ method: IndicatorMethod) -> Double { method == .proportion ? x * 100 : x }

    /// The unit after a value (`years`, `%`, or nothing for rates and ratios).
    public static func unit(_ method: IndicatorMethod) -> String {
        switch method {
        case .lifeExpectancy, .healthyLifeExpectancy, .leGapDecomposition: return "years"
        case .proportion: return "%"
        case .dsr, .crudeRate, .isr: return ""
        }
    }

    /// `76.6 years`, `595.7`, `12.3%`.
    public static func withUnit(_ x: Double?, _ method: IndicatorMethod) -> String {
        let text = value(x, method)
        guard !text.isEmpty else { return "not available" }
        switch method {
        case .lifeExpectancy: return text + " years"
        case .proportion: return text + "%"
        default: return text
        }
    }

    /// The unit of a gap (`years`, `percentage points`, or nothing).
    public static func gapUnit(_ method: IndicatorMethod) -> String {
        method == .proportion ? "percentage points" : unit(method)
    }

    /// `men`, `women`, `people`.
    public static func people(_ sex: SexSelection) -> String {
        switch sex {
        case .male: return "men"
        case .female: return "women"
        case .persons: return "people"
        }
    }

    /// `Men`, `Women`, `People`.
    public static func peopleCapitalised(_ sex: SexSelection) -> String {
        let word = people(sex)
        return word.prefix(1).uppercased() + word.dropFirst()
    }

    /// `Male`, `Female`, `Persons`.
    public static func sexLabel(_ sex: SexSelection) -> String { sex.rawValue }

    /// `2020 to 2022`, `2021`: periods in sentences and captions.
    public static func period(_ p: Period) -> String { p.first == p.last ? "\(p.first)" : "\(p.first) to \(p.last)" }

    /// `Liverpool's`, `St Helens'`.
    public static func possessive(_ name: String) -> String { name.hasSuffix("s") ? name + "'" : name + "'s" }

    /// `1 – most deprived 10%`, `5`, `10 – least deprived 10%` (quintiles: 20%).
    public static func quantileLabel(_ label: String, scheme: DeprivationScheme) -> String {
        let share = scheme.quantiles > 0 ? 100 / scheme.quantiles : 0
        if label == "1" { return "1 – most deprived \(share)%" }
        if label == "\(scheme.quantiles)" { return "\(label) – least deprived \(share)%" }
        if label == "core20" { return "Core20 – most deprived 20% of England" }
        if label == "rest" { return "Rest of the area" }
        return label
    }

    /// `tenth`, `fifth`.
    public static func fraction(_ scheme: DeprivationScheme) -> String { scheme.quantiles == 5 ? "fifth" : "tenth" }

    /// `local`, `national`: whose neighbourhoods a breakdown ranks.
    public static func neighbourhoods(_ scheme: DeprivationScheme, area: String) -> String {
        switch scheme {
        case .localDeciles, .localQuintiles: return "\(possessive(area)) neighbourhoods"
        default: return "neighbourhoods in \(area), ranked against all of England,"
        }
    }

    /// A gap oriented so that a bigger gap is a bigger number, with its limits and the words of its direction.
    public struct OrientedGap: Sendable, Equatable {
        /// The gap (life-expectancy SII as it is; a rate's SII negated: higher in the most deprived is positive).
        public var value: Double
        /// Its lower limit.
        public var lower: Double?
        /// Its upper limit.
        public var upper: Double?
        /// `higher in the least deprived` or `higher in the most deprived`, for a table's orientation column.
        public var orientation: String
    }

    /// The SII `record` oriented for people: life expectancy gains are positive when the least deprived
    /// live longer; for rates, ratios and proportions a positive gap is higher in the most deprived.
    public static func orient(_ record: ResultRecord, level: ConfidenceLevel) -> OrientedGap? {
        guard let v = record.value else { return nil }
        let limits = record.limits(at: level)
        if record.method == .lifeExpectancy {
            return OrientedGap(
                value: v, lower: limits?.lower, upper: limits?.upper, orientation: "higher in the least deprived")
        }
        return OrientedGap(
            value: -v, lower: limits?.upper.map { -$0 }, upper: limits?.lower.map { -$0 },
            orientation: "higher in the most deprived")
    }

    /// `(95% CI 8.4 to 11.8)`, or `""` when a limit is missing.
    public static func interval(_ lower: Double?, _ upper: Double?, _ method: IndicatorMethod, level: String = "95%")
        -> String
    {
        let l = value(lower, method), u = value(upper, method)
        guard !l.isEmpty, !u.isEmpty else { return "" }
        return "(\(level) CI \(l) to \(u))"
    }

    /// The sentence of a gap: "Men in the most deprived tenth of Liverpool's neighbourhoods can expect to
    /// live 10.1 years fewer than men in the least deprived tenth (95% CI 8.4 to 11.8)."
    public static func gapSentence(
        sii: ResultRecord, area: String, indicatorName: String, level: ConfidenceLevel
    ) -> String? {
        guard let gap = orient(sii, level: level) else { return nil }
        let who = people(sii.sex), Who = peopleCapitalised(sii.sex)
        let part = fraction(sii.scheme)
        let hood = neighbourhoods(sii.scheme, area: area)
        let ci = interval(gap.lower, gap.upper, sii.method)
        let size = value(abs(gap.value), sii.method)
        let tail = ci.isEmpty ? "." : " \(ci)."
        if sii.method == .lifeExpectancy {
            let word = gap.value >= 0 ? "fewer" : "more"
            let noun = sii.age.contains("65") ? "live, from age 65," : "live"
            return
                "\(Who) in the most deprived \(part) of \(hood) can expect to \(noun) \(size) years \(word) than \(who) in the least deprived \(part)"
                + tail
        }
        let unit = gapUnit(sii.method)
        let where_ = gap.value >= 0 ? "higher" : "lower"
        return
            "For \(who), the \(lowercaseFirst(DecileChart.shortName(indicatorName))) is \(where_) in the most deprived \(part) of \(hood) than in the least deprived \(part), by \(size)\(unit.isEmpty ? "" : " " + unit)"
            + tail
    }

    /// `Under 75 mortality…` → `under 75 mortality…` (kept when the second letter is a capital: `ISR`).
    public static func lowercaseFirst(_ s: String) -> String {
        guard let first = s.first else { return s }
        let second = s.dropFirst().first
        if let second, second.isUppercase { return s }
        return first.lowercased() + s.dropFirst()
    }

    // MARK: - Judgements (METHODS.md §11, §12)

    /// A comparison's symbol and word, as the tables show it: `▲ better`, `● similar`, `▼ worse`
    /// (the symbol repeats the word for readers who do not see colour; `▲▲ best`, `↑ higher`, `○ not compared`).
    public static func comparison(_ outcome: ComparisonOutcome) -> String {
        let symbol: String
        switch outcome {
        case .best: symbol = "▲▲"
        case .better: symbol = "▲"
        case .similar: symbol = "●"
        case .worse: symbol = "▼"
        case .worst: symbol = "▼▼"
        case .higher: symbol = "↑"
        case .lower: symbol = "↓"
        case .notCompared: symbol = "○"
        }
        return symbol + " " + outcome.rawValue
    }

    /// A gap's change as a sentence's end: `widened significantly`, `narrowed significantly`, `did not change significantly`.
    public static func gapChange(_ verdict: GapChangeVerdict) -> String {
        switch verdict {
        case .widening: return "widened significantly"
        case .narrowing: return "narrowed significantly"
        case .noSignificantChange: return "did not change significantly"
        }
    }
}

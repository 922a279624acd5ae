import Testing

@testable import Indicators

@Suite struct ReportingPeriodTests {
    /// One period string and what it must parse to.
    struct Case: Sendable, CustomTestStringConvertible {
        let text: String
        let kind: ReportingPeriod.Kind
        let first: Int
        let last: Int
        let quarter: Int?
        let canonical: String
        var testDescription: String { "\"\(text)\"" }
    }

    static let cases: [Case] = [
        Case(text: "2021", kind: .calendar, first: 2021, last: 2021, quarter: nil, canonical: "2021"),
        Case(text: " 2015 ", kind: .calendar, first: 2015, last: 2015, quarter: nil, canonical: "2015"),
        Case(text: "2020 - 22", kind: .calendar, first: 2020, last: 2022, quarter: nil, canonical: "2020 - 22"),
        Case(text: "2020-22", kind: .calendar, first: 2020, last: 2022, quarter: nil, canonical: "2020 - 22"),
        Case(text: "2014-16", kind: .calendar, first: 2014, last: 2016, quarter: nil, canonical: "2014 - 16"),
        Case(text: "2013 - 17", kind: .calendar, first: 2013, last: 2017, quarter: nil, canonical: "2013 - 17"),
        Case(text: "2018 - 2020", kind: .calendar, first: 2018, last: 2020, quarter: nil, canonical: "2018 - 20"),
        Case(text: "1998 - 02", kind: .calendar, first: 1998, last: 2002, quarter: nil, canonical: "1998 - 02"),
        Case(text: "2021/22", kind: .financial, first: 2021, last: 2021, quarter: nil, canonical: "2021/22"),
        Case(text: "2018/19", kind: .financial, first: 2018, last: 2018, quarter: nil, canonical: "2018/19"),
        Case(text: "1999/00", kind: .financial, first: 1999, last: 1999, quarter: nil, canonical: "1999/00"),
        Case(text: "2021/2022", kind: .financial, first: 2021, last: 2021, quarter: nil, canonical: "2021/22"),
        Case(
            text: "2019/20 - 21/22", kind: .financial, first: 2019, last: 2021, quarter: nil,
            canonical: "2019/20 - 21/22"),
        Case(
            text: "2019/20-2021/22", kind: .financial, first: 2019, last: 2021, quarter: nil,
            canonical: "2019/20 - 21/22"),
        Case(text: "2022 Q1", kind: .calendar, first: 2022, last: 2022, quarter: 1, canonical: "2022 Q1"),
        Case(text: "2022/23 Q3", kind: .financial, first: 2022, last: 2022, quarter: 3, canonical: "2022/23 Q3"),
    ]

    @Test(arguments: cases)
    func parses(_ c: Case) throws {
        let p = try ReportingPeriod(c.text)
        #expect(p.kind == c.kind)
        #expect(p.firstYear == c.first)
        #expect(p.lastYear == c.last)
        #expect(p.quarter == c.quarter)
        #expect(p.canonical == c.canonical)
        #expect(p.yearCount == c.last - c.first + 1)
        #expect(p.isAnnual == (c.first == c.last && c.quarter == nil))
        // The canonical text reads back as the same period.
        #expect(try ReportingPeriod(p.canonical) == p)
    }

    @Test func splitYearsAreFinancialUnlessToldAcademic() throws {
        let academic = try ReportingPeriod("2021/22", splitYears: .academic)
        #expect(academic.kind == .academic)
        #expect(academic.startMonth == 2021 * 12 + 8)
        #expect(academic.endMonth == 2022 * 12 + 7)
        let financial = try ReportingPeriod("2021/22")
        #expect(financial.startMonth == 2021 * 12 + 3)
        #expect(financial.endYear == 2022)
        #expect(academic != financial)
        // Plain years stay calendar years whatever the hint.
        #expect(try ReportingPeriod("2021", splitYears: .academic).kind == .calendar)
    }

    @Test func sharingAYear() throws {
        func shares(_ a: String, _ b: String) throws -> Bool {
            let x = try ReportingPeriod(a)
            let y = try ReportingPeriod(b)
            #expect(x.sharesYear(with: y) == y.sharesYear(with: x), "symmetric: \(a), \(b)")
            return x.sharesYear(with: y)
        }
        #expect(try shares("2020 - 22", "2022"))
        #expect(try shares("2016 - 18", "2017 - 19"))
        #expect(try !shares("2015 - 17", "2018 - 20"))
        #expect(try !shares("2020", "2021"))
        #expect(try shares("2021", "2021/22"))  // April to December 2021
        #expect(try !shares("2020/21", "2021/22"))
        #expect(try shares("2019/20 - 21/22", "2020/21"))
        #expect(try !shares("2022 Q1", "2022 Q2"))
        #expect(try shares("2022 Q2", "2022"))
    }

    @Test func orderEqualityAndMidpoint() throws {
        let texts = ["2018/19", "2017", "2015 - 17", "2016 - 18", "2018"]
        let sorted = try texts.map { try ReportingPeriod($0) }.sorted().map(\.text)
        #expect(sorted == ["2015 - 17", "2016 - 18", "2017", "2018", "2018/19"])
        #expect(try ReportingPeriod("2020-22") == ReportingPeriod("2020 - 22"))
        #expect(try ReportingPeriod("2020-22").hashValue == ReportingPeriod("2020 - 22").hashValue)
        #expect(try ReportingPeriod("2021").midpoint == 2021.5)
        #expect(try ReportingPeriod("2020 - 22").midpoint == 2021.5)
        #expect(ReportingPeriod(kind: .calendar, firstYear: 2015, lastYear: 2017).text == "2015 - 17")
        #expect(ReportingPeriod(kind: .financial, firstYear: 2018).text == "2018/19")
    }

    @Test(arguments: [
        ("", "it is empty"),
        ("21", "a period starts with a four-digit year"),
        ("2021/23", "a split year ends in the next year (2021/22)"),
        ("2021 - 21", "the last year must come after the first"),
        ("2021 - 2019", "the last year must come after the first"),
        ("2021 - 20", "the last year must come after the first"),
        ("2019/20 - 22", "the last year must be a split year too (21/22)"),
        ("2019 - 21/22", "the last year must be a plain year (22)"),
        ("2022 Q5", "a quarter is written Q1 to Q4"),
        ("2021 onwards", "unexpected \"o\" after the first year"),
        ("2020 - 22 x", "unexpected text after the last year"),
        ("Jan 2021", "a year is missing"),
        ("0021", "21 is not a plausible year"),
        ("20211", "a year has 2 or 4 digits"),
    ])
    func unparseableTextsSayWhy(text: String, reason: String) {
        #expect(throws: ReportingPeriodError(text: text, reason: reason)) { try ReportingPeriod(text) }
    }

    @Test func errorSentenceNamesTheTextAndTheAcceptedForms() {
        let error = ReportingPeriodError(text: "2021/23", reason: "a split year ends in the next year (2021/22)")
        #expect(
            error.description
                == "\"2021/23\" is not a reporting period: a split year ends in the next year (2021/22); "
                + "write it as 2021, 2020 - 22, 2021/22, 2019/20 - 21/22 or 2022 Q1")
    }
}

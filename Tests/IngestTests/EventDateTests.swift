import Testing

@testable import Ingest

@Suite struct EventDateTests {
    func date(_ y: Int, _ m: Int, _ d: Int) -> CalendarDate { CalendarDate(year: y, month: m, day: d)! }

    @Test func readsThePublishedFormats() throws {
        #expect(try DateFormat("%d/%m/%Y").parse("31/03/2024") == date(2024, 3, 31))
        #expect(try DateFormat("%d/%m/%Y").parse("1/4/2023") == date(2023, 4, 1))
        #expect(try DateFormat("%Y-%m-%d").parse("2023-04-01") == date(2023, 4, 1))
        #expect(try DateFormat("%d-%b-%Y").parse("01-Apr-2023") == date(2023, 4, 1))
        #expect(try DateFormat("%d-%b-%Y").parse("01-APR-2023") == date(2023, 4, 1))
        #expect(try DateFormat("%d %B %Y").parse("29 February 2024") == date(2024, 2, 29))
        #expect(try DateFormat("%d/%m/%Y %H:%M:%S").parse("05/11/2022 00:00:00") == date(2022, 11, 5))
        #expect(try DateFormat("%Y%m%d").parse("20230401") == date(2023, 4, 1))
        #expect(try DateFormat("%d/%m/%y").parse("05/11/22") == date(2022, 11, 5))
    }

    @Test func mapsToCalendarAndFinancialYears() {
        #expect(date(2024, 3, 31).year(.financial) == 2023)
        #expect(date(2024, 4, 1).year(.financial) == 2024)
        #expect(date(2024, 1, 1).year(.calendar) == 2024 && date(2024, 1, 1).year(.financial) == 2023)
        #expect(YearBasis.financial.label(2023) == "2023/24" && YearBasis.financial.label(2009) == "2009/10")
        #expect(YearBasis.financial.label(1999) == "1999/00" && YearBasis.calendar.label(2023) == "2023")
    }

    @Test(arguments: [
        ("31/04/2023", SetAsideReason.badDate), ("29/02/2023", .badDate), ("2023-04-01", .badDate),
        ("01/04/23", .badDate), ("01/04/2023 10:00", .badDate), ("1/13/2023", .badDate), ("", .missingDate),
        ("  ", .missingDate), ("00/04/2023", .badDate),
    ])
    func badDatesAreSetAsideWithTheirReason(text: String, reason: SetAsideReason) throws {
        let format = try DateFormat("%d/%m/%Y")
        do {
            _ = try format.parse(text)
            Issue.record("\(text) was accepted")
        } catch {
            #expect(error.reason == reason)
            if reason == .badDate { #expect(error.description.contains("%d/%m/%Y")) }
        }
    }

    @Test(arguments: ["%d/%m", "%d/%m/%Y/%Y", "%d/%q/%Y", "%d/%m/%Y%"])
    func badPatternsAreTypedErrors(pattern: String) {
        #expect(throws: DateFormatError.self) { try DateFormat(pattern) }
    }

    @Test func manyDatesParseWithoutAFormatterPerRow() throws {
        let format = try DateFormat("%d/%m/%Y")
        let bytes = Array("17/09/2021".utf8)
        var sum = 0
        bytes.withUnsafeBufferPointer { buffer in
            for _ in 0..<200_000 { sum &+= format.parse(utf8: buffer)?.day ?? 0 }
        }
        #expect(sum == 3_400_000)
    }
}

import Testing

@testable import Ingest

@Suite struct SetAsideReasonTests {
    @Test func aRowWithSeveralProblemsHasExactlyOneReason() {
        #expect(SetAsideReason.first(of: [.badSex, .noFixedAbode, .badDate]) == .noFixedAbode)
        #expect(SetAsideReason.first(of: [.missingAge, .indeterminateSex]) == .indeterminateSex)
        #expect(SetAsideReason.first(of: []) == nil)
        // The order is the declaration order, area first.
        #expect(SetAsideReason.allCases.sorted() == SetAsideReason.allCases)
        #expect(SetAsideReason.allCases.first == .noFixedAbode)
    }

    @Test func everyReasonHasWordsAndAStableName() {
        let names = SetAsideReason.allCases.map(\.rawValue)
        #expect(Set(names).count == names.count)
        for reason in SetAsideReason.allCases {
            #expect(!reason.description.isEmpty && !reason.description.contains("_"))
            #expect(reason.rawValue.allSatisfy { $0.isLowercase || $0 == "_" })
        }
    }

    @Test func tallyCountsMergesAndSummarises() {
        var a = SetAsideTally()
        a.add(.noFixedAbode)
        a.add(.outsideEngland, rows: 3)
        var b = SetAsideTally()
        b.add(.noFixedAbode)
        a.merge(b)
        #expect(a[.noFixedAbode] == 2 && a[.outsideEngland] == 3 && a.total == 5)
        #expect(
            a.summary == [
                "2 rows: no fixed abode or uncoded address (blank or ZZ… LSOA)",
                "3 rows: resident outside England (a Welsh, Scottish or Northern Irish area code)",
            ])
    }

    @Test func theParsersErrorsCarryTheirReason() {
        #expect((try? SexCode.parse("9")) == nil)
        do { _ = try SexCode.parse("9") } catch { #expect(error.reason == .indeterminateSex) }
        do { _ = try ONSAgeLabel.band("") } catch { #expect(error.reason == .missingAge) }
    }
}

import Foundation
import Indicators
import Testing

@testable import Ingest

@Suite struct ONSAgeLabelTests {
    static let lifeTable = BandScheme.le.bands!
    static let esp2013 = BandScheme.esp2013.bands!

    @Test(arguments: [
        ("<1", AgeBand(start: 0, end: 0)), ("Under 1", AgeBand(start: 0, end: 0)), ("under 1 year", AgeBand(start: 0, end: 0)),
        ("0", AgeBand(start: 0, end: 0)), ("00-04", AgeBand(start: 0, end: 4)), ("01-04", AgeBand(start: 1, end: 4)),
        ("1-4", AgeBand(start: 1, end: 4)), ("5-9", AgeBand(start: 5, end: 9)), ("05-09", AgeBand(start: 5, end: 9)),
        ("85+", AgeBand(start: 85, end: nil)), ("90+", AgeBand(start: 90, end: nil)),
        ("85 and over", AgeBand(start: 85, end: nil)), ("Aged 90 and over", AgeBand(start: 90, end: nil)),
        ("Aged 5 to 9 years", AgeBand(start: 5, end: 9)), ("Under 5", AgeBand(start: 0, end: 4)),
        ("45", AgeBand(start: 45, end: 45)), ("90", AgeBand(start: 90, end: 90)), ("90 +", AgeBand(start: 90, end: nil)),
        ("85 plus", AgeBand(start: 85, end: nil)),
    ])
    func readsONSAndNHSLabels(label: String, expected: AgeBand) throws {
        #expect(try ONSAgeLabel.band(label) == expected, "\(label)")
    }

    @Test func singleYearsFrom0To90PlusAreTheirOwnBands() throws {
        for age in 0..<90 { #expect(try ONSAgeLabel.band(String(age)) == AgeBand(start: age, end: age)) }
        #expect(ONSAgeLabel.band(forAge: 101) == AgeBand(start: 101, end: 101))
        #expect(ONSAgeLabel.band(forAge: -1) == nil)
    }

    @Test(arguments: [
        ("", SetAsideReason.missingAge), ("All ages", .badAge), ("old", .badAge), ("9-5", .badAge), ("-3", .badAge),
    ])
    func badLabelsAreTypedErrors(label: String, reason: SetAsideReason) {
        do {
            _ = try ONSAgeLabel.band(label)
            Issue.record("\(label) was accepted")
        } catch {
            #expect(error.reason == reason && error.field == "age")
        }
        #expect(ONSAgeLabel.isTotal("All ages") && !ONSAgeLabel.isTotal("85+"))
    }

    /// The ONS deaths bands: <1, 01-04, 05-09, …, 80-84, then a closing band.
    static func onsBands(closing: [String]) throws -> [AgeBand] {
        let labels = ["<1", "01-04"] + stride(from: 5, to: 85, by: 5).map { String(format: "%02d-%02d", $0, $0 + 4) } + closing
        return try labels.map { try ONSAgeLabel.band($0) }
    }

    @Test func an85PlusClosingBandServesAnUnder75RateButNotALifeTable() throws {
        let input = try Self.onsBands(closing: ["85+"])
        let under75 = Self.esp2013.filter { ($0.end ?? 999) <= 74 }
        let mapping = try AgeCoverage.map(input: input, onto: under75)
        #expect(mapping[0] == 0 && mapping[1] == 0)  // <1 and 01-04 sum into 0-4
        #expect(mapping[input.firstIndex(of: AgeBand(start: 70, end: 74))!] == 14)
        #expect(mapping[input.firstIndex(of: AgeBand(start: 85, end: nil))!] == nil)  // not needed
        #expect(AgeCoverage.serves(input: input, target: under75))

        do {
            _ = try AgeCoverage.map(input: input, onto: Self.lifeTable)
            Issue.record("85+ served a life table")
        } catch {
            #expect(error.input == AgeBand(start: 85, end: nil))
            #expect(error.message.contains("85+") && error.message.contains("85-89 and 90+"))
        }
    }

    @Test func a90PlusClosingBandServesALifeTableAndESP2013() throws {
        let input = try Self.onsBands(closing: ["85-89", "90+"])
        let mapping = try AgeCoverage.map(input: input, onto: Self.lifeTable)
        #expect(mapping == (0..<20).map { Optional($0) })
        #expect(AgeCoverage.serves(input: input, target: Self.esp2013))
        let singleYears = (0...90).map { AgeBand(start: $0, end: $0 == 90 ? nil : $0) }
        #expect(AgeCoverage.serves(input: singleYears, target: Self.lifeTable))
    }

    @Test func gapsStraddlesAndOverlapsAreRefusedWithTheBand() {
        // A missing 01-04: ages 1-4 of the life-table band 1-4 are a gap.
        var input = (try? Self.onsBands(closing: ["85-89", "90+"])) ?? []
        input.remove(at: 1)
        #expect(throws: AgeCoverageError.self) { try AgeCoverage.map(input: input, onto: Self.lifeTable) }
        do {
            _ = try AgeCoverage.map(input: input, onto: Self.lifeTable)
        } catch {
            #expect(error.target == AgeBand(start: 1, end: 4) && error.message.contains("ages 1-4"))
        }
        // 00-04 cannot feed 0 and 1-4 apart.
        let coarse = [AgeBand(start: 0, end: 4), AgeBand(start: 5, end: nil)]
        #expect(!AgeCoverage.serves(input: coarse, target: Self.lifeTable))
        // A totals row overlapping the bands.
        let withTotal = [AgeBand(start: 0, end: nil), AgeBand(start: 0, end: 4)]
        #expect(!AgeCoverage.serves(input: withTotal, target: Self.esp2013))
        // A band crossing the edge of an age range: 70-79 for an under-75 rate.
        let under75 = Self.esp2013.filter { ($0.end ?? 999) <= 74 }
        let crossing = (0..<14).map { AgeBand(start: $0 * 5, end: $0 * 5 + 4) } + [AgeBand(start: 70, end: 79)]
        #expect(!AgeCoverage.serves(input: crossing, target: under75))
    }
}

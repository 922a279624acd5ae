import Foundation
import Testing
import _TestSupport

@testable import Ingest

@Suite struct CauseGroupsTests {
    static let segment: CauseGroups = try! CauseGroups.load(
        path: Fixtures.projectRoot.appendingPathComponent("Data/causes/segment-groups.csv").path)

    @Test func theSegmentToolTableLoads() throws {
        let groups = Self.segment
        #expect(
            groups.groups == [
                "under_28_days", "circulatory", "cancer", "respiratory", "digestive", "external", "mental_behavioural",
                "covid19", "other",
            ])
        #expect(groups.restGroup == groups.index(of: "other") && groups.under28DaysGroup == 0)
    }

    func group(_ code: String, ageInDays: Int? = nil) throws -> String {
        let g = Self.segment
        return g.groups[try g.classify(code, ageInDays: ageInDays).group]
    }

    @Test(arguments: [
        ("I21.9", "circulatory"), ("I219", "circulatory"), ("i21.9", "circulatory"), (" I21 .9 ", "circulatory"),
        ("I00", "circulatory"), ("I99.9", "circulatory"), ("C34", "cancer"), ("C34X", "cancer"), ("C34-", "cancer"),
        ("c349", "cancer"), ("C97", "cancer"), ("D00", "other"), ("J44.1", "respiratory"), ("K70.3", "digestive"),
        ("K94", "other"), ("X70", "external"), ("V89.2", "external"), ("Y99", "external"), ("U50.9", "external"),
        ("U509", "external"), ("U50.0", "other"), ("F03", "mental_behavioural"), ("G30.9", "mental_behavioural"),
        ("G31", "other"), ("U07.1", "covid19"), ("U072", "covid19"), ("U07.0", "other"), ("U07", "other"),
        ("A17.0†", "other"), ("G01*", "other"), ("A17.0+", "other"), ("R99", "other"), ("I21.91", "circulatory"),
    ])
    func classifiesAsWritten(code: String, expected: String) throws {
        #expect(try group(code) == expected, "\(code)")
    }

    @Test func deathsUnder28DaysGoByAgeWhateverTheCode() throws {
        #expect(try group("P07.3", ageInDays: 3) == "under_28_days")
        #expect(try group("I21.9", ageInDays: 27) == "under_28_days")
        #expect(try group("I21.9", ageInDays: 28) == "circulatory")
        #expect(try group("P07.3") == "other")
    }

    @Test func blankAndUnlistedCodesAreOtherAndCounted() throws {
        let g = Self.segment
        var tally = CauseGroups.Tally(g)
        for code in ["", "  ", "R99", "I21.9", "U07.1"] {
            let (group, reading) = try g.classify(code)
            tally.add(group: group, reading: reading)
        }
        #expect(tally.blank == 2 && tally.unlisted == 1)
        #expect(tally.counts[g.restGroup] == 3 && tally.counts[g.index(of: "covid19")!] == 1)
    }

    @Test(arguments: ["I2", "21.9", "II21", "I21.9.1", "I21.A", "I21.9X", "hello", "I-21", ".", "I219999"])
    func malformedCodesAreTypedErrors(code: String) {
        #expect(throws: RecordFieldError.self) { try Self.segment.classify(code) }
        do {
            _ = try Self.segment.classify(code)
        } catch {
            #expect(error.reason == .badCause && error.description.contains(code))
        }
    }

    @Test func fourCharacterRangesRefineThreeCharacterOnes() throws {
        let rows = [
            CauseGroups.Row(group: "chapter_u", label: "U", rule: "codes", codes: "U00-U99"),
            CauseGroups.Row(group: "covid", label: "COVID", rule: "codes", codes: "U07.1-U07.2"),
            CauseGroups.Row(group: "other", label: "Other", rule: "rest", codes: ""),
        ]
        let g = try CauseGroups(rows: rows)
        #expect(g.groups[try g.classify("U07.1").group] == "covid")
        #expect(g.groups[try g.classify("U07.3").group] == "chapter_u")
        #expect(g.groups[try g.classify("U07").group] == "chapter_u")
        #expect(g.groups[try g.classify("A00").group] == "other")
    }

    @Test func codesTheRestGroupListsAreListed() throws {
        let g = try CauseGroups(rows: [
            .init(group: "circulatory", label: "Circulatory", rule: "codes", codes: "I00-I99"),
            .init(group: "other", label: "Other", rule: "rest", codes: ""),
            .init(group: "other", label: "Other", rule: "codes", codes: "R00-R99"),
        ])
        #expect(try g.classify("R99") == (1, .listed))
        #expect(try g.classify("A00") == (1, .unlisted))
        #expect(try g.classify("I10") == (0, .listed))
    }

    @Test func aBadTableNamesItsLine() {
        func error(_ rows: [CauseGroups.Row]) -> CauseGroupsError? {
            do {
                _ = try CauseGroups(rows: rows, source: "mine.csv")
                return nil
            } catch { return error }
        }
        let rest = CauseGroups.Row(group: "other", label: "Other", rule: "rest", codes: "")
        let overlap = error([
            .init(group: "a", label: "A", rule: "codes", codes: "I00-I50"),
            .init(group: "b", label: "B", rule: "codes", codes: "I40-I99"), rest,
        ])
        #expect(overlap?.line == 3 && overlap?.description.contains("I40") == true)
        #expect(overlap?.description.hasPrefix("mine.csv:3:") == true)
        #expect(error([.init(group: "a", label: "A", rule: "codes", codes: "I99-I00"), rest])?.line == 2)
        #expect(error([.init(group: "a", label: "A", rule: "codes", codes: "heart"), rest])?.line == 2)
        #expect(error([.init(group: "a", label: "A", rule: "chapter", codes: "I00"), rest])?.line == 2)
        #expect(error([.init(group: "a", label: "A", rule: "codes", codes: "I00")])?.line == nil)
        #expect(error([rest, .init(group: "z", label: "Z", rule: "rest", codes: "")])?.line == 3)
    }

    @Test func everyCellHasAGroup() throws {
        // Every letter × two digits × fourth character classifies, and the groups cover ICD-10 exactly once.
        let g = Self.segment
        var seen = Set<Int>()
        for letter in UInt8(ascii: "A")...UInt8(ascii: "Z") {
            for n in 0..<100 {
                for d in [nil] + (0...9).map(Optional.some) {
                    let code = "\(Character(Unicode.Scalar(letter)))\(n < 10 ? "0" : "")\(n)" + (d.map { ".\($0)" } ?? "")
                    seen.insert(try g.classify(code).group)
                }
            }
        }
        #expect(seen == Set(1..<g.groups.count))  // every group but the age group is reachable by code
    }
}

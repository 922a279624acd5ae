import Foundation
import Testing
import _TestSupport

@testable import Indicators

/// Rows of a file in `../shared/reference/methods/` (empty when it cannot be read; the suite
/// checks the counts, so a missing file fails).
private func methodsRows(_ file: String) -> [FixtureRow] {
    let url = Fixtures.shared.appendingPathComponent("reference/methods").appendingPathComponent(file)
    guard let table = try? Fixtures.table(url) else { return [] }
    return table.enumerated().map { FixtureRow(file: file, line: $0.offset + 2, fields: $0.element) }
}

@Suite struct HealthEquityMeasuresTests {
    static let orderedInput = methodsRows("heat_ordered_input.csv")
    static let orderedExpected = methodsRows("heat_ordered_expected.csv")
    static let unorderedInput = methodsRows("heat_unordered_input.csv")
    static let unorderedExpected = methodsRows("heat_unordered_expected.csv")

    static var orderedGroups: [HealthEquityGroup] {
        orderedInput.map { row in
            HealthEquityGroup(
                name: "order \(row["order"])", population: row.number("population") ?? .nan,
                value: row.number("value") ?? .nan, order: Int(row["order"]))
        }
    }

    static var unorderedGroups: [HealthEquityGroup] {
        unorderedInput.map { row in
            HealthEquityGroup(
                name: row["group"], population: row.number("population") ?? .nan, value: row.number("value") ?? .nan,
                standardError: row.number("se"))
        }
    }

    @Test func fixturesAreComplete() {
        #expect(Self.orderedInput.count == 5)
        #expect(Self.orderedExpected.count == 4)
        #expect(Self.unorderedInput.count == 25)
        #expect(Self.unorderedExpected.count == 6)
    }

    /// heat_ordered: RCI, ACI, PAR, PAF (favourable, scale 100) and their HEAT SEs, to 1e-9 relative
    /// (the file has no tolerance column; METHODS.md §14's README asks 1e-9 for unprinted digits).
    @Test(arguments: orderedExpected)
    func orderedMeasuresMatchTheReference(row: FixtureRow) throws {
        let measure = try #require(HealthEquityMeasure(rawValue: row["measure"]), "\(row)")
        let result = try #require(
            try HealthEquityMeasures.compute([measure], groups: Self.orderedGroups, direction: .favourable, scale: 100).first)
        expectClose(result.value, row.number("value"), relative: 1e-9, "value, \(row)")
        let heatSE = result.standardError.map { $0 / measure.reportedScale }
        expectClose(heatSE, row.number("se_unscaled"), relative: 1e-9, "se, \(row)")
        // Limits are on the value's scale: value ± z·SE.
        let se = try #require(result.standardError)
        expectClose(result.limits[0].lower, result.value - ConfidenceLevel.ninetyFive.z * se, relative: 1e-12, "\(row)")
        expectClose(result.limits[1].upper, result.value + ConfidenceLevel(99.8)!.z * se, relative: 1e-12, "\(row)")
    }

    /// heat_unordered: BGV, BGSD, TI, MLD, MDMW, IDISW and the analytic SEs, to the file's tolerance column.
    @Test(arguments: unorderedExpected)
    func unorderedMeasuresMatchTheReference(row: FixtureRow) throws {
        let name = row["measure"].replacingOccurrences(of: "_x1000", with: "")
        let measure = try #require(HealthEquityMeasure(rawValue: name), "\(row)")
        #expect(measure.outputName == row["measure"])
        let tolerance = try #require(row.number("tolerance"), "\(row)")
        let result = try #require(
            try HealthEquityMeasures.compute([measure], groups: Self.unorderedGroups, direction: .favourable).first)
        expectClose(result.value, row.number("value"), relative: tolerance, "value, \(row)")
        let heatSE = result.standardError.map { $0 / measure.reportedScale }
        expectClose(heatSE, row.number("se_unscaled"), relative: tolerance, "se, \(row)")
        #expect((result.standardError == nil) == (result.note != nil), "\(row)")
    }

    /// The order of the input rows does not matter: groups are ranked by `order`.
    @Test func groupsAreRankedByTheirOrder() throws {
        let shuffled = Array(Self.orderedGroups.reversed())
        let a = try HealthEquityMeasures.compute([.rci, .par], groups: Self.orderedGroups, direction: .favourable, scale: 100)
        let b = try HealthEquityMeasures.compute([.rci, .par], groups: shuffled, direction: .favourable, scale: 100)
        #expect(a == b)
    }

    @Test func parFollowsTheIndicatorsDirection() throws {
        // Adverse and ordered: the most advantaged group (order 5, value 60) is worse than μ
        // would allow for, so PAR is 0.
        let adverse = try HealthEquityMeasures.compute(
            [.par, .paf], groups: Self.orderedGroups, direction: .adverse, scale: 100)
        #expect(adverse.map(\.value) == [0, 0])
        // Unordered: the best group is the highest (favourable) or lowest (adverse) value.
        let groups = Self.unorderedGroups
        let mean = groups.reduce(0) { $0 + $1.population * $1.value } / groups.reduce(0) { $0 + $1.population }
        let favourable = try HealthEquityMeasures.compute([.par], groups: groups, direction: .favourable)
        expectClose(favourable[0].value, 84 - mean, relative: 1e-12)
        #expect(favourable[0].standardError == nil, "no scale, no SE")
        #expect(favourable[0].note != nil)
        let adverseUnordered = try HealthEquityMeasures.compute([.par], groups: groups, direction: .adverse, scale: 100)
        expectClose(adverseUnordered[0].value, 55 - mean, relative: 1e-12)
        // Two groups tied for the best value: the SE uses the larger one's population, as HEAT does.
        var tied = groups
        tied[0].value = 84
        tied[0].population = 2000
        let tiedMean = tied.reduce(0) { $0 + $1.population * $1.value } / tied.reduce(0) { $0 + $1.population }
        let withTie = try HealthEquityMeasures.compute([.paf], groups: tied, direction: .favourable, scale: 100)
        expectClose(withTie[0].value, 100 * (84 - tiedMean) / tiedMean, relative: 1e-12)
        let groupsPopulation = tied.reduce(0) { $0 + $1.population }
        let c = 0.84 * 2000, d = 2000 - c, a = tiedMean / 100 * groupsPopulation - c, b = groupsPopulation - a - 2000
        let walter = (c * groupsPopulation * (a * d * (groupsPopulation - c) + b * c * c) / (pow(a + c, 3) * pow(c + d, 3)))
            .squareRoot()
        expectClose(withTie[0].standardError, 100 * walter, relative: 1e-12)
    }

    @Test func measuresAreNamedAndChosenAsHEATDoes() {
        #expect(HealthEquityMeasure(name: "TI_x1000") == .ti)
        #expect(HealthEquityMeasure(name: "paf") == .paf)
        #expect(HealthEquityMeasure(name: "sii") == nil)
        #expect(HealthEquityMeasure.applicable(ordered: true).count == 10)
        #expect(HealthEquityMeasure.applicable(ordered: false) == [.par, .paf, .bgv, .bgsd, .ti, .mld, .mdmw, .idisw])
    }

    // MARK: - Refusals

    @Test(arguments: [HealthEquityMeasure.rci, .aci])
    func concentrationIndicesNeedAnOrderedDimension(measure: HealthEquityMeasure) {
        #expect(throws: HealthEquityError.self) {
            try HealthEquityMeasures.compute([measure], groups: Self.unorderedGroups, direction: .favourable)
        }
        do {
            _ = try HealthEquityMeasures.compute([measure], groups: Self.unorderedGroups, direction: .favourable)
        } catch {
            #expect(error.measure == measure)
            #expect(error.description.hasPrefix("\(measure.rawValue): needs an ordered dimension"))
        }
    }

    @Test func ordersMustBeCompleteDistinctAndConsecutive() {
        var groups = Self.orderedGroups
        groups[2].order = nil
        #expect(throws: HealthEquityError.self) {
            try HealthEquityMeasures.compute([.rci], groups: groups, direction: .favourable)
        }
        groups = Self.orderedGroups
        groups[2].order = 2
        #expect(throws: HealthEquityError.self) {
            try HealthEquityMeasures.compute([.rci], groups: groups, direction: .favourable)
        }
        groups = Self.orderedGroups
        groups[4].order = 7
        #expect(throws: HealthEquityError.self) {
            try HealthEquityMeasures.compute([.rci], groups: groups, direction: .favourable)
        }
    }

    @Test func inputsAreValidated() {
        #expect(throws: HealthEquityError.self) {
            try HealthEquityMeasures.compute([.bgv], groups: Array(Self.unorderedGroups.prefix(2)), direction: .favourable)
        }
        var groups = Self.unorderedGroups
        groups[3].population = -1
        #expect(
            throws: HealthEquityError("population must be zero or more", group: "g04", value: "-1")
        ) {
            try HealthEquityMeasures.compute([.bgv], groups: groups, direction: .favourable)
        }
        groups = Self.unorderedGroups
        groups[0].value = -5
        #expect(throws: HealthEquityError.self) {
            try HealthEquityMeasures.compute([.ti], groups: groups, direction: .favourable)
        }
        groups = Self.unorderedGroups.map {
            var g = $0; g.value = 0; return g
        }
        #expect(throws: HealthEquityError.self) {
            try HealthEquityMeasures.compute([.paf], groups: groups, direction: .favourable)
        }
        #expect(throws: HealthEquityError.self) {
            try HealthEquityMeasures.compute([.par], groups: Self.unorderedGroups, direction: .favourable, scale: 0)
        }
        // A missing SE gives the value without limits, with a note.
        groups = Self.unorderedGroups
        groups[0].standardError = nil
        let bgv = try? HealthEquityMeasures.compute([.bgv], groups: groups, direction: .favourable)
        #expect(bgv?.first?.standardError == nil)
        #expect(bgv?.first?.limits == [.missing, .missing])
        #expect(bgv?.first?.note != nil)
    }
}

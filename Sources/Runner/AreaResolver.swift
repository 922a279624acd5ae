import Areas
import Results

/// The one lookup of an area by its code, for plans (geographies, ISR references) and the runner.
struct AreaResolver {
    /// England's code and name.
    static let england = (code: "E92000001", name: "England")
    let geography: Geography

    /// The area a code names: England (`E92000001` or `england`), a region, an ICB, a Place or a local
    /// authority; nil for anything else.
    func area(code: String) -> PlanArea? {
        if code == Self.england.code || code.lowercased() == "england" {
            return PlanArea(
                type: .england, code: Self.england.code, name: Self.england.name,
                authorities: Array(geography.localAuthorities.indices))
        }
        if let r = geography.regions.firstIndex(where: { $0.code == code }) {
            return PlanArea(
                type: .region, code: code, name: geography.regions[r].name,
                authorities: geography.localAuthorities.indices.filter { geography.localAuthorities[$0].region == r })
        }
        if let i = geography.icbs.firstIndex(where: { $0.code == code }) {
            return PlanArea(
                type: .icb, code: code, name: geography.icbs[i].name,
                authorities: geography.localAuthorities.indices.filter { geography.localAuthorities[$0].icb == i })
        }
        if let p = geography.places.firstIndex(where: { $0.code == code }), let la = geography.authorityIndex(code: code) {
            return PlanArea(type: .place, code: code, name: geography.places[p].name, authorities: [la])
        }
        if let la = geography.authorityIndex(code: code) {
            return PlanArea(type: .la, code: code, name: geography.localAuthorities[la].name, authorities: [la])
        }
        return nil
    }
}

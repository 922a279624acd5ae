import Areas
import CSVStream
import Foundation
import Indicators
import Ingest
import Results

/// The plan's areas and each area's benchmarks, resolved against the lookups.
extension PlanResolver {
    // MARK: Benchmarks

    /// Each area's benchmarks in plan order, appending benchmark areas the geographies lack to `areas`.
    ///
    /// England has no region or ICB, a region no ICB, and an area is never its own benchmark; an
    /// area whose local authorities lie in several regions (or ICBs), or in none the lookups know,
    /// has no benchmark of that kind.
    func benchmarksOfAreas(_ areas: inout [PlanArea]) -> [[AreaBenchmark]] {
        guard !plan.benchmarks.isEmpty, plan.indicators.contains(where: { $0.polarity != nil }) else { return [] }
        let resolver = AreaResolver(geography: geography)
        var out: [[AreaBenchmark]] = []
        // A benchmark area added here has benchmarks of its own (an ICB its region, a region England),
        // so the loop runs on over what it appends; it ends, since each step goes to a wider area.
        var a = 0
        while a < areas.count {
            let area = areas[a]
            a += 1
            var list: [AreaBenchmark] = []
            for spec in plan.benchmarks {
                let code: String?
                switch spec.kind {
                case .england:
                    code = Self.england.code
                case .region:
                    let regions = Set(area.authorities.map { geography.localAuthorities[$0].region })
                    code =
                        area.type == .england || regions.count != 1
                        ? nil : regions.first.flatMap { $0 }.map { geography.regions[$0].code }
                case .icb:
                    let icbs = Set(area.authorities.map { geography.localAuthorities[$0].icb })
                    code =
                        [.england, .region].contains(area.type) || icbs.count != 1
                        ? nil : icbs.first.flatMap { $0 }.map { geography.icbs[$0].code }
                }
                guard let code, let benchmark = resolver.area(code: code), benchmark.code != area.code else { continue }
                let index: Int
                if let found = areas.firstIndex(where: { $0.code == benchmark.code && $0.type == benchmark.type }) {
                    index = found
                } else {
                    areas.append(benchmark)
                    index = areas.count - 1
                }
                list.append(AreaBenchmark(kind: spec.kind, area: index))
            }
            out.append(list)
        }
        return out
    }

    /// The index of the pass over `input` summing `numerator` and `denominator`, added if new.
    ///
    /// Its bands are the finest any method reading these two columns needs: life-table bands (with
    /// 85-89 and 90+) when a life expectancy reads them, as its deaths and population or as a
    /// healthy life expectancy's healthy and surveyed; else ESP2013 bands.
    func source(input: PlanInput, numerator: String, denominator: String, sources: inout [AggregationSource]) -> Int {
        if let found = sources.firstIndex(where: {
            $0.input.name == input.name && $0.numerator == numerator && $0.denominator == denominator
        }) {
            return found
        }
        let lifeTable = plan.indicators.contains { spec in
            let described = MethodDescription.of(spec.method)
            guard described.sourceBands == .le, (spec.input ?? plan.inputs.first?.name) == input.name else { return false }
            let pairs =
                [(spec.numerator, spec.denominator)]
                + (described.prevalenceKeys.count == 2
                    ? [(spec.column(key: described.prevalenceKeys[0].key), spec.column(key: described.prevalenceKeys[1].key))]
                    : [])
            return pairs.contains { $0.0 == numerator && $0.1 == denominator }
        }
        sources.append(
            AggregationSource(input: input, numerator: numerator, denominator: denominator, bands: lifeTable ? .le : .esp2013))
        return sources.count - 1
    }

    // MARK: Areas

    func areaByCode(_ code: String) -> PlanArea? { AreaResolver(geography: geography).area(code: code) }

    /// A gap decomposition's benchmark: the area its `benchmark` names, else the widest of the
    /// plan's areas (England, then a region, the ICB, a combined authority or group, a Place or
    /// local authority; the first listed among equals). Nil, with an issue, when there is none.
    mutating func benchmark(_ spec: IndicatorSpec, areas: [PlanArea]) -> PlanArea? {
        if let code = spec.benchmark {
            if let area = areas.first(where: { $0.code == code }) ?? areaByCode(code) { return area }
            error(
                spec.keyLocations["benchmark"] ?? spec.location,
                "indicator '\(spec.id)': benchmark '\(code)' is not England (E92000001), a region, the ICB (E54000008), a Place or a local authority code"
            )
            return nil
        }
        let order: [AreaType] = [.england, .region, .icb, .combinedAuthority, .group, .place, .la]
        let widest = order.lazy.compactMap { type in areas.first { $0.type == type } }.first
        guard let widest, areas.count > 1 else {
            error(
                spec.keyLocations["compare"] ?? spec.location,
                "indicator '\(spec.id)': area_vs_benchmark needs a benchmark: give benchmark: CODE (e.g. E92000001 for England); without it the plan's widest area is the benchmark, and this plan has \(areas.isEmpty ? "no area" : "only \(areas[0].name)")"
            )
            return nil
        }
        return widest
    }

    mutating func expandAreas() -> [PlanArea] {
        var out: [PlanArea] = []
        func add(_ area: PlanArea) {
            if !out.contains(where: { $0.code == area.code && $0.type == area.type }) { out.append(area) }
        }
        let icbCodes = geography.icbs.map(\.code).joined(separator: ", ")
        for spec in plan.geographies {
            switch spec.kind {
            case .england:
                if let area = areaByCode(Self.england.code) { add(area) }
            case .region, .regions:
                for (code, at) in spec.codes {
                    if spec.kind == .regions && code.lowercased() == "all" {
                        for r in geography.regions { if let area = areaByCode(r.code) { add(area) } }
                    } else if let area = areaByCode(code), area.type == .region {
                        add(area)
                    } else {
                        error(
                            at,
                            "geographies: '\(code)' is not a region code (E12000001 … E12000009)\(spec.kind == .regions ? " or all" : "")"
                        )
                    }
                }
            case .icb:
                for (code, at) in spec.codes {
                    if let area = areaByCode(code), area.type == .icb {
                        add(area)
                    } else {
                        error(at, icbMessage(code, known: icbCodes))
                    }
                }
            case .places:
                for (code, at) in spec.codes {
                    if code.lowercased() == "all" {
                        for p in geography.places { if let area = areaByCode(p.code) { add(area) } }
                    } else if let i = geography.icbs.firstIndex(where: { $0.code == code }) {
                        for la in geography.localAuthorities.indices where geography.localAuthorities[la].icb == i {
                            if let area = areaByCode(geography.localAuthorities[la].code) { add(area) }
                        }
                    } else {
                        error(at, "geographies.places: " + icbMessage(code, known: icbCodes) + "; or all")
                    }
                }
            case .place:
                for (code, at) in spec.codes {
                    if let area = areaByCode(code), area.type == .place {
                        add(area)
                    } else if geography.authorityIndex(code: code) != nil {
                        error(
                            at,
                            "geographies.place: '\(code)' is a local authority outside Cheshire and Merseyside; the project has Place lookups only there (use la: \(code))"
                        )
                    } else {
                        error(
                            at,
                            "geographies.place: '\(code)' is not a Place code (the Places of Cheshire and Merseyside are its nine local authority codes, e.g. E08000012 Liverpool)"
                        )
                    }
                }
            case .la, .las:
                for (code, at) in spec.codes {
                    if spec.kind == .las && code.lowercased() == "all" {
                        for la in geography.localAuthorities.indices {
                            let a = geography.localAuthorities[la]
                            add(PlanArea(type: .la, code: a.code, name: a.name, authorities: [la]))
                        }
                    } else if spec.kind == .las, let r = geography.regions.firstIndex(where: { $0.code == code }) {
                        for la in geography.localAuthorities.indices where geography.localAuthorities[la].region == r {
                            let a = geography.localAuthorities[la]
                            add(PlanArea(type: .la, code: a.code, name: a.name, authorities: [la]))
                        }
                    } else if let la = geography.authorityIndex(code: code) {
                        let a = geography.localAuthorities[la]
                        add(PlanArea(type: .la, code: a.code, name: a.name, authorities: [la]))
                    } else {
                        error(
                            at,
                            "geographies.\(spec.kind.rawValue): '\(code)' is not a local authority code of \(geography.sources.authorities.split(separator: "/").last ?? "the lookup") (e.g. E08000012)\(spec.kind == .las ? ", a region code, or all" : "")"
                        )
                    }
                }
            }
        }
        return out
    }

    func icbMessage(_ code: String, known: String) -> String {
        if code.hasPrefix("E54") {
            return
                "'\(code)' is an ICB code, but the project has an ICB lookup only for Cheshire and Merseyside (\(known)); it cannot tell which LSOAs are in \(code)"
        }
        return "'\(code)' is not an ICB code (the project's ICB lookup covers \(known))"
    }
}

import Areas
import CSVStream
import Foundation
import Indicators
import Ingest
import Results

/// The plan's inputs checked against their headers, and the age bands of each method.
extension PlanResolver {
    // MARK: Inputs

    /// Each input's header (nil where the file cannot be opened: recorded in `unreadable`), checking the key columns.
    mutating func readHeaders() -> [String: CSVHeader?] {
        var out: [String: CSVHeader?] = [:]
        for input in plan.inputs where !input.resolvedPath.isEmpty {
            let header: CSVHeader
            do {
                header = try CSVReader(path: input.resolvedPath, options: .init(chunkSize: 1 << 16)).header
            } catch let error as CSVError {
                if case .cannotOpen(_, let reason) = error {
                    unreadable.append(
                        PlanIssue(
                            file: plan.path, line: input.fileLocation.line, column: input.fileLocation.column,
                            message: "inputs.\(input.name): cannot open \(input.resolvedPath): \(reason)"))
                } else {
                    self.error(input.fileLocation, "inputs.\(input.name): \(error.description)")
                }
                out[input.name] = .some(nil)
                continue
            } catch {
                self.error(input.fileLocation, "inputs.\(input.name): \(error)")
                out[input.name] = .some(nil)
                continue
            }
            out[input.name] = header
            let columns = CountColumns(lsoa: input.lsoa, year: input.year, sex: input.sex, age: input.age)
            for key in [CountColumns.Key.lsoa, .year, .sex, .age] {
                if columns.index(of: key, in: header) == nil {
                    let at = input.columnLocations[key.rawValue] ?? input.fileLocation
                    let what =
                        columns.given(key).map { "column '\($0)'" }
                        ?? "no \(key.rawValue) column given, and default column '\(CountColumns.defaults[key]!.name)'"
                    error(
                        at,
                        "inputs.\(input.name): \(what) is not in \(input.file) (its columns: \(header.names.joined(separator: ", ")))"
                    )
                }
            }
        }
        return out
    }

    // MARK: Bands

    /// Binds an indicator to its source's bands, as its method describes.
    mutating func bind(_ spec: IndicatorSpec, source: Int, bands scheme: BandScheme) -> ResolvedIndicator? {
        do throws(MethodBindingError) {
            let bound = try MethodDescription.of(spec.method).bind(spec, scheme.bands ?? [])
            return ResolvedIndicator(
                spec: spec, source: source, bandMap: bound.bandMap, methodBands: bound.labels, weights: bound.weights)
        } catch {
            self.error(spec.keyLocations["ages"] ?? spec.location, "indicator '\(spec.id)': \(error.message)")
            return nil
        }

    }
}

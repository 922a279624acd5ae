/// Joining a group's rows to a standard population by age band (METHODS.md §0).
extension StandardPopulation {
    /// Joins one group's rows to the standard by band, summing finer bands into the standard band that holds them.
    ///
    /// `columns[c][r]` is column c (counts, populations, …) at input row r, whose band is
    /// `bands[r]`; the result `aligned[c][j]` is column c at standard band j (the order of
    /// `self.bands`), ready for `DirectlyStandardisedRate.compute`.
    ///
    /// Rules, in the order they are checked:
    /// 1. A row whose band lies wholly outside the standard's overall age span is ignored
    ///    (with `restricted(to: 0...74)` this drops the 75+ rows of an under-75 indicator).
    /// 2. A row whose band lies inside one standard band is assigned to it; a band that
    ///    straddles two standard bands, or the edge of the span, or that falls in a gap
    ///    between standard bands, is an error (a band cannot be split without guessing).
    /// 3. Within each standard band (ascending): a repeated band or two overlapping bands
    ///    is an error naming the later one; a standard band with no rows is an error naming
    ///    it ("is missing"); one whose rows leave ages uncovered is an error naming it and
    ///    the uncovered ages.
    /// 4. Values are summed per standard band; nil (or NaN) counts as 0 unless every part
    ///    is nil, in which case the result is nil (so a single missing cell stays missing).
    ///
    /// Example: bands `0`, `1-4`, `5-9`, …, `90+` against ESP2013 give `0-4` = `0` + `1-4`.
    /// - Throws: `IndicatorError` with the band's canonical label; the caller adds the group.
    /// - Complexity: O(r·k + r log r) for r rows and k standard bands, times the columns for
    ///   the sums.
    public func align(bands rowBands: [AgeBand], columns: [[Double?]]) throws(IndicatorError) -> [[Double?]] {
        for column in columns where column.count != rowBands.count {
            throw IndicatorError(
                "every column needs one value per age band (got \(column.count) values for \(rowBands.count) bands)")
        }
        guard let first = bands.first, let last = bands.last else { return columns.map { _ in [] } }
        let span = AgeBand(start: first.start, end: last.end)

        // 1–2: assign each row to the standard band containing it.
        var members = Array(repeating: [Int](), count: bands.count)
        for (r, band) in rowBands.enumerated() {
            guard span.overlaps(band) else { continue }
            if let j = index(containing: band) {
                members[j].append(r)
                continue
            }
            if !span.contains(band) {
                throw IndicatorError(
                    "straddles the edge of standard population \(name)'s age span \(span.label) "
                        + "(a band must lie wholly inside or wholly outside it)", band: band.label)
            }
            let touched = bands.filter { $0.overlaps(band) }.map(\.label)
            if touched.count >= 2 {
                throw IndicatorError(
                    "straddles standard bands \(touched.joined(separator: " and ")) of \(name) "
                        + "(it cannot be split between them)", band: band.label)
            }
            throw IndicatorError("is not within any band of standard population \(name)", band: band.label)
        }

        // 3: within each standard band, no repeats or overlaps, and full coverage.
        for j in bands.indices {
            let standardBand = bands[j]
            let rows = members[j].sorted { rowBands[$0] < rowBands[$1] }
            guard !rows.isEmpty else {
                throw IndicatorError(
                    "is missing (every band of standard population \(name) is needed)", band: standardBand.label)
            }
            var nextAge: Int? = standardBand.start  // first age not yet covered; nil once open-ended
            var previous: AgeBand?
            for r in rows {
                let band = rowBands[r]
                if let previous, previous.overlaps(band) {
                    throw IndicatorError(
                        previous == band ? "is repeated" : "overlaps band \(previous.label)", band: band.label)
                }
                if let age = nextAge, band.start > age {
                    throw partlyCovered(standardBand, from: age, to: band.start - 1)
                }
                nextAge = band.end.map { $0 + 1 }
                previous = band
            }
            if let age = nextAge {
                if let end = standardBand.end {
                    if age <= end { throw partlyCovered(standardBand, from: age, to: end) }
                } else {
                    throw partlyCovered(standardBand, from: age, to: nil)
                }
            }
        }

        // 4: sum the parts of each standard band.
        return columns.map { column in
            members.map { rows -> Double? in
                var sum = 0.0
                var any = false
                for r in rows {
                    if let v = present(column[r]) {
                        sum += v
                        any = true
                    }
                }
                return any ? sum : nil
            }
        }
    }

    private func partlyCovered(_ standardBand: AgeBand, from: Int, to: Int?) -> IndicatorError {
        let gap = AgeBand(start: from, end: to)
        return IndicatorError(
            "is only partly covered by the group's bands (missing ages: \(gap.label))", band: standardBand.label)
    }
}

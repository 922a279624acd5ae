import Areas
import Indicators
import Synchronization

/// The age bands an aggregation sums into (`--bands`, METHODS.md §0).
public enum BandScheme: String, Sendable, CaseIterable {
    /// The 20 life-table bands: 0, 1-4, 5-9, …, 85-89, 90+.
    case le
    /// The 19 bands of the European Standard Population 2013: 0-4, 5-9, …, 85-89, 90+.
    case esp2013
    /// The input's own bands, kept as they are (labels written in canonical form).
    case input

    /// The method's bands, ascending; nil for `input`.
    public var bands: [AgeBand]? {
        switch self {
        case .le:
            let starts = LifeExpectancy.startAges
            return starts.indices.map { AgeBand(start: starts[$0], end: $0 + 1 < starts.count ? starts[$0 + 1] - 1 : nil) }
        case .esp2013:
            return StandardPopulation.esp2013.bands
        case .input:
            return nil
        }
    }
}

/// Parses an age field from bytes: a single year (`7`), a band (`5-9`, `05-09`) or an open band
/// (`90+`); anything else (`90 +`, `85 and over`, `0 to 4`) goes through `AgeBand.parseLabel`.
///
/// A bare number is one year of age here (not a life-table start age). Returns the band's code
/// (`start << 8 | end`, end 255 for open) or nil when the text is not an age band from 0 to 150.
/// - Complexity: O(n) in the field's length.
@inline(__always)
func ageCode(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    var i = 0
    let n = bytes.count
    var start = 0
    var digits = 0
    while i < n, bytes[i] &- 48 < 10, digits < 4 {
        start = start * 10 + Int(bytes[i] &- 48)
        i += 1
        digits += 1
    }
    if digits > 0 && digits < 4 {
        if i == n { return start <= AgeBandRegistry.maximumAge ? start << 8 | start : nil }
        if bytes[i] == 0x2B && i + 1 == n { return start <= AgeBandRegistry.maximumAge ? start << 8 | 255 : nil }
        if bytes[i] == 0x2D {
            i += 1
            var end = 0
            var endDigits = 0
            while i < n, bytes[i] &- 48 < 10, endDigits < 4 {
                end = end * 10 + Int(bytes[i] &- 48)
                i += 1
                endDigits += 1
            }
            if i == n && endDigits > 0 && endDigits < 4 {
                return start <= end && end <= AgeBandRegistry.maximumAge ? start << 8 | end : nil
            }
        }
    }
    return slowAgeCode(bytes)
}

/// `ageCode` for labels outside the fast grammar.
@inline(never)
private func slowAgeCode(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    switch AgeBand.parseLabel(String(decoding: bytes, as: UTF8.self)) {
    case .startAge(let n)?:
        return n <= AgeBandRegistry.maximumAge ? n << 8 | n : nil
    case .band(let band)?:
        guard band.start <= AgeBandRegistry.maximumAge else { return nil }
        guard let end = band.end else { return band.start << 8 | 255 }
        return end <= AgeBandRegistry.maximumAge ? band.start << 8 | end : nil
    case nil:
        return nil
    }
}

/// The input age bands met so far, numbered in order of first sight, and the method band each one
/// falls in; shared by the threads of one aggregation (new bands are rare, so a lock is cheap).
package final class AgeBandRegistry: Sendable {
    /// The oldest age accepted in an input label.
    package static let maximumAge = 150
    /// The most distinct input bands one file may have.
    static let capacity = 256

    /// What an input band maps to.
    enum Mapping: Sendable, Equatable {
        /// Input band `input` sums into output band `output`.
        case band(input: Int, output: Int)
        /// The band spans more than one method band (named in the message).
        case straddles(String)
        /// More distinct bands than `capacity`.
        case tooMany
    }

    let scheme: BandScheme
    private let methodBands: [AgeBand]
    private struct State {
        var inputBands: [AgeBand] = []
        var byCode: [Int: Mapping] = [:]
    }
    private let state = Mutex(State())

    init(scheme: BandScheme) {
        self.scheme = scheme
        methodBands = scheme.bands ?? []
    }

    /// The band of a code from `ageCode`.
    static func band(code: Int) -> AgeBand {
        let end = code & 255
        return AgeBand(start: code >> 8, end: end == 255 ? nil : end)
    }

    /// The mapping of the band with `code` (registering it on first sight).
    ///
    /// - Complexity: O(1) expected, O(method bands) on first sight.
    func mapping(code: Int) -> Mapping {
        state.withLock { s in
            if let known = s.byCode[code] { return known }
            let band = Self.band(code: code)
            let mapping: Mapping
            if s.inputBands.count >= Self.capacity {
                mapping = .tooMany
            } else if scheme == .input {
                s.inputBands.append(band)
                mapping = .band(input: s.inputBands.count - 1, output: s.inputBands.count - 1)
            } else if let output = methodBands.firstIndex(where: { $0.contains(band) }) {
                s.inputBands.append(band)
                mapping = .band(input: s.inputBands.count - 1, output: output)
            } else {
                let spanned = methodBands.filter { $0.overlaps(band) }.map(\.label)
                let list =
                    spanned.count > 3 ? "\(spanned[0]), …, \(spanned[spanned.count - 1])" : spanned.joined(separator: " and ")
                mapping = .straddles(
                    "an age band inside one \(scheme == .le ? "life-table" : "ESP2013") band (\(Self.summary(methodBands))); it spans \(list)"
                )
            }
            s.byCode[code] = mapping
            return mapping
        }
    }

    /// The output bands in output index order: the method's, or the input bands seen.
    var outputBands: [AgeBand] {
        scheme == .input ? state.withLock { $0.inputBands } : methodBands
    }

    /// `0, 1-4, 5-9, …, 90+`.
    private static func summary(_ bands: [AgeBand]) -> String {
        guard bands.count > 4 else { return bands.map(\.label).joined(separator: ", ") }
        return "\(bands[0].label), \(bands[1].label), \(bands[2].label), …, \(bands[bands.count - 1].label)"
    }
}

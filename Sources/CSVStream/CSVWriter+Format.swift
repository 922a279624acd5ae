extension CSVWriter {
    /// Formats a number for CSV output, locale-free and exactly round-tripping.
    ///
    /// - nil, NaN and ±infinity give `""` (an empty field).
    /// - Integral values with |x| < 10^15 have no decimal point: `895`, `-3`, `0` (also for -0.0).
    /// - Otherwise Swift's shortest round-trip `description` (`1043.0247991469423`), except that
    ///   for 10^-5 ≤ |x| < 10^15, where Swift would use an exponent (below 10^-4), the same
    ///   shortest digits are written out in plain decimal (`0.000015`).
    /// - Outside that range the exponent stays: `1e-07`, `1.5e+20`.
    /// - Complexity: O(1).
    public static func format(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "" }
        let magnitude = x.magnitude
        if magnitude < 1e15 && x.rounded(.towardZero) == x {
            return String(Int64(x))
        }
        let text = x.description
        // Scanned as bytes: walking Characters costs more than the formatting itself.
        guard magnitude >= 1e-5 && magnitude < 1e15,
            let e = text.utf8.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") })
        else {
            return text
        }
        return expandExponent(mantissa: text[..<e], exponent: Int(text[text.utf8.index(after: e)...]) ?? 0)
    }

    /// `d.ddd` × 10^`exponent` written without an exponent, keeping exactly the same digits.
    private static func expandExponent(mantissa: Substring, exponent: Int) -> String {
        var negative = false
        var digits: [Character] = []
        var pointAfter = 0  // digits before the point in `mantissa`
        var seenPoint = false
        for ch in mantissa {
            if ch == "-" {
                negative = true
            } else if ch == "." {
                seenPoint = true
            } else {
                digits.append(ch)
                if !seenPoint { pointAfter += 1 }
            }
        }
        while digits.count > 1 && digits.last == "0" && digits.count > pointAfter { digits.removeLast() }
        let position = pointAfter + exponent  // digits before the point in the result
        var out = negative ? "-" : ""
        if position <= 0 {
            out += "0." + String(repeating: "0", count: -position) + String(digits)
        } else if position >= digits.count {
            out += String(digits) + String(repeating: "0", count: position - digits.count)
        } else {
            out += String(digits[..<position]) + "." + String(digits[position...])
        }
        return out
    }
}

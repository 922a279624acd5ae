// Number parsing for CSV fields, without allocation on the common path.
//
// Grammar (after trimming spaces and tabs): [+-] digits [. digits] [(e|E) [+-] digits], where
// either side of the point may be empty but not both; also `inf`/`infinity` in any case. Inside
// a quoted field the integer part may use thousands separators ("29,199"), checked for a group
// of 1–3 digits then groups of exactly 3, so a decimal comma ("1,5") is rejected, not misread.
//
// Correct rounding: the digits are gathered into a UInt64 mantissa M and a power of ten E.
// When M ≤ 2^53 and |E| ≤ 22, both M and 10^|E| are exact doubles, so one IEEE multiplication
// or division gives the correctly rounded result (Clinger's fast path: W. D. Clinger, "How to
// read floating point numbers accurately", PLDI 1990, https://doi.org/10.1145/93542.93557).
// Anything else (more than 19 significant digits, or a mantissa or exponent out of range) goes
// to the standard library's `Double(_: String)`, which is `strtod` in the C locale and rounds
// correctly; that copy is the only allocation.

private let space: UInt8 = 0x20
private let tab: UInt8 = 0x09
private let comma: UInt8 = 0x2C
private let point: UInt8 = 0x2E
private let minus: UInt8 = 0x2D
private let plus: UInt8 = 0x2B

/// The exact powers of ten 10^0 … 10^22 as doubles.
private let exactPowersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]

/// The bounds of `bytes` with leading and trailing spaces and tabs removed.
@inline(__always)
func trimmedBounds(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
    var i = 0
    var j = bytes.count
    while i < j && (bytes[i] == space || bytes[i] == tab) { i += 1 }
    while j > i && (bytes[j - 1] == space || bytes[j - 1] == tab) { j -= 1 }
    return (i, j)
}

/// Parses a decimal number; nil if `bytes` is not one (including when empty).
///
/// - Parameter grouping: whether thousands separators are allowed (the field was quoted).
/// - Complexity: O(*n*) in the field's length.
func parseDecimal(_ bytes: UnsafeBufferPointer<UInt8>, grouping: Bool) -> Double? {
    // The commonest case first: up to 15 plain digits, exact in a double.
    if bytes.count > 0 && bytes.count <= 15 {
        var value: UInt64 = 0
        var k = 0
        while k < bytes.count {
            let d = bytes[k] &- 0x30
            guard d < 10 else { break }
            value = value &* 10 &+ UInt64(d)
            k += 1
        }
        if k == bytes.count { return Double(value) }
    }
    var (i, j) = trimmedBounds(bytes)
    guard i < j else { return nil }
    let textStart = i
    var negative = false
    if bytes[i] == minus {
        negative = true
        i += 1
    } else if bytes[i] == plus {
        i += 1
    }
    if i < j && bytes[i] | 0x20 == UInt8(ascii: "i") {
        guard matchesInfinity(bytes, i, j) else { return nil }
        return negative ? -Double.infinity : Double.infinity
    }

    var mantissa: UInt64 = 0
    var significant = 0  // digits in `mantissa`, not counting leading zeros
    var exponent = 0
    var digits = 0
    var groupLength = 0
    var grouped = false

    while i < j {
        let d = bytes[i] &- 0x30
        if d < 10 {
            if significant < 19 {
                mantissa = mantissa &* 10 &+ UInt64(d)
                if mantissa != 0 { significant += 1 }
            } else {
                exponent += 1  // digits past the 19th only scale; the slow path sees them all
            }
            digits += 1
            groupLength += 1
            i += 1
        } else if bytes[i] == comma && grouping {
            if grouped ? groupLength != 3 : (groupLength == 0 || groupLength > 3) { return nil }
            grouped = true
            groupLength = 0
            i += 1
        } else {
            break
        }
    }
    if grouped && groupLength != 3 { return nil }

    if i < j && bytes[i] == point {
        i += 1
        while i < j {
            let d = bytes[i] &- 0x30
            guard d < 10 else { break }
            if significant < 19 {
                mantissa = mantissa &* 10 &+ UInt64(d)
                if mantissa != 0 { significant += 1 }
                exponent -= 1
            }
            digits += 1
            i += 1
        }
    }
    guard digits > 0 else { return nil }

    if i < j && bytes[i] | 0x20 == UInt8(ascii: "e") {
        i += 1
        var exponentNegative = false
        if i < j && (bytes[i] == minus || bytes[i] == plus) {
            exponentNegative = bytes[i] == minus
            i += 1
        }
        var value = 0
        var exponentDigits = 0
        while i < j {
            let d = bytes[i] &- 0x30
            guard d < 10 else { break }
            if value < 100_000 { value = value * 10 + Int(d) }  // beyond this, ±infinity or zero anyway
            exponentDigits += 1
            i += 1
        }
        guard exponentDigits > 0 else { return nil }
        exponent += exponentNegative ? -value : value
    }
    guard i == j else { return nil }

    if mantissa == 0 { return negative ? -0.0 : 0.0 }
    // 19 significant digits make `mantissa` ≥ 10^18 > 2^53, so a number with digits beyond what
    // `mantissa` holds never takes the fast path.
    if mantissa <= 1 << 53 && exponent >= -22 && exponent <= 22 {
        var value = Double(mantissa)
        value = exponent < 0 ? value / exactPowersOfTen[-exponent] : value * exactPowersOfTen[exponent]
        return negative ? -value : value
    }
    return parseDecimalSlowly(bytes, from: textStart, to: j)
}

/// The correctly rounded value of validated decimal text, via the standard library (strtod, C locale).
@inline(never)
private func parseDecimalSlowly(_ bytes: UnsafeBufferPointer<UInt8>, from i: Int, to j: Int) -> Double? {
    var text = ""
    text.reserveCapacity(j - i)
    for k in i..<j where bytes[k] != comma {
        text.unicodeScalars.append(Unicode.Scalar(bytes[k]))
    }
    return Double(text)
}

/// Whether `bytes[i..<j]` is `inf` or `infinity`, in any case.
private func matchesInfinity(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int, _ j: Int) -> Bool {
    let word = Array("infinity".utf8)
    let length = j - i
    guard length == 3 || length == 8 else { return false }
    for k in 0..<length where bytes[i + k] | 0x20 != word[k] { return false }
    return true
}

/// Parses an integer, optionally followed by a point and zeros (`12.0`); nil if not one.
///
/// - Parameter grouping: whether thousands separators are allowed (the field was quoted).
/// - Complexity: O(*n*) in the field's length.
func parseInteger(_ bytes: UnsafeBufferPointer<UInt8>, grouping: Bool) -> Int? {
    var (i, j) = trimmedBounds(bytes)
    guard i < j else { return nil }
    var negative = false
    if bytes[i] == minus {
        negative = true
        i += 1
    } else if bytes[i] == plus {
        i += 1
    }
    var magnitude: UInt64 = 0
    var digits = 0
    var groupLength = 0
    var grouped = false
    while i < j {
        let d = bytes[i] &- 0x30
        if d < 10 {
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(d))
            if overflow1 || overflow2 { return nil }
            magnitude = sum
            digits += 1
            groupLength += 1
            i += 1
        } else if bytes[i] == comma && grouping {
            if grouped ? groupLength != 3 : (groupLength == 0 || groupLength > 3) { return nil }
            grouped = true
            groupLength = 0
            i += 1
        } else {
            break
        }
    }
    guard digits > 0, !(grouped && groupLength != 3) else { return nil }
    if i < j && bytes[i] == point {
        i += 1
        while i < j && bytes[i] == UInt8(ascii: "0") { i += 1 }
    }
    guard i == j else { return nil }
    if negative {
        guard magnitude <= UInt64(Int.max) + 1 else { return nil }
        return magnitude == UInt64(Int.max) + 1 ? Int.min : -Int(magnitude)
    }
    guard magnitude <= UInt64(Int.max) else { return nil }
    return Int(magnitude)
}

/// Whether a field is a missing value: empty, or `NA`, `na`, `NaN`, `nan` or `null`
/// (surrounding spaces and tabs ignored).
func isMissingToken(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let (i, j) = trimmedBounds(bytes)
    switch j - i {
    case 0:
        return true
    case 2:
        let (a, b) = (bytes[i], bytes[i + 1])
        return (a == UInt8(ascii: "N") && b == UInt8(ascii: "A")) || (a == UInt8(ascii: "n") && b == UInt8(ascii: "a"))
    case 3:
        let (a, b, c) = (bytes[i], bytes[i + 1], bytes[i + 2])
        return (a == UInt8(ascii: "N") && b == UInt8(ascii: "a") && c == UInt8(ascii: "N"))
            || (a == UInt8(ascii: "n") && b == UInt8(ascii: "a") && c == UInt8(ascii: "n"))
    case 4:
        return bytes[i] == UInt8(ascii: "n") && bytes[i + 1] == UInt8(ascii: "u") && bytes[i + 2] == UInt8(ascii: "l")
            && bytes[i + 3] == UInt8(ascii: "l")
    default:
        return false
    }
}

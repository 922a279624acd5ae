// Pointer plumbing the batched kernels share: they write their outputs, several arrays at a
// time, through raw pointers opened once per call.

/// Calls `body` with a pointer to `array`'s elements, or nil when `array` is nil.
func withOptionalPointer<T, R>(_ array: [T]?, _ body: (UnsafePointer<T>?) -> R) -> R {
    guard let array else { return body(nil) }
    return array.withUnsafeBufferPointer { body($0.baseAddress) }
}

/// Calls `body` with the mutable buffers of three arrays at once.
@inline(__always)
func withMutableBuffers<A, B, C, R>(
    _ a: inout [A], _ b: inout [B], _ c: inout [C],
    _ body: (UnsafeMutableBufferPointer<A>, UnsafeMutableBufferPointer<B>, UnsafeMutableBufferPointer<C>) -> R
) -> R {
    a.withUnsafeMutableBufferPointer { a in
        b.withUnsafeMutableBufferPointer { b in
            c.withUnsafeMutableBufferPointer { c in body(a, b, c) }
        }
    }
}

extension UnsafeMutableBufferPointer {
    /// The first element's address, or nil for an empty buffer (whose address may be a shared
    /// placeholder that must not be written through).
    @inline(__always) var nonEmptyBase: UnsafeMutablePointer<Element>? { isEmpty ? nil : baseAddress }
}

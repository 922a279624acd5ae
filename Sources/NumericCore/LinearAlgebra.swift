/// An error reported by a LAPACK routine: the routine's name and its `info` code.
///
/// `info < 0` means argument number `-info` was illegal (a bug in healthgap);
/// `info > 0` is routine-specific (for `dposv`, the leading minor of order `info` is not
/// positive definite, i.e. the regression's columns are collinear).
public struct LAPACKError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The LAPACK routine that failed, e.g. `dposv`.
    public var routine: String
    /// The routine's `info` output.
    public var info: Int32

    /// Creates an error for `routine` with its `info` code.
    public init(routine: String, info: Int32) {
        self.routine = routine
        self.info = info
    }

    /// One sentence naming the routine and what its `info` means.
    public var description: String {
        if info < 0 {
            return "LAPACK \(routine): argument \(-info) had an illegal value (info = \(info))"
        }
        switch routine {
        case "dposv":
            return
                "LAPACK dposv: the matrix is not positive definite (leading minor \(info)); the regression columns are collinear"
        default:
            return "LAPACK \(routine) failed with info = \(info)"
        }
    }
}

/// Row-major dense linear algebra on `[Double]`, backed by OpenBLAS and LAPACKE.
public enum LinearAlgebra {
    /// Pins OpenBLAS to one thread now (it is also pinned before the first BLAS call).
    ///
    /// Call once before starting parallel work: healthgap's job runner is already parallel, and
    /// OpenBLAS's own idle threads would compete for the cores even if no BLAS call is made.
    /// The corresponding C function is `openblas_set_num_threads`.
    public static func pinToOneThread() {
        _ = pinOpenBLASToOneThread
    }

    /// The product `A·B` of a row-major m×k matrix and a k×n matrix (BLAS `dgemm`).
    ///
    /// - Precondition: `a.count == m*k`, `b.count == k*n`.
    /// - Complexity: O(m·n·k).
    public static func multiply(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int) -> [Double] {
        precondition(m >= 0 && n >= 0 && k >= 0, "negative matrix dimension")
        precondition(a.count == m * k, "A has \(a.count) elements, expected \(m)×\(k)")
        precondition(b.count == k * n, "B has \(b.count) elements, expected \(k)×\(n)")
        var c = [Double](repeating: 0, count: m * n)
        if m == 0 || n == 0 { return c }
        if k == 0 { return c }
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    multiply(
                        pa.baseAddress!, pb.baseAddress!, into: pc.baseAddress!,
                        m: m, k: k, n: n)
                }
            }
        }
        return c
    }

    /// `C = A·B` on raw row-major buffers, for kernels that reuse their storage (BLAS `dgemm`).
    ///
    /// `a` is m×k with leading dimension k, `b` is k×n with leading dimension `ldb` (default n),
    /// `c` is m×n with leading dimension `ldc` (default n).
    /// - Complexity: O(m·n·k).
    @inlinable
    public static func multiply(
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>,
        m: Int, k: Int, n: Int, ldb: Int? = nil, ldc: Int? = nil
    ) {
        precondition(m > 0 && n > 0 && k > 0, "matrix dimensions must be positive")
        blas_dgemm(
            transposeA: false, transposeB: false, m: m, n: n, k: k,
            alpha: 1, a: a, lda: k, b: b, ldb: ldb ?? n, beta: 0, c: c, ldc: ldc ?? n)
    }

    /// Solves `A·X = B` for a symmetric positive definite n×n `A` (LAPACK `dposv`).
    ///
    /// `b` is n×nrhs, row-major. Returns X.
    /// - Throws: `LAPACKError` with `routine == "dposv"` when `A` is not positive definite.
    /// - Complexity: O(n³ + n²·nrhs).
    public static func solveSymmetricPositiveDefinite(
        _ a: [Double], _ b: [Double], n: Int, nrhs: Int = 1
    ) throws(LAPACKError) -> [Double] {
        precondition(n > 0 && nrhs > 0, "matrix dimensions must be positive")
        precondition(a.count == n * n, "A has \(a.count) elements, expected \(n)×\(n)")
        precondition(b.count == n * nrhs, "B has \(b.count) elements, expected \(n)×\(nrhs)")
        var factor = a
        var x = b
        let info = factor.withUnsafeMutableBufferPointer { pa in
            x.withUnsafeMutableBufferPointer { pb in
                lapack_dposv(n: n, nrhs: nrhs, a: pa.baseAddress!, lda: n, b: pb.baseAddress!, ldb: nrhs)
            }
        }
        if info != 0 { throw LAPACKError(routine: "dposv", info: info) }
        return x
    }
}
